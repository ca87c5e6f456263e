//! Checksum files written by the peers must pass `apostille verify
//! checksums`, over the awkward names each peer can write.
//!
//! Each checksum file sits in `dist/` and the check runs from the folder
//! above, so names resolve against the checksum file's folder.
//!
//! What each peer does with awkward names (coreutils 9.1, b3sum 1.2.0,
//! RHash 1.4.3, OpenSSL 3.0, GnuPG 2.2):
//! * coreutils escapes `\`, newline and CR; a CR name is then refused by us
//!   (a control character), see [`coreutils_cr_name_is_refused`].
//! * b3sum writes a non-UTF-8 name lossily (U+FFFD), so it is left out.
//! * rhash turns `\` into `/` and writes a newline raw: only spaces and
//!   non-UTF-8 names are used. `rhash --bsd` pads the tag of MD5 and SHA-1
//!   (`MD5   (name) = …`, `SHA1  (name) = …`).
//! * `openssl dgst` writes names raw (a newline breaks the line); `-r`
//!   escapes a newline but not a backslash.
//! * `gpg --print-md` writes names raw.

use std::path::Path;

use crate::common::{
    BACKSLASH, CR, LONG, NEWLINE, NON_UTF8, PLAIN, SPACE, apostille, gpg, line, lines, os,
    peer_output, populate, run, temp_with_dist,
};

const COREUTILS_NAMES: &[&[u8]] = &[PLAIN, SPACE, NEWLINE, BACKSLASH, NON_UTF8];
const B3SUM_NAMES: &[&[u8]] = &[PLAIN, SPACE, NEWLINE, BACKSLASH];
const RHASH_NAMES: &[&[u8]] = &[PLAIN, SPACE, NON_UTF8];
const OPENSSL_NAMES: &[&[u8]] = &[PLAIN, SPACE, BACKSLASH, NON_UTF8];
const OPENSSL_R_NAMES: &[&[u8]] = &[PLAIN, SPACE, NEWLINE, BACKSLASH, NON_UTF8];
const GPG_NAMES: &[&[u8]] = &[PLAIN, SPACE, BACKSLASH, NON_UTF8, LONG];

/// Runs `apostille verify checksums [extra] dist/<file>` from the folder
/// above `dist` and returns the run.
fn verify(dist: &Path, file: &str, extra: &[&str]) -> crate::common::Run {
    run(apostille()
        .args(["verify", "checksums"])
        .args(extra)
        .arg(Path::new("dist").join(file))
        .current_dir(dist.parent().unwrap()))
}

/// Writes a peer's output over `names` to `dist/<file>` and checks that
/// `apostille verify checksums` says OK for each name, with nothing on
/// standard error.
fn peer_file_passes(program: &str, args: &[&str], names: &[&[u8]], file: &str) {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, names);
    let sums = peer_output(program, args, &dist, names);
    std::fs::write(dist.join(file), &sums).unwrap();
    verify(&dist, file, &["--strict"])
        .code_is(0)
        .stdout_is(&lines(names, "OK"))
        .stderr_is(b"");
}

/// Like [`peer_file_passes`] for a weak-only file: without `--allow-weak`
/// every line fails and the check exits 1; with it, every line is a weak
/// OK.
fn weak_peer_file(program: &str, args: &[&str], names: &[&[u8]], file: &str, algo: &str) {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, names);
    let sums = peer_output(program, args, &dist, names);
    std::fs::write(dist.join(file), &sums).unwrap();
    let refused = format!("FAILED (only {algo} matched, a weak digest; --allow-weak accepts it)");
    verify(&dist, file, &[])
        .code_is(1)
        .stdout_is(&lines(names, &refused))
        .stderr_is(
            format!(
                "apostille: WARNING: {} files are covered only by MD5 or SHA-1, which is not enough\n",
                names.len()
            )
            .as_bytes(),
        );
    verify(&dist, file, &["--allow-weak"])
        .code_is(0)
        .stdout_is(&lines(names, &format!("OK ({algo} only, weak)")))
        .stderr_is(b"");
}

#[test]
fn sha256sum_text_and_binary_mode() {
    peer_file_passes("sha256sum", &[], COREUTILS_NAMES, "SHA256SUMS");
    // `HEX *name`, in a file whose name hints at nothing: 64 digits are
    // SHA-256.
    peer_file_passes("sha256sum", &["--binary"], COREUTILS_NAMES, "CHECKSUMS");
}

