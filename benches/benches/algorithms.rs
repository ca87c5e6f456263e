//! Throughput of every digest algorithm with every backend that can compute
//! it in this build, on one 16 MiB buffer in memory (no I/O).
//!
//! This is the measurement behind `Backend::preferred`: for each algorithm
//! the RustCrypto (or `blake3`) implementation and, with the `openssl`
//! feature, OpenSSL's libcrypto are timed side by side, so whichever is
//! faster on the machine at hand is plain in the report
//! (`algorithms/<algorithm>/<backend>`, in bytes per second). One thread,
//! one `update` over the whole buffer, then `finalize`.

use std::hint::black_box;
use std::time::Duration;

use apostille_digest::{Algorithm, Backend, Hasher};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

/// Size of the hashed buffer: large enough that per-call overhead vanishes.
const LEN: usize = 16 << 20;

/// Deterministic bytes that no hash implementation can shortcut.
fn buffer(len: usize) -> Vec<u8> {
    // SplitMix64: fast, deterministic, good enough to look random to a hash.
    let mut state: u64 = 0x5eed_0fa1_900f_a1a1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

fn algorithms(c: &mut Criterion) {
    let data = buffer(LEN);
    let mut group = c.benchmark_group("algorithms");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Bytes(LEN as u64));
    // Ids stay the same when the preference changes, so that saved
    // baselines remain comparable; the current choice is printed instead.
    let chosen: Vec<String> = Algorithm::ALL
        .iter()
        .map(|&a| format!("{a}={:?}", Backend::preferred(a)))
        .collect();
    eprintln!("preferred backends in this build: {}", chosen.join(", "));
    for alg in Algorithm::ALL {
        for backend in Backend::available(alg) {
            let id = BenchmarkId::new(alg.name(), format!("{backend:?}"));
            group.bench_with_input(id, &data, |b, data| {
                b.iter(|| {
                    let mut h = Hasher::with_backend(alg, backend);
                    h.update(black_box(data));
                    black_box(h.finalize())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, algorithms);
criterion_main!(benches);
