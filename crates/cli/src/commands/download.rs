//! `apostille verify DIR|FILE…`: every attestation of a download, one
//! read per artifact, one line per check, one verdict.

use anyhow::Context;
use apostille_digest::Engine;

use apostille_verify::download::{self, Download, Report, Requirements, Status, Trust};
use apostille_verify::pgp::{Keyring, standard_policy};

use crate::Outcome;
use crate::cli::VerifyAllArgs;
use crate::output::{Out, warn};

/// Runs the whole-download check. Exit status: 0 when every required
/// check passed and none failed, 1 otherwise, 2 for unusable inputs (a
/// KEYS file, key, trusted root or policy file that cannot be read).
pub fn verify(engine: &Engine, args: &VerifyAllArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let mut requirements = match &args.policy {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read policy", p.display()))?;
            Requirements::from_toml(&text, p)?
        }
        None => Requirements::default(),
    };
    requirements
        .add_required(&args.require)
        .map_err(|e| anyhow::anyhow!("--require: {e}"))?;
    requirements.ignore_missing |= args.ignore_missing;
    requirements.allow_weak |= args.allow_weak;

    let keyring = if args.keys.is_empty() {
        None
    } else {
        let mut ring = Keyring::default();
        for k in &args.keys {
            let data = std::fs::read(k).with_context(|| format!("{}: cannot read", k.display()))?;
            let r = Keyring::from_keys_file(&data);
            if !quiet {
                for s in &r.skipped {
                    warn(format_args!(
                        "{}:{}: key skipped: {}",
                        k.display(),
                        s.line,
                        s.reason
                    ));
                }
            }
            ring.merge(r);
        }
        if ring.certs.is_empty() {
            anyhow::bail!("no usable certificate in the KEYS file(s)");
        }
        Some(ring)
    };
    let pgp_policy = standard_policy(args.allow_sha1_bindings);

    // Bundles are checked only when a signer is named; the trusted root
    // is needed either way for the verdict lines.
    let t = &args.sigstore;
    let named = t.key.is_some()
        || t.certificate_identity.is_some()
        || t.certificate_identity_regexp.is_some();
    let (root_bytes, key_bytes) = super::bundle::read_trust(t)?;
    let (trusted_root, policy) = super::bundle::trust_policy(t, root_bytes, key_bytes)?;
    let sigstore = named.then_some(policy);
    let attestation = super::bundle::attestation_policy(&args.attestation);

    let found = Download::discover(&args.paths)?;
    let trust = Trust {
        keyring: keyring.as_ref(),
        pgp_policy: &pgp_policy,
        sigstore: sigstore.as_ref(),
        trusted_root: &trusted_root,
        attestation: &attestation,
        requirements: &requirements,
    };
    let report = download::verify(engine, &found, &trust);
    let mut out = Out::new();
    if args.json {
        out.bytes(&json(&report))?;
    } else {
        out.bytes(text(&report).as_bytes())?;
    }
    out.flush()?;
    Ok(if report.passed() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

fn line(c: &download::Check) -> String {
    let who = c
        .signer
        .as_deref()
        .map(|s| format!(" — signed by {s}"))
        .unwrap_or_default();
    format!(
        "  {:<8} {:<11} {}: {}{who}\n",
        c.status.as_str(),
        c.kind.as_str(),
        c.source.display(),
        c.detail
    )
}

/// The report as a person reads it: per artifact one line per check.
fn text(r: &Report) -> String {
    let mut s = String::new();
    for a in &r.artifacts {
        let verdict = if a.passed() { "OK" } else { "FAILED" };
        s.push_str(&format!("{}: {verdict}\n", a.path.display()));
        if a.checks.is_empty() {
            s.push_str("  FAIL     -           no attestation names this file\n");
        }
        for c in &a.checks {
            s.push_str(&line(c));
        }
        for k in &a.unmet {
            s.push_str(&format!(
                "  FAIL     {:<11} required, but no {k} check passed\n",
                k.as_str()
            ));
        }
    }
    if !r.general.is_empty() {
        s.push_str("(not tied to an artifact of the download)\n");
        for c in &r.general {
            s.push_str(&line(c));
        }
    }
    for k in &r.keys_files {
        s.push_str(&format!(
            "note: {} was found but not trusted; pass it with --keys if it is the project's\n",
            k.display()
        ));
    }
    let counts = r.counts();
    let n = |st: Status| counts.get(&st).copied().unwrap_or(0);
    s.push_str(&format!(
        "verdict: {} — {} artifact(s); checks: {} pass, {} FAIL, {} weak, {} skipped\n",
        if r.passed() { "VERIFIED" } else { "FAILED" },
        r.artifacts.len(),
        n(Status::Pass),
        n(Status::Fail),
        n(Status::Weak),
        n(Status::Skipped),
    ));
    s
}

fn check_json(c: &download::Check) -> serde_json::Value {
    serde_json::json!({
        "kind": c.kind.as_str(),
        "source": c.source.display().to_string(),
        "status": c.status.as_str().to_ascii_lowercase(),
        "signer": c.signer,
        "detail": c.detail,
    })
}

/// The report for machines.
fn json(r: &Report) -> Vec<u8> {
    let v = serde_json::json!({
        "verified": r.passed(),
        "artifacts": r.artifacts.iter().map(|a| serde_json::json!({
            "path": a.path.display().to_string(),
            "verified": a.passed(),
            "checks": a.checks.iter().map(check_json).collect::<Vec<_>>(),
            "unmet_requirements": a.unmet.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "other_checks": r.general.iter().map(check_json).collect::<Vec<_>>(),
        "untrusted_keys_files": r.keys_files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_vec_pretty(&v).unwrap_or_default();
    out.push(b'\n');
    out
}
