//! tar streams (ustar, GNU and pax), plain or compressed, parsed here rather
//! than by a library so that every size is checked before it is trusted and
//! memory stays bounded: metadata records are capped at [`MAX_METADATA`],
//! entry data is only ever streamed.

use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use super::stream::{Counting, Guard, ReadAhead, classify, read_full};
use super::{
    ArchiveError, ArchiveErrorKind, ArchiveFormat, ArchiveSummary, EntryInfo, EntryKind,
    EntryReader, Limits, MAX_METADATA, normalise,
};

const BLOCK: u64 = 512;

/// Reads a tar stream of `format` from `file`.
pub(super) fn read(
    path: &Path,
    file: impl Read + Send + 'static,
    format: ArchiveFormat,
    limits: &Limits,
    visit: &mut impl FnMut(&EntryInfo, EntryReader<'_>) -> Result<(), ArchiveError>,
) -> Result<ArchiveSummary, ArchiveError> {
    let err = |kind| ArchiveError::new(path, None, kind);
    let compressed = Arc::new(AtomicU64::new(0));
    let raw = Counting::new(file, compressed.clone());
    let spawn = |r: Box<dyn Read + Send>| -> Result<Box<dyn Read + Send>, ArchiveError> {
        Ok(Box::new(
            ReadAhead::spawn(r).map_err(|e| err(ArchiveErrorKind::Io(e)))?,
        ))
    };
    let big = |r| BufReader::with_capacity(256 << 10, r);
    let source: Box<dyn Read + Send> = match format {
        ArchiveFormat::Tar => Box::new(big(raw)),
        ArchiveFormat::TarGz => spawn(Box::new(flate2::bufread::MultiGzDecoder::new(big(raw))))?,
        ArchiveFormat::TarBz2 => spawn(Box::new(bzip2::bufread::MultiBzDecoder::new(big(raw))))?,
        ArchiveFormat::TarXz => spawn(Box::new(liblzma::bufread::XzDecoder::new_stream(
            big(raw),
            super::xz_stream(liblzma::stream::CONCATENATED).map_err(err)?,
        )))?,
        ArchiveFormat::TarZst => spawn(Box::new(
            zstd::stream::read::Decoder::with_buffer(big(raw))
                .map_err(|e| err(ArchiveErrorKind::Io(e)))?,
        ))?,
        ArchiveFormat::Zip => {
            return Err(err(ArchiveErrorKind::Unsupported(
                "zip is not a tar stream".into(),
            )));
        }
    };
    let counter = (format != ArchiveFormat::Tar).then_some(compressed);
    let mut tar = TarStream {
        guard: Guard::new(source, limits, counter),
        path,
    };
    tar.run(limits, visit)
}

struct TarStream<'p> {
    guard: Guard<Box<dyn Read + Send>>,
    path: &'p Path,
}

/// Overrides for the next entry from GNU long-name records and pax headers.
#[derive(Default)]
struct Pending {
    name: Option<String>,
    link: Option<String>,
    size: Option<u64>,
}

