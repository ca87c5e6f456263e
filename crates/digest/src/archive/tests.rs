//! Archive reader tests on fixtures built here: well-formed archives in
//! every format, and hostile ones (traversal names, absurd sizes, bombs,
//! truncation, damage).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::*;

/// A ustar header block for `name` with the given type and size.
fn header(name: &str, typeflag: u8, size: u64, link: &str) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    let sz = format!("{size:011o}");
    h[124..124 + sz.len()].copy_from_slice(sz.as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = typeflag;
    h[157..157 + link.len()].copy_from_slice(link.as_bytes());
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    let cs = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(cs.as_bytes());
    h
}

struct TarBuilder(Vec<u8>);

impl TarBuilder {
    fn new() -> Self {
        TarBuilder(Vec::new())
    }
    fn entry(mut self, name: &str, typeflag: u8, data: &[u8]) -> Self {
        self.0
            .extend_from_slice(&header(name, typeflag, data.len() as u64, ""));
        self.0.extend_from_slice(data);
        self.0.resize(self.0.len().next_multiple_of(512), 0);
        self
    }
    fn file(self, name: &str, data: &[u8]) -> Self {
        self.entry(name, b'0', data)
    }
    fn symlink(mut self, name: &str, target: &str) -> Self {
        self.0.extend_from_slice(&header(name, b'2', 0, target));
        self
    }
    fn finish(mut self) -> Vec<u8> {
        self.0.extend_from_slice(&[0u8; 1024]);
        self.0
    }
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn compress(format: ArchiveFormat, tar: &[u8]) -> Vec<u8> {
    match format {
        ArchiveFormat::Tar => tar.to_vec(),
        ArchiveFormat::TarGz => gz(tar),
        ArchiveFormat::TarBz2 => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            e.write_all(tar).expect("bzip2");
            e.finish().expect("bzip2")
        }
        ArchiveFormat::TarXz => {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
            e.write_all(tar).expect("xz");
            e.finish().expect("xz")
        }
        ArchiveFormat::TarZst => zstd::stream::encode_all(tar, 1).expect("zstd"),
        ArchiveFormat::Zip => unreachable!("zip is built by zip_archive"),
    }
}

/// A zip archive; `deflate` chooses method 8 over stored.
fn zip_archive(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut cd = Vec::new();
    for (name, data) in entries {
        let crc = crc32fast::hash(data);
        let body = if deflate {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).expect("deflate");
            e.finish().expect("deflate")
        } else {
            data.to_vec()
        };
        let method: u16 = if deflate { 8 } else { 0 };
        let offset = out.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&body);
        cd.extend_from_slice(b"PK\x01\x02");
        cd.extend_from_slice(&(3u16 << 8 | 20).to_le_bytes());
        cd.extend_from_slice(&20u16.to_le_bytes());
        cd.extend_from_slice(&0u16.to_le_bytes());
        cd.extend_from_slice(&method.to_le_bytes());
        cd.extend_from_slice(&[0; 4]);
        cd.extend_from_slice(&crc.to_le_bytes());
        cd.extend_from_slice(&(body.len() as u32).to_le_bytes());
        cd.extend_from_slice(&(data.len() as u32).to_le_bytes());
        cd.extend_from_slice(&(name.len() as u16).to_le_bytes());
        cd.extend_from_slice(&[0; 8]);
        let mode: u32 = if name.ends_with('/') {
            0o040_755
        } else {
            0o100_644
        };
        cd.extend_from_slice(&(mode << 16).to_le_bytes());
        cd.extend_from_slice(&offset.to_le_bytes());
        cd.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&cd);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

type Seen = Vec<(String, EntryKind, Vec<u8>)>;

fn list(path: &Path, limits: &Limits) -> Result<(Seen, ArchiveSummary), ArchiveError> {
    let mut seen = Vec::new();
    let summary = for_each_entry(path, limits, |e, r| {
        let mut data = Vec::new();
        r.read_to_end(&mut data)?;
        seen.push((e.path.clone(), e.kind, data));
        Ok(())
    })?;
    Ok((seen, summary))
}

