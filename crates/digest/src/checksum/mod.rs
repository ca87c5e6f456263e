//! Checksum files, read and written: one implementation shared by the
//! producer (which writes `SHA256SUMS`, sidecars, …) and the consumer
//! (which checks them).
//!
//! # Formats read by [`parse`]
//!
//! Every format below may appear in the same file, line by line. Blank lines
//! and lines starting with `#` are ignored, and CRLF line ends are accepted.
//!
//! * [`Format::Gnu`]: GNU coreutils (`sha256sum`, `md5sum`, …) and `b3sum`:
//!   `HEX  name` (text mode) or `HEX *name` (binary mode). A line starting
//!   with `\` has an escaped name (`\\`, `\n`, `\r`). As in coreutils, the
//!   separator after the digest is one space or tab followed by a space or
//!   `*`; the one-space form `HEX name` is **not** accepted.
//! * [`Format::Bsd`]: tagged lines, `SHA512 (name) = HEX`, as written by
//!   `sha512sum --tag`, BSD `sha512`/`md5` and Fedora's `CHECKSUM` files,
//!   including the escaped `\SHA512 (…)` form.
//! * [`Format::OpenSsl`]: `openssl dgst` output, `SHA2-256(name)= HEX`.
//! * [`Format::GpgPrintMd`]: `gpg --print-md ALGO file…` records: upper-case
//!   hex in groups, wrapped over indented continuation lines; a name longer
//!   than 38 bytes puts the digest on the next line; and `gpg --print-mds`
//!   records, `name: SHA256 = HEX…`, one per algorithm (those apostille
//!   does not compute, RMD160 and SHA224, are improperly formatted lines).
//! * [`Format::Bare`]: a sidecar holding nothing but one digest (also in
//!   `gpg --print-md` groups, as gpg prints it for standard input); the name
//!   comes from [`ParseOptions::bare_name`].
//! * [`Format::Debian`]: the checksum fields of Debian `.dsc`, `.changes`
//!   and `Release` files (`Checksums-Sha256:`, `Files:`, `SHA256:`, …) with
//!   ` HEX SIZE NAME` lines. The other fields of such a document are skipped.
//!
//! Any of these may be wrapped in an OpenPGP clear signature: the armor
//! headers and the signature block are skipped, dash-escaping is undone and
//! trailing white space is dropped, as the signature covers the text without
//! it. Text outside the signed part is reported as malformed, never parsed.
//! The signature itself is not checked here; [`Parsed::clearsigned`] says
//! whether there was one.
//!
//! The algorithm of an entry comes from its tag (BSD, OpenSSL, Debian), else
//! from [`ParseOptions::algorithm`], else from the digest length; 64 hex
//! digits mean SHA-256 unless the hint says BLAKE3.
//!
//! # Formats written
//!
//! [`format_gnu`] and [`format_bsd`] write lines byte-identical to GNU
//! coreutils 9.1 `sha256sum` and `sha256sum --tag`, escaping included.
//!
//! # What this module does not do
//!
//! No file I/O and no hashing: callers pass bytes in and get bytes out.
//! Names are raw bytes, kept exactly as found; whether a name is safe to
//! open (absolute, `..`, symlinks) is the checker's decision, not the
//! parser's. The only name the parser rejects is one containing NUL, which
//! no checksum format can express. Nothing here decides whether a checksum
//! file is trustworthy or which algorithms are strong enough.

mod armor;
mod escape;
mod gpg;
mod hint;
mod parse;
mod write;

#[cfg(test)]
mod tests;

use std::fmt;

use crate::algorithm::Algorithm;
use crate::value::Digest;

pub use escape::{UnescapeError, escape_name, needs_escape, unescape_name};
pub use hint::{algorithm_hint_from_file_name, sidecar_subject};
pub use parse::parse;
pub use write::{forbidden_control_character, format_bsd, format_gnu, name_is_representable};

