//! One Sigstore signer for a run: a key file or a keyless session (one
//! Fulcio certificate for every signature of the run), making bundles from
//! digests and statements the engine's pass produced.

use super::bundle::{BundleError, Material, dsse_bundle, message_bundle, pae};
use super::keys::{KeyError, SigningKey};
use crate::keyless::{KeylessError, KeylessSigner};

/// Why a bundle could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    /// The key refused (wrong kind for a blob signature, crypto failure).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Fulcio, Rekor or the TSA refused or could not be reached.
    #[error(transparent)]
    Keyless(#[from] KeylessError),
    /// The bundle could not be assembled.
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

/// Signs with a key or keylessly.
pub enum Signer {
    /// A private key (cosign's format or PKCS#8); bundles carry its hint.
    Key(SigningKey),
    /// An ephemeral key certified by Fulcio, logged in Rekor.
    Keyless(KeylessSigner),
}

impl Signer {
    /// A message-signature bundle over an artifact whose SHA-256 is
    /// `sha256` (what `cosign sign-blob --bundle` writes).
    pub fn blob(&self, sha256: &[u8; 32]) -> Result<String, SignerError> {
        Ok(match self {
            Signer::Key(k) => {
                let sig = k.sign_digest(sha256)?;
                message_bundle(sha256, &sig, &Material::KeyHint(k.hint()))?
            }
            Signer::Keyless(s) => {
                let ks = s.sign_digest(sha256)?;
                message_bundle(sha256, &ks.signature, &Material::Keyless(&ks))?
            }
        })
    }

    /// A DSSE bundle around `payload` of `payload_type` (what `cosign
    /// attest-blob --bundle` writes).
    pub fn dsse(&self, payload_type: &str, payload: &[u8]) -> Result<String, SignerError> {
        Ok(match self {
            Signer::Key(k) => {
                let sig = k.sign_message(&pae(payload_type, payload))?;
                dsse_bundle(payload_type, payload, &sig, &Material::KeyHint(k.hint()))?
            }
            Signer::Keyless(s) => {
                let ks = s.sign_dsse(payload_type, payload)?;
                dsse_bundle(
                    payload_type,
                    payload,
                    &ks.signature,
                    &Material::Keyless(&ks),
                )?
            }
        })
    }

    /// Who signs, for people: the SHA-256 of the public key (as `apostille
    /// verify` names it), or the certificate's identity and issuer.
    pub fn describe(&self) -> String {
        match self {
            Signer::Key(k) => {
                use sha2::Digest as _;
                let d = sha2::Sha256::digest(k.public_key_der());
                let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
                format!("key sha256:{hex}")
            }
            Signer::Keyless(s) => format!("{} ({})", s.identity(), s.issuer()),
        }
    }
}
