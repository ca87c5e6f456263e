//! Hostile sbom: see the module list in `hostile/mod.rs`.

#[allow(unused_imports)]
use super::*;
use crate::common::run;
use std::path::PathBuf;

/// A folder `dist` with two files, and SPDX JSON and tag-value documents of
/// it written by `apostille sbom artifacts`.
fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).expect("mkdir");
    std::fs::write(dist.join("demo-1.0.tar.gz"), b"a release\n").expect("write");
    std::fs::write(dist.join("NOTES"), vec![b'n'; 5000]).expect("write");
    let json = dir.path().join("r.spdx.json");
    let tv = dir.path().join("r.spdx");
    for (format, out) in [("spdx-json", &json), ("spdx-tv", &tv)] {
        run(crate::common::apostille()
            .args(["--quiet", "sbom", "artifacts", "--format", format, "-o"])
            .arg(out)
            .arg(&dist))
        .code_is(0);
    }
    (dir, dist, json, tv)
}

fn verify(dir: &Path, doc: &str, extra: &[&str]) -> Run {
    let mut args = vec!["verify", "sbom"];
    args.extend(extra);
    args.extend([doc, "dist"]);
    bounded(dir, args)
}

#[test]
fn genuine_documents_still_verify() {
    let (dir, _, _, _) = fixture();
    for doc in ["r.spdx.json", "r.spdx"] {
        clean(verify(dir.path(), doc, &[]).code_is(0))
            .stdout_has(b"./demo-1.0.tar.gz: OK (sha1, sha256, sha512, blake3)")
            .stdout_has(b"./NOTES: OK");
    }
    // Comments and blank lines before the tag-value header are allowed.
    let text = std::fs::read_to_string(dir.path().join("r.spdx")).expect("read");
    std::fs::write(
        dir.path().join("c.spdx"),
        format!("\n# made by hand\n\n{text}"),
    )
    .expect("write");
    clean(verify(dir.path(), "c.spdx", &[]).code_is(0));
}

#[test]
fn documents_never_checked_no_longer_pass() {
    let (dir, _, json, tv) = fixture();
    let json_text = std::fs::read(&json).expect("read");
    let tv_text = std::fs::read(&tv).expect("read");
    let mut doc: serde_json::Value = serde_json::from_slice(&json_text).expect("json");
    doc["files"] = serde_json::json!([]);
    doc["packages"][0]["checksums"] = serde_json::json!([]);
    let no_files = serde_json::to_vec(&doc).expect("json");
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "one-byte-before",
            [&b"x"[..], &json_text].concat(),
            "neither JSON",
        ),
        ("empty", Vec::new(), "empty document"),
        ("null", b"null".to_vec(), "neither JSON"),
        ("array", b"[]".to_vec(), "not an object"),
        (
            "comment",
            [&b"// SBOM\n"[..], &json_text].concat(),
            "neither JSON",
        ),
        ("nested", vec![b'['; 100_000], "not an object"),
        (
            "garbage-line",
            [&b"garbage\n"[..], &tv_text].concat(),
            "SPDXVersion",
        ),
        ("object", b"{}".to_vec(), "neither SPDX"),
        ("no-files", no_files, "describes no files to check"),
    ];
    // Deep nesting inside an object: serde_json's recursion limit.
    let mut deep = br#"{"spdxVersion": "SPDX-2.3", "x": "#.to_vec();
    deep.extend(std::iter::repeat_n(b'[', 100_000));
    cases.push(("deep", deep, "recursion limit"));
    // A JSON syntax error is named with its line and column.
    let cut = json_text[..json_text.len() / 2].to_vec();
    cases.push(("cut", cut, "line "));
    for (name, bytes, why) in cases {
        let file = format!("{name}.sbom");
        std::fs::write(dir.path().join(&file), bytes).expect("write");
        let r = verify(dir.path(), &file, &[]);
        refused(
            &r,
            2,
            &[&format!("{file}: not a well-formed SPDX 2.x document"), why],
        );
        assert!(r.stdout.is_empty(), "{name}: {}", r.streams());
    }
    // CycloneDX is read, and refused alike when it names nothing to check.
    for (name, bytes, why) in [
        (
            "cyclonedx",
            br#"{"bomFormat": "CycloneDX", "specVersion": "1.5"}"#.to_vec(),
            "describes no files to check",
        ),
        (
            "cyclonedx-1.1",
            br#"{"bomFormat": "CycloneDX", "specVersion": "1.1"}"#.to_vec(),
            "unsupported specVersion",
        ),
        (
            "cyclonedx-hash",
            br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "file", "name": "a", "hashes": [{"alg": "SHA-256"}]}]}"#.to_vec(),
            "a hash without `alg` and `content`",
        ),
    ] {
        let file = format!("{name}.sbom");
        std::fs::write(dir.path().join(&file), bytes).expect("write");
        let r = verify(dir.path(), &file, &[]);
        refused(
            &r,
            2,
            &[&format!("{file}: not a well-formed CycloneDX JSON document"), why],
        );
    }
}

