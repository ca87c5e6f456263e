//! `apostille promote DIR --to VERSION`: verify the release candidate,
//! then promote it in place (`apostille_sign::release::promote`) from what
//! that one read computed.

use anyhow::bail;
use apostille_digest::Engine;
use apostille_sign::release::promote::{self, PromoteOptions, Verified};
use apostille_verify::download::Verdict;

use crate::Outcome;
use crate::cli::PromoteArgs;
use crate::commands::sign::{KeySource, load_key};
use crate::commands::{download, release, sigstore};
use crate::output::{Out, warn};

/// Exit status: 0 promoted; 1 the candidate does not verify (nothing is
/// changed); 2 unusable inputs.
pub fn run(engine: &Engine, args: &PromoteArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let [dir] = args.verify.paths.as_slice() else {
        bail!("promote takes one release folder");
    };
    // The signers first: a key that cannot be used stops before the read.
    let pgp = load_key(&KeySource {
        key: args.pgp_key.as_deref(),
        agent: None,
        cert: None,
        gnupg_home: None,
        passphrase_file: args.passphrase_file.as_deref(),
        passphrase_env: None,
        hash: "sha512",
    })?;
    if let Some(key) = &pgp {
        match args.verify.keys.first() {
            Some(k) => {
                let note = release::check_in_keys(key, k)?;
                if !quiet {
                    warn(format_args!("{note}"));
                }
            }
            None => bail!("--pgp-key: give the project's KEYS (--keys) to check it against"),
        }
    }
    let signer = match &args.sigstore_key {
        Some(p) => Some(apostille_sign::sigstore::Signer::Key(sigstore::load_key(
            p,
        )?)),
        None => None,
    };

    // The candidate, verified: every artifact VERIFIED.
    let report = download::check(engine, &args.verify, quiet)?;
    let failed: Vec<String> = report
        .artifacts
        .iter()
        .filter(|a| a.verdict != Verdict::Verified)
        .map(|a| format!("{}: {}", a.path.display(), a.verdict.as_str()))
        .collect();
    if !report.passed() || !failed.is_empty() {
        download::print(&report, args.verify.json, quiet)?;
        warn(format_args!(
            "apostille: promotion refused, nothing changed: the candidate does not verify{}",
            failed
                .iter()
                .map(|f| format!("\n  {f}"))
                .collect::<String>()
        ));
        return Ok(Outcome::CheckFailed);
    }
    let mut verified = Vec::new();
    for a in &report.artifacts {
        let Some((size, digests)) = a.hashed else {
            bail!(
                "{}: verified, but its digests are unknown",
                a.path.display()
            );
        };
        let name = a
            .path
            .strip_prefix(dir)
            .unwrap_or(&a.path)
            .to_string_lossy()
            .into_owned();
        verified.push(Verified {
            name,
            size,
            digests,
        });
    }
    let promoted = promote::run(
        engine,
        dir,
        &verified,
        PromoteOptions {
            from: args.from.clone(),
            to: args.to.clone(),
            tag: args.tag.clone(),
            pgp,
            signer,
            epoch: sigstore::source_date_epoch()?,
        },
    )?;
    if !quiet {
        let mut out = Out::new();
        let mut s = format!(
            "promoted {} → {} in {} ({} artifact(s) verified first)\n",
            promoted.from,
            promoted.to,
            dir.display(),
            verified.len()
        );
        for (a, b) in &promoted.renamed {
            if a != b {
                s.push_str(&format!("  {a} → {b}\n"));
            }
        }
        for o in &promoted.outputs {
            s.push_str(&format!("  {:<40} {}\n", o.name, o.kind.as_str()));
        }
        for r in &promoted.removed {
            s.push_str(&format!("  removed {r} (replaced)\n"));
        }
        out.bytes(s.as_bytes())?;
        out.flush()?;
    }
    Ok(Outcome::Ok)
}
