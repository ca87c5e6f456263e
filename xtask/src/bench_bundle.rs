//! `cargo xtask bench-bundle`: verifying all 140 sigstore-conformance
//! verdicts (70 `bundle-verify` cases, by path and by `sha256:HEX`) in one
//! process, several rounds, against the target of under 2 s per round
//! (issue: Sigstore).
//!
//! The work is done by the `conformance_bench` example of
//! `apostille-verify`, built here in release mode, so that xtask itself
//! stays free of the verifier's dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

const USAGE: &str = "usage: cargo xtask bench-bundle [--dir CONFORMANCE_DIR] [--rounds N]";

/// Builds and runs the benchmark.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    // The shared vectors sit beside the repository, as in the tests.
    let mut dir = root.join("../shared/vectors/sigstore-conformance");
    let mut rounds = 5usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dir" => dir = PathBuf::from(it.next().context(USAGE)?),
            "--rounds" => {
                let v = it.next().context(USAGE)?;
                rounds = v
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .with_context(|| format!("--rounds wants a whole number ≥ 1, not {v:?}"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    if !dir.join("bundle-verify").is_dir() {
        bail!(
            "{}: no bundle-verify folder (pass --dir CONFORMANCE_DIR)",
            dir.display()
        );
    }
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "apostille-verify",
            "--example",
            "conformance_bench",
            "--",
        ])
        .arg(&dir)
        .arg(rounds.to_string())
        .current_dir(&root)
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("conformance_bench failed ({status})");
    }
    Ok(())
}
