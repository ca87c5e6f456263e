//! `apostille verify DIR|FILE…`: every attestation of a download, one
//! read per artifact, one line per check, one verdict per artifact naming
//! who vouches for it.

use apostille_digest::Engine;

use apostille_verify::download::{self, Download, Report, Requirements, Status, Trust, Verdict};
use apostille_verify::pgp::{Keyring, Requirement, standard_policy};

use crate::Outcome;
use crate::cli::VerifyAllArgs;
use crate::output::{Out, warn};

/// Runs the whole-download check. Exit status: 0 when every artifact is
/// VERIFIED (or INTEGRITY ONLY under `--allow-integrity-only`), 1
/// otherwise, 2 for unusable inputs (a KEYS file, key, trusted root or
/// policy file that cannot be read). The verdict is decided before
/// anything is printed, so a closed output pipe cannot change it.
pub fn verify(engine: &Engine, args: &VerifyAllArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let report = check(engine, args, quiet)?;
    let outcome = if report.passed() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    };
    print(&report, args.json, quiet)?;
    Ok(outcome)
}

/// The whole-download check the flags describe, decided, not printed
/// (`promote` acts on it). An error for unusable inputs.
pub fn check(engine: &Engine, args: &VerifyAllArgs, quiet: bool) -> anyhow::Result<Report> {
    let mut requirements = match &args.policy {
        Some(p) => {
            let text = apostille_digest::input::read_input_string(p)?;
            Requirements::from_toml(&text, p)?
        }
        None => Requirements::default(),
    };
    requirements
        .add_required(&args.require)
        .map_err(|e| anyhow::anyhow!("--require: {e}"))?;
    requirements.ignore_missing |= args.ignore_missing;
    requirements.allow_weak |= args.allow_weak;
    requirements.allow_integrity_only |= args.allow_integrity_only;

    let keyring = if args.keys.is_empty() {
        None
    } else {
        let mut ring = Keyring::default();
        for k in &args.keys {
            let data = apostille_digest::input::read_input(k)?;
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
            if r.certs.is_empty() {
                anyhow::bail!("{}: no usable certificate in this KEYS file", k.display());
            }
            ring.merge(r);
        }
        Some(ring)
    };
    let pgp_policy = standard_policy(args.allow_sha1_bindings);
    let pgp_requirement = Requirement {
        min_good: args.min_signatures,
        signers: args.signers.clone(),
    };

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
        keys_files: &args.keys,
        pgp_policy: &pgp_policy,
        pgp_requirement: &pgp_requirement,
        sigstore: sigstore.as_ref(),
        trusted_root: &trusted_root,
        attestation: &attestation,
        requirements: &requirements,
    };
    Ok(download::verify(engine, &found, &trust))
}

/// Prints `report` (JSON with `json`), as `verify` does.
pub fn print(report: &Report, json: bool, quiet: bool) -> anyhow::Result<()> {
    let mut out = Out::new();
    if json {
        let mut v = serde_json::to_vec_pretty(&report.to_json())?;
        v.push(b'\n');
        out.bytes(&v)?;
    } else {
        out.bytes(text(report, quiet).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

fn line(c: &download::Check) -> String {
    let who = c
        .signer
        .as_deref()
        .map(|s| format!(" — signed by {s}"))
        .unwrap_or_default();
    let vouched = c
        .vouched_by
        .as_deref()
        .map(|v| format!(" ← {v}"))
        .unwrap_or_default();
    format!(
        "  {:<8} {:<11} {}: {}{who}{vouched}\n",
        c.status.as_str(),
        c.kind.as_str(),
        c.place(),
        c.detail
    )
}

/// The report as a person reads it: per artifact its verdict and reason,
/// then one line per check. `quiet`: verified artifacts and passing
/// checks about the download's documents are left out; the verdict line
/// stays.
fn text(r: &Report, quiet: bool) -> String {
    let mut s = String::new();
    for a in &r.artifacts {
        if quiet && a.verdict == Verdict::Verified {
            continue;
        }
        s.push_str(&format!(
            "{}: {} — {}\n",
            a.path.display(),
            a.verdict.as_str(),
            a.reason
        ));
        for c in &a.checks {
            s.push_str(&line(c));
        }
        for k in &a.unmet_requirements {
            s.push_str(&format!(
                "  FAIL     {:<11} required, but no {k} chain vouches for this file\n",
                k.as_str()
            ));
        }
    }
    let general: Vec<_> = r
        .general
        .iter()
        .filter(|c| !quiet || c.status != Status::Pass)
        .collect();
    if !general.is_empty() {
        s.push_str("(the download's lists, signatures and documents)\n");
        for c in general {
            s.push_str(&line(c));
        }
    }
    for k in &r.key_material {
        s.push_str(&format!(
            "note: {} holds {}: key material inside a download is never trusted by being there; pass it with --keys (or --key) only if you know it is the project's\n",
            k.path.display(),
            k.what
        ));
    }
    let c = r.counts();
    let n = |st: Status| c.checks.get(&st).copied().unwrap_or(0);
    s.push_str(&format!(
        "verdict: {} — {} artifact(s): {} verified, {} integrity only, {} not authenticated, {} failed; checks: {} pass, {} FAIL, {} warn, {} weak, {} skipped\n",
        r.verdict().as_str(),
        r.artifacts.len(),
        c.verified,
        c.integrity_only,
        c.not_authenticated,
        c.failed,
        n(Status::Pass),
        n(Status::Fail),
        n(Status::Warn),
        n(Status::Weak),
        n(Status::Skipped),
    ));
    s
}