#[test]
fn sha256sum_tag() {
    // Fedora's CHECKSUM files are `sha256sum --tag` output.
    peer_file_passes("sha256sum", &["--tag"], COREUTILS_NAMES, "CHECKSUM");
}

#[test]
fn sha512sum_plain_and_tagged() {
    peer_file_passes("sha512sum", &[], COREUTILS_NAMES, "SHA512SUMS");
    peer_file_passes("sha512sum", &["--tag"], COREUTILS_NAMES, "SHA512SUMS.txt");
}

#[test]
fn md5sum_alone_needs_allow_weak() {
    weak_peer_file("md5sum", &[], COREUTILS_NAMES, "MD5SUMS", "md5");
    weak_peer_file("md5sum", &["--tag"], COREUTILS_NAMES, "CHECKSUMS", "md5");
}

#[test]
fn sha1sum_alone_needs_allow_weak() {
    weak_peer_file("sha1sum", &[], COREUTILS_NAMES, "SHA1SUMS", "sha1");
}

#[test]
fn md5_beside_a_strong_digest_is_fine() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, COREUTILS_NAMES);
    let mut sums = peer_output("md5sum", &["--tag"], &dist, COREUTILS_NAMES);
    sums.extend(peer_output("sha256sum", &["--tag"], &dist, COREUTILS_NAMES));
    std::fs::write(dist.join("CHECKSUMS"), &sums).unwrap();
    let mut expected = lines(COREUTILS_NAMES, "OK");
    expected.extend(lines(COREUTILS_NAMES, "OK"));
    verify(&dist, "CHECKSUMS", &[])
        .code_is(0)
        .stdout_is(&expected)
        .stderr_is(b"");
}

#[test]
fn b3sum_output() {
    peer_file_passes("b3sum", &[], B3SUM_NAMES, "B3SUMS");
    peer_file_passes("b3sum", &[], B3SUM_NAMES, "release.blake3");

    // Under a name that hints at nothing: `--algo blake3` says what the 64
    // digits are; without it they are taken for SHA-256 and fail.
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, B3SUM_NAMES);
    let sums = peer_output("b3sum", &[], &dist, B3SUM_NAMES);
    std::fs::write(dist.join("CHECKSUMS"), &sums).unwrap();
    verify(&dist, "CHECKSUMS", &["--algo", "blake3"])
        .code_is(0)
        .stdout_is(&lines(B3SUM_NAMES, "OK"));
    verify(&dist, "CHECKSUMS", &[])
        .code_is(1)
        .stdout_is(&lines(B3SUM_NAMES, "FAILED"))
        .stderr_is(b"apostille: WARNING: 4 computed checksums did NOT match\n");
}

#[test]
fn rhash_gnu_like() {
    peer_file_passes("rhash", &["--sha256"], RHASH_NAMES, "rhash-sha256.txt");
    peer_file_passes("rhash", &["--sha512"], RHASH_NAMES, "rhash-sha512.txt");
}

#[test]
fn rhash_bsd_sha2() {
    peer_file_passes(
        "rhash",
        &["--bsd", "--sha256"],
        RHASH_NAMES,
        "rhash-bsd.txt",
    );
    peer_file_passes(
        "rhash",
        &["--bsd", "--sha512"],
        RHASH_NAMES,
        "rhash-bsd.txt",
    );
    peer_file_passes(
        "rhash",
        &["--bsd", "--sha384"],
        RHASH_NAMES,
        "rhash-bsd.txt",
    );
}

#[test]
fn rhash_bsd_sha1_padded_tag() {
    weak_peer_file(
        "rhash",
        &["--bsd", "--sha1"],
        RHASH_NAMES,
        "rhash-bsd.txt",
        "sha1",
    );
}

#[test]
fn rhash_bsd_several_algorithms() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, RHASH_NAMES);
    let args = ["--bsd", "--md5", "--sha1", "--sha256", "--sha512"];
    let sums = peer_output("rhash", &args, &dist, RHASH_NAMES);
    std::fs::write(dist.join("CHECKSUMS"), &sums).unwrap();
    // rhash prints, per file: MD5, SHA1, SHA256, SHA512.
    let mut expected = Vec::new();
    for name in RHASH_NAMES {
        for _ in 0..4 {
            expected.extend(line(name, "OK"));
        }
    }
    verify(&dist, "CHECKSUMS", &["--strict"])
        .code_is(0)
        .stdout_is(&expected)
        .stderr_is(b"");
}

