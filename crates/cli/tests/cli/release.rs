//! `apostille release DIR`: every attestation from one read per artifact,
//! judged by the peers a downstream user runs (sha512sum/sha256sum -c,
//! gpg --verify with KEYS imported, pyspdxtools, sigstore-python) and by
//! `apostille verify`, which must fail for the right reason after each
//! kind of tampering.

use std::path::{Path, PathBuf};
use std::process::Command;

use apostille_testkit::TestInstance;
use sha2::Digest as _;

use crate::common::{apostille, feed_fifo, gpg, judge, mkfifo, peer, run};

/// The checked-in, test-only demo keys.
fn keys_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo-keys")
}

fn demo_release() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo-release")
}

fn key(name: &str) -> String {
    keys_dir().join(name).display().to_string()
}

/// `apostille release` with no CI variables leaking in from the machine
/// that runs the tests, and a fixed SOURCE_DATE_EPOCH.
fn release_cmd() -> Command {
    let mut c = apostille();
    for v in [
        "GITHUB_ACTIONS",
        "GITHUB_REF",
        "GITHUB_REF_TYPE",
        "GITHUB_REF_NAME",
        "GITLAB_CI",
        "CI_COMMIT_TAG",
    ] {
        c.env_remove(v);
    }
    c.env("SOURCE_DATE_EPOCH", "1700000000")
        .env("COSIGN_PASSWORD", "");
    c.arg("release");
    c
}

