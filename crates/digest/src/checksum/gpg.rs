//! `gpg --print-md` records and bare digests: hex digits in groups,
//! possibly wrapped over several lines.
//!
//! gpg 2.2 prints `name: ` and then the upper-case digest in groups: 8 hex
//! digits for SHA-2, 4 for SHA-1 (with a double space in the middle), 2 for
//! MD5 (double space in the middle). Lines are wrapped before column 80 and
//! continue indented to line up under the digest. When `name: ` is longer
//! than 40 bytes the digest starts on the next line at column 0 and wraps
//! with a one-space indent. Without a file name (standard input) only the
//! groups are printed.

use super::armor::{Body, Item, is_blank, trim_start};

/// The longest digest in hex (SHA-512).
const MAX_HEX: usize = 128;

/// Hex digits gathered from a record, keeping at most [`MAX_HEX`] of them
/// but counting all.
#[derive(Clone)]
pub(super) struct HexBuf {
    buf: [u8; MAX_HEX],
    total: usize,
}

impl HexBuf {
    pub(super) fn new() -> Self {
        HexBuf {
            buf: [0; MAX_HEX],
            total: 0,
        }
    }

    /// Adds the hex digits of `text`, which holds only hex and white space.
    pub(super) fn push(&mut self, text: &[u8]) {
        for &b in text.iter().filter(|b| b.is_ascii_hexdigit()) {
            if let Some(slot) = self.buf.get_mut(self.total) {
                *slot = b;
            }
            self.total = self.total.saturating_add(1);
        }
    }

    /// Number of hex digits seen.
    pub(super) fn total(&self) -> usize {
        self.total
    }

    /// The digits kept (all of them when [`HexBuf::total`] ≤ 128).
    pub(super) fn digits(&self) -> &[u8] {
        &self.buf[..self.total.min(MAX_HEX)]
    }
}

/// Whether `text` holds only hex digits, spaces and tabs.
pub(super) fn hex_groups_only(text: &[u8]) -> bool {
    text.iter()
        .all(|&b| b.is_ascii_hexdigit() || b == b' ' || b == b'\t')
}

/// Whether `line` is a line of hex groups (and nothing else).
pub(super) fn is_hex_line(line: &[u8]) -> bool {
    !is_blank(line) && hex_groups_only(line)
}

/// Whether `line` continues a record: indented hex groups.
pub(super) fn is_continuation(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t')) && is_hex_line(line)
}

/// If `line` can start a gpg record, its name and the text after the colon
/// (hex groups, possibly none when the digest is on the next line).
///
/// The name ends at the last `:` of the line, since the digest holds none.
pub(super) fn head(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().rposition(|&b| b == b':')?;
    let (name, after) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() {
        return None;
    }
    // gpg writes ": " (the space may be gone when trailing white space was
    // trimmed from a clear-signed text).
    if !(after.is_empty() || after[0] == b' ' || after[0] == b'\t') {
        return None;
    }
    hex_groups_only(after).then_some((name, after))
}

/// If `line` starts a `gpg --print-mds` record (`name:    SHA256 = 5891B5B5
/// 22D5DF08 …`), its name, the algorithm name as gpg prints it, and the
/// hex groups after `=`.
pub(super) fn mds_head(line: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let eq = line.iter().rposition(|&b| b == b'=')?;
    let after = &line[eq + 1..];
    if !after.starts_with(b" ") || !is_hex_line(after) {
        return None;
    }
    let before = super::armor::trim_end(&line[..eq]);
    let alg_start = before
        .iter()
        .rposition(|&b| b == b' ' || b == b'\t' || b == b':')
        .map_or(0, |i| i + 1);
    let alg = &before[alg_start..];
    if alg.is_empty() || !alg.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let name = super::armor::trim_end(&before[..alg_start]).strip_suffix(b":")?;
    (!name.is_empty()).then_some((name, alg, after))
}

/// If the whole text is a single digest — a bare sidecar — the line it
/// starts on and its digits. One token, or gpg's groups of 2, 4 or 8
/// digits on a first line and indented continuation lines.
pub(super) fn bare(body: Body<'_>) -> Option<(usize, HexBuf)> {
    let mut hex = HexBuf::new();
    let mut first_line = None;
    let mut tokens = 0usize;
    let mut group_len = None;
    let mut equal_groups = true;
    for item in body {
        let Item::Line(number, line) = item else {
            continue;
        };
        let text = trim_start(line);
        if text.is_empty() || text[0] == b'#' {
            continue;
        }
        if !hex_groups_only(text) {
            return None;
        }
        if first_line.is_some() && text.len() == line.len() {
            // A second unindented line: not one wrapped digest.
            return None;
        }
        if gnu_with_blank_name(text) {
            // `HEX  <tab>`: a GNU line naming a file whose name is white
            // space, not a bare digest followed by blanks.
            return None;
        }
        first_line.get_or_insert(number);
        for token in text
            .split(|&b| b == b' ' || b == b'\t')
            .filter(|t| !t.is_empty())
        {
            tokens += 1;
            match group_len {
                None => group_len = Some(token.len()),
                Some(len) if len != token.len() => equal_groups = false,
                Some(_) => {}
            }
            hex.push(token);
        }
    }
    let line = first_line?;
    let grouped = equal_groups && matches!(group_len, Some(2 | 4 | 8));
    (tokens == 1 || (tokens > 1 && grouped)).then_some((line, hex))
}

/// A single hex token followed by the GNU separator (two spaces) and a
/// non-empty name made of blanks only.
fn gnu_with_blank_name(text: &[u8]) -> bool {
    let token = text.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let rest = &text[token..];
    token > 0
        && rest.len() > 2
        && rest.starts_with(b"  ")
        && !rest[2..].iter().any(u8::is_ascii_hexdigit)
}
