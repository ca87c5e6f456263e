//! `cargo xtask bench-notices`: the two speed targets of `apostille
//! notices`, measured against their yardsticks in one run.
//!
//! ```text
//! cargo xtask bench-notices [--runs N] [--bin PATH] [--manifest-path M] [--tarball T] [--mib N] [--dir DIR]
//! ```
//!
//! # Cases
//!
//! * **notices**: `apostille notices --offline --format json` over the
//!   workspace of `--manifest-path` (default: this repository, ~250
//!   third-party crates) with the registry cache warm (one unmeasured run
//!   first). Target: under 2 s.
//! * **audit**: `apostille notices audit` of a source tarball (`--tarball`,
//!   or a generated one) against `gzip -dc` of the same file to
//!   `/dev/null`, the least any reader of a `.tar.gz` must do. Target:
//!   audit ≤ 1.2 × `gzip -dc`.
//!
//! # Data
//!
//! The generated tarball, `DIR/notices/src-NMiB.tar.gz` (default `DIR` is
//! `target/bench-data`, N 400 MiB of source text, about 100 MB
//! compressed), is a deterministic source tree (SplitMix64 picks the words):
//! C files with and without license headers, Makefiles, docs, a LICENSE and
//! a NOTICE, packed by `tar` and `gzip -6`. It is reused when present.
//!
//! Each command runs `--runs` times (default 5) after a warm-up; the median
//! wall time is reported, with standard output to `/dev/null`. Results go
//! to standard output and to `target/bench-notices.json`.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

struct Options {
    runs: usize,
    bin: PathBuf,
    manifest: PathBuf,
    tarball: Option<PathBuf>,
    mib: u64,
    dir: PathBuf,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let root = repo_root()?;
        let mut o = Options {
            runs: 5,
            bin: root.join("target/release/apostille"),
            manifest: root.join("Cargo.toml"),
            tarball: None,
            mib: 400,
            dir: root.join("target/bench-data"),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || {
                it.next()
                    .cloned()
                    .with_context(|| format!("{a} needs a value"))
            };
            match a.as_str() {
                "--runs" => o.runs = value()?.parse().context("--runs")?,
                "--bin" => o.bin = value()?.into(),
                "--manifest-path" => o.manifest = value()?.into(),
                "--tarball" => o.tarball = Some(value()?.into()),
                "--mib" => o.mib = value()?.parse().context("--mib")?,
                "--dir" => o.dir = value()?.into(),
                other => bail!("bench-notices: unknown option {other}"),
            }
        }
        if o.runs == 0 {
            bail!("--runs must be at least 1");
        }
        Ok(o)
    }
}

fn repo_root() -> anyhow::Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("xtask has no parent folder")
}

/// Runs the benchmark.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let o = Options::parse(args)?;
    if !o.bin.is_file() {
        bail!(
            "{}: not built; run `cargo build --release -p apostille-cli` first (or pass --bin)",
            o.bin.display()
        );
    }
    let tarball = match &o.tarball {
        Some(t) => t.clone(),
        None => generate_tarball(&o.dir.join("notices"), o.mib)?,
    };
    let size = fs::metadata(&tarball)
        .with_context(|| format!("{}", tarball.display()))?
        .len();

    let mut notices = Command::new(&o.bin);
    notices
        .args(["notices", "--offline", "--no-policy", "--format", "json"])
        .arg("--manifest-path")
        .arg(&o.manifest);
    let (t_notices, out) = median(&mut notices, o.runs, true)?;
    let packages = serde_count(&out);

    let mut audit = Command::new(&o.bin);
    audit
        .args(["notices", "audit", "--format", "json"])
        .arg(&tarball);
    let (t_audit, _) = median(&mut audit, o.runs, false)?;
    let mut gzip = Command::new("gzip");
    gzip.arg("-dc").arg(&tarball);
    let (t_gzip, _) = median(&mut gzip, o.runs, true)?;
    let ratio = t_audit / t_gzip;

    let mut report = String::new();
    let _ = writeln!(report, "case                                      median s");
    let _ = writeln!(
        report,
        "notices ({packages} packages, warm cache)      {t_notices:8.3}   target < 2.0 s: {}",
        verdict(t_notices < 2.0)
    );
    let _ = writeln!(
        report,
        "audit of {} ({:.1} MB)   {t_audit:8.3}",
        tarball
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        size as f64 / 1e6
    );
    let _ = writeln!(
        report,
        "gzip -dc of the same                      {t_gzip:8.3}"
    );
    let _ = writeln!(
        report,
        "audit / gzip -dc                          {ratio:8.2}   target ≤ 1.2: {}",
        verdict(ratio <= 1.2)
    );
    print!("{report}");
    let json = format!(
        "{{\n  \"runs\": {},\n  \"notices_packages\": {packages},\n  \"notices_s\": {t_notices:.4},\n  \"tarball_bytes\": {size},\n  \"audit_s\": {t_audit:.4},\n  \"gzip_dc_s\": {t_gzip:.4},\n  \"audit_over_gzip\": {ratio:.4}\n}}\n",
        o.runs
    );
    let out = repo_root()?.join("target/bench-notices.json");
    fs::write(&out, json).with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

