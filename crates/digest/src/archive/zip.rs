//! Zip archives, read through the central directory (zip64 included).
//! Every size the directory claims is checked against the limits and the
//! file's length before any data is read; each entry's data is read once,
//! decompressed as it streams and checked against its CRC-32.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::stream::{classify, read_full};
use super::{
    ArchiveError, ArchiveErrorKind, ArchiveSummary, EntryInfo, EntryKind, EntryReader, Limits,
    MAX_METADATA, RATIO_GRACE, normalise,
};

/// The largest central directory read into memory.
const MAX_CENTRAL_DIRECTORY: u64 = 256 << 20;

struct CdEntry {
    name: String,
    raw_name: Vec<u8>,
    /// Where the entry's data starts: after its local header, which is
    /// read and checked before any data is.
    start: u64,
    flags: u16,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    offset: u64,
    unix_mode: Option<u32>,
}

fn u16le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn u32le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn u64le(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

pub(super) fn read(
    path: &Path,
    mut file: File,
    limits: &Limits,
    visit: &mut impl FnMut(&EntryInfo, EntryReader<'_>) -> Result<(), ArchiveError>,
) -> Result<ArchiveSummary, ArchiveError> {
    let fail = |entry: Option<&str>, kind| ArchiveError::new(path, entry, kind);
    let corrupt = |m: &str| fail(None, ArchiveErrorKind::Corrupt(m.into()));
    let io = |entry: Option<&str>, e: io::Error| fail(entry, classify(e));
    let len = file.metadata().map_err(|e| io(None, e))?.len();

    // End of central directory: in the last 22 + 65535 bytes.
    let tail_len = len.min(22 + 65535);
    let tail = read_at(&mut file, len - tail_len, tail_len).map_err(|e| io(None, e))?;
    let eocd = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..].starts_with(b"PK\x05\x06"))
        .ok_or_else(|| {
            fail(
                None,
                ArchiveErrorKind::Truncated(
                    "no end-of-central-directory record (truncated download?)".into(),
                ),
            )
        })?;
    let e = &tail[eocd..];
    if u16le(e, 4) != 0 || u16le(e, 6) != 0 {
        return Err(fail(
            None,
            ArchiveErrorKind::Unsupported("multi-disk zip archive".into()),
        ));
    }
    let mut count = u64::from(u16le(e, 10));
    let mut cd_size = u64::from(u32le(e, 12));
    let mut cd_offset = u64::from(u32le(e, 16));
    if count == 0xffff || cd_size == 0xffff_ffff || cd_offset == 0xffff_ffff {
        // zip64: the locator sits just before the record.
        let eocd_pos = len - tail_len + eocd as u64;
        if eocd_pos < 20 {
            return Err(corrupt("zip64 locator missing"));
        }
        let loc = read_at(&mut file, eocd_pos - 20, 20).map_err(|e| io(None, e))?;
        if !loc.starts_with(b"PK\x06\x07") {
            return Err(corrupt("zip64 locator missing"));
        }
        let rec_at = u64le(&loc, 8);
        if rec_at.saturating_add(56) > len {
            return Err(corrupt("zip64 end record outside the file"));
        }
        let rec = read_at(&mut file, rec_at, 56).map_err(|e| io(None, e))?;
        if !rec.starts_with(b"PK\x06\x06") {
            return Err(corrupt("zip64 end record missing"));
        }
        count = u64le(&rec, 32);
        cd_size = u64le(&rec, 40);
        cd_offset = u64le(&rec, 48);
    }
    if count > limits.max_entries {
        return Err(fail(
            None,
            ArchiveErrorKind::TooManyEntries {
                limit: limits.max_entries,
            },
        ));
    }
    if cd_offset.saturating_add(cd_size) > len {
        return Err(fail(
            None,
            ArchiveErrorKind::Truncated("central directory runs past the end of the file".into()),
        ));
    }
    if cd_size > MAX_CENTRAL_DIRECTORY {
        return Err(fail(
            None,
            ArchiveErrorKind::TooLarge {
                what: "zip central directory",
                size: cd_size,
                limit: MAX_CENTRAL_DIRECTORY,
            },
        ));
    }
    let cd = read_at(&mut file, cd_offset, cd_size).map_err(|e| io(None, e))?;
    let mut entries = central_directory(&cd, count).map_err(|m| corrupt(&m))?;
    drop(cd);

    // Every local header, before any data: it must name what the central
    // directory names (an extractor that trusts the local header would
    // write `../evil` where this reader saw `harmless.txt`), and no two
    // entries' bytes may overlap (one stream counted many times is the
    // classic zip bomb).
    for en in &mut entries {
        en.start = local_header(&mut file, len, en).map_err(|k| fail(Some(&en.name), k))?;
    }
    let mut spans: Vec<(u64, u64, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, en)| (en.offset, en.start.saturating_add(en.csize), i))
        .collect();
    spans.sort_unstable();
    for w in spans.windows(2) {
        if w[1].0 < w[0].1 {
            let (a, b) = (&entries[w[0].2], &entries[w[1].2]);
            return Err(fail(
                Some(&b.name),
                ArchiveErrorKind::Corrupt(format!(
                    "its bytes overlap those of entry `{}` (a zip bomb is made so)",
                    a.name
                )),
            ));
        }
    }
    if let Some(&(_, end, i)) = spans.last()
        && end > cd_offset
    {
        return Err(fail(
            Some(&entries[i].name),
            ArchiveErrorKind::Corrupt("its data runs into the central directory".into()),
        ));
    }

    // Sizes claimed, checked before anything is decompressed.
    let mut total = 0u64;
    for en in &entries {
        if en.usize > limits.max_entry_size {
            return Err(fail(
                Some(&en.name),
                ArchiveErrorKind::TooLarge {
                    what: "entry",
                    size: en.usize,
                    limit: limits.max_entry_size,
                },
            ));
        }
        total = total.saturating_add(en.usize);
        if total > limits.max_total_size {
            return Err(fail(
                Some(&en.name),
                ArchiveErrorKind::TooLarge {
                    what: "sum of entry sizes",
                    size: total,
                    limit: limits.max_total_size,
                },
            ));
        }
        if en.usize > RATIO_GRACE && en.usize / limits.max_ratio.max(1) > en.csize {
            return Err(fail(
                Some(&en.name),
                ArchiveErrorKind::Bomb {
                    out: en.usize,
                    input: en.csize,
                    limit: limits.max_ratio,
                },
            ));
        }
    }
    // Overlapping entries make a bomb out of one compressed stream.
    if total > RATIO_GRACE && total / limits.max_ratio.max(1) > len {
        return Err(fail(
            None,
            ArchiveErrorKind::Bomb {
                out: total,
                input: len,
                limit: limits.max_ratio,
            },
        ));
    }

    let mut summary = ArchiveSummary {
        archive_bytes: len,
        ..ArchiveSummary::default()
    };
    for en in entries {
        let normal = normalise(&en.name)
            .map_err(|m| fail(Some(&en.name), ArchiveErrorKind::UnsafePath(m)))?;
        let file_type = en.unix_mode.map(|m| m & 0o170_000);
        let kind = if en.name.ends_with('/') || file_type == Some(0o040_000) {
            EntryKind::Dir
        } else if file_type == Some(0o120_000) {
            EntryKind::Symlink
        } else if file_type.is_none_or(|t| t == 0o100_000 || t == 0) {
            EntryKind::File
        } else {
            EntryKind::Other
        };
        summary.entries += 1;
        let Some(normal) = normal else { continue };
        let needs_data = matches!(kind, EntryKind::File | EntryKind::Symlink);
        if kind == EntryKind::Symlink && en.usize > MAX_METADATA {
            return Err(fail(
                Some(&en.name),
                ArchiveErrorKind::TooLarge {
                    what: "symlink target",
                    size: en.usize,
                    limit: MAX_METADATA,
                },
            ));
        }
        let mut data: Box<dyn Read + Send> = if needs_data && en.usize > 0 {
            entry_reader(&mut file, len, &en).map_err(|k| fail(Some(&en.name), k))?
        } else {
            Box::new(io::empty())
        };
        let mut link_target = None;
        if kind == EntryKind::Symlink {
            let mut target = Vec::new();
            data.read_to_end(&mut target)
                .map_err(|e| io(Some(&en.name), e))?;
            link_target = Some(String::from_utf8_lossy(&target).into_owned());
            data = Box::new(io::empty());
        }
        let info = EntryInfo {
            path: normal,
            size: if kind == EntryKind::File { en.usize } else { 0 },
            kind,
            mode: en.unix_mode.unwrap_or(0),
            link_target,
        };
        if kind == EntryKind::File {
            summary.files += 1;
            summary.file_bytes += en.usize;
        }
        summary.stream_bytes += info.size;
        let res = visit(&info, &mut data).and_then(|()| {
            io::copy(&mut data, &mut io::sink())
                .map(drop)
                .map_err(ArchiveError::from)
        });
        if let Err(e) = res {
            let e = match e.kind {
                ArchiveErrorKind::Io(ioe) => {
                    ArchiveError::new(path, Some(&info.path), classify(ioe))
                }
                kind => ArchiveError {
                    archive: e.archive,
                    entry: e.entry,
                    kind,
                },
            };
            return Err(e.in_context(path, Some(&info.path)));
        }
    }
    Ok(summary)
}

