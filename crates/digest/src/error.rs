//! Errors of the digest engine and of the checksum-file formats.

use std::io;
use std::path::PathBuf;

/// An algorithm name that apostille does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown digest algorithm `{0}` (known: sha256, sha384, sha512, blake3, sha1, md5)")]
pub struct UnknownAlgorithm(pub String);

/// Why hashing one input failed. Every variant names the input.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The input could not be opened or its metadata read.
    #[error("{path}: cannot open: {source}")]
    Open {
        /// The input.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// Reading failed part-way.
    #[error("{path}: read error: {source}")]
    Read {
        /// The input.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The input is a directory where a file was expected.
    #[error("{path}: is a directory")]
    IsDirectory {
        /// The input.
        path: PathBuf,
    },
    /// The file changed size, content or timestamps while it was being
    /// hashed; the digests are not reported because they may describe
    /// neither the old nor the new content.
    #[error("{path}: file changed while being hashed ({what}); digests discarded")]
    Changed {
        /// The input.
        path: PathBuf,
        /// What was seen to change.
        what: String,
    },
    /// An extra hash sink reported a failure.
    #[error("{path}: {message}")]
    Sink {
        /// The input.
        path: PathBuf,
        /// The sink's message.
        message: String,
    },
}

impl HashError {
    /// A copy for a second reader of the same result (one read serving
    /// several checks): the same variant, path and message; an operating
    /// system error keeps its kind and text.
    pub fn duplicate(&self) -> HashError {
        let io_copy = |e: &io::Error| io::Error::new(e.kind(), e.to_string());
        match self {
            HashError::Open { path, source } => HashError::Open {
                path: path.clone(),
                source: io_copy(source),
            },
            HashError::Read { path, source } => HashError::Read {
                path: path.clone(),
                source: io_copy(source),
            },
            HashError::IsDirectory { path } => HashError::IsDirectory { path: path.clone() },
            HashError::Changed { path, what } => HashError::Changed {
                path: path.clone(),
                what: what.clone(),
            },
            HashError::Sink { path, message } => HashError::Sink {
                path: path.clone(),
                message: message.clone(),
            },
        }
    }

    /// The input this error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            HashError::Open { path, .. }
            | HashError::Read { path, .. }
            | HashError::IsDirectory { path }
            | HashError::Changed { path, .. }
            | HashError::Sink { path, .. } => path,
        }
    }
}

/// Why walking the inputs failed.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// A path given or found could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// A symlink to be followed points nowhere.
    #[error("{path}: dangling symlink (its target does not exist)")]
    Dangling {
        /// The symlink.
        path: PathBuf,
    },
    /// Following symlinks led back into a directory already on the path.
    #[error("{path}: symlink loop (directory already visited)")]
    Loop {
        /// The path.
        path: PathBuf,
    },
}
