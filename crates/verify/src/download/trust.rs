//! From findings to verdicts: which chains of evidence lead from a trust
//! input to each artifact's bytes (`docs/verify.md`, "The trust model").
//!
//! * A signature that holds (OpenPGP by trusted keys, a Sigstore bundle by
//!   the required identity) vouches for the file it is about.
//! * A checksum line or SBOM entry that matches vouches for its file only
//!   when such a signature vouches for the list or document it came from;
//!   otherwise it shows integrity only.
//! * A failing signature over a list fails every file the list vouches
//!   for: its lines no longer mean anything.

use std::collections::HashMap;
use std::path::PathBuf;

use super::checks::{Finding, key};
use super::{ArtifactReport, Chain, Check, Download, Kind, Link, Report, Status, Trust, Verdict};

/// Turns the findings of a run into the report.
pub(super) fn decide(download: &Download, trust: &Trust<'_>, findings: Vec<Finding>) -> Report {
    let req = trust.requirements;
    // What vouches for (or fails) each document, from signatures about it.
    let mut doc_chains: HashMap<PathBuf, Vec<Chain>> = HashMap::new();
    let mut doc_failures: HashMap<PathBuf, Vec<Check>> = HashMap::new();
    let mut doc_skipped: HashMap<PathBuf, Vec<Check>> = HashMap::new();
    for f in &findings {
        let Some(about) = &f.about else { continue };
        if let Some(v) = &f.vouch {
            doc_chains.entry(about.clone()).or_default().push(Chain {
                root: v.root,
                signer: v.signer.clone(),
                links: vec![v.link.clone()],
            });
        }
        if f.check.kind.is_signature() {
            match f.check.status {
                Status::Fail => doc_failures
                    .entry(about.clone())
                    .or_default()
                    .push(f.check.clone()),
                Status::Skipped => doc_skipped
                    .entry(about.clone())
                    .or_default()
                    .push(f.check.clone()),
                _ => {}
            }
        }
    }

    struct Acc {
        checks: Vec<Check>,
        chains: Vec<Chain>,
        hints: Vec<String>,
    }
    let mut per: HashMap<PathBuf, Acc> = download
        .artifacts
        .iter()
        .map(|a| {
            (
                key(a),
                Acc {
                    checks: Vec::new(),
                    chains: Vec::new(),
                    hints: Vec::new(),
                },
            )
        })
        .collect();
    let mut general = Vec::new();

    for f in findings {
        let Finding {
            about,
            mut check,
            vouch,
            document,
        } = f;
        let mut chains = Vec::new();
        let mut extra = Vec::new();
        let mut hints = Vec::new();
        if let Some(v) = vouch {
            chains.push(Chain {
                root: v.root,
                signer: v.signer,
                links: vec![v.link],
            });
        }
        if let Some(doc) = &document
            && check.status == Status::Pass
        {
            let line_link = Link {
                source: check.source.clone(),
                line: check.line,
                what: String::new(),
            };
            let found = doc_chains.get(doc).map(Vec::as_slice).unwrap_or_default();
            if !found.is_empty() {
                check.vouched_by = Some(
                    found
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                for c in found {
                    let mut links = vec![line_link.clone()];
                    links.extend(c.links.iter().cloned());
                    chains.push(Chain {
                        root: c.root,
                        signer: c.signer.clone(),
                        links,
                    });
                }
            } else {
                for s in doc_skipped.get(doc).into_iter().flatten() {
                    hints.extend(s.remedy.clone());
                }
            }
            // A signature over the list that does not hold fails every
            // file the list names, even beside one that holds: something
            // is wrong with the list or the release.
            for fail in doc_failures.get(doc).into_iter().flatten() {
                let mut c = fail.clone();
                c.detail = format!(
                    "{} — a signature over {}, whose line for this file matches, does not hold",
                    c.detail,
                    check.source.display()
                );
                extra.push(c);
            }
        }
        if check.kind.is_signature() && check.status == Status::Skipped {
            hints.extend(check.remedy.clone());
        }
        match about.as_ref().and_then(|a| per.get_mut(a)) {
            Some(acc) => {
                acc.checks.push(check);
                // A list names a file on several lines (a `.dsc`: SHA-1,
                // SHA-256, MD5): its signature's failure is told once.
                for c in extra {
                    let told = acc
                        .checks
                        .iter()
                        .any(|k| k.source == c.source && k.detail == c.detail);
                    if !told {
                        acc.checks.push(c);
                    }
                }
                acc.chains.extend(chains);
                acc.hints.extend(hints);
            }
            None => general.push(check),
        }
    }

    let mut report = Report {
        general,
        key_material: download
            .key_material
            .iter()
            .filter(|k| !trust.keys_files.iter().any(|g| key(g) == key(&k.path)))
            .cloned()
            .collect(),
        ..Report::default()
    };
    for a in &download.artifacts {
        let Some(acc) = per.remove(&key(a)) else {
            continue;
        };
        let Acc {
            checks,
            chains,
            mut hints,
        } = acc;
        let unmet: Vec<Kind> = req
            .require
            .iter()
            .copied()
            .filter(|k| {
                if k.is_signature() {
                    !chains.iter().any(|c| c.root == *k)
                } else {
                    !checks
                        .iter()
                        .any(|c| c.kind == *k && c.status == Status::Pass)
                }
            })
            .collect();
        let failed = checks.iter().find(|c| c.status == Status::Fail);
        let integrity = checks.iter().find(|c| c.status == Status::Pass);
        hints.dedup();
        let (verdict, reason) = if let Some(c) = failed {
            (Verdict::Failed, format!("{}: {}", c.place(), c.detail))
        } else if let Some(k) = unmet.first() {
            (
                Verdict::Failed,
                format!("{k} is required, but no {k} chain vouches for this file"),
            )
        } else if let Some(c) = chains.first() {
            (Verdict::Verified, c.to_string())
        } else if let Some(c) = integrity {
            let what = if hints.is_empty() {
                "nothing signs it, or a list that names it, with a key or identity you gave"
                    .to_string()
            } else {
                hints.join("; ")
            };
            let verdict = if req.allow_integrity_only {
                Verdict::IntegrityOnly
            } else {
                Verdict::NotAuthenticated
            };
            (
                verdict,
                format!(
                    "{} matches, but no trusted signer vouches for it: {what}",
                    c.place()
                ),
            )
        } else if !hints.is_empty() {
            (Verdict::NotAuthenticated, hints.join("; "))
        } else if checks.iter().any(|c| c.status == Status::Weak) {
            (
                Verdict::NotAuthenticated,
                "only MD5/SHA-1 checksums name it, which are too weak to count".into(),
            )
        } else {
            (
                Verdict::NotAuthenticated,
                "no checksum, signature or attestation names this file".into(),
            )
        };
        report.artifacts.push(ArtifactReport {
            path: a.clone(),
            verdict,
            reason,
            chains,
            checks,
            unmet_requirements: unmet,
            hashed: None,
        });
    }
    report
}
