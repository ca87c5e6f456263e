//! Real Debian `.dsc` files (clear-signed, with `Checksums-Sha1`,
//! `Checksums-Sha256` and `Files` sections) next to the upstream tarballs
//! they list, from `shared/vectors/openpgp/` (read-only: copied before any
//! change).

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::common::{apostille, count, line, run, vectors};

/// One vector folder: its `.dsc`, and the upstream tarball beside it.
struct Package {
    dsc: PathBuf,
    orig: PathBuf,
}

fn name_of(p: &Path) -> &[u8] {
    p.file_name().unwrap().as_bytes()
}

/// The packages under `root` (the `openpgp` folder of the vectors).
fn packages(root: &Path) -> Vec<Package> {
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: test vectors missing: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let dsc = files.iter().find(|p| name_of(p).ends_with(b".dsc"));
        let orig = files.iter().find(|p| {
            let n = name_of(p);
            n.windows(10).any(|w| w == b".orig.tar.") && !n.ends_with(b".asc")
        });
        if let (Some(dsc), Some(orig)) = (dsc, orig) {
            found.push(Package {
                dsc: dsc.clone(),
                orig: orig.clone(),
            });
        }
    }
    assert!(
        found.len() >= 3,
        "expected the curl, gnupg2 and apr-util vectors under {}",
        root.display()
    );
    found
}

#[test]
fn every_dsc_verifies_its_upstream_tarball() {
    let Some(root) = vectors("openpgp") else {
        return;
    };
    let cwd = tempfile::tempdir().unwrap();
    for p in packages(&root) {
        // Run from elsewhere: names resolve against the .dsc's folder.
        let r = run(apostille()
            .args(["verify", "checksums", "--ignore-missing"])
            .arg(&p.dsc)
            .current_dir(cwd.path()));
        r.code_is(0).stderr_is(b"");
        // The tarball is listed in the three sections: three OK lines.
        let ok = line(name_of(&p.orig), "OK");
        assert_eq!(count(&r.stdout, &ok), 3, "{}", r.streams());
        // Everything printed is an OK line (the Debian tarball, absent,
        // prints nothing).
        let printed = r.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty());
        for l in printed {
            assert!(l.ends_with(b": OK"), "{}", r.streams());
        }
    }
}

/// Copies the package under `root` with the smallest tarball into a fresh
/// folder, writable.
fn copy_smallest(root: &Path, to: &Path) -> (PathBuf, PathBuf) {
    let p = packages(root)
        .into_iter()
        .min_by_key(|p| std::fs::metadata(&p.orig).unwrap().len())
        .unwrap();
    let mut copies = Vec::new();
    for src in [&p.dsc, &p.orig] {
        let dst = to.join(src.file_name().unwrap());
        std::fs::write(&dst, std::fs::read(src).unwrap()).unwrap();
        copies.push(dst);
    }
    (copies.remove(0), copies.remove(0))
}

#[test]
fn a_flipped_byte_in_the_tarball_fails() {
    let Some(root) = vectors("openpgp") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (dsc, orig) = copy_smallest(&root, tmp.path());
    let mut bytes = std::fs::read(&orig).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&orig, &bytes).unwrap();
    let r = run(apostille()
        .args(["verify", "checksums", "--ignore-missing"])
        .arg(dsc.file_name().unwrap())
        .current_dir(tmp.path()));
    // Listed with SHA-1, SHA-256 and MD5: three failed lines.
    let failed = line(name_of(&orig), "FAILED");
    r.code_is(1)
        .stdout_is(&[failed.clone(), failed.clone(), failed].concat())
        .stderr_has("apostille: WARNING: 3 computed checksums did NOT match\n");
}

#[test]
fn without_ignore_missing_the_absent_debian_tarball_fails() {
    let Some(root) = vectors("openpgp") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (dsc, orig) = copy_smallest(&root, tmp.path());
    let r = run(apostille()
        .args(["verify", "checksums"])
        .arg(&dsc)
        .current_dir(tmp.path()));
    r.code_is(1)
        .stderr_has("listed files could not be read")
        .stderr_has("cannot open");
    assert_eq!(
        count(&r.stdout, &line(name_of(&orig), "OK")),
        3,
        "{}",
        r.streams()
    );
    // The .asc and the Debian tarball are absent: each listed three times.
    assert_eq!(
        count(&r.stdout, b": FAILED open or read\n"),
        6,
        "{}",
        r.streams()
    );
}