#[test]
fn openssl_dgst() {
    peer_file_passes(
        "openssl",
        &["dgst", "-sha512"],
        OPENSSL_NAMES,
        "digests.txt",
    );
    peer_file_passes(
        "openssl",
        &["dgst", "-sha256"],
        OPENSSL_NAMES,
        "digests.txt",
    );
    peer_file_passes(
        "openssl",
        &["dgst", "-sha384"],
        OPENSSL_NAMES,
        "digests.txt",
    );
    weak_peer_file(
        "openssl",
        &["dgst", "-md5"],
        OPENSSL_NAMES,
        "digests.txt",
        "md5",
    );
    weak_peer_file(
        "openssl",
        &["dgst", "-sha1"],
        OPENSSL_NAMES,
        "digests.txt",
        "sha1",
    );
}

#[test]
fn openssl_dgst_r() {
    // `HEX *name`, coreutils' binary-mode layout.
    peer_file_passes(
        "openssl",
        &["dgst", "-sha512", "-r"],
        OPENSSL_R_NAMES,
        "digests.txt",
    );
    peer_file_passes(
        "openssl",
        &["dgst", "-sha256", "-r"],
        OPENSSL_R_NAMES,
        "digests.txt",
    );
}

#[test]
fn gpg_print_md() {
    let home = tempfile::tempdir().unwrap();
    for (algo, weak) in [
        ("SHA512", None),
        ("SHA256", None),
        ("SHA1", Some("sha1")),
        ("MD5", Some("md5")),
    ] {
        let (_tmp, dist) = temp_with_dist();
        populate(&dist, GPG_NAMES);
        let r = run(gpg(home.path())
            .args(["--print-md", algo])
            .args(GPG_NAMES.iter().map(|n| os(n)))
            .current_dir(&dist));
        let sums = r.ok_stdout();
        // The long name puts the digest on the next line.
        let mut long_head = LONG.to_vec();
        long_head.extend_from_slice(b": \n");
        assert!(
            crate::common::contains(&sums, &long_head),
            "gpg no longer wraps after a long name:\n{}",
            sums.escape_ascii()
        );
        // A name that hints at no algorithm: the digest length says.
        std::fs::write(dist.join("release.mds"), &sums).unwrap();
        match weak {
            None => {
                verify(&dist, "release.mds", &["--strict"])
                    .code_is(0)
                    .stdout_is(&lines(GPG_NAMES, "OK"))
                    .stderr_is(b"");
            }
            Some(name) => {
                verify(&dist, "release.mds", &[])
                    .code_is(1)
                    .stdout_is(&lines(
                        GPG_NAMES,
                        &format!(
                            "FAILED (only {name} matched, a weak digest; --allow-weak accepts it)"
                        ),
                    ))
                    .stderr_has("WARNING: 5 files are covered only by MD5 or SHA-1");
                verify(&dist, "release.mds", &["--allow-weak"])
                    .code_is(0)
                    .stdout_is(&lines(GPG_NAMES, &format!("OK ({name} only, weak)")));
            }
        }
    }
}

#[test]
fn gpg_print_md_wrapped_record_mismatch_is_detected() {
    // A wrapped record whose last continuation line is altered must fail,
    // proving the continuation lines are part of the digest.
    let home = tempfile::tempdir().unwrap();
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[SPACE]);
    let sums = run(gpg(home.path())
        .args(["--print-md", "SHA512"])
        .arg(os(SPACE))
        .current_dir(&dist))
    .ok_stdout();
    let mut text = sums.clone();
    // The last hex digit before the final newline.
    let i = text.len() - 2;
    text[i] = if text[i] == b'0' { b'1' } else { b'0' };
    std::fs::write(dist.join("release.mds"), &text).unwrap();
    verify(&dist, "release.mds", &[])
        .code_is(1)
        .stdout_is(&line(SPACE, "FAILED"));
}

#[test]
fn coreutils_cr_name_is_refused() {
    // coreutils writes `\HEX  carriage\rreturn.txt`; the name holds a
    // control character (0x0d), which docs/verify-checksums.md refuses,
    // printed escaped.
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN, CR]);
    let sums = peer_output("sha256sum", &[], &dist, &[PLAIN, CR]);
    assert!(sums.contains(&b'\\'), "coreutils escapes a CR");
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    let mut expected = line(PLAIN, "OK");
    expected.extend(line(CR, "FAILED (name contains control character 0x0d)"));
    verify(&dist, "SHA256SUMS", &[])
        .code_is(1)
        .stdout_is(&expected)
        .stderr_is(b"apostille: WARNING: 1 line was refused (unsafe name)\n");
}
