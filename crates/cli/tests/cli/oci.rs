//! `apostille oci …` against a real registry: Debian's `docker-registry`
//! (distribution 2.8) on a loopback port, started per test. It has no
//! referrers API, so attachments go through the `sha256-<hex>` tag scheme.
//! Test images are pushed with the library; everything else is the binary.

use std::path::{Path, PathBuf};

use apostille_oci::testing::LocalRegistry;
use apostille_oci::{Digest, ImageRef, Platform, Registry, RegistryOptions};

use crate::common::{apostille, run, run_stdin};

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

/// A bcrypt hash of `PASSWORD`, made for these tests only.
const HTPASSWD: &str = "alice:$2b$05$CzNht6afXV6A.gBM.1FFru7JHJb7lBdTbBu9pfMzy37.7bRL2eAyq";
const PASSWORD: &str = "apostille-test-password";

/// The bundle of one sigstore-conformance `bundle-verify` case, when the
/// vectors are present (else a recorded skip).
fn conformance(case: &str) -> Option<PathBuf> {
    crate::common::vectors("sigstore-conformance/bundle-verify")
        .map(|dir| dir.join(case).join("bundle.sigstore.json"))
}

/// A registry with one small image pushed as `demo/app:v1`.
fn registry_with_image(htpasswd: Option<&str>) -> Option<(LocalRegistry, String, Digest)> {
    let local = LocalRegistry::start_or_skip(htpasswd)?;
    let image = format!("{}/demo/app:v1", local.host());
    let reference = ImageRef::parse(&image).unwrap();
    let credentials = match htpasswd {
        Some(_) => apostille_oci::Credentials::Basic {
            username: "alice".into(),
            password: PASSWORD.into(),
        },
        None => apostille_oci::Credentials::Anonymous,
    };
    let registry = Registry::for_image(
        &reference,
        RegistryOptions {
            credentials,
            ..RegistryOptions::default()
        },
    )
    .unwrap();
    let digest = registry
        .push_image(
            &reference,
            br#"{"os":"linux","architecture":"amd64"}"#,
            &[b"hello layer"],
        )
        .unwrap();
    Some((local, image, digest))
}

fn sbom(dir: &Path) -> PathBuf {
    let path = dir.join("app.spdx.json");
    std::fs::write(
        &path,
        br#"{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"app"}"#,
    )
    .unwrap();
    path
}

#[test]
fn resolve_attach_fetch_and_verify_fails_for_a_bundle_of_another_artifact() {
    // A real bundle, but for the conformance suite's a.txt, not this image.
    let Some(bundle) = conformance("happy-path-v0.3") else {
        return;
    };
    let Some((local, image, digest)) = registry_with_image(None) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let r = run(apostille().args(["oci", "resolve", &image]));
    let out = String::from_utf8(r.ok_stdout()).unwrap();
    assert!(
        out.contains(digest.as_str()) && out.contains("image manifest"),
        "{out}"
    );

    let sbom = sbom(tmp.path());
    let r = run(apostille()
        .args(["oci", "attach", &image, "--bundle"])
        .arg(&bundle)
        .arg("--sbom")
        .arg(&sbom));
    let out = String::from_utf8(r.ok_stdout()).unwrap();
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.contains(&format!("demo/app@{digest}")) && out.contains("referrers tag scheme"),
        "{out}"
    );

    let r = run(apostille().args(["oci", "fetch", &image]));
    let out = String::from_utf8(r.ok_stdout()).unwrap();
    assert!(out.contains("2 referrer(s)"), "{out}");
    let dir = tmp.path().join("fetched");
    let r = run(apostille()
        .args(["oci", "fetch", &image, "--type", "sbom", "-o"])
        .arg(&dir));
    r.code_is(0);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        std::fs::read(&files[0]).unwrap(),
        std::fs::read(&sbom).unwrap()
    );

    let verify = |image: &str| {
        run(apostille().args([
            "oci",
            "verify",
            image,
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
        ]))
    };
    let r = verify(&image);
    let out = String::from_utf8_lossy(&r.stdout).to_string();
    assert_eq!(r.code(), 1, "{}", r.streams());
    assert!(out.contains("FAILED (signature)"), "{out}");

    // Remove it: now nothing refers to the image.
    let listed = String::from_utf8(
        run(apostille().args(["oci", "fetch", &image, "--type", "bundle"])).ok_stdout(),
    )
    .unwrap();
    let referrer = listed
        .lines()
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    run(apostille().args(["oci", "detach", &image, "--referrer", &referrer])).code_is(0);
    let r = verify(&format!("{}/demo/app@{digest}", local.host()));
    assert_eq!(r.code(), 1, "{}", r.streams());
    assert!(
        String::from_utf8_lossy(&r.stdout).contains("FAILED (missing)"),
        "{}",
        r.streams()
    );
}

