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

/// `YYYY-MM-DDTHH:MM:SSZ` for a time since the epoch (UTC, proleptic
/// Gregorian), without a date-time dependency.
pub fn utc(t: std::time::SystemTime) -> String {
    let secs = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
