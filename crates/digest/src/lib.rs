//! The hashing engine of apostille: every byte of every artifact is read
//! once, and that one read feeds every digest and every signature hash
//! context the run needs.
//!
//! # What it does
//!
//! * [`Algorithm`]: SHA-256, SHA-384, SHA-512, BLAKE3, SHA-1 and MD5, each
//!   with the implementation that measured fastest here ([`hasher`] docs).
//! * [`Engine`]: the fused pass. A [`Job`] names an [`Input`], a set of
//!   algorithms and any number of extra [`HashSink`]s (an OpenPGP hash
//!   context, say); [`Engine::hash_all`] runs many jobs across a rayon pool
//!   and splits large inputs across threads by algorithm. Regular files are
//!   memory mapped under a `SIGBUS` guard or streamed; a file that changes
//!   while it is hashed gives [`HashError::Changed`], never a digest.
//! * [`ReadPlan`]: the one owner of a run's reads. Every check and output
//!   asks it for the files and digests it needs; requests merge per file,
//!   and one [`ReadPlan::run`] reads each file once.
//! * [`walk()`]: directories to a stable, sorted file list; symlinks are not
//!   followed unless asked.
//! * [`checksum`]: checksum files, read and written — GNU coreutils lines,
//!   BSD tags, OpenSSL, `gpg --print-md`, bare sidecars, Debian sections.
//!   One implementation for the producer and the consumer.
//! * [`archive`]: the entries of a tar (plain, gzip, bzip2, xz, zstd) or
//!   zip archive in one streaming pass, without extraction, refusing
//!   hostile archives (traversal names, bombs, truncation) with bounded
//!   memory.
//! * [`tap`]: a sink that hands the bytes of the one read to a consumer on
//!   its own thread (an archive's entries, decompressed as the engine reads
//!   the archive), so a second reader of a file costs no second read.
//! * [`Progress`]: byte counts for a progress bar.
//!
//! # What it does not do
//!
//! It decides nothing about trust: whether a checksum file should be
//! believed, which algorithms are enough, or where names may point is the
//! `apostille-verify` crate's business. It writes no files.
//!
//! # Example
//!
//! ```
//! use apostille_digest::{Algorithm, AlgorithmSet, Engine, EngineConfig, Input, Job};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("hello.txt");
//! # std::fs::write(&path, b"hello\n")?;
//! let engine = Engine::new(EngineConfig::default())?;
//! let algs: AlgorithmSet = [Algorithm::Sha256, Algorithm::Blake3].into_iter().collect();
//! let out = engine.hash(Job::new(Input::Path(path), algs))?;
//! assert_eq!(
//!     out.digests.get(Algorithm::Sha256).map(|d| d.to_hex()).as_deref(),
//!     Some("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"),
//! );
//! # Ok(()) }
//! ```

pub mod algorithm;
pub mod archive;
pub mod checksum;
pub mod display;
pub mod engine;
pub mod error;
pub mod hasher;
pub mod input;
mod mmap;
pub mod plan;
pub mod progress;
pub mod spdx;
pub mod tap;
pub mod value;
pub mod walk;

pub use algorithm::{Algorithm, AlgorithmSet};
pub use engine::{Engine, EngineConfig, EngineError, Hashed, Input, Job, ReadKind, ReadMode};
pub use error::{HashError, UnknownAlgorithm, WalkError};
pub use hasher::{Backend, HashSink, Hasher};
pub use plan::{ReadKey, ReadPlan, ReadResults};
pub use progress::{NoProgress, Progress};
pub use value::{Digest, DigestSet};
pub use walk::{SkipReason, WalkOptions, Walked, walk};
