//! The fused one-pass engine: each input is read once and every requested
//! digest and extra [`HashSink`] is fed from that read.
//!
//! # How work is spread over cores
//!
//! * Across inputs: [`Engine::hash_all`] hands inputs to a rayon pool,
//!   largest first.
//! * Inside one large input (at least [`EngineConfig::parallel_min`] bytes):
//!   the hashers are split into as many *groups* as there are threads,
//!   balanced by their measured cost (greedy, most expensive first), and the
//!   input is consumed in windows of [`EngineConfig::window`] bytes. For each
//!   window the groups run under `rayon::join`, so an idle thread steals a
//!   group while a busy pool simply runs them one after another. BLAKE3 is
//!   placed last in the lightest group and hashes each window with its own
//!   tree parallelism, which lets a thread that finished its group early
//!   help with it. The read of (or page faults for) the next window runs as
//!   one more stealable task beside the hashing of the current one.
//!
//! Memory stays bounded whatever the input size: a streamed file costs two
//! window buffers; a mapped file keeps at most the current and the next
//! window resident, because each window is dropped from the mapping
//! (`MADV_DONTNEED`; the page cache keeps it) as soon as it is hashed.
//!
//! # Reads
//!
//! Regular files of at least [`EngineConfig::mmap_min`] bytes are memory
//! mapped under a `SIGBUS` guard (see the `mmap` module's Safety section);
//! everything else (small files, pipes, stdin, devices, `ReadMode::Stream`)
//! is read with large `read(2)` calls. For regular files, size, modification
//! and change times are compared before and after, and a streamed file must
//! deliver exactly the size it had when opened: any change gives
//! [`HashError::Changed`] instead of digests.

use std::fs::Metadata;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::algorithm::{Algorithm, AlgorithmSet};
use crate::error::HashError;
use crate::hasher::{HashSink, Hasher};
use crate::mmap::GuardedMap;
use crate::progress::{NoProgress, Progress};
use crate::value::DigestSet;

/// How the engine reads regular files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadMode {
    /// Map regular files of at least [`EngineConfig::mmap_min`] bytes,
    /// stream the rest.
    #[default]
    Auto,
    /// Map every non-empty regular file.
    Mmap,
    /// Never map (`--no-mmap`).
    Stream,
}

/// How one input was actually read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadKind {
    /// Memory mapped.
    Mmap,
    /// `read(2)` calls.
    Stream,
}

/// Tuning of the engine. The defaults were chosen by `make bench`.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// How regular files are read.
    pub read_mode: ReadMode,
    /// Smallest regular file that [`ReadMode::Auto`] maps.
    pub mmap_min: u64,
    /// Bytes handed to the hashers at a time.
    pub window: usize,
    /// Window of a mapped file when every hasher splits its own work across
    /// threads (BLAKE3 alone): BLAKE3 hashes 1 MiB in about 0.15 ms on two
    /// cores, so per-window synchronisation would show; larger windows let
    /// it match `b3sum` (see `make bench`). Mapped windows are page cache,
    /// not anonymous memory; streamed inputs keep [`Self::window`].
    pub split_window: usize,
    /// Smallest input whose hashers are spread over several threads.
    pub parallel_min: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            threads: 0,
            read_mode: ReadMode::Auto,
            mmap_min: 1 << 20,
            window: 1 << 20,
            split_window: 8 << 20,
            parallel_min: 4 << 20,
        }
    }
}

/// An input to hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file (or FIFO, or device) by path; symlinks are followed.
    Path(PathBuf),
    /// Standard input, shown as `-`.
    Stdin,
}

impl Input {
    /// The path shown to users (`-` for standard input).
    pub fn display_path(&self) -> &Path {
        match self {
            Input::Path(p) => p,
            Input::Stdin => Path::new("-"),
        }
    }
}

