//! Streaming archive reader: every entry of a `.tar` (plain, gzip, bzip2,
//! xz or zstd compressed) or `.zip` archive, in archive order, with a reader
//! over its bytes, in one pass and without extracting anything to disk.
//!
//! [`for_each_entry`] decompresses the archive once (compressed tar streams
//! are decompressed on a helper thread, so decompression overlaps whatever
//! the visitor does with the bytes, hashing for instance) and calls the
//! visitor for every entry. Zip archives are read through their central
//! directory from the file, still reading every byte once.
//!
//! # Hostile archives
//!
//! Archives are input from strangers. Every entry name is normalised to a
//! relative path (`./a//b` → `a/b`); absolute names and names with a `..`
//! component are refused, not rewritten. [`Limits`] bounds the number of
//! entries, the size of one entry, the total size and the decompression
//! ratio (a decompression bomb is stopped once it exceeds the ratio, not
//! after it has filled memory or disk). A stream that ends early (a
//! truncated download) is an error, as is a tar stream without its
//! end-of-archive marker. Memory stays bounded whatever the archive claims:
//! metadata records (GNU long names, pax headers) are limited to
//! [`MAX_METADATA`] bytes, and data is streamed in fixed-size chunks.
//!
//! # Example
//!
//! ```
//! use apostille_digest::archive::{for_each_entry, EntryKind, Limits};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("empty.tar");
//! # std::fs::write(&path, vec![0u8; 1024])?;
//! let mut files = Vec::new();
//! for_each_entry(&path, &Limits::default(), |entry, reader| {
//!     if entry.kind == EntryKind::File {
//!         let mut bytes = Vec::new();
//!         reader.read_to_end(&mut bytes)?;
//!         files.push((entry.path.clone(), bytes.len()));
//!     }
//!     Ok(())
//! })?;
//! assert!(files.is_empty());
//! # Ok(()) }
//! ```

mod stream;
mod tar;
#[cfg(test)]
mod tests;
mod zip;

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

/// The largest metadata record (GNU long name or link, pax header) read
/// into memory.
pub const MAX_METADATA: u64 = 1 << 20;

/// The container and compression of an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArchiveFormat {
    /// Uncompressed tar.
    Tar,
    /// gzip-compressed tar (`.tar.gz`, `.tgz`); concatenated gzip members
    /// are read like `gzip -dc` does.
    TarGz,
    /// bzip2-compressed tar (`.tar.bz2`, `.tbz2`).
    TarBz2,
    /// xz-compressed tar (`.tar.xz`, `.txz`).
    TarXz,
    /// zstd-compressed tar (`.tar.zst`, `.tzst`).
    TarZst,
    /// Zip archive.
    Zip,
}

impl ArchiveFormat {
    /// The format a file name suggests, from its extension.
    pub fn from_name(name: &str) -> Option<ArchiveFormat> {
        let n = name.to_ascii_lowercase();
        let ends = |sfx: &[&str]| sfx.iter().any(|s| n.ends_with(s));
        if ends(&[".tar.gz", ".tgz", ".tar.gzip"]) {
            Some(ArchiveFormat::TarGz)
        } else if ends(&[".tar.bz2", ".tbz2", ".tbz"]) {
            Some(ArchiveFormat::TarBz2)
        } else if ends(&[".tar.xz", ".txz"]) {
            Some(ArchiveFormat::TarXz)
        } else if ends(&[".tar.zst", ".tzst", ".tar.zstd"]) {
            Some(ArchiveFormat::TarZst)
        } else if ends(&[".tar"]) {
            Some(ArchiveFormat::Tar)
        } else if ends(&[".zip", ".jar", ".whl", ".crate.zip"]) {
            Some(ArchiveFormat::Zip)
        } else {
            None
        }
    }

