//! Keyless Sigstore signatures made against the in-process test instance
//! (`apostille-testkit`) and judged by `apostille verify bundle` and by
//! sigstore-python (PyPI `sigstore`, from the judges venv), both offline
//! with the instance's trusted root. The instance never judges its own
//! output.
//!
//! The signature comes from `apostille_sign::keyless` through
//! `KeylessOptions` (token file, signing-config file), as `sign blob
//! --keyless` will call it; the bundle is assembled with `sigstore-bundle`
//! until apostille's own bundle builder is wired to the command.

use crate::common::{apostille, run};
use apostille_sign::keyless::KeylessSignature;
use apostille_testkit::TestInstance;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use std::path::{Path, PathBuf};

const EMAIL: &str = "release-manager@apostille.test";

fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).into()
}

fn blob_bundle(sig: &KeylessSignature, digest: [u8; 32]) -> String {
    let mut b = sigstore_bundle::BundleV03::with_certificate_and_signature(
        sigstore_types::DerCertificate::new(sig.certificate_chain[0].clone()),
        sigstore_types::SignatureBytes::new(sig.signature.clone()),
        sigstore_types::Sha256Hash::new(digest),
    )
    .with_tlog_entry(sig.tlog_entry.clone());
    if let Some(ts) = &sig.rfc3161_timestamp {
        b = b.with_rfc3161_timestamp(sigstore_types::TimestampToken::new(ts.clone()));
    }
    b.into_bundle().to_json_pretty().unwrap()
}

/// sigstore-python from the judges venv.
fn sigstore_python() -> Option<PathBuf> {
    crate::common::judge("sigstore")
}

struct Case {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    sigstore: TestInstance,
    artifact: PathBuf,
    bundle: String,
}

/// Signs one artifact keylessly with a token file and a signing config file.
fn signed_blob() -> Case {
    let sigstore = TestInstance::start().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    crate::common::write_sigstore_files(&sigstore, &dir);
    let artifact = dir.join("demo-1.0.tar.gz");
    let bytes = b"demo release bytes\n\x00\xff";
    std::fs::write(&artifact, bytes).unwrap();
    let signer =
        crate::common::keyless_signer(&dir, &sigstore.identity_token(EMAIL), "signing_config.json");
    let digest = sha256(bytes);
    let bundle = blob_bundle(&signer.sign_digest(&digest).unwrap(), digest);
    Case {
        _tmp: tmp,
        dir,
        sigstore,
        artifact,
        bundle,
    }
}

impl Case {
    fn write(&self, name: &str, bundle: &str) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, bundle).unwrap();
        p
    }

    fn ours(&self, bundle: &Path, artifact: &Path, identity: &str) -> crate::common::Run {
        run(apostille()
            .args(["verify", "bundle", "--bundle"])
            .arg(bundle)
            .arg("--trusted-root")
            .arg(self.dir.join("trusted_root.json"))
            .args(["--certificate-identity", identity])
            .args(["--certificate-oidc-issuer", self.sigstore.issuer()])
            .arg(artifact))
    }

    fn python(&self, exe: &Path, bundle: &Path, artifact: &Path) -> (bool, String) {
        crate::common::sigstore_python_verify(
            exe,
            &self.dir,
            self.sigstore.issuer(),
            bundle,
            artifact,
            EMAIL,
        )
    }
}

fn tampered(bundle: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(bundle).unwrap();
    edit(&mut v);
    v.to_string()
}

fn flip_b64(v: &mut serde_json::Value) {
    let mut bytes = B64.decode(v.as_str().unwrap()).unwrap();
    let n = bytes.len() / 2;
    bytes[n] ^= 0x01;
    *v = B64.encode(bytes).into();
}

#[test]
fn keyless_blob_bundle_is_accepted_by_apostille_verify_and_sigstore_python() {
    let case = signed_blob();
    let b = case.write("demo-1.0.tar.gz.sigstore.json", &case.bundle);
    case.ours(&b, &case.artifact, EMAIL)
        .code_is(0)
        .stdout_has(EMAIL.as_bytes());
    case.ours(&b, &case.artifact, "someone@else.test")
        .code_is(1)
        .stdout_has(b"FAILED (identity)");
    if let Some(exe) = sigstore_python() {
        let (ok, out) = case.python(&exe, &b, &case.artifact);
        assert!(ok, "sigstore-python rejects:\n{out}\n{}", case.bundle);
    }
}

#[test]
fn keyless_blob_bundle_tampered_is_rejected_by_both() {
    let case = signed_blob();
    let other = case.dir.join("other");
    let mut bytes = std::fs::read(&case.artifact).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&other, bytes).unwrap();
    let good = case.write("good.sigstore.json", &case.bundle);
    let bad_sig = case.write(
        "bad-sig.sigstore.json",
        &tampered(&case.bundle, |v| {
            flip_b64(&mut v["messageSignature"]["signature"])
        }),
    );
    let bad_body = case.write(
        "bad-body.sigstore.json",
        &tampered(&case.bundle, |v| {
            let body = &mut v["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"];
            let text = String::from_utf8(B64.decode(body.as_str().unwrap()).unwrap()).unwrap();
            let at = text.find("\"value\":\"").unwrap() + 9;
            let mut t = text.into_bytes();
            t[at] = if t[at] == b'0' { b'1' } else { b'0' };
            *body = B64.encode(t).into();
        }),
    );
    let cases = [
        ("artifact byte changed", &good, &other),
        ("signature changed", &bad_sig, &case.artifact),
        ("Rekor entry body changed", &bad_body, &case.artifact),
    ];
    for (what, bundle, artifact) in cases {
        let r = case.ours(bundle, artifact, EMAIL);
        assert_eq!(r.code(), 1, "apostille verify on {what}:\n{}", r.streams());
    }
    let Some(exe) = sigstore_python() else { return };
    for (what, bundle, artifact) in cases {
        let (ok, out) = case.python(&exe, bundle, artifact);
        assert!(
            !ok,
            "sigstore-python accepts a bundle with the {what}:\n{out}"
        );
    }
}
