//! The errors of this crate: each names the file or command it concerns and
//! what went wrong with it.

use std::path::PathBuf;

/// Building notices or running an audit failed.
#[derive(Debug, thiserror::Error)]
pub enum NoticesError {
    /// `cargo metadata` could not be started.
    #[error("cannot run `{command}`: {source}")]
    CargoSpawn {
        /// The command line.
        command: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// `cargo metadata` ran and failed.
    #[error("`{command}` failed ({status}): {stderr}")]
    CargoFailed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// What it printed on standard error (trimmed).
        stderr: String,
    },
    /// The output of `cargo metadata` is not what format version 1 says.
    #[error("cannot read the output of `cargo metadata`: {0}")]
    Metadata(String),
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A file is larger than this crate is willing to hold in memory.
    #[error("{path}: {size} bytes, more than the {limit}-byte limit for a license file")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The policy file is not valid.
    #[error("{path}: {message}")]
    Policy {
        /// The policy file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A glob (from the command line, the policy or `.rat-excludes`) is not
    /// valid.
    #[error("{origin}: bad pattern `{pattern}`: {message}")]
    Glob {
        /// Where the pattern came from.
        origin: String,
        /// The pattern.
        pattern: String,
        /// Why it is not valid.
        message: String,
    },
    /// The license detection store could not be loaded.
    #[error("cannot load the license detection store: {0}")]
    Store(String),
    /// Reading an archive failed (the message names archive and entry).
    #[error(transparent)]
    Archive(#[from] apostille_digest::archive::ArchiveError),
    /// Reading a tree (directory or archive) for an audit failed.
    #[error("{path}: {message}")]
    Tree {
        /// The directory, archive or member.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}