impl TarStream<'_> {
    fn fail(&self, entry: Option<&str>, kind: ArchiveErrorKind) -> ArchiveError {
        let kind = match self.guard.tripped {
            Some(t) => t.kind(),
            None => kind,
        };
        ArchiveError::new(self.path, entry, kind)
    }

    fn io(&self, entry: Option<&str>, e: io::Error) -> ArchiveError {
        self.fail(entry, classify(e))
    }

    fn run(
        &mut self,
        limits: &Limits,
        visit: &mut impl FnMut(&EntryInfo, EntryReader<'_>) -> Result<(), ArchiveError>,
    ) -> Result<ArchiveSummary, ArchiveError> {
        let mut summary = ArchiveSummary::default();
        let mut headers = 0u64;
        let mut total = 0u64;
        let mut pending = Pending::default();
        let mut header = [0u8; BLOCK as usize];
        loop {
            let n = read_full(&mut self.guard, &mut header).map_err(|e| self.io(None, e))?;
            if n == 0 {
                return Err(self.fail(
                    None,
                    ArchiveErrorKind::Truncated(
                        "ends without the tar end-of-archive marker".into(),
                    ),
                ));
            }
            if n < header.len() {
                return Err(self.fail(
                    None,
                    ArchiveErrorKind::Truncated("ends inside a tar header".into()),
                ));
            }
            if header.iter().all(|&b| b == 0) {
                break;
            }
            headers += 1;
            if headers > limits.max_entries.saturating_mul(2).saturating_add(16) {
                return Err(self.fail(
                    None,
                    ArchiveErrorKind::TooManyEntries {
                        limit: limits.max_entries,
                    },
                ));
            }
            let raw_name = header_name(&header);
            check_sum(&header)
                .map_err(|m| self.fail(Some(&raw_name), ArchiveErrorKind::Corrupt(m)))?;
            let size = number(&header[124..136])
                .map_err(|m| self.fail(Some(&raw_name), ArchiveErrorKind::Corrupt(m)))?;
            let typeflag = header[156];
            if matches!(typeflag, b'L' | b'K' | b'x' | b'g' | b'X') {
                if size > MAX_METADATA {
                    return Err(self.fail(
                        Some(&raw_name),
                        ArchiveErrorKind::TooLarge {
                            what: "tar metadata record",
                            size,
                            limit: MAX_METADATA,
                        },
                    ));
                }
                let data = self.read_padded(size, &raw_name)?;
                match typeflag {
                    b'L' => pending.name = Some(c_string(&data)),
                    b'K' => pending.link = Some(c_string(&data)),
                    b'x' | b'X' => pax(&data, &mut pending)
                        .map_err(|m| self.fail(Some(&raw_name), ArchiveErrorKind::Corrupt(m)))?,
                    _ => {} // pax global header: nothing per entry
                }
                continue;
            }
            let name = pending.name.take().unwrap_or(raw_name);
            let link = pending.link.take().or_else(|| {
                let l = c_string(&header[157..257]);
                (!l.is_empty()).then_some(l)
            });
            let size = pending.size.take().unwrap_or(size);
            let kind = match typeflag {
                b'0' | 0 | b'7' if name.ends_with('/') => EntryKind::Dir,
                b'0' | 0 | b'7' => EntryKind::File,
                b'5' => EntryKind::Dir,
                b'2' => EntryKind::Symlink,
                _ => EntryKind::Other,
            };
            let mode = number(&header[100..108]).unwrap_or(0) as u32;
            let normal = normalise(&name)
                .map_err(|m| self.fail(Some(&name), ArchiveErrorKind::UnsafePath(m)))?;
            summary.entries += 1;
            if summary.entries > limits.max_entries {
                return Err(self.fail(
                    None,
                    ArchiveErrorKind::TooManyEntries {
                        limit: limits.max_entries,
                    },
                ));
            }
            if kind == EntryKind::File {
                if size > limits.max_entry_size {
                    return Err(self.fail(
                        Some(&name),
                        ArchiveErrorKind::TooLarge {
                            what: "entry",
                            size,
                            limit: limits.max_entry_size,
                        },
                    ));
                }
                total = total.saturating_add(size);
                if total > limits.max_total_size {
                    return Err(self.fail(
                        Some(&name),
                        ArchiveErrorKind::TooLarge {
                            what: "sum of entry sizes",
                            size: total,
                            limit: limits.max_total_size,
                        },
                    ));
                }
                summary.files += 1;
                summary.file_bytes += size;
            }
            let shown = normal.clone().unwrap_or_else(|| ".".into());
            if let Some(normal) = normal {
                let info = EntryInfo {
                    path: normal,
                    size: if kind == EntryKind::File { size } else { 0 },
                    kind,
                    mode,
                    link_target: link,
                };
                let mut entry = EntryData {
                    inner: &mut self.guard,
                    remaining: info.size,
                };
                let res = visit(&info, &mut entry);
                let drained = res.and_then(|()| {
                    io::copy(&mut entry, &mut io::sink())
                        .map(drop)
                        .map_err(ArchiveError::from)
                });
                if let Err(e) = drained {
                    return Err(self.visitor_error(e, &shown));
                }
            }
            // Data the visitor did not get (non-file entries with a size,
            // such as GNU sparse files), then the padding.
            let skipped = if kind == EntryKind::File { 0 } else { size };
            self.skip(skipped + pad(size), &shown)?;
        }
        // The rest of the stream (the second zero block, record padding, the
        // compressor's trailer with its checksum) is read to the end, so a
        // damaged trailer is seen; the guard bounds it.
        io::copy(&mut self.guard, &mut io::sink()).map_err(|e| self.io(None, e))?;
        summary.stream_bytes = self.guard.out();
        summary.archive_bytes = self.guard.input();
        Ok(summary)
    }

    fn visitor_error(&self, e: ArchiveError, entry: &str) -> ArchiveError {
        let e = match (self.guard.tripped, e.kind) {
            (Some(t), _) => ArchiveError::new(self.path, Some(entry), t.kind()),
            (None, ArchiveErrorKind::Io(io)) => {
                ArchiveError::new(self.path, Some(entry), classify(io))
            }
            (None, kind) => ArchiveError {
                archive: e.archive,
                entry: e.entry,
                kind,
            },
        };
        e.in_context(self.path, Some(entry))
    }

    /// Reads a metadata record of `size` bytes and its padding.
    fn read_padded(&mut self, size: u64, entry: &str) -> Result<Vec<u8>, ArchiveError> {
        let mut data = vec![0u8; size as usize];
        let n = read_full(&mut self.guard, &mut data).map_err(|e| self.io(Some(entry), e))?;
        if n < data.len() {
            return Err(self.fail(
                Some(entry),
                ArchiveErrorKind::Truncated("ends inside a metadata record".into()),
            ));
        }
        self.skip(pad(size), entry)?;
        Ok(data)
    }

    fn skip(&mut self, n: u64, entry: &str) -> Result<(), ArchiveError> {
        let got = io::copy(&mut (&mut self.guard).take(n), &mut io::sink())
            .map_err(|e| self.io(Some(entry), e))?;
        if got < n {
            return Err(self.fail(
                Some(entry),
                ArchiveErrorKind::Truncated("ends inside an entry".into()),
            ));
        }
        Ok(())
    }
}