/// One record of a checksum file: an expected digest for one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The algorithm the digest was made with.
    pub algorithm: Algorithm,
    /// The digest the named file is expected to have.
    pub expected: Digest,
    /// The file name exactly as recorded (unescaped), as raw bytes.
    pub name: Vec<u8>,
    /// 1-based line number where the record starts.
    pub line: usize,
    /// GNU binary-mode marker (`HEX *name`); `false` for every other format.
    pub binary: bool,
    /// The file size, where the format records one (Debian sections).
    pub size: Option<u64>,
    /// The format of the record.
    pub format: Format,
}

/// The layout of a checksum record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// GNU coreutils / `b3sum`: `HEX  name` or `HEX *name`.
    Gnu,
    /// BSD tag: `SHA256 (name) = HEX`.
    Bsd,
    /// `openssl dgst`: `SHA2-256(name)= HEX`.
    OpenSsl,
    /// `gpg --print-md`: `name: HEX HEX …`, possibly wrapped.
    GpgPrintMd,
    /// A sidecar holding only a digest.
    Bare,
    /// A checksum field of a Debian `.dsc`, `.changes` or `Release` file.
    Debian,
}

impl Format {
    /// A short lower-case name: `gnu`, `bsd`, `openssl`, `gpg`, `bare`,
    /// `debian`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Gnu => "gnu",
            Format::Bsd => "bsd",
            Format::OpenSsl => "openssl",
            Format::GpgPrintMd => "gpg",
            Format::Bare => "bare",
            Format::Debian => "debian",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A line (or record) that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct Malformed {
    /// 1-based line number.
    pub line: usize,
    /// Why it was rejected, in a few words.
    pub reason: String,
}

/// The result of [`parse`]: every entry found and every line rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The records, in file order.
    pub entries: Vec<Entry>,
    /// The rejected lines, in file order.
    pub malformed: Vec<Malformed>,
    /// The distinct formats of the entries, in order of first appearance.
    pub formats: Vec<Format>,
    /// Whether the content was an OpenPGP clear-signed message. The entries
    /// then come from the signed text only; the signature is not checked.
    pub clearsigned: bool,
}

/// What the caller knows about the checksum file being parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// A forced or hinted algorithm (from `--algo` or from the file name,
    /// see [`algorithm_hint_from_file_name`]). Untagged digests must have
    /// its length; it also settles the SHA-256/BLAKE3 ambiguity.
    pub algorithm: Option<Algorithm>,
    /// The name for a bare-digest sidecar: the sidecar's file name minus
    /// its extension (see [`sidecar_subject`]).
    pub bare_name: Option<Vec<u8>>,
}

/// Picks the algorithm of an untagged digest with `hex_len` hex digits.
fn untagged_algorithm(hex_len: usize, opts: &ParseOptions) -> Result<Algorithm, String> {
    if let Some(forced) = opts.algorithm {
        if forced.output_len() * 2 == hex_len {
            return Ok(forced);
        }
        return Err(format!(
            "digest has {hex_len} hex digits, but {forced} needs {}",
            forced.output_len() * 2
        ));
    }
    match Algorithm::by_hex_len(hex_len) {
        [] => Err(format!(
            "digest has {hex_len} hex digits, which fits no known algorithm"
        )),
        // 64 digits: SHA-256 or BLAKE3; without a hint, SHA-256.
        [first, ..] => Ok(*first),
    }
}

/// Builds a digest from ASCII hex whose length already fits `algorithm`.
fn digest_from_hex(algorithm: Algorithm, hex: &[u8]) -> Result<Digest, String> {
    let wanted = algorithm.output_len() * 2;
    if hex.len() != wanted {
        return Err(format!(
            "digest has {} hex digits, but {algorithm} needs {wanted}",
            hex.len()
        ));
    }
    std::str::from_utf8(hex)
        .ok()
        .and_then(|s| Digest::from_hex(algorithm, s))
        .ok_or_else(|| "digest is not hexadecimal".to_owned())
}

/// Rejects names no checksum format can carry.
fn check_name(name: &[u8]) -> Result<(), String> {
    if name.is_empty() {
        Err("empty file name".to_owned())
    } else if name.contains(&0) {
        Err("file name contains a NUL byte".to_owned())
    } else {
        Ok(())
    }
}
