//! What `apostille checksums` and `apostille hash` write must be what the
//! peers write (byte for byte where the layout is theirs) and must pass
//! their `-c`, over awkward file names.
//!
//! Name support differs per peer, found with coreutils 9.1 and b3sum 1.2.0:
//! coreutils handles every name here (it escapes `\`, newline and CR);
//! b3sum cannot read a non-UTF-8 name at all and rejects the `\r` escape
//! (it writes a CR raw), so its tests leave those two names out.

use std::path::Path;

use crate::common::{
    BACKSLASH, CR, NESTED, NEWLINE, NON_UTF8, PLAIN, SPACE, apostille, count, os, peer,
    peer_output, populate, run, run_stdin, temp_with_dist, walk_order,
};

/// Every awkward name coreutils handles.
const COREUTILS_NAMES: &[&[u8]] = &[PLAIN, SPACE, NEWLINE, BACKSLASH, CR, NON_UTF8, NESTED];
/// The names b3sum 1.2.0 handles.
const B3SUM_NAMES: &[&[u8]] = &[PLAIN, SPACE, NEWLINE, BACKSLASH, NESTED];

/// The coreutils tool for each algorithm, and the file `--output-dir`
/// writes for it.
const COREUTILS: [(&str, &str, &str); 4] = [
    ("sha256", "sha256sum", "SHA256SUMS"),
    ("sha512", "sha512sum", "SHA512SUMS"),
    ("md5", "md5sum", "MD5SUMS"),
    ("sha1", "sha1sum", "SHA1SUMS"),
];

/// Asserts that `program -c --strict file` (run in `dir`) passes and says
/// OK `n` times.
fn peer_checks(program: &str, dir: &Path, file: &str, n: usize) {
    let mut cmd = peer(program);
    if program != "b3sum" {
        // b3sum 1.2.0 has no --strict (it is always strict).
        cmd.arg("--strict");
    }
    let r = run(cmd.arg("-c").arg(file).current_dir(dir));
    r.code_is(0);
    assert_eq!(count(&r.stdout, b": OK\n"), n, "{}", r.streams());
    assert_eq!(count(&r.stdout, b"FAILED"), 0, "{}", r.streams());
}

#[test]
fn output_dir_files_are_what_coreutils_writes_and_pass_its_check() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, COREUTILS_NAMES);
    run(apostille()
        .args(["checksums", "-a", "sha256,sha512,md5,sha1,blake3"])
        .args(["--output-dir", ".", "."])
        .current_dir(&dist))
    .code_is(0)
    .stdout_is(b"")
    .stderr_has("wrote ./SHA256SUMS (7 files)")
    .stderr_has("writing md5, a legacy digest");
    let order = walk_order(COREUTILS_NAMES);
    for (_, program, file) in COREUTILS {
        let ours = std::fs::read(dist.join(file)).unwrap();
        let theirs = peer_output(program, &[], &dist, &order);
        assert!(
            ours == theirs,
            "{file} differs from `{program}` output\n--- ours:\n{}\n--- {program}:\n{}",
            ours.escape_ascii(),
            theirs.escape_ascii()
        );
        peer_checks(program, &dist, file, COREUTILS_NAMES.len());
    }
    assert!(dist.join("B3SUMS").is_file());
}

#[test]
fn b3sums_is_what_b3sum_writes_and_passes_its_check() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, B3SUM_NAMES);
    run(apostille()
        .args(["-q", "checksums", "-a", "blake3", "--output-dir", ".", "."])
        .current_dir(&dist))
    .code_is(0)
    .stderr_is(b"");
    let ours = std::fs::read(dist.join("B3SUMS")).unwrap();
    let theirs = peer_output("b3sum", &[], &dist, &walk_order(B3SUM_NAMES));
    assert!(
        ours == theirs,
        "B3SUMS differs from b3sum\n--- ours:\n{}\n--- b3sum:\n{}",
        ours.escape_ascii(),
        theirs.escape_ascii()
    );
    peer_checks("b3sum", &dist, "B3SUMS", B3SUM_NAMES.len());

    // `-o` from the folder above, names given in an unsorted order.
    let given: Vec<&[u8]> = B3SUM_NAMES.iter().rev().copied().collect();
    run(apostille()
        .args([
            "-q",
            "checksums",
            "-a",
            "blake3",
            "-o",
            "dist/release.b3sums",
        ])
        .args(given.iter().map(|n| dist.join(os(n))))
        .current_dir(dist.parent().unwrap()))
    .code_is(0);
    assert_eq!(
        std::fs::read(dist.join("release.b3sums")).unwrap(),
        peer_output("b3sum", &[], &dist, &given)
    );
    peer_checks("b3sum", &dist, "release.b3sums", given.len());
}