/// What to compute for one input: built-in digests plus any extra sinks.
pub struct Job {
    /// The input.
    pub input: Input,
    /// Digests to compute.
    pub algorithms: AlgorithmSet,
    /// Extra hash contexts fed from the same read, returned in [`Hashed`].
    pub sinks: Vec<Box<dyn HashSink>>,
}

impl Job {
    /// A job computing `algorithms` over `input`.
    pub fn new(input: Input, algorithms: AlgorithmSet) -> Job {
        Job {
            input,
            algorithms,
            sinks: Vec::new(),
        }
    }

    /// Adds an extra sink that sees the same bytes.
    pub fn with_sink(mut self, sink: Box<dyn HashSink>) -> Job {
        self.sinks.push(sink);
        self
    }
}

/// The result of hashing one input.
pub struct Hashed {
    /// The input.
    pub input: Input,
    /// Bytes read.
    pub size: u64,
    /// The requested digests (boxed: a result is kept for every file of a
    /// run, and most of a million results may be errors).
    pub digests: Box<DigestSet>,
    /// The hashers behind `digests`, not finalized: see [`Hashed::state`].
    pub states: Vec<Hasher>,
    /// The job's extra sinks, having absorbed every byte, in job order.
    pub sinks: Vec<Box<dyn HashSink>>,
    /// How the input was read.
    pub read_kind: ReadKind,
}

impl Hashed {
    /// A copy holding the input, size, digests and read kind, without the
    /// hasher states and sinks (which cannot be shared): for a second
    /// check that needs only the digests of the same read.
    pub fn digests_only(&self) -> Hashed {
        Hashed {
            input: self.input.clone(),
            size: self.size,
            digests: self.digests.clone(),
            states: Vec::new(),
            sinks: Vec::new(),
            read_kind: self.read_kind,
        }
    }

    /// The state of the `alg` hasher after every byte of the input (and
    /// nothing else): a clone can absorb more, e.g. an OpenPGP signature
    /// trailer, so a signature by the same hash needs no second pass.
    pub fn state(&self, alg: Algorithm) -> Option<&Hasher> {
        self.states.iter().find(|h| h.algorithm() == alg)
    }
}

impl std::fmt::Debug for Hashed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hashed")
            .field("input", &self.input)
            .field("size", &self.size)
            .field("digests", &self.digests)
            .field("sinks", &self.sinks.len())
            .field("read_kind", &self.read_kind)
            .finish()
    }
}

/// The worker pool could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the hashing thread pool: {0}")]
pub struct EngineError(String);

/// The hashing engine. Cheap to share by reference across threads.
pub struct Engine {
    config: EngineConfig,
    threads: usize,
    pool: rayon::ThreadPool,
    progress: Arc<dyn Progress>,
}

type Group<'a> = Vec<&'a mut dyn HashSink>;

