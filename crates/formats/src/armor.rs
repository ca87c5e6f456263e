//! Finding the ASCII-armored OpenPGP blocks in a file.
//!
//! Real release material concatenates blocks (Subversion ships five
//! signatures in one `.asc`) and KEYS files put free text (`pub`/`uid`
//! listings, notes) between them, while an armor reader stops at the end of
//! the first block. [`blocks`] splits a file into its blocks so each can be
//! parsed on its own, with the line where it starts for messages.

/// One `-----BEGIN PGP <LABEL>-----` … `-----END PGP <LABEL>-----` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmorBlock<'a> {
    /// The label: `PUBLIC KEY BLOCK`, `SIGNATURE`, `MESSAGE`, …
    pub label: String,
    /// 1-based line of the BEGIN line.
    pub line: usize,
    /// The whole block, BEGIN and END lines included.
    pub bytes: &'a [u8],
    /// Whether the END line was found (a truncated block is still returned
    /// so that the caller can say so).
    pub complete: bool,
    /// The label of the END line that closed the block, when it differs
    /// from [`ArmorBlock::label`] (`BEGIN PGP SIGNATURE` … `END PGP
    /// MESSAGE`): the block is not what either line says.
    pub mismatched_end: Option<String>,
}

const BEGIN: &[u8] = b"-----BEGIN PGP ";
const END: &[u8] = b"-----END PGP ";

/// Every armored block of `data`, in order. Text outside blocks is ignored.
/// A block is closed by the first END line, whatever its label; a BEGIN
/// inside an open block starts a new block (the open one is incomplete).
pub fn blocks(data: &[u8]) -> Vec<ArmorBlock<'_>> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, usize)> = None; // label, line, offset
    let mut offset = 0;
    for (i, line) in data.split_inclusive(|&b| b == b'\n').enumerate() {
        let text = trim(line);
        if let Some(label) = armor_label(text, BEGIN) {
            if let Some((l, n, start)) = open.take() {
                out.push(ArmorBlock {
                    label: l,
                    line: n,
                    bytes: &data[start..offset],
                    complete: false,
                    mismatched_end: None,
                });
            }
            open = Some((label, i + 1, offset));
        } else if let Some(end) = armor_label(text, END)
            && let Some((l, n, start)) = open.take()
        {
            out.push(ArmorBlock {
                mismatched_end: (end != l).then_some(end),
                label: l,
                line: n,
                bytes: &data[start..offset + line.len()],
                complete: true,
            });
        }
        offset += line.len();
    }
    if let Some((l, n, start)) = open {
        out.push(ArmorBlock {
            label: l,
            line: n,
            bytes: &data[start..],
            complete: false,
            mismatched_end: None,
        });
    }
    out
}

/// How many armor layers [`decode`] unwraps before giving up: an `ARMORED
/// FILE` holding an armored key is two; more is not something a release
/// publishes.
pub const MAX_LAYERS: usize = 3;

/// What an armor block decodes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// Binary OpenPGP packets (or what claims to be).
    Binary(Vec<u8>),
    /// The block's content is itself armored text (`gpg --enarmor` of an
    /// `.asc`, or a signature armored twice): the inner text.
    Armored(Vec<u8>),
}

/// The content of a complete armor block: its base64 body decoded (the
/// CRC24 line is checked when present). Text content that is itself armor
/// comes back as [`Decoded::Armored`], so the caller can say so or read
/// it; errors are plain sentences.
pub fn decode(block: &ArmorBlock<'_>) -> Result<Decoded, String> {
    use std::io::Read as _;
    if let Some(end) = &block.mismatched_end {
        return Err(format!(
            "armor header says `BEGIN PGP {}` but the footer says `END PGP {end}`",
            block.label
        ));
    }
    if !block.complete {
        return Err(format!("`{}` block has no END line", block.label));
    }
    let mut reader = sequoia_openpgp::armor::Reader::from_bytes(
        block.bytes,
        sequoia_openpgp::armor::ReaderMode::Tolerant(None),
    );
    let mut out = Vec::new();
    reader
        .read_to_end(&mut out)
        .map_err(|e| format!("armor cannot be decoded: {e}"))?;
    if out.is_empty() {
        return Err(format!("`{}` block is empty", block.label));
    }
    if is_armored(&out) {
        Ok(Decoded::Armored(out))
    } else {
        Ok(Decoded::Binary(out))
    }
}