#[test]
fn dash_o_from_another_folder_lists_names_relative_to_the_file() {
    let (tmp, dist) = temp_with_dist();
    populate(&dist, COREUTILS_NAMES);
    // Named explicitly, in an unsorted order: listed in the order given.
    let given: Vec<&[u8]> = COREUTILS_NAMES.iter().rev().copied().collect();
    let args: Vec<_> = given.iter().map(|n| dist.join(os(n))).collect();
    // The default algorithm is SHA-512.
    run(apostille()
        .args(["checksums", "-o", "dist/SHA512SUMS"])
        .args(&args)
        .current_dir(tmp.path()))
    .code_is(0)
    .stdout_is(b"")
    // The CR name is written (coreutils checks it) with a warning that
    // apostille verify refuses it.
    .stderr_is(
        b"apostille: warning: carriage\\rreturn.txt: the name holds control character 0x0d; \
          coreutils can check it, apostille verify refuses it\n\
          wrote dist/SHA512SUMS (7 files)\n",
    );
    let ours = std::fs::read(dist.join("SHA512SUMS")).unwrap();
    assert_eq!(ours, peer_output("sha512sum", &[], &dist, &given));
    peer_checks("sha512sum", &dist, "SHA512SUMS", given.len());

    for (algo, program, file) in COREUTILS {
        let out = format!("dist/{file}");
        run(apostille()
            .args(["-q", "checksums", "-a", algo, "-o", &out])
            .args(&args)
            .current_dir(tmp.path()))
        .code_is(0);
        let ours = std::fs::read(dist.join(file)).unwrap();
        assert_eq!(ours, peer_output(program, &[], &dist, &given), "{file}");
        peer_checks(program, &dist, file, given.len());
    }
}

#[test]
fn sidecars_are_what_the_peers_write_and_pass_their_check() {
    let (tmp, dist) = temp_with_dist();
    let names: &[&[u8]] = &[PLAIN, SPACE, NEWLINE, BACKSLASH, CR, NON_UTF8];
    populate(&dist, names);
    let args: Vec<_> = names.iter().map(|n| dist.join(os(n))).collect();
    let r = run(apostille()
        .args([
            "checksums",
            "--sidecar",
            "-a",
            "sha256,sha512,md5,sha1,blake3",
        ])
        .args(&args)
        .current_dir(tmp.path()));
    r.code_is(0).stdout_is(b"");
    // One `wrote` line per sidecar, plus the two legacy warnings.
    assert_eq!(
        count(&r.stderr, b"\nwrote "),
        names.len() * 5,
        "{}",
        r.streams()
    );

    let mut tools: Vec<(&str, &str)> = COREUTILS.iter().map(|&(a, p, _)| (a, p)).collect();
    tools.push(("b3", "b3sum"));
    for name in names {
        for &(ext, program) in &tools {
            if program == "b3sum" && !B3SUM_NAMES.contains(name) {
                continue;
            }
            let mut sidecar = name.to_vec();
            sidecar.push(b'.');
            sidecar.extend_from_slice(ext.as_bytes());
            let ours = std::fs::read(dist.join(os(&sidecar))).unwrap();
            // The sidecar lists the base name: what the peer prints when
            // run in the artifact's folder.
            assert_eq!(
                ours,
                peer_output(program, &[], &dist, &[name]),
                "{}",
                sidecar.escape_ascii()
            );
            let r = run(peer(program).arg("-c").arg(os(&sidecar)).current_dir(&dist));
            r.code_is(0);
            assert_eq!(count(&r.stdout, b": OK\n"), 1, "{}", r.streams());
        }
    }
}

#[test]
fn bsd_sidecars_are_what_tag_writes_and_pass_the_check() {
    let (_tmp, dist) = temp_with_dist();
    let names: &[&[u8]] = &[PLAIN, SPACE, NEWLINE, BACKSLASH, CR, NON_UTF8];
    populate(&dist, names);
    run(apostille()
        .args([
            "-q",
            "checksums",
            "--sidecar",
            "--style",
            "bsd",
            "-a",
            "sha512,sha256",
        ])
        .args(names.iter().map(|n| os(n)))
        .current_dir(&dist))
    .code_is(0)
    .stdout_is(b"");
    for name in names {
        for (ext, program) in [("sha512", "sha512sum"), ("sha256", "sha256sum")] {
            let mut sidecar = name.to_vec();
            sidecar.extend_from_slice(b".");
            sidecar.extend_from_slice(ext.as_bytes());
            assert_eq!(
                std::fs::read(dist.join(os(&sidecar))).unwrap(),
                peer_output(program, &["--tag"], &dist, &[name]),
                "{}",
                sidecar.escape_ascii()
            );
            let r = run(peer(program)
                .args(["--strict", "-c"])
                .arg(os(&sidecar))
                .current_dir(&dist));
            r.code_is(0);
            assert_eq!(count(&r.stdout, b": OK\n"), 1, "{}", r.streams());
        }
    }
}

