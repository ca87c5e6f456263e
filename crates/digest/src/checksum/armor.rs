//! Splitting content into lines and unwrapping an OpenPGP clear signature
//! (RFC 4880 §7), without copying: every line is a slice of the input.

use super::Malformed;

const BEGIN_SIGNED: &[u8] = b"-----BEGIN PGP SIGNED MESSAGE-----";
const BEGIN_SIGNATURE: &[u8] = b"-----BEGIN PGP SIGNATURE-----";
const END_SIGNATURE: &[u8] = b"-----END PGP SIGNATURE-----";

/// Lines of the input with their 1-based numbers; `\n` ends a line and one
/// `\r` before it is dropped. A final line without `\n` counts.
#[derive(Clone)]
pub(super) struct Lines<'a> {
    rest: &'a [u8],
    number: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(content: &'a [u8]) -> Self {
        Lines {
            rest: content,
            number: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = match self.rest.iter().position(|&b| b == b'\n') {
            Some(nl) => (&self.rest[..nl], &self.rest[nl + 1..]),
            None => (self.rest, &self.rest[self.rest.len()..]),
        };
        self.rest = rest;
        self.number += 1;
        Some((self.number, line.strip_suffix(b"\r").unwrap_or(line)))
    }
}

/// Whether the line holds only spaces and tabs.
pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b' ' || b == b'\t')
}

/// The line without trailing spaces and tabs.
pub(super) fn trim_end(line: &[u8]) -> &[u8] {
    let keep = line
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &line[..keep]
}

/// The line without leading spaces and tabs.
pub(super) fn trim_start(line: &[u8]) -> &[u8] {
    let skip = line
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(line.len());
    &line[skip..]
}

/// Whether the content is (or contains) a clear-signed message.
pub(super) fn is_clearsigned(content: &[u8]) -> bool {
    Lines::new(content).any(|(_, line)| trim_end(line) == BEGIN_SIGNED)
}

/// One item of the text to parse.
#[derive(Clone, Debug)]
pub(super) enum Item<'a> {
    /// A line of checksum text, with its number in the original content.
    Line(usize, &'a [u8]),
    /// Something wrong with the armor, or text outside the signed part.
    Bad(Malformed),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// No clear signature: every line is text.
    Plain,
    /// Before `BEGIN PGP SIGNED MESSAGE`: unsigned.
    Before,
    /// Armor headers (`Hash: SHA512`) up to the first blank line.
    Headers,
    /// The signed text.
    Body,
    /// Inside a signature block, up to `END PGP SIGNATURE`.
    Signature,
    /// After the signature: unsigned.
    After,
}

/// The text to parse: the content itself, or the signed text of a
/// clear-signed message with its armor and signature block removed.
#[derive(Clone)]
pub(super) struct Body<'a> {
    lines: Lines<'a>,
    state: State,
    /// Line number of the `BEGIN PGP SIGNATURE` line, while inside one.
    signature_start: usize,
    /// Line number of `BEGIN PGP SIGNED MESSAGE`.
    message_start: usize,
}

impl<'a> Body<'a> {
    pub(super) fn new(content: &'a [u8], clearsigned: bool) -> Self {
        Body {
            lines: Lines::new(content),
            state: if clearsigned {
                State::Before
            } else {
                State::Plain
            },
            signature_start: 0,
            message_start: 0,
        }
    }
}

fn bad(line: usize, reason: &str) -> Item<'static> {
    Item::Bad(Malformed {
        line,
        reason: reason.to_owned(),
    })
}

impl<'a> Iterator for Body<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        loop {
            let Some((number, line)) = self.lines.next() else {
                // Report an unterminated message or signature once.
                return match std::mem::replace(&mut self.state, State::After) {
                    State::Headers | State::Body => Some(bad(
                        self.message_start,
                        "clear-signed message has no signature block",
                    )),
                    State::Signature => Some(bad(
                        self.signature_start,
                        "OpenPGP signature block is not terminated",
                    )),
                    _ => None,
                };
            };
            let trimmed = trim_end(line);
            match self.state {
                State::Plain => {
                    if trimmed == BEGIN_SIGNATURE {
                        self.state = State::Signature;
                        self.signature_start = number;
                        return Some(bad(
                            number,
                            "OpenPGP signature block without a signed message",
                        ));
                    }
                    return Some(Item::Line(number, line));
                }
                State::Before => {
                    if trimmed == BEGIN_SIGNED {
                        self.state = State::Headers;
                        self.message_start = number;
                    } else if !trimmed.is_empty() {
                        return Some(bad(
                            number,
                            "text before the clear-signed message is not signed",
                        ));
                    }
                }
                State::Headers => {
                    if is_blank(line) {
                        self.state = State::Body;
                    }
                }
                State::Body => {
                    if trimmed == BEGIN_SIGNATURE {
                        self.state = State::Signature;
                        self.signature_start = number;
                        continue;
                    }
                    // Undo dash-escaping; the signature covers the text
                    // without trailing white space, so drop it.
                    let text = line.strip_prefix(b"- ").unwrap_or(line);
                    return Some(Item::Line(number, trim_end(text)));
                }
                State::Signature => {
                    if trimmed == END_SIGNATURE {
                        self.state = if self.message_start > 0 {
                            State::After
                        } else {
                            State::Plain
                        };
                    }
                }
                State::After => {
                    if !trimmed.is_empty() {
                        return Some(bad(
                            number,
                            "text after the OpenPGP signature is not signed",
                        ));
                    }
                }
            }
        }
    }
}
