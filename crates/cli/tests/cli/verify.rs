//! `apostille verify checksums` held to docs/verify-checksums.md: output
//! lines, closing warnings, exit status, where names point, which names are
//! refused.

use std::path::Path;

use crate::common::{
    BACKSLASH, NEWLINE, NON_UTF8, PLAIN, SPACE, apostille, create, line, lines, os, peer_output,
    populate, run, run_stdin, temp_with_dist,
};

/// `sha256sum` lines for `names` in `dir`.
fn sha256_lines(dir: &Path, names: &[&[u8]]) -> Vec<u8> {
    peer_output("sha256sum", &[], dir, names)
}

/// The SHA-256 of `dir/name`, in hex, from `sha256sum`.
fn sha256_hex(dir: &Path, name: &[u8]) -> String {
    let out = sha256_lines(dir, &[name]);
    let start = usize::from(out.first() == Some(&b'\\'));
    String::from_utf8(out[start..start + 64].to_vec()).unwrap()
}

fn verify() -> std::process::Command {
    let mut c = apostille();
    c.args(["verify", "checksums"]);
    c
}

/// A digest that matches nothing.
const WRONG: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn mismatch_prints_failed_and_the_coreutils_warning() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN, SPACE]);
    let mut sums = sha256_lines(&dist, &[PLAIN, SPACE]);
    std::fs::write(dist.join(os(SPACE)), b"changed").unwrap();
    sums.extend(format!("{WRONG}  {}\n", "plain-1.0.tar.gz").as_bytes());
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    let mut expected = line(PLAIN, "OK");
    expected.extend(line(SPACE, "FAILED"));
    expected.extend(line(PLAIN, "FAILED"));
    run(verify()
        .arg("dist/SHA256SUMS")
        .current_dir(dist.parent().unwrap()))
    .code_is(1)
    .stdout_is(&expected)
    .stderr_is(b"apostille: WARNING: 2 computed checksums did NOT match\n");

    // One mismatch: the singular.
    std::fs::write(
        dist.join("SHA256SUMS"),
        format!("{WRONG}  plain-1.0.tar.gz\n"),
    )
    .unwrap();
    run(verify().arg("SHA256SUMS").current_dir(&dist))
        .code_is(1)
        .stdout_is(&line(PLAIN, "FAILED"))
        .stderr_is(b"apostille: WARNING: 1 computed checksum did NOT match\n");
}

#[test]
fn missing_file_is_failed_open_or_read() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN]);
    let mut sums = sha256_lines(&dist, &[PLAIN]);
    sums.extend(format!("{WRONG}  gone.tar.gz\n").as_bytes());
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    let mut expected = line(PLAIN, "OK");
    expected.extend(b"gone.tar.gz: FAILED open or read\n");
    run(verify().arg("SHA256SUMS").current_dir(&dist))
        .code_is(1)
        .stdout_is(&expected)
        .stderr_has("apostille: ./gone.tar.gz: cannot open: ")
        .stderr_has("apostille: WARNING: 1 listed file could not be read\n");
}

#[test]
fn ignore_missing() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN]);
    let mut sums = sha256_lines(&dist, &[PLAIN]);
    sums.extend(format!("{WRONG}  gone.tar.gz\n").as_bytes());
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    // The missing file prints nothing; one verified file is enough.
    run(verify()
        .args(["--ignore-missing", "SHA256SUMS"])
        .current_dir(&dist))
    .code_is(0)
    .stdout_is(&line(PLAIN, "OK"))
    .stderr_is(b"");

    // Nothing verified: a failure.
    std::fs::write(
        dist.join("ONLY_GONE.sha256"),
        format!("{WRONG}  gone.tar.gz\n"),
    )
    .unwrap();
    run(verify()
        .args(["--ignore-missing", "ONLY_GONE.sha256"])
        .current_dir(&dist))
    .code_is(1)
    .stdout_is(b"")
    .stderr_is(b"apostille: no file was verified\n");
}

