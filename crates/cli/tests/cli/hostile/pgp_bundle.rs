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
    let r = bounded(
        d,
        [
            "verify",
            "dist",
            "--key",
            "cosign.pub",
            "--insecure-ignore-tlog",
        ],
    );
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
    let r = bounded(
        d,
        [
            "verify",
            "dist",
            "--key",
            "cosign.pub",
            "--insecure-ignore-tlog",
        ],
    );
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
    let args = [
        "verify",
        "dist",
        "--key",
        "cosign.pub",
        "--insecure-ignore-tlog",
    ];
    let r = bounded(d, args);
    let out = r.streams();
    clean(&r).code_is(1);
    assert!(out.contains("tool-1.0-linux-amd64"), "{out}");
    // As with a checksum list, --ignore-missing accepts a download that
    // holds only some of the subjects.
    let r = bounded(d, args.iter().copied().chain(["--ignore-missing"]));
    let out = r.streams();
    r.code_is(0);
    assert!(out.contains("tool-1.0-linux-amd64"), "{out}");
}
