//! Hostile archives, given to both commands that read one (`sbom archive`
//! and `notices audit`): compression bombs through every decompressor, zip
//! bombs and zips that lie, truncated streams, and entry names that climb
//! out, are absolute or hold control characters. Each is refused with exit
//! 2, a message naming the archive and the problem, nothing raw on the
//! terminal, and no SBOM written.

use super::*;
use std::io::Write;
use std::path::PathBuf;

/// One tar header block for a regular file `name` of `size` bytes.
fn tar_header(name: &[u8], size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name);
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

/// A tar of `entries` (name, data), with its end-of-archive marker.
fn tar(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in entries {
        out.extend_from_slice(&tar_header(name, data.len() as u64));
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

/// `data` through the compressor `program ARGS` (the real tool).
fn compress(
    program: &str,
    args: &[&str],
    data: impl FnOnce(&mut dyn Write) + Send + 'static,
) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let mut w = std::io::BufWriter::new(&mut stdin);
        data(&mut w);
        w.flush().expect("flush");
    });
    let out = child.wait_with_output().expect("compressor");
    writer.join().expect("writer");
    assert!(out.status.success(), "{program} failed");
    out.stdout
}

const COMPRESSORS: &[(&str, &[&str], &str)] = &[
    ("gzip", &["-9", "-c"], "tar.gz"),
    ("xz", &["-9", "-c"], "tar.xz"),
    ("zstd", &["-19", "-q", "-c"], "tar.zst"),
    ("bzip2", &["-9", "-c"], "tar.bz2"),
];

/// A Python snippet run with `dir` as its folder (zip archives are made by
/// Python's zipfile, an independent writer).
fn python(dir: &Path, script: &str) {
    let st = Command::new("python3")
        .current_dir(dir)
        .args(["-c", script])
        .status()
        .expect("python3");
    assert!(st.success(), "python3 failed: {script}");
}

/// Both commands over `archive` in `dir`: each must refuse it with exit 2
/// and a message holding every needle; no SBOM may be written.
fn both_refuse(dir: &Path, archive: &str, needles: &[&str]) {
    let out = dir.join("out.spdx.json");
    let r = bounded(
        dir,
        ["-q", "sbom", "archive", archive, "-o", "out.spdx.json"],
    );
    let mut with_name = vec![archive];
    with_name.extend(needles);
    refused(&r, 2, &with_name);
    assert!(!out.exists(), "an SBOM was written for {archive}");
    let r = bounded(dir, ["-q", "notices", "audit", archive]);
    refused(&r, 2, &with_name);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

#[test]
fn compression_bombs_are_refused_early_by_every_decompressor() {
    let dir = tempfile::tempdir().expect("tempdir");
    // One entry claiming 1 GiB of zeros, of which 200 MiB are given: each
    // compressor packs it above the 1000:1 ratio, which is judged once
    // 8 MiB came out, long before the stream ends.
    for (program, args, ext) in COMPRESSORS {
        let bytes = compress(program, args, |w| {
            w.write_all(&tar_header(b"zeros", 1 << 30)).expect("write");
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..200 {
                w.write_all(&zeros).expect("write");
            }
        });
        let name = format!("bomb.{ext}");
        write(dir.path(), &name, &bytes);
        both_refuse(dir.path(), &name, &["decompression bomb"]);
    }
}

#[test]
fn truncated_streams_are_errors_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let plain = tar(&[(b"a/data.bin", &data), (b"a/README", b"hello\n")]);
    for (program, args, ext) in COMPRESSORS {
        let plain = plain.clone();
        let bytes = compress(program, args, move |w| w.write_all(&plain).expect("write"));
        let name = format!("cut.{ext}");
        write(dir.path(), &name, &bytes[..bytes.len() / 2]);
        both_refuse(dir.path(), &name, &[]);
        let r = bounded(dir.path(), ["-q", "sbom", "archive", &name]);
        let err = String::from_utf8_lossy(&r.stderr).to_lowercase();
        assert!(
            err.contains("truncated") || err.contains("corrupt") || err.contains("read error"),
            "{err}"
        );
    }
    write(dir.path(), "cut.tar", &plain[..plain.len() / 2]);
    both_refuse(dir.path(), "cut.tar", &["truncated"]);
    python(
        dir.path(),
        "import zipfile\nwith zipfile.ZipFile('w.zip','w',zipfile.ZIP_DEFLATED) as z:\n z.writestr('a/data.bin', bytes(range(256))*4000)\nb=open('w.zip','rb').read()\nopen('cut.zip','wb').write(b[:len(b)//2])",
    );
    both_refuse(dir.path(), "cut.zip", &[]);
}

