//! `cargo xtask bench-pgp`: signing and verifying one large artifact with
//! `apostille sign pgp` / `verify pgp` against gpg, against gpg followed by
//! `sha512sum` (what a release script runs), and against apostille's own
//! SHA-512 pass, in one run on the same cached data.
//!
//! Targets (issue: OpenPGP): signing and verifying take at most 1.10× the
//! SHA-512 pass (the signature is one more hash context on the same read,
//! and the private-key operation is a fixed few milliseconds), and signing
//! (verifying) with the `.sha512` sidecar is faster than `gpg` then
//! `sha512sum` (`gpg --verify` then `sha512sum -c`) one after the other.
//!
//! The commands run round-robin, one warm-up round first, so that a burst
//! of other work on the machine spreads over all of them instead of landing
//! on one. The artifact is locked in the page cache (mlock) when allowed: the
//! numbers are CPU-bound hashing, not disk reads.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_peers::{
    Cmd, Pinned, Stats, clock, fill, free_bytes, js, load_average, opt_num, parse_runs, run_once,
    size_label, sync_fs, target_dir, write_atomic,
};

const USAGE: &str = "usage: cargo xtask bench-pgp [--quick] [--dir DIR] [--runs N] [--bin PATH]";

struct Options {
    size: u64,
    dir: PathBuf,
    runs: usize,
    bin: PathBuf,
    target_dir: PathBuf,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let target_dir = target_dir()?;
        let mut o = Options {
            size: 4 << 30,
            dir: target_dir.join("bench-data"),
            runs: 3,
            bin: target_dir.join("release").join("apostille"),
            target_dir,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .with_context(|| format!("{name} needs a value\n{USAGE}"))
            };
            match a.as_str() {
                "--quick" => o.size = 512 << 20,
                // bench-peers' flag, passed along by `make bench`.
                "--always-warm-up" => {}
                "--dir" => o.dir = PathBuf::from(value("--dir")?),
                "--bin" => o.bin = PathBuf::from(value("--bin")?),
                "--runs" => o.runs = parse_runs(&value("--runs")?)?,
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0);
                }
                other => bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        if !o.bin.is_file() {
            bail!(
                "{} not found: build it with `cargo build --release -p apostille-cli` or pass --bin",
                o.bin.display()
            );
        }
        Ok(o)
    }
}

