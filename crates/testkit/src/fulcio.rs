//! The Fulcio double: a test root and intermediate CA issuing ten-minute
//! code-signing certificates to holders of a valid token, with an SCT from
//! a test CT log embedded through RFC 6962's precertificate flow.

use crate::http::Response;
use crate::oidc::Issuer;
use crate::pki::{self, Ca, Error, Key};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use der::Encode;
use der::asn1::{OctetString, Utf8StringRef};
use der::oid::ObjectIdentifier;
use serde_json::Value;
use x509_cert::ext::pkix::KeyUsages;

/// Fulcio's OIDC issuer extension (deprecated form: the raw string).
const OID_ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
/// Fulcio's OIDC issuer extension (a DER UTF8String).
const OID_ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");
/// RFC 6962 precertificate poison.
const OID_CT_POISON: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.3");
/// RFC 6962 embedded SCT list.
const OID_CT_SCTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2");

pub struct Fulcio {
    pub root: Ca,
    pub intermediate: Ca,
    /// The test CT log's key: its SCTs go into every certificate.
    pub ct_log: Key,
}

impl Fulcio {
    pub fn new(not_before: u64, not_after: u64) -> Result<Self, Error> {
        let root = Ca::root(
            "CN=apostille test fulcio root,O=apostille-test",
            not_before,
            not_after,
        )?;
        let intermediate = Ca::intermediate(
            &root,
            "CN=apostille test fulcio intermediate,O=apostille-test",
            not_before,
            not_after,
            Some(pki::EKU_CODE_SIGNING),
        )?;
        Ok(Fulcio {
            root,
            intermediate,
            ct_log: Key::generate(),
        })
    }

    /// `POST /api/v2/signingCert`.
    pub fn signing_cert(&self, issuer: &Issuer, body: &[u8], now: u64) -> Response {
        match self.issue(issuer, body, now) {
            Ok(chain) => Response::json(
                200,
                serde_json::json!({
                    "signedCertificateEmbeddedSct": {
                        "chain": { "certificates": chain.iter().map(|c| pki::cert_pem(c)).collect::<Vec<_>>() }
                    }
                })
                .to_string(),
            ),
            Err((status, msg)) => Response::error(status, &msg),
        }
    }

    fn issue(&self, issuer: &Issuer, body: &[u8], now: u64) -> Result<Vec<Vec<u8>>, (u16, String)> {
        let bad = |m: String| (400u16, m);
        let req: Value =
            serde_json::from_slice(body).map_err(|e| bad(format!("request is not JSON: {e}")))?;
        let token = req
            .pointer("/credentials/oidcIdentityToken")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no credentials.oidcIdentityToken".into()))?;
        let claims = issuer.check(token, now).map_err(|e| (401, e))?;
        let pem = req
            .pointer("/publicKeyRequest/publicKey/content")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no publicKeyRequest.publicKey.content".into()))?;
        let spki = pki::pem_der(pem, "PUBLIC KEY").map_err(bad)?;
        let pop = req
            .pointer("/publicKeyRequest/proofOfPossession")
            .and_then(Value::as_str)
            .and_then(|s| B64.decode(s).ok())
            .ok_or_else(|| bad("no base64 publicKeyRequest.proofOfPossession".into()))?;
        pki::verify_p256(&spki, claims.identity().as_bytes(), &pop)
            .map_err(|e| bad(format!("proof of possession: {e}")))?;
        self.leaf(&claims.issuer, claims.identity(), &spki, now)
            .map_err(|e| (500, e))
    }

    /// Issues the leaf: precertificate, SCT over its TBS without the
    /// poison, final certificate with the SCT list. Returns the chain.
    fn leaf(
        &self,
        oidc_issuer: &str,
        identity: &str,
        spki: &[u8],
        now: u64,
    ) -> Result<Vec<Vec<u8>>, Error> {
        let issuer_v2 = Utf8StringRef::new(oidc_issuer)
            .and_then(|s| s.to_der())
            .map_err(|e| e.to_string())?;
        let common = vec![
            pki::key_usage(KeyUsages::DigitalSignature)?,
            pki::eku(pki::EKU_CODE_SIGNING, false)?,
            pki::ski(spki)?,
            pki::aki(self.intermediate.key.spki())?,
            pki::san(identity)?,
            pki::raw_ext(OID_ISSUER_V1, false, oidc_issuer.as_bytes().to_vec())?,
            pki::raw_ext(OID_ISSUER_V2, false, issuer_v2)?,
        ];
        let base = pki::tbs(
            &self.intermediate.name,
            x509_cert::name::Name::default(),
            spki,
            now,
            now + 600,
            common.clone(),
        )?;

        // 1. The precertificate: the same TBS plus the critical poison.
        let mut pre = base.clone();
        let mut pre_exts = common.clone();
        pre_exts.push(pki::raw_ext(OID_CT_POISON, true, vec![0x05, 0x00])?);
        pre.extensions = Some(pre_exts);
        let _precert = pki::sign_cert(pre, &self.intermediate.key)?;

        // 2. The CT log's SCT over the precert TBS without the poison.
        let tbs_der = base.to_der().map_err(|e| e.to_string())?;
        let sct_list = self.sct_list(&tbs_der, now * 1000)?;

        // 3. The final certificate: the TBS plus the SCT list.
        let mut fin = base;
        let mut exts = common;
        let list = OctetString::new(sct_list)
            .and_then(|o| o.to_der())
            .map_err(|e| e.to_string())?;
        exts.push(pki::raw_ext(OID_CT_SCTS, false, list)?);
        fin.extensions = Some(exts);
        let leaf = pki::sign_cert(fin, &self.intermediate.key)?;
        Ok(vec![
            leaf,
            self.intermediate.der.clone(),
            self.root.der.clone(),
        ])
    }

    /// A `SignedCertificateTimestampList` holding one v1 SCT for a
    /// precert entry (RFC 6962 §3.2, §3.3).
    fn sct_list(&self, precert_tbs: &[u8], timestamp_ms: u64) -> Result<Vec<u8>, Error> {
        let tbs_len = u32::try_from(precert_tbs.len()).map_err(|_| "TBS too long")?;
        let mut signed = vec![0u8, 0u8]; // v1, certificate_timestamp
        signed.extend_from_slice(&timestamp_ms.to_be_bytes());
        signed.extend_from_slice(&1u16.to_be_bytes()); // precert_entry
        signed.extend_from_slice(&pki::sha256(self.intermediate.key.spki()));
        signed.extend_from_slice(&tbs_len.to_be_bytes()[1..]);
        signed.extend_from_slice(precert_tbs);
        signed.extend_from_slice(&0u16.to_be_bytes()); // no extensions
        let sig = self.ct_log.sign(&signed);

        let mut sct = vec![0u8]; // v1
        sct.extend_from_slice(&self.ct_log.key_id());
        sct.extend_from_slice(&timestamp_ms.to_be_bytes());
        sct.extend_from_slice(&0u16.to_be_bytes());
        sct.extend_from_slice(&[4, 3]); // sha256, ecdsa
        sct.extend_from_slice(&(sig.len() as u16).to_be_bytes());
        sct.extend_from_slice(&sig);

        let mut list = ((sct.len() + 2) as u16).to_be_bytes().to_vec();
        list.extend_from_slice(&(sct.len() as u16).to_be_bytes());
        list.extend_from_slice(&sct);
        Ok(list)
    }
}