/// The signing flags of the demo: OpenPGP key checked against KEYS,
/// Sigstore key, a generic build description, the tag.
fn signing_args() -> Vec<String> {
    [
        "--pgp-key",
        &key("TEST-ONLY-release-manager.sec.asc"),
        "--keys",
        &key("KEYS"),
        "--sigstore-key",
        &key("TEST-ONLY-cosign.key"),
        "--builder-id",
        "https://ci.example.org/release-builder",
        "--source-uri",
        "git+https://git.example.org/demo.git",
        "--tag",
        "v1.4.0",
        "--name",
        "demo-1.4.0",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// A copy of the demo release in a fresh temporary folder, released.
fn released() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo-1.4.0");
    copy_dir(&demo_release(), &dir);
    run(release_cmd().args(signing_args()).arg(&dir)).code_is(0);
    (tmp, dir)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn verify(dir: &Path, extra: &[&str]) -> crate::common::Run {
    run(apostille()
        .arg("verify")
        .arg(dir)
        .args(["--keys", &key("KEYS")])
        .args([
            "--key",
            &key("TEST-ONLY-cosign.pub"),
            "--insecure-ignore-tlog",
        ])
        .args(extra))
}

const ARTIFACTS: [&str; 5] = [
    "LICENSE",
    "README",
    "demo-1.4.0-src.tar.gz",
    "demo-1.4.0-x86_64-linux.bin",
    "docs/RELEASE-NOTES.md",
];

#[test]
fn a_release_verifies_and_the_peers_agree() {
    let (_tmp, dir) = released();
    for a in ARTIFACTS {
        for suffix in [".sha512", ".asc"] {
            assert!(dir.join(format!("{a}{suffix}")).is_file(), "{a}{suffix}");
        }
    }
    for f in [
        "SHA256SUMS",
        "demo-1.4.0.spdx.json",
        "demo-1.4.0.intoto.jsonl",
        "apostille-manifest.json",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }

    // Our verifier: every kind, every artifact.
    let out = verify(&dir, &["--require", "checksum,pgp,provenance,sbom"]);
    out.code_is(0).stdout_has(b"verdict: VERIFIED");
    // Per artifact: SHA256SUMS, the sidecar, the signature, the provenance,
    // the SBOM; then the list's .asc and bundle and the SBOM's .asc, once
    // each. The SBOM attestation is not provenance: skipped.
    assert_eq!(
        crate::common::count(&out.stdout, b"  skipped "),
        ARTIFACTS.len(),
        "{}",
        out.streams()
    );
    assert_eq!(
        crate::common::count(&out.stdout, b"  pass "),
        5 * ARTIFACTS.len() + 3,
        "{}",
        out.streams()
    );

    // coreutils.
    run(peer("sha256sum")
        .current_dir(&dir)
        .args(["-c", "SHA256SUMS"]))
    .code_is(0);
    for a in ARTIFACTS {
        let (folder, _) = a.rsplit_once('/').unwrap_or(("", a));
        let sidecar = format!("{}.sha512", a.rsplit('/').next().unwrap());
        run(peer("sha512sum")
            .current_dir(dir.join(folder))
            .args(["-c", &sidecar]))
        .code_is(0);
    }

    // gpg with the project's KEYS imported.
    let home = tempfile::tempdir().unwrap();
    run(gpg(home.path()).args(["--import", &key("KEYS")])).code_is(0);
    for a in ARTIFACTS {
        let r = run(gpg(home.path())
            .arg("--verify")
            .arg(dir.join(format!("{a}.asc")))
            .arg(dir.join(a)));
        r.code_is(0)
            .stderr_has("Good signature from \"Demo Release Manager (TEST KEY ONLY");
    }
    // ... and on the signed list and the signed SBOM.
    for f in ["SHA256SUMS", "demo-1.4.0.spdx.json"] {
        let r = run(gpg(home.path())
            .arg("--verify")
            .arg(dir.join(format!("{f}.asc")))
            .arg(dir.join(f)));
        r.code_is(0)
            .stderr_has("Good signature from \"Demo Release Manager (TEST KEY ONLY");
    }

    // pyspdxtools on the SBOM.
    if let Some(exe) = judge("pyspdxtools") {
        let r = run(Command::new(exe)
            .arg("-i")
            .arg(dir.join("demo-1.4.0.spdx.json")));
        assert_eq!(
            r.code(),
            0,
            "pyspdxtools rejects the SBOM:\n{}",
            r.streams()
        );
    }

    // The provenance bundle against the protobuf-specs model
    // sigstore-python reads bundles with (unknown fields refused).
    if let Some(sigstore) = judge("sigstore") {
        let line = std::fs::read_to_string(dir.join("demo-1.4.0.intoto.jsonl")).unwrap();
        assert_eq!(line.lines().count(), 1);
        let bundle = dir.parent().unwrap().join("provenance.json");
        std::fs::write(&bundle, line.trim_end()).unwrap();
        let script = "import sys\nfrom sigstore_models.bundle.v1 import Bundle\n\
                      Bundle.model_validate_json(open(sys.argv[1]).read())\n";
        let r = run(Command::new(sigstore.with_file_name("python"))
            .args(["-c", script])
            .arg(&bundle));
        assert_eq!(r.code(), 0, "{}", r.streams());
    }

    // The provenance names every artifact and records the release.
    let statement = provenance_statement(&dir);
    let subjects: Vec<&str> = statement["subject"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ARTIFACTS);
    let params = &statement["predicate"]["buildDefinition"]["externalParameters"];
    assert_eq!(params["release"]["version"], "1.4.0", "{statement}");

    // The manifest lists every output with its SHA-256.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("apostille-manifest.json")).unwrap())
            .unwrap();
    let outputs = manifest["outputs"].as_array().unwrap();
    // Sidecars and signatures per artifact; SHA256SUMS with its .asc and
    // bundle; the SBOM with its .asc; the SBOM attestation; the provenance.
    assert_eq!(outputs.len(), 2 * ARTIFACTS.len() + 7);
    for o in outputs {
        let bytes = std::fs::read(dir.join(o["name"].as_str().unwrap())).unwrap();
        assert_eq!(o["sha256"], hex(&sha2::Sha256::digest(&bytes)), "{o}");
    }
    assert_eq!(manifest["release"]["version"], "1.4.0");
    assert_eq!(manifest["created"], "2023-11-14T22:13:20Z");
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn provenance_statement(dir: &Path) -> serde_json::Value {
    use base64::Engine as _;
    let line = std::fs::read_to_string(
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let n = p.to_string_lossy();
                n.ends_with(".intoto.jsonl") && !n.ends_with(".sbom.intoto.jsonl")
            })
            .unwrap(),
    )
    .unwrap();
    let bundle: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
    let payload = base64::engine::general_purpose::STANDARD
        .decode(bundle["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&payload).unwrap()
}

/// Same inputs, same SOURCE_DATE_EPOCH: same checksum files and SBOM.
#[test]
fn outputs_are_deterministic() {
    let (_a, one) = released();
    let (_b, two) = released();
    for f in [
        "SHA256SUMS",
        "demo-1.4.0-src.tar.gz.sha512",
        "demo-1.4.0.spdx.json",
    ] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
}

/// Each tampering makes verify fail, for its reason and nothing else.
#[test]
fn each_tampering_fails_for_its_reason() {
    let (_tmp, template) = released();
    let case = |name: &str| {
        let d = template.parent().unwrap().join(name);
        copy_dir(&template, &d);
        d
    };
    let fails = |out: &crate::common::Run| crate::common::count(&out.stdout, b"  FAIL ");

    // One byte of an artifact: its six checks fail, nothing else.
    let d = case("byte");
    let bin = d.join("demo-1.4.0-x86_64-linux.bin");
    let mut bytes = std::fs::read(&bin).unwrap();
    bytes[1000] ^= 1;
    std::fs::write(&bin, &bytes).unwrap();
    let out = verify(&d, &[]);
    out.code_is(1)
        .stdout_has(b"demo-1.4.0-x86_64-linux.bin: FAILED")
        .stdout_has(b"sha512 does NOT match")
        .stdout_has(b"BAD signature")
        .stdout_has(b"demo-1.4.0-src.tar.gz: VERIFIED");
    assert_eq!(fails(&out), 6, "{}", out.streams());

    // A checksum line edited.
    let d = case("line");
    let sums = d.join("SHA256SUMS");
    let mut text = std::fs::read(&sums).unwrap();
    text[0] = if text[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(&sums, &text).unwrap();
    let out = verify(&d, &[]);
    // The line no longer matches its file, and the list's signature and
    // bundle no longer hold: for the file, for each file the list vouches
    // for, and once for the list itself.
    out.code_is(1)
        .stdout_has(b"sha256 does NOT match")
        .stdout_has(b"SHA256SUMS.asc: BAD signature")
        .stdout_has(b"SHA256SUMS.sigstore.json: (signature)");
    assert_eq!(
        fails(&out),
        1 + 2 * (ARTIFACTS.len() - 1) + 2,
        "{}",
        out.streams()
    );

    // The .asc replaced by one from another key.
    let d = case("asc");
    let other =
        crate::pgp::Signer::new("other@example.org", "ed25519", "never", "20240101T000000!");
    let readme = d.join("README");
    std::fs::write(
        d.join("README.asc"),
        other.sign(&readme, "20240601T000000!", "SHA512"),
    )
    .unwrap();
    let out = verify(&d, &[]);
    out.code_is(1).stdout_has(b"not in the KEYS given");
    assert_eq!(fails(&out), 1, "{}", out.streams());

    // The key removed from KEYS: every signature fails.
    let d = case("keys");
    let empty_keys = d.parent().unwrap().join("KEYS-without-the-key");
    std::fs::write(&empty_keys, other.export()).unwrap();
    let out = run(apostille()
        .arg("verify")
        .arg(&d)
        .arg("--keys")
        .arg(&empty_keys)
        .args([
            "--key",
            &key("TEST-ONLY-cosign.pub"),
            "--insecure-ignore-tlog",
        ]));
    out.code_is(1).stdout_has(b"not in the KEYS given");
    assert_eq!(fails(&out), ARTIFACTS.len(), "{}", out.streams());

    // The bundle's subject digest changed: the DSSE signature no longer
    // covers the statement.
    let d = case("subject");
    let path = d.join("demo-1.4.0.intoto.jsonl");
    let mut bundle: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&path).unwrap().trim_end()).unwrap();
    let mut st = provenance_statement(&d);
    st["subject"][0]["digest"]["sha256"] = serde_json::json!("0".repeat(64));
    {
        use base64::Engine as _;
        bundle["dsseEnvelope"]["payload"] =
            serde_json::json!(base64::engine::general_purpose::STANDARD.encode(st.to_string()));
    }
    std::fs::write(&path, format!("{bundle}\n")).unwrap();
    let out = verify(&d, &[]);
    out.code_is(1).stdout_has(b"FAIL     attestation ");
    assert!(
        out.stdout
            .windows(b"FAIL     checksum".len())
            .all(|w| w != b"FAIL     checksum"),
        "{}",
        out.streams()
    );

    // An SBOM checksum edited.
    let d = case("sbom");
    let path = d.join("demo-1.4.0.spdx.json");
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let packages = doc["packages"].as_array_mut().unwrap();
    let readme = packages
        .iter_mut()
        .find(|p| p["packageFileName"] == "README")
        .unwrap();
    for c in readme["checksums"].as_array_mut().unwrap() {
        if c["algorithm"] == "SHA256" {
            c["checksumValue"] = serde_json::json!("0".repeat(64));
        }
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = verify(&d, &[]);
    // The edited package fails, and the SBOM's signature no longer holds:
    // for every other file it describes, and once for the document.
    out.code_is(1)
        .stdout_has(b"FAIL     sbom ")
        .stdout_has(b"demo-1.4.0.spdx.json.asc: BAD signature");
    assert_eq!(
        fails(&out),
        1 + (ARTIFACTS.len() - 1) + 1,
        "{}",
        out.streams()
    );

    // An artifact missing: fails, or is left out with --ignore-missing.
    let d = case("missing");
    std::fs::remove_file(d.join("README")).unwrap();
    let out = verify(&d, &[]);
    out.code_is(1).stdout_has(b"README is missing");
    verify(&d, &["--ignore-missing"])
        .code_is(0)
        .stdout_has(b"verdict: VERIFIED");
}

#[test]
fn nothing_is_written_when_a_check_before_writing_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dist");
    copy_dir(&demo_release(), &dir);
    let listing = |d: &Path| {
        let mut v: Vec<String> = walkdir(d);
        v.sort();
        v
    };
    let before = listing(&dir);

    // Naming rules.
    run(release_cmd()
        .args(signing_args())
        .args(["--require-in-name", "-incubating"])
        .arg(&dir))
    .code_is(2)
    .stderr_has("demo-1.4.0-src.tar.gz: does not contain \"-incubating\"");
    assert_eq!(listing(&dir), before);

    // The key is not in KEYS.
    let other =
        crate::pgp::Signer::new("other@example.org", "ed25519", "never", "20240101T000000!");
    let keys = tmp.path().join("KEYS");
    std::fs::write(&keys, other.export()).unwrap();
    let mut args = signing_args();
    let i = args.iter().position(|a| a == "--keys").unwrap();
    args[i + 1] = keys.display().to_string();
    run(release_cmd().args(&args).arg(&dir))
        .code_is(2)
        .stderr_has("is not in it; add it (apostille keys add) before releasing");
    assert_eq!(listing(&dir), before);

    // A typo in the configuration.
    let config = tmp.path().join("apostille.toml");
    std::fs::write(&config, "[release.checksums]\nsidecar = [\"sha512\"]\n").unwrap();
    run(release_cmd().arg("--config").arg(&config).arg(&dir))
        .code_is(2)
        .stderr_has("apostille.toml");
    assert_eq!(listing(&dir), before);

    // A provenance with no build description outside CI.
    run(release_cmd()
        .args(["--sigstore-key", &key("TEST-ONLY-cosign.key")])
        .arg(&dir))
    .code_is(2)
    .stderr_has("--builder-id");
    assert_eq!(listing(&dir), before);

    // Released once; a second run refuses to overwrite, --force replaces.
    run(release_cmd().args(signing_args()).arg(&dir)).code_is(0);
    let sums = std::fs::read(dir.join("SHA256SUMS")).unwrap();
    run(release_cmd().args(signing_args()).arg(&dir))
        .code_is(2)
        .stderr_has("outputs exist (--force replaces them)")
        .stderr_has("SHA256SUMS");
    // Re-running never takes its own outputs for artifacts.
    run(release_cmd().args(signing_args()).arg("--force").arg(&dir)).code_is(0);
    assert_eq!(std::fs::read(dir.join("SHA256SUMS")).unwrap(), sums);

    // An unreadable artifact: an error naming it, nothing written.
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    std::fs::write(fresh.join("a.tar.gz"), b"a").unwrap();
    std::os::unix::fs::symlink(fresh.join("gone"), fresh.join("dangling.bin")).unwrap();
    run(release_cmd().arg(&fresh))
        .code_is(2)
        .stderr_has("dangling.bin");
    assert_eq!(walkdir(&fresh).len(), 2);
}

fn walkdir(d: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

/// Artifacts delivered through FIFOs can be read once only: the release
/// completes, so every output came from that one read.
#[test]
fn one_read_makes_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dist");
    std::fs::create_dir(&dir).unwrap();
    let data: Vec<(&str, Vec<u8>)> = vec![
        ("app-2.0.tar.gz", vec![7u8; 3 << 20]),
        ("app-2.0-linux.bin", b"a small binary\n".to_vec()),
    ];
    let mut feeders = Vec::new();
    for (name, bytes) in &data {
        let p = dir.join(name);
        mkfifo(&p);
        feeders.push(feed_fifo(p, bytes.clone()));
    }
    let out_dir = tmp.path().join("out");
    run(release_cmd()
        .args(signing_args())
        .arg("--out")
        .arg(&out_dir)
        .arg(&dir))
    .code_is(0);
    for f in feeders {
        assert!(f.join().unwrap(), "a FIFO was not read");
    }
    // The outputs describe the bytes that went through the pipes.
    let sums = std::fs::read_to_string(out_dir.join("SHA256SUMS")).unwrap();
    for (name, bytes) in &data {
        assert!(
            sums.contains(&format!("{}  {name}\n", hex(&sha2::Sha256::digest(bytes)))),
            "{sums}"
        );
        let side = std::fs::read_to_string(out_dir.join(format!("{name}.sha512"))).unwrap();
        assert_eq!(
            side,
            format!("{}  {name}\n", hex(&sha2::Sha512::digest(bytes)))
        );
        // The signature made from that read verifies over a copy.
        let copy = tmp.path().join("copy").join(name);
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::write(&copy, bytes).unwrap();
        std::fs::copy(
            out_dir.join(format!("{name}.asc")),
            copy.parent().unwrap().join(format!("{name}.asc")),
        )
        .unwrap();
    }
    run(apostille()
        .arg("verify")
        .arg(tmp.path().join("copy"))
        .args(["--keys", &key("KEYS"), "--require", "pgp"]))
    .code_is(0);
}

/// The GitHub Actions example's environment: the tag gives the version,
/// the provenance is GitHub's build type, verify checks source and tag.
#[test]
fn github_actions_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dist");
    copy_dir(&demo_release(), &dir);
    let mut cmd = release_cmd();
    for (k, v) in [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_REPOSITORY", "example-org/demo"),
        ("GITHUB_REF", "refs/tags/v1.4.0"),
        ("GITHUB_REF_TYPE", "tag"),
        ("GITHUB_REF_NAME", "v1.4.0"),
        ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
        (
            "GITHUB_WORKFLOW_REF",
            "example-org/demo/.github/workflows/release.yml@refs/tags/v1.4.0",
        ),
        ("GITHUB_RUN_ID", "4242"),
        ("GITHUB_RUN_ATTEMPT", "1"),
        ("GITHUB_EVENT_NAME", "push"),
    ] {
        cmd.env(k, v);
    }
    let out = run(cmd
        .args(["--sigstore-key", &key("TEST-ONLY-cosign.key")])
        .args(["--name", "demo-1.4.0", "--json"])
        .arg(&dir));
    out.code_is(0);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["release"]["version"], "1.4.0");
    let st = provenance_statement(&dir);
    assert_eq!(
        st["predicate"]["buildDefinition"]["buildType"],
        "https://actions.github.io/buildtypes/workflow/v1"
    );
    assert_eq!(
        st["predicate"]["buildDefinition"]["externalParameters"]["release"]["version"],
        "1.4.0"
    );
    run(apostille()
        .arg("verify")
        .arg(&dir)
        .args([
            "--key",
            &key("TEST-ONLY-cosign.pub"),
            "--insecure-ignore-tlog",
        ])
        .args(["--source-uri", "github.com/example-org/demo"])
        .args(["--source-tag", "v1.4.0", "--require", "provenance"]))
    .code_is(0);
    run(apostille()
        .arg("verify")
        .arg(&dir)
        .args([
            "--key",
            &key("TEST-ONLY-cosign.pub"),
            "--insecure-ignore-tlog",
        ])
        .args(["--source-tag", "v9.9.9"]))
    .code_is(1);
}

