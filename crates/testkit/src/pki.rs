//! Keys and X.509 certificates for the test services: ECDSA P-256 keys
//! from aws-lc-rs, certificates assembled with `x509-cert` and signed by
//! hand (no certificate builder crate is needed for this little).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::signature::{self, EcdsaKeyPair, EcdsaSigningAlgorithm, KeyPair};
use der::asn1::{BitString, Ia5String, OctetString, UtcTime};
use der::oid::{AssociatedOid, ObjectIdentifier};
use der::{Decode, Encode};
use std::str::FromStr;
use std::time::Duration;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate, Version};

/// ecdsa-with-SHA256.
pub const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// id-kp-codeSigning.
pub const EKU_CODE_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");
/// id-kp-timeStamping.
pub const EKU_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// An error in the test services (never seen by the code under test as
/// anything but an HTTP error status).
pub type Error = String;

pub fn sha256(data: &[u8]) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

pub fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    // A failing system RNG leaves zeros; the test then fails on a duplicate
    // serial, which is loud enough for test code.
    let _ = SystemRandom::new().fill(&mut out);
    out
}

/// An ECDSA P-256 key pair with its SubjectPublicKeyInfo.
pub struct Key {
    pair: EcdsaKeyPair,
    spki: Vec<u8>,
}

impl Key {
    /// A key whose signatures are ASN.1 DER (X.509, CMS, SCTs, notes).
    pub fn generate() -> Self {
        Self::generate_for(&signature::ECDSA_P256_SHA256_ASN1_SIGNING)
    }

    /// A key whose signatures are fixed-width `r || s` (JWS ES256).
    pub fn generate_fixed() -> Self {
        Self::generate_for(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
    }

    fn generate_for(alg: &'static EcdsaSigningAlgorithm) -> Self {
        // Key generation only fails when the system RNG does; test code may
        // stop there.
        #[allow(clippy::expect_used)]
        let pair = EcdsaKeyPair::generate(alg).expect("P-256 key generation");
        #[allow(clippy::expect_used)]
        let spki = pair
            .public_key()
            .as_der()
            .expect("P-256 public key as SubjectPublicKeyInfo")
            .as_ref()
            .to_vec();
        Key { pair, spki }
    }

    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self.pair.sign(&SystemRandom::new(), msg) {
            Ok(sig) => sig.as_ref().to_vec(),
            Err(_) => Vec::new(),
        }
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// The uncompressed public point.
    pub fn public_point(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    /// SHA-256 of the SubjectPublicKeyInfo: a log's ID, an issuer key hash.
    pub fn key_id(&self) -> [u8; 32] {
        sha256(&self.spki)
    }
}

/// Verifies an ASN.1 ECDSA P-256/SHA-256 signature by a DER SPKI.
pub fn verify_p256(spki_der: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), Error> {
    let spki = SubjectPublicKeyInfoOwned::from_der(spki_der)
        .map_err(|e| format!("public key is not a SubjectPublicKeyInfo: {e}"))?;
    let point = spki
        .subject_public_key
        .as_bytes()
        .ok_or("public key has unused bits")?;
    signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, point)
        .verify(msg, sig)
        .map_err(|_| "signature does not verify".to_string())
}

pub fn name(s: &str) -> Name {
    // Only called with the fixed names below.
    #[allow(clippy::expect_used)]
    Name::from_str(s).expect("a valid RFC 4514 name")
}

fn time(unix: u64) -> Result<Time, Error> {
    UtcTime::from_unix_duration(Duration::from_secs(unix))
        .map(Time::UtcTime)
        .map_err(|e| e.to_string())
}

pub fn ext<T: Encode + AssociatedOid>(critical: bool, value: &T) -> Result<Extension, Error> {
    raw_ext(T::OID, critical, value.to_der().map_err(|e| e.to_string())?)
}

pub fn raw_ext(oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Result<Extension, Error> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value).map_err(|e| e.to_string())?,
    })
}

pub fn ski(key_spki: &[u8]) -> Result<Extension, Error> {
    let id = &sha256(key_spki)[..20];
    ext(
        false,
        &SubjectKeyIdentifier(OctetString::new(id).map_err(|e| e.to_string())?),
    )
}

pub fn aki(issuer_spki: &[u8]) -> Result<Extension, Error> {
    let id = &sha256(issuer_spki)[..20];
    ext(
        false,
        &AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(id).map_err(|e| e.to_string())?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        },
    )
}

pub fn key_usage(usages: impl Into<der::flagset::FlagSet<KeyUsages>>) -> Result<Extension, Error> {
    ext(true, &KeyUsage(usages.into()))
}

pub fn eku(oid: ObjectIdentifier, critical: bool) -> Result<Extension, Error> {
    ext(critical, &ExtendedKeyUsage(vec![oid]))
}