#[test]
fn a_blake3_value_of_the_wrong_length_is_refused() {
    let (dir, _, json, _) = fixture();
    let text = std::fs::read(&json).expect("read");
    for (value, shown) in [("", "0"), ("ab", "2"), (&"a".repeat(65)[..], "65")] {
        let mut doc: serde_json::Value = serde_json::from_slice(&text).expect("json");
        // SHA-1 and a short BLAKE3 value only: the SHA-1 must not pass alone.
        for f in doc["files"].as_array_mut().expect("files") {
            let sums = f["checksums"].as_array_mut().expect("checksums");
            sums.retain(|c| c["algorithm"] == "SHA1" || c["algorithm"] == "BLAKE3");
            for c in sums.iter_mut() {
                if c["algorithm"] == "BLAKE3" {
                    c["checksumValue"] = value.into();
                }
            }
        }
        std::fs::write(
            dir.path().join("b3.json"),
            serde_json::to_vec(&doc).expect("json"),
        )
        .expect("write");
        let r = verify(dir.path(), "b3.json", &[]);
        refused(&r, 1, &["FAILED"]).stdout_has(
            format!(
                "./demo-1.0.tar.gz: FAILED (refused: blake3 checksum value has {shown} characters"
            )
            .as_bytes(),
        );
        assert!(
            !crate::common::contains(&r.stdout, b": OK"),
            "{}",
            r.streams()
        );
    }
    // The same in another algorithm, and a value that is not hex.
    let mut doc: serde_json::Value = serde_json::from_slice(&text).expect("json");
    doc["files"][0]["checksums"][1]["checksumValue"] = "abc".into();
    let alg = doc["files"][0]["checksums"][1]["algorithm"]
        .as_str()
        .expect("alg")
        .to_lowercase();
    std::fs::write(
        dir.path().join("short.json"),
        serde_json::to_vec(&doc).expect("json"),
    )
    .expect("write");
    refused(&verify(dir.path(), "short.json", &[]), 1, &["1 of 2"])
        .stdout_has(format!("{alg} checksum value has 3 characters").as_bytes());
}

#[test]
fn ignore_missing_with_every_file_absent_says_so() {
    let (dir, _, _, _) = fixture();
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    for doc in ["r.spdx.json", "r.spdx"] {
        let r = bounded(
            dir.path(),
            ["verify", "sbom", "--ignore-missing", doc, "empty"],
        );
        refused(&r, 1, &[doc, "no listed file was found", "all 2 listed"]);
    }
}

#[test]
fn names_from_the_document_are_shown_escaped() {
    let (dir, _, json, _) = fixture();
    let text = std::fs::read_to_string(&json).expect("read");
    let evil = text.replacen("./NOTES", "./NO\\u001b[2J\\rTES: OK", 1);
    assert_ne!(evil, text);
    std::fs::write(dir.path().join("evil.json"), evil).expect("write");
    refused(&verify(dir.path(), "evil.json", &[]), 1, &["FAILED"])
        .stdout_has(b"./NO\\x1b[2J\\rTES: OK: FAILED open or read (missing)");
}

#[test]
fn a_symbolic_link_out_of_the_folder_or_to_a_device_is_refused() {
    let (dir, dist, _, _) = fixture();
    // The same bytes, reached through a link out of `dist`: what a
    // literal `../` would reach, which is refused.
    std::fs::write(dir.path().join("outside"), vec![b'n'; 5000]).expect("write");
    std::fs::remove_file(dist.join("NOTES")).expect("rm");
    std::os::unix::fs::symlink("../outside", dist.join("NOTES")).expect("symlink");
    for doc in ["r.spdx.json", "r.spdx"] {
        let r = verify(dir.path(), doc, &[]);
        clean(&r).code_is(1);
        let out = r.streams();
        assert!(
            out.contains("a symbolic link leads out of the folder"),
            "{out}"
        );
        assert!(!out.contains("./NOTES: OK"), "{out}");
    }
    std::fs::remove_file(dist.join("NOTES")).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", dist.join("NOTES")).expect("symlink");
    let r = verify(dir.path(), "r.spdx.json", &[]);
    clean(&r).code_is(1);
    let out = r.streams();
    assert!(
        out.contains("not a regular file (a character device)"),
        "{out}"
    );
}

#[test]
fn a_document_of_half_a_million_absent_files_fails_within_the_memory_limit() {
    // 63 MB of tag-value, just under the 64 MiB a document may have: the
    // most entries a document can bring (about 475,000 here, 0.5 GB).
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("dist")).expect("mkdir");
    let mut doc = String::from(
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: big\nDocumentNamespace: https://example.org/big\nCreator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n\n",
    );
    let hex = "a".repeat(64);
    let mut i = 0;
    while doc.len() < 63_000_000 {
        doc.push_str(&format!(
            "FileName: ./m{i:07}\nSPDXID: SPDXRef-F{i}\nFileChecksum: SHA256: {hex}\n\n"
        ));
        i += 1;
    }
    std::fs::write(dir.path().join("big.spdx"), doc).expect("write");
    let r = verify(dir.path(), "big.spdx", &["--quiet"]);
    clean(&r).code_is(1);
    assert!(crate::common::contains(
        &r.stdout,
        format!("./m{:07}: FAILED open or read (missing)", i - 1).as_bytes()
    ));
}

#[test]
fn tag_value_the_spdx_parser_panics_on_is_refused_not_a_crash() {
    // Found by the `spdx` fuzz target: exit 101 before.
    let (dir, _, _, tv) = fixture();
    let text = std::fs::read_to_string(&tv).expect("read");
    for (from, to) in [
        ("FileChecksum: SHA256:", "FileChecksum: SHA257:"),
        ("FileChecksum: SHA256:", "FilerChecksum: SHA256:"),
    ] {
        std::fs::write(dir.path().join("p.spdx"), text.replacen(from, to, 1)).expect("write");
        let r = verify(dir.path(), "p.spdx", &[]);
        refused(&r, 2, &["p.spdx", "tag-value"]);
        let out = r.streams();
        // Neither the panic nor the parser's debug print reaches the user.
        assert!(!out.contains("panicked") && !out.contains(".rs:"), "{out}");
    }
}
