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
