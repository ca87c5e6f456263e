//! Reading checksum files: every format of the module, mixed.

use std::iter::Peekable;

use super::armor::{self, Body, Item, is_blank, trim_end, trim_start};
use super::escape::unescape_name;
use super::gpg::{self, HexBuf};
use super::{
    Entry, Format, Malformed, ParseOptions, Parsed, check_name, digest_from_hex, untagged_algorithm,
};
use crate::algorithm::Algorithm;
use crate::value::Digest;

/// Parses a checksum file of any supported format (see the [module
/// docs](super)). Never fails as a whole: what cannot be read is listed in
/// [`Parsed::malformed`] with its line number.
pub fn parse(content: &[u8], opts: &ParseOptions) -> Parsed {
    let clearsigned = armor::is_clearsigned(content);
    let mut out = Parsed {
        clearsigned,
        ..Parsed::default()
    };
    if let Some((line, hex)) = gpg::bare(Body::new(content, clearsigned)) {
        out.malformed.extend(
            Body::new(content, clearsigned).filter_map(|item| match item {
                Item::Bad(m) => Some(m),
                Item::Line(..) => None,
            }),
        );
        let entry = bare_entry(line, &hex, opts);
        record(&mut out, line, entry);
        out.malformed.sort_by_key(|m| m.line);
        return out;
    }
    let mut parser = Parser {
        rfc822: looks_like_rfc822(Body::new(content, clearsigned)),
        items: Body::new(content, clearsigned).peekable(),
        opts,
        out,
        context: Context::None,
    };
    parser.run();
    parser.out
}

/// Adds an entry, or the reason it was rejected, to the result.
fn record(out: &mut Parsed, line: usize, entry: Result<Entry, String>) {
    match entry {
        Ok(entry) => {
            if !out.formats.contains(&entry.format) {
                out.formats.push(entry.format);
            }
            out.entries.push(entry);
        }
        Err(reason) => out.malformed.push(Malformed { line, reason }),
    }
}

fn bare_entry(line: usize, hex: &HexBuf, opts: &ParseOptions) -> Result<Entry, String> {
    let algorithm = untagged_algorithm(hex.total(), opts)?;
    let expected = digest_from_hex(algorithm, hex.digits())?;
    let name = opts
        .bare_name
        .clone()
        .ok_or_else(|| "a bare digest without a file name (no sidecar name given)".to_owned())?;
    check_name(&name)?;
    Ok(Entry {
        algorithm,
        expected,
        name,
        line,
        binary: false,
        size: None,
        format: Format::Bare,
    })
}

/// What indented lines belong to.
#[derive(Clone, Copy)]
enum Context {
    /// Nothing: an indented line stands on its own.
    None,
    /// A Debian checksum field; `files` for `Files:`, whose lines in a
    /// `.changes` file also carry section and priority.
    Sums { algorithm: Algorithm, files: bool },
    /// Another field of an RFC 822 style document: ignored.
    Field,
}

struct Parser<'a, 'o> {
    items: Peekable<Body<'a>>,
    opts: &'o ParseOptions,
    out: Parsed,
    rfc822: bool,
    context: Context,
}

impl Parser<'_, '_> {
    fn run(&mut self) {
        while let Some(item) = self.items.next() {
            match item {
                Item::Bad(m) => self.out.malformed.push(m),
                Item::Line(number, line) => self.line(number, line),
            }
        }
    }

    fn line(&mut self, number: usize, line: &[u8]) {
        if is_blank(line) {
            // Ends a paragraph, and with it any field.
            self.context = Context::None;
            return;
        }
        let indented = matches!(line[0], b' ' | b'\t');
        if indented {
            match self.context {
                Context::Sums { algorithm, files } => {
                    let entry = debian_entry(number, line, algorithm, files);
                    record(&mut self.out, number, entry);
                    return;
                }
                Context::Field => return,
                Context::None => {}
            }
        } else {
            self.context = Context::None;
        }
        let text = trim_start(line);
        if text.starts_with(b"#") {
            return;
        }
        if !indented && let Some((field, value)) = field_line(line) {
            if let Some((algorithm, files)) = debian_heading(field) {
                if is_blank(value) || self.rfc822 {
                    self.context = Context::Sums { algorithm, files };
                    if !is_blank(value) {
                        let entry = debian_entry(number, value, algorithm, files);
                        record(&mut self.out, number, entry);
                    }
                    return;
                }
            } else if self.rfc822 {
                self.context = Context::Field;
                return;
            }
        }
        let entry = self.generic(number, line, text);
        record(&mut self.out, number, entry);
    }