fn read_at(file: &mut File, at: u64, n: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(at))?;
    let mut buf = vec![0u8; usize::try_from(n).map_err(io::Error::other)?];
    let got = read_full(file, &mut buf)?;
    if got < buf.len() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "file shorter than its zip directory says",
        ));
    }
    Ok(buf)
}

fn central_directory(cd: &[u8], count: u64) -> Result<Vec<CdEntry>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 4 <= cd.len() && cd[at..].starts_with(b"PK\x01\x02") {
        if at + 46 > cd.len() {
            return Err("central directory entry cut short".into());
        }
        let h = &cd[at..];
        let made_by_host = h[5];
        let name_len = usize::from(u16le(h, 28));
        let extra_len = usize::from(u16le(h, 30));
        let comment_len = usize::from(u16le(h, 32));
        let end = 46 + name_len + extra_len + comment_len;
        if at + end > cd.len() {
            return Err("central directory entry cut short".into());
        }
        let raw_name = h[46..46 + name_len].to_vec();
        let name = String::from_utf8_lossy(&raw_name).into_owned();
        let mut en = CdEntry {
            name,
            raw_name,
            start: 0,
            flags: u16le(h, 8),
            method: u16le(h, 10),
            crc: u32le(h, 16),
            csize: u64::from(u32le(h, 20)),
            usize: u64::from(u32le(h, 24)),
            offset: u64::from(u32le(h, 42)),
            unix_mode: (made_by_host == 3).then(|| u32le(h, 38) >> 16),
        };
        // zip64 extended information: only the fields whose 32-bit value
        // is saturated are present, in this order.
        let mut extra = &h[46 + name_len..46 + name_len + extra_len];
        while extra.len() >= 4 {
            let id = u16le(extra, 0);
            let size = usize::from(u16le(extra, 2));
            if 4 + size > extra.len() {
                break;
            }
            if id == 1 {
                let mut f = &extra[4..4 + size];
                for field in [&mut en.usize, &mut en.csize, &mut en.offset] {
                    if *field == 0xffff_ffff {
                        if f.len() < 8 {
                            return Err("zip64 extra field cut short".into());
                        }
                        *field = u64le(f, 0);
                        f = &f[8..];
                    }
                }
            }
            extra = &extra[4 + size..];
        }
        out.push(en);
        at += end;
    }
    if out.len() as u64 != count {
        return Err(format!(
            "central directory lists {} entries, its end record says {count}",
            out.len()
        ));
    }
    Ok(out)
}

