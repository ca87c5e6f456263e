//! Inputs given by name that are not files: a FIFO no one writes to (which
//! once held `open` forever), a device that never ends, a directory. Each
//! is refused or read as empty at once, and the error names the file.

use super::*;
use crate::common::{feed_fifo, peer, run};

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file.txt"), b"payload\n").unwrap();
    std::fs::write(dir.path().join("file.txt.asc"), b"").unwrap();
    std::fs::write(dir.path().join("KEYS"), b"").unwrap();
    dir
}

/// Neither 0 nor a crash, and the file is named.
fn fails_naming(run: &Run, file: &str) {
    let code = run.code();
    assert!(code == 1 || code == 2, "exit {code}\n{}", run.streams());
    refused(run, code, &[file]);
}

#[test]
fn keys_fifo_without_writer_does_not_hang_verify_pgp() {
    let dir = setup();
    fifo(&dir.path().join("KEYS.fifo"));
    let r = bounded(
        dir.path(),
        [
            "verify",
            "pgp",
            "--keys",
            "KEYS.fifo",
            "file.txt.asc",
            "file.txt",
        ],
    );
    refused(
        &r,
        2,
        &["KEYS.fifo: cannot read: a FIFO no one wrote to within 10 s"],
    );
}

#[test]
fn keys_fifo_without_writer_does_not_hang_keys_check() {
    let dir = setup();
    fifo(&dir.path().join("KEYS.fifo"));
    let r = bounded(dir.path(), ["keys", "check", "KEYS.fifo"]);
    refused(&r, 2, &["KEYS.fifo: cannot read: a FIFO no one wrote to"]);
}

#[test]
fn signature_fifo_without_writer_does_not_hang() {
    // A real certificate, so that the signature is read at all.
    let Some(keys) = crate::common::vectors("openpgp/curl/signing-key.asc") else {
        return;
    };
    let dir = setup();
    fifo(&dir.path().join("sig.fifo"));
    let keys = keys.to_string_lossy().into_owned();
    let r = bounded(
        dir.path(),
        ["verify", "pgp", "--keys", &keys, "sig.fifo", "file.txt"],
    );
    refused(&r, 2, &["sig.fifo: cannot read: a FIFO no one wrote to"]);
}

#[test]
fn keys_from_dev_zero_is_refused_unread() {
    let dir = setup();
    let r = bounded(
        dir.path(),
        [
            "verify",
            "pgp",
            "--keys",
            "/dev/zero",
            "file.txt.asc",
            "file.txt",
        ],
    );
    refused(
        &r,
        2,
        &["/dev/zero: not a regular file (a character device)"],
    );
}

#[test]
fn keys_that_are_a_directory_are_refused() {
    let dir = setup();
    std::fs::create_dir(dir.path().join("keys.d")).unwrap();
    let r = bounded(dir.path(), ["keys", "check", "keys.d"]);
    refused(&r, 2, &["keys.d: not a regular file (a directory)"]);
}

#[test]
fn bundle_fifo_without_writer_does_not_hang() {
    let dir = setup();
    fifo(&dir.path().join("b.fifo"));
    std::fs::write(dir.path().join("k.pub"), b"").unwrap();
    let r = bounded(
        dir.path(),
        [
            "verify", "bundle", "--bundle", "b.fifo", "--key", "k.pub", "file.txt",
        ],
    );
    fails_naming(&r, "b.fifo");
}

#[test]
fn archive_fifo_without_writer_does_not_hang() {
    let dir = setup();
    fifo(&dir.path().join("a.tar"));
    let r = bounded(dir.path(), ["sbom", "archive", "a.tar"]);
    fails_naming(&r, "a.tar");
}

#[test]
fn archive_fifo_with_writer_is_read_in_one_pass() {
    // The archive once was opened twice (once to tell its format), so a
    // FIFO with a writer never finished: the second open waited for a
    // writer that had gone.
    let dir = setup();
    run(peer("tar").current_dir(dir.path()).args([
        "--format=ustar",
        "-cf",
        "real.tar",
        "file.txt",
    ]))
    .code_is(0);
    let tar = std::fs::read(dir.path().join("real.tar")).unwrap();
    let pipe = dir.path().join("a.tar");
    fifo(&pipe);
    let writer = feed_fifo(pipe, tar);
    let r = bounded(dir.path(), ["sbom", "archive", "a.tar"]);
    assert!(writer.join().unwrap(), "the archive was never read");
    clean(&r).code_is(0);
    assert!(
        crate::common::contains(&r.stdout, b"file.txt"),
        "{}",
        r.streams()
    );
}

#[test]
fn config_and_checksum_list_fifos_or_devices_do_not_hang() {
    let dir = setup();
    std::fs::create_dir(dir.path().join("dist")).unwrap();
    std::fs::write(dir.path().join("dist/a-1.0.tar.gz"), b"a").unwrap();
    fifo(&dir.path().join("apostille.toml"));
    let r = bounded(
        dir.path(),
        ["release", "--config", "apostille.toml", "dist"],
    );
    refused(
        &r,
        2,
        &["apostille.toml: cannot read: a FIFO no one wrote to within 10 s"],
    );
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("SUMS")).unwrap();
    let r = bounded(dir.path(), ["verify", "checksums", "SUMS"]);
    refused(&r, 2, &["SUMS", "not a regular file (a character device)"]);
}
