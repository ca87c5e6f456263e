//! `cargo xtask bench-sbom`: the SBOM benchmarks of issue 4.
//!
//! * `apostille sbom archive` of a multi-GB `.tar.gz` against
//!   `gzip -dc FILE > /dev/null` (decompression is the floor; hashing four
//!   digests of every entry should overlap it): medians and their ratio.
//! * `apostille sbom workspace` of this workspace once `cargo metadata` is
//!   warm.
//!
//! The tarball is text-like pseudo-random data (it compresses about as
//! well as source code), written once into `--dir` (default
//! `target/bench-sbom`) and reused.
//!
//! Options: `--size-mib N` (default 2048), `--runs N` (default 3),
//! `--dir DIR`, `--bin PATH` (default `target/release/apostille`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

struct Opts {
    size_mib: u64,
    runs: usize,
    dir: PathBuf,
    bin: PathBuf,
}

fn parse(args: &[String], root: &Path) -> anyhow::Result<Opts> {
    let mut o = Opts {
        size_mib: 2048,
        runs: 3,
        dir: root.join("target/bench-sbom"),
        bin: root.join("target/release/apostille"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--size-mib" => o.size_mib = val()?.parse()?,
            "--runs" => o.runs = val()?.parse()?,
            "--dir" => o.dir = PathBuf::from(val()?),
            "--bin" => o.bin = PathBuf::from(val()?),
            other => bail!("bench-sbom: unknown option {other}"),
        }
    }
    Ok(o)
}

/// A ustar header for a regular file.
fn header(name: &str, size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

const WORDS: &[&str] = &[
    "fn", "let", "mut", "self", "return", "struct", "impl", "match", "if", "else", "for", "in",
    "while", "loop", "pub", "use", "mod", "const", "static", "unsafe", "where", "trait", "enum",
    "type", "buffer", "length", "index", "value", "result", "error", "digest", "archive", "entry",
    "reader", "writer", "0x1f", "42", "1024", "{", "}", "(", ")", ";", "=", "+=", "->",
];

/// Writes a `.tar.gz` of about `size_mib` MiB of text-like files.
fn make_tarball(path: &Path, size_mib: u64) -> anyhow::Result<()> {
    eprintln!(
        "bench-sbom: writing {} ({size_mib} MiB uncompressed, once)",
        path.display()
    );
    let tmp = path.with_extension("tmp");
    let out = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut gzip = Command::new("gzip")
        .args(["-6", "-n"])
        .stdin(Stdio::piped())
        .stdout(out)
        .spawn()
        .context("running gzip")?;
    let stdin = gzip.stdin.take().context("gzip stdin")?;
    let mut w = BufWriter::with_capacity(1 << 20, stdin);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let file_size: u64 = 4 << 20;
    let files = (size_mib << 20) / file_size;
    let mut data = Vec::with_capacity(file_size as usize);
    for i in 0..files {
        data.clear();
        while (data.len() as u64) < file_size {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            data.extend_from_slice(WORDS[(x % WORDS.len() as u64) as usize].as_bytes());
            data.push(if x.is_multiple_of(11) { b'\n' } else { b' ' });
        }
        data.truncate(file_size as usize);
        w.write_all(&header(&format!("bench/src/file{i:05}.rs"), file_size))?;
        w.write_all(&data)?;
    }
    w.write_all(&[0u8; 1024])?;
    drop(w.into_inner().map_err(|e| e.into_error())?);
    if !gzip.wait()?.success() {
        bail!("gzip failed");
    }
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn time(cmd: &mut Command) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(t.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs the SBOM benchmarks and prints medians and ratios.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    let o = parse(args, &root)?;
    if !o.bin.is_file() {
        bail!(
            "{} missing: cargo build --release -p apostille-cli",
            o.bin.display()
        );
    }
    std::fs::create_dir_all(&o.dir)?;
    let tgz = o.dir.join(format!("bench-{}m.tar.gz", o.size_mib));
    if !tgz.is_file() {
        make_tarball(&tgz, o.size_mib)?;
    }
    let out = o.dir.join("bench.spdx.json");
    // Warm the page cache once for both.
    time(Command::new("cat").arg(&tgz))?;
    let mut gz = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..o.runs.max(1) {
        gz.push(time(Command::new("gzip").arg("-dc").arg(&tgz))?);
        ours.push(time(
            Command::new(&o.bin)
                .args(["--quiet", "sbom", "archive", "-o"])
                .arg(&out)
                .arg(&tgz),
        )?);
    }
    let (g, a) = (median(gz), median(ours));
    let compressed = std::fs::metadata(&tgz)?.len();
    println!(
        "sbom archive of {} ({:.1} MiB compressed, {} MiB of entries), median of {}:",
        tgz.display(),
        compressed as f64 / (1 << 20) as f64,
        o.size_mib,
        o.runs
    );
    println!("  gzip -dc > /dev/null          {:>8.2} s", g.as_secs_f64());
    println!(
        "  apostille sbom archive        {:>8.2} s   ratio {:.2} (target <= 1.20)",
        a.as_secs_f64(),
        a.as_secs_f64() / g.as_secs_f64()
    );

    let ws_out = o.dir.join("workspace.spdx.json");
    let ws = || {
        let mut c = Command::new(&o.bin);
        c.args(["--quiet", "sbom", "workspace", "--manifest-path"])
            .arg(root.join("Cargo.toml"))
            .arg("-o")
            .arg(&ws_out)
            .current_dir(&root);
        c
    };
    time(&mut ws())?; // warm cargo metadata
    let mut runs = Vec::new();
    for _ in 0..o.runs.max(1) {
        runs.push(time(&mut ws())?);
    }
    let text = std::fs::read_to_string(&ws_out)?;
    let packages = text.matches("\"SPDXID\": \"SPDXRef-Package-").count();
    println!(
        "sbom workspace ({packages} packages), median of {}: {:.3} s (target < 1 s)",
        o.runs,
        median(runs).as_secs_f64()
    );
    Ok(())
}
