//! Key-based Sigstore bundles: `keys generate --sigstore`, `sign blob`,
//! `attest` (SLSA provenance from GitHub Actions' variables, or a custom
//! predicate), judged by `verify bundle` / `verify attestation`.

use std::path::Path;

use crate::common::{apostille, run};

fn with_password(cmd: &mut std::process::Command) -> &mut std::process::Command {
    cmd.env("COSIGN_PASSWORD", "correct horse")
}

fn keypair(dir: &Path) {
    run(with_password(apostille().current_dir(dir)).args(["keys", "generate", "--sigstore"]))
        .code_is(0);
}

const GITHUB: &[(&str, &str)] = &[
    ("GITHUB_ACTIONS", "true"),
    ("GITHUB_SERVER_URL", "https://github.com"),
    ("GITHUB_REPOSITORY", "apache/example"),
    ("GITHUB_REF", "refs/tags/v1.2.0"),
    ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
    (
        "GITHUB_WORKFLOW_REF",
        "apache/example/.github/workflows/release.yml@refs/tags/v1.2.0",
    ),
    ("GITHUB_RUN_ID", "4242"),
    ("GITHUB_RUN_ATTEMPT", "1"),
    ("RUNNER_ENVIRONMENT", "github-hosted"),
    ("GITHUB_EVENT_NAME", "push"),
    ("SOURCE_DATE_EPOCH", "1700000000"),
];

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_blob_bundle_verifies_with_its_key_and_fails_once_tampered() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    keypair(d);
    let key = std::fs::read_to_string(d.join("cosign.key")).unwrap();
    assert!(key.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
    let public = std::fs::read_to_string(d.join("cosign.pub")).unwrap();
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
    // Existing keys are kept.
    run(with_password(apostille().current_dir(d)).args(["keys", "generate", "--sigstore"]))
        .code_is(2)
        .stderr_has("exists");

    std::fs::write(d.join("app-1.0.tar.gz"), vec![9u8; 150_000]).unwrap();
    run(with_password(apostille().current_dir(d)).args([
        "sign",
        "blob",
        "--key",
        "cosign.key",
        "app-1.0.tar.gz",
    ]))
    .code_is(0);
    let b = json(&d.join("app-1.0.tar.gz.sigstore.json"));
    assert_eq!(
        b["mediaType"],
        "application/vnd.dev.sigstore.bundle.v0.3+json"
    );
    assert!(
        b["verificationMaterial"]["publicKey"]["hint"].is_string(),
        "{b}"
    );
    assert_eq!(
        b["messageSignature"]["messageDigest"]["algorithm"],
        "SHA2_256"
    );
    let verify = |extra: &[&str]| {
        run(apostille()
            .current_dir(d)
            .args([
                "verify",
                "bundle",
                "--bundle",
                "app-1.0.tar.gz.sigstore.json",
            ])
            .args(["--key", "cosign.pub"])
            .args(extra)
            .arg("app-1.0.tar.gz"))
    };
    verify(&["--insecure-ignore-tlog"])
        .code_is(0)
        .stdout_has(b"VERIFIED message signature by key sha256:")
        .stdout_has(b"transparency log NOT checked");
    // Without the explicit flag, a bundle with no log entry is refused,
    // and the refusal names the flag.
    verify(&[])
        .code_is(1)
        .stdout_has(b"FAILED (proof): the bundle carries no transparency-log entry")
        .stdout_has(b"--insecure-ignore-tlog");
    // Another key.
    let other = tempfile::tempdir().unwrap();
    keypair(other.path());
    run(apostille()
        .current_dir(d)
        .args([
            "verify",
            "bundle",
            "--bundle",
            "app-1.0.tar.gz.sigstore.json",
            "--key",
        ])
        .arg(other.path().join("cosign.pub"))
        .args(["--insecure-ignore-tlog", "app-1.0.tar.gz"]))
    .code_is(1)
    .stdout_has(b"FAILED (signature)");
    // One byte of the artifact changed.
    let mut bytes = std::fs::read(d.join("app-1.0.tar.gz")).unwrap();
    bytes[10] ^= 1;
    std::fs::write(d.join("app-1.0.tar.gz"), &bytes).unwrap();
    verify(&["--insecure-ignore-tlog"])
        .code_is(1)
        .stdout_has(b"FAILED (signature)");
    // The bundle is not replaced without --force; a wrong password names
    // the key file and writes nothing.
    run(with_password(apostille().current_dir(d)).args([
        "sign",
        "blob",
        "--key",
        "cosign.key",
        "app-1.0.tar.gz",
    ]))
    .code_is(2)
    .stderr_has("not replaced");
    std::fs::remove_file(d.join("app-1.0.tar.gz.sigstore.json")).unwrap();
    run(apostille()
        .current_dir(d)
        .env("COSIGN_PASSWORD", "wrong")
        .args(["sign", "blob", "--key", "cosign.key", "app-1.0.tar.gz"]))
    .code_is(2)
    .stderr_has("cosign.key: wrong password");
    assert!(!d.join("app-1.0.tar.gz.sigstore.json").exists());
}

