//! Signing keys for key-based Sigstore bundles, in the formats cosign
//! reads and writes: PKCS#8 PEM (`PRIVATE KEY`) and cosign's encrypted
//! private key (`ENCRYPTED SIGSTORE PRIVATE KEY`, and the older
//! `ENCRYPTED COSIGN PRIVATE KEY`: JSON with an scrypt key derivation and a
//! NaCl secretbox around the PKCS#8 DER). Public keys are PKIX `PUBLIC KEY`
//! PEM.
//!
//! ECDSA P-256 (cosign's default) signs a SHA-256 digest the engine already
//! computed, so blob signatures never re-read the artifact. Ed25519 and RSA
//! (PKCS#1 v1.5, SHA-256) keys sign DSSE envelopes; an Ed25519 message
//! signature would need the artifact's bytes and is refused, as is RSA's for
//! symmetry with what the verifier can check from a digest.

use std::path::{Path, PathBuf};

use aws_lc_rs::digest::{Digest as LcDigest, SHA256};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::Digest as _;

/// The PEM label cosign 2.x writes.
pub const ENCRYPTED_LABEL: &str = "ENCRYPTED SIGSTORE PRIVATE KEY";
/// The PEM label older cosign releases wrote (still read).
pub const ENCRYPTED_LABEL_OLD: &str = "ENCRYPTED COSIGN PRIVATE KEY";

/// scrypt cost for new keys: N = 2^15, r = 8, p = 1, as cosign.
const SCRYPT_LOG_N: u8 = 15;

/// Why a key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file is not a private key in a known format.
    #[error("{path}: {problem}")]
    Format {
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The password does not open the encrypted key.
    #[error("{path}: wrong password (or a damaged key file): the encrypted key does not decrypt")]
    WrongPassword {
        /// The key file.
        path: PathBuf,
    },
    /// This key cannot make this kind of signature.
    #[error("{0}")]
    Unsupported(String),
    /// The cryptographic library failed.
    #[error("signing failed: {0}")]
    Crypto(String),
}

fn format_error(path: &Path, problem: impl Into<String>) -> KeyError {
    KeyError::Format {
        path: path.to_path_buf(),
        problem: problem.into(),
    }
}

/// The key's algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// ECDSA over NIST P-256 with SHA-256 (cosign's default).
    EcdsaP256,
    /// Ed25519.
    Ed25519,
    /// RSA, PKCS#1 v1.5 signatures with SHA-256.
    Rsa,
}

enum Inner {
    P256(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Rsa(RsaKeyPair),
}

/// A private key for key-based Sigstore signatures.
pub struct SigningKey {
    inner: Inner,
    pkcs8: Vec<u8>,
    spki: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kind", &self.kind())
            .field("hint", &self.hint())
            .finish_non_exhaustive()
    }
}