#[test]
fn an_index_gets_attestations_on_the_digest_named_and_says_so() {
    let Some((local, image, amd)) = registry_with_image(None) else {
        return;
    };
    let reference = ImageRef::parse(&image).unwrap();
    let registry = Registry::for_image(&reference, RegistryOptions::default()).unwrap();
    let mut entry = registry.manifest(&reference).unwrap().descriptor();
    entry.platform = Platform::parse("linux/amd64");
    let index_ref = reference.with_tag("multi");
    let index = registry.push_index(&index_ref, vec![entry]).unwrap();
    let multi = format!("{}/demo/app:multi", local.host());
    let tmp = tempfile::tempdir().unwrap();
    let sbom = sbom(tmp.path());

    let r = run(apostille()
        .args(["oci", "attach", &multi, "--sbom"])
        .arg(&sbom));
    let err = String::from_utf8_lossy(&r.stderr).to_string();
    let out = String::from_utf8(r.ok_stdout()).unwrap();
    assert!(
        err.contains("multi-platform index")
            && err.contains(index.as_str())
            && err.contains("--platform"),
        "{err}"
    );
    assert!(out.contains(index.as_str()), "{out}");

    let r = run(apostille()
        .args([
            "oci",
            "attach",
            &multi,
            "--platform",
            "linux/amd64",
            "--sbom",
        ])
        .arg(&sbom));
    let out = String::from_utf8(r.ok_stdout()).unwrap();
    assert!(out.contains(amd.as_str()), "{out}");

    let r = run(apostille().args(["oci", "resolve", &multi, "--platform", "linux/arm64"]));
    assert_eq!(r.code(), 2, "{}", r.streams());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("linux/amd64"),
        "{}",
        r.streams()
    );
}

#[test]
fn credentials_from_stdin_and_docker_config() {
    let Some((local, image, digest)) = registry_with_image(Some(HTPASSWD)) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let empty_config = tmp.path().join("none");
    std::fs::create_dir(&empty_config).unwrap();
    let r = run(apostille()
        .env("DOCKER_CONFIG", &empty_config)
        .args(["oci", "resolve", &image]));
    assert_eq!(r.code(), 2, "{}", r.streams());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("denied"),
        "{}",
        r.streams()
    );

    let r = run_stdin(
        apostille().env("DOCKER_CONFIG", &empty_config).args([
            "oci",
            "resolve",
            &image,
            "--username",
            "alice",
            "--password-stdin",
        ]),
        format!("{PASSWORD}\n").as_bytes(),
    );
    assert!(
        String::from_utf8(r.ok_stdout())
            .unwrap()
            .contains(digest.as_str())
    );

    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("alice:{PASSWORD}"));
    std::fs::write(
        tmp.path().join("config.json"),
        format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, local.host()),
    )
    .unwrap();
    let r = run(apostille()
        .env("DOCKER_CONFIG", tmp.path())
        .args(["oci", "resolve", &image]));
    assert!(
        String::from_utf8(r.ok_stdout())
            .unwrap()
            .contains(digest.as_str())
    );
}

#[test]
fn unreachable_and_missing_images_are_errors_naming_the_reference() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let image = format!("127.0.0.1:{port}/demo/app:v1");
    let r = run(apostille().args(["oci", "resolve", &image, "--timeout", "3"]));
    assert_eq!(r.code(), 2, "{}", r.streams());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains(&image),
        "{}",
        r.streams()
    );

    let Some((local, _, _)) = registry_with_image(None) else {
        return;
    };
    let missing = format!("{}/demo/app:nope", local.host());
    let r = run(apostille().args(["oci", "resolve", &missing]));
    assert_eq!(r.code(), 2, "{}", r.streams());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("demo/app:nope: not found"),
        "{}",
        r.streams()
    );
}

/// The checked-in, test-only demo keys (cosign format, empty password).
fn demo_key(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/demo-keys")
        .join(name)
        .display()
        .to_string()
}

fn key_verify(image: &str, extra: &[&str]) -> crate::common::Run {
    run(apostille()
        .args(["oci", "verify", image])
        .args([
            "--key",
            &demo_key("TEST-ONLY-cosign.pub"),
            "--insecure-ignore-tlog",
        ])
        .args(extra))
}

