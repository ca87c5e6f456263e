//! KEYS files: the certificates of a project's release managers, as
//! armored blocks between free text (`pub`/`uid`/`sub` listings, notes), or
//! a binary keyring.
//!
//! [`Keyring::from_keys_file`] loads every usable certificate and lists the
//! ones it cannot use (PGP 2.x v3 keys, broken blocks) with the reason,
//! instead of failing as a whole; [`listing`] renders the text entry that
//! release managers put above each key.

use std::time::SystemTime;

use openpgp::cert::{Cert, CertParser};
use openpgp::parse::Parse;
use openpgp::policy::Policy;
use openpgp::types::PublicKeyAlgorithm;
use sequoia_openpgp as openpgp;

use crate::armor;

/// A certificate the KEYS file holds but that cannot be used.
#[derive(Clone, Debug)]
pub struct SkippedKey {
    /// Line of the armor block it came from.
    pub line: usize,
    /// Why it was skipped.
    pub reason: String,
}

/// The usable certificates of one or more KEYS files.
#[derive(Debug, Default)]
pub struct Keyring {
    /// Certificates, merged by fingerprint.
    pub certs: Vec<Cert>,
    /// What could not be used, with the reason.
    pub skipped: Vec<SkippedKey>,
    /// Fingerprints met more than once (the copies were merged).
    pub duplicates: Vec<String>,
}

impl Keyring {
    /// Loads every certificate of a KEYS file (armored blocks between free
    /// text, `gpg --enarmor`'s `ARMORED FILE` blocks, or a binary keyring).
    /// Never fails as a whole: every block that yields no certificate is
    /// in [`Keyring::skipped`] with its line and the reason.
    pub fn from_keys_file(data: &[u8]) -> Keyring {
        let mut ring = Keyring::default();
        ring.add_file(data, None, 0);
        ring
    }

    /// `data` at armor depth `depth`; `at` is the line of the outer block
    /// it was decoded from (messages name the line of the file the user
    /// has, not one inside a decoded block).
    fn add_file(&mut self, data: &[u8], at: Option<usize>, depth: usize) {
        let line_of = |l: usize| at.unwrap_or(l);
        let blocks = armor::blocks(data);
        if blocks.is_empty() {
            if data.trim_ascii().is_empty() {
                if at.is_some() {
                    self.skip(line_of(1), "the armored file is empty".into());
                }
                return;
            }
            if armor::looks_binary(data) {
                self.add_block(data, line_of(1));
            } else if data.get(8..12) == Some(b"KBXf") {
                self.skip(
                    line_of(1),
                    "a GnuPG keybox (pubring.kbx), not a keyring: export the keys with \
                     `gpg --export`"
                        .into(),
                );
            } else {
                self.skip(
                    line_of(1),
                    format!("no key here: {}", armor::describe_foreign(data)),
                );
            }
            return;
        }
        for b in blocks {
            let line = line_of(b.line);
            if let Some(end) = &b.mismatched_end {
                self.skip(
                    line,
                    format!(
                        "armor header says `BEGIN PGP {}` but the footer says `END PGP {end}`",
                        b.label
                    ),
                );
                continue;
            }
            if !b.complete {
                self.skip(line, "armor block has no END line".into());
                continue;
            }
            match b.label.as_str() {
                "PUBLIC KEY BLOCK" => self.add_block(b.bytes, line),
                "ARMORED FILE" => match armor::decode(&b) {
                    Ok(armor::Decoded::Binary(bin)) if armor::looks_binary(&bin) => {
                        self.add_block(&bin, line)
                    }
                    Ok(armor::Decoded::Binary(bin)) => self.skip(
                        line,
                        format!(
                            "`ARMORED FILE` block holds {}, not keys",
                            armor::describe_foreign(&bin)
                        ),
                    ),
                    Ok(armor::Decoded::Armored(text)) if depth + 1 < armor::MAX_LAYERS => {
                        self.add_file(&text, Some(line), depth + 1)
                    }
                    Ok(armor::Decoded::Armored(_)) => self.skip(
                        line,
                        format!("armored more than {} times", armor::MAX_LAYERS),
                    ),
                    Err(e) => self.skip(line, e),
                },
                "PRIVATE KEY BLOCK" => self.skip(
                    line,
                    "`PRIVATE KEY BLOCK`: secret key material, not read (a KEYS file must \
                     never hold one; revoke the key if it was published)"
                        .into(),
                ),
                other => self.skip(line, format!("`{other}` block is not a key")),
            }
        }
    }