    /// A GNU, BSD, OpenSSL or gpg record. `line` is the whole line, `text`
    /// the same without leading white space (which coreutils skips).
    fn generic(&mut self, number: usize, line: &[u8], text: &[u8]) -> Result<Entry, String> {
        let (escaped, rest) = match text.strip_prefix(b"\\") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let hex_run = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        let gnu_shaped = hex_run > 0 && matches!(rest.get(hex_run), Some(b' ' | b'\t'));
        let known_len = !Algorithm::by_hex_len(hex_run).is_empty();
        let mut error = None;
        if gnu_shaped && known_len {
            match gnu_entry(number, rest, hex_run, escaped, self.opts) {
                Ok(entry) => return Ok(entry),
                Err(e) => error = Some(e),
            }
        }
        if let Some(tag) = tag_shape(rest) {
            match tagged_entry(number, rest, tag, escaped) {
                Ok(entry) => return Ok(entry),
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        if let Some(mds) = self.gpg_mds_record(number, line) {
            return mds;
        }
        if let Some(gpg) = self.gpg_record(number, line) {
            // A GNU or tag error explains the line better than gpg's.
            return match (gpg, error) {
                (Ok(entry), _) => Ok(entry),
                (Err(_), Some(e)) | (Err(e), None) => Err(e),
            };
        }
        if let Some(e) = error {
            return Err(e);
        }
        if gnu_shaped {
            // Not a digest length any algorithm has.
            return Err(untagged_algorithm(hex_run, self.opts)
                .err()
                .unwrap_or_else(|| "unexpected text after the digest".to_owned()));
        }
        if hex_run > 0 && hex_run == rest.len() {
            return Err("a digest without a file name".to_owned());
        }
        Err("not a recognised checksum line".to_owned())
    }

    /// A `gpg --print-mds` record (`name: SHA512 = groups`, wrapped)
    /// starting at `line`, consuming its continuation lines; `None` when
    /// `line` does not start one. Algorithms apostille does not compute
    /// (RMD160, SHA224) are improperly formatted lines, as for any layout.
    fn gpg_mds_record(&mut self, number: usize, line: &[u8]) -> Option<Result<Entry, String>> {
        let (name, alg, after) = gpg::mds_head(line)?;
        let mut hex = HexBuf::new();
        hex.push(after);
        while let Some(Item::Line(_, next)) = self
            .items
            .next_if(|item| matches!(item, Item::Line(_, next) if gpg::is_continuation(next)))
        {
            hex.push(next);
        }
        let alg_name = String::from_utf8_lossy(alg);
        Some(match Algorithm::from_name(&alg_name) {
            Some(algorithm) => gpg_entry(number, name, &hex, Some(algorithm), self.opts),
            None => Err(format!("{alg_name}: not an algorithm apostille checks")),
        })
    }

    /// A `gpg --print-md` record starting at `line`, consuming its
    /// continuation lines; `None` when `line` does not start one.
    fn gpg_record(&mut self, number: usize, line: &[u8]) -> Option<Result<Entry, String>> {
        let (name, after) = gpg::head(line)?;
        let mut hex = HexBuf::new();
        hex.push(after);
        if hex.total() == 0 {
            // A long name: the digest starts on the next line.
            match self
                .items
                .next_if(|item| matches!(item, Item::Line(_, next) if gpg::is_hex_line(next)))
            {
                Some(Item::Line(_, next)) => hex.push(next),
                _ => return None,
            }
        }
        while let Some(Item::Line(_, next)) = self
            .items
            .next_if(|item| matches!(item, Item::Line(_, next) if gpg::is_continuation(next)))
        {
            hex.push(next);
        }
        Some(gpg_entry(number, name, &hex, None, self.opts))
    }
}

/// A `gpg --print-md(s)` entry: the algorithm as printed (`--print-mds`),
/// else from the number of digits.
fn gpg_entry(
    number: usize,
    name: &[u8],
    hex: &HexBuf,
    algorithm: Option<Algorithm>,
    opts: &ParseOptions,
) -> Result<Entry, String> {
    let algorithm = match algorithm {
        Some(a) => a,
        None => untagged_algorithm(hex.total(), opts)?,
    };
    let expected = digest_from_hex(algorithm, hex.digits())?;
    check_name(name)?;
    Ok(Entry {
        algorithm,
        expected,
        name: name.to_vec(),
        line: number,
        binary: false,
        size: None,
        format: Format::GpgPrintMd,
    })
}

/// `HEX  name` / `HEX *name`; `rest` starts with the `hex_len` digits.
fn gnu_entry(
    number: usize,
    rest: &[u8],
    hex_len: usize,
    escaped: bool,
    opts: &ParseOptions,
) -> Result<Entry, String> {
    let (hex, after) = rest.split_at(hex_len);
    let algorithm = untagged_algorithm(hex_len, opts)?;
    let expected = digest_from_hex(algorithm, hex)?;
    // `after` starts with the space or tab that made the line GNU-shaped.
    let binary = match after.get(1) {
        Some(b' ') => false,
        Some(b'*') => true,
        None => return Err("a digest without a file name".to_owned()),
        Some(_) => {
            return Err("expected two spaces or ` *` between digest and file name".to_owned());
        }
    };
    named_entry(
        algorithm,
        expected,
        &after[2..],
        escaped,
        number,
        binary,
        Format::Gnu,
    )
}

/// A tag before `(`: its text, the index of the `(` and whether a space
/// separates them (BSD) or not (OpenSSL).
struct Tag<'a> {
    text: &'a [u8],
    open: usize,
    spaced: bool,
}

fn tag_shape(rest: &[u8]) -> Option<Tag<'_>> {
    if !rest.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = rest
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/'))
        .count();
    // One space for coreutils and BSD; rhash --bsd pads short tags to a
    // column (`MD5   (name)`, `SHA1  (name)`).
    let spaces = rest[len..].iter().take_while(|&&b| b == b' ').count();
    let spaced = spaces > 0;
    let open = len + spaces;
    (rest.get(open) == Some(&b'(')).then_some(Tag {
        text: &rest[..len],
        open,
        spaced,
    })
}