#[test]
fn quiet_drops_ok_lines_only() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN, SPACE]);
    let sums = sha256_lines(&dist, &[PLAIN, SPACE]);
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    // --quiet is global: before or after the subcommand.
    for args in [
        &["--quiet", "verify", "checksums", "SHA256SUMS"][..],
        &["verify", "checksums", "-q", "SHA256SUMS"][..],
    ] {
        run(apostille().args(args).current_dir(&dist))
            .code_is(0)
            .stdout_is(b"")
            .stderr_is(b"");
    }
    std::fs::write(dist.join(os(SPACE)), b"changed").unwrap();
    run(apostille()
        .args(["-q", "verify", "checksums", "SHA256SUMS"])
        .current_dir(&dist))
    .code_is(1)
    .stdout_is(&line(SPACE, "FAILED"))
    .stderr_is(b"apostille: WARNING: 1 computed checksum did NOT match\n");
}

#[test]
fn status_prints_nothing() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN, SPACE]);
    let mut sums = sha256_lines(&dist, &[PLAIN, SPACE]);
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    run(verify().args(["--status", "SHA256SUMS"]).current_dir(&dist))
        .code_is(0)
        .stdout_is(b"")
        .stderr_is(b"");
    // A mismatch, a missing file, a refused name and a malformed line:
    // still nothing, even with --warn.
    sums.extend(
        format!("{WRONG}  plain-1.0.tar.gz\n{WRONG}  gone\n{WRONG}  ../up\nnonsense\n").as_bytes(),
    );
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    run(verify()
        .args(["--status", "--warn", "SHA256SUMS"])
        .current_dir(&dist))
    .code_is(1)
    .stdout_is(b"")
    .stderr_is(b"");
}

#[test]
fn malformed_lines_warn_strict_fails_warn_names_the_line() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN, SPACE]);
    let mut sums = sha256_lines(&dist, &[PLAIN]);
    sums.extend(b"this is not a checksum line\n");
    sums.extend(b"# a comment, ignored\n\n");
    sums.extend(sha256_lines(&dist, &[SPACE]));
    // One space between digest and name: not accepted, as in coreutils.
    sums.extend(format!("{} plain-1.0.tar.gz\n", sha256_hex(&dist, PLAIN)).as_bytes());
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    let ok = [line(PLAIN, "OK"), line(SPACE, "OK")].concat();

    run(verify().arg("SHA256SUMS").current_dir(&dist))
        .code_is(0)
        .stdout_is(&ok)
        .stderr_is(b"apostille: WARNING: 2 lines are improperly formatted\n");
    run(verify().args(["--strict", "SHA256SUMS"]).current_dir(&dist))
        .code_is(1)
        .stdout_is(&ok)
        .stderr_is(b"apostille: WARNING: 2 lines are improperly formatted\n");
    let r = run(verify().args(["-w", "SHA256SUMS"]).current_dir(&dist));
    r.code_is(0)
        .stdout_is(&ok)
        .stderr_has("apostille: SHA256SUMS: 2: improperly formatted checksum line (")
        .stderr_has("apostille: SHA256SUMS: 6: improperly formatted checksum line (")
        .stderr_has("apostille: WARNING: 2 lines are improperly formatted\n");
    assert!(
        !crate::common::contains(&r.stderr, b"SHA256SUMS: 3:"),
        "a comment is not malformed\n{}",
        r.streams()
    );
}

