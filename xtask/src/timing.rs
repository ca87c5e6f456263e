//! What the whole-command benchmarks share: commands run round-robin after
//! a warm-up round, medians, a table with ratios, targets, and the JSON
//! result file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_peers::{
    Cmd, Stats, clock, fill, free_bytes, js, opt_num, parse_runs, run_once, size_label, sync_fs,
    target_dir, write_atomic,
};

/// Runs every command once per round, `runs` rounds after a warm-up
/// round; the times of the counted rounds, per command.
pub(crate) fn round_robin(
    cmds: &[&Cmd],
    runs: usize,
    started: &Instant,
    stderr_file: &Path,
) -> anyhow::Result<Vec<Stats>> {
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cmds.len()];
    let mut anon: Vec<Option<u64>> = vec![None; cmds.len()];
    for round in 0..=runs {
        eprintln!(
            "[{}] {}",
            clock(started),
            if round == 0 {
                "warm-up round".to_owned()
            } else {
                format!("round {round}/{runs}")
            }
        );
        for (i, cmd) in cmds.iter().enumerate() {
            let r = run_once(cmd, stderr_file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", cmd.command_line()))?;
            anon[i] = anon[i].max(r.anon_kib);
            if round > 0 {
                times[i].push(r.secs);
            }
        }
    }
    Ok(times
        .into_iter()
        .zip(&anon)
        .map(|(t, a)| Stats::of(t, None, *a))
        .collect())
}

/// A target: `value` must be at most `goal` (a time ratio), or at least
/// `goal` when `at_least` (a speed-up).
pub(crate) struct Target {
    pub name: String,
    pub value: f64,
    pub goal: f64,
    pub at_least: bool,
}

impl Target {
    pub(crate) fn at_most(name: &str, value: f64, goal: f64) -> Target {
        Target {
            name: name.into(),
            value,
            goal,
            at_least: false,
        }
    }

    pub(crate) fn at_least(name: &str, value: f64, goal: f64) -> Target {
        Target {
            name: name.into(),
            value,
            goal,
            at_least: true,
        }
    }

    fn met(&self) -> bool {
        if self.at_least {
            self.value >= self.goal
        } else {
            self.value <= self.goal
        }
    }
}

/// Prints the table (median, min–max, ratio to `reference`) and the
/// targets, and writes `out` as JSON.
#[allow(clippy::too_many_arguments)]
pub(crate) fn report(
    bench: &str,
    title: &str,
    reference_label: &str,
    labels: &[&str],
    stats: &[Stats],
    reference: f64,
    targets: &[Target],
    extra: &[(&str, String)],
    out: &Path,
    load_before: Option<f64>,
) -> anyhow::Result<()> {
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut text = String::new();
    let _ = writeln!(text, "\n{title}");
    let _ = writeln!(
        text,
        "{:<width$} {:>9} {:>19} {:>9}",
        "command", "median s", "min–max s", reference_label
    );
    for (label, s) in labels.iter().zip(stats) {
        let _ = writeln!(
            text,
            "{:<width$} {:>9.3} {:>9.3}–{:<9.3} {:>9.3}",
            label,
            s.median,
            s.min,
            s.max,
            s.median / reference
        );
    }
    let _ = writeln!(text, "\ntargets");
    let twidth = targets
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(8);
    for t in targets {
        let rel = if t.at_least { "≥" } else { "≤" };
        let verdict = if t.met() { "met" } else { "MISSED" };
        let _ = writeln!(
            text,
            "  {:<twidth$} {:>7.3}  ({rel} {:.2}) {verdict}",
            t.name, t.value, t.goal
        );
    }
    if let Some(l) = load_before.filter(|l| *l > 0.5) {
        let _ = writeln!(
            text,
            "  note: load average {l:.2} when the run started; other work shows in these times"
        );
    }
    print!("{text}");

    let mut json = format!("{{\n  \"bench\": {},\n", js(bench));
    for (k, v) in extra {
        let _ = writeln!(json, "  {}: {v},", js(k));
    }
    json.push_str("  \"rows\": [\n");
    for (i, (label, s)) in labels.iter().zip(stats).enumerate() {
        let _ = write!(
            json,
            "    {{\"label\": {}, \"median\": {}, \"min\": {}, \"max\": {}}}",
            js(label),
            opt_num(Some(s.median)),
            opt_num(Some(s.min)),
            opt_num(Some(s.max))
        );
        json.push_str(if i + 1 < labels.len() { ",\n" } else { "\n" });
    }
    json.push_str("  ],\n  \"targets\": [\n");
    for (i, t) in targets.iter().enumerate() {
        let _ = write!(
            json,
            "    {{\"name\": {}, \"value\": {}, \"goal\": {}, \"at_least\": {}, \"met\": {}}}",
            js(&t.name),
            opt_num(Some(t.value)),
            opt_num(Some(t.goal)),
            t.at_least,
            t.met()
        );
        json.push_str(if i + 1 < targets.len() { ",\n" } else { "\n" });
    }
    json.push_str("  ]\n}\n");
    write_atomic(out, json.as_bytes())
}

