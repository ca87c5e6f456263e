//! Keyless signing against the in-process test instance of Sigstore's
//! services, judged by sigstore-python (PyPI `sigstore`) run offline with
//! the instance's trusted root, and by apostille's own verifier.
//!
//! The instance never judges its own output. Bundles are assembled here
//! with `sigstore-bundle` until the bundle builder of this crate is there.

#![allow(clippy::unwrap_used)]

use apostille_sign::keyless::{
    Endpoints, IdentityToken, KeylessError, KeylessSignature, KeylessSigner, Service, TokenSource,
};
use apostille_testkit::TestInstance;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(20);

fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).into()
}

fn endpoints(sigstore: &TestInstance, tsa: bool) -> Endpoints {
    let json = if tsa {
        sigstore.signing_config_json()
    } else {
        sigstore.signing_config_without_tsa_json()
    };
    Endpoints::from_signing_config(&json, "test").unwrap()
}

fn signer(sigstore: &TestInstance, email: &str, tsa: bool) -> KeylessSigner {
    let token =
        IdentityToken::from_jwt(&sigstore.identity_token(email), TokenSource::Environment).unwrap();
    KeylessSigner::new(endpoints(sigstore, tsa), &token, TIMEOUT).unwrap()
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

fn dsse_bundle(sig: &KeylessSignature, payload_type: &str, payload: &[u8]) -> String {
    let envelope = sigstore_types::DsseEnvelope::new(
        payload_type,
        payload.to_vec().into(),
        sigstore_types::DsseSignature::new(
            sigstore_types::SignatureBytes::new(sig.signature.clone()),
            Default::default(),
        ),
    );
    let mut b = sigstore_bundle::BundleV03::with_certificate_and_dsse(
        sigstore_types::DerCertificate::new(sig.certificate_chain[0].clone()),
        envelope,
    )
    .with_tlog_entry(sig.tlog_entry.clone());
    if let Some(ts) = &sig.rfc3161_timestamp {
        b = b.with_rfc3161_timestamp(sigstore_types::TimestampToken::new(ts.clone()));
    }
    b.into_bundle().to_json_pretty().unwrap()
}

/// sigstore-python from the judges venv (`scripts/judges.sh`, or
/// `$APOSTILLE_JUDGES`). Missing: a failure under CI, a printed and
/// recorded skip (None) otherwise.
fn sigstore_python() -> Option<PathBuf> {
    let venv = std::env::var_os("APOSTILLE_JUDGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/judges"));
    let exe = venv.join("bin/sigstore");
    if exe.is_file() {
        return Some(exe);
    }
    apostille_testkit::material::missing(
        "judge",
        &format!("sigstore-python not found at {}", exe.display()),
        "run `make judges` (scripts/judges.sh installs PyPI `sigstore` into target/judges) \
         or set APOSTILLE_JUDGES to such a venv",
    );
    None
}

struct Judged {
    ok: bool,
    output: String,
}