fn sample_tar() -> Vec<u8> {
    TarBuilder::new()
        .entry("./pkg-1.0/", b'5', b"")
        .file("./pkg-1.0/README", b"hello\n")
        .file("pkg-1.0//src/main.c", &vec![b'x'; 5000])
        .symlink("pkg-1.0/link", "README")
        .file("pkg-1.0/empty", b"")
        .finish()
}

#[test]
fn every_format_gives_the_same_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tar = sample_tar();
    let formats = [
        (ArchiveFormat::Tar, "a.tar"),
        (ArchiveFormat::TarGz, "a.tar.gz"),
        (ArchiveFormat::TarBz2, "a.tar.bz2"),
        (ArchiveFormat::TarXz, "a.tar.xz"),
        (ArchiveFormat::TarZst, "a.tar.zst"),
    ];
    for (format, name) in formats {
        let p = write(dir.path(), name, &compress(format, &tar));
        assert_eq!(ArchiveFormat::detect(&p).expect("detect"), format);
        let (seen, summary) = list(&p, &Limits::default()).expect(name);
        let names: Vec<_> = seen.iter().map(|s| (s.0.as_str(), s.1)).collect();
        assert_eq!(
            names,
            [
                ("pkg-1.0", EntryKind::Dir),
                ("pkg-1.0/README", EntryKind::File),
                ("pkg-1.0/src/main.c", EntryKind::File),
                ("pkg-1.0/link", EntryKind::Symlink),
                ("pkg-1.0/empty", EntryKind::File),
            ],
            "{name}"
        );
        assert_eq!(seen[1].2, b"hello\n");
        assert_eq!(seen[2].2.len(), 5000);
        assert_eq!(summary.files, 3);
        assert_eq!(summary.file_bytes, 5006);
        assert_eq!(summary.format, Some(format));
    }
    let zip = zip_archive(
        &[
            ("pkg/", b""),
            ("pkg/a.txt", b"hello\n"),
            ("pkg/b", &[7u8; 3000]),
        ],
        true,
    );
    let p = write(dir.path(), "a.zip", &zip);
    let (seen, _) = list(&p, &Limits::default()).expect("zip");
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].1, EntryKind::Dir);
    assert_eq!(
        seen[1],
        ("pkg/a.txt".into(), EntryKind::File, b"hello\n".to_vec())
    );
    assert_eq!(seen[2].2, vec![7u8; 3000]);
    let p = write(
        dir.path(),
        "stored.zip",
        &zip_archive(&[("x", b"abc")], false),
    );
    assert_eq!(list(&p, &Limits::default()).expect("stored").0[0].2, b"abc");
}

#[test]
fn unread_bytes_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "a.tar.gz", &gz(&sample_tar()));
    let mut names = Vec::new();
    let s = for_each_entry(&p, &Limits::default(), |e, _| {
        names.push(e.path.clone());
        Ok(())
    })
    .expect("read");
    assert_eq!(names.len(), 5);
    assert_eq!(s.entries, 5);
}

fn expect_err(path: &Path, limits: &Limits) -> ArchiveError {
    match list(path, limits) {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(e) => e,
    }
}

#[test]
fn traversal_and_absolute_names_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (i, bad) in [
        "../evil",
        "a/../../evil",
        "/etc/passwd",
        "a\\..\\..\\x",
        "C:/x",
    ]
    .into_iter()
    .enumerate()
    {
        let tar = TarBuilder::new().file("ok", b"1").file(bad, b"2").finish();
        let p = write(dir.path(), &format!("t{i}.tar"), &tar);
        let e = expect_err(&p, &Limits::default());
        assert!(
            matches!(e.kind(), ArchiveErrorKind::UnsafePath(_)),
            "{bad}: {e}"
        );
        assert_eq!(e.entry(), Some(bad));
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("t{i}.tar")) && msg.contains("unsafe"),
            "{msg}"
        );
        let z = write(
            dir.path(),
            &format!("z{i}.zip"),
            &zip_archive(&[(bad, b"x")], false),
        );
        let e = expect_err(&z, &Limits::default());
        assert!(
            matches!(e.kind(), ArchiveErrorKind::UnsafePath(_)),
            "{bad}: {e}"
        );
    }
    // A symlink may point anywhere: it is reported, not followed.
    let tar = TarBuilder::new().symlink("l", "../../etc/passwd").finish();
    let p = write(dir.path(), "link.tar", &tar);
    assert_eq!(
        list(&p, &Limits::default()).expect("link").0[0].1,
        EntryKind::Symlink
    );
}

