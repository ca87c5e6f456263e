//! Hostile pgp_bundle: see the module list in `hostile/mod.rs`.

use super::*;
use crate::pgp::Signer;

/// `verify pgp` of a file signed at `signed` by a key made at `created`
/// (gpg's faked system time), with both streams for the assertions.
fn verify_signed_at(uid: &str, created: &str, signed: &str) -> (Run, String) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f.tar.gz");
    std::fs::write(&file, b"release").unwrap();
    let signer = Signer::new(uid, "ed25519", "never", created);
    std::fs::write(tmp.path().join("KEYS"), signer.export()).unwrap();
    let sig = signer.sign(&file, signed, "SHA512");
    std::fs::write(tmp.path().join("f.tar.gz.asc"), &sig).unwrap();
    let r = bounded(
        tmp.path(),
        ["verify", "pgp", "--keys", "KEYS", "f.tar.gz.asc"],
    );
    let out = r.streams();
    (r, out)
}

#[test]
fn signature_made_in_the_future_is_not_good() {
    let (r, out) = verify_signed_at("now@example.org", "20240101T000000!", "20350101T000000!");
    clean(&r).code_is(1);
    assert!(
        out.contains("signature made in the future (2035-01-01 00:00:00 UTC)"),
        "{out}"
    );
}

#[test]
fn signing_key_created_in_the_future_is_not_good() {
    let (r, out) = verify_signed_at("later@example.org", "20350101T000000!", "20350101T000100!");
    clean(&r).code_is(1);
    assert!(out.contains("in the future (2035-01-01"), "{out}");
}

#[test]
fn min_signatures_2_is_not_met_by_one_signature_pasted_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f.tar.gz");
    std::fs::write(&file, b"release").unwrap();
    let signer = Signer::new("one@example.org", "ed25519", "never", "20240101T000000!");
    std::fs::write(tmp.path().join("KEYS"), signer.export()).unwrap();
    let mut sig = signer.sign(&file, "20240101T010000!", "SHA512");
    sig.extend(sig.clone());
    std::fs::write(tmp.path().join("f.tar.gz.asc"), &sig).unwrap();
    let args = |n: &'static str| {
        [
            "verify",
            "pgp",
            "--min-signatures",
            n,
            "--keys",
            "KEYS",
            "f.tar.gz.asc",
        ]
    };
    let r = bounded(tmp.path(), args("1"));
    assert_eq!(r.status.code(), Some(0), "{}", r.streams());
    let r = bounded(tmp.path(), args("2"));
    assert_eq!(r.status.code(), Some(1), "{}", r.streams());
}

/// A key-signed DSSE bundle around `statement` in `dist/NAME`, with the
/// key pair `cosign.key`/`cosign.pub` made by `keys generate --sigstore`.
fn signed_statement(d: &Path, name: &str, statement: &serde_json::Value) {
    run_ok(
        apostille()
            .current_dir(d)
            .env("COSIGN_PASSWORD", "pw")
            .args(["keys", "generate", "--sigstore", "--force"]),
    );
    let pem = std::fs::read(d.join("cosign.key")).unwrap();
    let key =
        apostille_sign::sigstore::keys::SigningKey::from_pem(&pem, &d.join("cosign.key"), || {
            Ok("pw".into())
        })
        .unwrap();
    let signer = apostille_sign::sigstore::signer::Signer::Key(key);
    let payload = serde_json::to_vec(statement).unwrap();
    let bundle = signer
        .dsse("application/vnd.in-toto+json", &payload)
        .unwrap();
    std::fs::write(d.join("dist").join(name), bundle).unwrap();
}

/// `verify dist` with the key pair of [`signed_statement`], no log.
fn verify_dist(d: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "verify",
        "dist",
        "--key",
        "cosign.pub",
        "--insecure-ignore-tlog",
    ];
    args.extend(extra);
    bounded(d, args)
}

fn run_ok(cmd: &mut Command) {
    let r = bounded_cmd(cmd);
    r.code_is(0);
}

