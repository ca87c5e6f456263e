//! BLAKE3 with extended output, as a [`HashSink`] that rides along on the
//! digest engine's single pass.

use std::sync::{Arc, Mutex, PoisonError};

use apostille_digest::HashSink;

/// Bytes of BLAKE3 output written to SPDX documents: 128 (256 hex digits),
/// the least spdx-tools accepts for BLAKE3. The first 32 bytes are the
/// standard BLAKE3-256 digest.
pub const BLAKE3_SPDX_LEN: usize = 128;

/// A BLAKE3 hash context fed by the engine; [`Blake3Xof::finish_hex`] on a
/// clone kept by the caller gives the extended output once the engine is
/// done.
#[derive(Clone, Default)]
pub struct Blake3Xof(Arc<Mutex<blake3::Hasher>>);

impl Blake3Xof {
    /// A new context.
    pub fn new() -> Blake3Xof {
        Blake3Xof::default()
    }

    /// The first `len` bytes of the extended output, as lower-case hex.
    pub fn finish_hex(&self, len: usize) -> String {
        let h = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = vec![0u8; len];
        h.finalize_xof().fill(&mut out);
        hex(&out)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl HashSink for Blake3Xof {
    fn update(&mut self, data: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .update(data);
    }

    fn cost_hint(&self) -> u32 {
        20
    }

    fn splits_itself(&self) -> bool {
        true
    }

    fn update_parallel(&mut self, data: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .update_rayon(data);
    }
}
