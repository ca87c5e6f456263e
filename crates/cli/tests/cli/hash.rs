//! `apostille hash`: inputs of every kind, folder walks, output layouts,
//! errors, and engine options that must not change the output.

use crate::common::{apostille, os, peer, peer_output, run, run_stdin, temp_with_dist};

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn standard_input_with_dash_and_with_no_argument() {
    let input = b"some bytes on standard input\n";
    let theirs = run_stdin(&mut peer("sha256sum"), input).ok_stdout();
    assert!(theirs.ends_with(b"  -\n"));
    run_stdin(apostille().arg("hash"), input)
        .code_is(0)
        .stdout_is(&theirs)
        .stderr_is(b"");
    run_stdin(apostille().args(["hash", "-"]), input)
        .code_is(0)
        .stdout_is(&theirs);
    // Standard input closed at once: the empty input.
    run(apostille().arg("hash"))
        .code_is(0)
        .stdout_is(format!("{EMPTY_SHA256}  -\n").as_bytes());
}

#[test]
fn empty_file_and_dev_null() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("empty"), b"").unwrap();
    run(apostille()
        .args(["hash", "empty", "/dev/null"])
        .current_dir(&dist))
    .code_is(0)
    .stdout_is(format!("{EMPTY_SHA256}  empty\n{EMPTY_SHA256}  /dev/null\n").as_bytes())
    .stderr_is(b"");
    let theirs = peer_output("b3sum", &[], &dist, &[b"empty", b"/dev/null"]);
    run(apostille()
        .args(["hash", "-a", "blake3", "empty", "/dev/null"])
        .current_dir(&dist))
    .code_is(0)
    .stdout_is(&theirs);
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifo_named_explicitly_is_read_as_a_stream() {
    let (_tmp, dist) = temp_with_dist();
    let fifo = dist.join("pipe");
    crate::common::mkfifo(&fifo);
    let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(dist.join("same-bytes"), &data).unwrap();
    let writer = crate::common::feed_fifo(fifo, data);
    let r = run(apostille()
        .args(["hash", "-a", "sha256,md5", "pipe"])
        .current_dir(&dist));
    assert!(
        writer.join().unwrap(),
        "apostille never opened the FIFO\n{}",
        r.streams()
    );
    let mut expected = peer_output("sha256sum", &["--tag"], &dist, &[b"same-bytes"]);
    expected.extend(peer_output("md5sum", &["--tag"], &dist, &[b"same-bytes"]));
    let expected = String::from_utf8(expected)
        .unwrap()
        .replace("same-bytes", "pipe");
    r.code_is(0).stdout_is(expected.as_bytes()).stderr_is(b"");
}

