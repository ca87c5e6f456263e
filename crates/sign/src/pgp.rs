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
//! protected ([`SigningKey::from_bytes`]), or stay in GnuPG's gpg-agent
//! (smartcards included) and sign there ([`SigningKey::from_agent`], feature
//! `gpg-agent`, on by default): only the digest crosses the agent's socket.
//! Signatures are binary-document signatures, SHA-512 by default, by the
//! first signing-capable key valid now under the standard policy; a v4 key
//! makes v4 signatures, a v6 key (RFC 9580) v6 signatures with their salt
//! hashed before the data.

use apostille_digest::{AlgorithmSet, HashSink, Hashed};
use apostille_formats::pgp::{DataSource, TrailerFields, trailer};
use openpgp::cert::Cert;
use openpgp::crypto::{Password, Signer};
use openpgp::packet::Signature;
use openpgp::packet::signature::{Signature4, Signature6, SignatureBuilder};
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
    /// gpg-agent could not be reached or refused.
    #[error("gpg-agent: {0}")]
    Agent(String),
    /// Sequoia refused to make the signature.
    #[error("signing failed: {0}")]
    Sign(String),
}

/// A secret signing key, unlocked (or held by gpg-agent).
pub struct SigningKey {
    cert: Cert,
    signer: Box<dyn Signer>,
    hash: HashAlgorithm,
}

/// A signature waiting for the engine to read the file: add
/// [`PendingSignature::algorithms`] and [`PendingSignature::sink`] to the
/// job, then hand its result to [`SigningKey::finish`].
pub struct PendingSignature {
    source: DataSource,
    /// The v6 prefix salt hashed before the data.
    salt: Option<Vec<u8>>,
}

impl PendingSignature {
    /// Algorithms the job must compute for this signature (a v4 signature
    /// continues from the engine's own hasher: adding SHA-512 here and for a
    /// `.sha512` costs one SHA-512 computation, not two).
    pub fn algorithms(&self) -> AlgorithmSet {
        self.source.algorithms()
    }

