//! Hostile checksum lists: names that leave the folder through a symbolic
//! link, names that reach a device that never ends, and names built to
//! rewrite what a terminal shows, in every layout.

use super::*;

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("release");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(top.path().join("outside"), b"").unwrap();
    (top, dir)
}

#[test]
fn a_symlink_out_of_the_folder_is_refused_like_dotdot() {
    let (_top, dir) = folder();
    std::os::unix::fs::symlink("../outside", dir.join("link.txt")).unwrap();
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{EMPTY_SHA256}  link.txt\n"),
    )
    .unwrap();
    let r = bounded(&dir, ["verify", "checksums", "SHA256SUMS"]);
    clean(&r).code_is(1);
    assert!(
        crate::common::contains(&r.stdout, b"link.txt: FAILED (a symbolic link leads out"),
        "{}",
        r.streams()
    );
}

#[test]
fn a_symlinked_folder_out_of_the_folder_is_refused() {
    let (_top, dir) = folder();
    std::os::unix::fs::symlink("..", dir.join("up")).unwrap();
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{EMPTY_SHA256}  up/outside\n"),
    )
    .unwrap();
    let r = bounded(&dir, ["verify", "checksums", "SHA256SUMS"]);
    clean(&r).code_is(1);
    assert!(
        crate::common::contains(&r.stdout, b"up/outside: FAILED (a symbolic link leads out"),
        "{}",
        r.streams()
    );
}

#[test]
fn a_symlink_to_dev_zero_is_not_read_forever() {
    let (_top, dir) = folder();
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.bin")).unwrap();
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{EMPTY_SHA256}  zero.bin\n"),
    )
    .unwrap();
    let r = bounded(&dir, ["verify", "checksums", "SHA256SUMS"]);
    clean(&r).code_is(1);
    assert!(
        crate::common::contains(
            &r.stdout,
            b"zero.bin: FAILED (not a regular file (a character device))"
        ),
        "{}",
        r.streams()
    );
}

#[test]
fn terminal_control_names_are_never_echoed_raw_in_any_layout() {
    let (_top, dir) = folder();
    let hostile = [
        "FAKE: OK\rreal",
        "esc\x1b[2Jname",
        "bell\x07",
        "osc\x1b]0;title\x07",
    ];
    for (layout, line) in [
        ("gnu", "{H}  {N}\n"),
        ("bsd", "SHA256 ({N}) = {H}\n"),
        ("openssl", "SHA2-256({N})= {H}\n"),
    ] {
        let mut list = String::new();
        for n in hostile {
            list.push_str(&line.replace("{H}", EMPTY_SHA256).replace("{N}", n));
        }
        std::fs::write(dir.join("SUMS"), list).unwrap();
        let r = bounded(&dir, ["verify", "checksums", "SUMS"]);
        clean(&r);
        assert_ne!(r.code(), 0, "{layout}: {}", r.streams());
    }
}

#[test]
fn a_million_lines_of_absent_files_fail_within_the_memory_limit() {
    // 75 MB of lines naming files that do not exist: each is found absent
    // when its name is resolved, and costs no read. (Before, 3.4 M such
    // lines peaked at 5.2 GB.)
    let (_top, dir) = folder();
    let mut list = Vec::with_capacity(76_000_000);
    for i in 0..1_000_000 {
        list.extend_from_slice(format!("{EMPTY_SHA256}  m{i:07}\n").as_bytes());
    }
    std::fs::write(dir.join("SHA256SUMS"), &list).unwrap();
    drop(list);
    let r = bounded(&dir, ["--quiet", "verify", "checksums", "SHA256SUMS"]);
    clean(&r).code_is(1);
    assert!(crate::common::contains(
        &r.stdout,
        b"m0999999: FAILED open or read"
    ));
    assert!(
        crate::common::contains(&r.stderr, b"1000000 listed files could not be read"),
        "{}",
        String::from_utf8_lossy(&r.stderr[r.stderr.len().saturating_sub(500)..])
    );
}

#[test]
fn a_hundred_megabyte_name_is_refused_and_not_echoed_whole() {
    let (_top, dir) = folder();
    let mut list = format!("{EMPTY_SHA256}  ").into_bytes();
    list.resize(list.len() + 100_000_000, b'n');
    list.push(b'\n');
    std::fs::write(dir.join("SHA256SUMS"), &list).unwrap();
    let r = bounded(&dir, ["verify", "checksums", "SHA256SUMS"]);
    clean(&r).code_is(1);
    let out = r.streams();
    assert!(
        out.contains("longer than any path (4096)"),
        "{}",
        &out[..out.len().min(600)]
    );
    assert!(
        r.stdout.len() + r.stderr.len() < 10_000,
        "{} bytes echoed",
        r.stdout.len() + r.stderr.len()
    );
}

#[test]
fn symlink_loops_and_dangling_links_fail_without_hanging() {
    let (_top, dir) = folder();
    std::os::unix::fs::symlink("loop-b", dir.join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", dir.join("loop-b")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.join("dangling")).unwrap();
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{EMPTY_SHA256}  loop-a\n{EMPTY_SHA256}  dangling\n"),
    )
    .unwrap();
    let r = bounded(&dir, ["verify", "checksums", "SHA256SUMS"]);
    clean(&r).code_is(1);
    let out = r.streams();
    assert!(out.contains("loop-a: FAILED open or read"), "{out}");
    assert!(out.contains("dangling: FAILED open or read"), "{out}");
    assert!(out.contains("symbolic links"), "{out}");
}

#[test]
fn wrong_length_and_truncated_digests_are_improperly_formatted_lines() {
    let (_top, dir) = folder();
    std::fs::write(dir.join("a"), b"").unwrap();
    let cut = &EMPTY_SHA256[..63];
    let long = format!("{EMPTY_SHA256}0");
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{cut}  a\n{long}  a\n  a\nSHA256 (a) = {cut}\n"),
    )
    .unwrap();
    let r = bounded(&dir, ["verify", "checksums", "--strict", "SHA256SUMS"]);
    clean(&r);
    assert_ne!(r.code(), 0, "{}", r.streams());
    assert!(
        !crate::common::contains(&r.stdout, b"a: OK"),
        "{}",
        r.streams()
    );
}