#[test]
fn absurd_sizes_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A header claiming 8 EiB (base-256), followed by nothing.
    let mut h = header("huge", b'0', 0, "");
    h[124..136].copy_from_slice(&[0x80, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0]);
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let p = write(dir.path(), "huge.tar", &h);
    let e = expect_err(&p, &Limits::default());
    assert!(
        matches!(e.kind(), ArchiveErrorKind::TooLarge { what: "entry", .. }),
        "{e}"
    );
    // A GNU long name of 1 GiB claimed.
    let tar = TarBuilder::new().finish();
    let mut bytes = header("././@LongLink", b'L', 1 << 30, "").to_vec();
    bytes.extend_from_slice(&tar);
    let p = write(dir.path(), "longname.tar", &bytes);
    let e = expect_err(&p, &Limits::default());
    assert!(
        matches!(
            e.kind(),
            ArchiveErrorKind::TooLarge {
                what: "tar metadata record",
                ..
            }
        ),
        "{e}"
    );
    // Limits on count and total.
    let tar = TarBuilder::new()
        .file("a", b"12345")
        .file("b", b"12345")
        .finish();
    let p = write(dir.path(), "two.tar", &tar);
    let few = Limits {
        max_entries: 1,
        ..Limits::default()
    };
    assert!(matches!(
        expect_err(&p, &few).kind(),
        ArchiveErrorKind::TooManyEntries { .. }
    ));
    let small = Limits {
        max_total_size: 8,
        ..Limits::default()
    };
    assert!(matches!(
        expect_err(&p, &small).kind(),
        ArchiveErrorKind::TooLarge { .. }
    ));
    let zip = write(
        dir.path(),
        "two.zip",
        &zip_archive(&[("a", b"12345"), ("b", b"12345")], true),
    );
    assert!(matches!(
        expect_err(&zip, &few).kind(),
        ArchiveErrorKind::TooManyEntries { .. }
    ));
    assert!(matches!(
        expect_err(&zip, &small).kind(),
        ArchiveErrorKind::TooLarge { .. }
    ));
}

#[test]
fn decompression_bombs_stop_early() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 64 MiB of zeros in one entry: zstd squeezes it ~30000:1.
    let zeros = vec![0u8; 64 << 20];
    let tar = TarBuilder::new().file("zeros", &zeros).finish();
    let p = write(
        dir.path(),
        "bomb.tar.zst",
        &compress(ArchiveFormat::TarZst, &tar),
    );
    let mut read = 0u64;
    let e = for_each_entry(&p, &Limits::default(), |_, r| {
        read += std::io::copy(r, &mut std::io::sink())?;
        Ok(())
    })
    .expect_err("bomb accepted");
    assert!(matches!(e.kind(), ArchiveErrorKind::Bomb { .. }), "{e}");
    assert!(e.to_string().contains("decompression bomb"), "{e}");
    assert!(read < 64 << 20);
    // gzip with a stricter ratio.
    let p = write(dir.path(), "bomb.tar.gz", &gz(&tar));
    let strict = Limits {
        max_ratio: 100,
        ..Limits::default()
    };
    assert!(matches!(
        expect_err(&p, &strict).kind(),
        ArchiveErrorKind::Bomb { .. }
    ));
    // A zip entry claiming a ratio above the limit is refused from its
    // directory, before any inflating.
    let z = write(
        dir.path(),
        "bomb.zip",
        &zip_archive(&[("zeros", &zeros)], true),
    );
    assert!(matches!(
        expect_err(&z, &strict).kind(),
        ArchiveErrorKind::Bomb { .. }
    ));
}

