//! Showing names and text from hostile input on a terminal.
//!
//! File names in checksum lists, archive entries and SBOMs, and fields of
//! signatures and bundles, are chosen by whoever made the file. Printed raw,
//! a carriage return rewrites the line a user reads ("FAKE: OK"), an escape
//! sequence recolours or retitles the terminal, a bidirectional override
//! reorders what is shown. [`terminal_safe`] is the one rendering every
//! message uses: printable text is kept as it is, and every control
//! character (C0, DEL, C1), every bidirectional control and every byte that
//! is not UTF-8 is written as an escape (`\n`, `\r`, `\t`, `\x1b`,
//! `\u{202e}`), so the text shown is one line of what the bytes hold.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is shown as an escape.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `bytes` as one line of printable text (see the module documentation).
pub fn terminal_safe(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes)
        && !s.chars().any(hidden)
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if hidden(c) && (c as u32) < 0x100 => {
                    let _ = write!(out, "\\x{:02x}", c as u32);
                }
                c if hidden(c) => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    Cow::Owned(out)
}

/// [`terminal_safe`] of at most the first `max` bytes of `bytes`, with `…`
/// when it was cut: for echoing a line of a file in an error message
/// without echoing a 100 MB line whole.
pub fn terminal_safe_cut(bytes: &[u8], max: usize) -> String {
    if bytes.len() <= max {
        return terminal_safe(bytes).into_owned();
    }
    let mut s = terminal_safe(&bytes[..max]).into_owned();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_text_is_borrowed_and_unchanged() {
        assert!(matches!(
            terminal_safe("café 1.0.tar.gz".as_bytes()),
            Cow::Borrowed(_)
        ));
        assert_eq!(terminal_safe(b"a\\b (x)"), "a\\b (x)");
    }

    #[test]
    fn controls_bidi_and_bad_bytes_are_escaped() {
        assert_eq!(terminal_safe(b"FAKE: OK\rreal"), "FAKE: OK\\rreal");
        assert_eq!(
            terminal_safe(b"\x1b]0;t\x07\x00\x7f"),
            "\\x1b]0;t\\x07\\x00\\x7f"
        );
        assert_eq!(
            terminal_safe("a\u{202e}b\u{85}".as_bytes()),
            "a\\u{202e}b\\x85"
        );
        assert_eq!(terminal_safe(b"caf\xe9\n"), "caf\\xe9\\n");
    }

    #[test]
    fn long_lines_are_cut() {
        assert_eq!(terminal_safe_cut(b"abcdef", 3), "abc…");
        assert_eq!(terminal_safe_cut(b"abc", 3), "abc");
    }
}