    fn skip(&mut self, line: usize, reason: String) {
        self.skipped.push(SkippedKey { line, reason });
    }

    /// Adds the certificates of `other` (another KEYS file), merging those
    /// already present; its skipped blocks are the caller's to report.
    pub fn merge(&mut self, other: Keyring) {
        for cert in other.certs {
            self.insert(cert);
        }
    }

    fn add_block(&mut self, bytes: &[u8], line: usize) {
        let parser = match CertParser::from_bytes(bytes) {
            Ok(p) => p,
            Err(e) => {
                self.skipped.push(SkippedKey {
                    line,
                    reason: format!("not an OpenPGP key block: {e}"),
                });
                return;
            }
        };
        for item in parser {
            match item {
                Ok(cert) => self.insert(cert),
                Err(e) => self.skipped.push(SkippedKey {
                    line,
                    reason: unusable_reason(&e),
                }),
            }
        }
    }

    fn insert(&mut self, cert: Cert) {
        if let Some(i) = self
            .certs
            .iter()
            .position(|c| c.fingerprint() == cert.fingerprint())
        {
            self.duplicates.push(cert.fingerprint().to_hex());
            let old = self.certs.swap_remove(i);
            match old.clone().merge_public(cert) {
                Ok(merged) => self.certs.push(merged),
                Err(_) => self.certs.push(old),
            }
        } else {
            self.certs.push(cert);
        }
    }
}

fn unusable_reason(e: &anyhow::Error) -> String {
    let text = format!("{e:#}");
    if text.contains("version 3") || text.contains("v3") || text.contains("Unsupported") {
        format!("cannot be used (PGP 2.x or other unsupported key): {text}")
    } else {
        format!("cannot be used: {text}")
    }
}

/// The `gpg --list-keys`-style text release managers put above each key in
/// KEYS: `pub`, fingerprint, `uid` and `sub` lines.
pub fn listing(cert: &Cert, policy: &dyn Policy) -> String {
    let mut out = String::new();
    let vc = cert.with_policy(policy, None).ok();
    for (i, ka) in cert.keys().enumerate() {
        let key = ka.key();
        let flags = vc
            .as_ref()
            .and_then(|vc| vc.keys().key_handle(key.fingerprint()).next())
            .and_then(|vka| vka.key_flags())
            .map(|f| {
                let mut s = String::new();
                if f.for_signing() {
                    s.push('S');
                }
                if f.for_certification() {
                    s.push('C');
                }
                if f.for_transport_encryption() || f.for_storage_encryption() {
                    s.push('E');
                }
                if f.for_authentication() {
                    s.push('A');
                }
                s
            })
            .unwrap_or_default();
        let head = if i == 0 { "pub" } else { "sub" };
        // gpg's `[expires: DATE]`, `[expired: DATE]` after the flags.
        let expiry = vc
            .as_ref()
            .and_then(|vc| vc.keys().key_handle(key.fingerprint()).next())
            .and_then(|vka| vka.key_expiration_time())
            .map(|t| {
                let word = if t <= SystemTime::now() {
                    "expired"
                } else {
                    "expires"
                };
                format!(" [{word}: {}]", date_utc(t))
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "{head}   {} {} [{flags}]{expiry}\n",
            algo_name(key.pk_algo(), key.mpis().bits()),
            date_utc(key.creation_time())
        ));
        if i == 0 {
            out.push_str(&format!("      {}\n", key.fingerprint().to_hex()));
            for s in cert.primary_key().self_signatures() {
                out.push_str(&sig_line(s, cert));
            }
            for u in cert.userids() {
                out.push_str(&format!(
                    "uid           {}\n",
                    String::from_utf8_lossy(u.userid().value())
                ));
                for s in u.self_signatures().chain(u.certifications()) {
                    out.push_str(&sig_line(s, cert));
                }
            }
        } else if let Some(sub) = cert
            .keys()
            .subkeys()
            .find(|s| s.key().fingerprint() == key.fingerprint())
        {
            for s in sub.self_signatures() {
                out.push_str(&sig_line(s, cert));
            }
        }
    }
    out
}

