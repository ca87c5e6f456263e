//! `cargo xtask bench-attest`: signing and attesting one large artifact
//! with a Sigstore key (`sign blob`, `attest`) and verifying the bundles
//! (`verify bundle`, `verify attestation`), against apostille's own digest
//! pass, in one run on the same cached data.
//!
//! Target (issue: provenance and Sigstore): attesting and verifying take at
//! most 1.10× the SHA-256 pass — the signature is one private-key operation
//! on a digest the pass already computed. `attest` lists SHA-256 and
//! SHA-512 by default; it is compared with the fused SHA-256+SHA-512 pass,
//! and `attest --subject-digests sha256` with the SHA-256 pass.
//!
//! Commands run round-robin after a warm-up round; the artifact is locked in
//! the page cache when allowed.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_peers::{
    Cmd, Pinned, clock, js, load_average, opt_num, shell_quote, size_label, write_atomic,
};
use crate::timing::{BenchArgs, round_robin, write_pseudo_random};

const USAGE: &str = "usage: cargo xtask bench-attest [--quick] [--dir DIR] [--runs N] [--bin PATH]";
const PASSWORD: &str = "bench";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Sha256,
    Fused,
    SignBlob,
    Attest,
    Attest256,
    VerifyBundle,
    VerifyAttestation,
}