/// Splits one PEM block into its label and DER bytes.
fn pem_block(text: &str, path: &Path) -> Result<(String, Vec<u8>), KeyError> {
    let begin = text
        .find("-----BEGIN ")
        .ok_or_else(|| format_error(path, "not a PEM file (no -----BEGIN line)"))?;
    let rest = &text[begin + 11..];
    let label_end = rest
        .find("-----")
        .ok_or_else(|| format_error(path, "malformed PEM header"))?;
    let label = rest[..label_end].to_string();
    let body_start = label_end + 5;
    let end_marker = format!("-----END {label}-----");
    let body_end = rest[body_start..]
        .find(&end_marker)
        .ok_or_else(|| format_error(path, format!("no {end_marker} line")))?;
    let b64: String = rest[body_start..body_start + body_end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = B64
        .decode(b64)
        .map_err(|e| format_error(path, format!("PEM body is not base64: {e}")))?;
    Ok((label, der))
}

/// Wraps DER in a PEM block with 64-column lines.
pub fn to_pem(label: &str, der: &[u8]) -> String {
    let b64 = B64.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Envelope {
    kdf: Kdf,
    cipher: Cipher,
    ciphertext: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Kdf {
    name: String,
    params: ScryptParams,
    salt: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ScryptParams {
    #[serde(rename = "N")]
    n: u64,
    r: u32,
    p: u32,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Cipher {
    name: String,
    nonce: String,
}

fn derive(password: &[u8], salt: &[u8], log_n: u8, r: u32, p: u32) -> Result<[u8; 32], String> {
    let params = scrypt::Params::new(log_n, r, p).map_err(|e| e.to_string())?;
    let mut key = [0u8; 32];
    scrypt::scrypt(password, salt, &params, &mut key).map_err(|e| e.to_string())?;
    Ok(key)
}

fn decrypt(envelope: &[u8], password: &[u8], path: &Path) -> Result<Vec<u8>, KeyError> {
    use crypto_secretbox::aead::{Aead, KeyInit};
    let env: Envelope = serde_json::from_slice(envelope)
        .map_err(|e| format_error(path, format!("encrypted key is not cosign's JSON: {e}")))?;
    if env.kdf.name != "scrypt" || env.cipher.name != "nacl/secretbox" {
        return Err(format_error(
            path,
            format!(
                "unsupported encryption {} / {} (cosign uses scrypt / nacl/secretbox)",
                env.kdf.name, env.cipher.name
            ),
        ));
    }
    let n = env.kdf.params.n;
    if !n.is_power_of_two() || !(2..=1 << 22).contains(&n) {
        return Err(format_error(
            path,
            format!("scrypt N = {n} is not a power of two in range"),
        ));
    }
    let b64 = |what: &str, s: &str| {
        B64.decode(s)
            .map_err(|e| format_error(path, format!("{what} is not base64: {e}")))
    };
    let salt = b64("salt", &env.kdf.salt)?;
    let nonce = b64("nonce", &env.cipher.nonce)?;
    let ct = b64("ciphertext", &env.ciphertext)?;
    if nonce.len() != 24 {
        return Err(format_error(path, "the secretbox nonce is not 24 bytes"));
    }
    let key = derive(
        password,
        &salt,
        n.trailing_zeros() as u8,
        env.kdf.params.r,
        env.kdf.params.p,
    )
    .map_err(|e| format_error(path, format!("scrypt parameters: {e}")))?;
    let cipher = crypto_secretbox::XSalsa20Poly1305::new(&key.into());
    cipher
        .decrypt(crypto_secretbox::Nonce::from_slice(&nonce), ct.as_slice())
        .map_err(|_| KeyError::WrongPassword {
            path: path.to_path_buf(),
        })
}

fn random<const N: usize>() -> Result<[u8; N], KeyError> {
    let mut b = [0u8; N];
    aws_lc_rs::rand::fill(&mut b).map_err(|_| KeyError::Crypto("no randomness".into()))?;
    Ok(b)
}

impl SigningKey {
    /// Reads a private key from PEM: PKCS#8 `PRIVATE KEY`, or cosign's
    /// encrypted format, for which `password` is asked (once, and only
    /// then).
    pub fn from_pem(
        bytes: &[u8],
        path: &Path,
        password: impl FnOnce() -> Result<String, String>,
    ) -> Result<SigningKey, KeyError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| format_error(path, "not a PEM file (not text)"))?;
        let (label, der) = pem_block(text, path)?;
        let pkcs8 = match label.as_str() {
            "PRIVATE KEY" => der,
            ENCRYPTED_LABEL | ENCRYPTED_LABEL_OLD => {
                let pw = password().map_err(|e| format_error(path, e))?;
                decrypt(&der, pw.as_bytes(), path)?
            }
            "EC PRIVATE KEY" | "RSA PRIVATE KEY" | "OPENSSH PRIVATE KEY" => {
                return Err(format_error(
                    path,
                    format!(
                        "{label} is not supported: convert it to PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`) or import it with `cosign import-key-pair`"
                    ),
                ));
            }
            other => {
                return Err(format_error(
                    path,
                    format!("a {other} PEM block is not a private key"),
                ));
            }
        };
        SigningKey::from_pkcs8(pkcs8, path)
    }

    /// A key from PKCS#8 DER.
    pub fn from_pkcs8(pkcs8: Vec<u8>, path: &Path) -> Result<SigningKey, KeyError> {
        let (inner, spki) = if let Ok(k) =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8)
        {
            let spki = k
                .public_key()
                .as_der()
                .map_err(|_| crypto("P-256 public key"))?;
            let spki = spki.as_ref().to_vec();
            (Inner::P256(k), spki)
        } else if let Ok(k) = Ed25519KeyPair::from_pkcs8(&pkcs8) {
            let spki = k
                .public_key()
                .as_der()
                .map_err(|_| crypto("Ed25519 public key"))?;
            let spki = spki.as_ref().to_vec();
            (Inner::Ed25519(k), spki)
        } else if let Ok(k) = RsaKeyPair::from_pkcs8(&pkcs8) {
            if k.public_modulus_len() < 256 {
                return Err(format_error(path, "RSA keys under 2048 bits are refused"));
            }
            let spki = k
                .public_key()
                .as_der()
                .map_err(|_| crypto("RSA public key"))?;
            let spki = spki.as_ref().to_vec();
            (Inner::Rsa(k), spki)
        } else {
            return Err(format_error(
                path,
                "not an ECDSA P-256, Ed25519 or RSA private key (PKCS#8)",
            ));
        };
        Ok(SigningKey { inner, pkcs8, spki })
    }

    /// A new ECDSA P-256 key, as `cosign generate-key-pair` makes.
    pub fn generate_p256() -> Result<SigningKey, KeyError> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let doc = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
            .map_err(|_| crypto("generating a P-256 key"))?;
        SigningKey::from_pkcs8(doc.as_ref().to_vec(), Path::new("(generated)"))
    }

    /// The key's algorithm.
    pub fn kind(&self) -> KeyKind {
        match self.inner {
            Inner::P256(_) => KeyKind::EcdsaP256,
            Inner::Ed25519(_) => KeyKind::Ed25519,
            Inner::Rsa(_) => KeyKind::Rsa,
        }
    }

    /// The public key, PKIX DER.
    pub fn public_key_der(&self) -> &[u8] {
        &self.spki
    }

    /// The public key as cosign writes it (`cosign.pub`).
    pub fn public_key_pem(&self) -> String {
        to_pem("PUBLIC KEY", &self.spki)
    }

    /// The bundle's public-key hint: base64 of the SHA-256 of the public
    /// key's DER, as cosign writes it.
    pub fn hint(&self) -> String {
        B64.encode(sha2::Sha256::digest(&self.spki))
    }

    /// The private key in cosign's encrypted format (`cosign.key`).
    pub fn encrypted_pem(&self, password: &str) -> Result<String, KeyError> {
        use crypto_secretbox::aead::{Aead, KeyInit};
        let salt: [u8; 32] = random()?;
        let nonce: [u8; 24] = random()?;
        let key =
            derive(password.as_bytes(), &salt, SCRYPT_LOG_N, 8, 1).map_err(KeyError::Crypto)?;
        let cipher = crypto_secretbox::XSalsa20Poly1305::new(&key.into());
        let ct = cipher
            .encrypt(
                crypto_secretbox::Nonce::from_slice(&nonce),
                self.pkcs8.as_slice(),
            )
            .map_err(|_| crypto("encrypting the key"))?;
        let env = Envelope {
            kdf: Kdf {
                name: "scrypt".into(),
                params: ScryptParams {
                    n: 1 << SCRYPT_LOG_N,
                    r: 8,
                    p: 1,
                },
                salt: B64.encode(salt),
            },
            cipher: Cipher {
                name: "nacl/secretbox".into(),
                nonce: B64.encode(nonce),
            },
            ciphertext: B64.encode(ct),
        };
        let json = serde_json::to_vec(&env).map_err(|e| KeyError::Crypto(e.to_string()))?;
        Ok(to_pem(ENCRYPTED_LABEL, &json))
    }

    /// Signs an artifact's SHA-256 digest (a Sigstore message signature):
    /// ECDSA P-256 only, which signs the digest itself.
    pub fn sign_digest(&self, sha256: &[u8; 32]) -> Result<Vec<u8>, KeyError> {
        let digest = LcDigest::import_less_safe(sha256, &SHA256)
            .map_err(|_| crypto("importing the digest"))?;
        match &self.inner {
            Inner::P256(k) => k
                .sign_digest(&digest)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| crypto("ECDSA signing")),
            Inner::Ed25519(_) | Inner::Rsa(_) => Err(KeyError::Unsupported(format!(
                "a {:?} key cannot sign a blob from its digest (Sigstore verifiers check Ed25519 over the whole artifact): use an ECDSA P-256 key, or `attest`",
                self.kind()
            ))),
        }
    }

    /// Signs a message (a DSSE envelope's PAE, small): ECDSA P-256 with
    /// SHA-256, Ed25519, or RSA PKCS#1 v1.5 with SHA-256.
    pub fn sign_message(&self, msg: &[u8]) -> Result<Vec<u8>, KeyError> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        match &self.inner {
            Inner::P256(k) => k
                .sign(&rng, msg)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| crypto("ECDSA signing")),
            Inner::Ed25519(k) => Ok(k.sign(msg).as_ref().to_vec()),
            Inner::Rsa(k) => {
                let mut sig = vec![0u8; k.public_modulus_len()];
                k.sign(&signature::RSA_PKCS1_SHA256, &rng, msg, &mut sig)
                    .map_err(|_| crypto("RSA signing"))?;
                Ok(sig)
            }
        }
    }
}

