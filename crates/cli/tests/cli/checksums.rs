//! `apostille checksums`: files are written whole or not at all, names never
//! escape the checksum file's folder, and walked folders leave attestations
//! out.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::{apostille, peer_output, run, temp_with_dist};

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn an_artifact_outside_the_output_folder_is_refused_and_nothing_written() {
    let (tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a.tar.gz"), b"a").unwrap();
    std::fs::create_dir(tmp.path().join("other")).unwrap();
    std::fs::write(tmp.path().join("other/x"), b"x").unwrap();
    run(apostille()
        .args(["checksums", "-o", "dist/SHA512SUMS", "dist/a.tar.gz", "other/x"])
        .current_dir(tmp.path()))
    .code_is(2)
    .stdout_is(b"")
    .stderr_is(b"apostille: other/x: not inside dist, the folder of the checksum file; its name would escape it\n");
    assert_eq!(listing(&dist), ["a.tar.gz"], "no output, no temporary file");
    // The same through --output-dir.
    run(apostille()
        .args([
            "checksums",
            "--output-dir",
            "dist",
            "dist/a.tar.gz",
            "other/x",
        ])
        .current_dir(tmp.path()))
    .code_is(2)
    .stderr_has("other/x: not inside dist");
    assert_eq!(listing(&dist), ["a.tar.gz"]);
}

#[test]
fn a_hashing_error_writes_nothing_and_keeps_the_old_file() {
    let (tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a.tar.gz"), b"a").unwrap();
    std::fs::write(dist.join("SHA512SUMS"), b"old content\n").unwrap();
    run(apostille()
        .args([
            "checksums",
            "-o",
            "dist/SHA512SUMS",
            "dist/a.tar.gz",
            "dist/missing.tar.gz",
        ])
        .current_dir(tmp.path()))
    .code_is(2)
    .stdout_is(b"")
    .stderr_has("apostille: dist/missing.tar.gz: cannot open: ")
    .stderr_has("nothing written");
    assert_eq!(
        std::fs::read(dist.join("SHA512SUMS")).unwrap(),
        b"old content\n"
    );
    assert_eq!(listing(&dist), ["SHA512SUMS", "a.tar.gz"]);
    // Nothing on standard output either, without -o.
    run(apostille()
        .args(["checksums", "dist/a.tar.gz", "dist/missing.tar.gz"])
        .current_dir(tmp.path()))
    .code_is(2)
    .stdout_is(b"");
    // Nor sidecars.
    run(apostille()
        .args([
            "checksums",
            "--sidecar",
            "dist/a.tar.gz",
            "dist/missing.tar.gz",
        ])
        .current_dir(tmp.path()))
    .code_is(2);
    assert_eq!(listing(&dist), ["SHA512SUMS", "a.tar.gz"]);
}

#[test]
fn a_folder_walk_leaves_attestations_out_but_named_ones_are_listed() {
    let (tmp, dist) = temp_with_dist();
    for name in ["a.tar.gz", "b.zip", "KEYS", "sub/c.txt"] {
        let p = dist.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, name).unwrap();
    }
    for name in [
        "a.tar.gz.sha512",
        "a.tar.gz.sha256",
        "a.tar.gz.asc",
        "a.tar.gz.sig",
        "a.tar.gz.md5",
        "SHA256SUMS",
        "SHA512SUMS",
        "MD5SUMS",
        "sub/B3SUMS",
    ] {
        std::fs::write(dist.join(name), b"attestation").unwrap();
    }
    let artifacts: [&[u8]; 4] = [
        b"dist/KEYS",
        b"dist/a.tar.gz",
        b"dist/b.zip",
        b"dist/sub/c.txt",
    ];
    let theirs = peer_output("sha256sum", &[], tmp.path(), &artifacts);
    run(apostille()
        .args(["checksums", "-a", "sha256", "dist"])
        .current_dir(tmp.path()))
    .code_is(0)
    .stdout_is(&theirs)
    .stderr_is(b"");

    // Into the folder itself, twice: the second run lists the same files
    // (not the first run's output) and writes the same bytes.
    let theirs = peer_output(
        "sha512sum",
        &[],
        &dist,
        &[b"KEYS", b"a.tar.gz", b"b.zip", b"sub/c.txt"],
    );
    for _ in 0..2 {
        run(apostille()
            .args(["-q", "checksums", "--output-dir", "dist", "dist"])
            .current_dir(tmp.path()))
        .code_is(0);
        assert_eq!(std::fs::read(dist.join("SHA512SUMS")).unwrap(), theirs);
    }

    // Named explicitly, an attestation is listed.
    let theirs = peer_output("sha256sum", &[], tmp.path(), &[b"dist/a.tar.gz.asc"]);
    run(apostille()
        .args(["checksums", "-a", "sha256", "dist/a.tar.gz.asc"])
        .current_dir(tmp.path()))
    .code_is(0)
    .stdout_is(&theirs);
}

#[test]
fn gnu_style_with_two_algorithms_and_plain_o_is_refused() {
    let (tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a.tar.gz"), b"a").unwrap();
    run(apostille()
        .args([
            "checksums",
            "-a",
            "sha256,sha512",
            "-o",
            "dist/SUMS",
            "dist/a.tar.gz",
        ])
        .current_dir(tmp.path()))
    .code_is(2)
    .stdout_is(b"")
    .stderr_has("a GNU-style checksum file holds one algorithm");
    // Nor to standard output.
    run(apostille()
        .args(["checksums", "-a", "sha256,sha512", "dist/a.tar.gz"])
        .current_dir(tmp.path()))
    .code_is(2)
    .stdout_is(b"");
    assert_eq!(listing(&dist), ["a.tar.gz"]);
}

#[test]
fn written_files_are_whole_world_readable_and_leave_no_temporary_file() {
    let (tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a.tar.gz"), b"a").unwrap();
    std::fs::write(dist.join("SHA256SUMS"), b"stale\n").unwrap();
    std::fs::set_permissions(
        dist.join("SHA256SUMS"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    run(apostille()
        .args(["-q", "checksums", "-a", "sha256,blake3", "--sidecar"])
        .args(["--output-dir", "dist", "dist/a.tar.gz"])
        .current_dir(tmp.path()))
    .code_is(0)
    .stdout_is(b"")
    .stderr_is(b"");
    assert_eq!(
        listing(&dist),
        [
            "B3SUMS",
            "SHA256SUMS",
            "a.tar.gz",
            "a.tar.gz.b3",
            "a.tar.gz.sha256"
        ]
    );
    assert_eq!(
        std::fs::read(dist.join("SHA256SUMS")).unwrap(),
        peer_output("sha256sum", &[], &dist, &[b"a.tar.gz"])
    );
    for name in ["B3SUMS", "SHA256SUMS", "a.tar.gz.b3", "a.tar.gz.sha256"] {
        let mode = std::fs::metadata(dist.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "{name}: mode {mode:o}");
    }
}

#[test]
fn standard_input_cannot_be_listed() {
    let (_tmp, dist) = temp_with_dist();
    run(apostille().args(["checksums", "-"]).current_dir(&dist))
        .code_is(2)
        .stdout_is(b"")
        .stderr_has("standard input has no name");
    // A folder with nothing to list.
    std::fs::create_dir(dist.join("empty")).unwrap();
    run(apostille().args(["checksums", "empty"]).current_dir(&dist))
        .code_is(2)
        .stderr_has("no artifacts to list");
}

#[test]
fn dash_o_in_the_current_folder() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a.tar.gz"), b"a").unwrap();
    std::fs::write(dist.join("b.tar.gz"), b"b").unwrap();
    // `-o NAME` with no folder: names relative to the current folder.
    run(apostille()
        .args(["checksums", "-o", "SHA512SUMS", "b.tar.gz", "./a.tar.gz"])
        .current_dir(&dist))
    .code_is(0)
    .stderr_is(b"wrote SHA512SUMS (2 files)\n");
    assert_eq!(
        std::fs::read(dist.join("SHA512SUMS")).unwrap(),
        peer_output("sha512sum", &[], &dist, &[b"b.tar.gz", b"a.tar.gz"])
    );
}