    /// The format the first bytes of a file show, if any. A compressed
    /// stream is assumed to hold a tar archive (checked when it is read);
    /// plain tar is recognised by its `ustar` magic, which pre-POSIX tar
    /// archives lack (those need the name).
    pub fn from_magic(head: &[u8]) -> Option<ArchiveFormat> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(ArchiveFormat::TarGz)
        } else if head.starts_with(b"BZh") {
            Some(ArchiveFormat::TarBz2)
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Some(ArchiveFormat::TarXz)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(ArchiveFormat::TarZst)
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            Some(ArchiveFormat::Zip)
        } else if head.len() >= 262 && &head[257..262] == b"ustar" {
            Some(ArchiveFormat::Tar)
        } else {
            None
        }
    }

    /// Detects the format of the file at `path`: its magic bytes win, the
    /// name decides when the content has no magic (old tar).
    pub fn detect(path: &Path) -> Result<ArchiveFormat, ArchiveError> {
        let mut file = crate::input::open_input(path).map_err(|e| ArchiveError::input(path, e))?;
        let mut head = [0u8; 512];
        let n = stream::read_full(&mut file, &mut head).map_err(|e| ArchiveError::open(path, e))?;
        Self::from_head(path, &head[..n])
    }

    /// The format of the archive at `path` whose first bytes are `head`.
    fn from_head(path: &Path, head: &[u8]) -> Result<ArchiveFormat, ArchiveError> {
        let n = head.len();
        let by_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(Self::from_name);
        match (Self::from_magic(&head[..n]), by_name) {
            (Some(f), _) => Ok(f),
            (None, Some(ArchiveFormat::Tar)) => Ok(ArchiveFormat::Tar),
            (None, _) => Err(ArchiveError::new(
                path,
                None,
                ArchiveErrorKind::Unsupported(
                    "not a tar, tar.gz, tar.bz2, tar.xz, tar.zst or zip archive".into(),
                ),
            )),
        }
    }

    /// A short name: `tar`, `tar.gz`, `tar.bz2`, `tar.xz`, `tar.zst`, `zip`.
    pub fn name(self) -> &'static str {
        match self {
            ArchiveFormat::Tar => "tar",
            ArchiveFormat::TarGz => "tar.gz",
            ArchiveFormat::TarBz2 => "tar.bz2",
            ArchiveFormat::TarXz => "tar.xz",
            ArchiveFormat::TarZst => "tar.zst",
            ArchiveFormat::Zip => "zip",
        }
    }
}

impl fmt::Display for ArchiveFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Bounds on what an archive may make the reader do. The defaults admit
/// any real release archive seen (multi-GB source tarballs) and stop bombs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most entries (files, directories, links, ...).
    pub max_entries: u64,
    /// Largest single entry, in bytes.
    pub max_entry_size: u64,
    /// Largest total: the sum of entry sizes, and the decompressed stream.
    pub max_total_size: u64,
    /// Largest ratio of decompressed to compressed bytes, judged once more
    /// than [`RATIO_GRACE`] bytes came out (a small file of zeros may
    /// compress very well without being a bomb).
    pub max_ratio: u64,
}

/// The most memory the xz decoder may take. Its dictionary size comes from
/// the stream header, so a 46-byte legacy `.lzma` header asked for 4 GiB
/// (found by fuzzing); `xz -9` needs 65 MiB to decode, and the largest
/// dictionary xz itself makes is 1.5 GiB, which is refused.
pub const XZ_MEMORY_LIMIT: u64 = 1 << 30;

/// An `.xz`-only decoder (not the legacy `.lzma` format an "auto" decoder
/// also takes) under [`XZ_MEMORY_LIMIT`]; `flags` as liblzma takes them.
fn xz_stream(flags: u32) -> Result<liblzma::stream::Stream, ArchiveErrorKind> {
    liblzma::stream::Stream::new_stream_decoder(XZ_MEMORY_LIMIT, flags)
        .map_err(|e| ArchiveErrorKind::Io(std::io::Error::other(e)))
}

