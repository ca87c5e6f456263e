//! The one-pass plan: the single owner of "which file is read with what".
//!
//! Every check and every output that needs the bytes of a file asks a
//! [`ReadPlan`] for them instead of building engine jobs itself:
//!
//! 1. **request** — each party calls [`ReadPlan::want`] with a path, the
//!    digests it needs and any extra [`HashSink`]s (an OpenPGP hash
//!    context, an SPDX file hasher). Requests for the same file merge:
//!    paths are compared after `canonicalize`, so `dist/a.tar.gz`,
//!    `./dist/a.tar.gz` and a symlink to it are one read, and the
//!    algorithm sets are united.
//! 2. **run** — [`ReadPlan::run`] gives the engine one [`Job`] per distinct
//!    file, all at once, so the engine spreads them over its threads and
//!    reads each file exactly once.
//! 3. **conclude** — each party looks its files up in the [`ReadResults`]
//!    (by any spelling of the path) and reads the digests, the hasher
//!    states (to continue a signature's hash) and its own sinks, which it
//!    kept a shared handle to.
//!
//! A file that nobody requests is never read; a file requested with no
//! algorithm and no sink is still read once (SHA-256), so that a read
//! error is reported and a named pipe is drained the same way every time.
//!
//! # Example
//!
//! ```
//! use apostille_digest::{Algorithm, AlgorithmSet, Engine, EngineConfig, ReadPlan};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("a.txt");
//! # std::fs::write(&path, b"hello\n")?;
//! let engine = Engine::new(EngineConfig::default())?;
//! let mut plan = ReadPlan::new();
//! // Two checks want the same file with different digests: one read.
//! plan.want(&path, AlgorithmSet::from_iter([Algorithm::Sha256]), Vec::new());
//! plan.want(&dir.path().join("./a.txt"), AlgorithmSet::from_iter([Algorithm::Sha512]), Vec::new());
//! assert_eq!(plan.len(), 1);
//! let results = plan.run(&engine);
//! let hashed = results.get(&path).expect("planned").as_ref().expect("read");
//! assert!(hashed.digests.get(Algorithm::Sha256).is_some());
//! assert!(hashed.digests.get(Algorithm::Sha512).is_some());
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::algorithm::{Algorithm, AlgorithmSet};
use crate::engine::{Engine, Hashed, Input, Job};
use crate::error::HashError;
use crate::hasher::HashSink;

/// The key a file is planned under: its canonical path when it exists,
/// else the path as given; standard input is its own key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadKey {
    /// A file, by canonical path.
    Path(PathBuf),
    /// Standard input.
    Stdin,
}

impl ReadKey {
    /// The key of `path`: `canonicalize`d when it resolves.
    pub fn of(path: &Path) -> ReadKey {
        ReadKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }

    /// The key of an input.
    pub fn of_input(input: &Input) -> ReadKey {
        match input {
            Input::Path(p) => ReadKey::of(p),
            Input::Stdin => ReadKey::Stdin,
        }
    }
}

struct Planned {
    input: Input,
    /// The content, when the caller holds it already (a checksum list or
    /// an SBOM it parsed): hashed from memory, so a signature over it is
    /// checked against exactly the bytes that were parsed.
    bytes: Option<Arc<[u8]>>,
    algorithms: AlgorithmSet,
    sinks: Vec<Box<dyn HashSink>>,
}

/// Every read of a run, merged per file: see the module docs.
#[derive(Default)]
pub struct ReadPlan {
    reads: HashMap<ReadKey, Planned>,
    /// Every spelling a path was asked for under, with its key: a lookup
    /// by a known spelling costs no `canonicalize` (a download of 10,000
    /// small files looks each up several times).
    aliases: HashMap<PathBuf, ReadKey>,
}

impl std::fmt::Debug for ReadPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.reads
                    .iter()
                    .map(|(k, p)| (k, (p.algorithms, p.sinks.len()))),
            )
            .finish()
    }
}

impl ReadPlan {
    /// An empty plan.
    pub fn new() -> ReadPlan {
        ReadPlan::default()
    }

