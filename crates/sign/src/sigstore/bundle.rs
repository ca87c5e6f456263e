//! Sigstore bundles v0.3 (`application/vnd.dev.sigstore.bundle.v0.3+json`):
//! a message signature over an artifact's SHA-256 (`cosign sign-blob
//! --bundle`) or a DSSE envelope around an in-toto statement (`cosign
//! attest-blob`), with either a public-key hint (key-based) or a Fulcio
//! certificate, Rekor entry and optional RFC 3161 timestamp (keyless).
//!
//! The JSON model is sigstore-rust's (`sigstore-types`, built with
//! `sigstore-bundle`), the one our verifier parses.

use sigstore_bundle::{BundleV03, VerificationMaterialV03};
use sigstore_types::bundle::{MessageDigest, MessageSignature, SignatureContent};
use sigstore_types::{
    DerCertificate, DsseEnvelope, DsseSignature, HashAlgorithm, KeyId, PayloadBytes,
    SignatureBytes, TimestampToken,
};

use crate::keyless::KeylessSignature;

/// The bundle media type written.
pub const MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

/// What a verifier checks the signature with.
#[derive(Debug)]
pub enum Material<'a> {
    /// A key the verifier holds: the bundle names it by a hint (base64 of
    /// the SHA-256 of its DER), as cosign does. No transparency log.
    KeyHint(String),
    /// A keyless signature: certificate, log entry, timestamp.
    Keyless(&'a KeylessSignature),
}

/// Why a bundle cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A keyless signature without a certificate.
    #[error("the keyless signature carries no certificate")]
    NoCertificate,
    /// Serialization failed.
    #[error("cannot write the bundle as JSON: {0}")]
    Json(String),
}

fn build(content: SignatureContent, material: &Material<'_>) -> Result<String, BundleError> {
    let b = match material {
        Material::KeyHint(hint) => BundleV03::new(
            VerificationMaterialV03::PublicKey { hint: hint.clone() },
            content,
        ),
        Material::Keyless(k) => {
            let leaf = k
                .certificate_chain
                .first()
                .ok_or(BundleError::NoCertificate)?;
            let mut b = BundleV03::new(
                VerificationMaterialV03::Certificate(DerCertificate::from_bytes(leaf)),
                content,
            )
            .with_tlog_entry(k.tlog_entry.clone());
            if let Some(ts) = &k.rfc3161_timestamp {
                b = b.with_rfc3161_timestamp(TimestampToken::from_bytes(ts));
            }
            b
        }
    };
    let mut json = b
        .into_bundle()
        .to_json_pretty()
        .map_err(|e| BundleError::Json(e.to_string()))?;
    json.push('\n');
    Ok(json)
}

/// A message-signature bundle: `signature` over the artifact whose SHA-256
/// is `sha256`.
pub fn message_bundle(
    sha256: &[u8; 32],
    signature: &[u8],
    material: &Material<'_>,
) -> Result<String, BundleError> {
    let content = SignatureContent::MessageSignature(
        MessageSignature::new(SignatureBytes::from_bytes(signature)).with_message_digest(
            MessageDigest::new(HashAlgorithm::Sha2256, sha256.to_vec().into()),
        ),
    );
    build(content, material)
}

/// A DSSE bundle: `signature` over `pae(payload_type, payload)`.
pub fn dsse_bundle(
    payload_type: &str,
    payload: &[u8],
    signature: &[u8],
    material: &Material<'_>,
) -> Result<String, BundleError> {
    let env = DsseEnvelope::new(
        payload_type,
        PayloadBytes::from_bytes(payload),
        DsseSignature::new(SignatureBytes::from_bytes(signature), KeyId::new("")),
    );
    build(SignatureContent::DsseEnvelope(env), material)
}

/// DSSE's pre-authentication encoding: `"DSSEv1" SP LEN(type) SP type SP
/// LEN(body) SP body`, lengths in ASCII decimal — what is signed.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pae_is_the_specs_example() {
        // The DSSE protocol document's example.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ");
    }

    #[test]
    fn key_bundles_have_a_hint_and_no_log() {
        let json =
            message_bundle(&[7u8; 32], b"sig", &Material::KeyHint("aGludA==".into())).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["mediaType"], MEDIA_TYPE);
        assert_eq!(v["verificationMaterial"]["publicKey"]["hint"], "aGludA==");
        assert_eq!(
            v["messageSignature"]["messageDigest"]["algorithm"],
            "SHA2_256"
        );
        let d = dsse_bundle(
            "application/vnd.in-toto+json",
            b"{}",
            b"sig",
            &Material::KeyHint("h".into()),
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&d).unwrap();
        assert_eq!(
            v["dsseEnvelope"]["payloadType"],
            "application/vnd.in-toto+json"
        );
        assert_eq!(v["dsseEnvelope"]["payload"], "e30=");
        assert!(v["dsseEnvelope"]["signatures"].is_array());
    }
}