/// Decompressed bytes below which [`Limits::max_ratio`] is not judged.
pub const RATIO_GRACE: u64 = 8 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 1_000_000,
            max_entry_size: 64 << 30,
            max_total_size: 256 << 30,
            max_ratio: 1000,
        }
    }
}

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A regular file; its bytes are given to the visitor.
    File,
    /// A directory.
    Dir,
    /// A symbolic link; see [`EntryInfo::link_target`].
    Symlink,
    /// Anything else: hard links (target in [`EntryInfo::link_target`]),
    /// devices, FIFOs, sparse files. The visitor gets no bytes.
    Other,
}

/// One entry of an archive, as given to the visitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryInfo {
    /// Normalised relative path, `/`-separated, no `.` or empty components,
    /// no trailing slash; never absolute, never with `..`. Names that are
    /// not UTF-8 are converted lossily.
    pub path: String,
    /// Size in bytes of the entry's data (0 unless a file).
    pub size: u64,
    /// What the entry is.
    pub kind: EntryKind,
    /// Unix permission bits as stored (0 when the archive has none).
    pub mode: u32,
    /// Target of a symbolic or hard link, as stored.
    pub link_target: Option<String>,
}

/// What one pass over an archive saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveSummary {
    /// The format read (`None` only for the default value).
    pub format: Option<ArchiveFormat>,
    /// Entries visited.
    pub entries: u64,
    /// Regular files among them.
    pub files: u64,
    /// Sum of the regular files' sizes.
    pub file_bytes: u64,
    /// Bytes read from the archive file.
    pub archive_bytes: u64,
    /// Bytes after decompression (equal to `archive_bytes` for tar and
    /// zip).
    pub stream_bytes: u64,
}

/// Why reading an archive failed: names the archive, the entry when there
/// is one, and the problem.
#[derive(Debug, thiserror::Error)]
pub struct ArchiveError {
    archive: PathBuf,
    entry: Option<String>,
    kind: ArchiveErrorKind,
}

/// The problem an [`ArchiveError`] reports.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveErrorKind {
    /// The archive could not be opened.
    #[error("cannot open: {0}")]
    Open(#[source] io::Error),
    /// Reading failed (an I/O error, or a decoder's error that says nothing
    /// more precise).
    #[error("read error: {0}")]
    Io(#[source] io::Error),
    /// An entry name is absolute or climbs out with `..`.
    #[error("unsafe entry name ({0}); refusing the archive")]
    UnsafePath(String),
    /// More entries than [`Limits::max_entries`].
    #[error("more than {limit} entries")]
    TooManyEntries {
        /// The limit.
        limit: u64,
    },
    /// An entry, a metadata record or the whole archive is larger than
    /// allowed.
    #[error("{what} of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size (as claimed, or as seen so far).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The decompression ratio exceeded [`Limits::max_ratio`].
    #[error(
        "decompression bomb: {out} bytes out of {input} compressed (ratio above {limit}); refusing"
    )]
    Bomb {
        /// Decompressed bytes so far.
        out: u64,
        /// Compressed bytes read so far.
        input: u64,
        /// The ratio limit.
        limit: u64,
    },
    /// The archive ends early.
    #[error("truncated: {0}")]
    Truncated(String),
    /// The archive is damaged or not what its magic claims.
    #[error("corrupt: {0}")]
    Corrupt(String),
    /// A valid archive uses a feature this reader does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The visitor gave up.
    #[error("{0}")]
    Visitor(String),
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let archive = self.archive.as_os_str().as_encoded_bytes();
        write!(f, "{}", crate::display::terminal_safe(archive))?;
        if let Some(e) = &self.entry {
            write!(
                f,
                ": entry `{}`",
                crate::display::terminal_safe(e.as_bytes())
            )?;
        }
        // The kind may quote a name too (an unsafe path, a visitor's
        // message): nothing from the archive reaches a terminal raw.
        let kind = self.kind.to_string();
        write!(f, ": {}", crate::display::terminal_safe(kind.as_bytes()))
    }
}