#[test]
fn entry_names_that_climb_out_are_absolute_or_hold_controls_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (i, (name, needle)) in [
        (&b"a/../../evil"[..], "`..` component"),
        (b"/etc/passwd", "absolute path"),
        (b"a/x\nFileName: ./forged", "control character"),
        (b"a/x\x1b]0;pwned\x07", "control character"),
        (b"a/FAKE: OK\r", "control character"),
    ]
    .into_iter()
    .enumerate()
    {
        let t = tar(&[(b"a/README", b"ok\n"), (name, b"x")]);
        let archive = format!("n{i}.tar");
        write(dir.path(), &archive, &t);
        both_refuse(dir.path(), &archive, &["unsafe entry name", needle]);
        // Tag-value output too: no forged `FileName:` line, no output.
        let r = bounded(
            dir.path(),
            ["-q", "sbom", "archive", "--format", "spdx-tv", &archive],
        );
        if r.code() == 0 {
            panic!("accepted {archive}: {}", r.streams());
        }
        assert!(!crate::common::contains(&r.stdout, b"FileName: ./forged"));
    }
    // The same names in a zip.
    python(
        dir.path(),
        "import zipfile\nfor i,n in enumerate(['../evil','/abs','x\\nFileName: ./forged','x\\x1b[2J']):\n with zipfile.ZipFile('z%d.zip'%i,'w') as z:\n  z.writestr('ok','1'); z.writestr(n,'2')",
    );
    for i in 0..4 {
        both_refuse(dir.path(), &format!("z{i}.zip"), &["unsafe entry name"]);
    }
}

#[test]
fn a_zip_whose_local_header_names_another_file_is_refused() {
    // The classic: the central directory says `harmless.t`, the local
    // header (what a streaming extractor trusts) says `../evil.tx`.
    let dir = tempfile::tempdir().expect("tempdir");
    python(
        dir.path(),
        "import zipfile\nwith zipfile.ZipFile('w.zip','w') as z:\n z.writestr('LICENSE','Apache')\n z.writestr('harmless.t','evil')\nb=open('w.zip','rb').read()\ni=b.index(b'PK\\x03\\x04harmless.t'[:4], 1)\nj=b.index(b'harmless.t', i)\nopen('lie.zip','wb').write(b[:j]+b'../evil.tx'+b[j+10:])",
    );
    both_refuse(
        dir.path(),
        "lie.zip",
        &["harmless.t", "local header names `../evil.tx`"],
    );
}

#[test]
fn zip_bombs_and_absurd_claimed_sizes_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Overlapping entries: two directory records over one local entry.
    python(
        dir.path(),
        "import zipfile,struct\nwith zipfile.ZipFile('w.zip','w',zipfile.ZIP_DEFLATED) as z:\n z.writestr('a', b'\\0'*100000)\n z.writestr('b', b'\\0'*100000)\nb=bytearray(open('w.zip','rb').read())\ncd=struct.unpack('<I', b[-6:-2])[0]\nsecond=b.index(b'PK\\x01\\x02', cd+4)\nb[second+42:second+46]=struct.pack('<I',0)\nopen('overlap.zip','wb').write(b)",
    );
    both_refuse(dir.path(), "overlap.zip", &["overlap"]);
    // An entry claiming 4 GiB out of a few bytes: a bomb by its claimed
    // ratio, refused unread.
    python(
        dir.path(),
        "import zipfile,struct\nwith zipfile.ZipFile('w.zip','w',zipfile.ZIP_DEFLATED) as z:\n z.writestr('a', b'\\0'*1000)\nb=bytearray(open('w.zip','rb').read())\ncd=struct.unpack('<I', b[-6:-2])[0]\nb[cd+24:cd+28]=struct.pack('<I',0xfffffff0)\nopen('claim.zip','wb').write(b)",
    );
    both_refuse(dir.path(), "claim.zip", &["decompression bomb"]);
    // zip64: a size of 2^62 in the extended field.
    python(
        dir.path(),
        "import zipfile,struct\nwith zipfile.ZipFile('w.zip','w') as z:\n z.writestr('a', b'x')\nb=bytearray(open('w.zip','rb').read())\ncd=struct.unpack('<I', b[-6:-2])[0]\nn=struct.unpack('<H', b[cd+28:cd+30])[0]\nb[cd+24:cd+28]=struct.pack('<I',0xffffffff)\nextra=struct.pack('<HHQ',1,8,1<<62)\nb[cd+30:cd+32]=struct.pack('<H',len(extra))\nb[cd+46+n:cd+46+n]=extra\nb[-10:-6]=struct.pack('<I', struct.unpack('<I',b[-10:-6])[0]+len(extra))\nopen('z64.zip','wb').write(b)",
    );
    both_refuse(dir.path(), "z64.zip", &["exceeds the limit"]);
}