/// `sigstore verify identity --offline` with the instance's trust config.
fn judge(
    exe: &Path,
    dir: &Path,
    sigstore: &TestInstance,
    bundle: &str,
    artifact: &Path,
    identity: &str,
) -> Judged {
    let tc = dir.join("trust_config.json");
    std::fs::write(&tc, sigstore.client_trust_config_json()).unwrap();
    let b = dir.join("judged.sigstore.json");
    std::fs::write(&b, bundle).unwrap();
    let out = Command::new(exe)
        .arg("--trust-config")
        .arg(&tc)
        .args(["verify", "identity", "--offline", "--bundle"])
        .arg(&b)
        .args([
            "--cert-identity",
            identity,
            "--cert-oidc-issuer",
            sigstore.issuer(),
        ])
        .arg(artifact)
        .output()
        .unwrap();
    Judged {
        ok: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// apostille's own verifier, offline, with the instance's trusted root.
fn ours(
    sigstore: &TestInstance,
    bundle: &str,
    digest: [u8; 32],
    identity: &str,
) -> apostille_verify::bundle::Verdict {
    use apostille_verify::bundle::{
        Bundle, IdentityRule, Policy, TrustedRoot, Verifier, sha256_argument,
    };
    let root = TrustedRoot::parse(
        sigstore.trusted_root_json().as_bytes(),
        Path::new("trusted_root.json"),
    )
    .unwrap();
    let b = Bundle::parse(bundle.as_bytes(), Path::new("b.sigstore.json")).unwrap();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let policy = Policy::Certificate {
        identity: IdentityRule::Exact(identity.to_string()),
        issuer: sigstore.issuer().to_string(),
    };
    Verifier::new(&root).verify(
        &b,
        &[sha256_argument(&format!("sha256:{hex}")).unwrap()],
        &policy,
    )
}

/// A copy of `bundle` with `edit` applied to its JSON.
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

fn edit_body(v: &mut serde_json::Value) {
    let body = &mut v["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"];
    let text = String::from_utf8(B64.decode(body.as_str().unwrap()).unwrap()).unwrap();
    // Same shape, one hex digit of the logged hash changed.
    let at = text.find("\"value\":\"").unwrap() + 9;
    let mut t = text.into_bytes();
    t[at] = if t[at] == b'0' { b'1' } else { b'0' };
    *body = B64.encode(t).into();
}

#[test]
fn a_keyless_blob_bundle_is_accepted_by_sigstore_python_and_rejected_once_tampered() {
    let sigstore = TestInstance::start().unwrap();
    let email = "release@apostille.test";
    let s = signer(&sigstore, email, true);
    assert_eq!(s.identity(), email, "read back from the certificate's SAN");
    assert_eq!(
        s.issuer(),
        sigstore.issuer(),
        "read back from the issuer extension"
    );
    let dir = tempfile::tempdir().unwrap();
    let artifact = dir.path().join("demo-1.0.tar.gz");
    std::fs::write(&artifact, b"the release artifact\n").unwrap();
    let digest = sha256(b"the release artifact\n");
    let sig = s.sign_digest(&digest).unwrap();
    assert_eq!(sig.certificate_chain.len(), 3, "leaf, intermediate, root");
    assert!(sig.rfc3161_timestamp.is_some());
    let bundle = blob_bundle(&sig, digest);
    let v = ours(&sigstore, &bundle, digest, email);
    assert!(
        v.is_verified(),
        "apostille verify rejects a keyless blob bundle: {v:?}"
    );
    let v = ours(&sigstore, &bundle, sha256(b"other"), email);
    assert!(
        !v.is_verified(),
        "apostille verify accepts another artifact"
    );

    let Some(exe) = sigstore_python() else { return };
    let j = judge(&exe, dir.path(), &sigstore, &bundle, &artifact, email);
    assert!(
        j.ok,
        "sigstore-python rejects a keyless blob bundle:\n{}\n{bundle}",
        j.output
    );

    let other = dir.path().join("other");
    std::fs::write(&other, b"the release artifacT\n").unwrap();
    let j = judge(&exe, dir.path(), &sigstore, &bundle, &other, email);
    assert!(
        !j.ok,
        "sigstore-python accepts a changed artifact:\n{}",
        j.output
    );

    let bad_sig = tampered(&bundle, |v| {
        flip_b64(&mut v["messageSignature"]["signature"])
    });
    let j = judge(&exe, dir.path(), &sigstore, &bad_sig, &artifact, email);
    assert!(
        !j.ok,
        "sigstore-python accepts a changed signature:\n{}",
        j.output
    );

    let bad_body = tampered(&bundle, edit_body);
    let j = judge(&exe, dir.path(), &sigstore, &bad_body, &artifact, email);
    assert!(
        !j.ok,
        "sigstore-python accepts a changed Rekor entry body:\n{}",
        j.output
    );

    let j = judge(
        &exe,
        dir.path(),
        &sigstore,
        &bundle,
        &artifact,
        "someone@else.test",
    );
    assert!(
        !j.ok,
        "sigstore-python accepts another identity:\n{}",
        j.output
    );
}

#[test]
fn a_keyless_dsse_attestation_is_accepted_by_sigstore_python_and_rejected_once_tampered() {
    let sigstore = TestInstance::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let artifact = dir.path().join("demo-1.0.tar.gz");
    std::fs::write(&artifact, b"attested bytes\n").unwrap();
    let hex: String = sha256(b"attested bytes\n")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let statement = serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{ "name": "demo-1.0.tar.gz", "digest": { "sha256": hex } }],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": { "buildDefinition": { "buildType": "https://apostille.dev/test" } },
    })
    .to_string();
    // GitHub Actions' ambient credentials, served by the test instance.
    let env = sigstore.github_actions_env();
    let token = apostille_sign::keyless::find_identity_token_with(
        None,
        |n| env.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()),
        TIMEOUT,
    )
    .unwrap();
    assert_eq!(token.source(), &TokenSource::GitHubActions);
    let s = KeylessSigner::new(endpoints(&sigstore, true), &token, TIMEOUT).unwrap();
    let identity = apostille_testkit::ACTIONS_IDENTITY;
    assert_eq!(s.identity(), identity);
    let sig = s
        .sign_dsse("application/vnd.in-toto+json", statement.as_bytes())
        .unwrap();
    let bundle = dsse_bundle(&sig, "application/vnd.in-toto+json", statement.as_bytes());
    let v = ours(&sigstore, &bundle, sha256(b"attested bytes\n"), identity);
    assert!(
        v.is_verified(),
        "apostille verify rejects a keyless DSSE bundle: {v:?}"
    );

    let Some(exe) = sigstore_python() else { return };
    let j = judge(&exe, dir.path(), &sigstore, &bundle, &artifact, identity);
    assert!(
        j.ok,
        "sigstore-python rejects a keyless DSSE bundle:\n{}\n{bundle}",
        j.output
    );

    let other = dir.path().join("other");
    std::fs::write(&other, b"attested byteS\n").unwrap();
    let j = judge(&exe, dir.path(), &sigstore, &bundle, &other, identity);
    assert!(
        !j.ok,
        "sigstore-python accepts a changed artifact:\n{}",
        j.output
    );

    let bad_sig = tampered(&bundle, |v| {
        flip_b64(&mut v["dsseEnvelope"]["signatures"][0]["sig"])
    });
    let j = judge(&exe, dir.path(), &sigstore, &bad_sig, &artifact, identity);
    assert!(
        !j.ok,
        "sigstore-python accepts a changed signature:\n{}",
        j.output
    );

    let bad_body = tampered(&bundle, edit_body);
    let j = judge(&exe, dir.path(), &sigstore, &bad_body, &artifact, identity);
    assert!(
        !j.ok,
        "sigstore-python accepts a changed Rekor entry body:\n{}",
        j.output
    );
}