impl ArchiveError {
    /// An error about `archive` (and `entry`, if any).
    pub fn new(archive: &Path, entry: Option<&str>, kind: ArchiveErrorKind) -> ArchiveError {
        ArchiveError {
            archive: archive.to_path_buf(),
            entry: entry.map(str::to_owned),
            kind,
        }
    }

    /// An error a visitor returns to stop the pass; [`for_each_entry`] adds
    /// the archive and entry names.
    pub fn visitor(message: impl Into<String>) -> ArchiveError {
        ArchiveError::new(
            Path::new(""),
            None,
            ArchiveErrorKind::Visitor(message.into()),
        )
    }

    /// The archive.
    pub fn archive(&self) -> &Path {
        &self.archive
    }

    /// The entry, when the problem is about one.
    pub fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
    }

    /// The problem.
    pub fn kind(&self) -> &ArchiveErrorKind {
        &self.kind
    }

    fn open(path: &Path, e: io::Error) -> ArchiveError {
        ArchiveError::new(path, None, ArchiveErrorKind::Open(e))
    }

    fn input(path: &Path, e: crate::input::InputError) -> ArchiveError {
        match e {
            crate::input::InputError::Io { reason, .. } => Self::open(path, reason),
            other => {
                ArchiveError::new(path, None, ArchiveErrorKind::Unsupported(other.to_string()))
            }
        }
    }

    /// Fills in the archive and entry names where missing.
    fn in_context(mut self, archive: &Path, entry: Option<&str>) -> ArchiveError {
        if self.archive.as_os_str().is_empty() {
            self.archive = archive.to_path_buf();
        }
        if self.entry.is_none() {
            self.entry = entry.map(str::to_owned);
        }
        self
    }
}

/// Visitors read entries through `std::io`; their `?` on an I/O error gives
/// an [`ArchiveError`] that [`for_each_entry`] completes with names (and
/// turns into the precise problem when a limit or the decoder caused it).
impl From<io::Error> for ArchiveError {
    fn from(e: io::Error) -> Self {
        ArchiveError::new(Path::new(""), None, ArchiveErrorKind::Io(e))
    }
}

/// The visitor's reader over one entry's bytes. It is `Send`, so that a
/// visitor can hand it to a thread pool (the digest engine's
/// [`hash_reader`](crate::Engine::hash_reader)).
pub type EntryReader<'a> = &'a mut (dyn Read + Send);

