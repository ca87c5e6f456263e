//! `cargo xtask bench-release`, third scenario: a release whose source
//! tarball gets its per-file SBOM (`--sbom-contents`) from the one read,
//! against `gzip -dc` of the same tarball, the least any tool listing its
//! files must do.
//!
//! The tarball (`src-1.0.tar.gz`, 2 GiB; 256 MiB with `--quick`) is made
//! once and cached: a tar stream of text files (16 KiB to 1 MiB, lines of
//! words drawn from a fixed vocabulary by a seeded generator, so it
//! compresses about 3:1 as source code does) written by this program into
//! `gzip -6`. The release signs with the test-only OpenPGP key and writes
//! its sidecar, list and SPDX SBOM with the files inside the tarball.
//!
//! Target (issue: archive contents in the same pass): release with the
//! contents SBOM at most 1.2× `gzip -dc`.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_peers::{Cmd, Pinned, clock, load_average, shell_quote, size_label};
use crate::timing::{BenchArgs, Target, report, round_robin};

const WORDS: [&str; 64] = [
    "fn", "let", "mut", "return", "struct", "impl", "pub", "use", "match", "if", "else", "for",
    "while", "loop", "self", "Self", "where", "const", "static", "enum", "trait", "type", "as",
    "in", "mod", "crate", "super", "unsafe", "async", "await", "move", "ref", "Some", "None", "Ok",
    "Err", "Result", "Option", "Vec", "String", "u8", "u32", "u64", "usize", "bool", "true",
    "false", "buffer", "length", "offset", "reader", "writer", "digest", "header", "entry",
    "archive", "stream", "error", "value", "index", "count", "state", "=", "{",
];

/// Runs the scenario with bench-release's options.
pub(crate) fn run(args: &BenchArgs, keys: &Path, started: &Instant) -> anyhow::Result<()> {
    let target: u64 = if args.quick { 256 << 20 } else { 2 << 30 };
    let runs = args.runs;
    let load_before = load_average();
    let work = args.dir.join(format!("contents-{}", size_label(target)));
    let dist = work.join("dist");
    fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;
    let tgz = dist.join("src-1.0.tar.gz");
    let (files, raw) = ensure_tarball(&tgz, target, started)?;
    let size = fs::metadata(&tgz)?.len();

    let q = |p: &Path| shell_quote(&p.display().to_string());
    let out = work.join("out");
    fs::create_dir_all(&out)?;
    let release = {
        let mut c = Cmd::sh(
            "apostille release --sbom-contents (.sha512, SHA256SUMS, .asc, SBOM of the files)",
            &format!(
                "unset GITHUB_ACTIONS GITLAB_CI; exec {} -q release --force --name src-1.0 \
                 --release-version 1.0 --pgp-key {} --keys {} --sbom-contents --out {} {}",
                q(&args.bin),
                q(&keys.join("TEST-ONLY-release-manager.sec.asc")),
                q(&keys.join("KEYS")),
                q(&out),
                q(&dist)
            ),
            &[],
        );
        c.sample_anon = true;
        c
    };
    let gunzip = Cmd::sh(
        "gzip -dc > /dev/null",
        &format!("exec gzip -dc {} > /dev/null", q(&tgz)),
        &[],
    );
    // Once before timing: the SBOM lists every file of the tarball.
    crate::bench_peers::run_once(&release, &work.join(".last-stderr"))
        .map_err(|e| anyhow::anyhow!("the release failed: {e}"))?;
    let doc = fs::read_to_string(out.join("src-1.0.tar.gz.spdx.json"))?;
    let listed = doc.matches("\"fileName\"").count();
    if listed != files {
        bail!("the contents SBOM lists {listed} files, the tarball holds {files}");
    }
    eprintln!(
        "[{}] contents SBOM checked: {files} files of {} listed",
        clock(started),
        size_label(raw)
    );
    let cmds: Vec<&Cmd> = vec![&gunzip, &release];
    let pinned = Pinned::new(std::slice::from_ref(&tgz)).ok();
    let stats = round_robin(&cmds, runs, started, &work.join(".last-stderr"))?;
    drop(pinned);
    let (t_gunzip, t_release) = (stats[0].median, stats[1].median);
    let targets = [Target::at_most(
        "release with contents SBOM ÷ gzip -dc",
        t_release / t_gunzip,
        1.2,
    )];
    let labels: Vec<&str> = cmds.iter().map(|c| c.label.as_str()).collect();
    let json = args.target.join("bench-release-contents.json");
    report(
        "release-contents",
        &format!(
            "release of a {} .tar.gz ({} of {files} files inside) with its contents SBOM, {runs} runs (median, min–max; ratio to gzip -dc)",
            size_label(size),
            size_label(raw)
        ),
        "× gzip -dc",
        &labels,
        &stats,
        t_gunzip,
        &targets,
        &[
            ("tarball_bytes", size.to_string()),
            ("content_bytes", raw.to_string()),
            ("files", files.to_string()),
            ("runs", runs.to_string()),
        ],
        &json,
        load_before,
    )?;
    eprintln!(
        "[{}] contents scenario done; results also in {}",
        clock(started),
        json.display()
    );
    Ok(())
}