impl Engine {
    /// An engine with its own worker pool.
    pub fn new(config: EngineConfig) -> Result<Engine, EngineError> {
        let threads = if config.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            config.threads
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("apostille-hash-{i}"))
            .build()
            .map_err(|e| EngineError(e.to_string()))?;
        let mut config = config;
        config.window = config.window.max(4096);
        config.split_window = config.split_window.max(config.window);
        Ok(Engine {
            config,
            threads,
            pool,
            progress: Arc::new(NoProgress),
        })
    }

    /// Sends progress events to `progress`.
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Engine {
        self.progress = progress;
        self
    }

    /// Number of worker threads.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The configuration in force.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Hashes one input.
    pub fn hash(&self, job: Job) -> Result<Hashed, HashError> {
        self.pool.install(|| self.hash_one(job))
    }

    /// Hashes many inputs in parallel; results come back in input order.
    /// One failing input does not stop the others.
    pub fn hash_all(&self, jobs: Vec<Job>) -> Vec<Result<Hashed, HashError>> {
        let n = jobs.len();
        let mut sized: Vec<(usize, u64, Job)> = jobs
            .into_iter()
            .enumerate()
            .map(|(i, job)| {
                let size = match &job.input {
                    Input::Path(p) => std::fs::metadata(p)
                        .ok()
                        .filter(Metadata::is_file)
                        .map_or(0, |m| m.len()),
                    Input::Stdin => 0,
                };
                (i, size, job)
            })
            .collect();
        let total = sized.iter().map(|(_, s, _)| *s).sum();
        self.progress.start(total, n);
        // Largest first: the big inputs start early and the small ones fill
        // the gaps at the end.
        sized.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let done: Vec<(usize, Result<Hashed, HashError>)> = self.pool.install(|| {
            sized
                .into_par_iter()
                .with_max_len(1)
                .map(|(i, _, job)| (i, self.hash_one(job)))
                .collect()
        });
        self.progress.finish();
        // Back in input order without a second vector of results: a run
        // over millions of files holds one.
        let mut done = done;
        done.sort_unstable_by_key(|(i, _)| *i);
        debug_assert_eq!(done.len(), n);
        done.into_iter().map(|(_, r)| r).collect()
    }

    /// Hashes everything `reader` yields, as a stream of unknown size.
    /// `name` is used in errors and results.
    pub fn hash_reader<R: Read + Send>(
        &self,
        name: &Path,
        reader: R,
        algorithms: AlgorithmSet,
        sinks: Vec<Box<dyn HashSink>>,
    ) -> Result<Hashed, HashError> {
        self.hash_sized_reader(name, reader, None, algorithms, sinks)
    }

    /// [`Engine::hash_reader`] of a stream whose length is known (an
    /// archive entry, bytes in memory): a small one gets a buffer of its
    /// size, not two windows, which is what a million tiny entries cost.
    /// A stream longer than `size` is still hashed whole.
    pub fn hash_sized_reader<R: Read + Send>(
        &self,
        name: &Path,
        mut reader: R,
        size: Option<u64>,
        algorithms: AlgorithmSet,
        mut sinks: Vec<Box<dyn HashSink>>,
    ) -> Result<Hashed, HashError> {
        let mut hashers: Vec<Hasher> = algorithms.iter().map(Hasher::new).collect();
        let size = self.pool.install(|| {
            let mut groups = plan(&mut hashers, &mut sinks, self.threads);
            let parallel = self.threads > 1 && size.is_none_or(|n| n >= self.config.window as u64);
            self.stream(&mut reader, size, &mut groups, parallel, name)
        })?;
        Ok(Hashed {
            input: Input::Path(name.to_path_buf()),
            size,
            digests: Box::new(finalize(&hashers, name)?),
            states: hashers,
            sinks,
            read_kind: ReadKind::Stream,
        })
    }

    fn hash_one(&self, job: Job) -> Result<Hashed, HashError> {
        let Job {
            input,
            algorithms,
            mut sinks,
        } = job;
        let mut hashers: Vec<Hasher> = algorithms.iter().map(Hasher::new).collect();
        let path = input.display_path().to_path_buf();
        let res = match &input {
            Input::Stdin => {
                let mut groups = plan(&mut hashers, &mut sinks, self.threads);
                self.stream(&mut io::stdin(), None, &mut groups, self.threads > 1, &path)
                    .map(|n| (n, ReadKind::Stream))
            }
            Input::Path(p) => self.hash_path(p, &mut hashers, &mut sinks),
        };
        self.progress.input_done(&path);
        let (size, read_kind) = res?;
        Ok(Hashed {
            input,
            size,
            digests: Box::new(finalize(&hashers, &path)?),
            states: hashers,
            sinks,
            read_kind,
        })
    }

    fn hash_path(
        &self,
        path: &Path,
        hashers: &mut [Hasher],
        sinks: &mut [Box<dyn HashSink>],
    ) -> Result<(u64, ReadKind), HashError> {
        let open_err = |source| HashError::Open {
            path: path.to_path_buf(),
            source,
        };
        // Without blocking: a FIFO no one writes to is given up on after a
        // while instead of holding `open` forever.
        let mut file = crate::input::open_nonblocking(path).map_err(open_err)?;
        let before = file.metadata().map_err(open_err)?;
        if before.is_dir() {
            return Err(HashError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        if !before.file_type().is_file() {
            // FIFO, character or block device: a stream of unknown size.
            let mut groups = plan(hashers, sinks, self.threads);
            let n = self.stream(&mut file, None, &mut groups, self.threads > 1, path)?;
            return Ok((n, ReadKind::Stream));
        }
        let len = before.len();
        let parallel = self.threads > 1 && len >= self.config.parallel_min;
        let lanes = if parallel { self.threads } else { 1 };
        let mut groups = plan(hashers, sinks, lanes);
        let want_map = match self.config.read_mode {
            ReadMode::Stream => false,
            ReadMode::Mmap => len > 0,
            ReadMode::Auto => len >= self.config.mmap_min,
        };
        let map = match usize::try_from(len) {
            Ok(l) if want_map => GuardedMap::new(&file, l),
            _ => None,
        };
        let (n, kind) = if let Some(map) = map {
            self.feed_map(&map, &mut groups, parallel);
            if map.faulted() {
                return Err(changed(path, "it shrank while mapped"));
            }
            (len, ReadKind::Mmap)
        } else {
            let n = self.stream(&mut file, Some(len), &mut groups, parallel, path)?;
            if n != len {
                return Err(changed(
                    path,
                    &format!("{len} bytes when opened, {n} bytes read"),
                ));
            }
            (n, ReadKind::Stream)
        };
        let after = file.metadata().map_err(|source| HashError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if let Some(what) = metadata_change(&before, &after) {
            return Err(changed(path, what));
        }
        Ok((n, kind))
    }

    /// The window for this plan: larger when every hasher splits itself.
    fn window_for(&self, groups: &[Group<'_>]) -> usize {
        let all_split = groups.iter().flatten().all(|s| s.splits_itself());
        if all_split && groups.iter().any(|g| !g.is_empty()) {
            self.config.split_window
        } else {
            self.config.window
        }
    }

    fn feed_map(&self, map: &GuardedMap, groups: &mut [Group<'_>], parallel: bool) {
        let data = map.bytes();
        let w = self.window_for(groups);
        let mut off = 0;
        if parallel {
            map.prefetch(0, w.min(data.len()));
        }
        while off < data.len() {
            let end = off.saturating_add(w).min(data.len());
            let chunk = &data[off..end];
            if parallel {
                let next = w.min(data.len() - end);
                rayon::join(|| feed(groups, chunk, true), || map.prefetch(end, next));
            } else {
                feed(groups, chunk, false);
            }
            map.release(off, end);
            self.progress.advance(chunk.len() as u64);
            off = end;
        }
    }

    /// Reads `r` to its end, feeding every group; returns the bytes read.
    fn stream<R: Read + Send>(
        &self,
        r: &mut R,
        size_hint: Option<u64>,
        groups: &mut [Group<'_>],
        parallel: bool,
        path: &Path,
    ) -> Result<u64, HashError> {
        let read_err = |source| HashError::Read {
            path: path.to_path_buf(),
            source,
        };
        // Streams keep the small window even for BLAKE3 alone: their
        // buffers are anonymous memory, which must stay bounded.
        let w = self.config.window;
        // A file smaller than a window is read into a buffer one byte larger
        // than its size, so that growth shows up as a longer read.
        let cap = match size_hint {
            Some(len) if len < w as u64 => len as usize + 1,
            _ => w,
        };
        let mut total = 0u64;
        if !parallel {
            let mut buf = vec![0u8; cap];
            loop {
                let n = read_full(r, &mut buf).map_err(read_err)?;
                if n == 0 {
                    break;
                }
                feed(groups, &buf[..n], false);
                total += n as u64;
                self.progress.advance(n as u64);
                if n < cap {
                    break;
                }
            }
            return Ok(total);
        }
        let mut cur = vec![0u8; cap];
        let mut next = vec![0u8; cap];
        let mut n = read_full(r, &mut cur).map_err(read_err)?;
        while n > 0 {
            let more = if n < cap {
                feed(groups, &cur[..n], true);
                Ok(0)
            } else {
                let (more, ()) =
                    rayon::join(|| read_full(r, &mut next), || feed(groups, &cur[..n], true));
                more
            };
            total += n as u64;
            self.progress.advance(n as u64);
            n = more.map_err(read_err)?;
            std::mem::swap(&mut cur, &mut next);
        }
        Ok(total)
    }
}

fn changed(path: &Path, what: &str) -> HashError {
    HashError::Changed {
        path: path.to_path_buf(),
        what: what.to_owned(),
    }
}

fn metadata_change(before: &Metadata, after: &Metadata) -> Option<&'static str> {
    if before.len() != after.len() {
        Some("size changed")
    } else if (before.mtime(), before.mtime_nsec()) != (after.mtime(), after.mtime_nsec()) {
        Some("modification time changed")
    } else if (before.ctime(), before.ctime_nsec()) != (after.ctime(), after.ctime_nsec()) {
        Some("change time changed")
    } else {
        None
    }
}

fn finalize(hashers: &[Hasher], path: &Path) -> Result<DigestSet, HashError> {
    let mut set = DigestSet::default();
    for h in hashers.iter().cloned() {
        let alg = h.algorithm();
        let d = h.finalize().ok_or_else(|| HashError::Sink {
            path: path.to_path_buf(),
            message: format!("the {alg} implementation reported an internal error"),
        })?;
        set.insert(d);
    }
    Ok(set)
}

/// Fills `buf` unless the reader ends first; returns the bytes read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Splits hashers and sinks into at most `lanes` groups of similar cost.
/// Sinks that split their own work go last into the lightest group.
fn plan<'a>(
    hashers: &'a mut [Hasher],
    sinks: &'a mut [Box<dyn HashSink>],
    lanes: usize,
) -> Vec<Group<'a>> {
    let all = hashers
        .iter_mut()
        .map(|h| h as &mut dyn HashSink)
        .chain(sinks.iter_mut().map(|s| &mut **s as &mut dyn HashSink));
    let (splitting, mut fixed): (Vec<_>, Vec<_>) = all.partition(|s| s.splits_itself());
    fixed.sort_by_key(|s| std::cmp::Reverse(s.cost_hint()));
    let n = lanes.min(fixed.len()).max(1);
    let mut groups: Vec<(u64, Group<'a>)> = (0..n).map(|_| (0, Vec::new())).collect();
    for s in fixed.into_iter().chain(splitting) {
        let lightest = groups
            .iter()
            .enumerate()
            .min_by_key(|(_, g)| g.0)
            .map_or(0, |(i, _)| i);
        groups[lightest].0 += u64::from(s.cost_hint());
        groups[lightest].1.push(s);
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

fn feed(groups: &mut [Group<'_>], data: &[u8], parallel: bool) {
    match groups {
        [] => {}
        [one] => feed_group(one, data, parallel),
        _ if parallel => {
            let (a, b) = groups.split_at_mut(groups.len() / 2);
            rayon::join(|| feed(a, data, true), || feed(b, data, true));
        }
        _ => {
            for g in groups {
                feed_group(g, data, false);
            }
        }
    }
}

fn feed_group(group: &mut Group<'_>, data: &[u8], parallel: bool) {
    for s in group.iter_mut() {
        if parallel && s.splits_itself() {
            s.update_parallel(data);
        } else {
            s.update(data);
        }
    }
}