/// Reads the archive at `path` in one streaming pass and calls `visit` for
/// every entry in archive order with a reader over its bytes (empty unless
/// the entry is a [`EntryKind::File`]). Bytes the visitor leaves unread are
/// skipped (still checked). The format is detected with
/// [`ArchiveFormat::detect`].
pub fn for_each_entry(
    path: &Path,
    limits: &Limits,
    visit: impl FnMut(&EntryInfo, EntryReader<'_>) -> Result<(), ArchiveError>,
) -> Result<ArchiveSummary, ArchiveError> {
    // One open: the format is told from the head of the stream that is
    // then read, so a pipe or FIFO is read once, from its start.
    let mut file = crate::input::open_input(path).map_err(|e| ArchiveError::input(path, e))?;
    let mut head = [0u8; 512];
    let n = stream::read_full(&mut file, &mut head).map_err(|e| ArchiveError::open(path, e))?;
    let format = ArchiveFormat::from_head(path, &head[..n])?;
    let head = head[..n].to_vec();
    read_opened(path, file, head, format, limits, visit)
}

/// [`for_each_entry`] with the format given rather than detected.
pub fn for_each_entry_as(
    path: &Path,
    format: ArchiveFormat,
    limits: &Limits,
    visit: impl FnMut(&EntryInfo, EntryReader<'_>) -> Result<(), ArchiveError>,
) -> Result<ArchiveSummary, ArchiveError> {
    let file = crate::input::open_input(path).map_err(|e| ArchiveError::input(path, e))?;
    read_opened(path, file, Vec::new(), format, limits, visit)
}

/// [`for_each_entry`] over a stream rather than a file: the bytes of a tar
/// archive (plain or compressed; the format told from the first bytes, or
/// from `name` for a pre-POSIX tar) as they arrive, e.g. from a
/// [`TapReader`](crate::tap::TapReader) fed by the engine's read of the
/// archive. `name` is the archive's name in errors. A zip archive is
/// refused: its central directory, at the end, must be read first.
pub fn for_each_entry_in_stream(
    name: &Path,
    mut stream: impl Read + Send + 'static,
    limits: &Limits,
    mut visit: impl FnMut(&EntryInfo, EntryReader<'_>) -> Result<(), ArchiveError>,
) -> Result<ArchiveSummary, ArchiveError> {
    let mut head = [0u8; 512];
    let n = stream::read_full(&mut stream, &mut head).map_err(|e| ArchiveError::open(name, e))?;
    let format = ArchiveFormat::from_head(name, &head[..n])?;
    if format == ArchiveFormat::Zip {
        return Err(ArchiveError::new(
            name,
            None,
            ArchiveErrorKind::Unsupported(
                "a zip archive's entries cannot be listed from a stream (its directory is at the end)"
                    .into(),
            ),
        ));
    }
    let head = head[..n].to_vec();
    let mut summary = tar::read(
        name,
        io::Cursor::new(head).chain(stream),
        format,
        limits,
        &mut visit,
    )?;
    summary.format = Some(format);
    Ok(summary)
}

/// Reads the archive `file`, of which `head` has been read already.
fn read_opened(
    path: &Path,
    mut file: File,
    head: Vec<u8>,
    format: ArchiveFormat,
    limits: &Limits,
    mut visit: impl FnMut(&EntryInfo, EntryReader<'_>) -> Result<(), ArchiveError>,
) -> Result<ArchiveSummary, ArchiveError> {
    let mut summary = match format {
        ArchiveFormat::Zip => {
            // The zip reader seeks (the central directory is at the end):
            // only a regular file can be one.
            if !file.metadata().is_ok_and(|m| m.is_file()) {
                return Err(ArchiveError::new(
                    path,
                    None,
                    ArchiveErrorKind::Unsupported("a zip archive must be a regular file".into()),
                ));
            }
            file.seek(io::SeekFrom::Start(0))
                .map_err(|e| ArchiveError::open(path, e))?;
            zip::read(path, file, limits, &mut visit)
        }
        _ => tar::read(
            path,
            io::Cursor::new(head).chain(file),
            format,
            limits,
            &mut visit,
        ),
    }?;
    summary.format = Some(format);
    Ok(summary)
}

/// Normalises an entry name; the error says why it is refused.
/// `Ok(None)` is the archive root (`./`), which has no name of its own.
pub(crate) fn normalise(raw: &str) -> Result<Option<String>, String> {
    if raw.contains('\0') {
        return Err("NUL byte in name".into());
    }
    // A newline would forge a line in every list or document the name is
    // written into (a tag-value `FileName:`, a checksum list); other
    // controls act on the terminal that shows it. No real release names a
    // file so.
    if let Some(c) = raw.chars().find(|c| c.is_control()) {
        return Err(format!("control character {c:?} in name"));
    }
    let b = raw.as_bytes();
    if raw.starts_with('/') || raw.starts_with('\\') {
        return Err(format!("absolute path `{raw}`"));
    }
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err(format!("drive-letter path `{raw}`"));
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        if part.split('\\').any(|p| p == "..") {
            return Err(format!("`..` component in `{raw}`"));
        }
        if !part.is_empty() && part != "." {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(parts.join("/")))
}