#[test]
fn without_a_tsa_the_log_entry_alone_carries_the_time() {
    let sigstore = TestInstance::start().unwrap();
    let email = "no-tsa@apostille.test";
    let s = signer(&sigstore, email, false);
    let digest = sha256(b"x");
    let sig = s.sign_digest(&digest).unwrap();
    assert!(sig.rfc3161_timestamp.is_none());
    assert!(sig.tlog_entry.inclusion_promise.is_some());
    assert!(sig.tlog_entry.inclusion_proof.is_some());
    let dir = tempfile::tempdir().unwrap();
    let artifact = dir.path().join("x");
    std::fs::write(&artifact, b"x").unwrap();
    let Some(exe) = sigstore_python() else { return };
    let j = judge(
        &exe,
        dir.path(),
        &sigstore,
        &blob_bundle(&sig, digest),
        &artifact,
        email,
    );
    assert!(
        j.ok,
        "sigstore-python rejects a bundle without timestamp:\n{}",
        j.output
    );
}

#[test]
fn fulcio_refusing_a_token_is_an_error_naming_fulcio() {
    let sigstore = TestInstance::start().unwrap();
    let other = TestInstance::start().unwrap();
    // A token from another instance's issuer: this Fulcio does not trust it.
    let token =
        IdentityToken::from_jwt(&other.identity_token("a@b.test"), TokenSource::Environment)
            .unwrap();
    let e = KeylessSigner::new(endpoints(&sigstore, false), &token, TIMEOUT).unwrap_err();
    match &e {
        KeylessError::Service {
            service,
            url,
            reason,
        } => {
            assert_eq!(*service, Service::Fulcio);
            assert!(url.ends_with("/api/v2/signingCert"), "{url}");
            assert!(reason.contains("401"), "{reason}");
        }
        other => panic!("not a Fulcio error: {other}"),
    }
}

#[test]
fn an_unreachable_rekor_is_an_error_naming_rekor() {
    let sigstore = TestInstance::start().unwrap();
    let mut e = endpoints(&sigstore, false);
    // A port nothing listens on: bind, note, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    e.rekor = format!("http://127.0.0.1:{port}");
    let token = IdentityToken::from_jwt(
        &sigstore.identity_token("a@b.test"),
        TokenSource::Environment,
    )
    .unwrap();
    let s = KeylessSigner::new(e, &token, TIMEOUT).unwrap();
    let err = s.sign_digest(&[0u8; 32]).unwrap_err();
    assert!(
        matches!(
            err,
            KeylessError::Service {
                service: Service::Rekor,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("Rekor at http://127.0.0.1:"),
        "{err}"
    );
}

#[test]
fn a_wrong_github_actions_request_token_is_an_error_naming_the_oidc_provider() {
    let sigstore = TestInstance::start().unwrap();
    let env = sigstore.github_actions_env();
    let e = apostille_sign::keyless::find_identity_token_with(
        None,
        |n| match n {
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN" => Some("not-the-token".into()),
            _ => env.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()),
        },
        TIMEOUT,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            KeylessError::Service {
                service: Service::Oidc,
                ..
            }
        ),
        "{e}"
    );
    let msg = e.to_string();
    assert!(msg.contains("401"), "{msg}");
    assert!(
        !msg.contains("not-the-token"),
        "the bearer token leaks: {msg}"
    );
}

#[test]
fn a_fulcio_that_never_answers_times_out_and_is_named() {
    // Accepts connections, never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let _hold = std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming() {
            held.push(s);
        }
    });
    let sigstore = TestInstance::start().unwrap();
    let mut e = endpoints(&sigstore, false);
    e.fulcio = format!("http://127.0.0.1:{port}");
    let token = IdentityToken::from_jwt(
        &sigstore.identity_token("a@b.test"),
        TokenSource::Environment,
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = KeylessSigner::new(e, &token, Duration::from_secs(1)).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "no timeout");
    assert!(
        matches!(
            err,
            KeylessError::Service {
                service: Service::Fulcio,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("no answer within 1 s"), "{err}");
}