/// The visitor's view of one entry: exactly its bytes; an early end of the
/// stream is an error, not a short file.
struct EntryData<'a> {
    inner: &'a mut Guard<Box<dyn Read + Send>>,
    remaining: u64,
}

impl Read for EntryData<'_> {
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
                format!(
                    "archive ends {} bytes before the end of the entry",
                    self.remaining
                ),
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

fn pad(size: u64) -> u64 {
    (BLOCK - size % BLOCK) % BLOCK
}

fn c_string(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// The name in a header, with the POSIX ustar prefix when there is one.
fn header_name(h: &[u8; 512]) -> String {
    let name = c_string(&h[0..100]);
    if &h[257..263] == b"ustar\0" {
        let prefix = c_string(&h[345..500]);
        if !prefix.is_empty() {
            return format!("{prefix}/{name}");
        }
    }
    name
}

/// A numeric header field: octal text, or GNU base-256 binary.
fn number(field: &[u8]) -> Result<u64, String> {
    if field[0] & 0x80 != 0 {
        if field[0] == 0xff {
            return Err("negative number in tar header".into());
        }
        let mut v: u64 = u64::from(field[0] & 0x7f);
        for &b in &field[1..] {
            if v >> 56 != 0 {
                return Err("number too large in tar header".into());
            }
            v = (v << 8) | u64::from(b);
        }
        return Ok(v);
    }
    let text: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ')
        .take_while(|&b| b != 0 && b != b' ')
        .collect();
    let mut v: u64 = 0;
    for b in text {
        if !(b'0'..=b'7').contains(&b) {
            return Err(format!("bad octal digit {:?} in tar header", b as char));
        }
        v = v
            .checked_mul(8)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or("number too large in tar header")?;
    }
    Ok(v)
}

fn check_sum(h: &[u8; 512]) -> Result<(), String> {
    let stored =
        number(&h[148..156]).map_err(|_| "bad header checksum field (not a tar archive?)")?;
    let mut unsigned: u64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in h.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += u64::from(b);
        signed += i64::from(b as i8);
    }
    if stored == unsigned || i64::try_from(stored).is_ok_and(|s| s == signed) {
        Ok(())
    } else {
        Err("header checksum mismatch (not a tar archive, or damaged)".into())
    }
}

/// Applies the `path`, `linkpath` and `size` records of a pax header.
fn pax(data: &[u8], pending: &mut Pending) -> Result<(), String> {
    let mut rest = data;
    while !rest.is_empty() {
        if rest.iter().all(|&b| b == 0) {
            break;
        }
        let sp = rest
            .iter()
            .position(|&b| b == b' ')
            .ok_or("pax record without a length")?;
        let len: usize = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("bad pax record length")?;
        if len <= sp + 1 || len > rest.len() || rest[len - 1] != b'\n' {
            return Err("bad pax record".into());
        }
        let record = &rest[sp + 1..len - 1];
        let eq = record
            .iter()
            .position(|&b| b == b'=')
            .ok_or("pax record without `=`")?;
        let (key, value) = (&record[..eq], &record[eq + 1..]);
        let text = || String::from_utf8_lossy(value).into_owned();
        match key {
            b"path" => pending.name = Some(text()),
            b"linkpath" => pending.link = Some(text()),
            b"size" => {
                pending.size = Some(text().parse().map_err(|_| "bad pax size")?);
            }
            _ => {}
        }
        rest = &rest[len..];
    }
    Ok(())
}
