//! Hostile pgp_bundle: see the module list in `hostile/mod.rs`.

#[allow(unused_imports)]
use super::*;
use crate::pgp::Signer;

fn output(run: &Run) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    )
}

#[test]
fn signature_made_in_the_future_is_not_good() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f.tar.gz");
    std::fs::write(&file, b"release").unwrap();
    let signer = Signer::new("now@example.org", "ed25519", "never", "20240101T000000!");
    std::fs::write(tmp.path().join("KEYS"), signer.export()).unwrap();
    let sig = signer.sign(&file, "20350101T000000!", "SHA512");
    std::fs::write(tmp.path().join("f.tar.gz.asc"), &sig).unwrap();
    let r = bounded(
        tmp.path(),
        ["verify", "pgp", "--keys", "KEYS", "f.tar.gz.asc"],
    );
    let out = output(&r);
    assert_eq!(r.status.code(), Some(1), "{out}");
    assert!(
        out.contains("signature made in the future (2035-01-01 00:00:00 UTC)"),
        "{out}"
    );
}

#[test]
fn signing_key_created_in_the_future_is_not_good() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f.tar.gz");
    std::fs::write(&file, b"release").unwrap();
    let signer = Signer::new("later@example.org", "ed25519", "never", "20350101T000000!");
    std::fs::write(tmp.path().join("KEYS"), signer.export()).unwrap();
    let sig = signer.sign(&file, "20350101T000100!", "SHA512");
    std::fs::write(tmp.path().join("f.tar.gz.asc"), &sig).unwrap();
    let r = bounded(
        tmp.path(),
        ["verify", "pgp", "--keys", "KEYS", "f.tar.gz.asc"],
    );
    let out = output(&r);
    assert_eq!(r.status.code(), Some(1), "{out}");
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
    assert_eq!(r.status.code(), Some(0), "{}", output(&r));
    let r = bounded(tmp.path(), args("2"));
    assert_eq!(r.status.code(), Some(1), "{}", output(&r));
}