/// How many packages a notices JSON lists (counted without a JSON parser:
/// each package object has one `"coverage"` key).
fn serde_count(json: &[u8]) -> usize {
    let needle = b"\"coverage\":";
    json.windows(needle.len()).filter(|w| w == needle).count()
}

/// Runs `cmd` once to warm up, then `runs` times; returns the median wall
/// time and the last run's standard output (kept only when `keep`).
fn median(cmd: &mut Command, runs: usize, keep: bool) -> anyhow::Result<(f64, Vec<u8>)> {
    let what = format!("{cmd:?}");
    let mut once = || -> anyhow::Result<(f64, Vec<u8>)> {
        let t = Instant::now();
        let out = cmd
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .with_context(|| format!("running {what}"))?;
        let secs = t.elapsed().as_secs_f64();
        // The audit exits 1 when it has findings: that is a result.
        if !matches!(out.status.code(), Some(0 | 1)) {
            bail!("{what}: {}", out.status);
        }
        Ok((secs, if keep { out.stdout } else { Vec::new() }))
    };
    once()?;
    let mut times = Vec::with_capacity(runs);
    let mut last = Vec::new();
    for _ in 0..runs {
        let (t, out) = once()?;
        times.push(t);
        last = out;
    }
    times.sort_by(f64::total_cmp);
    eprintln!("bench-notices: {what}: {times:.3?}");
    Ok((times[times.len() / 2], last))
}

/// SplitMix64: deterministic words for the generated tree.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

const WORDS: &[&str] = &[
    "int", "char", "static", "const", "return", "if", "else", "for", "while", "struct", "buffer",
    "length", "size_t", "uint8_t", "ctx", "state", "error", "result", "value", "index", "count",
    "memcpy", "free", "malloc", "NULL", "goto", "fail", "out", "data", "key", "hash", "update",
    "final", "init", "block", "round", "table", "entry", "node", "next", "prev", "list", "head",
];

const HEADER: &str = "/* Licensed to the Apache Software Foundation (ASF) under one or more\n * contributor license agreements.  See the NOTICE file distributed with\n * this work for additional information regarding copyright ownership.\n * The ASF licenses this file to You under the Apache License, Version 2.0\n * (the \"License\"); you may not use this file except in compliance with\n * the License.  You may obtain a copy of the License at\n *\n *     http://www.apache.org/licenses/LICENSE-2.0\n */\n";

/// Writes the source tree and packs it; returns the tarball's path.
fn generate_tarball(dir: &Path, mib: u64) -> anyhow::Result<PathBuf> {
    let tarball = dir.join(format!("src-{mib}MiB.tar.gz"));
    if tarball.is_file() {
        return Ok(tarball);
    }
    let top = format!("bench-src-{mib}");
    let tree = dir.join(&top);
    if tree.exists() {
        fs::remove_dir_all(&tree)?;
    }
    eprintln!(
        "bench-notices: writing a {mib} MiB source tree under {}",
        tree.display()
    );
    fs::create_dir_all(&tree)?;
    fs::write(
        tree.join("LICENSE"),
        "                                 Apache License\n                           Version 2.0, January 2004\n                        http://www.apache.org/licenses/\n",
    )?;
    fs::write(
        tree.join("NOTICE"),
        "Bench Source\nCopyright 2026 The Apache Software Foundation\n",
    )?;
    let mut rng = SplitMix(0x5eed);
    let target = mib << 20;
    let mut written = 0u64;
    let mut n = 0u64;
    while written < target {
        let sub = tree.join(format!("src/module{:03}", n / 100));
        fs::create_dir_all(&sub)?;
        let (name, header) = match n % 10 {
            0 => (format!("Makefile{n}.am"), false),
            1 => (format!("doc{n}.md"), false),
            7 => (format!("file{n}.c"), false),
            _ => (format!("file{n}.c"), true),
        };
        let mut text = String::with_capacity(110 * 1024);
        if header {
            text.push_str(HEADER);
        }
        // Files of 16–200 KiB, lines of 4–12 words.
        let len = 16 * 1024 + rng.next() % (184 * 1024);
        while (text.len() as u64) < len {
            let words = 4 + rng.next() % 9;
            for _ in 0..words {
                text.push_str(WORDS[(rng.next() % WORDS.len() as u64) as usize]);
                text.push(' ');
            }
            let _ = writeln!(text, "{};", rng.next() % 100_000);
        }
        let mut f = fs::File::create(sub.join(&name))?;
        f.write_all(text.as_bytes())?;
        written += text.len() as u64;
        n += 1;
    }
    eprintln!("bench-notices: {n} files; packing {}", tarball.display());
    let tmp = dir.join(format!("src-{mib}MiB.tar.gz.tmp"));
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "tar -C '{}' -cf - '{top}' | gzip -6 > '{}'",
            dir.display(),
            tmp.display()
        ))
        .status()
        .context("running tar | gzip")?;
    if !status.success() {
        bail!("tar | gzip failed: {status}");
    }
    fs::rename(&tmp, &tarball)?;
    fs::remove_dir_all(&tree)?;
    Ok(tarball)
}
