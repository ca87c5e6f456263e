//! `cargo xtask bench-peers`: `apostille hash` against the tools a release
//! manager would otherwise use, on the same data, in one run.
//!
//! ```text
//! cargo xtask bench-peers [--quick] [--dir DIR] [--runs N] [--bin PATH] [--always-warm-up]
//! ```
//!
//! # Data
//!
//! Three data sets of pseudo-random bytes (SplitMix64, deterministic, so a
//! regenerated file is the same file) under `DIR` (default
//! `target/bench-data`), each in a folder named after its shape and reused
//! when every file is there with the right size:
//!
//! | set | full | `--quick` |
//! |---|---|---|
//! | a | 1 × 4 GiB | 1 × 512 MiB |
//! | b | 64 × 64 MiB | 16 × 32 MiB |
//! | c | 20,000 × 16 KiB | 2,000 × 16 KiB |
//!
//! # Cases
//!
//! * a and b, one algorithm at a time (sha256, sha512, sha1, md5, blake3):
//!   `apostille hash --algo X` against coreutils `XXXsum`, `openssl dgst`,
//!   `rhash` and `b3sum`, whichever can compute X.
//! * a and b, all five digests: `apostille hash --algo
//!   sha256,sha512,sha1,md5,blake3` against coreutils' four tools then
//!   `b3sum`; the fastest peer of each algorithm (as just measured) one after
//!   another; `rhash` computing the four SHA-2/SHA-1/MD5 digests in one pass
//!   then `b3sum`; for b also `rhash` split over two processes with
//!   `xargs -P2`. The *bound* is the sum of apostille's single-algorithm
//!   times with `--threads 1` divided by the number of cores: what perfect
//!   spreading of the five hashes over the cores would give.
//! * c, SHA-256 and BLAKE3 over many small files, peers fed by
//!   `find | xargs` and apostille given the directory.
//!
//! # Measuring
//!
//! Every command is spawned directly (or through `sh -c` for pipelines)
//! with standard output to `/dev/null`. Wall time comes from
//! [`Instant`]; peak RSS is the child's `ru_maxrss` from `wait4(2)` (for a
//! `sh -c` pipeline, the largest process in it). A memory-mapped file's
//! pages count in `ru_maxrss`, so for apostille the anonymous RSS is also
//! sampled from `/proc/PID/status` every 10 ms.
//!
//! The page cache is not dropped (that needs root); instead each data set is
//! read once in full before its cases and locked in memory with `mlock(2)`
//! while they run (some kernels page out page cache that is a few seconds
//! cold, which would hand a slow peer's later runs a disk read; without the
//! privilege to lock, the set is read again before every command), and each
//! command gets one warm-up run that is thrown away. A run that took at least two seconds is kept as
//! a measured run instead (the data are already cached and start-up costs
//! are lost in the noise); `--always-warm-up` throws it away regardless.
//! That keeps a full run with three runs per command under ~25 minutes on
//! two cores. Set c gets at least five measured runs.
//!
//! Results go to standard output as a table plus a list of targets with
//! PASS/MISS, and to `target/bench-peers.json`; progress goes to standard
//! error.

use std::collections::HashSet;
use std::ffi::{CString, OsStr, OsString};
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// The five algorithms of the fused cases, in the order they are reported.
const FIVE: [&str; 5] = ["sha256", "sha512", "sha1", "md5", "blake3"];

/// A first run at least this long counts as a measured run.
const LONG_RUN_SECS: f64 = 2.0;

/// A run during which other processes kept this many cores busy on
/// average (or stole this much through the hypervisor) is flagged.
const DISTURBED_CORES: f64 = 0.25;

/// Whether a run of `secs` seconds was disturbed by `others` cores of
/// foreign work; very short runs get some slack for the 10 ms granularity of
/// `/proc/stat`.
fn is_disturbed(others: f64, secs: f64) -> bool {
    others * secs > (DISTURBED_CORES * secs).max(0.05)
}

/// Peak-RSS target for apostille, in KiB.
const RSS_TARGET_KIB: u64 = 64 << 10;

const USAGE: &str = "usage: cargo xtask bench-peers [--quick] [--dir DIR] [--runs N] [--bin PATH] [--always-warm-up]";

/// Runs the peer comparison; `args` are the words after `bench-peers`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let opts = Options::parse(args)?;
    let started = Instant::now();
    let tools = Tools::detect(&opts)?;
    // Before writing data, which would raise the load itself.
    let load_before = load_average();
    let sets = DataSet::all(&opts);
    for set in &sets {
        set.ensure(&started)?;
    }
    if load_before.is_some_and(|l| l > 0.5) {
        eprintln!(
            "[{}] warning: load average {:.2} before starting; other work on this machine will show in the times",
            clock(&started),
            load_before.unwrap_or(0.0)
        );
    }
    // What a child that does nothing reports as peak RSS: the floor under
    // every number in the RSS column.
    let floor_kib = run_once(
        &Cmd::exec("true", &["true".to_owned()], &[]),
        &opts.dir.join(".last-stderr"),
    )
    .ok()
    .map(|r| r.maxrss_kib);
    let mut bench = Bench {
        opts: &opts,
        tools: &tools,
        started,
        rows: Vec::new(),
        targets: Vec::new(),
        load_before,
        floor_kib,
        rewarm: None,
        pinned_sets: Vec::new(),
    };
    for set in &sets {
        let pinned = bench.warm(set)?;
        match set.kind {
            Kind::Large => bench.large(set),
            Kind::Small => bench.small(set),
        }
        drop(pinned);
        bench.rewarm = None;
    }
    bench.rss_targets();
    let text = bench.render(&sets);
    print!("{text}");
    let json = bench.json(&sets);
    let out = opts.target_dir.join("bench-peers.json");
    write_atomic(&out, json.as_bytes())?;
    eprintln!(
        "[{}] done; results also in {}",
        clock(&started),
        out.display()
    );
    Ok(())
}

// ---------------------------------------------------------------- options

struct Options {
    quick: bool,
    dir: PathBuf,
    runs: usize,
    bin: PathBuf,
    always_warm_up: bool,
    target_dir: PathBuf,
    cores: usize,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let target_dir = target_dir()?;
        let mut opts = Options {
            quick: false,
            dir: target_dir.join("bench-data"),
            runs: 3,
            bin: target_dir.join("release").join("apostille"),
            always_warm_up: false,
            target_dir,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .with_context(|| format!("{name} needs a value\n{USAGE}"))
            };
            match a.as_str() {
                "--quick" => opts.quick = true,
                "--always-warm-up" => opts.always_warm_up = true,
                "--dir" => opts.dir = PathBuf::from(value("--dir")?),
                "--bin" => opts.bin = PathBuf::from(value("--bin")?),
                "--runs" => opts.runs = parse_runs(&value("--runs")?)?,
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0);
                }
                other => bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        if !opts.bin.is_file() {
            bail!(
                "{} not found: build it with `cargo build --release -p apostille-cli` or pass --bin",
                opts.bin.display()
            );
        }
        Ok(opts)
    }
}

