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
                });
            }
            open = Some((label, i + 1, offset));
        } else if armor_label(text, END).is_some()
            && let Some((l, n, start)) = open.take()
        {
            out.push(ArmorBlock {
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
        });
    }
    out
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
