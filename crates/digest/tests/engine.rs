//! The engine against independent implementations (`openssl dgst`, `b3sum`)
//! and against itself across read modes, thread counts and window sizes, at
//! the lengths where windowing and mapping bugs live; plus the hostile cases:
//! FIFOs, devices, files that change while they are hashed.

#![allow(clippy::unwrap_used)]

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use apostille_digest::{
    Algorithm, AlgorithmSet, Engine, EngineConfig, HashError, HashSink, Input, Job, ReadKind,
    ReadMode,
};

fn all_algorithms() -> AlgorithmSet {
    Algorithm::ALL.into_iter().collect()
}

fn pattern(len: usize) -> Vec<u8> {
    // A cheap deterministic sequence that is not periodic at small powers of two.
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Digest of `path` by a real peer tool.
fn peer_hex(alg: Algorithm, path: &Path) -> String {
    let out = match alg {
        Algorithm::Blake3 => Command::new("b3sum").arg("--no-names").arg(path).output(),
        other => {
            let flag = format!("-{}", other.name());
            Command::new("openssl")
                .args(["dgst", "-r", &flag])
                .arg(path)
                .output()
        }
    }
    .unwrap_or_else(|e| panic!("peer for {alg} not runnable ({e}); install openssl and b3sum"));
    assert!(out.status.success(), "peer for {alg} failed: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

fn engine(threads: usize, read_mode: ReadMode, mmap_min: u64, window: usize) -> Engine {
    Engine::new(EngineConfig {
        threads,
        read_mode,
        mmap_min,
        window,
        split_window: 3 * window,
        parallel_min: 2 * window as u64,
    })
    .unwrap()
}

/// Every configuration worth distinguishing.
fn engines() -> Vec<(String, Engine)> {
    let mut v = Vec::new();
    for threads in [1, 2] {
        for (mode, name) in [
            (ReadMode::Auto, "auto"),
            (ReadMode::Mmap, "mmap"),
            (ReadMode::Stream, "stream"),
        ] {
            for window in [4096, 1 << 20] {
                v.push((
                    format!("threads={threads} mode={name} window={window}"),
                    engine(threads, mode, 4096, window),
                ));
            }
        }
    }
    v
}

#[test]
fn standard_vectors() {
    let e = engine(2, ReadMode::Auto, 1 << 20, 1 << 20);
    let dir = tempfile::tempdir().unwrap();
    let abc = dir.path().join("abc");
    fs::write(&abc, b"abc").unwrap();
    let got = e
        .hash(Job::new(Input::Path(abc), all_algorithms()))
        .unwrap();
    let hex = |a| got.digests.get(a).unwrap().to_hex();
    assert_eq!(
        hex(Algorithm::Sha256),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex(Algorithm::Sha384),
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
    );
    assert_eq!(
        hex(Algorithm::Sha512),
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    );
    assert_eq!(
        hex(Algorithm::Sha1),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(hex(Algorithm::Md5), "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(
        hex(Algorithm::Blake3),
        "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
    );
}

/// Lengths at the edges of blocks (64/128 bytes), 1 KiB, the small-engine
/// window (4096) and mmap threshold (4096), and the default window (1 MiB).
const LENGTHS: [usize; 16] = [
    0,
    1,
    63,
    64,
    65,
    127,
    128,
    1023,
    1024,
    1025,
    4095,
    4096,
    4097,
    (1 << 20) - 1,
    1 << 20,
    (1 << 20) + 1,
];

#[test]
fn boundary_lengths_match_peers_in_every_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let data = pattern(*LENGTHS.iter().max().unwrap() + 1);
    let engines = engines();
    for len in LENGTHS {
        let path = dir.path().join(format!("f{len}"));
        fs::write(&path, &data[..len]).unwrap();
        let expected: Vec<(Algorithm, String)> = Algorithm::ALL
            .into_iter()
            .map(|a| (a, peer_hex(a, &path)))
            .collect();
        for (name, e) in &engines {
            let got = e
                .hash(Job::new(Input::Path(path.clone()), all_algorithms()))
                .unwrap();
            assert_eq!(got.size, len as u64);
            // BLAKE3 alone takes the split-window path.
            let b3 = e
                .hash(Job::new(
                    Input::Path(path.clone()),
                    [Algorithm::Blake3].into_iter().collect(),
                ))
                .unwrap();
            assert_eq!(
                b3.digests.get(Algorithm::Blake3).unwrap().to_hex(),
                expected[3].1,
                "blake3 alone, {len} bytes with {name}"
            );
            for (a, hex) in &expected {
                assert_eq!(
                    &got.digests.get(*a).unwrap().to_hex(),
                    hex,
                    "{a} of {len} bytes with {name}"
                );
            }
        }
    }
}

#[test]
fn default_mmap_threshold_edges() {
    let e = Engine::new(EngineConfig::default()).unwrap();
    let min = e.config().mmap_min as usize;
    let dir = tempfile::tempdir().unwrap();
    let data = pattern(min + 1);
    for len in [min - 1, min, min + 1] {
        let path = dir.path().join(format!("m{len}"));
        fs::write(&path, &data[..len]).unwrap();
        let got = e
            .hash(Job::new(
                Input::Path(path.clone()),
                [Algorithm::Sha512].into_iter().collect(),
            ))
            .unwrap();
        let want = if len >= min {
            ReadKind::Mmap
        } else {
            ReadKind::Stream
        };
        assert_eq!(got.read_kind, want, "{len}");
        assert_eq!(
            got.digests.get(Algorithm::Sha512).unwrap().to_hex(),
            peer_hex(Algorithm::Sha512, &path)
        );
    }
}

/// Counts the bytes a sink sees, to show that every byte is fed once.
struct Counter(Arc<AtomicU64>);

impl HashSink for Counter {
    fn update(&mut self, data: &[u8]) {
        self.0.fetch_add(data.len() as u64, Ordering::Relaxed);
    }
}

#[test]
fn fifo_is_read_once_for_every_digest_and_sink() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let st = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    let data = pattern(5 << 20);
    let plain = dir.path().join("plain");
    fs::write(&plain, &data).unwrap();
    let writer = {
        let fifo = fifo.clone();
        let data = data.clone();
        std::thread::spawn(move || {
            let mut f = OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(&data).unwrap();
        })
    };
    let count = Arc::new(AtomicU64::new(0));
    let e = engine(2, ReadMode::Auto, 4096, 1 << 16);
    let got = e
        .hash(
            Job::new(Input::Path(fifo), all_algorithms())
                .with_sink(Box::new(Counter(count.clone())))
                .with_sink(Box::new(Counter(count.clone()))),
        )
        .unwrap();
    writer.join().unwrap();
    assert_eq!(got.size, data.len() as u64);
    assert_eq!(got.read_kind, ReadKind::Stream);
    assert_eq!(got.sinks.len(), 2);
    assert_eq!(
        count.load(Ordering::Relaxed),
        2 * data.len() as u64,
        "each sink sees each byte exactly once"
    );
    for a in Algorithm::ALL {
        assert_eq!(
            got.digests.get(a).unwrap().to_hex(),
            peer_hex(a, &plain),
            "{a}"
        );
    }
}

#[test]
fn dev_null_and_empty_file() {
    let e = engine(2, ReadMode::Mmap, 0, 1 << 20);
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    File::create(&empty).unwrap();
    for p in [PathBuf::from("/dev/null"), empty] {
        let got = e
            .hash(Job::new(
                Input::Path(p.clone()),
                [Algorithm::Sha256].into_iter().collect(),
            ))
            .unwrap();
        assert_eq!(got.size, 0);
        assert_eq!(
            got.digests.get(Algorithm::Sha256).unwrap().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "{}",
            p.display()
        );
    }
}

#[test]
fn directory_and_missing_file_are_errors_naming_the_path() {
    let e = engine(2, ReadMode::Auto, 4096, 1 << 20);
    let dir = tempfile::tempdir().unwrap();
    let algs: AlgorithmSet = [Algorithm::Sha256].into_iter().collect();
    let results = e.hash_all(vec![
        Job::new(Input::Path(dir.path().to_path_buf()), algs),
        Job::new(Input::Path(dir.path().join("missing")), algs),
    ]);
    assert!(matches!(results[0], Err(HashError::IsDirectory { .. })));
    let err = results[1].as_ref().unwrap_err();
    assert!(matches!(err, HashError::Open { .. }));
    assert!(err.to_string().contains("missing"), "{err}");
}

/// A sink that changes the file under the engine on its first update.
struct Saboteur {
    path: PathBuf,
    action: fn(&Path),
    done: bool,
}

impl HashSink for Saboteur {
    fn update(&mut self, _data: &[u8]) {
        if !self.done {
            self.done = true;
            (self.action)(&self.path);
        }
    }
}

fn truncate_to_one_page(p: &Path) {
    OpenOptions::new()
        .write(true)
        .open(p)
        .unwrap()
        .set_len(4096)
        .unwrap();
}

fn append(p: &Path) {
    OpenOptions::new()
        .append(true)
        .open(p)
        .unwrap()
        .write_all(b"more")
        .unwrap();
}

fn overwrite_in_place(p: &Path) {
    use std::os::unix::fs::FileExt;
    let f = OpenOptions::new().write(true).open(p).unwrap();
    f.write_all_at(b"changed", 10 << 20).unwrap();
}

#[test]
fn file_changed_while_hashing_is_an_error_never_a_digest() {
    let dir = tempfile::tempdir().unwrap();
    let data = pattern(16 << 20);
    type Sabotage = (&'static str, fn(&Path));
    let cases: [Sabotage; 3] = [
        ("truncate", truncate_to_one_page),
        ("append", append),
        ("overwrite", overwrite_in_place),
    ];
    for (what, action) in cases {
        for (mode, threads) in [
            (ReadMode::Mmap, 1),
            (ReadMode::Mmap, 2),
            (ReadMode::Stream, 1),
            (ReadMode::Stream, 2),
        ] {
            let path = dir.path().join(format!("victim-{what}"));
            fs::write(&path, &data).unwrap();
            let e = engine(threads, mode, 4096, 1 << 20);
            let job = Job::new(Input::Path(path.clone()), all_algorithms()).with_sink(Box::new(
                Saboteur {
                    path: path.clone(),
                    action,
                    done: false,
                },
            ));
            let r = e.hash(job);
            assert!(
                matches!(r, Err(HashError::Changed { .. })),
                "{what} with {mode:?}/{threads}: {r:?}"
            );
            if what == "truncate" && mode == ReadMode::Mmap {
                // The SIGBUS guard, not only the metadata check, saw it:
                // without the guard this process would have been killed.
                let msg = r.unwrap_err().to_string();
                assert!(msg.contains("shrank while mapped"), "{msg}");
            }
        }
    }
}

#[test]
fn sparse_file_past_4_gib() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sparse");
    {
        use std::os::unix::fs::FileExt;
        let f = File::create(&path).unwrap();
        let len = (4u64 << 30) + 4097;
        f.set_len(len).unwrap();
        f.write_all_at(b"past the 32-bit boundary", (4u64 << 30) + 1000)
            .unwrap();
        f.write_all_at(b"start", 0).unwrap();
    }
    let algs: AlgorithmSet = [Algorithm::Sha256, Algorithm::Blake3].into_iter().collect();
    let want: Vec<_> = algs.iter().map(|a| (a, peer_hex(a, &path))).collect();
    for mode in [ReadMode::Mmap, ReadMode::Stream] {
        let e = engine(2, mode, 4096, 1 << 20);
        let got = e.hash(Job::new(Input::Path(path.clone()), algs)).unwrap();
        assert_eq!(got.size, (4u64 << 30) + 4097);
        for (a, hex) in &want {
            assert_eq!(&got.digests.get(*a).unwrap().to_hex(), hex, "{a} {mode:?}");
        }
    }
}

#[test]
fn hash_all_keeps_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let sizes = [10usize, 3 << 20, 0, 70_000, 1];
    let data = pattern(3 << 20);
    let mut jobs = Vec::new();
    for (i, s) in sizes.iter().enumerate() {
        let p = dir.path().join(format!("{i}"));
        fs::write(&p, &data[..*s]).unwrap();
        jobs.push(Job::new(
            Input::Path(p),
            [Algorithm::Md5].into_iter().collect(),
        ));
    }
    let e = engine(2, ReadMode::Auto, 4096, 1 << 16);
    for (i, r) in e.hash_all(jobs).into_iter().enumerate() {
        let h = r.unwrap();
        assert_eq!(h.input, Input::Path(dir.path().join(format!("{i}"))));
        assert_eq!(h.size, sizes[i] as u64);
    }
}