/// The workspace's target folder (`$CARGO_TARGET_DIR` or `target`).
pub(crate) fn target_dir() -> anyhow::Result<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    Ok(match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => root.join(t),
        None => root.join("target"),
    })
}

/// A `--runs` value: a whole number of at least one.
pub(crate) fn parse_runs(v: &str) -> anyhow::Result<usize> {
    v.parse()
        .ok()
        .filter(|n| *n >= 1)
        .with_context(|| format!("--runs wants a whole number ≥ 1, not {v:?}"))
}

// ---------------------------------------------------------------- peers

/// A peer tool, by what it is called on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Peer {
    Coreutils,
    Openssl,
    Rhash,
    B3sum,
}

impl Peer {
    const ALL: [Peer; 4] = [Peer::Coreutils, Peer::Openssl, Peer::Rhash, Peer::B3sum];

    fn name(self) -> &'static str {
        match self {
            Peer::Coreutils => "coreutils",
            Peer::Openssl => "openssl",
            Peer::Rhash => "rhash",
            Peer::B3sum => "b3sum",
        }
    }

    /// The program and flags that compute `alg`, without file names; `None`
    /// when the peer has no such algorithm.
    fn argv(self, alg: &str, rhash_blake3: bool) -> Option<Vec<String>> {
        let v = |words: &[&str]| Some(words.iter().map(|w| (*w).to_owned()).collect());
        match (self, alg) {
            (Peer::Coreutils, "blake3") => None,
            (Peer::Coreutils, a) => Some(vec![format!("{a}sum")]),
            (Peer::Openssl, "blake3") => None,
            (Peer::Openssl, a) => Some(vec!["openssl".into(), "dgst".into(), format!("-{a}")]),
            (Peer::Rhash, "blake3") if !rhash_blake3 => None,
            (Peer::Rhash, a) => v(&["rhash", &format!("--{a}")]),
            (Peer::B3sum, "blake3") => v(&["b3sum"]),
            (Peer::B3sum, _) => None,
        }
    }
}

/// Which peers are installed, and their versions for the report.
struct Tools {
    apostille_version: String,
    found: HashSet<String>,
    versions: Vec<(String, String)>,
    rhash_blake3: bool,
    cpu: String,
    mem_total_kib: u64,
}

impl Tools {
    fn detect(opts: &Options) -> anyhow::Result<Tools> {
        let programs = [
            "sha256sum",
            "sha512sum",
            "sha1sum",
            "md5sum",
            "openssl",
            "rhash",
            "b3sum",
            "sh",
            "find",
            "xargs",
        ];
        let found: HashSet<String> = programs
            .iter()
            .filter(|p| in_path(p).is_some())
            .map(|p| (*p).to_owned())
            .collect();
        for needed in ["sh", "find", "xargs"] {
            if !found.contains(needed) {
                bail!("`{needed}` is not installed; the pipelines need it");
            }
        }
        let first_line = |prog: &OsStr, args: &[&str]| -> Option<String> {
            let out = Command::new(prog)
                .args(args)
                .stderr(Stdio::null())
                .output()
                .ok()?;
            let text = String::from_utf8_lossy(&out.stdout);
            text.lines().next().map(|l| l.trim().to_owned())
        };
        let apostille_version = first_line(opts.bin.as_os_str(), &["--version"])
            .with_context(|| format!("{} --version failed", opts.bin.display()))?;
        let mut versions = Vec::new();
        for (prog, args) in [
            ("sha256sum", &["--version"][..]),
            ("openssl", &["version"][..]),
            ("rhash", &["--version"][..]),
            ("b3sum", &["--version"][..]),
        ] {
            let v = if found.contains(prog) {
                first_line(OsStr::new(prog), args).unwrap_or_else(|| "version unknown".into())
            } else {
                "not installed".into()
            };
            versions.push((prog.to_owned(), v));
        }
        let rhash_blake3 = found.contains("rhash")
            && Command::new("rhash")
                .arg("--list-hashes")
                .stderr(Stdio::null())
                .output()
                .is_ok_and(|o| {
                    String::from_utf8_lossy(&o.stdout)
                        .to_ascii_uppercase()
                        .contains("BLAKE3")
                });
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
        Ok(Tools {
            apostille_version,
            found,
            versions,
            rhash_blake3,
            cpu,
            mem_total_kib: meminfo("MemTotal:").unwrap_or(0),
        })
    }

    /// The program and flags with which `peer` computes `alg`, if it can.
    fn argv(&self, peer: Peer, alg: &str) -> Option<Vec<String>> {
        peer.argv(alg, self.rhash_blake3)
    }

    fn installed(&self, program: &str) -> bool {
        self.found.contains(program)
    }
}

fn in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| fs::metadata(p).is_ok_and(|m| m.is_file()))
}

fn meminfo(key: &str) -> Option<u64> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

// ---------------------------------------------------------------- data

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Large,
    Small,
}

struct DataSet {
    key: &'static str,
    kind: Kind,
    count: usize,
    size: u64,
    dir: PathBuf,
}

impl DataSet {
    fn all(opts: &Options) -> Vec<DataSet> {
        let shapes: [(&str, Kind, usize, u64); 3] = if opts.quick {
            [
                ("a", Kind::Large, 1, 512 << 20),
                ("b", Kind::Large, 16, 32 << 20),
                ("c", Kind::Small, 2_000, 16 << 10),
            ]
        } else {
            [
                ("a", Kind::Large, 1, 4 << 30),
                ("b", Kind::Large, 64, 64 << 20),
                ("c", Kind::Small, 20_000, 16 << 10),
            ]
        };
        shapes
            .into_iter()
            .map(|(key, kind, count, size)| DataSet {
                key,
                kind,
                count,
                size,
                dir: opts.dir.join(format!("{key}-{count}x{}", size_label(size))),
            })
            .collect()
    }

    fn shape(&self) -> String {
        format!("{} × {}", self.count, size_label(self.size))
    }

    fn total(&self) -> u64 {
        self.size * self.count as u64
    }

    fn name(&self, i: usize) -> String {
        format!("f{i:05}.bin")
    }

    fn files(&self) -> Vec<PathBuf> {
        (0..self.count)
            .map(|i| self.dir.join(self.name(i)))
            .collect()
    }

    /// What apostille is given: the file itself for one file, else the folder.
    fn apostille_input(&self) -> PathBuf {
        if self.count == 1 {
            self.dir.join(self.name(0))
        } else {
            self.dir.clone()
        }
    }