#[test]
fn a_fifo_inside_a_folder_is_skipped_not_read() {
    // Reading it would block for ever: a walk leaves FIFOs out.
    let (tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a"), b"a").unwrap();
    crate::common::mkfifo(&dist.join("pipe"));
    let theirs = peer_output("sha256sum", &[], tmp.path(), &[b"dist/a"]);
    run(apostille().args(["hash", "dist"]).current_dir(tmp.path()))
        .code_is(0)
        .stdout_is(&theirs)
        .stderr_is(b"apostille: dist/pipe: skipped (not a regular file)\n");
}

#[test]
fn a_folder_is_walked_in_byte_order_depth_first() {
    let (tmp, dist) = temp_with_dist();
    for (name, data) in [
        ("b", "1"),
        ("a", "2"),
        ("C", "3"),
        ("a b", "4"),
        ("a-", "5"),
        ("sub/z", "6"),
        ("sub/a", "7"),
        ("sub/deeper/x", "8"),
        ("sub-", "9"),
        ("\u{e9}t\u{e9}", "10"),
    ] {
        let p = dist.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    // Byte order per folder, each folder listed where its name sorts: `sub`
    // comes before `sub-` although `sub/…` sorts after `sub-` as a string.
    let order: [&[u8]; 10] = [
        b"dist/C",
        b"dist/a",
        b"dist/a b",
        b"dist/a-",
        b"dist/b",
        b"dist/sub/a",
        b"dist/sub/deeper/x",
        b"dist/sub/z",
        b"dist/sub-",
        "dist/\u{e9}t\u{e9}".as_bytes(),
    ];
    let theirs = peer_output("sha256sum", &[], tmp.path(), &order);
    run(apostille().args(["hash", "dist"]).current_dir(tmp.path()))
        .code_is(0)
        .stdout_is(&theirs)
        .stderr_is(b"");
}

#[test]
fn symlinks_inside_a_folder_are_skipped_unless_followed() {
    let (tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a"), b"a").unwrap();
    std::fs::write(tmp.path().join("outside"), b"outside").unwrap();
    std::os::unix::fs::symlink("../outside", dist.join("link")).unwrap();
    let walked = peer_output("sha256sum", &[], tmp.path(), &[b"dist/a"]);
    run(apostille().args(["hash", "dist"]).current_dir(tmp.path()))
        .code_is(0)
        .stdout_is(&walked)
        .stderr_is(
            b"apostille: dist/link: skipped (symlink not followed; --follow-symlinks follows it)\n",
        );
    // --quiet drops the note.
    run(apostille()
        .args(["-q", "hash", "dist"])
        .current_dir(tmp.path()))
    .code_is(0)
    .stdout_is(&walked)
    .stderr_is(b"");
    let followed = peer_output("sha256sum", &[], tmp.path(), &[b"dist/a", b"dist/link"]);
    run(apostille()
        .args(["hash", "--follow-symlinks", "dist"])
        .current_dir(tmp.path()))
    .code_is(0)
    .stdout_is(&followed)
    .stderr_is(b"");
    // Named explicitly, a symlink is always followed, as sha256sum does.
    let named = peer_output("sha256sum", &[], tmp.path(), &[b"dist/link"]);
    run(apostille()
        .args(["hash", "dist/link"])
        .current_dir(tmp.path()))
    .code_is(0)
    .stdout_is(&named);
}

#[test]
fn a_dangling_symlink_does_not_hide_the_rest_of_the_folder() {
    let (tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a"), b"a").unwrap();
    std::fs::write(dist.join("b"), b"b").unwrap();
    std::os::unix::fs::symlink("nowhere", dist.join("dangling")).unwrap();
    let theirs = peer_output("sha256sum", &[], tmp.path(), &[b"dist/a", b"dist/b"]);
    run(apostille()
        .args(["hash", "--follow-symlinks", "dist"])
        .current_dir(tmp.path()))
    .code_is(2)
    .stdout_is(&theirs)
    .stderr_has("dist/dangling");
}

#[test]
fn a_missing_file_is_an_error_naming_it_and_the_others_are_printed() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a"), b"a").unwrap();
    std::fs::write(dist.join("b"), b"b").unwrap();
    let theirs = peer_output("sha256sum", &[], &dist, &[b"a", b"b"]);
    run(apostille()
        .args(["hash", "a", "missing file", "b"])
        .current_dir(&dist))
    .code_is(2)
    .stdout_is(&theirs)
    .stderr_is(b"apostille: missing file: cannot open: No such file or directory (os error 2)\n");
}

#[test]
fn json_is_valid_and_has_the_expected_keys() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a b.txt"), b"hello\n").unwrap();
    std::fs::write(dist.join("empty"), b"").unwrap();
    let r = run_stdin(
        apostille()
            .args([
                "hash",
                "--format",
                "json",
                "-a",
                "sha256,blake3,md5",
                "a b.txt",
                "empty",
                "-",
            ])
            .current_dir(&dist),
        b"stdin",
    );
    r.code_is(0).stderr_is(b"");
    let v: serde_json::Value = serde_json::from_slice(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", r.streams()));
    let items = v.as_array().expect("a JSON array");
    assert_eq!(items.len(), 3);
    let digest = |program: &str, name: &[u8], input: &[u8]| -> String {
        let out = run_stdin(peer(program).arg(os(name)).current_dir(&dist), input).ok_stdout();
        let end = out.iter().position(|&b| b == b' ').unwrap();
        String::from_utf8(out[..end].to_vec()).unwrap()
    };
    for (item, (name, size, input)) in items.iter().zip([
        ("a b.txt", 6u64, &b""[..]),
        ("empty", 0, b""),
        ("-", 5, b"stdin"),
    ]) {
        let obj = item.as_object().expect("an object per input");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["blake3", "md5", "path", "sha256", "size"], "{item}");
        assert_eq!(obj["path"], name, "{item}");
        assert_eq!(obj["size"], size, "{item}");
        assert_eq!(
            obj["sha256"],
            digest("sha256sum", name.as_bytes(), input),
            "{item}"
        );
        assert_eq!(
            obj["md5"],
            digest("md5sum", name.as_bytes(), input),
            "{item}"
        );
        assert_eq!(
            obj["blake3"],
            digest("b3sum", name.as_bytes(), input),
            "{item}"
        );
    }
}

#[test]
fn several_algorithms_default_to_bsd_lines() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a"), b"a").unwrap();
    std::fs::write(dist.join("b c"), b"bc").unwrap();
    // Per file, in apostille's algorithm order whatever the order asked.
    let mut expected = Vec::new();
    for name in [&b"a"[..], b"b c"] {
        for program in ["sha256sum", "sha512sum", "sha1sum", "md5sum"] {
            expected.extend(peer_output(program, &["--tag"], &dist, &[name]));
        }
    }
    run(apostille()
        .args(["hash", "-a", "md5,sha1,sha512,sha256", "a", "b c"])
        .current_dir(&dist))
    .code_is(0)
    .stdout_is(&expected)
    .stderr_is(b"");
}

#[test]
fn gnu_format_with_two_algorithms_is_a_usage_error() {
    let (_tmp, dist) = temp_with_dist();
    std::fs::write(dist.join("a"), b"a").unwrap();
    let r = run(apostille()
        .args(["hash", "--format", "gnu", "-a", "sha256,sha512", "a"])
        .current_dir(&dist));
    r.code_is(2).stdout_is(b"").stderr_has("--format gnu");
    // An unknown algorithm, too.
    run(apostille()
        .args(["hash", "-a", "sha3", "a"])
        .current_dir(&dist))
    .code_is(2)
    .stdout_is(b"");
}

#[test]
fn no_mmap_and_one_thread_give_the_same_output() {
    let (_tmp, dist) = temp_with_dist();
    // 5 MiB and a bit, not a multiple of any block size.
    let mut big = Vec::with_capacity(5 * 1024 * 1024 + 7);
    let mut x: u32 = 0x1234_5678;
    while big.len() < 5 * 1024 * 1024 + 7 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        big.push(x as u8);
    }
    std::fs::write(dist.join("big.bin"), &big).unwrap();
    std::fs::write(dist.join("small"), b"small").unwrap();
    let all = "sha256,sha384,sha512,blake3,sha1,md5";
    let base = run(apostille()
        .args(["hash", "-a", all, "big.bin", "small"])
        .current_dir(&dist));
    base.code_is(0).stderr_is(b"");
    for engine in [
        &["--no-mmap"][..],
        &["--threads", "1"][..],
        &["--threads", "1", "--no-mmap"][..],
    ] {
        run(apostille()
            .args(engine)
            .args(["hash", "-a", all, "big.bin", "small"])
            .current_dir(&dist))
        .code_is(0)
        .stdout_is(&base.stdout);
    }
    // And the digests are the right ones.
    assert!(crate::common::contains(
        &base.stdout,
        &peer_output("sha512sum", &["--tag"], &dist, &[b"big.bin"])
    ));
    let b3 = peer_output("b3sum", &[], &dist, &[b"big.bin"]);
    let b3_line = format!(
        "BLAKE3 (big.bin) = {}\n",
        String::from_utf8_lossy(&b3[..64])
    );
    assert!(crate::common::contains(&base.stdout, b3_line.as_bytes()));
}
