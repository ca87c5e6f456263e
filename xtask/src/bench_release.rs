//! `cargo xtask bench-release`: `apostille release` and `apostille verify`
//! on a 4 GiB release set (four 1 GiB artifacts), against the peer
//! pipeline a release manager runs today and against apostille's own fused
//! digest pass, in one run on the same cached data.
//!
//! * release (sidecars `.sha512`, `SHA256SUMS`, `.asc` by an OpenPGP key
//!   checked against KEYS) vs `sha512sum` per artifact, `sha256sum` of all,
//!   `gpg --detach-sign` per artifact, each reading again; and vs `apostille
//!   hash --algo sha256,sha512`, the fused pass of the same digests.
//! * verify (the same checks) vs `sha512sum -c`, `sha256sum -c` and `gpg
//!   --verify` one after the other; and vs the same fused pass.
//! * the full release (also the SPDX SBOM, the signed list and SBOM, the
//!   SBOM attestation and the Sigstore-signed provenance) vs the same
//!   fused SHA-256+SHA-512 pass: the SBOM describes artifacts with the
//!   digests the release computes anyway, so no digest is added.
//!
//! Targets (issue: release/verify in one command; issue: the whole
//! attestation set at the cost of the digests asked for): release, full
//! release and verify at most 1.10× the fused pass, release and verify at
//! least 2.5× faster than the peers.
//! The OpenPGP and Sigstore keys are the test-only demo keys.
//!
//! A second scenario follows in the same run, with the same options and
//! its own table: `verify` of a signed `SHA256SUMS` of 10,000 small
//! artifacts (1,000 with `--quick`), see [`crate::bench_signed_list`]; and
//! a third: a 2 GiB `.tar.gz` released with its contents SBOM against
//! `gzip -dc`, see [`crate::bench_contents`].

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_peers::{Cmd, Pinned, clock, load_average, run_once, shell_quote, size_label};
use crate::timing::{BenchArgs, Target, report, round_robin, write_pseudo_random};

const USAGE: &str =
    "usage: cargo xtask bench-release [--quick] [--dir DIR] [--runs N] [--bin PATH]";