/// The algorithm of a BSD or OpenSSL tag, any case.
fn tag_algorithm(tag: &[u8]) -> Option<Algorithm> {
    Some(match tag.to_ascii_uppercase().as_slice() {
        b"SHA256" | b"SHA-256" | b"SHA2-256" => Algorithm::Sha256,
        b"SHA384" | b"SHA-384" | b"SHA2-384" => Algorithm::Sha384,
        b"SHA512" | b"SHA-512" | b"SHA2-512" => Algorithm::Sha512,
        b"SHA1" | b"SHA-1" => Algorithm::Sha1,
        b"MD5" => Algorithm::Md5,
        b"BLAKE3" => Algorithm::Blake3,
        _ => return None,
    })
}

/// Up to 32 bytes of `bytes`, printable, for error messages.
fn shown(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(32)];
    String::from_utf8_lossy(cut).escape_debug().to_string()
}

/// `TAG (name) = HEX` or `TAG(name)= HEX`: the name runs from the `(` to the
/// last `)` of the line.
fn tagged_entry(number: usize, rest: &[u8], tag: Tag<'_>, escaped: bool) -> Result<Entry, String> {
    let algorithm = tag_algorithm(tag.text)
        .ok_or_else(|| format!("unknown algorithm tag `{}`", shown(tag.text)))?;
    let inner = &rest[tag.open + 1..];
    let close = inner
        .iter()
        .rposition(|&b| b == b')')
        .ok_or("no `)` after the file name")?;
    let after = trim_start(&inner[close + 1..]);
    let hex = after
        .strip_prefix(b"=")
        .map(|h| trim_end(trim_start(h)))
        .ok_or("expected `=` after the file name")?;
    let expected = digest_from_hex(algorithm, hex)?;
    let format = if tag.spaced {
        Format::Bsd
    } else {
        Format::OpenSsl
    };
    named_entry(
        algorithm,
        expected,
        &inner[..close],
        escaped,
        number,
        false,
        format,
    )
}

