//! Standard output and error helpers: buffered, byte-exact, quiet on a
//! closed pipe.

use std::io::{self, Write};

/// Whether `e` (anywhere in its chain) is a closed pipe on output.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints `apostille: MESSAGE` on standard error.
pub fn warn(msg: impl std::fmt::Display) {
    eprintln!("apostille: {msg}");
}

/// A buffered standard output that writes raw bytes (names need not be
/// UTF-8).
pub struct Out {
    inner: io::BufWriter<io::Stdout>,
}

impl Out {
    /// Locks nothing; buffers up to 64 KiB.
    pub fn new() -> Out {
        Out {
            inner: io::BufWriter::with_capacity(64 * 1024, io::stdout()),
        }
    }

    /// Writes bytes.
    pub fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.inner.write_all(b)
    }

    /// Flushes.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub use apostille_formats::time::utc;