    /// The extra sink to add to the job, if this signature needs one (v6).
    pub fn sink(&self) -> Option<Box<dyn HashSink>> {
        self.source.sink()
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
        let mut key = ka.key().clone();
        if !key.has_unencrypted_secret() {
            let pw = passphrase.ok_or_else(|| {
                PgpError::Locked(format!(
                    "{fpr}: the secret key is passphrase-protected; give --passphrase-file or --passphrase-env, or run on a terminal to be asked"
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
            signer: Box::new(keypair),
            hash: HashAlgorithm::SHA512,
        })
    }

    /// Whether `data` is a secret key whose signing key needs a passphrase
    /// (so that a caller can ask for one before [`SigningKey::from_bytes`]).
    pub fn is_locked(data: &[u8]) -> bool {
        matches!(SigningKey::from_bytes(data, None), Err(PgpError::Locked(_)))
    }

    /// A key whose secret lives in gpg-agent: the first signing-capable
    /// key of `cert` valid now for which the agent of `homedir` (GnuPG's
    /// default home when `None`) holds the secret. With `passphrase` the
    /// agent is asked in loopback mode; without, it asks the user the way
    /// it always does (pinentry, smartcard PIN).
    ///
    /// The agent is asked whether it holds the secret before anything is
    /// read, so a wrong key fails at once, not after hashing 4 GiB.
    #[cfg(feature = "gpg-agent")]
    pub fn from_agent(
        cert: Cert,
        homedir: Option<&std::path::Path>,
        passphrase: Option<&[u8]>,
    ) -> Result<SigningKey, PgpError> {
        use sequoia_gpg_agent::{Agent, KeyPair, gnupg};
        fn agent_err<E: std::fmt::Display>(e: E) -> PgpError {
            PgpError::Agent(format!("{e:#}"))
        }
        let ctx = match homedir {
            Some(h) => gnupg::Context::with_homedir(h),
            None => gnupg::Context::new(),
        }
        .map_err(agent_err)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|e| PgpError::Agent(e.to_string()))?;
        let mut agent = rt.block_on(Agent::connect(&ctx)).map_err(agent_err)?;
        let policy = StandardPolicy::new();
        let fpr = cert.fingerprint().to_hex();
        let vc = cert
            .with_policy(&policy, None)
            .map_err(|e| PgpError::NoSigningKey(format!("{fpr}: {e}")))?;
        let mut found = None;
        for ka in vc.keys().for_signing().alive().revoked(false) {
            let key = ka.key().clone().role_into_unspecified();
            if rt.block_on(agent.has_key(&key)).map_err(agent_err)? {
                let mut kp = KeyPair::new_for_gnupg_context(&ctx, ka.key())
                    .map_err(agent_err)?
                    .with_cert(&vc);
                if let Some(pw) = passphrase {
                    kp = kp.with_password(Password::from(pw));
                }
                found = Some(kp);
                break;
            }
        }
        let kp = found.ok_or_else(|| {
            PgpError::NoSigningKey(format!(
                "{fpr}: gpg-agent holds no secret for any of its signing-capable keys"
            ))
        })?;
        Ok(SigningKey {
            cert,
            signer: Box::new(kp),
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

    /// The certificate's primary user ID (`Name <email>`), valid under
    /// the standard policy, else its first one.
    pub fn user_id(&self) -> Option<String> {
        let policy = StandardPolicy::new();
        let text = |u: &openpgp::packet::UserID| String::from_utf8_lossy(u.value()).into_owned();
        if let Ok(valid) = self.cert.with_policy(&policy, None)
            && let Ok(u) = valid.primary_userid()
        {
            return Some(text(u.userid()));
        }
        self.cert.userids().next().map(|u| text(u.userid()))
    }

    /// Fingerprint of the key that signs (primary or subkey).
    pub fn signing_key_fingerprint(&self) -> String {
        self.signer.public().fingerprint().to_hex()
    }

    /// OpenPGP version of the signatures this key makes (4 or 6).
    pub fn signature_version(&self) -> u8 {
        if self.signer.public().version() == 6 {
            6
        } else {
            4
        }
    }

    /// What one signature needs from the engine's pass. For a v6 key it
    /// starts with a fresh random salt, as RFC 9580 requires.
    pub fn prepare(&self) -> Result<PendingSignature, PgpError> {
        let unsupported = || PgpError::Sign(format!("{} is not supported", self.hash));
        let version = self.signature_version();
        let salt = if version == 6 {
            let size = self.hash.salt_size().map_err(|_| unsupported())?;
            let mut salt = vec![0; size];
            openpgp::crypto::random(&mut salt).map_err(|e| PgpError::Sign(format!("{e:#}")))?;
            Some(salt)
        } else {
            None
        };
        let source = DataSource::for_signature(self.hash, version, salt.as_deref())
            .ok_or_else(unsupported)?;
        Ok(PendingSignature { source, salt })
    }

    /// Signs the file the engine read into `hashed` for `pending`; returns
    /// the armored signature. The signature is checked against the key
    /// before it is returned.
    pub fn finish(
        &mut self,
        pending: &PendingSignature,
        hashed: &Hashed,
    ) -> Result<Vec<u8>, PgpError> {
        let sign_err = |e: anyhow::Error| PgpError::Sign(format!("{e:#}"));
        let state = pending.source.state(hashed).ok_or_else(|| {
            PgpError::Sign("the engine did not hash the file for this signature".into())
        })?;
        let mut builder = SignatureBuilder::new(SignatureType::Binary).set_hash_algo(self.hash);
        if let Some(salt) = &pending.salt {
            builder = builder.set_prefix_salt(salt.clone()).0;
        }
        // Creation time, issuer and salt subpackets as Sequoia sets them.
        let builder = builder.pre_sign(self.signer.as_ref()).map_err(sign_err)?;
        let version = self.signature_version();
        let pk_algo = self.signer.public().pk_algo();
        let trailer = trailer(TrailerFields {
            version,
            typ: builder.typ(),
            pk_algo,
            hash_algo: self.hash,
            hashed_area: builder.hashed_area(),
        })
        .map_err(PgpError::Sign)?;
        let digest = state
            .digest_with(&trailer)
            .ok_or_else(|| PgpError::Sign("no digest for this hash".into()))?;
        let mpis = self.signer.sign(self.hash, &digest).map_err(sign_err)?;
        let prefix = [digest[0], digest[1]];
        let hashed_area = builder.hashed_area().clone();
        let unhashed_area = builder.unhashed_area().clone();
        let sig: Signature = match &pending.salt {
            None => Signature4::new(
                SignatureType::Binary,
                pk_algo,
                self.hash,
                hashed_area,
                unhashed_area,
                prefix,
                mpis,
            )
            .into(),
            Some(salt) => Signature6::new(
                SignatureType::Binary,
                pk_algo,
                self.hash,
                hashed_area,
                unhashed_area,
                prefix,
                salt.clone(),
                mpis,
            )
            .map_err(sign_err)?
            .into(),
        };
        sig.verify_digest(self.signer.public(), &digest)
            .map_err(|e| PgpError::Sign(format!("the new signature does not verify: {e:#}")))?;
        let err = |e: anyhow::Error| PgpError::Sign(format!("{e:#}"));
        let mut w = openpgp::armor::Writer::new(Vec::new(), openpgp::armor::Kind::Signature)
            .map_err(|e| err(e.into()))?;
        openpgp::Packet::from(sig).serialize(&mut w).map_err(err)?;
        w.finalize().map_err(|e| err(e.into()))
    }
}