#[test]
fn provenance_from_github_actions_verifies_under_a_slsa_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    keypair(d);
    std::fs::write(d.join("example-1.2.0.tar.gz"), vec![1u8; 70_000]).unwrap();
    std::fs::write(d.join("example-1.2.0-bin.zip"), b"zip").unwrap();
    let attest = |out: &str| {
        let mut c = apostille();
        c.current_dir(d).envs(GITHUB.iter().copied());
        with_password(&mut c).args(["attest", "--key", "cosign.key", "--force", "-o", out]);
        c.args(["example-1.2.0.tar.gz", "example-1.2.0-bin.zip"]);
        run(&mut c)
    };
    attest("a.intoto.sigstore.json").code_is(0);
    attest("b.intoto.sigstore.json").code_is(0);
    // Same inputs and SOURCE_DATE_EPOCH: the same statement, byte for byte.
    let (a, b) = (
        json(&d.join("a.intoto.sigstore.json")),
        json(&d.join("b.intoto.sigstore.json")),
    );
    assert_eq!(a["dsseEnvelope"]["payload"], b["dsseEnvelope"]["payload"]);
    assert_eq!(
        a["dsseEnvelope"]["payloadType"],
        "application/vnd.in-toto+json"
    );
    use base64::Engine as _;
    let payload = base64::engine::general_purpose::STANDARD
        .decode(a["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    let st: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(st["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(st["subject"].as_array().unwrap().len(), 2);
    assert!(st["subject"][0]["digest"]["sha512"].is_string());
    assert_eq!(
        st["predicate"]["runDetails"]["metadata"]["startedOn"],
        "2023-11-14T22:13:20Z"
    );

    let verify = |extra: &[&str], artifact: &str| {
        run(apostille()
            .current_dir(d)
            .args([
                "verify",
                "attestation",
                "--bundle",
                "a.intoto.sigstore.json",
            ])
            .args(["--key", "cosign.pub", "--insecure-ignore-tlog"])
            .args(extra)
            .arg(artifact))
    };
    verify(
        &[
            "--type",
            "slsaprovenance1",
            "--source-uri",
            "github.com/apache/example",
            "--source-tag",
            "v1.2.0",
            "--builder-id",
            "https://github.com/apache/example/.github/workflows/release.yml",
        ],
        "example-1.2.0-bin.zip",
    )
    .code_is(0)
    .stdout_has(b"from github.com/apache/example refs/tags/v1.2.0 (0123456789abcdef0123456789abcdef01234567)");
    verify(&["--source-tag", "v1.2.1"], "example-1.2.0.tar.gz")
        .code_is(1)
        .stdout_has(b"FAILED (policy)");
    std::fs::write(d.join("example-1.2.0-bin.zip"), b"zap").unwrap();
    verify(&[], "example-1.2.0-bin.zip")
        .code_is(1)
        .stdout_has(b"FAILED (signature)");
}

#[test]
fn sbom_attestations_and_bad_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    keypair(d);
    std::fs::write(d.join("a.tar.gz"), b"a").unwrap();
    std::fs::write(d.join("sbom.spdx.json"), br#"{"spdxVersion": "SPDX-2.3"}"#).unwrap();
    run(with_password(apostille().current_dir(d)).args([
        "attest",
        "--key",
        "cosign.key",
        "--predicate-type",
        "https://spdx.dev/Document",
        "--predicate",
        "sbom.spdx.json",
        "a.tar.gz",
    ]))
    .code_is(0);
    run(apostille()
        .current_dir(d)
        .args([
            "verify",
            "attestation",
            "--bundle",
            "a.tar.gz.intoto.sigstore.json",
        ])
        .args([
            "--key",
            "cosign.pub",
            "--insecure-ignore-tlog",
            "--type",
            "spdxjson",
            "a.tar.gz",
        ]))
    .code_is(0)
    .stdout_has(b"VERIFIED attestation https://spdx.dev/Document");

    // A predicate that is not JSON; no CI and no flags; a missing key.
    std::fs::write(d.join("bad.json"), b"{").unwrap();
    run(with_password(apostille().current_dir(d)).args([
        "attest",
        "--force",
        "--key",
        "cosign.key",
        "--predicate-type",
        "x",
        "--predicate",
        "bad.json",
        "a.tar.gz",
    ]))
    .code_is(2)
    .stderr_has("bad.json: the predicate is not JSON");
    run(with_password(apostille().current_dir(d))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITLAB_CI")
        .args(["attest", "--force", "--key", "cosign.key", "a.tar.gz"]))
    .code_is(2)
    .stderr_has("no CI environment found");
    run(with_password(apostille().current_dir(d))
        .envs([("GITHUB_ACTIONS", "true")])
        .args(["attest", "--force", "--key", "cosign.key", "a.tar.gz"]))
    .code_is(2)
    .stderr_has("GitHub Actions: missing GITHUB_REPOSITORY");
    run(with_password(apostille().current_dir(d))
        .args(["sign", "blob", "--key", "nope.key", "a.tar.gz"]))
    .code_is(2)
    .stderr_has("nope.key: cannot read: No such file");
}

/// `sign blob --keyless` and `attest --keyless` against the in-process
/// Sigstore test instance (OIDC issuer, Fulcio, Rekor, TSA): the bundles
/// pass `apostille verify` and sigstore-python (offline, with the
/// instance's trust config), and fail both once the artifact changes. The
/// instance never judges its own output.
#[test]
fn keyless_bundles_from_the_cli_pass_sigstore_python() {
    const EMAIL: &str = "release-manager@apostille.test";
    let sigstore = apostille_testkit::TestInstance::start().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("trusted_root.json"), sigstore.trusted_root_json()).unwrap();
    std::fs::write(
        d.join("trust_config.json"),
        sigstore.client_trust_config_json(),
    )
    .unwrap();
    std::fs::write(
        d.join("signing_config.json"),
        sigstore.signing_config_json(),
    )
    .unwrap();
    std::fs::write(
        d.join("token"),
        format!("{}\n", sigstore.identity_token(EMAIL)),
    )
    .unwrap();
    std::fs::write(d.join("demo-1.0.tar.gz"), vec![5u8; 90_000]).unwrap();
    let keyless = [
        "--keyless",
        "--identity-token",
        "token",
        "--signing-config",
        "signing_config.json",
    ];
    run(apostille()
        .current_dir(d)
        .args(["sign", "blob"])
        .args(keyless)
        .arg("demo-1.0.tar.gz"))
    .code_is(0);
    run(apostille()
        .current_dir(d)
        .args(["attest", "--provenance", "generic"])
        .args(["--builder-id", "https://ci.apostille.test/builder"])
        .args(["--source-uri", "git+https://git.apostille.test/demo"])
        .args(["--source-ref", "refs/tags/v1.0"])
        .args(keyless)
        .arg("demo-1.0.tar.gz"))
    .code_is(0);
    let ours = |bundle: &str, sub: &str, extra: &[&str]| {
        run(apostille()
            .current_dir(d)
            .args(["verify", sub, "--bundle", bundle])
            .args(["--trusted-root", "trusted_root.json"])
            .args(["--certificate-identity", EMAIL])
            .args(["--certificate-oidc-issuer", sigstore.issuer()])
            .args(extra)
            .arg("demo-1.0.tar.gz"))
    };
    ours("demo-1.0.tar.gz.sigstore.json", "bundle", &[])
        .code_is(0)
        .stdout_has(b"VERIFIED message signature by release-manager@apostille.test")
        .stdout_has(b"transparency log checked");
    ours(
        "demo-1.0.tar.gz.intoto.sigstore.json",
        "attestation",
        &[
            "--source-uri",
            "git.apostille.test/demo",
            "--source-tag",
            "v1.0",
        ],
    )
    .code_is(0);

    // The independent judge.
    let Some(exe) = crate::common::judge("sigstore") else {
        return;
    };
    let python = |bundle: &str| {
        let out = std::process::Command::new(&exe)
            .current_dir(d)
            .args(["--trust-config", "trust_config.json"])
            .args(["verify", "identity", "--offline", "--bundle", bundle])
            .args([
                "--cert-identity",
                EMAIL,
                "--cert-oidc-issuer",
                sigstore.issuer(),
            ])
            .arg("demo-1.0.tar.gz")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for b in [
        "demo-1.0.tar.gz.sigstore.json",
        "demo-1.0.tar.gz.intoto.sigstore.json",
    ] {
        let (ok, err) = python(b);
        assert!(ok, "sigstore-python rejects {b}: {err}");
    }
    std::fs::write(d.join("demo-1.0.tar.gz"), vec![6u8; 90_000]).unwrap();
    for b in [
        "demo-1.0.tar.gz.sigstore.json",
        "demo-1.0.tar.gz.intoto.sigstore.json",
    ] {
        let (ok, _) = python(b);
        assert!(!ok, "sigstore-python accepts {b} for a changed artifact");
    }
    ours("demo-1.0.tar.gz.sigstore.json", "bundle", &[])
        .code_is(1)
        .stdout_has(b"FAILED");
}

/// sigstore-conformance's protocol, both directions: `conformance
/// sign-bundle` with the token as a value and a signing config, then
/// `conformance verify-bundle` with the trusted root, by path and by digest.
#[test]
fn conformance_sign_bundle_then_verify_bundle() {
    const EMAIL: &str = "conformance@apostille.test";
    let sigstore = apostille_testkit::TestInstance::start().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("trusted_root.json"), sigstore.trusted_root_json()).unwrap();
    std::fs::write(
        d.join("signing_config.json"),
        sigstore.signing_config_json(),
    )
    .unwrap();
    std::fs::write(d.join("a.txt"), b"conformance\n").unwrap();
    run(apostille()
        .current_dir(d)
        .args(["conformance", "sign-bundle", "--identity-token"])
        .arg(sigstore.identity_token(EMAIL))
        .args(["--bundle", "a.txt.sigstore.json"])
        .args(["--trusted-root", "trusted_root.json"])
        .args(["--signing-config", "signing_config.json", "a.txt"]))
    .code_is(0);
    let sha = {
        let out = run(apostille()
            .current_dir(d)
            .args(["hash", "-a", "sha256", "a.txt"]));
        format!(
            "sha256:{}",
            &String::from_utf8(out.ok_stdout()).unwrap()[..64]
        )
    };
    for artifact in ["a.txt", sha.as_str()] {
        run(apostille()
            .current_dir(d)
            .args([
                "conformance",
                "verify-bundle",
                "--bundle",
                "a.txt.sigstore.json",
            ])
            .args(["--certificate-identity", EMAIL])
            .args(["--certificate-oidc-issuer", sigstore.issuer()])
            .args(["--trusted-root", "trusted_root.json", artifact]))
        .code_is(0);
    }
    run(apostille()
        .current_dir(d)
        .args([
            "conformance",
            "sign-bundle",
            "--identity-token",
            "not-a-jwt",
        ])
        .args([
            "--bundle",
            "b.json",
            "--signing-config",
            "signing_config.json",
            "a.txt",
        ]))
    .code_is(2);
    assert!(!d.join("b.json").exists());
}

