//! GNU coreutils file-name escaping.
//!
//! coreutils 9.1 escapes exactly three bytes, and only in names that contain
//! one of them: `\` as `\\`, newline as `\n` and carriage return as `\r`. The
//! line then starts with a `\` of its own. Tabs, spaces, parentheses and
//! bytes that are not UTF-8 are written as they are.

/// Why an escaped name could not be read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnescapeError {
    /// The name ends with a lone `\`.
    #[error("escaped file name ends with a lone backslash")]
    TrailingBackslash,
    /// A `\` is followed by something other than `\`, `n` or `r`.
    #[error("invalid escape `\\{}` in file name", char::from(*.0).escape_default())]
    UnknownEscape(u8),
}

/// Whether coreutils would escape `name` (it holds `\`, newline or CR).
pub fn needs_escape(name: &[u8]) -> bool {
    name.iter().any(|&b| matches!(b, b'\\' | b'\n' | b'\r'))
}

/// Escapes `name` as coreutils does: `\` → `\\`, newline → `\n`, CR → `\r`.
/// The caller adds the leading `\` of the line when [`needs_escape`] holds.
pub fn escape_name(name: &[u8]) -> Vec<u8> {
    let extra = name
        .iter()
        .filter(|&&b| matches!(b, b'\\' | b'\n' | b'\r'))
        .count();
    let mut out = Vec::with_capacity(name.len() + extra);
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
    out
}

/// Reverses [`escape_name`], accepting exactly what coreutils accepts.
pub fn unescape_name(escaped: &[u8]) -> Result<Vec<u8>, UnescapeError> {
    let mut out = Vec::with_capacity(escaped.len());
    let mut bytes = escaped.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            None => return Err(UnescapeError::TrailingBackslash),
            Some(b'\\') => out.push(b'\\'),
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(&other) => return Err(UnescapeError::UnknownEscape(other)),
        }
    }
    Ok(out)
}