/// `oci sign` and `oci attest` with a key: the bundles are attached to the
/// manifest digest and `oci verify` accepts them (with the attestation
/// policy of `verify attestation`); a new image under the tag, or the
/// attestation removed, and verify fails for that reason.
#[test]
fn sign_attest_verify_then_replace_and_detach() {
    let Some((local, image, digest)) = registry_with_image(None) else {
        return;
    };
    let signing = |cmd: &mut std::process::Command| {
        cmd.env("COSIGN_PASSWORD", "")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITLAB_CI");
    };
    let mut c = apostille();
    signing(&mut c);
    let out = run(c
        .args(["oci", "sign", &image])
        .args(["--key", &demo_key("TEST-ONLY-cosign.key")]));
    out.code_is(0).stdout_has(digest.as_str().as_bytes());

    let mut c = apostille();
    signing(&mut c);
    run(c.args(["oci", "attest", &image]).args([
        "--key",
        &demo_key("TEST-ONLY-cosign.key"),
        "--builder-id",
        "https://ci.example.org/image-builder",
        "--source-uri",
        "git+https://git.example.org/app.git",
        "--source-ref",
        "refs/tags/v1",
    ]))
    .code_is(0);

    // Both verify by key; the statement's subject is the manifest digest.
    let r = key_verify(&image, &[]);
    r.code_is(0);
    let text = String::from_utf8_lossy(&r.stdout).to_string();
    assert_eq!(text.matches("VERIFIED").count(), 2, "{text}");
    assert!(text.contains("transparency log NOT checked"), "{text}");
    // With the attestation policy, only the provenance counts, and a
    // policy it does not meet fails.
    let r = key_verify(
        &image,
        &[
            "--type",
            "slsaprovenance1",
            "--source-uri",
            "git.example.org/app",
            "--source-tag",
            "v1",
        ],
    );
    r.code_is(0)
        .stdout_has(b"VERIFIED attestation https://slsa.dev/provenance/v1");
    key_verify(&image, &["--source-tag", "v2"])
        .code_is(1)
        .stdout_has(b"FAILED (policy)");
    // Without --insecure-ignore-tlog an offline key bundle is refused;
    // another key is refused.
    run(apostille()
        .args(["oci", "verify", &image])
        .args(["--key", &demo_key("TEST-ONLY-cosign.pub")]))
    .code_is(1);
    let tmp = tempfile::tempdir().unwrap();
    run(apostille()
        .current_dir(tmp.path())
        .env("COSIGN_PASSWORD", "x")
        .args(["keys", "generate", "--sigstore"]))
    .code_is(0);
    run(apostille()
        .args(["oci", "verify", &image, "--key"])
        .arg(tmp.path().join("cosign.pub"))
        .arg("--insecure-ignore-tlog"))
    .code_is(1)
    .stdout_has(b"FAILED");

    // A new image pushed under the same tag: nothing was signed for it.
    let reference = ImageRef::parse(&image).unwrap();
    let registry = Registry::for_image(&reference, RegistryOptions::default()).unwrap();
    let replaced = registry
        .push_image(
            &reference,
            br#"{"os":"linux","architecture":"amd64"}"#,
            &[b"another layer"],
        )
        .unwrap();
    assert_ne!(replaced, digest);
    key_verify(&image, &[])
        .code_is(1)
        .stdout_has(b"FAILED (missing)");
    // The original digest still verifies; detach both and it fails too.
    let pinned = format!("{}/demo/app@{digest}", local.host());
    key_verify(&pinned, &[]).code_is(0);
    let listed = String::from_utf8(
        run(apostille().args(["oci", "fetch", &pinned, "--type", "bundle"])).ok_stdout(),
    )
    .unwrap();
    for line in listed.lines().skip(1) {
        let referrer = line.split(' ').next().unwrap();
        run(apostille().args(["oci", "detach", &pinned, "--referrer", referrer])).code_is(0);
    }
    key_verify(&pinned, &[])
        .code_is(1)
        .stdout_has(b"FAILED (missing)");
}

/// Keyless `oci sign` against the in-process Sigstore instance, verified by
/// identity and issuer with the instance's trusted root.
#[test]
fn keyless_sign_then_verify_by_identity() {
    let Some((_local, image, _digest)) = registry_with_image(None) else {
        return;
    };
    let sigstore = apostille_testkit::TestInstance::start().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    std::fs::write(t.join("trusted_root.json"), sigstore.trusted_root_json()).unwrap();
    std::fs::write(
        t.join("signing_config.json"),
        sigstore.signing_config_json(),
    )
    .unwrap();
    let email = "image-signer@example.org";
    std::fs::write(t.join("token"), sigstore.identity_token(email)).unwrap();
    run(apostille()
        .args(["oci", "sign", &image, "--keyless", "--identity-token"])
        .arg(t.join("token"))
        .arg("--signing-config")
        .arg(t.join("signing_config.json")))
    .code_is(0);
    let verify = |identity: &str| {
        run(apostille()
            .args(["oci", "verify", &image, "--trusted-root"])
            .arg(t.join("trusted_root.json"))
            .args(["--certificate-identity", identity])
            .args(["--certificate-oidc-issuer", sigstore.issuer()]))
    };
    verify(email)
        .code_is(0)
        .stdout_has(b"VERIFIED message signature")
        .stdout_has(b"transparency log checked");
    verify("someone-else@example.org")
        .code_is(1)
        .stdout_has(b"FAILED (identity)");
}