#[test]
fn truncated_archives_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let tar = TarBuilder::new()
        .file("a", b"hello")
        .file("big", &big)
        .finish();
    // Plain tar cut inside an entry, and cut at a header boundary (no
    // end-of-archive marker).
    let p = write(dir.path(), "cut.tar", &tar[..100_000]);
    let e = expect_err(&p, &Limits::default());
    assert!(matches!(e.kind(), ArchiveErrorKind::Truncated(_)), "{e}");
    assert_eq!(e.entry(), Some("big"));
    let p = write(dir.path(), "cut2.tar", &tar[..1024]);
    assert!(matches!(
        expect_err(&p, &Limits::default()).kind(),
        ArchiveErrorKind::Truncated(_)
    ));
    for format in [
        ArchiveFormat::TarGz,
        ArchiveFormat::TarBz2,
        ArchiveFormat::TarXz,
        ArchiveFormat::TarZst,
    ] {
        let c = compress(format, &tar);
        let p = write(
            dir.path(),
            &format!("cut.{}", format.name()),
            &c[..c.len() * 2 / 3],
        );
        let e = expect_err(&p, &Limits::default());
        assert!(
            matches!(e.kind(), ArchiveErrorKind::Truncated(_)),
            "{format}: {e}"
        );
        // Only the compressor's trailer missing.
        let p = write(
            dir.path(),
            &format!("tail.{}", format.name()),
            &c[..c.len() - 4],
        );
        let e = expect_err(&p, &Limits::default());
        assert!(
            matches!(
                e.kind(),
                ArchiveErrorKind::Truncated(_) | ArchiveErrorKind::Corrupt(_)
            ),
            "{format}: {e}"
        );
    }
    let zip = zip_archive(&[("a", b"hello"), ("big", &big)], true);
    let p = write(dir.path(), "cut.zip", &zip[..zip.len() / 2]);
    assert!(matches!(
        expect_err(&p, &Limits::default()).kind(),
        ArchiveErrorKind::Truncated(_)
    ));
}

#[test]
fn damage_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut tar = sample_tar();
    tar[600] ^= 0xff; // inside the second header
    let p = write(dir.path(), "bad.tar", &tar);
    let e = expect_err(&p, &Limits::default());
    assert!(matches!(e.kind(), ArchiveErrorKind::Corrupt(_)), "{e}");
    let mut g = gz(&sample_tar());
    let n = g.len();
    g[n - 6] ^= 0xff; // the CRC in the trailer
    let p = write(dir.path(), "bad.tar.gz", &g);
    assert!(matches!(
        expect_err(&p, &Limits::default()).kind(),
        ArchiveErrorKind::Corrupt(_)
    ));
    let mut z = zip_archive(&[("a.txt", b"hello world")], false);
    z[30 + 5] ^= 1; // one byte of stored data: CRC mismatch
    let p = write(dir.path(), "bad.zip", &z);
    let e = expect_err(&p, &Limits::default());
    assert!(e.to_string().contains("CRC-32"), "{e}");
    let p = write(dir.path(), "noise.bin", &[1u8; 4000]);
    assert!(matches!(
        ArchiveFormat::detect(&p).expect_err("noise").kind(),
        ArchiveErrorKind::Unsupported(_)
    ));
}

#[test]
fn names_are_normalised() {
    assert_eq!(
        normalise("./a//b/./c/").expect("ok").as_deref(),
        Some("a/b/c")
    );
    assert_eq!(normalise("./").expect("ok"), None);
    assert!(normalise("a/../b").is_err());
    assert!(normalise("/abs").is_err());
    assert!(normalise("..").is_err());
    assert!(normalise("a/..b").is_ok());
}

