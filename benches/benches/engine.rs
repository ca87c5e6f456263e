//! The fused engine on real files in the page cache: what the defaults of
//! `EngineConfig` rest on.
//!
//! One 256 MiB file of pseudo-random bytes is written once (under Cargo's
//! per-target temporary directory, on the same file system as the build)
//! and read through `Engine::hash` again and again, so after the first
//! iteration it is served from the page cache; the numbers are hashing and
//! mapping cost, not disk speed. Groups, all in bytes per second:
//!
//! * `engine/alone/<alg>`: each of sha256, sha512, sha1, md5 and blake3 on
//!   its own with the default configuration (BLAKE3 then uses its rayon
//!   tree parallelism); `blake3-1-thread` is the same with one thread, to
//!   show what the tree parallelism buys.
//! * `engine/fused/<mode>`: all five in one pass, mapped (`mmap`) against
//!   `read(2)` (`stream`) reads.
//! * `engine/window/<size>`: all five in one pass, mapped, with windows of
//!   256 KiB, 1 MiB (the default) and 4 MiB.
//! * `engine/small-files/mmap_min=<size>`: 2,000 files of 16 KiB, SHA-256,
//!   through `Engine::hash_all`, with every file mapped (`mmap_min` 16 KiB)
//!   against every file read (`mmap_min` 1 MiB, the default): the case for
//!   the default mapping threshold.

use std::fs::File;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use apostille_digest::{Algorithm, AlgorithmSet, Engine, EngineConfig, Input, Job, ReadMode};
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main, measurement::WallTime,
};

/// Size of the large file.
const BIG: u64 = 256 << 20;
/// Number and size of the small files.
const SMALL_COUNT: usize = 2_000;
const SMALL_LEN: usize = 16 << 10;

/// The five algorithms a release run typically asks for.
const FIVE: [Algorithm; 5] = [
    Algorithm::Sha256,
    Algorithm::Sha512,
    Algorithm::Sha1,
    Algorithm::Md5,
    Algorithm::Blake3,
];

/// SplitMix64: deterministic bytes that look random to every hash.
struct Prng(u64);

impl Prng {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            let bytes = (z ^ (z >> 31)).to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

fn write_file(path: &Path, len: u64, prng: &mut Prng) {
    let file = File::create(path).expect("create bench file");
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        prng.fill(&mut buf[..n]);
        out.write_all(&buf[..n]).expect("write bench file");
        left -= n as u64;
    }
    out.flush().expect("flush bench file");
}

/// The bench data, removed when dropped.
struct Data {
    _dir: tempfile::TempDir,
    big: PathBuf,
    small: Vec<PathBuf>,
}

impl Data {
    fn new() -> Data {
        let dir = tempfile::Builder::new()
            .prefix("engine-bench-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("temporary directory");
        let mut prng = Prng(0x00ab_0571_11e0);
        let big = dir.path().join("big.bin");
        write_file(&big, BIG, &mut prng);
        let small_dir = dir.path().join("small");
        std::fs::create_dir(&small_dir).expect("create small-file directory");
        let small = (0..SMALL_COUNT)
            .map(|i| {
                let p = small_dir.join(format!("f{i:05}"));
                write_file(&p, SMALL_LEN as u64, &mut prng);
                p
            })
            .collect();
        Data {
            _dir: dir,
            big,
            small,
        }
    }
}

fn engine(config: EngineConfig) -> Engine {
    Engine::new(config).expect("engine thread pool")
}

fn set(algs: &[Algorithm]) -> AlgorithmSet {
    algs.iter().copied().collect()
}

/// Hashes `path` once and checks that every digest came back.
fn hash_once(engine: &Engine, path: &Path, algs: AlgorithmSet) {
    let out = engine
        .hash(Job::new(Input::Path(path.to_path_buf()), algs))
        .expect("hash bench file");
    assert_eq!(out.size, BIG);
    black_box(out.digests);
}

/// Ten flat samples in about `secs` seconds (one iteration each for the big
/// file): enough to see a few per cent, short enough for a 2-core machine.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, bytes: u64, secs: u64) {
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(secs))
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Bytes(bytes));
}

fn big_file(c: &mut Criterion, data: &Data) {
    let default = engine(EngineConfig::default());

    let mut group = c.benchmark_group("engine/alone");
    configure(&mut group, BIG, 5);
    for alg in FIVE {
        group.bench_function(BenchmarkId::from_parameter(alg.name()), |b| {
            b.iter(|| hash_once(&default, &data.big, set(&[alg])))
        });
    }
    let single = engine(EngineConfig {
        threads: 1,
        ..EngineConfig::default()
    });
    group.bench_function(BenchmarkId::from_parameter("blake3-1-thread"), |b| {
        b.iter(|| hash_once(&single, &data.big, set(&[Algorithm::Blake3])))
    });
    group.finish();

    let mut group = c.benchmark_group("engine/fused");
    configure(&mut group, BIG, 7);
    for (name, read_mode) in [("mmap", ReadMode::Mmap), ("stream", ReadMode::Stream)] {
        let e = engine(EngineConfig {
            read_mode,
            ..EngineConfig::default()
        });
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| hash_once(&e, &data.big, set(&FIVE)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("engine/window");
    configure(&mut group, BIG, 7);
    for (name, window) in [("256KiB", 256 << 10), ("1MiB", 1 << 20), ("4MiB", 4 << 20)] {
        let e = engine(EngineConfig {
            read_mode: ReadMode::Mmap,
            window,
            ..EngineConfig::default()
        });
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| hash_once(&e, &data.big, set(&FIVE)))
        });
    }
    group.finish();
}

fn small_files(c: &mut Criterion, data: &Data) {
    let mut group = c.benchmark_group("engine/small-files");
    configure(&mut group, (SMALL_COUNT * SMALL_LEN) as u64, 2);
    let sha256 = set(&[Algorithm::Sha256]);
    for (name, mmap_min) in [("mmap_min=16KiB", 16 << 10), ("mmap_min=1MiB", 1 << 20)] {
        let e = engine(EngineConfig {
            read_mode: ReadMode::Auto,
            mmap_min,
            ..EngineConfig::default()
        });
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let jobs = data
                    .small
                    .iter()
                    .map(|p| Job::new(Input::Path(p.clone()), sha256))
                    .collect();
                for r in e.hash_all(jobs) {
                    black_box(r.expect("hash small file").digests);
                }
            })
        });
    }
    group.finish();
}

fn all(c: &mut Criterion) {
    let data = Data::new();
    big_file(c, &data);
    small_files(c, &data);
}

criterion_group!(benches, all);
criterion_main!(benches);