/// Runs the benchmark.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(BenchArgs {
        quick,
        target,
        dir,
        runs,
        bin,
    }) = BenchArgs::parse(args, USAGE)?
    else {
        return Ok(());
    };
    let size: u64 = if quick { 512 << 20 } else { 4 << 30 };
    let started = Instant::now();
    let load_before = load_average();
    let work = dir.join(format!("attest-{}", size_label(size)));
    fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let artifact = work.join("artifact.bin");
    ensure_artifact(&dir, size, &artifact, &started)?;
    let key = work.join("cosign.key");
    if !key.is_file() {
        let st = Command::new(&bin)
            .current_dir(&work)
            .env("COSIGN_PASSWORD", PASSWORD)
            .args(["-q", "keys", "generate", "--sigstore", "--force"])
            .status()?;
        if !st.success() {
            bail!("apostille keys generate --sigstore failed");
        }
    }

    let b = shell_quote(&bin.display().to_string());
    let a = shell_quote(&artifact.display().to_string());
    let k = shell_quote(&key.display().to_string());
    let public = shell_quote(&work.join("cosign.pub").display().to_string());
    let blob = shell_quote(
        &work
            .join("artifact.bin.sigstore.json")
            .display()
            .to_string(),
    );
    let att = shell_quote(
        &work
            .join("artifact.bin.intoto.sigstore.json")
            .display()
            .to_string(),
    );
    let att256 = shell_quote(
        &work
            .join("artifact.256.intoto.sigstore.json")
            .display()
            .to_string(),
    );
    // `exec`: the shell only sets the password; the timed process is
    // apostille itself.
    let ours = |label: &str, args: String| {
        let mut c = Cmd::sh(
            label,
            &format!("COSIGN_PASSWORD={PASSWORD} exec {b} -q {args}"),
            &[],
        );
        c.sample_anon = true;
        c
    };
    let generic = "--builder-id https://ci.example/bench --source-uri https://git.example/bench";
    let cmds: Vec<(Role, Cmd)> = vec![
        (
            Role::Sha256,
            ours(
                "apostille hash --algo sha256",
                format!("hash --algo sha256 {a}"),
            ),
        ),
        (
            Role::Fused,
            ours(
                "apostille hash --algo sha256,sha512",
                format!("hash --algo sha256,sha512 --format bsd {a}"),
            ),
        ),
        (
            Role::SignBlob,
            ours(
                "apostille sign blob",
                format!("sign blob --force --key {k} {a}"),
            ),
        ),
        (
            Role::Attest,
            ours(
                "apostille attest (sha256+sha512)",
                format!("attest --force --key {k} {generic} -o {att} {a}"),
            ),
        ),
        (
            Role::Attest256,
            ours(
                "apostille attest --subject-digests sha256",
                format!(
                    "attest --force --key {k} {generic} --subject-digests sha256 -o {att256} {a}"
                ),
            ),
        ),
        (
            Role::VerifyBundle,
            ours(
                "apostille verify bundle",
                format!("verify bundle --bundle {blob} --key {public} --insecure-ignore-tlog {a}"),
            ),
        ),
        (
            Role::VerifyAttestation,
            ours(
                "apostille verify attestation",
                format!(
                    "verify attestation --bundle {att} --key {public} --insecure-ignore-tlog --source-uri git.example/bench {a}"
                ),
            ),
        ),
    ];

    let pinned = match Pinned::new(std::slice::from_ref(&artifact)) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!(
                "  warning: cannot lock the artifact in memory ({e}); it may be re-read from disk"
            );
            None
        }
    };
    let timed: Vec<&Cmd> = cmds.iter().map(|(_, c)| c).collect();
    let stats = round_robin(&timed, runs, &started, &work.join(".last-stderr"))?;
    drop(pinned);

    let median = |role: Role| {
        cmds.iter()
            .position(|(r, _)| *r == role)
            .map(|i| stats[i].median)
            .unwrap_or(f64::NAN)
    };
    let sha = median(Role::Sha256);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\nSigstore sign/attest/verify, one {} file, {runs} runs (median, min–max; ratio to the SHA-256 pass)",
        size_label(size)
    );
    let _ = writeln!(
        text,
        "{:<44} {:>9} {:>19} {:>8}",
        "command", "median s", "min–max s", "× sha256"
    );
    for ((_, cmd), s) in cmds.iter().zip(&stats) {
        let _ = writeln!(
            text,
            "{:<44} {:>9.3} {:>9.3}–{:<9.3} {:>8.3}",
            cmd.label,
            s.median,
            s.min,
            s.max,
            s.median / sha
        );
    }
    let targets = [
        ("sign blob ÷ SHA-256 pass", median(Role::SignBlob) / sha),
        (
            "attest --subject-digests sha256 ÷ SHA-256 pass",
            median(Role::Attest256) / sha,
        ),
        (
            "attest (sha256+sha512) ÷ fused SHA-256+SHA-512 pass",
            median(Role::Attest) / median(Role::Fused),
        ),
        (
            "verify bundle ÷ SHA-256 pass",
            median(Role::VerifyBundle) / sha,
        ),
        (
            "verify attestation ÷ SHA-256 pass",
            median(Role::VerifyAttestation) / sha,
        ),
    ];
    let _ = writeln!(text, "\ntargets (≤ 1.10)");
    for (name, v) in &targets {
        let verdict = if *v <= 1.10 { "met" } else { "MISSED" };
        let _ = writeln!(text, "  {name:<54} {v:>6.3}  {verdict}");
    }
    let _ = writeln!(
        text,
        "  (attest with both digests ÷ SHA-256 pass: {:.3}; SHA-512 is the slower digest where the CPU has SHA-256 instructions)",
        median(Role::Attest) / sha
    );
    if let Some(l) = load_before.filter(|l| *l > 0.5) {
        let _ = writeln!(
            text,
            "  note: load average {l:.2} when the run started; other work shows in these times"
        );
    }
    print!("{text}");

    let mut json = format!(
        "{{\n  \"bench\": \"attest\",\n  \"size_bytes\": {size},\n  \"runs\": {runs},\n  \"rows\": [\n"
    );
    for (i, ((_, cmd), s)) in cmds.iter().zip(&stats).enumerate() {
        let _ = write!(
            json,
            "    {{\"label\": {}, \"median\": {}, \"min\": {}, \"max\": {}}}",
            js(&cmd.label),
            opt_num(Some(s.median)),
            opt_num(Some(s.min)),
            opt_num(Some(s.max))
        );
        json.push_str(if i + 1 < cmds.len() { ",\n" } else { "\n" });
    }
    json.push_str("  ],\n  \"targets\": [\n");
    for (i, (name, v)) in targets.iter().enumerate() {
        let _ = write!(
            json,
            "    {{\"name\": {}, \"value\": {}, \"goal\": 1.1, \"met\": {}}}",
            js(name),
            opt_num(Some(*v)),
            *v <= 1.10
        );
        json.push_str(if i + 1 < targets.len() { ",\n" } else { "\n" });
    }
    json.push_str("  ]\n}\n");
    let out = target.join("bench-attest.json");
    write_atomic(&out, json.as_bytes())?;
    eprintln!(
        "[{}] done; results also in {}",
        clock(&started),
        out.display()
    );
    Ok(())
}

/// The artifact: a hard link to bench-peers' file of that size when it
/// exists, else written here.
fn ensure_artifact(
    dir: &Path,
    size: u64,
    artifact: &Path,
    started: &Instant,
) -> anyhow::Result<()> {
    if fs::metadata(artifact).is_ok_and(|m| m.len() == size) {
        return Ok(());
    }
    let _ = fs::remove_file(artifact);
    let shared = dir
        .join(format!("a-1x{}", size_label(size)))
        .join("f00000.bin");
    if fs::metadata(&shared).is_ok_and(|m| m.len() == size)
        && fs::hard_link(&shared, artifact).is_ok()
    {
        return Ok(());
    }
    write_pseudo_random(artifact, size, 0x5157_0000, started)
}