/// Reads and checks the local header of `en`; returns where its data
/// starts.
fn local_header(file: &mut File, len: u64, en: &CdEntry) -> Result<u64, ArchiveErrorKind> {
    if en.offset.saturating_add(30) > len {
        return Err(ArchiveErrorKind::Truncated(
            "local header past the end of the file".into(),
        ));
    }
    file.seek(SeekFrom::Start(en.offset))
        .map_err(ArchiveErrorKind::Io)?;
    let mut local = [0u8; 30];
    let got = read_full(file, &mut local).map_err(classify)?;
    if got < local.len() || !local.starts_with(b"PK\x03\x04") {
        return Err(ArchiveErrorKind::Corrupt("local header missing".into()));
    }
    let name_len = usize::from(u16le(&local, 26));
    let mut name = vec![0u8; name_len];
    let got = read_full(file, &mut name).map_err(classify)?;
    if got < name_len {
        return Err(ArchiveErrorKind::Truncated("local header cut short".into()));
    }
    if name != en.raw_name {
        return Err(ArchiveErrorKind::Corrupt(format!(
            "its local header names `{}`, not what the central directory names",
            crate::display::terminal_safe(&name)
        )));
    }
    Ok(en.offset + 30 + name_len as u64 + u64::from(u16le(&local, 28)))
}