/// A seeded xorshift: the same tarball on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A ustar header for a regular file.
fn header(name: &str, size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    let octal = |h: &mut [u8; 512], at: usize, len: usize, v: u64| {
        let s = format!("{v:0w$o}\0", w = len - 1);
        h[at..at + len].copy_from_slice(s.as_bytes());
    };
    octal(&mut h, 100, 8, 0o644);
    octal(&mut h, 108, 8, 0);
    octal(&mut h, 116, 8, 0);
    octal(&mut h, 124, 12, size);
    octal(&mut h, 136, 12, 1_700_000_000);
    h[148..156].copy_from_slice(b"        ");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    h
}

/// Makes the tarball unless a complete one is there (a `.done` stamp
/// records its file count and content size); returns both.
fn ensure_tarball(tgz: &Path, target: u64, started: &Instant) -> anyhow::Result<(usize, u64)> {
    let stamp = tgz.with_extension("done");
    if let Ok(text) = fs::read_to_string(&stamp)
        && let Some((f, r)) = text.trim().split_once(' ')
        && let (Ok(f), Ok(r)) = (f.parse(), r.parse())
        && tgz.is_file()
    {
        eprintln!("[{}] tarball reused: {}", clock(started), tgz.display());
        return Ok((f, r));
    }
    eprintln!(
        "[{}] writing a {} compressible tarball (once; cached)",
        clock(started),
        size_label(target)
    );
    let out = File::create(tgz).with_context(|| format!("creating {}", tgz.display()))?;
    let mut gzip = Command::new("gzip")
        .arg("-6")
        .arg("-n")
        .stdin(Stdio::piped())
        .stdout(out)
        .spawn()
        .context("running gzip")?;
    let stdin = gzip.stdin.take().context("gzip's input")?;
    let mut w = BufWriter::with_capacity(1 << 20, stdin);
    let mut rng = Rng(0x5eed_0000_c0de);
    let (mut files, mut raw) = (0usize, 0u64);
    let mut line = Vec::with_capacity(256);
    // About 3:1: the compressed size is checked every 64 files.
    loop {
        if files.is_multiple_of(64) && fs::metadata(tgz).map(|m| m.len()).unwrap_or(0) >= target {
            break;
        }
        let size = (16 << 10) + rng.next() % (1 << 20);
        let name = format!("src-1.0/src/m{:03}/f{files:06}.rs", files % 997);
        w.write_all(&header(&name, size))?;
        let mut left = size;
        while left > 0 {
            line.clear();
            for _ in 0..8 {
                line.extend_from_slice(WORDS[(rng.next() % 64) as usize].as_bytes());
                line.push(b' ');
                if rng.next().is_multiple_of(4) {
                    line.extend_from_slice(format!("{:x}", rng.next() % 0xfffff).as_bytes());
                    line.push(b' ');
                }
            }
            line.push(b'\n');
            let n = (line.len() as u64).min(left) as usize;
            w.write_all(&line[..n])?;
            left -= n as u64;
        }
        w.write_all(&vec![0u8; ((512 - size % 512) % 512) as usize])?;
        files += 1;
        raw += size;
    }
    w.write_all(&[0u8; 1024])?;
    w.flush()?;
    drop(w);
    if !gzip.wait()?.success() {
        bail!("gzip failed writing {}", tgz.display());
    }
    fs::write(&stamp, format!("{files} {raw}\n"))?;
    eprintln!(
        "[{}] tarball written: {files} files, {} inside",
        clock(started),
        size_label(raw)
    );
    Ok((files, raw))
}
