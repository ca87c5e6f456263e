//! Release-manager keys: generating one, and adding a certificate to a
//! project's KEYS file in the layout release managers use (a `pub`/`uid`/
//! `sub` listing followed by the armored public key).

use apostille_formats::keys::{Keyring, listing};
use openpgp::cert::{CertBuilder, CipherSuite};
use openpgp::crypto::Password;
use openpgp::parse::Parse;
use openpgp::policy::StandardPolicy;
use openpgp::serialize::SerializeInto;
use sequoia_openpgp as openpgp;

/// Why a key could not be made or added.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// Sequoia failed to generate or serialize the key.
    #[error("{0}")]
    Key(String),
    /// The certificate to add is not one.
    #[error("not an OpenPGP certificate: {0}")]
    NotACert(String),
    /// The KEYS file already holds this certificate.
    #[error("{0} is already in the KEYS file")]
    Duplicate(String),
}

/// Key algorithm of a new key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA 4096, what the Apache release policy says new keys should be.
    Rsa4096,
    /// Ed25519/Cv25519: smaller and faster, but the Apache policy asks for RSA.
    Ed25519,
}

/// OpenPGP version of a new key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KeyVersion {
    /// v4 (RFC 4880): what gpg 2.2/2.4, sqv 1.x and every KEYS reader
    /// today understand. The default.
    #[default]
    V4,
    /// v6 (RFC 9580): salted signatures, modern algorithms; GnuPG does not
    /// read it (it went its own way with LibrePGP), Sequoia does.
    V6,
}

/// A new key, armored.
pub struct GeneratedKey {
    /// Primary fingerprint.
    pub fingerprint: String,
    /// The transferable secret key (encrypted when a passphrase was given).
    pub secret: Vec<u8>,
    /// The public certificate.
    pub public: Vec<u8>,
}

/// Generates a key (certification and signing primary, encryption subkey)
/// for `user_id`.
pub fn generate(
    user_id: &str,
    algorithm: KeyAlgorithm,
    version: KeyVersion,
    passphrase: Option<&[u8]>,
) -> Result<GeneratedKey, KeysError> {
    let err = |e: anyhow::Error| KeysError::Key(format!("{e:#}"));
    let suite = match algorithm {
        KeyAlgorithm::Rsa4096 => CipherSuite::RSA4k,
        KeyAlgorithm::Ed25519 => CipherSuite::Cv25519,
    };
    let (cert, _revocation) = CertBuilder::general_purpose(Some(user_id))
        .set_cipher_suite(suite)
        .set_profile(match version {
            KeyVersion::V4 => openpgp::Profile::RFC4880,
            KeyVersion::V6 => openpgp::Profile::RFC9580,
        })
        .map_err(err)?
        .set_password(passphrase.map(Password::from))
        .generate()
        .map_err(err)?;
    Ok(GeneratedKey {
        fingerprint: cert.fingerprint().to_hex(),
        secret: cert.as_tsk().armored().to_vec().map_err(err)?,
        public: cert.armored().to_vec().map_err(err)?,
    })
}

/// The KEYS file `keys` with `cert` (armored or binary, public parts only
/// are written) appended as a listing and an armored block. Refuses a
/// certificate the file already holds.
pub fn add_to_keys(keys: &[u8], cert: &[u8]) -> Result<(String, Vec<u8>), KeysError> {
    let cert =
        openpgp::Cert::from_bytes(cert).map_err(|e| KeysError::NotACert(format!("{e:#}")))?;
    let fpr = cert.fingerprint().to_hex();
    let ring = Keyring::from_keys_file(keys);
    if ring
        .certs
        .iter()
        .any(|c| c.fingerprint() == cert.fingerprint())
    {
        return Err(KeysError::Duplicate(fpr));
    }
    let armored = cert
        .armored()
        .to_vec()
        .map_err(|e| KeysError::Key(format!("{e:#}")))?;
    let mut out = keys.to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    if !out.is_empty() {
        out.push(b'\n');
    }
    out.extend_from_slice(listing(&cert, &StandardPolicy::new()).as_bytes());
    out.extend_from_slice(&armored);
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    Ok((fpr, out))
}