/// A reader over one entry's decompressed bytes, checked for length and
/// CRC-32.
fn entry_reader(
    file: &mut File,
    len: u64,
    en: &CdEntry,
) -> Result<Box<dyn Read + Send>, ArchiveErrorKind> {
    if en.flags & 1 != 0 {
        return Err(ArchiveErrorKind::Unsupported("encrypted entry".into()));
    }
    let start = en.start;
    if start.saturating_add(en.csize) > len {
        return Err(ArchiveErrorKind::Truncated(
            "entry data runs past the end of the file".into(),
        ));
    }
    let f = file.try_clone().map_err(ArchiveErrorKind::Io)?;
    let mut f = BufReader::with_capacity(256 << 10, f);
    f.seek(SeekFrom::Start(start))
        .map_err(ArchiveErrorKind::Io)?;
    let raw = f.take(en.csize);
    let decoded: Box<dyn Read + Send> = match en.method {
        0 => {
            if en.csize != en.usize {
                return Err(ArchiveErrorKind::Corrupt(
                    "stored entry whose sizes differ".into(),
                ));
            }
            Box::new(raw)
        }
        8 => Box::new(flate2::bufread::DeflateDecoder::new(raw)),
        12 => Box::new(bzip2::bufread::BzDecoder::new(raw)),
        93 => {
            Box::new(zstd::stream::read::Decoder::with_buffer(raw).map_err(ArchiveErrorKind::Io)?)
        }
        95 => Box::new(liblzma::bufread::XzDecoder::new_stream(
            raw,
            super::xz_stream(0)?,
        )),
        m => {
            return Err(ArchiveErrorKind::Unsupported(format!(
                "compression method {m}"
            )));
        }
    };
    Ok(Box::new(Checked {
        inner: decoded,
        remaining: en.usize,
        crc: crc32fast::Hasher::new(),
        expected: en.crc,
    }))
}

struct Checked {
    inner: Box<dyn Read + Send>,
    remaining: u64,
    crc: crc32fast::Hasher,
    expected: u32,
}

impl Read for Checked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("entry data ends {} bytes early", self.remaining),
            ));
        }
        self.crc.update(&buf[..n]);
        self.remaining -= n as u64;
        if self.remaining == 0 {
            let crc = std::mem::take(&mut self.crc).finalize();
            if crc != self.expected {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "CRC-32 mismatch (stored {:08x}, computed {crc:08x})",
                        self.expected
                    ),
                ));
            }
        }
        Ok(n)
    }
}