fn sha(alg: &str, path: &Path) -> String {
    let out = Command::new(format!("{alg}sum"))
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()[..if alg == "sha256" { 64 } else { 128 }].to_string()
}

fn statement(subjects: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": subjects,
        "predicateType": "https://example.org/predicate/v1",
        "predicate": {}
    })
}

#[test]
fn a_dsse_subject_whose_sha512_differs_fails_verify_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("dist")).unwrap();
    let art = d.join("dist/tool-1.0.tar.gz");
    std::fs::write(&art, b"the release").unwrap();
    let st = statement(serde_json::json!([{
        "name": "tool-1.0.tar.gz",
        "digest": {"sha256": sha("sha256", &art), "sha512": "00".repeat(64)}
    }]));
    signed_statement(d, "tool-1.0.intoto.sigstore.json", &st);
    let r = verify_dist(d, &[]);
    let out = r.streams();
    clean(&r).code_is(1);
    assert!(out.contains("sha512 digest 0000"), "{out}");
    // The same statement with the right SHA-512 passes: the failure above
    // was the SHA-512, nothing else.
    let st = statement(serde_json::json!([{
        "name": "tool-1.0.tar.gz",
        "digest": {"sha256": sha("sha256", &art), "sha512": sha("sha512", &art)}
    }]));
    signed_statement(d, "tool-1.0.intoto.sigstore.json", &st);
    let r = verify_dist(d, &[]);
    r.code_is(0);
}

#[test]
fn a_dsse_subject_naming_an_absent_file_fails_verify_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("dist")).unwrap();
    let art = d.join("dist/tool-1.0.tar.gz");
    std::fs::write(&art, b"the release").unwrap();
    let st = statement(serde_json::json!([
        {"name": "tool-1.0.tar.gz", "digest": {"sha256": sha("sha256", &art)}},
        {"name": "tool-1.0-linux-amd64", "digest": {"sha256": "ab".repeat(32)}}
    ]));
    signed_statement(d, "tool-1.0.intoto.sigstore.json", &st);
    let r = verify_dist(d, &[]);
    let out = r.streams();
    clean(&r).code_is(1);
    assert!(out.contains("tool-1.0-linux-amd64"), "{out}");
    // As with a checksum list, --ignore-missing accepts a download that
    // holds only some of the subjects.
    let r = verify_dist(d, &["--ignore-missing"]);
    let out = r.streams();
    r.code_is(0);
    assert!(out.contains("tool-1.0-linux-amd64"), "{out}");
}

/// The binary packets of an ASCII-armored block.
fn dearmor(armored: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let text = String::from_utf8_lossy(armored);
    let body: String = text
        .lines()
        .skip_while(|l| !l.is_empty())
        .skip(1)
        .take_while(|l| !l.starts_with("-----") && !l.starts_with('='))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("armor body")
}

/// `packets` armored as `label`.
fn armor(label: &str, packets: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(packets);
    let mut out = format!("-----BEGIN PGP {label}-----\n\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("ascii"));
        out.push('\n');
    }
    out.push_str(&format!("-----END PGP {label}-----\n"));
    out.into_bytes()
}

/// A new-format packet header for `tag` and a body of `len` bytes.
fn packet_header(tag: u8, len: usize) -> Vec<u8> {
    let mut h = vec![0xc0 | tag];
    if len < 192 {
        h.push(len as u8);
    } else if len < 8384 {
        let l = len - 192;
        h.push((l >> 8) as u8 + 192);
        h.push(l as u8);
    } else {
        h.push(0xff);
        h.extend_from_slice(&(len as u32).to_be_bytes());
    }
    h
}

/// A file signed by a fresh key: (dir, armored signature, KEYS).
fn signed_release() -> (tempfile::TempDir, Vec<u8>, Vec<u8>) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f.tar.gz");
    std::fs::write(&file, b"release").unwrap();
    let signer = Signer::new("pkt@example.org", "ed25519", "never", "20240101T000000!");
    let sig = signer.sign(&file, "20240101T010000!", "SHA512");
    let keys = signer.export();
    (tmp, sig, keys)
}

