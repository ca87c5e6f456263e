//! OpenPGP pieces shared by the producer and the consumer.
//!
//! [`HashContextSink`] lets a Sequoia hash context ride along on the digest
//! engine's single pass: the signer's context (to make a signature) and the
//! verifier's (to check one) are fed the same way, from the same read as
//! every other digest of the run.

use std::sync::{Arc, Mutex, PoisonError};

use apostille_digest::HashSink;
use sequoia_openpgp::crypto::hash::Context;
use sequoia_openpgp::types::HashAlgorithm;

/// A hash context shared between the engine (which feeds it) and the
/// caller (which takes it afterwards, with [`SharedContext::take`]).
#[derive(Clone)]
pub struct SharedContext {
    algo: HashAlgorithm,
    ctx: Arc<Mutex<Option<Context>>>,
}

impl SharedContext {
    /// A context for signatures of `version` (4 or 6) with `algo`; `salt`
    /// (v6 signatures) is hashed first. `None` when Sequoia does not
    /// support the algorithm.
    pub fn for_signature(algo: HashAlgorithm, version: u8, salt: Option<&[u8]>) -> Option<Self> {
        let mut ctx = algo.context().ok()?.for_signature(version);
        if let Some(salt) = salt {
            ctx.update(salt);
        }
        Some(SharedContext {
            algo,
            ctx: Arc::new(Mutex::new(Some(ctx))),
        })
    }

    /// The sink to put in the engine job.
    pub fn sink(&self) -> Box<dyn HashSink> {
        Box::new(HashContextSink(self.clone()))
    }

    /// The context, having absorbed what the engine fed it (a copy: the
    /// same context may serve several signatures).
    pub fn take(&self) -> Option<Context> {
        self.ctx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The engine side of a [`SharedContext`].
pub struct HashContextSink(SharedContext);

impl HashSink for HashContextSink {
    fn update(&mut self, data: &[u8]) {
        let mut guard = self.0.ctx.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(ctx) = guard.as_mut() {
            ctx.update(data);
        }
    }

    fn cost_hint(&self) -> u32 {
        // Same scale as the engine's own algorithms (SHA-256 with SHA-NI = 36).
        match self.0.algo {
            HashAlgorithm::SHA256 | HashAlgorithm::SHA224 => 36,
            HashAlgorithm::SHA1 => 40,
            _ => 99,
        }
    }
}