/// What each command is, for the ratios.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Hash,
    Sign,
    SignSums,
    GpgSign,
    GpgSignSums,
    Verify,
    VerifySums,
    GpgVerify,
    GpgVerifySums,
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let o = Options::parse(args)?;
    let started = Instant::now();
    let load_before = load_average();
    let work = o.dir.join(format!("pgp-{}", size_label(o.size)));
    fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let artifact = work.join("artifact.bin");
    ensure_artifact(&o, &artifact, &started)?;
    let (key, keys, home) = ensure_keys(&o, &work)?;
    let gpg = find("gpg").context("gpg is needed: install GnuPG")?;
    let sha512sum = find("sha512sum").context("sha512sum is needed: install coreutils")?;

    let bin = o.bin.display().to_string();
    let a = artifact.display().to_string();
    let asc = format!("{a}.asc");
    let gpg_asc = format!("{a}.gpg.asc");
    let sidecar = format!("{a}.sha512");
    let gpg_base = format!(
        "{} --homedir {} --batch --no-tty --quiet",
        gpg.display(),
        home.display()
    );
    let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let ours = |label: &str, args: &str| {
        let mut c = Cmd::exec(label, &words(&format!("{bin} -q {args}")), &[]);
        c.sample_anon = true;
        c
    };
    let key_s = key.display().to_string();
    let keys_s = keys.display().to_string();
    let gpg_sign = format!(
        "{gpg_base} --yes --digest-algo SHA512 --armor --detach-sign --output {gpg_asc} {a}"
    );
    let gpg_verify = format!("{gpg_base} --verify {gpg_asc} {a}");
    let sums = format!("{} {a} > {a}.peer.sha512", sha512sum.display());
    let sums_check = format!(
        "cd {} && {} -c --quiet artifact.bin.sha512",
        work.display(),
        sha512sum.display()
    );
    // Signing first writes the .asc and .sha512 the verifying rows read.
    let cmds: Vec<(Role, Cmd)> = vec![
        (
            Role::Hash,
            ours(
                "apostille hash --algo sha512",
                &format!("hash --algo sha512 {a}"),
            ),
        ),
        (
            Role::Sign,
            ours(
                "apostille sign pgp",
                &format!("sign pgp --force --key {key_s} {a}"),
            ),
        ),
        (
            Role::SignSums,
            ours(
                "apostille sign pgp --checksums sha512",
                &format!("sign pgp --force --checksums sha512 --key {key_s} {a}"),
            ),
        ),
        (
            Role::GpgSign,
            Cmd::exec("gpg --detach-sign", &words(&gpg_sign), &[]),
        ),
        (
            Role::GpgSignSums,
            Cmd::sh(
                "gpg --detach-sign; sha512sum",
                &format!("{gpg_sign} && {sums}"),
                &[],
            ),
        ),
        (
            Role::Verify,
            ours(
                "apostille verify pgp",
                &format!("verify pgp --keys {keys_s} {asc} {a}"),
            ),
        ),
        (
            Role::VerifySums,
            ours(
                "apostille verify pgp --checksums .sha512",
                &format!("verify pgp --keys {keys_s} --checksums {sidecar} {asc} {a}"),
            ),
        ),
        (
            Role::GpgVerify,
            Cmd::exec("gpg --verify", &words(&gpg_verify), &[]),
        ),
        (
            Role::GpgVerifySums,
            Cmd::sh(
                "gpg --verify; sha512sum -c",
                &format!("{gpg_verify} && {sums_check}"),
                &[],
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
    let stderr_file = work.join(".last-stderr");
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cmds.len()];
    let mut anon: Vec<Option<u64>> = vec![None; cmds.len()];
    for round in 0..=o.runs {
        let what = if round == 0 {
            "warm-up round".to_owned()
        } else {
            format!("round {round}/{}", o.runs)
        };
        eprintln!("[{}] {what}", clock(&started));
        for (k, (_, cmd)) in cmds.iter().enumerate() {
            let r = run_once(cmd, &stderr_file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", cmd.command_line()))?;
            anon[k] = anon[k].max(r.anon_kib);
            if round > 0 {
                times[k].push(r.secs);
            }
        }
    }
    drop(pinned);

    let stats: Vec<Stats> = times
        .into_iter()
        .zip(&anon)
        .map(|(t, a)| Stats::of(t, None, *a))
        .collect();
    let median = |role: Role| {
        cmds.iter()
            .position(|(r, _)| *r == role)
            .map(|i| stats[i].median)
            .unwrap_or(f64::NAN)
    };
    let hash = median(Role::Hash);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\nOpenPGP sign/verify, one {} file, {} runs (median, min–max; ratio to apostille's SHA-512 pass)",
        size_label(o.size),
        o.runs
    );
    let _ = writeln!(
        text,
        "{:<42} {:>9} {:>19} {:>7} {:>10}",
        "command", "median s", "min–max s", "× hash", "anon MiB"
    );
    for ((_, cmd), s) in cmds.iter().zip(&stats) {
        let _ = writeln!(
            text,
            "{:<42} {:>9.3} {:>9.3}–{:<9.3} {:>7.3} {:>10}",
            cmd.label,
            s.median,
            s.min,
            s.max,
            s.median / hash,
            s.anon_kib
                .map(|k| format!("{:.1}", k as f64 / 1024.0))
                .unwrap_or_else(|| "—".into())
        );
    }
    let targets = [
        ("sign ÷ SHA-512 pass", median(Role::Sign) / hash, 1.10),
        ("verify ÷ SHA-512 pass", median(Role::Verify) / hash, 1.10),
        (
            "sign+.sha512 ÷ (gpg --detach-sign; sha512sum)",
            median(Role::SignSums) / median(Role::GpgSignSums),
            1.0,
        ),
        (
            "verify+.sha512 ÷ (gpg --verify; sha512sum -c)",
            median(Role::VerifySums) / median(Role::GpgVerifySums),
            1.0,
        ),
    ];
    let _ = writeln!(text, "\ntargets");
    for (name, v, goal) in &targets {
        let verdict = if *v <= *goal { "met" } else { "MISSED" };
        let _ = writeln!(text, "  {name:<48} {v:>6.3}  (≤ {goal:.2}: {verdict})");
    }
    let _ = writeln!(
        text,
        "  gpg --detach-sign ÷ apostille sign pgp           {:>6.2}×",
        median(Role::GpgSign) / median(Role::Sign)
    );
    let _ = writeln!(
        text,
        "  gpg --verify ÷ apostille verify pgp              {:>6.2}×",
        median(Role::GpgVerify) / median(Role::Verify)
    );
    if let Some(l) = load_before.filter(|l| *l > 0.5) {
        let _ = writeln!(
            text,
            "  note: load average {l:.2} when the run started; other work shows in these times"
        );
    }
    print!("{text}");

    let mut json = String::from("{\n  \"bench\": \"pgp\",\n");
    let _ = writeln!(
        json,
        "  \"size_bytes\": {},\n  \"runs\": {},",
        o.size, o.runs
    );
    json.push_str("  \"rows\": [\n");
    for (k, ((_, cmd), s)) in cmds.iter().zip(&stats).enumerate() {
        let times: Vec<String> = s.times.iter().map(|t| format!("{t:.4}")).collect();
        let _ = write!(
            json,
            "    {{\"label\": {}, \"command\": {}, \"median\": {}, \"min\": {}, \"max\": {}, \"times\": [{}]}}",
            js(&cmd.label),
            js(&cmd.command_line()),
            opt_num(Some(s.median)),
            opt_num(Some(s.min)),
            opt_num(Some(s.max)),
            times.join(", ")
        );
        json.push_str(if k + 1 < cmds.len() { ",\n" } else { "\n" });
    }
    json.push_str("  ],\n  \"targets\": [\n");
    for (k, (name, v, goal)) in targets.iter().enumerate() {
        let _ = write!(
            json,
            "    {{\"name\": {}, \"value\": {}, \"goal\": {goal}, \"met\": {}}}",
            js(name),
            opt_num(Some(*v)),
            *v <= *goal
        );
        json.push_str(if k + 1 < targets.len() { ",\n" } else { "\n" });
    }
    json.push_str("  ]\n}\n");
    let out = o.target_dir.join("bench-pgp.json");
    write_atomic(&out, json.as_bytes())?;
    eprintln!(
        "[{}] done; results also in {}",
        clock(&started),
        out.display()
    );
    Ok(())
}

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

/// The artifact: a hard link to bench-peers' 4 GiB file when that exists
/// (same pages, nothing written twice), else written here.
fn ensure_artifact(o: &Options, artifact: &Path, started: &Instant) -> anyhow::Result<()> {
    if fs::metadata(artifact).is_ok_and(|m| m.len() == o.size) {
        return Ok(());
    }
    let _ = fs::remove_file(artifact);
    let shared = o
        .dir
        .join(format!("a-1x{}", size_label(o.size)))
        .join("f00000.bin");
    if fs::metadata(&shared).is_ok_and(|m| m.len() == o.size)
        && fs::hard_link(&shared, artifact).is_ok()
    {
        eprintln!(
            "[{}] artifact linked from {}",
            clock(started),
            shared.display()
        );
        return Ok(());
    }
    if let Some(free) = free_bytes(artifact.parent().unwrap_or(Path::new(".")))
        && free < o.size + (256 << 20)
    {
        bail!("{} needs {} free", artifact.display(), size_label(o.size));
    }
    eprintln!(
        "[{}] writing a {} artifact",
        clock(started),
        size_label(o.size)
    );
    let tmp = artifact.with_extension("tmp");
    {
        use std::io::Write;
        let mut f = fs::File::create(&tmp)?;
        const CHUNK: u64 = 4 << 20;
        let mut buf = vec![0u8; CHUNK as usize];
        let mut off = 0;
        while off < o.size {
            let len = CHUNK.min(o.size - off) as usize;
            fill(&mut buf[..len], 0x7067_7000 ^ (off / CHUNK));
            f.write_all(&buf[..len])?;
            off += len as u64;
        }
    }
    fs::rename(&tmp, artifact)?;
    sync_fs(artifact.parent().unwrap_or(Path::new(".")))?;
    Ok(())
}

/// An RSA-4096 key (the Apache policy's), made by apostille and imported
/// into a GnuPG home for gpg's rows: the same key signs on both sides.
fn ensure_keys(o: &Options, work: &Path) -> anyhow::Result<(PathBuf, PathBuf, PathBuf)> {
    let prefix = work.join("rm");
    let key = work.join("rm.sec.asc");
    let keys = work.join("rm.pub.asc");
    let home = work.join("gnupg");
    if !key.is_file() || !keys.is_file() || !home.is_dir() {
        let _ = fs::remove_file(&key);
        let _ = fs::remove_file(&keys);
        let _ = fs::remove_dir_all(&home);
        let st = Command::new(&o.bin)
            .args([
                "-q",
                "keys",
                "generate",
                "--no-passphrase",
                "--uid",
                "Bench Release Manager <bench@example.org>",
                "-o",
            ])
            .arg(&prefix)
            .stdout(Stdio::null())
            .status()?;
        if !st.success() {
            bail!("apostille keys generate failed");
        }
        fs::create_dir_all(&home)?;
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&home, fs::Permissions::from_mode(0o700))?;
        }
        let st = Command::new("gpg")
            .arg("--homedir")
            .arg(&home)
            .args(["--batch", "--no-tty", "--quiet", "--import"])
            .arg(&key)
            .status()
            .context("running gpg --import")?;
        if !st.success() {
            bail!("gpg --import of the bench key failed");
        }
        // Trust it, so that gpg --verify says nothing about trust paths.
        let out = Command::new("gpg")
            .arg("--homedir")
            .arg(&home)
            .args([
                "--batch",
                "--with-colons",
                "--fingerprint",
                "bench@example.org",
            ])
            .output()?;
        let listing = String::from_utf8_lossy(&out.stdout).into_owned();
        if let Some(f) = listing
            .lines()
            .find(|l| l.starts_with("fpr:"))
            .and_then(|l| l.split(':').nth(9))
        {
            let mut child = Command::new("gpg")
                .arg("--homedir")
                .arg(&home)
                .args(["--batch", "--import-ownertrust"])
                .stdin(Stdio::piped())
                .spawn()?;
            if let Some(mut stdin) = child.stdin.take() {
                use std::io::Write;
                writeln!(stdin, "{f}:6:")?;
            }
            child.wait()?;
        }
    }
    Ok((key, keys, home))
}
