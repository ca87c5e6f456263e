//! Reading the small inputs a command is given by name (KEYS files,
//! signatures, bundles, trusted roots, SBOMs, configs, policies) without
//! being made to hang or to fill memory.
//!
//! Every such input may be a file an attacker made, or a path that is not a
//! file at all. [`read_limited`] opens it without blocking (a FIFO that no
//! one writes to would otherwise hold `open` forever), refuses what is not a
//! regular file, a FIFO or a pipe (a directory, `/dev/zero`, a socket), and
//! reads at most a given number of bytes, so a bigger input is refused by
//! name instead of being read whole. A FIFO is waited on for a writer for
//! at most [`FIFO_WAIT`], then given up on by name; one with a writer is
//! read to its end, as `sha256sum` would.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// The largest small input read whole by default: 64 MiB. Real KEYS files,
/// signatures, bundles and configs are kilobytes; SBOMs of big trees are a
/// few megabytes.
pub const DEFAULT_LIMIT: u64 = 64 << 20;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// It could not be opened or read.
    /// (The cause is in the message, not given as a separate source, so
    /// that a chain printer does not say it twice.)
    #[error("{}: cannot read: {reason}", shown_path(.path))]
    Io {
        /// The input.
        path: PathBuf,
        /// The cause.
        reason: std::io::Error,
    },
    /// It is not something that can be read as a document.
    #[error("{}: not a regular file ({kind})", shown_path(.path))]
    NotRegular {
        /// The input.
        path: PathBuf,
        /// What it is instead: "a directory", "a character device", ...
        kind: &'static str,
    },
    /// It is bigger than the limit.
    #[error("{}: larger than {limit} bytes, refused unread", shown_path(.path))]
    TooLarge {
        /// The input.
        path: PathBuf,
        /// The limit it passed.
        limit: u64,
    },
}

impl InputError {
    /// The input the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. } | Self::NotRegular { path, .. } | Self::TooLarge { path, .. } => {
                path
            }
        }
    }

    /// The error as an [`std::io::Error`] whose message is the problem
    /// alone, without the path: for error types that name the path
    /// themselves.
    pub fn into_io(self) -> std::io::Error {
        use std::io::{Error, ErrorKind};
        match self {
            Self::Io { reason, .. } => reason,
            Self::NotRegular { kind, .. } => Error::new(
                ErrorKind::InvalidInput,
                format!("not a regular file ({kind})"),
            ),
            Self::TooLarge { limit, .. } => Error::new(
                ErrorKind::FileTooLarge,
                format!("larger than {limit} bytes, refused unread"),
            ),
        }
    }
}

fn shown_path(path: &Path) -> String {
    crate::display::terminal_safe(path.as_os_str().as_encoded_bytes()).into_owned()
}

/// What `meta` is, when it is not a regular file, FIFO or pipe.
pub fn refused_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() || t.is_fifo() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_char_device() {
        Some("a character device")
    } else if t.is_block_device() {
        Some("a block device")
    } else if t.is_socket() {
        Some("a socket")
    } else {
        Some("not a file")
    }
}

/// Opens `path` for reading without blocking on a FIFO that has no writer,
/// then puts the descriptor back into blocking mode, and refuses what is
/// not a regular file, FIFO or pipe.
pub fn open_input(path: &Path) -> Result<File, InputError> {
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        reason: source,
    };
    let file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if let Some(kind) = refused_kind(&meta) {
        return Err(InputError::NotRegular {
            path: path.to_path_buf(),
            kind,
        });
    }
    Ok(file)
}

/// Opens `path` for reading without blocking on a FIFO that has no writer
/// (it then reads as empty), and returns it in blocking mode. Any kind of
/// file is opened; the caller decides what it reads.
pub fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    if file.metadata()?.file_type().is_fifo() {
        wait_for_writer(&file)?;
    }
    set_blocking(&file)?;
    Ok(file)
}

/// How long a FIFO may go without a writer before it is given up on.
pub const FIFO_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Waits up to [`FIFO_WAIT`] for a FIFO to have something to read (or a
/// writer that came and went): a writer that opens it a moment after us is
/// still read, one that never comes is an error instead of a hang.
fn wait_for_writer(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let mut fds = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let deadline = std::time::Instant::now() + FIFO_WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let ms = i32::try_from(left.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd, its count, and a timeout.
        let n = unsafe { libc::poll(&mut fds, 1, ms) };
        if n > 0 {
            return Ok(());
        }
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("a FIFO no one wrote to within {} s", FIFO_WAIT.as_secs()),
            ));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

fn set_blocking(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function's caller owns; F_GETFL and
    // F_SETFL take and return plain integers.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Reads all of `path`, refusing more than `limit` bytes (see the module
/// documentation for what is refused and why).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let file = open_input(path)?;
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        reason: source,
    };
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    if hint > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(io)?;
    if out.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(out)
}

/// [`read_limited`] with [`DEFAULT_LIMIT`].
pub fn read_input(path: &Path) -> Result<Vec<u8>, InputError> {
    read_limited(path, DEFAULT_LIMIT)
}

/// [`read_input`] as UTF-8 text.
pub fn read_input_string(path: &Path) -> Result<String, InputError> {
    let bytes = read_input(path)?;
    String::from_utf8(bytes).map_err(|_| InputError::Io {
        path: path.to_path_buf(),
        reason: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_without_writer_is_given_up_on_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("keys");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("cstring");
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_input(&fifo).expect_err("no writer");
        assert!(
            e.to_string()
                .contains("keys: cannot read: a FIFO no one wrote to"),
            "{e}"
        );
    }

    #[test]
    fn devices_and_directories_are_refused_by_name() {
        let e = read_input(Path::new("/dev/zero")).expect_err("device");
        assert_eq!(
            e.to_string(),
            "/dev/zero: not a regular file (a character device)"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let e = read_input(dir.path()).expect_err("dir");
        assert!(
            e.to_string().ends_with("not a regular file (a directory)"),
            "{e}"
        );
    }

    #[test]
    fn more_than_the_limit_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("big");
        std::fs::write(&f, [b'x'; 100]).expect("write");
        assert_eq!(read_limited(&f, 100).expect("at limit").len(), 100);
        let e = read_limited(&f, 99).expect_err("over");
        assert!(
            e.to_string()
                .ends_with("larger than 99 bytes, refused unread"),
            "{e}"
        );
    }
}