#[test]
fn names_outside_the_folder_are_refused_unless_allow_outside() {
    let (tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN]);
    create(tmp.path(), b"up.txt");
    let up = sha256_hex(tmp.path(), b"up.txt");
    let passwd = sha256_hex(Path::new("/etc"), b"passwd");
    let abs = tmp.path().join("up.txt");
    let mut sums = sha256_lines(&dist, &[PLAIN]);
    sums.extend(
        format!(
            "{up}  ../up.txt\n{passwd}  /etc/passwd\n{up}  {}\n",
            abs.display()
        )
        .as_bytes(),
    );
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();

    let mut expected = line(PLAIN, "OK");
    expected.extend(b"../up.txt: FAILED (path contains `..` (use --allow-outside to accept))\n");
    expected.extend(b"/etc/passwd: FAILED (absolute path (use --allow-outside to accept))\n");
    expected.extend(abs.as_os_str().as_encoded_bytes());
    expected.extend(b": FAILED (absolute path (use --allow-outside to accept))\n");
    run(verify().arg("SHA256SUMS").current_dir(&dist))
        .code_is(1)
        .stdout_is(&expected)
        .stderr_is(b"apostille: WARNING: 3 lines were refused (unsafe name)\n");

    let mut expected = line(PLAIN, "OK");
    expected.extend(b"../up.txt: OK\n/etc/passwd: OK\n");
    expected.extend(abs.as_os_str().as_encoded_bytes());
    expected.extend(b": OK\n");
    run(verify()
        .args(["--allow-outside", "SHA256SUMS"])
        .current_dir(&dist))
    .code_is(0)
    .stdout_is(&expected)
    .stderr_is(b"");
}

/// A file named with an ESC (a terminal escape sequence), listed with its
/// correct digest.
fn esc_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, dist) = temp_with_dist();
    let esc: &[u8] = b"evil\x1b[2Jname.txt";
    populate(&dist, &[PLAIN, esc]);
    let sums = sha256_lines(&dist, &[PLAIN, esc]);
    std::fs::write(dist.join("SHA256SUMS"), &sums).unwrap();
    (tmp, dist)
}

#[test]
fn a_name_with_an_escape_character_is_refused() {
    let (_tmp, dist) = esc_fixture();
    let r = run(verify().arg("SHA256SUMS").current_dir(&dist));
    r.code_is(1)
        .stdout_has(&line(PLAIN, "OK"))
        .stdout_has(b"name.txt: FAILED (name contains control character 0x1b)\n")
        .stderr_is(b"apostille: WARNING: 1 line was refused (unsafe name)\n");
    // Refused even when outside names are allowed.
    run(verify()
        .args(["--allow-outside", "SHA256SUMS"])
        .current_dir(&dist))
    .code_is(1);
}

#[test]
fn a_refused_escape_character_is_not_printed_raw() {
    let (_tmp, dist) = esc_fixture();
    let r = run(verify().arg("SHA256SUMS").current_dir(&dist));
    r.code_is(1);
    for stream in [&r.stdout, &r.stderr] {
        assert!(!stream.contains(&0x1b), "raw ESC printed\n{}", r.streams());
    }
}

#[test]
fn an_unreadable_checksum_file_is_exit_2_naming_it() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN]);
    std::fs::write(dist.join("SHA256SUMS"), sha256_lines(&dist, &[PLAIN])).unwrap();
    run(verify().arg("NOPE.sha256").current_dir(&dist))
        .code_is(2)
        .stdout_is(b"")
        .stderr_has("apostille: NOPE.sha256: cannot read checksum file: ");
    // The other checksum files are still checked.
    run(verify()
        .args(["NOPE.sha256", "SHA256SUMS"])
        .current_dir(&dist))
    .code_is(2)
    .stdout_is(&line(PLAIN, "OK"))
    .stderr_has("NOPE.sha256: cannot read checksum file");
}

#[test]
fn a_checksum_file_with_no_valid_line_is_exit_2() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("JUNK"), b"hello\nworld\n").unwrap();
    run(verify().arg("JUNK").current_dir(&dist))
        .code_is(2)
        .stdout_is(b"")
        .stderr_is(
            b"apostille: WARNING: 2 lines are improperly formatted\n\
              apostille: JUNK: no properly formatted checksum lines found\n",
        );
    std::fs::write(dist.join("EMPTY"), b"").unwrap();
    run(verify().arg("EMPTY").current_dir(&dist))
        .code_is(2)
        .stderr_has("EMPTY: no properly formatted checksum lines found");
}

