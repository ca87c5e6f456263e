//! The RFC 3161 timestamp authority double: answers a `TimeStampReq` with
//! a `TimeStampResp` whose token is CMS SignedData over a TSTInfo, signed
//! by a test TSA certificate (critical timeStamping EKU) under a test root.

use crate::http::Response;
use crate::pki::{self, Ca, Error, Key};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, GeneralizedTime, Int, OctetString, SetOfVec};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Sequence};
use std::time::Duration;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::KeyUsages;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::spki::AlgorithmIdentifierOwned;

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERT_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// A policy OID under the test's own arc (any OID will do for a test TSA).
const TEST_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.2");

#[derive(Clone, Debug, Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

#[derive(Clone, Debug, Sequence)]
struct TimeStampReq {
    version: u8,
    message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    req_policy: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(default = "Default::default")]
    cert_req: bool,
}

#[derive(Clone, Debug, Sequence)]
struct TstInfo {
    version: u8,
    policy: ObjectIdentifier,
    message_imprint: MessageImprint,
    serial_number: Int,
    gen_time: GeneralizedTime,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    tsa: Option<GeneralName>,
}

#[derive(Clone, Debug, Sequence)]
struct PkiStatusInfo {
    status: u8,
}

#[derive(Clone, Debug, Sequence)]
struct TimeStampResp {
    status: PkiStatusInfo,
    #[asn1(optional = "true")]
    time_stamp_token: Option<Any>,
}

pub struct Tsa {
    pub root: Ca,
    pub key: Key,
    pub cert: Vec<u8>,
}

fn sha256_alg() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    }
}

fn e(err: der::Error) -> Error {
    err.to_string()
}

impl Tsa {
    pub fn new(not_before: u64, not_after: u64) -> Result<Self, Error> {
        let root = Ca::root(
            "CN=apostille test tsa root,O=apostille-test",
            not_before,
            not_after,
        )?;
        let key = Key::generate();
        let exts = vec![
            pki::key_usage(KeyUsages::DigitalSignature)?,
            pki::eku(pki::EKU_TIME_STAMPING, true)?,
            pki::ski(key.spki())?,
            pki::aki(root.key.spki())?,
        ];
        let tbs = pki::tbs(
            &root.name,
            pki::name("CN=apostille test tsa,O=apostille-test"),
            key.spki(),
            not_before,
            not_after,
            exts,
        )?;
        let cert = pki::sign_cert(tbs, &root.key)?;
        Ok(Tsa { root, key, cert })
    }

    /// `POST /api/v1/timestamp`.
    pub fn timestamp(&self, body: &[u8], now: u64) -> Response {
        match self.respond(body, now) {
            Ok(der) => Response {
                status: 200,
                content_type: "application/timestamp-reply",
                body: der,
            },
            Err(msg) => Response::error(400, &msg),
        }
    }

    fn respond(&self, body: &[u8], now: u64) -> Result<Vec<u8>, Error> {
        let req = TimeStampReq::from_der(body).map_err(|e| format!("not a TimeStampReq: {e}"))?;
        if req.message_imprint.hash_algorithm.oid != ID_SHA256 {
            return Err("only SHA-256 message imprints are served".into());
        }
        let cert = Certificate::from_der(&self.cert).map_err(e)?;
        let mut serial = pki::random::<8>();
        serial[0] = (serial[0] & 0x7f) | 0x01;
        let tst = TstInfo {
            version: 1,
            policy: req.req_policy.unwrap_or(TEST_POLICY),
            message_imprint: req.message_imprint,
            serial_number: Int::new(&serial).map_err(e)?,
            gen_time: GeneralizedTime::from_unix_duration(Duration::from_secs(now)).map_err(e)?,
            nonce: req.nonce,
            tsa: Some(GeneralName::DirectoryName(
                cert.tbs_certificate.subject.clone(),
            )),
        };
        let tst_der = tst.to_der().map_err(e)?;

        // ESS signing-certificate-v2: SEQUENCE { SEQUENCE OF ESSCertIDv2 {
        // certHash } } with the default hash (SHA-256).
        let ess_cert_id = OctetString::new(pki::sha256(&self.cert).to_vec()).map_err(e)?;
        let signing_cert_v2 = der_seq(&der_seq(&der_seq(&ess_cert_id.to_der().map_err(e)?)));
        let attrs: SetOfVec<Attribute> = SetOfVec::try_from(vec![
            attr(ID_CONTENT_TYPE, ID_CT_TST_INFO.to_der().map_err(e)?)?,
            attr(
                ID_MESSAGE_DIGEST,
                OctetString::new(pki::sha256(&tst_der).to_vec())
                    .and_then(|o| o.to_der())
                    .map_err(e)?,
            )?,
            attr(ID_SIGNING_CERT_V2, signing_cert_v2)?,
        ])
        .map_err(e)?;
        let signature = self.key.sign(&attrs.to_der().map_err(e)?);

        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: cert.tbs_certificate.issuer.clone(),
                serial_number: cert.tbs_certificate.serial_number.clone(),
            }),
            digest_alg: sha256_alg(),
            signed_attrs: Some(attrs),
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: pki::ECDSA_WITH_SHA256,
                parameters: None,
            },
            signature: OctetString::new(signature).map_err(e)?,
            unsigned_attrs: None,
        };
        let certificates = if req.cert_req {
            Some(CertificateSet::try_from(vec![CertificateChoices::Certificate(cert)]).map_err(e)?)
        } else {
            None
        };
        let signed_data = SignedData {
            version: CmsVersion::V3,
            digest_algorithms: SetOfVec::try_from(vec![sha256_alg()]).map_err(e)?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_CT_TST_INFO,
                econtent: Some(
                    Any::from_der(
                        &OctetString::new(tst_der)
                            .and_then(|o| o.to_der())
                            .map_err(e)?,
                    )
                    .map_err(e)?,
                ),
            },
            certificates,
            crls: None,
            signer_infos: SignerInfos::try_from(vec![signer]).map_err(e)?,
        };
        let token = ContentInfo {
            content_type: ID_SIGNED_DATA,
            content: Any::from_der(&signed_data.to_der().map_err(e)?).map_err(e)?,
        };
        TimeStampResp {
            status: PkiStatusInfo { status: 0 },
            time_stamp_token: Some(Any::from_der(&token.to_der().map_err(e)?).map_err(e)?),
        }
        .to_der()
        .map_err(e)
    }
}

fn attr(oid: ObjectIdentifier, value_der: Vec<u8>) -> Result<Attribute, Error> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![Any::from_der(&value_der).map_err(e)?]).map_err(e)?,
    })
}

/// DER SEQUENCE around already-encoded content.
fn der_seq(content: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}