/// Keyless, against the in-process Sigstore instance: sigstore-python
/// (offline, with the instance's trust config) accepts the provenance
/// bundle for every artifact, and refuses a changed one.
#[test]
fn keyless_release_judged_by_sigstore_python() {
    let sigstore = TestInstance::start().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    std::fs::write(t.join("trusted_root.json"), sigstore.trusted_root_json()).unwrap();
    std::fs::write(
        t.join("trust_config.json"),
        sigstore.client_trust_config_json(),
    )
    .unwrap();
    std::fs::write(
        t.join("signing_config.json"),
        sigstore.signing_config_json(),
    )
    .unwrap();
    let email = "release-manager@example.org";
    std::fs::write(t.join("token"), sigstore.identity_token(email)).unwrap();
    let dir = t.join("dist");
    copy_dir(&demo_release(), &dir);
    run(release_cmd()
        .args(["--keyless", "--identity-token"])
        .arg(t.join("token"))
        .arg("--signing-config")
        .arg(t.join("signing_config.json"))
        .args(["--builder-id", "https://ci.example.org/b"])
        .args(["--source-uri", "git+https://git.example.org/demo.git"])
        .args([
            "--name",
            "demo-1.4.0",
            "--no-sbom",
            "--sidecars",
            "",
            "--lists",
            "sha256",
        ])
        .arg(&dir))
    .code_is(0);
    run(apostille()
        .arg("verify")
        .arg(&dir)
        .arg("--trusted-root")
        .arg(t.join("trusted_root.json"))
        .args(["--certificate-identity", email])
        .args(["--certificate-oidc-issuer", sigstore.issuer()])
        .args(["--require", "provenance"]))
    .code_is(0);

    let Some(python) = judge("sigstore") else {
        return;
    };
    let line = std::fs::read_to_string(dir.join("demo-1.4.0.intoto.jsonl")).unwrap();
    let bundle = t.join("provenance.sigstore.json");
    std::fs::write(&bundle, line.trim_end()).unwrap();
    let judge = |artifact: &Path| {
        Command::new(&python)
            .arg("--trust-config")
            .arg(t.join("trust_config.json"))
            .args(["verify", "identity", "--offline", "--bundle"])
            .arg(&bundle)
            .args(["--cert-identity", email])
            .args(["--cert-oidc-issuer", sigstore.issuer()])
            .arg(artifact)
            .output()
            .unwrap()
    };
    for a in ARTIFACTS {
        let out = judge(&dir.join(a));
        assert!(
            out.status.success(),
            "sigstore-python rejects the provenance for {a}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let changed = t.join("changed.bin");
    std::fs::write(&changed, b"not released").unwrap();
    assert!(!judge(&changed).status.success());
}

/// THIRD_PARTY_NOTICES for a Cargo workspace (this one) are made, listed,
/// signed and verified like any artifact.
#[test]
fn notices_are_part_of_the_release() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dist");
    copy_dir(&demo_release(), &dir);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    run(release_cmd()
        .args(signing_args())
        .arg("--notices-manifest")
        .arg(&manifest)
        .arg(&dir))
    .code_is(0);
    let notices = std::fs::read_to_string(dir.join("THIRD_PARTY_NOTICES.md")).unwrap();
    assert!(notices.starts_with("# Third-party notices"));
    assert!(dir.join("THIRD_PARTY_NOTICES.md.asc").is_file());
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    assert!(sums.contains("  THIRD_PARTY_NOTICES.md\n"), "{sums}");
    verify(&dir, &[]).code_is(0);
}

/// A source tarball arriving through a pipe, read once: its per-file SBOM
/// (`--sbom-contents`) in SPDX and CycloneDX lists what tar extracts, the
/// judges accept both, and verify checks the CycloneDX hashes as it
/// checks SPDX checksums.
#[test]
fn contents_and_cyclonedx_from_the_one_read() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("build").join("app-2.0");
    std::fs::create_dir_all(src.join("src")).unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("README", b"app release\n".to_vec()),
        (
            "src/lib.rs",
            (0..(2u32 << 20)).map(|i| (i % 251) as u8).collect(),
        ),
    ];
    for (name, bytes) in &files {
        std::fs::write(src.join(name), bytes).unwrap();
    }
    let tarball = tmp.path().join("build").join("app-2.0.tar.gz");
    run(peer("tar")
        .current_dir(tmp.path().join("build"))
        .args(["--sort=name", "--owner=0", "--group=0", "-czf"])
        .arg(&tarball)
        .arg("app-2.0"))
    .code_is(0);
    let tar_bytes = std::fs::read(&tarball).unwrap();

    let dir = tmp.path().join("dist");
    std::fs::create_dir(&dir).unwrap();
    let fifo = dir.join("app-2.0.tar.gz");
    mkfifo(&fifo);
    let feeder = feed_fifo(fifo.clone(), tar_bytes.clone());
    std::fs::write(dir.join("app-2.0-linux.bin"), b"a small binary\n").unwrap();
    let out_dir = tmp.path().join("out");
    run(release_cmd()
        .args(signing_args())
        .args([
            "--sbom-format",
            "spdx-json,cyclonedx-json",
            "--sbom-contents",
        ])
        .arg("--out")
        .arg(&out_dir)
        .arg(&dir))
    .code_is(0);
    assert!(feeder.join().unwrap(), "the FIFO was not read");

    // Both documents list the tarball's files with what tar extracts.
    let sha256 = |b: &[u8]| hex(&sha2::Sha256::digest(b));
    let cdx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("app-2.0.tar.gz.cdx.json")).unwrap())
            .unwrap();
    assert_eq!(cdx["metadata"]["component"]["name"], "app-2.0.tar.gz");
    let listed: Vec<(String, String)> = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let h = c["hashes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["alg"] == "SHA-256")
                .unwrap();
            (
                c["name"].as_str().unwrap().to_owned(),
                h["content"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = files
        .iter()
        .map(|(n, b)| (format!("app-2.0/{n}"), sha256(b)))
        .collect();
    assert_eq!(listed, want);
    let spdx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("app-2.0.tar.gz.spdx.json")).unwrap())
            .unwrap();
    assert_eq!(spdx["files"].as_array().unwrap().len(), files.len());

    for doc in ["demo-1.4.0.cdx.json", "app-2.0.tar.gz.cdx.json"] {
        crate::sbom::judge_cyclonedx(&out_dir.join(doc));
    }
    if let Some(exe) = judge("pyspdxtools") {
        for doc in ["demo-1.4.0.spdx.json", "app-2.0.tar.gz.spdx.json"] {
            let r = run(Command::new(&exe).arg("-i").arg(out_dir.join(doc)));
            assert_eq!(r.code(), 0, "pyspdxtools rejects {doc}:\n{}", r.streams());
        }
    }
    // One SBOM attestation per document, CycloneDX's predicate among them.
    let att = std::fs::read_to_string(out_dir.join("demo-1.4.0.sbom.intoto.jsonl")).unwrap();
    assert_eq!(att.lines().count(), 4);

    // The artifacts beside their outputs verify, CycloneDX included.
    std::fs::write(out_dir.join("app-2.0.tar.gz"), &tar_bytes).unwrap();
    std::fs::copy(
        dir.join("app-2.0-linux.bin"),
        out_dir.join("app-2.0-linux.bin"),
    )
    .unwrap();
    let out = verify(&out_dir, &[]);
    out.code_is(0)
        .stdout_has(b"verdict: VERIFIED")
        .stdout_has(b"app-2.0.tar.gz.cdx.json: package app-2.0.tar.gz: sha256, sha512 match")
        .stdout_has(b"https://cyclonedx.org/bom verified");
}

