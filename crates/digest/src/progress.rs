//! Progress events, turned into a progress bar by the CLI.
//!
//! The engine reports bytes as it hashes them; rate and ETA are the
//! receiver's business. Implementations must be cheap: `advance` is called
//! once per window (about 1 MiB) or once per small file.

use std::path::Path;

/// Receives progress events from the engine. Every method has an empty
/// default, so a receiver implements only what it shows.
pub trait Progress: Send + Sync {
    /// A batch starts: the total bytes (regular files only; inputs of
    /// unknown size such as pipes count as 0) and the number of inputs.
    fn start(&self, total_bytes: u64, inputs: usize) {
        let _ = (total_bytes, inputs);
    }

    /// `bytes` more bytes were read and hashed.
    fn advance(&self, bytes: u64) {
        let _ = bytes;
    }

    /// One input is done (successfully or not).
    fn input_done(&self, path: &Path) {
        let _ = path;
    }

    /// The batch is done.
    fn finish(&self) {}
}

/// A receiver that ignores every event.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {}
