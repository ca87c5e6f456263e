//! Writing checksum lines exactly as GNU coreutils 9.1 does.

use super::escape::{escape_name, needs_escape};
use crate::value::Digest;

/// Whether `name` can be written to a checksum file so that [`parse`]
/// reads it back unchanged: it must be non-empty and free of NUL bytes.
///
/// [`parse`]: super::parse
pub fn name_is_representable(name: &[u8]) -> bool {
    !name.is_empty() && !name.contains(&0)
}

/// The first control character of `name` (bytes 0x00–0x1f and 0x7f) other
/// than newline, which coreutils escapes and checkers accept. Checkers refuse
/// such names, because printing them lets a checksum file write terminal
/// escape sequences into a log; writers warn about them.
pub fn forbidden_control_character(name: &[u8]) -> Option<u8> {
    name.iter()
        .copied()
        .find(|&b| (b < 0x20 && b != b'\n') || b == 0x7f)
}

/// One GNU coreutils line, `HEX  name\n` (or `HEX *name\n` when `binary`),
/// byte-identical to `sha256sum` (`md5sum`, …) 9.1: a name holding `\`,
/// newline or CR is escaped and the line starts with `\`.
///
/// `b3sum` reads these lines too, with two exceptions seen with b3sum 1.2.0:
/// it rejects the `*` marker and the `\r` escape.
///
/// Names for which [`name_is_representable`] is false produce a line that
/// [`parse`](super::parse) reports as malformed.
pub fn format_gnu(digest: &Digest, name: &[u8], binary: bool) -> Vec<u8> {
    let hex = digest.to_hex();
    let mut out = Vec::with_capacity(hex.len() + name.len() + 8);
    let escaped = needs_escape(name);
    if escaped {
        out.push(b'\\');
    }
    out.extend_from_slice(hex.as_bytes());
    out.push(b' ');
    out.push(if binary { b'*' } else { b' ' });
    if escaped {
        out.extend_from_slice(&escape_name(name));
    } else {
        out.extend_from_slice(name);
    }
    out.push(b'\n');
    out
}

/// One BSD tag line, `SHA512 (name) = HEX\n`, byte-identical to
/// `sha512sum --tag` 9.1: a name holding `\`, newline or CR is escaped and
/// the line starts with `\`. BLAKE3 uses the tag `BLAKE3`.
pub fn format_bsd(digest: &Digest, name: &[u8]) -> Vec<u8> {
    let hex = digest.to_hex();
    let tag = digest.algorithm().bsd_tag();
    let mut out = Vec::with_capacity(hex.len() + name.len() + tag.len() + 8);
    let escaped = needs_escape(name);
    if escaped {
        out.push(b'\\');
    }
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(b" (");
    if escaped {
        out.extend_from_slice(&escape_name(name));
    } else {
        out.extend_from_slice(name);
    }
    out.extend_from_slice(b") = ");
    out.extend_from_slice(hex.as_bytes());
    out.push(b'\n');
    out
}