/// The options the whole-command benchmarks share:
/// `[--quick] [--dir DIR] [--runs N] [--bin PATH]`.
pub(crate) struct BenchArgs {
    pub quick: bool,
    pub target: PathBuf,
    pub dir: PathBuf,
    pub runs: usize,
    pub bin: PathBuf,
}

impl BenchArgs {
    /// Parses `args`; `None` after printing `usage` for `--help`. The
    /// binary must exist.
    pub(crate) fn parse(args: &[String], usage: &str) -> anyhow::Result<Option<BenchArgs>> {
        let target = target_dir()?;
        let mut b = BenchArgs {
            quick: false,
            dir: target.join("bench-data"),
            runs: 3,
            bin: target.join("release").join("apostille"),
            target,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .with_context(|| format!("{name} needs a value\n{usage}"))
            };
            match a.as_str() {
                "--quick" => b.quick = true,
                "--always-warm-up" => {}
                "--dir" => b.dir = PathBuf::from(value("--dir")?),
                "--bin" => b.bin = PathBuf::from(value("--bin")?),
                "--runs" => b.runs = parse_runs(&value("--runs")?)?,
                "-h" | "--help" => {
                    println!("{usage}");
                    return Ok(None);
                }
                other => bail!("unknown argument {other:?}\n{usage}"),
            }
        }
        if !b.bin.is_file() {
            bail!(
                "{} not found: build it with `cargo build --release -p apostille-cli` or pass --bin",
                b.bin.display()
            );
        }
        Ok(Some(b))
    }
}

/// Writes `size` pseudo-random bytes to `path` (through a temporary file),
/// chunk `i` filled from `seed ^ i`, after checking the free space.
pub(crate) fn write_pseudo_random(
    path: &Path,
    size: u64,
    seed: u64,
    started: &Instant,
) -> anyhow::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    if let Some(free) = free_bytes(parent)
        && free < size + (256 << 20)
    {
        bail!("{} needs {} free", path.display(), size_label(size));
    }
    eprintln!(
        "[{}] writing {} ({})",
        clock(started),
        path.display(),
        size_label(size)
    );
    fill_file(path, size, seed)?;
    sync_fs(parent)?;
    Ok(())
}

/// What [`write_pseudo_random`] writes, without the free-space check, the
/// progress line and the sync: for many small files, checked and synced
/// once by the caller.
pub(crate) fn fill_file(path: &Path, size: u64, seed: u64) -> anyhow::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    {
        let mut f =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        const CHUNK: u64 = 4 << 20;
        let mut buf = vec![0u8; CHUNK.min(size) as usize];
        let mut off = 0;
        while off < size {
            let len = CHUNK.min(size - off) as usize;
            fill(&mut buf[..len], seed ^ (off / CHUNK));
            f.write_all(&buf[..len])?;
            off += len as u64;
        }
    }
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}
