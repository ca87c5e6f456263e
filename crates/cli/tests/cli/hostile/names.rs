//! Hostile names in every checksum layout `verify checksums` reads: names
//! that climb out with `..`, absolute names, and NUL, ESC, CR and OSC
//! sequences. Each line is refused (exit 1, `FAILED (…)`; a NUL makes the
//! line unreadable, exit 2) and never read,
//! and nothing of the name reaches the terminal raw; an escaped newline, as
//! coreutils writes it, is accepted and shown escaped again.

use super::*;

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// (layout, line template): `{H}` the digest, `{N}` the name.
const LAYOUTS: &[(&str, &str)] = &[
    ("gnu text", "{H}  {N}\n"),
    ("gnu binary", "{H} *{N}\n"),
    ("bsd tag", "SHA256 ({N}) = {H}\n"),
    ("openssl", "SHA2-256({N})= {H}\n"),
];

#[test]
fn climbing_absolute_and_control_names_are_refused_in_every_layout() {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("release");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(top.path().join("outside"), b"").unwrap();
    // A NUL ends no name the parser accepts: the line is improperly
    // formatted, and a list of nothing else is unusable (exit 2).
    for (name, code, why) in [
        ("../outside", 1, "FAILED (path contains `..`"),
        ("a/../../outside", 1, "FAILED (path contains `..`"),
        ("/etc/hostname", 1, "FAILED (absolute path"),
        ("nul\0name", 2, "no properly formatted checksum lines"),
        (
            "esc\x1b[2Jname",
            1,
            "FAILED (name contains control character 0x1b",
        ),
        (
            "FAKE: OK\rreal",
            1,
            "FAILED (name contains control character 0x0d",
        ),
        (
            "osc\x1b]8;;http://x\x07link",
            1,
            "FAILED (name contains control character 0x1b",
        ),
    ] {
        for (layout, line) in LAYOUTS {
            let text = line.replace("{H}", EMPTY_SHA256).replace("{N}", name);
            std::fs::write(dir.join("SHA256SUMS"), text).unwrap();
            let r = bounded(&dir, ["verify", "checksums", "SHA256SUMS"]);
            clean(&r);
            let out = r.streams();
            assert_eq!(r.code(), code, "{layout} {name:?}: {out}");
            assert!(out.contains(why), "{layout} {name:?}: {out}");
        }
    }
}

#[test]
fn an_escaped_newline_is_read_and_shown_escaped() {
    // What `sha256sum` writes for a file named `a\nb`.
    let top = tempfile::tempdir().unwrap();
    std::fs::write(top.path().join("a\nb"), b"").unwrap();
    std::fs::write(
        top.path().join("SHA256SUMS"),
        format!("\\{EMPTY_SHA256}  a\\nb\n"),
    )
    .unwrap();
    let r = bounded(top.path(), ["verify", "checksums", "SHA256SUMS"]);
    clean(&r).code_is(0);
    assert!(
        crate::common::contains(&r.stdout, b"\\a\\nb: OK"),
        "{}",
        r.streams()
    );
}