#[test]
fn bsd_style_is_what_sha512sum_tag_writes_and_passes_sha512sum_check() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, COREUTILS_NAMES);
    run(apostille()
        .args(["-q", "checksums", "--style", "bsd", "-o", "SHA512SUMS", "."])
        .current_dir(&dist))
    .code_is(0);
    let ours = std::fs::read(dist.join("SHA512SUMS")).unwrap();
    let theirs = peer_output("sha512sum", &["--tag"], &dist, &walk_order(COREUTILS_NAMES));
    assert!(
        ours == theirs,
        "--style bsd differs from sha512sum --tag\n--- ours:\n{}\n--- sha512sum:\n{}",
        ours.escape_ascii(),
        theirs.escape_ascii()
    );
    peer_checks("sha512sum", &dist, "SHA512SUMS", COREUTILS_NAMES.len());
}

#[test]
fn bsd_style_with_several_algorithms_passes_cksum_check() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, COREUTILS_NAMES);
    run(apostille()
        .args([
            "-q",
            "checksums",
            "--style",
            "bsd",
            "-a",
            "md5,sha512,sha1,sha256",
        ])
        .args(["-o", "CHECKSUMS", "."])
        .current_dir(&dist))
    .code_is(0);
    // Grouped by algorithm in apostille's order (SHA-2 first, legacy last),
    // whatever the order on the command line.
    let order = walk_order(COREUTILS_NAMES);
    let mut theirs = Vec::new();
    for program in ["sha256sum", "sha512sum", "sha1sum", "md5sum"] {
        theirs.extend(peer_output(program, &["--tag"], &dist, &order));
    }
    assert_eq!(std::fs::read(dist.join("CHECKSUMS")).unwrap(), theirs);
    // coreutils 9.1 `cksum -c` reads tagged lines of any algorithm it knows.
    peer_checks("cksum", &dist, "CHECKSUMS", COREUTILS_NAMES.len() * 4);
}

#[test]
fn hash_output_is_byte_identical_to_coreutils() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, COREUTILS_NAMES);
    // `-` is standard input; it may sit between files.
    let mut args: Vec<&[u8]> = COREUTILS_NAMES.to_vec();
    args.insert(2, b"-");
    let stdin = b"what came down the pipe\n";
    for (algo, program, _) in COREUTILS {
        let theirs = run_stdin(
            peer(program)
                .args(args.iter().map(|n| os(n)))
                .current_dir(&dist),
            stdin,
        )
        .ok_stdout();
        let ours = run_stdin(
            apostille()
                .args(["hash", "-a", algo])
                .args(args.iter().map(|n| os(n)))
                .current_dir(&dist),
            stdin,
        );
        ours.code_is(0).stdout_is(&theirs).stderr_is(b"");

        let theirs = run_stdin(
            peer(program)
                .arg("--tag")
                .args(args.iter().map(|n| os(n)))
                .current_dir(&dist),
            stdin,
        )
        .ok_stdout();
        run_stdin(
            apostille()
                .args(["hash", "--format", "bsd", "-a", algo])
                .args(args.iter().map(|n| os(n)))
                .current_dir(&dist),
            stdin,
        )
        .code_is(0)
        .stdout_is(&theirs);
    }
    // Without --algo: SHA-256, like sha256sum.
    let theirs = run_stdin(
        peer("sha256sum")
            .args(args.iter().map(|n| os(n)))
            .current_dir(&dist),
        stdin,
    )
    .ok_stdout();
    run_stdin(
        apostille()
            .arg("hash")
            .args(args.iter().map(|n| os(n)))
            .current_dir(&dist),
        stdin,
    )
    .code_is(0)
    .stdout_is(&theirs);
}

#[test]
fn hash_output_is_byte_identical_to_b3sum() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, B3SUM_NAMES);
    let mut args: Vec<&[u8]> = B3SUM_NAMES.to_vec();
    args.push(b"-");
    let stdin = b"blake3 from a pipe";
    let theirs = run_stdin(
        peer("b3sum")
            .args(args.iter().map(|n| os(n)))
            .current_dir(&dist),
        stdin,
    )
    .ok_stdout();
    run_stdin(
        apostille()
            .args(["hash", "-a", "blake3"])
            .args(args.iter().map(|n| os(n)))
            .current_dir(&dist),
        stdin,
    )
    .code_is(0)
    .stdout_is(&theirs)
    .stderr_is(b"");
}