const ARTIFACTS: usize = 4;

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
    let each: u64 = if quick { 128 << 20 } else { 1 << 30 };
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/demo-keys");
    let started = Instant::now();
    let load_before = load_average();
    let total = each * ARTIFACTS as u64;
    let work = dir.join(format!("release-{}", size_label(total)));
    let dist = work.join("dist");
    fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;
    let mut files = Vec::new();
    for i in 0..ARTIFACTS {
        let f = dist.join(format!("bench-1.0-part{i}.bin"));
        ensure_file(&f, each, i as u64, &started)?;
        files.push(f);
    }
    for sub in ["peer", "full"] {
        fs::create_dir_all(work.join(sub))?;
    }
    // gpg homes: one holding the secret key (the release manager's), one
    // with KEYS imported (the user's).
    let rm_home = work.join("gnupg-rm");
    let user_home = work.join("gnupg-user");
    for (home, file) in [
        (&rm_home, keys.join("TEST-ONLY-release-manager.sec.asc")),
        (&user_home, keys.join("KEYS")),
    ] {
        if !home.join("pubring.kbx").is_file() {
            fs::create_dir_all(home)?;
            set_private(home)?;
            let st = Command::new("gpg")
                .env("GNUPGHOME", home)
                .args(["--batch", "--quiet", "--import"])
                .arg(&file)
                .status()
                .context("running gpg --import")?;
            if !st.success() {
                bail!("gpg --import {} failed", file.display());
            }
        }
    }

    let q = |p: &Path| shell_quote(&p.display().to_string());
    let b = q(&bin);
    let d = q(&dist);
    let names: Vec<String> = files
        .iter()
        .map(|f| shell_quote(&f.file_name().unwrap_or_default().to_string_lossy()))
        .collect();
    let all = names.join(" ");
    let pgp = format!(
        "--pgp-key {} --keys {}",
        q(&keys.join("TEST-ONLY-release-manager.sec.asc")),
        q(&keys.join("KEYS"))
    );
    let quiet_env = "unset GITHUB_ACTIONS GITLAB_CI GITHUB_REF GITHUB_REF_NAME GITHUB_REF_TYPE CI_COMMIT_TAG; export COSIGN_PASSWORD=";
    let ours = |label: &str, args: String| {
        let mut c = Cmd::sh(label, &format!("{quiet_env}; exec {b} -q {args}"), &[]);
        c.sample_anon = true;
        c
    };
    let fused = ours(
        "apostille hash --algo sha256,sha512",
        format!("hash --algo sha256,sha512 --format bsd {d}/*.bin"),
    );
    let release = ours(
        "apostille release (sha512 sidecars, SHA256SUMS, .asc)",
        format!("release --force --no-sbom --name bench-1.0 {pgp} {d}"),
    );
    let peer_release = Cmd::sh(
        "sha512sum ×4; sha256sum; gpg --detach-sign ×4",
        &format!(
            "set -e; cd {d}; export GNUPGHOME={rm}; \
             for f in {all}; do sha512sum \"$f\" > ../peer/\"$f\".sha512; done; \
             sha256sum {all} > ../peer/SHA256SUMS; \
             for f in {all}; do gpg --batch --yes --quiet --pinentry-mode loopback --passphrase '' \
               --digest-algo SHA512 --armor --detach-sign --output ../peer/\"$f\".asc \"$f\"; done",
            rm = q(&rm_home)
        ),
        &[],
    );
    let full = ours(
        "apostille release (+ SBOM, signed provenance)",
        format!(
            "release --force --name bench-1.0 {pgp} --sigstore-key {} \
             --builder-id https://ci.example.org/bench --source-uri git+https://git.example.org/bench.git \
             --out {} {d}",
            q(&keys.join("TEST-ONLY-cosign.key")),
            q(&work.join("full"))
        ),
    );
    let verify = ours(
        "apostille verify (checksums, .asc)",
        format!(
            "verify --keys {} --require checksum,pgp {d}",
            q(&keys.join("KEYS"))
        ),
    );
    let peer_verify = Cmd::sh(
        "sha512sum -c ×4; sha256sum -c; gpg --verify ×4",
        &format!(
            "set -e; cd {d}; export GNUPGHOME={uh}; \
             for f in {all}; do sha512sum -c --quiet \"$f\".sha512; done; \
             sha256sum -c --quiet SHA256SUMS; \
             for f in {all}; do gpg --batch --quiet --verify \"$f\".asc \"$f\" 2>/dev/null; done",
            uh = q(&user_home)
        ),
        &[],
    );
    // The release writes what verify reads: first in every round.
    let cmds: Vec<&Cmd> = vec![
        &fused,
        &release,
        &peer_release,
        &verify,
        &peer_verify,
        &full,
    ];
    let pinned = match Pinned::new(&files) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!(
                "  warning: cannot lock the artifacts in memory ({e}); they may be re-read from disk"
            );
            None
        }
    };
    // One release before timing, so that verify has its outputs even in
    // the warm-up round's order.
    run_once(&release, &work.join(".last-stderr"))
        .map_err(|e| anyhow::anyhow!("the first release failed: {e}"))?;
    let stats = round_robin(&cmds, runs, &started, &work.join(".last-stderr"))?;
    drop(pinned);
    let m = |c: &Cmd| {
        cmds.iter()
            .position(|x| std::ptr::eq(*x, c))
            .map(|i| stats[i].median)
            .unwrap_or(f64::NAN)
    };
    let targets = [
        Target::at_most(
            "release ÷ fused SHA-256+SHA-512 pass",
            m(&release) / m(&fused),
            1.10,
        ),
        Target::at_least(
            "peer pipeline ÷ release (speed-up)",
            m(&peer_release) / m(&release),
            2.5,
        ),
        Target::at_most(
            "verify ÷ fused SHA-256+SHA-512 pass",
            m(&verify) / m(&fused),
            1.10,
        ),
        Target::at_least(
            "peer verification ÷ verify (speed-up)",
            m(&peer_verify) / m(&verify),
            2.5,
        ),
        Target::at_most(
            "full release (SBOM, signed lists, attestations) ÷ fused SHA-256+SHA-512 pass",
            m(&full) / m(&fused),
            1.10,
        ),
    ];
    let labels: Vec<&str> = cmds.iter().map(|c| c.label.as_str()).collect();
    let out = target.join("bench-release.json");
    report(
        "release",
        &format!(
            "release and verify, {ARTIFACTS} × {} artifacts, {runs} runs (median, min–max; ratio to the fused SHA-256+SHA-512 pass)",
            size_label(each)
        ),
        "× fused",
        &labels,
        &stats,
        m(&fused),
        &targets,
        &[
            ("total_bytes", total.to_string()),
            ("runs", runs.to_string()),
        ],
        &out,
        load_before,
    )?;
    eprintln!(
        "[{}] release scenario done; results also in {}",
        clock(&started),
        out.display()
    );
    let args = BenchArgs {
        quick,
        target,
        dir,
        runs,
        bin,
    };
    crate::bench_signed_list::run(&args, &keys, &started)?;
    crate::bench_contents::run(&args, &keys, &started)
}

fn set_private(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    Ok(())
}

/// Writes `path` with `size` pseudo-random bytes unless it is there.
fn ensure_file(path: &Path, size: u64, seed: u64, started: &Instant) -> anyhow::Result<()> {
    if fs::metadata(path).is_ok_and(|m| m.len() == size) {
        return Ok(());
    }
    write_pseudo_random(path, size, (seed << 32) ^ 0x7e1e_0000, started)
}