fn verify_pgp(dir: &Path, sig: &[u8], keys: &[u8]) -> Run {
    std::fs::write(dir.join("f.tar.gz.asc"), sig).unwrap();
    std::fs::write(dir.join("KEYS"), keys).unwrap();
    bounded(dir, ["verify", "pgp", "--keys", "KEYS", "f.tar.gz.asc"])
}

/// Never good, never a crash: exit 1 or 2 and a message naming the file.
fn not_good(r: &Run, file: &str) {
    clean(r);
    assert!(
        matches!(r.status.code(), Some(1 | 2)),
        "exit {:?}\n{}",
        r.status.code(),
        r.streams()
    );
    assert!(r.streams().contains(file), "{}", r.streams());
}

#[test]
fn packets_claiming_4_gb_are_refused_without_reading_them() {
    let (tmp, sig, keys) = signed_release();
    let mut huge = vec![0xc2, 0xff, 0xff, 0xff, 0xff, 0xfe];
    huge.extend_from_slice(&[4u8; 64]);
    let r = verify_pgp(tmp.path(), &armor("SIGNATURE", &huge), &keys);
    not_good(&r, "f.tar.gz.asc");
    // A key packet claiming 4 GB in KEYS is skipped; the real key after it
    // still verifies.
    let mut bad_key = vec![0xc6, 0xff, 0xff, 0xff, 0xff, 0xfe];
    bad_key.extend_from_slice(&[4u8; 64]);
    let mut ring = armor("PUBLIC KEY BLOCK", &bad_key);
    ring.extend_from_slice(&keys);
    let r = verify_pgp(tmp.path(), &sig, &ring);
    clean(&r).code_is(0);
    assert!(
        r.streams().contains("KEYS:1: key skipped"),
        "{}",
        r.streams()
    );
}

#[test]
fn ten_thousand_nested_compressed_packets_are_refused() {
    let (tmp, sig, keys) = signed_release();
    let mut inner = dearmor(&sig);
    for _ in 0..10_000 {
        // Compressed data, algorithm 0 (uncompressed), around `inner`.
        let mut p = packet_header(8, inner.len() + 1);
        p.push(0);
        p.extend_from_slice(&inner);
        inner = p;
    }
    let r = verify_pgp(tmp.path(), &armor("SIGNATURE", &inner), &keys);
    not_good(&r, "f.tar.gz.asc");
    // The same nesting as a KEYS file: no usable key, said so.
    let mut ring = armor("PUBLIC KEY BLOCK", &inner);
    ring.extend_from_slice(b"\n");
    let r = verify_pgp(tmp.path(), &sig, &ring);
    not_good(&r, "KEYS");
}

#[test]
fn a_compression_bomb_inside_a_signature_or_keys_is_bounded() {
    let (tmp, sig, keys) = signed_release();
    // 1 GiB of zeros, raw deflate (algorithm 1, ZIP), about 1 MB.
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys,zlib\nc=zlib.compressobj(9,zlib.DEFLATED,-15)\nz=bytes(1<<20)\nfor _ in range(1024): sys.stdout.buffer.write(c.compress(z))\nsys.stdout.buffer.write(c.flush())",
        ])
        .output()
        .expect("python3");
    assert!(out.status.success());
    let mut bomb = packet_header(8, out.stdout.len() + 1);
    bomb.push(1);
    bomb.extend_from_slice(&out.stdout);
    let r = verify_pgp(tmp.path(), &armor("SIGNATURE", &bomb), &keys);
    not_good(&r, "f.tar.gz.asc");
    let mut ring = armor("PUBLIC KEY BLOCK", &bomb);
    ring.extend_from_slice(&keys);
    let r = verify_pgp(tmp.path(), &sig, &ring);
    clean(&r).code_is(0);
}

