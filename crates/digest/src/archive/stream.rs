//! The plumbing under the archive readers: a decompression thread that reads
//! ahead, byte counters, and the guard that enforces the size and ratio
//! limits on a decompressed stream.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

use super::{ArchiveErrorKind, Limits, RATIO_GRACE};

/// Reads until `buf` is full or the stream ends; returns the bytes read.
pub(crate) fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Counts the bytes read through it into a shared counter.
pub(crate) struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R, count: Arc<AtomicU64>) -> Self {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Size of the chunks the read-ahead thread hands over.
const CHUNK: usize = 1 << 20;
/// Chunks in flight: bounds the read-ahead memory to `DEPTH * CHUNK`.
const DEPTH: usize = 4;

/// A reader whose source (a decompressor) runs on its own thread, at most
/// `DEPTH` chunks ahead of the consumer. Dropping it stops the thread at its
/// next chunk.
pub(crate) struct ReadAhead {
    /// `None` once dropped: the thread's next send then fails and it ends.
    rx: Option<Receiver<io::Result<Vec<u8>>>>,
    cur: Vec<u8>,
    pos: usize,
    state: State,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How long dropping a [`ReadAhead`] waits for its thread to end: it stops
/// after the chunk it is decoding. One blocked on an input that stalled (a
/// FIFO whose writer went quiet) is not waited for, and ends with it.
const JOIN_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.rx = None;
        let Some(thread) = self.thread.take() else {
            return;
        };
        let deadline = std::time::Instant::now() + JOIN_WAIT;
        while !thread.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}

#[derive(PartialEq, Eq)]
enum State {
    Open,
    Ended,
    Failed,
}

impl ReadAhead {
    pub(crate) fn spawn<R: Read + Send + 'static>(mut source: R) -> io::Result<ReadAhead> {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(DEPTH);
        let thread = std::thread::Builder::new()
            .name("apostille-unpack".into())
            .spawn(move || {
                loop {
                    let mut buf = vec![0u8; CHUNK];
                    match read_full(&mut source, &mut buf) {
                        Ok(0) => return,
                        Ok(n) => {
                            buf.truncate(n);
                            if tx.send(Ok(buf)).is_err() {
                                return;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                }
            })?;
        Ok(ReadAhead {
            rx: Some(rx),
            cur: Vec::new(),
            pos: 0,
            state: State::Open,
            thread: Some(thread),
        })
    }
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.cur.len() {
            match self.state {
                State::Ended => return Ok(0),
                State::Failed => return Err(io::Error::other("the stream failed earlier")),
                State::Open => {}
            }
            let Some(rx) = &self.rx else {
                return Ok(0);
            };
            match rx.recv() {
                Ok(Ok(chunk)) => {
                    self.cur = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.state = State::Failed;
                    return Err(e);
                }
                Err(_) => self.state = State::Ended,
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A limit the decompressed stream broke.
#[derive(Clone, Copy, Debug, thiserror::Error)]
pub(crate) enum Trip {
    #[error("decompressed stream larger than {limit} bytes")]
    Total { size: u64, limit: u64 },
    #[error("decompression ratio above {limit}")]
    Bomb { out: u64, input: u64, limit: u64 },
}

impl Trip {
    pub(crate) fn kind(self) -> ArchiveErrorKind {
        match self {
            Trip::Total { size, limit } => ArchiveErrorKind::TooLarge {
                what: "decompressed archive stream",
                size,
                limit,
            },
            Trip::Bomb { out, input, limit } => ArchiveErrorKind::Bomb { out, input, limit },
        }
    }
}

/// Enforces [`Limits::max_total_size`] and [`Limits::max_ratio`] on the
/// decompressed stream, as the bytes come out.
pub(crate) struct Guard<R> {
    inner: R,
    out: u64,
    compressed: Option<Arc<AtomicU64>>,
    max_total: u64,
    max_ratio: u64,
    pub(crate) tripped: Option<Trip>,
}

impl<R: Read> Guard<R> {
    pub(crate) fn new(inner: R, limits: &Limits, compressed: Option<Arc<AtomicU64>>) -> Self {
        Guard {
            inner,
            out: 0,
            compressed,
            max_total: limits.max_total_size,
            max_ratio: limits.max_ratio.max(1),
            tripped: None,
        }
    }

    /// Decompressed bytes delivered so far.
    pub(crate) fn out(&self) -> u64 {
        self.out
    }

    /// Compressed bytes read so far (the decompressed count for a plain
    /// stream).
    pub(crate) fn input(&self) -> u64 {
        self.compressed
            .as_ref()
            .map_or(self.out, |c| c.load(Ordering::Relaxed))
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(t) = self.tripped {
            return Err(io::Error::other(t));
        }
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let trip = if self.out > self.max_total {
            Some(Trip::Total {
                size: self.out,
                limit: self.max_total,
            })
        } else if let Some(c) = &self.compressed {
            let input = c.load(Ordering::Relaxed);
            (self.out > RATIO_GRACE && self.out / self.max_ratio > input).then_some(Trip::Bomb {
                out: self.out,
                input,
                limit: self.max_ratio,
            })
        } else {
            None
        };
        if let Some(t) = trip {
            self.tripped = Some(t);
            return Err(io::Error::other(t));
        }
        Ok(n)
    }
}

/// The precise problem behind an I/O error seen while reading an archive.
pub(crate) fn classify(e: io::Error) -> ArchiveErrorKind {
    if let Some(t) = e.get_ref().and_then(|i| i.downcast_ref::<Trip>()) {
        return t.kind();
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => ArchiveErrorKind::Truncated(e.to_string()),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            ArchiveErrorKind::Corrupt(e.to_string())
        }
        // Decoders report their own complaints as `Other` without an OS
        // error code.
        io::ErrorKind::Other if e.raw_os_error().is_none() => {
            ArchiveErrorKind::Corrupt(e.to_string())
        }
        _ => ArchiveErrorKind::Io(e),
    }
}