/// What `sign blob` and `attest` write is found by `verify DIR` beside the
/// artifact and checked with the key.
#[test]
fn verify_dir_finds_key_based_bundles() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    keypair(d);
    let dist = d.join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("tool-2.0.tar.gz"), vec![4u8; 40_000]).unwrap();
    run(with_password(apostille().current_dir(d)).args([
        "sign",
        "blob",
        "--key",
        "cosign.key",
        "dist/tool-2.0.tar.gz",
    ]))
    .code_is(0);
    run(with_password(apostille().current_dir(d))
        .args([
            "attest",
            "--key",
            "cosign.key",
            "--builder-id",
            "https://ci.example/b",
        ])
        .args([
            "--source-uri",
            "https://git.example/tool",
            "--source-ref",
            "refs/tags/v2.0",
        ])
        .args(["-o", "dist/tool-2.0.intoto.jsonl", "dist/tool-2.0.tar.gz"]))
    .code_is(0);
    // .intoto.jsonl holds one bundle per line.
    let v = json(&dist.join("tool-2.0.intoto.jsonl"));
    std::fs::write(dist.join("tool-2.0.intoto.jsonl"), format!("{v}\n")).unwrap();
    run(apostille()
        .current_dir(d)
        .args([
            "verify",
            "dist",
            "--key",
            "cosign.pub",
            "--insecure-ignore-tlog",
        ])
        .args(["--require", "sigstore,provenance", "--source-tag", "v2.0"]))
    .code_is(0)
    .stdout_has(b"pass     sigstore ")
    .stdout_has(b"pass     attestation ");
}