#[test]
fn gnu_long_names_and_pax_paths_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = format!("{}/file.txt", "d".repeat(150));
    let mut tar = Vec::new();
    tar.extend_from_slice(&header("././@LongLink", b'L', long.len() as u64 + 1, ""));
    let mut name = long.clone().into_bytes();
    name.push(0);
    name.resize(512, 0);
    tar.extend_from_slice(&name);
    tar.extend(TarBuilder::new().file("short", b"1").0);
    let record = "path=pax/name.txt\n";
    let rec = format!("{} {record}", record.len() + 3);
    tar.extend(
        TarBuilder::new()
            .entry("PaxHeader", b'x', rec.as_bytes())
            .file("x", b"22")
            .finish(),
    );
    let p = write(dir.path(), "long.tar", &tar);
    let (seen, _) = list(&p, &Limits::default()).expect("read");
    assert_eq!(seen[0].0, long);
    assert_eq!(seen[1].0, "pax/name.txt");
}

#[test]
fn control_characters_in_names_are_refused_and_never_shown_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (i, bad) in [
        "a\nFileName: ./forged",
        "x\x1b]0;pwned\x07",
        "FAKE: OK\r",
        "t\u{85}",
    ]
    .into_iter()
    .enumerate()
    {
        let tar = TarBuilder::new().file("ok", b"1").file(bad, b"2").finish();
        let p = write(dir.path(), &format!("t{i}.tar"), &tar);
        let e = expect_err(&p, &Limits::default());
        assert!(
            matches!(e.kind(), ArchiveErrorKind::UnsafePath(_)),
            "{bad:?}: {e}"
        );
        let msg = e.to_string();
        assert!(msg.contains("control character"), "{msg}");
        assert!(!msg.chars().any(char::is_control), "{msg:?}");
        let z = write(
            dir.path(),
            &format!("z{i}.zip"),
            &zip_archive(&[(bad, b"x")], false),
        );
        let e = expect_err(&z, &Limits::default());
        assert!(
            matches!(e.kind(), ArchiveErrorKind::UnsafePath(_)),
            "{bad:?}: {e}"
        );
        assert!(!e.to_string().chars().any(char::is_control));
    }
}

#[test]
fn a_local_header_naming_another_file_is_refused() {
    // Same length, so every offset stays right: only the local name lies.
    let mut z = zip_archive(&[("harmless.t", b"x")], false);
    let at = 30;
    z[at..at + 10].copy_from_slice(b"../evil.tx");
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "lie.zip", &z);
    let e = expect_err(&p, &Limits::default());
    let msg = e.to_string();
    assert!(
        matches!(e.kind(), ArchiveErrorKind::Corrupt(_))
            && msg.contains("local header names `../evil.tx`"),
        "{msg}"
    );
    assert_eq!(e.entry(), Some("harmless.t"));
}

#[test]
fn overlapping_entries_are_refused() {
    // Two central-directory records pointing at one local entry: the
    // overlapped-file zip bomb in its smallest form.
    let mut z = zip_archive(&[("a", b"hello"), ("a", b"hello")], false);
    // The second record's local-header offset (cd offset + 46 + 1 + 42)
    // is set to the first entry's.
    let eocd = z.len() - 22;
    let cd_offset = u32::from_le_bytes(z[eocd + 16..eocd + 20].try_into().expect("4")) as usize;
    let second = cd_offset + 46 + 1;
    z[second + 42..second + 46].copy_from_slice(&0u32.to_le_bytes());
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "overlap.zip", &z);
    let e = expect_err(&p, &Limits::default());
    assert!(e.to_string().contains("overlap"), "{e}");
}

/// Found by the `archive` fuzz target: a legacy `.lzma` header claiming a
/// 4 GiB dictionary, read as `.tar.xz`, made the decoder allocate 4 GiB.
/// Only `.xz` streams are decoded now, under a memory limit.
#[test]
fn a_legacy_lzma_header_read_as_xz_is_refused_not_allocated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = vec![0x03];
    bytes.extend_from_slice(&[0xff; 45]);
    let p = write(dir.path(), "oom.tar.xz", &bytes);
    let r = for_each_entry_as(&p, ArchiveFormat::TarXz, &Limits::default(), |_, _| Ok(()));
    assert!(r.is_err());
}
