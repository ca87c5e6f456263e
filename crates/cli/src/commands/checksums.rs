//! `apostille checksums`: write checksum files.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use apostille_digest::checksum::forbidden_control_character;
use apostille_digest::{Algorithm, AlgorithmSet, Engine, Hashed, Input, ReadKey, ReadPlan};
use apostille_sign::atomic::write_atomic;
use apostille_sign::checksums::{Listed, Style, name_relative_to, render, write_sidecar};

use super::expand;
use crate::Outcome;
use crate::cli::{ChecksumsArgs, StyleArg};
use crate::output::{Out, warn};

/// File names that are attestations, not artifacts: left out when walking a
/// folder (named explicitly, they are listed).
fn is_attestation(name: &[u8]) -> bool {
    const SUFFIXES: [&[u8]; 10] = [
        b".sha256", b".sha384", b".sha512", b".sha1", b".md5", b".b3", b".asc", b".sig", b".sha",
        b".mds",
    ];
    SUFFIXES.iter().any(|s| name.ends_with(s)) || name.ends_with(b"SUMS")
}

pub fn run(engine: &Engine, args: &ChecksumsArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let algs = AlgorithmSet::parse_list(&args.algo)?;
    if algs.is_empty() {
        bail!("--algo names no algorithm");
    }
    let alg_list: Vec<Algorithm> = algs.iter().collect();
    let style = match args.style {
        StyleArg::Gnu => Style::Gnu,
        StyleArg::Bsd => Style::Bsd,
    };
    if style == Style::Gnu && algs.len() > 1 && !args.sidecar && args.output_dir.is_none() {
        bail!(
            "a GNU-style checksum file holds one algorithm: with several, use --output-dir, --sidecar or --style bsd"
        );
    }
    for a in algs.iter().filter(|a| a.is_weak()) {
        warn(format_args!(
            "warning: writing {a}, a legacy digest; Apache release policy says new releases SHOULD NOT publish MD5 or SHA-1 (SHA-256/SHA-512 MUST be present)"
        ));
    }
    let mut outcome = Outcome::Ok;
    let found = expand(&args.paths, args.follow_symlinks, quiet, &mut outcome);
    if outcome != Outcome::Ok {
        bail!("nothing written: some paths could not be walked");
    }
    let outputs: Vec<PathBuf> = match (&args.output, &args.output_dir) {
        (Some(o), _) => vec![o.clone()],
        (None, Some(d)) => algs.iter().map(|a| d.join(a.sums_file_name())).collect(),
        _ => Vec::new(),
    };
    let mut inputs = Vec::new();
    for f in found {
        let Input::Path(p) = &f.input else {
            bail!("checksum files list named files; standard input has no name");
        };
        let walked_attestation =
            f.root.is_some() && p.file_name().is_some_and(|n| is_attestation(n.as_bytes()));
        if walked_attestation || outputs.iter().any(|o| same_path(o, p)) {
            continue;
        }
        inputs.push(p.clone());
    }
    if inputs.is_empty() {
        bail!("no artifacts to list");
    }
    let mut reads = ReadPlan::new();
    let keys: Vec<ReadKey> = inputs
        .iter()
        .map(|p| reads.want(p, algs, Vec::new()))
        .collect();
    let results = reads.run(engine);
    let mut hashed: Vec<(&Path, &Hashed)> = Vec::new();
    for (p, k) in inputs.iter().zip(&keys) {
        match results.by_key(k) {
            Some(Ok(h)) => hashed.push((p, h)),
            Some(Err(e)) => {
                warn(e);
                outcome = Outcome::Error;
            }
            None => {
                warn(format_args!("{}: not read", p.display()));
                outcome = Outcome::Error;
            }
        }
    }
    if outcome != Outcome::Ok {
        bail!("nothing written: some artifacts could not be hashed");
    }

    let listed_in = |dir: Option<&Path>| -> anyhow::Result<Vec<Listed>> {
        hashed
            .iter()
            .map(|&(p, h)| {
                let name = match dir {
                    Some(d) => name_relative_to(p, d)?,
                    None => p.as_os_str().as_bytes().to_vec(),
                };
                warn_if_refused_by_verify(&name);
                Ok(Listed {
                    name,
                    digests: *h.digests,
                })
            })
            .collect()
    };

    if args.sidecar {
        for &(p, h) in &hashed {
            let base = p.file_name().unwrap_or_default();
            warn_if_refused_by_verify(base.as_bytes());
            for d in h.digests.iter() {
                let path = write_sidecar(p, d, style)?;
                if !quiet {
                    eprintln!("wrote {}", path.display());
                }
            }
        }
    }
    if let Some(o) = &args.output {
        let items = listed_in(Some(parent(o)))?;
        write_atomic(o, &render(&items, &alg_list, style)?)?;
        if !quiet {
            eprintln!("wrote {} ({} files)", o.display(), items.len());
        }
    } else if let Some(d) = &args.output_dir {
        std::fs::create_dir_all(d).with_context(|| format!("{}: cannot create", d.display()))?;
        let items = listed_in(Some(d))?;
        for a in &alg_list {
            let path = d.join(a.sums_file_name());
            write_atomic(&path, &render(&items, &[*a], style)?)?;
            if !quiet {
                eprintln!("wrote {} ({} files)", path.display(), items.len());
            }
        }
    } else if !args.sidecar {
        let items = listed_in(None)?;
        let mut out = Out::new();
        out.bytes(&render(&items, &alg_list, style)?)?;
        out.flush()?;
    }
    Ok(outcome)
}

/// coreutils checks names with control characters; `apostille verify`
/// refuses them (they can smuggle terminal escapes into logs). Say so.
fn warn_if_refused_by_verify(name: &[u8]) {
    if let Some(c) = forbidden_control_character(name) {
        warn(format_args!(
            "warning: {}: the name holds control character 0x{c:02x}; coreutils can check it, apostille verify refuses it",
            String::from_utf8_lossy(name).escape_debug()
        ));
    }
}

fn parent(p: &Path) -> &Path {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