#[test]
fn checksum_lines_from_standard_input_resolve_against_the_current_folder() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN, SPACE]);
    let sums = sha256_lines(&dist, &[PLAIN, SPACE]);
    let ok = lines(&[PLAIN, SPACE], "OK");
    run_stdin(verify().arg("-").current_dir(&dist), &sums)
        .code_is(0)
        .stdout_is(&ok)
        .stderr_is(b"");
    // No file at all: standard input too.
    run_stdin(verify().current_dir(&dist), &sums)
        .code_is(0)
        .stdout_is(&ok);
    // From the folder above, the names point nowhere.
    run_stdin(verify().current_dir(dist.parent().unwrap()), &sums)
        .code_is(1)
        .stdout_is(&lines(&[PLAIN, SPACE], "FAILED open or read"));
}

#[test]
fn names_resolve_against_the_checksum_files_folder() {
    let (tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN]);
    std::fs::write(dist.join("SHA256SUMS"), sha256_lines(&dist, &[PLAIN])).unwrap();
    // A decoy with the same name in the current folder is not read.
    std::fs::write(tmp.path().join(os(PLAIN)), b"decoy").unwrap();
    run(verify().arg("dist/SHA256SUMS").current_dir(tmp.path()))
        .code_is(0)
        .stdout_is(&line(PLAIN, "OK"));
    // An absolute path to the checksum file, from an unrelated folder.
    let elsewhere = tempfile::tempdir().unwrap();
    run(verify()
        .arg(dist.join("SHA256SUMS"))
        .current_dir(elsewhere.path()))
    .code_is(0)
    .stdout_is(&line(PLAIN, "OK"));
}

#[test]
fn escaped_names_are_printed_escaped() {
    let (_tmp, dist) = temp_with_dist();
    let names: &[&[u8]] = &[NEWLINE, BACKSLASH, NON_UTF8];
    populate(&dist, names);
    std::fs::write(dist.join("SHA256SUMS"), sha256_lines(&dist, names)).unwrap();
    run(verify().arg("SHA256SUMS").current_dir(&dist))
        .code_is(0)
        .stdout_is(b"\\new\\nline.txt: OK\n\\back\\\\slash.txt: OK\ncaf\xe9 \xff.bin: OK\n");
}

#[test]
fn a_bare_sidecar_names_its_file() {
    let (_tmp, dist) = temp_with_dist();
    populate(&dist, &[PLAIN]);
    let sha512 = peer_output("sha512sum", &[], &dist, &[PLAIN]);
    std::fs::write(dist.join("plain-1.0.tar.gz.sha512"), &sha512[..128]).unwrap();
    run(verify()
        .arg("dist/plain-1.0.tar.gz.sha512")
        .current_dir(dist.parent().unwrap()))
    .code_is(0)
    .stdout_is(&line(PLAIN, "OK"))
    .stderr_is(b"");
}

#[test]
fn layouts_may_be_mixed_in_one_file_with_crlf_line_ends() {
    let (_tmp, dist) = temp_with_dist();
    let names: &[&[u8]] = &[PLAIN, SPACE];
    populate(&dist, names);
    let mut text = peer_output("sha256sum", &[], &dist, names);
    text.extend(peer_output("sha512sum", &["--tag"], &dist, names));
    text.extend(peer_output("openssl", &["dgst", "-sha384"], &dist, names));
    let home = tempfile::tempdir().unwrap();
    text.extend(
        run(crate::common::gpg(home.path())
            .args(["--print-md", "SHA512"])
            .args(names.iter().map(|n| os(n)))
            .current_dir(&dist))
        .ok_stdout(),
    );
    // Windows line ends.
    let crlf: Vec<u8> = text
        .iter()
        .flat_map(|&b| {
            if b == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![b]
            }
        })
        .collect();
    std::fs::write(dist.join("CHECKSUMS"), &crlf).unwrap();
    let expected = [
        lines(names, "OK"),
        lines(names, "OK"),
        lines(names, "OK"),
        lines(names, "OK"),
    ]
    .concat();
    run(verify().args(["--strict", "CHECKSUMS"]).current_dir(&dist))
        .code_is(0)
        .stdout_is(&expected)
        .stderr_is(b"");
}