/// The files under `d`, relative to it, sorted.
fn relative_files(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir(d)
        .into_iter()
        .map(|p| Path::new(&p).strip_prefix(d).unwrap().display().to_string())
        .collect();
    v.sort();
    v
}

/// The demo release as candidate 1.3.0-rc2 (names and tag), released.
fn candidate(tmp: &Path) -> PathBuf {
    let dir = tmp.join("demo-1.3.0-rc2");
    copy_dir(&demo_release(), &dir);
    for f in relative_files(&dir) {
        if f.contains("1.4.0") {
            std::fs::rename(dir.join(&f), dir.join(f.replace("1.4.0", "1.3.0-rc2"))).unwrap();
        }
    }
    let args: Vec<String> = signing_args()
        .into_iter()
        .map(|a| a.replace("1.4.0", "1.3.0-rc2"))
        .collect();
    run(release_cmd()
        .args(&args)
        .args(["--sbom-format", "spdx-json,cyclonedx-json"])
        .arg(&dir))
    .code_is(0);
    dir
}

fn promote_cmd(dir: &Path) -> Command {
    let mut c = apostille();
    c.env("SOURCE_DATE_EPOCH", "1700000100")
        .env("COSIGN_PASSWORD", "")
        .arg("promote")
        .arg(dir)
        .args(["--to", "1.3.0", "--keys", &key("KEYS")])
        .args([
            "--key",
            &key("TEST-ONLY-cosign.pub"),
            "--insecure-ignore-tlog",
        ])
        .args(["--pgp-key", &key("TEST-ONLY-release-manager.sec.asc")])
        .args(["--sigstore-key", &key("TEST-ONLY-cosign.key")]);
    c
}