/// The bundles `sign blob` and `attest` write are valid against the
/// protobuf-specs Bundle model, as sigstore-python's `sigstore_models`
/// (generated from those specs, unknown fields refused) reads it.
#[test]
fn key_based_bundles_match_the_protobuf_specs_model() {
    let Some(sigstore) = crate::common::judge("sigstore") else {
        return;
    };
    let python = sigstore.with_file_name("python");
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    keypair(d);
    std::fs::write(d.join("x.bin"), b"x").unwrap();
    run(with_password(apostille().current_dir(d)).args([
        "sign",
        "blob",
        "--key",
        "cosign.key",
        "x.bin",
    ]))
    .code_is(0);
    run(with_password(apostille().current_dir(d)).args([
        "attest",
        "--key",
        "cosign.key",
        "--builder-id",
        "b",
        "--source-uri",
        "s",
        "x.bin",
    ]))
    .code_is(0);
    let script = "import sys\nfrom sigstore_models.bundle.v1 import Bundle\n\
                  for f in sys.argv[1:]:\n    Bundle.model_validate_json(open(f).read())\n";
    let out = std::process::Command::new(&python)
        .current_dir(d)
        .args([
            "-c",
            script,
            "x.bin.sigstore.json",
            "x.bin.intoto.sigstore.json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the protobuf-specs model rejects our bundles: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The judge is not a rubber stamp: an unknown field is refused.
    let mut v = json(&d.join("x.bin.sigstore.json"));
    v["bogus"] = serde_json::json!(1);
    std::fs::write(d.join("bogus.json"), v.to_string()).unwrap();
    let out = std::process::Command::new(&python)
        .current_dir(d)
        .args(["-c", script, "bogus.json"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "an unknown field was accepted");
}
