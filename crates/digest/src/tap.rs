//! A [`HashSink`] that hands the bytes of the engine's read to a consumer
//! on a thread of its own: the way a second reader of the same bytes (an
//! archive's decompressor and entry hasher, for the per-file SBOM of a
//! source tarball) rides on the one read instead of reading the file again.
//!
//! [`spawn`] starts the consumer with a [`TapReader`] (a [`Read`] over the
//! bytes as they arrive) and gives back the sink, to add to the file's job
//! in the [`ReadPlan`](crate::ReadPlan), and a [`Tap`] handle. Once the
//! plan has run, [`Tap::finish`] ends the stream and waits for the
//! consumer's result.
//!
//! The bytes travel in chunks of at most [`CHUNK`] bytes through a channel
//! [`DEPTH`] chunks deep: the engine waits when the consumer is behind, so
//! memory stays bounded whatever the file's size. The consumer runs on a
//! plain thread, never on the engine's pool, so it may not use the engine
//! (the pool's threads may be the ones waiting for it). A consumer that
//! stops early (an archive that is refused) drops its reader; the sink then
//! drops what else comes, and the engine's read goes on unhindered.

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::HashSink;

/// Largest chunk handed to the consumer, in bytes.
pub const CHUNK: usize = 1 << 20;
/// Chunks in flight between the engine and the consumer.
pub const DEPTH: usize = 8;

/// Why a tap's consumer gave no result.
#[derive(Debug, thiserror::Error)]
pub enum TapError {
    /// The consumer thread could not be started.
    #[error("cannot start a reader thread: {0}")]
    Spawn(#[source] io::Error),
    /// The consumer panicked (a bug, reported rather than propagated).
    #[error("the {0} thread stopped unexpectedly")]
    Panicked(String),
}

/// The sending side, shared by the sink (in the engine's job) and the
/// handle (which closes it).
struct Feed {
    tx: Option<SyncSender<Vec<u8>>>,
    buf: Vec<u8>,
}

impl Feed {
    fn send(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        if let Some(tx) = &self.tx
            && tx.send(chunk).is_err()
        {
            // The consumer is done (or gave up): nothing more to hand over.
            self.tx = None;
        }
    }
}

struct TapSink {
    feed: Arc<Mutex<Feed>>,
}

impl HashSink for TapSink {
    fn update(&mut self, mut data: &[u8]) {
        let mut feed = self.feed.lock().unwrap_or_else(PoisonError::into_inner);
        while !data.is_empty() {
            if feed.tx.is_none() {
                return;
            }
            let room = CHUNK - feed.buf.len();
            let (now, rest) = data.split_at(room.min(data.len()));
            feed.buf.extend_from_slice(now);
            data = rest;
            if feed.buf.len() == CHUNK {
                feed.send();
            }
        }
    }

    fn cost_hint(&self) -> u32 {
        // A copy; the consumer's own work is on its thread.
        4
    }
}

/// The consumer's side: the bytes of the read, in order, then the end.
pub struct TapReader {
    rx: Receiver<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for TapReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(chunk) => {
                    self.cur = chunk;
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The handle of a running consumer.
pub struct Tap<T> {
    feed: Arc<Mutex<Feed>>,
    thread: JoinHandle<T>,
    name: String,
}

/// Starts `consume` on a thread named `name` and returns the sink that
/// feeds it and the handle that collects its result.
pub fn spawn<T, F>(name: &str, consume: F) -> Result<(Box<dyn HashSink>, Tap<T>), TapError>
where
    T: Send + 'static,
    F: FnOnce(TapReader) -> T + Send + 'static,
{
    let (tx, rx) = sync_channel(DEPTH);
    let feed = Arc::new(Mutex::new(Feed {
        tx: Some(tx),
        buf: Vec::with_capacity(CHUNK),
    }));
    let thread = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            consume(TapReader {
                rx,
                cur: Vec::new(),
                pos: 0,
            })
        })
        .map_err(TapError::Spawn)?;
    let sink = Box::new(TapSink { feed: feed.clone() });
    Ok((
        sink,
        Tap {
            feed,
            thread,
            name: name.to_string(),
        },
    ))
}

impl<T> Tap<T> {
    /// Ends the stream (what the sink holds is handed over first) and
    /// waits for the consumer's result. Call it after the read that feeds
    /// the sink: the consumer sees the end of the stream only then. When
    /// that read failed, the consumer sees a stream that ends early.
    pub fn finish(self) -> Result<T, TapError> {
        {
            let mut feed = self.feed.lock().unwrap_or_else(PoisonError::into_inner);
            feed.send();
            feed.tx = None;
        }
        self.thread
            .join()
            .map_err(|_| TapError::Panicked(self.name.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consumer_sees_every_byte_in_order_and_the_end() {
        let (mut sink, tap) = spawn("test-tap", |mut r: TapReader| {
            let mut all = Vec::new();
            r.read_to_end(&mut all).map(|_| all)
        })
        .expect("spawn");
        let data: Vec<u8> = (0..(3 * CHUNK + 17)).map(|i| (i % 251) as u8).collect();
        for piece in data.chunks(CHUNK / 3 + 5) {
            sink.update(piece);
        }
        let got = tap.finish().expect("joined").expect("read");
        assert_eq!(got, data);
    }

    #[test]
    fn a_consumer_that_stops_early_does_not_block_the_read() {
        let (mut sink, tap) = spawn("test-tap", |mut r: TapReader| {
            let mut first = [0u8; 10];
            r.read_exact(&mut first).map(|_| first)
        })
        .expect("spawn");
        // Far more than the channel holds: would block if the sink waited.
        let big = vec![7u8; (DEPTH + 4) * CHUNK];
        sink.update(&big);
        sink.update(&big);
        assert_eq!(tap.finish().expect("joined").expect("read"), [7u8; 10]);
    }

    #[test]
    fn a_panicking_consumer_is_an_error() {
        let (mut sink, tap) =
            spawn("test-tap", |_r: TapReader| -> u8 { panic!("consumer bug") }).expect("spawn");
        sink.update(b"x");
        assert!(matches!(tap.finish(), Err(TapError::Panicked(_))));
    }
}