    /// Creates whatever is missing or of the wrong size.
    fn ensure(&self, started: &Instant) -> anyhow::Result<()> {
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let expected: HashSet<String> = (0..self.count).map(|i| self.name(i)).collect();
        for entry in fs::read_dir(&self.dir)? {
            let name = entry?.file_name();
            if !expected.contains(name.to_string_lossy().as_ref()) {
                bail!(
                    "{} holds {:?}, which is not bench data: remove it (apostille hashes the whole folder)",
                    self.dir.display(),
                    name
                );
            }
        }
        let missing: Vec<usize> = (0..self.count)
            .filter(|&i| {
                fs::metadata(self.dir.join(self.name(i)))
                    .map_or(true, |m| !m.is_file() || m.len() != self.size)
            })
            .collect();
        if missing.is_empty() {
            eprintln!(
                "[{}] data set {} ({}) reused from {}",
                clock(started),
                self.key,
                self.shape(),
                self.dir.display()
            );
            return Ok(());
        }
        let need = self.size * missing.len() as u64;
        if let Some(free) = free_bytes(&self.dir)
            && free < need + (256 << 20)
        {
            bail!(
                "{} needs {} free for data set {}, only {} available",
                self.dir.display(),
                size_label(need),
                self.key,
                size_label(free)
            );
        }
        eprintln!(
            "[{}] writing data set {} ({}, {} files missing) to {}",
            clock(started),
            self.key,
            self.shape(),
            missing.len(),
            self.dir.display()
        );
        let t = Instant::now();
        for &i in &missing {
            let f = File::create(self.dir.join(self.name(i)))?;
            f.set_len(self.size)?;
        }
        // Pieces small enough that this process stays small: a child's
        // ru_maxrss starts from what it inherits at fork.
        const CHUNK: u64 = 4 << 20;
        let mut items: Vec<(usize, u64)> = Vec::new();
        for &i in &missing {
            let mut off = 0;
            while off < self.size {
                items.push((i, off));
                off += CHUNK;
            }
        }
        let next = AtomicUsize::new(0);
        let error: Mutex<Option<io::Error>> = Mutex::new(None);
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(items.len());
        let tag = u64::from(self.key.as_bytes()[0]);
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    let mut buf = vec![0u8; (CHUNK.min(self.size)) as usize];
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(i, off)) = items.get(k) else { break };
                        let len = CHUNK.min(self.size - off) as usize;
                        let seed = (tag << 56) ^ ((i as u64) << 24) ^ (off / CHUNK);
                        fill(&mut buf[..len], seed);
                        let res = OpenOptions::new()
                            .write(true)
                            .open(self.dir.join(self.name(i)))
                            .and_then(|f| f.write_all_at(&buf[..len], off));
                        if let Err(e) = res {
                            let mut slot = error.lock().unwrap_or_else(|p| p.into_inner());
                            slot.get_or_insert(e);
                            break;
                        }
                    }
                });
            }
        });
        if let Some(e) = error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e).with_context(|| format!("writing data set {}", self.key));
        }
        // Let writeback finish now rather than during the measurements.
        sync_fs(&self.dir)?;
        eprintln!(
            "[{}] data set {} written in {:.1} s",
            clock(started),
            self.key,
            t.elapsed().as_secs_f64()
        );
        Ok(())
    }
}

/// Fills `buf` with SplitMix64 output seeded from `seed`.
pub(crate) fn fill(buf: &mut [u8], seed: u64) {
    let mut state = seed.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x5851_f42d_4c95_7f2d;
    let mut words = buf.chunks_exact_mut(8);
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for w in &mut words {
        w.copy_from_slice(&next().to_le_bytes());
    }
    let rest = words.into_remainder();
    let last = next().to_le_bytes();
    rest.copy_from_slice(&last[..rest.len()]);
}

pub(crate) fn free_bytes(dir: &Path) -> Option<u64> {
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: an all-zero statvfs is a valid value of this plain C struct.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a NUL-terminated path and `st` is valid for writes.
    let r = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    // The field types are narrower than u64 on some targets.
    #[allow(clippy::useless_conversion)]
    let bytes = u64::from(st.f_bavail) * u64::from(st.f_frsize);
    (r == 0).then_some(bytes)
}

pub(crate) fn sync_fs(dir: &Path) -> anyhow::Result<()> {
    use std::os::fd::AsRawFd;
    let d = File::open(dir)?;
    // SAFETY: `d` is an open descriptor for the whole call.
    let r = unsafe { libc::syncfs(d.as_raw_fd()) };
    if r != 0 {
        return Err(io::Error::last_os_error()).context("syncfs");
    }
    Ok(())
}

/// Reads `files` to their end; returns the seconds it took.
fn read_all(files: &[PathBuf]) -> anyhow::Result<f64> {
    let t = Instant::now();
    let mut buf = vec![0u8; 1 << 20];
    for f in files {
        let mut file = File::open(f).with_context(|| format!("reading {}", f.display()))?;
        while file.read(&mut buf)? > 0 {}
    }
    Ok(t.elapsed().as_secs_f64())
}

/// Files mapped and locked in memory with mlock(2); unmapped (and so
/// unlocked) on drop. Nothing reads through the maps: they only keep the
/// page cache from evicting the files.
pub(crate) struct Pinned {
    maps: Vec<(usize, usize)>,
}

impl Pinned {
    pub(crate) fn new(files: &[PathBuf]) -> io::Result<Pinned> {
        use std::os::fd::AsRawFd;
        let mut pinned = Pinned { maps: Vec::new() };
        for f in files {
            let file = File::open(f)?;
            let len = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
            if len == 0 {
                continue;
            }
            // SAFETY: a new read-only shared mapping of an open file at an
            // address of the kernel's choosing; it aliases no Rust object.
            let addr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_SHARED,
                    file.as_raw_fd(),
                    0,
                )
            };
            if addr == libc::MAP_FAILED {
                return Err(io::Error::last_os_error());
            }
            pinned.maps.push((addr as usize, len));
            // SAFETY: exactly the range mapped just above.
            if unsafe { libc::mlock(addr, len) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(pinned)
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        for &(addr, len) in &self.maps {
            // SAFETY: each pair is a mapping made by `Pinned::new` and not
            // yet unmapped; nothing refers into it.
            unsafe {
                libc::munmap(addr as *mut libc::c_void, len);
            }
        }
    }
}

// ---------------------------------------------------------------- running

/// A command to time.
pub(crate) struct Cmd {
    /// What the table shows.
    pub(crate) label: String,
    program: OsString,
    args: Vec<OsString>,
    /// Sample the child's anonymous RSS (apostille itself, not a shell).
    pub(crate) sample_anon: bool,
}

impl Cmd {
    pub(crate) fn exec(label: impl Into<String>, argv: &[String], files: &[PathBuf]) -> Cmd {
        Cmd {
            label: label.into(),
            program: OsString::from(&argv[0]),
            args: argv[1..]
                .iter()
                .map(OsString::from)
                .chain(files.iter().map(|f| f.clone().into_os_string()))
                .collect(),
            sample_anon: false,
        }
    }

