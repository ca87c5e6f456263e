//! Auditing a KEYS file: for each certificate its algorithm and size,
//! expiry, revocation, SHA-1 self-signatures, and the Apache release policy
//! (RSA keys MUST have at least 2048 bits and new keys SHOULD have 4096);
//! duplicates and blocks that cannot be used are reported, never fatal.

use std::time::SystemTime;

use apostille_formats::keys::{Keyring, algo_name};
use openpgp::cert::Cert;
use openpgp::policy::Policy;
use openpgp::types::{HashAlgorithm, PublicKeyAlgorithm, RevocationStatus};
use sequoia_openpgp as openpgp;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// For information (an expired key of a past release manager).
    Info,
    /// A SHOULD of the policy is not met.
    Warn,
    /// A MUST of the policy is not met by a key still in use.
    Fail,
}

/// One finding about one certificate.
#[derive(Clone, Debug)]
pub struct Finding {
    /// How serious.
    pub level: Level,
    /// What.
    pub message: String,
}

/// The audit of one certificate.
#[derive(Clone, Debug)]
pub struct CertAudit {
    /// Primary fingerprint.
    pub fingerprint: String,
    /// First user ID.
    pub user_id: String,
    /// `rsa4096`, `ed25519`, …
    pub algorithm: String,
    /// Findings, most serious first.
    pub findings: Vec<Finding>,
}

/// Audits every certificate of `ring` at time `now`.
pub fn audit(ring: &Keyring, policy: &dyn Policy, now: SystemTime) -> Vec<CertAudit> {
    ring.certs
        .iter()
        .map(|c| audit_cert(c, ring, policy, now))
        .collect()
}

fn audit_cert(cert: &Cert, ring: &Keyring, policy: &dyn Policy, now: SystemTime) -> CertAudit {
    let primary = cert.primary_key().key();
    let bits = primary.mpis().bits();
    let algorithm = algo_name(primary.pk_algo(), bits);
    let mut findings = Vec::new();
    let mut push = |level, message: String| findings.push(Finding { level, message });

    let (in_use, vc) = match cert.with_policy(policy, now) {
        Ok(vc) => (true, Some(vc)),
        Err(e) => (false, {
            push(
                Level::Info,
                format!("not valid now under the standard policy: {e}"),
            );
            None
        }),
    };
    let mut in_use = in_use;
    if let Some(vc) = &vc {
        if let RevocationStatus::Revoked(_) = vc.revocation_status() {
            in_use = false;
            push(Level::Info, "revoked".into());
        }
        if let Err(e) = vc.alive() {
            in_use = false;
            push(Level::Info, format!("expired or not yet valid: {e}"));
        } else if let Some(exp) = vc.primary_key().key_expiration_time() {
            push(
                Level::Info,
                format!("expires {}", apostille_formats::time::utc(exp)),
            );
        }
    }
    #[allow(deprecated)]
    let is_rsa = matches!(
        primary.pk_algo(),
        PublicKeyAlgorithm::RSAEncryptSign | PublicKeyAlgorithm::RSASign
    );
    let must = if in_use { Level::Fail } else { Level::Info };
    match (is_rsa, bits) {
        (true, Some(b)) if b < 2048 => push(
            must,
            format!("RSA {b} bits: the Apache policy says keys MUST have at least 2048"),
        ),
        (true, Some(b)) if b < 4096 => push(
            Level::Warn,
            format!("RSA {b} bits: the Apache policy says new keys SHOULD have 4096"),
        ),
        (true, _) => {}
        (false, _) => push(
            if in_use { Level::Warn } else { Level::Info },
            format!("{algorithm}: the Apache policy asks for RSA keys"),
        ),
    }
    let sha1_bindings = cert
        .userids()
        .flat_map(|u| u.self_signatures().collect::<Vec<_>>())
        .chain(
            cert.keys()
                .subkeys()
                .flat_map(|k| k.self_signatures().collect::<Vec<_>>()),
        )
        .filter(|s| s.hash_algo() == HashAlgorithm::SHA1)
        .count();
    if sha1_bindings > 0 {
        push(
            Level::Warn,
            format!(
                "{sha1_bindings} self-signature(s) use SHA-1; the standard policy (and sqv) refuses SHA-1 key bindings since 2023-02-01, whatever their age; refresh them with SHA-256 or better"
            ),
        );
    }
    let fpr = cert.fingerprint().to_hex();
    if ring.duplicates.contains(&fpr) {
        push(
            Level::Warn,
            "appears more than once in the KEYS file".into(),
        );
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    CertAudit {
        fingerprint: fpr,
        user_id: cert
            .userids()
            .next()
            .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned())
            .unwrap_or_default(),
        algorithm,
        findings,
    }
}
