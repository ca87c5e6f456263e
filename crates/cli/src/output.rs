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
/// UTF-8). A reader that went away (a closed pipe: `verify … | head -1`)
/// makes further output vanish instead of failing the command, so that
/// the exit status is still the command's verdict.
pub struct Out {
    inner: io::BufWriter<io::Stdout>,
    closed: bool,
}

impl Out {
    /// Locks nothing; buffers up to 64 KiB.
    pub fn new() -> Out {
        Out {
            inner: io::BufWriter::with_capacity(64 * 1024, io::stdout()),
            closed: false,
        }
    }

    fn guard(&mut self, r: io::Result<()>) -> io::Result<()> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            r => r,
        }
    }

    /// Writes bytes (nothing, once the reader has gone).
    pub fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.write_all(b);
        self.guard(r)
    }

    /// Flushes.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.guard(r)
    }
}

pub use apostille_formats::time::utc;
