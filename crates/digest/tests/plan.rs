//! The one-pass plan against a named pipe: a FIFO can be read only once,
//! so two parties asking for it must share that read, and each must get
//! the digests `sha256sum` and `sha512sum` give for the bytes written.

#![allow(clippy::unwrap_used)]

use std::fs::OpenOptions;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use apostille_digest::{
    Algorithm, AlgorithmSet, Engine, EngineConfig, HashSink, ReadKind, ReadPlan,
};

fn pattern(len: usize) -> Vec<u8> {
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

/// The hex digest coreutils' `tool` (`sha256sum`, `sha512sum`) gives for
/// `data` on its standard input.
fn coreutils_hex(tool: &str, data: &[u8]) -> String {
    let mut child = Command::new(tool)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{tool} not runnable ({e}); install coreutils"));
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{tool} failed: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// Counts the bytes it is fed.
struct Counter(Arc<AtomicU64>);

impl HashSink for Counter {
    fn update(&mut self, data: &[u8]) {
        self.0.fetch_add(data.len() as u64, Ordering::Relaxed);
    }
}

#[test]
fn fifo_requested_by_two_parties_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let st = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    // Several windows and not a multiple of one.
    let data = pattern((3 << 20) + 17);

    // Party A wants SHA-256, party B SHA-512 through another spelling of
    // the same path; each brings a sink of its own.
    let (seen_a, seen_b) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut plan = ReadPlan::new();
    let key_a = plan.want(
        &fifo,
        AlgorithmSet::from_iter([Algorithm::Sha256]),
        vec![Box::new(Counter(seen_a.clone()))],
    );
    let key_b = plan.want(
        &dir.path().join(".").join("pipe"),
        AlgorithmSet::from_iter([Algorithm::Sha512]),
        vec![Box::new(Counter(seen_b.clone()))],
    );
    assert_eq!(key_a, key_b, "one key for both spellings");
    assert_eq!(plan.len(), 1, "one read planned");

    // The writer opens the FIFO once and writes the data once: a second
    // open by the engine would wait for a writer that never comes, which
    // the timeout below turns into a failure instead of a hang.
    let writer = {
        let fifo = fifo.clone();
        let data = data.clone();
        std::thread::spawn(move || {
            let mut f = OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(&data).unwrap();
        })
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let engine = Engine::new(EngineConfig {
            threads: 2,
            window: 1 << 16,
            ..EngineConfig::default()
        })
        .unwrap();
        tx.send(plan.run(&engine)).unwrap();
    });
    let results = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the plan did not finish: the FIFO was opened more than once");
    writer.join().unwrap();

    assert_eq!(results.len(), 1);
    let len = data.len() as u64;
    assert_eq!(
        seen_a.load(Ordering::Relaxed),
        len,
        "A's sink saw each byte once"
    );
    assert_eq!(
        seen_b.load(Ordering::Relaxed),
        len,
        "B's sink saw each byte once"
    );
    let sha256 = coreutils_hex("sha256sum", &data);
    let sha512 = coreutils_hex("sha512sum", &data);
    for (party, key) in [("A", &key_a), ("B", &key_b)] {
        let h = results.by_key(key).unwrap().as_ref().unwrap();
        assert_eq!(h.size, len, "{party}");
        assert_eq!(h.read_kind, ReadKind::Stream, "{party}");
        assert_eq!(
            h.digests.get(Algorithm::Sha256).unwrap().to_hex(),
            sha256,
            "{party}: SHA-256"
        );
        assert_eq!(
            h.digests.get(Algorithm::Sha512).unwrap().to_hex(),
            sha512,
            "{party}: SHA-512"
        );
    }
    // Looked up by path too, under either spelling.
    let by_path = results.get(&fifo).unwrap().as_ref().unwrap();
    assert_eq!(
        by_path.digests.get(Algorithm::Sha512).unwrap().to_hex(),
        sha512
    );
    assert!(results.get(&dir.path().join("./pipe")).is_some());
}