/// One `sig` line as `gpg --list-sigs` writes it: the certification level
/// (3 for a positive self-certification), the issuer's key ID, the date
/// and the issuer's first user ID when it is this certificate's (gpg's
/// `[User ID not found]` otherwise).
fn sig_line(sig: &openpgp::packet::Signature, cert: &Cert) -> String {
    use openpgp::types::SignatureType as T;
    let level = match sig.typ() {
        T::PersonaCertification => '1',
        T::CasualCertification => '2',
        T::PositiveCertification => '3',
        _ => ' ',
    };
    let issuer = sig
        .get_issuers()
        .first()
        .map(|h| openpgp::KeyID::from(h.clone()).to_hex())
        .unwrap_or_else(|| "0000000000000000".into());
    let own = cert.keys().any(|k| k.key().keyid().to_hex() == issuer);
    let name = if own {
        cert.userids()
            .next()
            .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned())
            .unwrap_or_default()
    } else {
        "[User ID not found]".into()
    };
    let date = sig
        .signature_creation_time()
        .map(date_utc)
        .unwrap_or_else(|| "0000-00-00".into());
    // gpg's flag columns: L not exportable, R not revocable, P policy
    // URL, N notations, X expired.
    let area = sig.hashed_area();
    let flag = |on: bool, c: char| if on { c } else { ' ' };
    let exportable = sig.exportable_certification().unwrap_or(true);
    let revocable = sig.revocable().unwrap_or(true);
    let policy_url = sig.policy_uri().is_some();
    let notations = area
        .iter()
        .chain(sig.unhashed_area().iter())
        .any(|p| p.tag() == openpgp::packet::signature::subpacket::SubpacketTag::NotationData);
    let expired = sig
        .signature_alive(SystemTime::now(), std::time::Duration::ZERO)
        .is_err();
    format!(
        "sig {level} {}{}{}{}{}  {issuer} {date}  {name}\n",
        flag(!exportable, 'L'),
        flag(!revocable, 'R'),
        flag(policy_url, 'P'),
        flag(notations, 'N'),
        flag(expired, 'X'),
    )
}

/// gpg's short name of a key algorithm and size: `rsa4096`, `ed25519`,
/// `dsa1024`, …
// Old KEYS files hold sign-only RSA and DSA keys; naming them is not using
// them.
#[allow(deprecated)]
pub fn algo_name(algo: PublicKeyAlgorithm, bits: Option<usize>) -> String {
    match algo {
        PublicKeyAlgorithm::RSAEncryptSign
        | PublicKeyAlgorithm::RSASign
        | PublicKeyAlgorithm::RSAEncrypt => format!("rsa{}", bits.unwrap_or(0)),
        PublicKeyAlgorithm::EdDSA | PublicKeyAlgorithm::Ed25519 => "ed25519".into(),
        PublicKeyAlgorithm::ECDH | PublicKeyAlgorithm::X25519 => "cv25519".into(),
        PublicKeyAlgorithm::DSA => format!("dsa{}", bits.unwrap_or(0)),
        other => other.to_string().to_lowercase(),
    }
}

/// `YYYY-MM-DD` of a time, UTC.
pub fn date_utc(t: SystemTime) -> String {
    crate::time::utc(t)[..10].to_owned()
}