    /// `sh -c SCRIPT sh ARGS…`: the script sees the arguments as `"$@"`.
    pub(crate) fn sh(label: impl Into<String>, script: &str, args: &[PathBuf]) -> Cmd {
        let mut a: Vec<OsString> = vec!["-c".into(), script.into(), "sh".into()];
        a.extend(args.iter().map(|p| p.clone().into_os_string()));
        Cmd {
            label: label.into(),
            program: "sh".into(),
            args: a,
            sample_anon: false,
        }
    }

    fn apostille(opts: &Options, algos: &str, threads: Option<usize>, input: &Path) -> Cmd {
        let mut args: Vec<OsString> = vec!["--quiet".into()];
        let mut label = "apostille".to_owned();
        if let Some(t) = threads {
            args.push("--threads".into());
            args.push(t.to_string().into());
            let _ = write!(label, " --threads {t}");
        }
        args.extend([
            "hash".into(),
            "--algo".into(),
            algos.into(),
            input.as_os_str().to_owned(),
        ]);
        let _ = write!(label, " hash --algo {algos}");
        Cmd {
            label,
            program: opts.bin.clone().into_os_string(),
            args,
            sample_anon: true,
        }
    }

    /// The whole command line, for the JSON report.
    pub(crate) fn command_line(&self) -> String {
        let mut s = self.program.to_string_lossy().into_owned();
        let n = self.args.len();
        for (k, a) in self.args.iter().enumerate() {
            // Long file lists are summarised.
            if n > 12 && k >= 10 && k + 1 < n {
                if k == 10 {
                    let _ = write!(s, " … ({} more)", n - 11);
                }
                continue;
            }
            s.push(' ');
            s.push_str(&shell_quote(&a.to_string_lossy()));
        }
        s
    }
}

pub(crate) fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=,+:".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

pub(crate) struct RunResult {
    pub(crate) secs: f64,
    pub(crate) maxrss_kib: u64,
    pub(crate) anon_kib: Option<u64>,
    /// CPU used by everything but the child during the run (other
    /// processes, and time the hypervisor stole), in cores.
    pub(crate) others: Option<f64>,
}

/// Busy CPU seconds of the whole machine so far, from `/proc/stat`
/// (user, nice, system, irq, softirq and steal; idle and iowait are not
/// busy).
fn machine_busy_secs() -> Option<f64> {
    let text = fs::read_to_string("/proc/stat").ok()?;
    let line = text.lines().next()?.strip_prefix("cpu ")?;
    let v: Vec<u64> = line
        .split_whitespace()
        .map(|w| w.parse().ok())
        .collect::<Option<_>>()?;
    let busy = [0, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| v.get(i).copied().unwrap_or(0))
        .sum::<u64>();
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (hz > 0).then(|| busy as f64 / hz as f64)
}

fn timeval_secs(t: libc::timeval) -> f64 {
    t.tv_sec as f64 + t.tv_usec as f64 / 1e6
}

