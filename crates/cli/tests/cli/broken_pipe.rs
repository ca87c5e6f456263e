//! A reader that stops early (`apostille hash … | head -1`) must end the
//! program quietly with status 0: no error message, no death by SIGPIPE.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{apostille, temp_with_dist};

/// Spawns `cmd` with standard output on a pipe, reads one line, closes the
/// pipe and waits. Returns the first line, the exit status and standard
/// error.
fn read_one_line_then_close(cmd: &mut Command) -> (Vec<u8>, std::process::ExitStatus, Vec<u8>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = Vec::new();
    reader.read_until(b'\n', &mut first).unwrap();
    drop(reader);
    let out = child.wait_with_output().unwrap();
    (first, out.status, out.stderr)
}

/// Enough arguments that the output (several hundred KiB) cannot fit the
/// program's buffer plus the pipe's: the program must meet the closed pipe.
fn many(name: &str) -> Vec<String> {
    vec![name.to_owned(); 4000]
}

#[test]
fn hash_into_a_closed_pipe_exits_0_quietly() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("f"), b"f").unwrap();
    let (first, status, stderr) = read_one_line_then_close(
        apostille()
            .args(["hash", "-a", "sha512"])
            .args(many("f"))
            .current_dir(&dist),
    );
    assert!(first.ends_with(b"  f\n"), "{}", first.escape_ascii());
    assert_eq!(
        status.code(),
        Some(0),
        "{status}; stderr: {}",
        stderr.escape_ascii()
    );
    assert!(stderr.is_empty(), "stderr: {}", stderr.escape_ascii());
}

#[test]
fn checksums_and_verify_into_a_closed_pipe_exit_0_quietly() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("f"), b"f").unwrap();
    let (first, status, stderr) = read_one_line_then_close(
        apostille()
            .args(["-q", "checksums", "-a", "sha512"])
            .args(many("f"))
            .current_dir(&dist),
    );
    assert!(first.ends_with(b"  f\n"), "{}", first.escape_ascii());
    assert_eq!(
        status.code(),
        Some(0),
        "{status}; stderr: {}",
        stderr.escape_ascii()
    );
    assert!(stderr.is_empty(), "stderr: {}", stderr.escape_ascii());

    // 40 000 OK lines of a long name.
    let name = "a-long-name-so-that-each-ok-line-is-long-enough.tar.gz";
    std::fs::write(dist.join(name), b"x").unwrap();
    let sum = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
    std::fs::write(
        dist.join("SHA256SUMS"),
        format!("{sum}  {name}\n").repeat(40_000),
    )
    .unwrap();
    let (first, status, stderr) = read_one_line_then_close(
        apostille()
            .args(["verify", "checksums", "SHA256SUMS"])
            .current_dir(&dist),
    );
    assert_eq!(first, format!("{name}: OK\n").into_bytes());
    assert_eq!(
        status.code(),
        Some(0),
        "{status}; stderr: {}",
        stderr.escape_ascii()
    );
    assert!(stderr.is_empty(), "stderr: {}", stderr.escape_ascii());
}