/// An entry whose name is written on the line, escaped or raw.
fn named_entry(
    algorithm: Algorithm,
    expected: Digest,
    raw: &[u8],
    escaped: bool,
    line: usize,
    binary: bool,
    format: Format,
) -> Result<Entry, String> {
    let name = if escaped {
        unescape_name(raw).map_err(|e| e.to_string())?
    } else {
        raw.to_vec()
    };
    check_name(&name)?;
    Ok(Entry {
        algorithm,
        expected,
        name,
        line,
        binary,
        size: None,
        format,
    })
}

/// `Field: value` of an RFC 822 style document; the field name is ASCII
/// letters, digits and `-`, `_`, `.`, starting with a letter or digit.
fn field_line(line: &[u8]) -> Option<(&[u8], &[u8])> {
    if !line.first()?.is_ascii_alphanumeric() {
        return None;
    }
    let len = line
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .count();
    (line.get(len) == Some(&b':')).then(|| (&line[..len], &line[len + 1..]))
}

/// The algorithm of a Debian checksum field, and whether it is `Files:`.
fn debian_heading(field: &[u8]) -> Option<(Algorithm, bool)> {
    Some(match field.to_ascii_lowercase().as_slice() {
        b"checksums-sha256" | b"sha256" => (Algorithm::Sha256, false),
        b"checksums-sha512" | b"sha512" => (Algorithm::Sha512, false),
        b"checksums-sha1" | b"sha1" => (Algorithm::Sha1, false),
        b"md5sum" => (Algorithm::Md5, false),
        b"files" => (Algorithm::Md5, true),
        _ => return None,
    })
}

/// Whether the text is an RFC 822 style document (Debian `.dsc`,
/// `.changes`, `Release`): its first significant line is `Field: value` and
/// not the start of a gpg record.
fn looks_like_rfc822(body: Body<'_>) -> bool {
    let mut lines = body
        .filter_map(|item| match item {
            Item::Line(_, line) => Some(line),
            Item::Bad(_) => None,
        })
        .peekable();
    while let Some(line) = lines.next() {
        if is_blank(line) || trim_start(line).starts_with(b"#") {
            continue;
        }
        if matches!(line[0], b' ' | b'\t') || field_line(line).is_none() {
            return false;
        }
        if gpg::mds_head(line).is_some() {
            // `name: SHA256 = …`: a `gpg --print-mds` record.
            return false;
        }
        return match gpg::head(line) {
            Some((_, after)) if gpg::is_hex_line(after) => false,
            Some(_) => !lines.peek().is_some_and(|next| gpg::is_hex_line(next)),
            None => true,
        };
    }
    false
}

/// ` HEX SIZE NAME` in a Debian checksum field (` HEX SIZE SECTION
/// PRIORITY NAME` in the `Files:` field of a `.changes` file).
fn debian_entry(
    number: usize,
    line: &[u8],
    algorithm: Algorithm,
    files: bool,
) -> Result<Entry, String> {
    let mut fields = line
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|f| !f.is_empty());
    let mut found: [&[u8]; 5] = [&[]; 5];
    let mut count = 0usize;
    for field in fields.by_ref().take(5) {
        found[count] = field;
        count += 1;
    }
    let extra = fields.next().is_some();
    let name = match (count, extra) {
        (3, false) => found[2],
        (5, false) if files => found[4],
        _ => {
            return Err(if files {
                "expected `HEX SIZE NAME` (or `HEX SIZE SECTION PRIORITY NAME`)".to_owned()
            } else {
                "expected `HEX SIZE NAME`".to_owned()
            });
        }
    };
    let expected = digest_from_hex(algorithm, found[0])?;
    let size = parse_size(found[1]).ok_or("size is not a decimal number")?;
    check_name(name)?;
    Ok(Entry {
        algorithm,
        expected,
        name: name.to_vec(),
        line: number,
        binary: false,
        size: Some(size),
        format: Format::Debian,
    })
}

fn parse_size(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |acc, &b| {
        let digit = char::from(b).to_digit(10)?;
        acc.checked_mul(10)?.checked_add(u64::from(digit))
    })
}