/// Whether `data` starts like binary OpenPGP: a packet header, whose first
/// octet has its top bit set. The packet parser then says what is wrong,
/// if anything; anything else is described by [`describe_foreign`].
pub fn looks_binary(data: &[u8]) -> bool {
    data.first().is_some_and(|b| b & 0x80 != 0)
}

/// A plain description of bytes that are not OpenPGP, for messages: an
/// HTML page, a signify signature, other text, or binary data.
pub fn describe_foreign(data: &[u8]) -> String {
    let head = &data[..data.len().min(4096)];
    let text = head.trim_ascii_start();
    let lower: Vec<u8> = text.iter().take(512).map(u8::to_ascii_lowercase).collect();
    if text.is_empty() {
        return "an empty file".into();
    }
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && contains(&lower, b"<html"))
    {
        return "an HTML page (a web page saved in place of the file?)".into();
    }
    if text.starts_with(b"untrusted comment:") {
        return "a signify/minisign signature".into();
    }
    if text.starts_with(b"<?xml") || text.starts_with(b"<") {
        return "an XML/HTML document".into();
    }
    if text.starts_with(b"{") {
        return "JSON (a Sigstore bundle or other JSON document?)".into();
    }
    if text.starts_with(b"-----BEGIN ") {
        return "PEM, not OpenPGP armor".into();
    }
    let printable = head
        .iter()
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    if printable * 10 >= head.len() * 9 {
        "text without a `-----BEGIN PGP …-----` line".into()
    } else {
        format!(
            "binary data that is not OpenPGP (first byte 0x{:02x})",
            data[0]
        )
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether `data` looks armored at all (has a BEGIN line).
pub fn is_armored(data: &[u8]) -> bool {
    data.split(|&b| b == b'\n')
        .any(|l| armor_label(trim(l), BEGIN).is_some())
}

fn armor_label(line: &[u8], prefix: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(prefix)?;
    let label = rest.strip_suffix(b"-----")?;
    Some(String::from_utf8_lossy(label).into_owned())
}

fn trim(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_blocks_and_skips_text() {
        let data = b"pub   rsa4096 2020-01-01\nuid  A <a@example.org>\n\
-----BEGIN PGP PUBLIC KEY BLOCK-----\r\n\r\nmQINBF\r\n-----END PGP PUBLIC KEY BLOCK-----\r\n\
free text\n-----BEGIN PGP SIGNATURE-----\n\niQIz\n-----END PGP SIGNATURE-----\n\
-----BEGIN PGP SIGNATURE-----\ntruncated\n";
        let b = blocks(data);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].label, "PUBLIC KEY BLOCK");
        assert_eq!(b[0].line, 3);
        assert!(
            b[0].bytes
                .starts_with(b"-----BEGIN PGP PUBLIC KEY BLOCK-----")
        );
        assert!(
            b[0].bytes
                .ends_with(b"-----END PGP PUBLIC KEY BLOCK-----\r\n")
        );
        assert!(b[0].complete);
        assert_eq!(b[1].label, "SIGNATURE");
        assert!(!b[2].complete);
        assert!(is_armored(data));
        assert!(!is_armored(b"\x88\x01binary"));
    }

    #[test]
    fn no_panic_on_junk() {
        for data in [
            &b""[..],
            b"-----BEGIN PGP ",
            b"-----END PGP X-----",
            b"\xff\n\n-----",
        ] {
            let _ = blocks(data);
        }
    }
}