pub fn ca_constraints(path_len: Option<u8>) -> Result<Extension, Error> {
    ext(
        true,
        &BasicConstraints {
            ca: true,
            path_len_constraint: path_len,
        },
    )
}

/// A subjectAltName with one email or URI; critical, as the subject is empty.
pub fn san(identity: &str) -> Result<Extension, Error> {
    let name = if identity.contains("://") {
        GeneralName::UniformResourceIdentifier(ia5(identity)?)
    } else if identity.contains('!') && !identity.contains('@') {
        // Fulcio's username identities (`user!issuer-host`): an otherName
        // of type 1.3.6.1.4.1.57264.1.7 holding a UTF8String.
        let value = der::asn1::Utf8StringRef::new(identity)
            .map_err(|e| e.to_string())
            .and_then(|u| der::Any::encode_from(&u).map_err(|e| e.to_string()))?;
        GeneralName::OtherName(x509_cert::ext::pkix::name::OtherName {
            type_id: ObjectIdentifier::new("1.3.6.1.4.1.57264.1.7").map_err(|e| e.to_string())?,
            value,
        })
    } else {
        GeneralName::Rfc822Name(ia5(identity)?)
    };
    ext(true, &SubjectAltName(vec![name]))
}

fn ia5(identity: &str) -> Result<Ia5String, Error> {
    Ia5String::new(identity).map_err(|e| format!("identity {identity:?}: {e}"))
}

/// The to-be-signed part of a certificate.
pub fn tbs(
    issuer: &Name,
    subject: Name,
    spki_der: &[u8],
    not_before: u64,
    not_after: u64,
    extensions: Vec<Extension>,
) -> Result<TbsCertificate, Error> {
    let mut serial = random::<16>();
    serial[0] = (serial[0] & 0x7f) | 0x01;
    Ok(TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&serial).map_err(|e| e.to_string())?,
        signature: AlgorithmIdentifierOwned {
            oid: ECDSA_WITH_SHA256,
            parameters: None,
        },
        issuer: issuer.clone(),
        validity: Validity {
            not_before: time(not_before)?,
            not_after: time(not_after)?,
        },
        subject,
        subject_public_key_info: SubjectPublicKeyInfoOwned::from_der(spki_der)
            .map_err(|e| format!("public key: {e}"))?,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    })
}

/// Signs a TBS certificate; returns the certificate's DER.
pub fn sign_cert(tbs: TbsCertificate, issuer_key: &Key) -> Result<Vec<u8>, Error> {
    let tbs_der = tbs.to_der().map_err(|e| e.to_string())?;
    let sig = issuer_key.sign(&tbs_der);
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: ECDSA_WITH_SHA256,
            parameters: None,
        },
        signature: BitString::from_bytes(&sig).map_err(|e| e.to_string())?,
    }
    .to_der()
    .map_err(|e| e.to_string())
}

/// A self-signed CA or one issued by `parent` (its name, key).
pub struct Ca {
    pub key: Key,
    pub name: Name,
    pub der: Vec<u8>,
}

impl Ca {
    pub fn root(subject: &str, not_before: u64, not_after: u64) -> Result<Ca, Error> {
        let key = Key::generate();
        let name = name(subject);
        let exts = vec![
            ca_constraints(Some(1))?,
            key_usage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)?,
            ski(key.spki())?,
        ];
        let tbs = tbs(&name, name.clone(), key.spki(), not_before, not_after, exts)?;
        let der = sign_cert(tbs, &key)?;
        Ok(Ca { key, name, der })
    }

    pub fn intermediate(
        parent: &Ca,
        subject: &str,
        not_before: u64,
        not_after: u64,
        eku_oid: Option<ObjectIdentifier>,
    ) -> Result<Ca, Error> {
        let key = Key::generate();
        let name = name(subject);
        let mut exts = vec![
            ca_constraints(Some(0))?,
            key_usage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)?,
            ski(key.spki())?,
            aki(parent.key.spki())?,
        ];
        if let Some(oid) = eku_oid {
            exts.push(eku(oid, false)?);
        }
        let tbs = tbs(
            &parent.name,
            name.clone(),
            key.spki(),
            not_before,
            not_after,
            exts,
        )?;
        let der = sign_cert(tbs, &parent.key)?;
        Ok(Ca { key, name, der })
    }
}

/// PEM armour for one DER certificate, 64 columns, as Go and OpenSSL write it.
pub fn cert_pem(der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The DER inside the first PEM block of `pem` with the given label.
pub fn pem_der(pem: &str, label: &str) -> Result<Vec<u8>, Error> {
    use base64::Engine as _;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin).ok_or(format!("no {label} PEM block"))? + begin.len();
    let stop = pem[start..]
        .find(&end)
        .ok_or(format!("unterminated {label} PEM block"))?
        + start;
    let b64: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| format!("{label} PEM: {e}"))
}