/// Runs `cmd` once; an error string when it could not run or failed.
pub(crate) fn run_once(cmd: &Cmd, stderr_file: &Path) -> Result<RunResult, String> {
    let err = File::create(stderr_file)
        .map_err(|e| format!("cannot create {}: {e}", stderr_file.display()))?;
    let mut command = Command::new(&cmd.program);
    command
        .args(&cmd.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err);
    // A child started with vfork/posix_spawn inherits this process's peak
    // RSS into its own `ru_maxrss` (the kernel records the old address
    // space's high-water mark at exec, and with vfork that is ours). Any
    // pre-exec hook makes the standard library fork instead, after which
    // only our few resident anonymous pages are the child's to start with.
    // SAFETY: the hook does nothing, so it is async-signal-safe.
    unsafe {
        command.pre_exec(|| Ok(()));
    }
    let busy_before = machine_busy_secs();
    let start = Instant::now();
    let child = command.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let done = AtomicBool::new(false);
    let peak_anon = AtomicU64::new(0);
    let waited = std::thread::scope(|s| {
        if cmd.sample_anon {
            s.spawn(|| {
                let status = format!("/proc/{pid}/status");
                while !done.load(Ordering::Relaxed) {
                    if let Some(kib) = fs::read_to_string(&status).ok().and_then(|t| rss_anon(&t)) {
                        peak_anon.fetch_max(kib, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            });
        }
        let r = wait_child(pid);
        done.store(true, Ordering::Relaxed);
        r
    });
    let secs = start.elapsed().as_secs_f64();
    let busy_after = machine_busy_secs();
    // The child has been reaped by wait4; dropping the handle does nothing more.
    drop(child);
    let (status, usage) = waited.map_err(|e| format!("wait4: {e}"))?;
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let why = if libc::WIFEXITED(status) {
            format!("exit {}", libc::WEXITSTATUS(status))
        } else if libc::WIFSIGNALED(status) {
            format!("signal {}", libc::WTERMSIG(status))
        } else {
            format!("status {status}")
        };
        let mut tail = String::new();
        if let Ok(mut f) = File::open(stderr_file) {
            let mut buf = Vec::new();
            let _ = f.read_to_end(&mut buf);
            let text = String::from_utf8_lossy(&buf);
            if let Some(line) = text.lines().rev().find(|l| !l.trim().is_empty()) {
                tail = format!(": {}", line.trim());
            }
        }
        return Err(format!("{why}{tail}"));
    }
    let child_cpu = timeval_secs(usage.ru_utime) + timeval_secs(usage.ru_stime);
    let others = busy_before
        .zip(busy_after)
        .map(|(b, a)| ((a - b - child_cpu) / secs.max(1e-3)).max(0.0));
    Ok(RunResult {
        secs,
        maxrss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        anon_kib: cmd.sample_anon.then(|| peak_anon.load(Ordering::Relaxed)),
        others,
    })
}

/// Waits for our child `pid` and returns its status and its own resource
/// usage (including that of its waited-for descendants).
fn wait_child(pid: libc::pid_t) -> io::Result<(libc::c_int, libc::rusage)> {
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is a child of this process that nobody else waits
        // for; both pointers are valid for writes for the whole call.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            return Ok((status, usage));
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

fn rss_anon(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    line["RssAnon:".len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

// ---------------------------------------------------------------- results

pub(crate) struct Stats {
    pub(crate) times: Vec<f64>,
    pub(crate) min: f64,
    pub(crate) median: f64,
    pub(crate) max: f64,
    /// Largest `ru_maxrss` over all runs, warm-up included.
    rss_kib: Option<u64>,
    pub(crate) anon_kib: Option<u64>,
    /// Largest share of CPU other processes took during a measured run,
    /// in cores.
    others: Option<f64>,
}

impl Stats {
    pub(crate) fn of(times: Vec<f64>, rss_kib: Option<u64>, anon_kib: Option<u64>) -> Stats {
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n == 0 {
            0.0
        } else if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Stats {
            min: sorted.first().copied().unwrap_or(0.0),
            max: sorted.last().copied().unwrap_or(0.0),
            median,
            times,
            rss_kib,
            anon_kib,
            others: None,
        }
    }
}

struct Row {
    case: String,
    label: String,
    command_line: String,
    stats: Option<Stats>,
    /// Empty, or why there are no numbers ("skipped: …", "failed: …").
    status: String,
    /// This row's median ÷ the case's apostille median.
    ratio: Option<f64>,
    is_apostille: bool,
}

/// The fastest peer measured for one algorithm.
struct Best {
    peer: Peer,
    argv: Vec<String>,
    median: f64,
}

struct Target {
    name: String,
    value: Option<f64>,
    goal: String,
    pass: Option<bool>,
}

struct Bench<'a> {
    opts: &'a Options,
    tools: &'a Tools,
    started: Instant,
    rows: Vec<Row>,
    targets: Vec<Target>,
    /// One-minute load average when the run started.
    load_before: Option<f64>,
    /// Peak RSS reported for `true`.
    floor_kib: Option<u64>,
    /// Files to read again before each command, when pinning them failed.
    rewarm: Option<Vec<PathBuf>>,
    /// Data sets held with mlock(2) (key), or why not.
    pinned_sets: Vec<(String, Result<(), String>)>,
}

pub(crate) fn load_average() -> Option<f64> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

pub(crate) fn clock(started: &Instant) -> String {
    let s = started.elapsed().as_secs();
    format!("{:02}:{:02}", s / 60, s % 60)
}

impl Bench<'_> {
    /// Brings every file of `set` into the page cache and, where allowed,
    /// locks it there for as long as the returned value lives: kernels that
    /// page out cold page cache (DAMON-based reclaim, memory cgroups) would
    /// otherwise evict data between runs of a slow peer. When locking fails,
    /// the set is read again before every command instead.
    fn warm(&mut self, set: &DataSet) -> anyhow::Result<Option<Pinned>> {
        if self.tools.mem_total_kib > 0 && set.total() / 1024 > self.tools.mem_total_kib * 3 / 4 {
            eprintln!(
                "  warning: {} of data against {} of memory; it may not stay cached",
                size_label(set.total()),
                size_label(self.tools.mem_total_kib * 1024)
            );
        }
        let files = set.files();
        let t = Instant::now();
        let secs = read_all(&files)?;
        eprintln!(
            "[{}] data set {} ({}) read into the page cache: {secs:.2} s, {:.1} GB/s",
            clock(&self.started),
            set.key,
            set.shape(),
            set.total() as f64 / secs.max(1e-9) / 1e9
        );
        match Pinned::new(&files) {
            Ok(p) => {
                eprintln!(
                    "[{}] data set {} locked in memory (mlock) in {:.2} s",
                    clock(&self.started),
                    set.key,
                    t.elapsed().as_secs_f64() - secs
                );
                self.pinned_sets.push((set.key.to_owned(), Ok(())));
                Ok(Some(p))
            }
            Err(e) => {
                eprintln!(
                    "[{}] cannot lock data set {} in memory ({e}); it is read again before every command",
                    clock(&self.started),
                    set.key
                );
                self.pinned_sets
                    .push((set.key.to_owned(), Err(e.to_string())));
                self.rewarm = Some(files);
                Ok(None)
            }
        }
    }

    /// Times `cmd` (warm-up + `runs`) and records a row.
    fn measure(&mut self, case: &str, cmd: &Cmd, runs: usize) -> Option<f64> {
        let err_file = self.opts.dir.join(".last-stderr");
        if let Some(files) = &self.rewarm
            && let Err(e) = read_all(files)
        {
            eprintln!("[{}] reading the data set again: {e}", clock(&self.started));
        }
        eprint!("[{}] {case:<12} {:<50}", clock(&self.started), cmd.label);
        let mut times = Vec::new();
        let mut rss = 0u64;
        let mut anon: Option<u64> = None;
        let mut others: Option<f64> = None;
        let mut warmed = false;
        let mut status = String::new();
        while times.len() < runs {
            match run_once(cmd, &err_file) {
                Ok(r) => {
                    rss = rss.max(r.maxrss_kib);
                    if let Some(a) = r.anon_kib {
                        anon = Some(anon.unwrap_or(0).max(a));
                    }
                    if !warmed {
                        warmed = true;
                        if self.opts.always_warm_up || r.secs < LONG_RUN_SECS {
                            eprint!(" ({:.2})", r.secs);
                            continue;
                        }
                    }
                    let busy = r.others.filter(|o| is_disturbed(*o, r.secs));
                    eprint!(" {:.2}{}", r.secs, if busy.is_some() { "!" } else { "" });
                    if let Some(o) = r.others {
                        others = Some(others.unwrap_or(0.0).max(o));
                    }
                    times.push(r.secs);
                }
                Err(e) => {
                    status = format!("failed: {e}");
                    break;
                }
            }
        }
        eprintln!(
            "{}",
            if status.is_empty() {
                String::new()
            } else {
                format!(" {status}")
            }
        );
        let stats = status.is_empty().then(|| {
            let mut s = Stats::of(times, Some(rss), anon);
            s.others = others;
            s
        });
        let median = stats.as_ref().map(|s| s.median);
        self.rows.push(Row {
            case: case.to_owned(),
            label: cmd.label.clone(),
            command_line: cmd.command_line(),
            stats,
            status,
            ratio: None,
            is_apostille: cmd.sample_anon,
        });
        median
    }

    fn skip(&mut self, case: &str, label: &str, why: &str) {
        eprintln!(
            "[{}] {case:<12} {label:<50} skipped: {why}",
            clock(&self.started)
        );
        self.rows.push(Row {
            case: case.to_owned(),
            label: label.to_owned(),
            command_line: String::new(),
            stats: None,
            status: format!("skipped: {why}"),
            ratio: None,
            is_apostille: false,
        });
    }

    /// A derived row (no command of its own).
    fn computed(&mut self, case: &str, label: &str, value: f64) {
        self.rows.push(Row {
            case: case.to_owned(),
            label: label.to_owned(),
            command_line: String::new(),
            stats: Some(Stats::of(vec![value], None, None)),
            status: String::new(),
            ratio: None,
            is_apostille: false,
        });
    }

    /// Fills in the ratio of every row of `case` against `reference`.
    fn set_ratios(&mut self, case: &str, reference: Option<f64>) {
        let Some(r) = reference.filter(|r| *r > 0.0) else {
            return;
        };
        for row in self.rows.iter_mut().filter(|row| row.case == case) {
            row.ratio = row.stats.as_ref().map(|s| s.median / r);
        }
    }

    fn target(&mut self, name: String, value: Option<f64>, goal: f64, at_least: bool) {
        let pass = value.map(|v| if at_least { v >= goal } else { v <= goal });
        let goal = format!("{} {goal:.2}", if at_least { "≥" } else { "≤" });
        self.targets.push(Target {
            name,
            value,
            goal,
            pass,
        });
    }

    fn peer_missing(&self, argv: &[String]) -> Option<String> {
        (!self.tools.installed(&argv[0])).then(|| format!("{} not installed", argv[0]))
    }

    /// Cases on a data set of large files (a, b).
    fn large(&mut self, set: &DataSet) {
        let runs = self.opts.runs;
        let files = set.files();
        let input = set.apostille_input();
        // The fastest peer of each algorithm, if any was measured.
        let mut fastest: Vec<Option<Best>> = Vec::new();
        for alg in FIVE {
            let case = format!("{} {alg}", set.key);
            let ours = self.measure(&case, &Cmd::apostille(self.opts, alg, None, &input), runs);
            let mut best: Option<Best> = None;
            for peer in Peer::ALL {
                let Some(argv) = self.tools.argv(peer, alg) else {
                    continue;
                };
                let label = argv.join(" ");
                if let Some(why) = self.peer_missing(&argv) {
                    self.skip(&case, &label, &why);
                    continue;
                }
                let m = self.measure(&case, &Cmd::exec(label, &argv, &files), runs);
                if let Some(median) = m
                    && best.as_ref().is_none_or(|b| median < b.median)
                {
                    best = Some(Best { peer, argv, median });
                }
            }
            self.set_ratios(&case, ours);
            let value = ours.zip(best.as_ref()).map(|(o, b)| b.median / o);
            let who = best
                .as_ref()
                .map_or("none measured".to_owned(), |b| b.argv.join(" "));
            self.target(
                format!("{case}: fastest peer ({who}) ÷ apostille"),
                value,
                0.95,
                true,
            );
            fastest.push(best);
        }

        // The bound: single-algorithm, single-thread apostille runs.
        let case = format!("{} bound", set.key);
        let mut sum = Some(0.0);
        for alg in FIVE {
            let m = self.measure(
                &case,
                &Cmd::apostille(self.opts, alg, Some(1), &input),
                runs,
            );
            sum = sum.zip(m).map(|(s, m)| s + m);
        }
        let bound = sum.map(|s| s / self.opts.cores as f64);
        if let Some(b) = bound {
            let label = format!("bound = sum of the above ÷ {} cores", self.opts.cores);
            self.computed(&case, &label, b);
        }

        // All five at once.
        let case = format!("{} all five", set.key);
        let all = FIVE.join(",");
        let ours = self.measure(&case, &Cmd::apostille(self.opts, &all, None, &input), runs);

        let coreutils: Vec<String> = ["sha256sum", "sha512sum", "sha1sum", "md5sum", "b3sum"]
            .iter()
            .map(|p| (*p).to_owned())
            .collect();
        let label = "sha256sum; sha512sum; sha1sum; md5sum; b3sum";
        let coreutils_median = match coreutils.iter().find(|p| !self.tools.installed(p)) {
            Some(p) => {
                self.skip(&case, label, &format!("{p} not installed"));
                None
            }
            None => {
                let script = coreutils
                    .iter()
                    .map(|p| format!("{p} \"$@\""))
                    .collect::<Vec<_>>()
                    .join(" && ");
                self.measure(&case, &Cmd::sh(label, &script, &files), runs)
            }
        };

        let fastest_median = if fastest.iter().all(Option::is_some) {
            let chosen: Vec<&Best> = fastest.iter().flatten().collect();
            let parts: Vec<String> = chosen
                .iter()
                .map(|b| format!("{} \"$@\"", b.argv.join(" ")))
                .collect();
            let names: Vec<&str> = chosen.iter().map(|b| b.peer.name()).collect();
            let label = format!("fastest in turn: {}", group_names(&names));
            self.measure(&case, &Cmd::sh(label, &parts.join(" && "), &files), runs)
        } else {
            self.skip(
                &case,
                "fastest in turn",
                "some algorithm has no working peer",
            );
            None
        };

        let rhash4 = "rhash --sha256 --sha512 --sha1 --md5";
        let b3 = self.tools.installed("b3sum");
        let rhash = self.tools.installed("rhash");
        if rhash && b3 {
            let script = format!("{rhash4} \"$@\" && b3sum \"$@\"");
            self.measure(
                &case,
                &Cmd::sh(format!("{rhash4}; b3sum"), &script, &files),
                runs,
            );
            if set.count > 1 {
                let per = set.count.div_ceil(2);
                let script = format!(
                    "printf '%s\\0' \"$@\" | xargs -0 -P2 -n {per} {rhash4} && b3sum \"$@\""
                );
                let label = "xargs -P2 rhash (4 digests); b3sum";
                self.measure(&case, &Cmd::sh(label, &script, &files), runs);
            }
        } else {
            let why = if rhash {
                "b3sum not installed"
            } else {
                "rhash not installed"
            };
            self.skip(&case, &format!("{rhash4}; b3sum"), why);
        }
        if let Some(b) = bound {
            self.computed(&case, "bound (from the bound case)", b);
        }
        self.set_ratios(&case, ours);

        let k = set.key;
        self.target(
            format!("{k} all five: coreutils + b3sum ÷ apostille"),
            ours.zip(coreutils_median).map(|(o, c)| c / o),
            3.0,
            true,
        );
        self.target(
            format!("{k} all five: fastest in turn ÷ apostille"),
            ours.zip(fastest_median).map(|(o, c)| c / o),
            2.0,
            true,
        );
        self.target(
            format!("{k} all five: apostille ÷ bound"),
            ours.zip(bound).map(|(o, b)| o / b),
            1.10,
            false,
        );
    }

    /// Cases on the many-small-files set (c).
    fn small(&mut self, set: &DataSet) {
        let runs = self.opts.runs.max(5);
        let dir = std::slice::from_ref(&set.dir);
        for alg in ["sha256", "blake3"] {
            let case = format!("{} {alg}", set.key);
            let ours = self.measure(&case, &Cmd::apostille(self.opts, alg, None, &set.dir), runs);
            let mut best: Option<(String, f64)> = None;
            for peer in Peer::ALL {
                let Some(argv) = self.tools.argv(peer, alg) else {
                    continue;
                };
                let label = format!("find | xargs {}", argv.join(" "));
                if let Some(why) = self.peer_missing(&argv) {
                    self.skip(&case, &label, &why);
                    continue;
                }
                let script = format!("find \"$1\" -type f -print0 | xargs -0 {}", argv.join(" "));
                if let Some(m) = self.measure(&case, &Cmd::sh(label, &script, dir), runs)
                    && best.as_ref().is_none_or(|b| m < b.1)
                {
                    best = Some((argv.join(" "), m));
                }
            }
            self.set_ratios(&case, ours);
            let who = best
                .as_ref()
                .map_or("none measured", |b| b.0.as_str())
                .to_owned();
            self.target(
                format!("{case}: fastest peer ({who}) ÷ apostille"),
                ours.zip(best.as_ref()).map(|(o, b)| b.1 / o),
                0.95,
                true,
            );
        }
    }

    fn rss_targets(&mut self) {
        let ours: Vec<(String, u64, Option<u64>)> = self
            .rows
            .iter()
            .filter(|r| r.is_apostille)
            .filter_map(|r| {
                let s = r.stats.as_ref()?;
                Some((r.case.clone(), s.rss_kib?, s.anon_kib))
            })
            .collect();
        let worst = ours.iter().max_by_key(|o| o.1);
        let name = match worst {
            Some((case, _, _)) => format!("apostille peak RSS (ru_maxrss), worst case: {case}"),
            None => "apostille peak RSS (ru_maxrss)".to_owned(),
        };
        self.target(
            format!("{name}, MiB"),
            worst.map(|w| w.1 as f64 / 1024.0),
            RSS_TARGET_KIB as f64 / 1024.0,
            false,
        );
        let worst_anon = ours
            .iter()
            .filter_map(|o| o.2.map(|a| (o.0.clone(), a)))
            .max_by_key(|o| o.1);
        let name = match &worst_anon {
            Some((case, _)) => format!("apostille peak anonymous RSS, worst case: {case}"),
            None => "apostille peak anonymous RSS".to_owned(),
        };
        self.target(
            format!("{name}, MiB"),
            worst_anon.map(|w| w.1 as f64 / 1024.0),
            RSS_TARGET_KIB as f64 / 1024.0,
            false,
        );
    }

    // ------------------------------------------------------------ output

    fn render(&self, sets: &[DataSet]) -> String {
        let mut out = String::new();
        let o = &mut out;
        let _ = writeln!(
            o,
            "\napostille peer comparison ({})",
            if self.opts.quick { "quick" } else { "full" }
        );
        let _ = writeln!(
            o,
            "  machine:  {}, {} cores, {} RAM",
            self.tools.cpu,
            self.opts.cores,
            size_label(self.tools.mem_total_kib * 1024)
        );
        let _ = writeln!(o, "  apostille: {}", self.tools.apostille_version);
        for (p, v) in &self.tools.versions {
            let _ = writeln!(o, "  {p}: {v}");
        }
        for s in sets {
            let _ = writeln!(
                o,
                "  data set {}: {} in {}",
                s.key,
                s.shape(),
                s.dir.display()
            );
        }
        let _ = writeln!(
            o,
            "  runs: {} measured per command ({} for set c); times are wall-clock seconds.",
            self.opts.runs,
            self.opts.runs.max(5)
        );
        let _ = writeln!(
            o,
            "  page cache: not dropped; each data set is read in full before its cases, {}.",
            self.pin_summary()
        );
        let _ = writeln!(
            o,
            "  warm-up: each command's first run is discarded{}.",
            if self.opts.always_warm_up {
                String::new()
            } else {
                format!(" unless it took ≥ {LONG_RUN_SECS:.0} s (then it counts as measured)")
            }
        );
        let load = |l: Option<f64>| l.map_or("unknown".to_owned(), |l| format!("{l:.2}"));
        let _ = writeln!(
            o,
            "  load average (1 min): {} at the start, {} at the end.",
            load(self.load_before),
            load(load_average())
        );
        let _ = writeln!(
            o,
            "  ratio: this command's median ÷ apostille's median in the same case (> 1: apostille faster)."
        );
        let _ = writeln!(
            o,
            "  peak RSS: ru_maxrss from wait4, mapped file pages included (`true` reports {}).",
            self.floor_kib
                .map_or("?".to_owned(), |k| size_label(k * 1024))
        );
        let _ = writeln!(o, "  anon: apostille's RssAnon, sampled every 10 ms.");
        let _ = writeln!(
            o,
            "  fastest in turn: the fastest peer of each of {} (as measured above), one after another.",
            FIVE.join(", ")
        );
        let _ = writeln!(
            o,
            "  others: cores kept busy by other processes (or stolen by the hypervisor) during the worst\n  \
             measured run (10 ms resolution, so short runs read high); `!` marks a row above {DISTURBED_CORES:.2}\n  \
             cores and 50 ms of CPU, whose times are not to be trusted.\n"
        );
        let w_case = self
            .rows
            .iter()
            .map(|r| r.case.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let w_cmd = self
            .rows
            .iter()
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(7)
            .clamp(7, 60);
        let header = format!(
            "{:<w_case$}  {:<w_cmd$}  {:>8} {:>8} {:>8}  {:>6}  {:>9}  {:>8}  {:>7}",
            "case", "command", "min", "median", "max", "ratio", "peak RSS", "anon", "others"
        );
        let _ = writeln!(o, "{header}");
        let _ = writeln!(o, "{}", "-".repeat(header.chars().count()));
        let mut last_case = "";
        let mut disturbed = 0;
        for r in &self.rows {
            if !last_case.is_empty() && r.case != last_case {
                let _ = writeln!(o);
            }
            last_case = &r.case;
            let label = truncate(&r.label, w_cmd);
            let line = match &r.stats {
                None => format!("{:<w_case$}  {label:<w_cmd$}  {}", r.case, r.status),
                Some(s) => {
                    let computed = s.rss_kib.is_none();
                    let (min, max) = if computed {
                        ("".to_owned(), "".to_owned())
                    } else {
                        (format!("{:.3}", s.min), format!("{:.3}", s.max))
                    };
                    let ratio = r.ratio.map_or(String::new(), |x| format!("{x:.2}"));
                    let rss = s.rss_kib.map_or(String::new(), |k| size_label(k * 1024));
                    let anon = s.anon_kib.map_or(String::new(), |k| size_label(k * 1024));
                    let others = s.others.map_or(String::new(), |x| {
                        if is_disturbed(x, s.median) {
                            disturbed += 1;
                            format!("{x:.2}!")
                        } else {
                            format!("{x:.2} ")
                        }
                    });
                    format!(
                        "{:<w_case$}  {label:<w_cmd$}  {min:>8} {:>8.3} {max:>8}  {ratio:>6}  {rss:>9}  {anon:>8}  {others:>7}",
                        r.case, s.median
                    )
                }
            };
            let _ = writeln!(o, "{}", line.trim_end());
        }
        if disturbed > 0 {
            let _ = writeln!(
                o,
                "\n{disturbed} rows marked `!` ran while other work used the machine: rerun on a quiet machine."
            );
        }
        let _ = writeln!(o, "\ntargets");
        let w_name = self
            .targets
            .iter()
            .map(|t| t.name.chars().count())
            .max()
            .unwrap_or(10);
        for t in &self.targets {
            let verdict = match t.pass {
                Some(true) => "PASS",
                Some(false) => "MISS",
                None => "n/a",
            };
            let value = t.value.map_or("—".to_owned(), |v| format!("{v:.2}"));
            let _ = writeln!(
                o,
                "  {verdict:<4}  {:<w_name$}  {value:>7}  (target {})",
                t.name, t.goal
            );
        }
        let pass = self.targets.iter().filter(|t| t.pass == Some(true)).count();
        let _ = writeln!(
            o,
            "\n{pass} of {} targets met; total time {}.",
            self.targets.len(),
            clock(&self.started)
        );
        out
    }

    fn pin_summary(&self) -> String {
        let locked: Vec<&str> = self
            .pinned_sets
            .iter()
            .filter(|p| p.1.is_ok())
            .map(|p| p.0.as_str())
            .collect();
        let failed = self.pinned_sets.iter().find_map(|p| p.1.as_ref().err());
        match failed {
            None => "and locked in memory with mlock while its cases run".to_owned(),
            Some(e) if locked.is_empty() => {
                format!("mlock failed: {e}; read again before every command")
            }
            Some(e) => format!(
                "locked with mlock: {}; others read again before every command ({e})",
                locked.join(", ")
            ),
        }
    }

    fn json(&self, sets: &[DataSet]) -> String {
        let mut o = String::from("{\n");
        let _ = writeln!(
            o,
            "  \"mode\": {},",
            js(if self.opts.quick { "quick" } else { "full" })
        );
        let _ = writeln!(o, "  \"cpu\": {},", js(&self.tools.cpu));
        let _ = writeln!(o, "  \"cores\": {},", self.opts.cores);
        let _ = writeln!(o, "  \"mem_total_kib\": {},", self.tools.mem_total_kib);
        let _ = writeln!(o, "  \"apostille\": {},", js(&self.tools.apostille_version));
        let _ = writeln!(o, "  \"runs\": {},", self.opts.runs);
        let _ = writeln!(o, "  \"always_warm_up\": {},", self.opts.always_warm_up);
        let _ = writeln!(o, "  \"page_cache\": {},", js(&self.pin_summary()));
        let _ = writeln!(
            o,
            "  \"load_average_before\": {},",
            opt_num(self.load_before)
        );
        let _ = writeln!(o, "  \"load_average_after\": {},", opt_num(load_average()));
        let _ = writeln!(
            o,
            "  \"rss_floor_kib\": {},",
            opt_num(self.floor_kib.map(|k| k as f64))
        );
        o.push_str("  \"peers\": {");
        for (k, (p, v)) in self.tools.versions.iter().enumerate() {
            let _ = write!(o, "{}{}: {}", if k > 0 { ", " } else { "" }, js(p), js(v));
        }
        o.push_str("},\n  \"data_sets\": [\n");
        for (k, s) in sets.iter().enumerate() {
            let _ = writeln!(
                o,
                "    {{\"key\": {}, \"files\": {}, \"file_bytes\": {}, \"dir\": {}}}{}",
                js(s.key),
                s.count,
                s.size,
                js(&s.dir.to_string_lossy()),
                if k + 1 < sets.len() { "," } else { "" }
            );
        }
        o.push_str("  ],\n  \"rows\": [\n");
        for (k, r) in self.rows.iter().enumerate() {
            let _ = write!(
                o,
                "    {{\"case\": {}, \"command\": {}, \"command_line\": {}, \"status\": {}",
                js(&r.case),
                js(&r.label),
                js(&r.command_line),
                js(if r.status.is_empty() { "ok" } else { &r.status })
            );
            if let Some(s) = &r.stats {
                let times: Vec<String> = s.times.iter().map(|t| format!("{t:.4}")).collect();
                let _ = write!(
                    o,
                    ", \"times_s\": [{}], \"min_s\": {:.4}, \"median_s\": {:.4}, \"max_s\": {:.4}",
                    times.join(", "),
                    s.min,
                    s.median,
                    s.max
                );
                let _ = write!(
                    o,
                    ", \"peak_rss_kib\": {}",
                    opt_num(s.rss_kib.map(|v| v as f64))
                );
                let _ = write!(
                    o,
                    ", \"peak_anon_rss_kib\": {}",
                    opt_num(s.anon_kib.map(|v| v as f64))
                );
                let _ = write!(o, ", \"others_cores\": {}", opt_num(s.others));
            }
            let _ = write!(o, ", \"ratio\": {}", opt_num(r.ratio));
            let _ = writeln!(o, "}}{}", if k + 1 < self.rows.len() { "," } else { "" });
        }
        o.push_str("  ],\n  \"targets\": [\n");
        for (k, t) in self.targets.iter().enumerate() {
            let verdict = match t.pass {
                Some(true) => "PASS",
                Some(false) => "MISS",
                None => "n/a",
            };
            let _ = writeln!(
                o,
                "    {{\"name\": {}, \"value\": {}, \"target\": {}, \"result\": {}}}{}",
                js(&t.name),
                opt_num(t.value),
                js(&t.goal),
                js(verdict),
                if k + 1 < self.targets.len() { "," } else { "" }
            );
        }
        let _ = writeln!(
            o,
            "  ],\n  \"total_s\": {:.1}\n}}",
            self.started.elapsed().as_secs_f64()
        );
        o
    }
}

/// "openssl, openssl, rhash" → "openssl×2+rhash" (runs of equal names).
fn group_names(names: &[&str]) -> String {
    let mut parts: Vec<(&str, usize)> = Vec::new();
    for n in names {
        match parts.last_mut() {
            Some((last, k)) if last == n => *k += 1,
            _ => parts.push((n, 1)),
        }
    }
    parts
        .iter()
        .map(|(n, k)| {
            if *k > 1 {
                format!("{n}×{k}")
            } else {
                (*n).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("+")
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub(crate) fn size_label(bytes: u64) -> String {
    const K: u64 = 1024;
    let f = bytes as f64;
    if bytes >= K * K * K && bytes.is_multiple_of(K * K * K) {
        format!("{}GiB", bytes / (K * K * K))
    } else if bytes >= K * K * K {
        format!("{:.1}GiB", f / (K * K * K) as f64)
    } else if bytes >= K * K && bytes.is_multiple_of(K * K) {
        format!("{}MiB", bytes / (K * K))
    } else if bytes >= K * K {
        format!("{:.1}MiB", f / (K * K) as f64)
    } else if bytes.is_multiple_of(K) {
        format!("{}KiB", bytes / K)
    } else {
        format!("{bytes}B")
    }
}

/// A JSON string literal.
pub(crate) fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn opt_num(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.4}"),
        _ => "null".to_owned(),
    }
}

/// Writes `path` through a temporary file and a rename.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("json.tmp");
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}
