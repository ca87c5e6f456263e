//! Detached, ASCII-armored OpenPGP signatures (`artifact.asc`) made from a
//! hash context the digest engine feeds in its single pass.
//!
//! The mirror of `apostille_verify::pgp`: [`SigningKey::prepare`] gives a
//! [`PendingSignature`] whose sink goes into the engine job that also
//! computes the run's checksums; [`SigningKey::finish`] turns the fed
//! context into an armored signature. A 4 GiB tarball signed and checksummed
//! is read once.
//!
//! Keys come from an armored secret-key file, optionally passphrase
//! protected. Signatures are binary-document signatures, SHA-512 by default,
//! by the first signing-capable key valid now under the standard policy.

use apostille_digest::HashSink;
use apostille_formats::pgp::SharedContext;
use openpgp::cert::Cert;
use openpgp::crypto::{KeyPair, Password};
use openpgp::packet::signature::SignatureBuilder;
use openpgp::parse::Parse;
use openpgp::policy::StandardPolicy;
use openpgp::serialize::Serialize;
use openpgp::types::{HashAlgorithm, SignatureType};
use sequoia_openpgp as openpgp;

/// Why a key could not be loaded or a signature made.
#[derive(Debug, thiserror::Error)]
pub enum PgpError {
    /// The key file is not an OpenPGP secret key.
    #[error("not an OpenPGP secret key: {0}")]
    NotAKey(String),
    /// No key of the certificate can sign now.
    #[error("{0}: no signing-capable secret key valid now")]
    NoSigningKey(String),
    /// The secret key is encrypted and no (or a wrong) passphrase was given.
    #[error("{0}")]
    Locked(String),
    /// OpenPGP v6 keys sign with salted hashes, not supported yet.
    #[error("v6 keys are not supported yet (their signatures need a salted hash)")]
    V6,
    /// Sequoia refused to make the signature.
    #[error("signing failed: {0}")]
    Sign(String),
}

/// A secret signing key, unlocked.
pub struct SigningKey {
    cert: Cert,
    keypair: KeyPair,
    hash: HashAlgorithm,
}

/// A signature waiting for the engine to feed its hash context.
pub struct PendingSignature {
    ctx: SharedContext,
}

impl PendingSignature {
    /// The sink to add to the engine job that reads the artifact.
    pub fn sink(&self) -> Box<dyn HashSink> {
        self.ctx.sink()
    }
}

impl SigningKey {
    /// Loads the first signing-capable secret key of an armored (or binary)
    /// secret-key file, decrypting it with `passphrase` when needed.
    pub fn from_bytes(data: &[u8], passphrase: Option<&[u8]>) -> Result<SigningKey, PgpError> {
        let cert = Cert::from_bytes(data).map_err(|e| PgpError::NotAKey(format!("{e:#}")))?;
        let policy = StandardPolicy::new();
        let fpr = cert.fingerprint().to_hex();
        let vc = cert
            .with_policy(&policy, None)
            .map_err(|e| PgpError::NoSigningKey(format!("{fpr}: {e}")))?;
        let ka = vc
            .keys()
            .secret()
            .for_signing()
            .alive()
            .revoked(false)
            .next()
            .ok_or_else(|| PgpError::NoSigningKey(fpr.clone()))?;
        if ka.key().version() != 4 {
            return Err(PgpError::V6);
        }
        let mut key = ka.key().clone();
        if !key.has_unencrypted_secret() {
            let pw = passphrase.ok_or_else(|| {
                PgpError::Locked(format!(
                    "{fpr}: the secret key is passphrase-protected; give --passphrase-file or --passphrase-env"
                ))
            })?;
            key = key
                .decrypt_secret(&Password::from(pw))
                .map_err(|_| PgpError::Locked(format!("{fpr}: wrong passphrase")))?;
        }
        let keypair = key
            .into_keypair()
            .map_err(|e| PgpError::NotAKey(format!("{e:#}")))?;
        Ok(SigningKey {
            cert,
            keypair,
            hash: HashAlgorithm::SHA512,
        })
    }

    /// Uses `hash` instead of SHA-512 (SHA-256 and SHA-384 are the others
    /// worth choosing; SHA-1 and MD5 are refused).
    pub fn with_hash(mut self, hash: HashAlgorithm) -> Result<SigningKey, PgpError> {
        if matches!(hash, HashAlgorithm::SHA1 | HashAlgorithm::MD5) {
            return Err(PgpError::Sign(format!(
                "{hash} data signatures are not made"
            )));
        }
        self.hash = hash;
        Ok(self)
    }

    /// Primary fingerprint of the signing certificate.
    pub fn fingerprint(&self) -> String {
        self.cert.fingerprint().to_hex()
    }

    /// Fingerprint of the key that signs (primary or subkey).
    pub fn signing_key_fingerprint(&self) -> String {
        self.keypair.public().fingerprint().to_hex()
    }

    /// A hash context for one signature, to be fed by the engine.
    pub fn prepare(&self) -> Result<PendingSignature, PgpError> {
        let ctx = SharedContext::for_signature(self.hash, 4, None)
            .ok_or_else(|| PgpError::Sign(format!("{} is not supported", self.hash)))?;
        Ok(PendingSignature { ctx })
    }

    /// Signs what the engine fed `pending`; returns the armored signature.
    pub fn finish(&mut self, pending: &PendingSignature) -> Result<Vec<u8>, PgpError> {
        let ctx = pending
            .ctx
            .take()
            .ok_or_else(|| PgpError::Sign("hash context missing".into()))?;
        let sig = SignatureBuilder::new(SignatureType::Binary)
            .sign_hash(&mut self.keypair, ctx)
            .map_err(|e| PgpError::Sign(format!("{e:#}")))?;
        let err = |e: anyhow::Error| PgpError::Sign(format!("{e:#}"));
        let mut w = openpgp::armor::Writer::new(Vec::new(), openpgp::armor::Kind::Signature)
            .map_err(|e| err(e.into()))?;
        openpgp::Packet::from(sig).serialize(&mut w).map_err(err)?;
        w.finalize().map_err(|e| err(e.into()))
    }
}