    /// Asks for `path` to be read with `algorithms`, feeding `sinks` too;
    /// merges with earlier requests for the same file. Returns the key the
    /// result will be found under.
    pub fn want(
        &mut self,
        path: &Path,
        algorithms: AlgorithmSet,
        sinks: Vec<Box<dyn HashSink>>,
    ) -> ReadKey {
        self.want_input(Input::Path(path.to_path_buf()), algorithms, sinks)
    }

    /// [`ReadPlan::want`] for any input (standard input included). The
    /// first request's spelling of the path is the one the engine opens
    /// and errors name.
    pub fn want_input(
        &mut self,
        input: Input,
        algorithms: AlgorithmSet,
        sinks: Vec<Box<dyn HashSink>>,
    ) -> ReadKey {
        let key = match &input {
            Input::Path(path) => self.key_of(path),
            Input::Stdin => ReadKey::Stdin,
        };
        let p = self.reads.entry(key.clone()).or_insert_with(|| Planned {
            input,
            bytes: None,
            algorithms: AlgorithmSet::empty(),
            sinks: Vec::new(),
        });
        p.algorithms = p.algorithms.union(algorithms);
        p.sinks.extend(sinks);
        key
    }

    /// [`ReadPlan::want`] for a small document the caller has read into
    /// memory already (a checksum list, an SBOM): its digests and sinks
    /// are computed from `bytes`, never from a second read of `path`, so
    /// that what is verified is exactly what was parsed. Requests for the
    /// same path merge as for files; the bytes win over the file.
    pub fn want_bytes(
        &mut self,
        path: &Path,
        bytes: Arc<[u8]>,
        algorithms: AlgorithmSet,
        sinks: Vec<Box<dyn HashSink>>,
    ) -> ReadKey {
        let key = self.want(path, algorithms, sinks);
        if let Some(p) = self.reads.get_mut(&key) {
            p.bytes.get_or_insert(bytes);
        }
        key
    }

    fn key_of(&mut self, path: &Path) -> ReadKey {
        if let Some(k) = self.aliases.get(path) {
            return k.clone();
        }
        let k = ReadKey::of(path);
        self.aliases.insert(path.to_path_buf(), k.clone());
        k
    }

    fn lookup(&self, path: &Path) -> ReadKey {
        self.aliases
            .get(path)
            .cloned()
            .unwrap_or_else(|| ReadKey::of(path))
    }

    /// Whether `path` is planned already.
    pub fn contains(&self, path: &Path) -> bool {
        self.reads.contains_key(&self.lookup(path))
    }

    /// Number of distinct files to read.
    pub fn len(&self) -> usize {
        self.reads.len()
    }

    /// Whether nothing is planned.
    pub fn is_empty(&self) -> bool {
        self.reads.is_empty()
    }

    /// The algorithms planned for `path` so far (empty when not planned).
    pub fn algorithms(&self, path: &Path) -> AlgorithmSet {
        self.reads
            .get(&self.lookup(path))
            .map_or(AlgorithmSet::empty(), |p| p.algorithms)
    }

    /// Reads every planned file once, all of them in one engine pass (the
    /// documents held in memory are hashed from there).
    pub fn run(self, engine: &Engine) -> ReadResults {
        let mut results = HashMap::new();
        let mut files = Vec::new();
        let aliases = self.aliases;
        // In path order, so that runs are alike whatever the hashing.
        let mut reads: Vec<(ReadKey, Planned)> = self.reads.into_iter().collect();
        reads.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, p) in reads {
            match p.bytes {
                Some(bytes) => {
                    let name = p.input.display_path().to_path_buf();
                    let r = engine.hash_sized_reader(
                        &name,
                        &bytes[..],
                        Some(bytes.len() as u64),
                        p.algorithms,
                        p.sinks,
                    );
                    results.insert(k, r);
                }
                None => files.push((k, p)),
            }
        }
        let (keys, jobs): (Vec<ReadKey>, Vec<Job>) = files
            .into_iter()
            .map(|(k, p)| {
                let algorithms = if p.algorithms.is_empty() && p.sinks.is_empty() {
                    AlgorithmSet::from_iter([Algorithm::Sha256])
                } else {
                    p.algorithms
                };
                (
                    k,
                    Job {
                        input: p.input,
                        algorithms,
                        sinks: p.sinks,
                    },
                )
            })
            .unzip();
        results.extend(keys.into_iter().zip(engine.hash_all(jobs)));
        ReadResults { results, aliases }
    }
}