fn crypto(what: &str) -> KeyError {
    KeyError::Crypto(what.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_keys_round_trip_and_refuse_a_wrong_password() {
        let k = SigningKey::generate_p256().unwrap();
        let pem = k.encrypted_pem("s3cret").unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"));
        let p = Path::new("cosign.key");
        let back = SigningKey::from_pem(pem.as_bytes(), p, || Ok("s3cret".into())).unwrap();
        assert_eq!(back.public_key_der(), k.public_key_der());
        let e = SigningKey::from_pem(pem.as_bytes(), p, || Ok("nope".into())).unwrap_err();
        assert!(matches!(e, KeyError::WrongPassword { .. }), "{e}");
        // The older label reads the same.
        let old = pem.replace(ENCRYPTED_LABEL, ENCRYPTED_LABEL_OLD);
        SigningKey::from_pem(old.as_bytes(), p, || Ok("s3cret".into())).unwrap();
    }

    #[test]
    fn bad_key_files_name_the_file() {
        let p = Path::new("k.pem");
        for (text, needle) in [
            ("hello", "no -----BEGIN"),
            (
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                "not a private key",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----\n",
                "not base64",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "not an ECDSA",
            ),
            (
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
                "PKCS#8",
            ),
        ] {
            let e = SigningKey::from_pem(text.as_bytes(), p, || Ok(String::new())).unwrap_err();
            let s = e.to_string();
            assert!(s.starts_with("k.pem: ") && s.contains(needle), "{s}");
        }
    }

    #[test]
    fn p256_signs_digests_and_messages_that_verify() {
        let k = SigningKey::generate_p256().unwrap();
        let msg = b"hello";
        let d: [u8; 32] = sha2::Sha256::digest(msg).into();
        let sig = k.sign_digest(&d).unwrap();
        // The SPKI of a P-256 key ends with the 65-byte uncompressed point.
        let spki = k.public_key_der();
        let point = &spki[spki.len() - 65..];
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, point)
            .verify(msg, &sig)
            .unwrap();
        let sig2 = k.sign_message(msg).unwrap();
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, point)
            .verify(msg, &sig2)
            .unwrap();
        assert_eq!(k.hint().len(), 44);
    }
}