const FINAL_TAG: [&str; 4] = [
    "--source-uri",
    "git.example.org/demo",
    "--source-tag",
    "v1.3.0",
];

/// A voted candidate promoted without a rebuild: renamed, its artifact
/// signatures kept byte for byte, lists and SBOMs re-signed, and verify
/// accepts the final tag through the signed verification summary while
/// the build provenance still names the candidate's tag.
#[test]
fn a_promoted_candidate_verifies_as_the_final_tag() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = candidate(tmp.path());
    let rc_asc = std::fs::read(dir.join("demo-1.3.0-rc2-src.tar.gz.asc")).unwrap();
    // Before: the provenance names v1.3.0-rc2, not v1.3.0.
    verify(&dir, &FINAL_TAG)
        .code_is(1)
        .stdout_has(b"refs/tags/v1.3.0-rc2, refs/tags/v1.3.0 was required");

    run(&mut promote_cmd(&dir)).code_is(0);
    let names = relative_files(&dir);
    for want in [
        "demo-1.3.0-src.tar.gz",
        "demo-1.3.0-src.tar.gz.asc",
        "demo-1.3.0-src.tar.gz.sha512",
        "demo-1.3.0.spdx.json",
        "demo-1.3.0.cdx.json.asc",
        "demo-1.3.0.sbom.intoto.jsonl",
        "demo-1.3.0.promotion.intoto.jsonl",
        "demo-1.3.0-rc2.intoto.jsonl",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    // No candidate name is left but the build provenance.
    let left: Vec<_> = names.iter().filter(|n| n.contains("rc2")).collect();
    assert_eq!(left, ["demo-1.3.0-rc2.intoto.jsonl"]);
    assert_eq!(
        std::fs::read(dir.join("demo-1.3.0-src.tar.gz.asc")).unwrap(),
        rc_asc,
        "a detached signature is over bytes: kept as it was"
    );

    // The peers: coreutils on the list and sidecar, gpg on the kept and
    // the re-made signatures.
    run(peer("sha256sum")
        .current_dir(&dir)
        .args(["-c", "SHA256SUMS"]))
    .code_is(0);
    run(peer("sha512sum")
        .current_dir(&dir)
        .args(["-c", "demo-1.3.0-src.tar.gz.sha512"]))
    .code_is(0);
    let home = tempfile::tempdir().unwrap();
    run(gpg(home.path()).args(["--import", &key("KEYS")])).code_is(0);
    for f in [
        "demo-1.3.0-src.tar.gz",
        "SHA256SUMS",
        "demo-1.3.0.spdx.json",
    ] {
        run(gpg(home.path())
            .arg("--verify")
            .arg(dir.join(format!("{f}.asc")))
            .arg(dir.join(f)))
        .code_is(0)
        .stderr_has("Good signature from");
    }
    // The promotion is a SLSA VSA in a bundle of the protobuf-specs model.
    let line = std::fs::read_to_string(dir.join("demo-1.3.0.promotion.intoto.jsonl")).unwrap();
    let bundle: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
    let payload = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(bundle["dsseEnvelope"]["payload"].as_str().unwrap())
            .unwrap()
    };
    let st: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(
        st["predicateType"],
        "https://slsa.dev/verification_summary/v1"
    );
    assert_eq!(
        st["predicate"]["resourceUri"],
        "git+https://git.example.org/demo.git@refs/tags/v1.3.0"
    );
    assert_eq!(st["predicate"]["verificationResult"], "PASSED");
    let prov = std::fs::read(dir.join("demo-1.3.0-rc2.intoto.jsonl")).unwrap();
    assert_eq!(
        st["predicate"]["inputAttestations"][0]["digest"]["sha256"],
        hex(&sha2::Sha256::digest(&prov))
    );
    if let Some(sigstore) = judge("sigstore") {
        let file = tmp.path().join("promotion.json");
        std::fs::write(&file, line.trim_end()).unwrap();
        let script = "import sys\nfrom sigstore_models.bundle.v1 import Bundle\n\
                      Bundle.model_validate_json(open(sys.argv[1]).read())\n";
        let r = run(Command::new(sigstore.with_file_name("python"))
            .args(["-c", script])
            .arg(&file));
        assert_eq!(r.code(), 0, "{}", r.streams());
    }
    // The rewritten CycloneDX SBOM is still valid 1.6.
    crate::sbom::judge_cyclonedx(&dir.join("demo-1.3.0.cdx.json"));

    // verify: the final tag, through the promotion.
    let out = verify(&dir, &FINAL_TAG);
    out.code_is(0)
        .stdout_has(b"verdict: VERIFIED")
        .stdout_has(b"promoted to refs/tags/v1.3.0 by ");
    assert_eq!(
        crate::common::count(&out.stdout, b"promoted to refs/tags/v1.3.0"),
        ARTIFACTS.len(),
        "{}",
        out.streams()
    );

    // A promoted artifact altered afterwards fails, the promotion too.
    let bin = dir.join("demo-1.3.0-x86_64-linux.bin");
    let mut bytes = std::fs::read(&bin).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&bin, &bytes).unwrap();
    verify(&dir, &FINAL_TAG)
        .code_is(1)
        .stdout_has(b"demo-1.3.0-x86_64-linux.bin: FAILED");
}

/// A candidate whose artifact was altered after it was released is not
/// promoted, and nothing in its folder changes.
#[test]
fn an_altered_candidate_is_not_promoted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = candidate(tmp.path());
    let bin = dir.join("demo-1.3.0-rc2-x86_64-linux.bin");
    let mut bytes = std::fs::read(&bin).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&bin, &bytes).unwrap();
    let before: Vec<(String, Vec<u8>)> = relative_files(&dir)
        .into_iter()
        .map(|n| {
            let b = std::fs::read(dir.join(&n)).unwrap();
            (n, b)
        })
        .collect();
    run(&mut promote_cmd(&dir))
        .code_is(1)
        .stdout_has(b"demo-1.3.0-rc2-x86_64-linux.bin: FAILED")
        .stderr_has("promotion refused, nothing changed");
    let after: Vec<(String, Vec<u8>)> = relative_files(&dir)
        .into_iter()
        .map(|n| {
            let b = std::fs::read(dir.join(&n)).unwrap();
            (n, b)
        })
        .collect();
    assert!(before == after, "the candidate's folder changed");
}