/// What [`ReadPlan::run`] read: one result per planned file.
#[derive(Default)]
pub struct ReadResults {
    results: HashMap<ReadKey, Result<Hashed, HashError>>,
    aliases: HashMap<PathBuf, ReadKey>,
}

impl std::fmt::Debug for ReadResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.results
                    .iter()
                    .map(|(k, r)| (k, r.as_ref().map(|h| h.size))),
            )
            .finish()
    }
}

impl ReadResults {
    /// The result for `path` (any spelling of it); `None` when it was not
    /// planned.
    pub fn get(&self, path: &Path) -> Option<&Result<Hashed, HashError>> {
        match self.aliases.get(path) {
            Some(k) => self.results.get(k),
            None => self.results.get(&ReadKey::of(path)),
        }
    }

    /// The result under `key`, as [`ReadPlan::want`] returned it.
    pub fn by_key(&self, key: &ReadKey) -> Option<&Result<Hashed, HashError>> {
        self.results.get(key)
    }

    /// The result for `path` as an owned value with its digests only (no
    /// hasher states, no sinks), for code that wants `Result<Hashed, _>`.
    pub fn digests(&self, path: &Path) -> Option<Result<Hashed, HashError>> {
        self.get(path).map(|r| match r {
            Ok(h) => Ok(h.digests_only()),
            Err(e) => Err(e.duplicate()),
        })
    }

    /// Removes and returns the result under `key` (with its hasher states
    /// and sinks), for the one party that consumes them.
    pub fn take(&mut self, key: &ReadKey) -> Option<Result<Hashed, HashError>> {
        self.results.remove(key)
    }

    /// Number of files read (or attempted).
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// Whether nothing was read.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineConfig;

    #[test]
    fn requests_merge_per_file_and_read_once() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let a = dir.path().join("a");
        std::fs::write(&a, b"abc")?;
        std::os::unix::fs::symlink(&a, dir.path().join("link"))?;
        let mut plan = ReadPlan::new();
        plan.want(&a, AlgorithmSet::from_iter([Algorithm::Sha256]), Vec::new());
        plan.want(
            &dir.path().join("link"),
            AlgorithmSet::from_iter([Algorithm::Blake3]),
            Vec::new(),
        );
        plan.want(
            &dir.path().join("missing"),
            AlgorithmSet::empty(),
            Vec::new(),
        );
        assert_eq!(
            plan.len(),
            2,
            "a and its link are one read; missing is another"
        );
        assert!(plan.contains(&dir.path().join("./a")));
        let engine = Engine::new(EngineConfig::default())?;
        let r = plan.run(&engine);
        let Some(Ok(h)) = r.get(&dir.path().join("link")) else {
            return Err("the link was not read".into());
        };
        assert!(h.digests.get(Algorithm::Sha256).is_some());
        assert!(h.digests.get(Algorithm::Blake3).is_some());
        assert!(matches!(
            r.get(&dir.path().join("missing")),
            Some(Err(HashError::Open { .. }))
        ));
        assert!(r.get(&dir.path().join("unplanned")).is_none());
        Ok(())
    }

    #[test]
    fn bytes_held_in_memory_are_hashed_from_memory() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let list = dir.path().join("SHA256SUMS");
        std::fs::write(&list, b"on disk")?;
        let mut plan = ReadPlan::new();
        plan.want(
            &list,
            AlgorithmSet::from_iter([Algorithm::Sha256]),
            Vec::new(),
        );
        plan.want_bytes(
            &list,
            Arc::from(&b"parsed"[..]),
            AlgorithmSet::empty(),
            Vec::new(),
        );
        let engine = Engine::new(EngineConfig::default())?;
        let r = plan.run(&engine);
        let Some(Ok(h)) = r.get(&list) else {
            return Err("not read".into());
        };
        let want = crate::hasher::Hasher::digest(Algorithm::Sha256, b"parsed");
        assert_eq!(h.digests.get(Algorithm::Sha256), want.as_ref());
        Ok(())
    }
}