#[test]
fn ten_thousand_armor_blocks_in_keys_are_skipped_one_by_one() {
    let (tmp, sig, keys) = signed_release();
    let mut ring = Vec::new();
    for _ in 0..10_000 {
        ring.extend_from_slice(&armor("PUBLIC KEY BLOCK", b"\xc6\x01\x04"));
    }
    ring.extend_from_slice(&keys);
    let r = verify_pgp(tmp.path(), &sig, &ring);
    clean(&r).code_is(0);
    let skipped = crate::common::count(&r.stderr, b"key skipped");
    assert_eq!(skipped, 10_000, "{}", &r.streams()[..2000]);
}

#[test]
fn hostile_bundle_json_is_refused_naming_the_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("dist")).unwrap();
    run_ok(
        apostille()
            .current_dir(d)
            .env("COSIGN_PASSWORD", "pw")
            .args(["keys", "generate", "--sigstore"]),
    );
    std::fs::write(d.join("app.tar.gz"), b"the app").unwrap();
    run_ok(
        apostille()
            .current_dir(d)
            .env("COSIGN_PASSWORD", "pw")
            .args(["sign", "blob", "--key", "cosign.key", "app.tar.gz"]),
    );
    let good = std::fs::read_to_string(d.join("app.tar.gz.sigstore.json")).unwrap();
    let verify = |bundle: &str| {
        bounded(
            d,
            [
                "verify",
                "bundle",
                "--bundle",
                bundle,
                "--key",
                "cosign.pub",
                "--insecure-ignore-tlog",
                "app.tar.gz",
            ],
        )
    };
    verify("app.tar.gz.sigstore.json").code_is(0);
    let v: serde_json::Value = serde_json::from_str(&good).unwrap();
    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = v.clone();
        f(&mut v);
        v.to_string()
    };
    let nested = format!(
        "{{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"x\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let duplicate = good.replacen(
        "\"mediaType\"",
        "\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.1+json\", \"mediaType\"",
        1,
    );
    let cases: Vec<(&str, String)> = vec![
        ("nested 100,000 deep", nested),
        ("duplicate mediaType", duplicate),
        (
            "signature of the wrong type",
            with(&|v| v["messageSignature"]["signature"] = serde_json::json!(5)),
        ),
        (
            "mediaType of the wrong type",
            with(&|v| v["mediaType"] = serde_json::json!(["x"])),
        ),
        (
            "digest of the wrong type",
            with(&|v| v["messageSignature"]["messageDigest"]["digest"] = serde_json::json!({})),
        ),
        (
            "no verification material",
            with(&|v| {
                v.as_object_mut().unwrap().remove("verificationMaterial");
            }),
        ),
        ("not JSON", "\u{1b}[2J{".to_string()),
    ];
    for (what, text) in cases {
        std::fs::write(d.join("bad.sigstore.json"), text).unwrap();
        let r = verify("bad.sigstore.json");
        clean(&r);
        assert!(
            matches!(r.status.code(), Some(1 | 2)),
            "{what}: exit {:?}\n{}",
            r.status.code(),
            r.streams()
        );
        assert!(
            r.streams().contains("bad.sigstore.json"),
            "{what}: {}",
            r.streams()
        );
    }
    // A 100 MB field: refused at 16 MiB, within the memory limit; a bundle
    // that cannot be used fails the check (exit 1), as every malformed
    // bundle above does.
    let mut big = String::with_capacity(100_000_100);
    big.push_str("{\"mediaType\":\"");
    big.extend(std::iter::repeat_n('a', 100_000_000));
    big.push_str("\"}");
    std::fs::write(d.join("big.sigstore.json"), big).unwrap();
    let r = verify("big.sigstore.json");
    clean(&r).code_is(1);
    assert!(
        crate::common::contains(
            &r.stdout,
            b"FAILED (malformed): big.sigstore.json: 16777217 bytes, more than the 16777216"
        ),
        "{}",
        r.streams()
    );
}
