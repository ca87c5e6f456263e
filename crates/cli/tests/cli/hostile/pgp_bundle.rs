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
