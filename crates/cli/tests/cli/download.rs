//! `apostille verify DIR|FILE…`: every attestation beside the artifacts
//! (checksum sidecars and lists, gpg signatures, Sigstore bundles and
//! attestations, SPDX documents), one read per artifact, one verdict.

use std::path::{Path, PathBuf};

use crate::common::{apostille, feed_fifo, mkfifo, run};
use crate::pgp::Signer;

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

/// The sigstore-conformance `bundle-verify` vectors, when present (else a
/// recorded skip).
fn conformance() -> Option<PathBuf> {
    crate::common::vectors("sigstore-conformance/bundle-verify")
}

/// A release folder: two artifacts, `.sha512` sidecars and a SHA256SUMS
/// written by apostille, and gpg signatures by a fresh key; its KEYS file
/// is written beside the folder (not in it).
struct Release {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    keys: PathBuf,
    signer: Signer,
}

fn release() -> Release {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dist");
    std::fs::create_dir(&dir).unwrap();
    let a = dir.join("app-1.0.tar.gz");
    let b = dir.join("app-1.0-bin.zip");
    std::fs::write(&a, vec![3u8; 200_000]).unwrap();
    std::fs::write(&b, b"zip bytes\n").unwrap();
    run(apostille()
        .args(["checksums", "--sidecar", "-a", "sha512"])
        .arg(&a)
        .arg(&b))
    .code_is(0);
    run(apostille()
        .args(["checksums", "-a", "sha256", "-o"])
        .arg(dir.join("SHA256SUMS"))
        .arg(&a)
        .arg(&b))
    .code_is(0);
    let signer = Signer::new("rm@example.org", "ed25519", "never", "20240101T000000!");
    for f in [&a, &b] {
        let sig = signer.sign(f, "20240601T000000!", "SHA512");
        let mut name = f.as_os_str().to_owned();
        name.push(".asc");
        std::fs::write(PathBuf::from(name), sig).unwrap();
    }
    let keys = tmp.path().join("KEYS");
    std::fs::write(&keys, signer.export()).unwrap();
    Release {
        _tmp: tmp,
        dir,
        keys,
        signer,
    }
}

fn verify(dir: &Path, extra: &[&str]) -> crate::common::Run {
    run(apostille().arg("verify").arg(dir).args(extra))
}

#[test]
fn a_whole_release_verifies_and_each_tampering_fails_for_its_reason() {
    let r = release();
    let keys = r.keys.to_str().unwrap();
    let ok = verify(&r.dir, &["--keys", keys, "--require", "pgp,checksum"]);
    ok.code_is(0)
        .stdout_has(b"app-1.0.tar.gz: VERIFIED \xe2\x80\x94 ")
        .stdout_has(b"app-1.0-bin.zip: VERIFIED \xe2\x80\x94 ")
        .stdout_has(
            format!(
                "signed by \"Test <rm@example.org>\" {}",
                r.signer.fingerprint()
            )
            .as_bytes(),
        )
        .stdout_has(b"verdict: VERIFIED");
    // Three checks per artifact: SHA256SUMS, sidecar, signature.
    assert_eq!(
        crate::common::count(&ok.stdout, b"  pass "),
        6,
        "{}",
        ok.streams()
    );

    // Without KEYS the signatures are skipped: checksums match, but no
    // trusted signer vouches for them, so nothing is VERIFIED.
    verify(&r.dir, &[])
        .code_is(1)
        .stdout_has(b"skipped  pgp")
        .stdout_has(b"app-1.0.tar.gz: NOT AUTHENTICATED")
        .stdout_has(b"pass the project's KEYS with --keys")
        .stdout_has(b"verdict: NOT AUTHENTICATED \xe2\x80\x94 2 artifact(s): 0 verified, 0 integrity only, 2 not authenticated, 0 failed");
    verify(&r.dir, &["--allow-integrity-only"])
        .code_is(0)
        .stdout_has(b"app-1.0.tar.gz: INTEGRITY ONLY")
        .stdout_has(b"verdict: INTEGRITY ONLY");
    verify(&r.dir, &["--require", "pgp"])
        .code_is(1)
        .stdout_has(b"required, but no pgp chain vouches for this file");

    // A checksum line edited: that line fails, the rest still pass.
    let sums = r.dir.join("SHA256SUMS");
    let orig = std::fs::read(&sums).unwrap();
    let mut edited = orig.clone();
    edited[0] = if edited[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(&sums, &edited).unwrap();
    let out = verify(&r.dir, &["--keys", keys]);
    out.code_is(1)
        .stdout_has(b"FAIL     checksum    ")
        .stdout_has(b"sha256 does NOT match");
    assert_eq!(
        crate::common::count(&out.stdout, b"  FAIL "),
        1,
        "{}",
        out.streams()
    );
    std::fs::write(&sums, &orig).unwrap();

    // The .asc replaced by one from another key.
    let other = Signer::new("other@example.org", "ed25519", "never", "20240101T000000!");
    let asc = r.dir.join("app-1.0-bin.zip.asc");
    let good_sig = std::fs::read(&asc).unwrap();
    std::fs::write(
        &asc,
        other.sign(&r.dir.join("app-1.0-bin.zip"), "20240601T000000!", "SHA512"),
    )
    .unwrap();
    verify(&r.dir, &["--keys", keys])
        .code_is(1)
        .stdout_has(b"not in the KEYS given");
    std::fs::write(&asc, good_sig).unwrap();

    // One byte of an artifact changed: every check of it fails.
    let a = r.dir.join("app-1.0.tar.gz");
    let mut bytes = std::fs::read(&a).unwrap();
    bytes[1000] ^= 1;
    std::fs::write(&a, &bytes).unwrap();
    let out = verify(&r.dir, &["--keys", keys]);
    out.code_is(1)
        .stdout_has(b"app-1.0.tar.gz: FAILED")
        .stdout_has(b"BAD signature")
        .stdout_has(b"app-1.0-bin.zip: VERIFIED");
    assert_eq!(
        crate::common::count(&out.stdout, b"  FAIL "),
        3,
        "{}",
        out.streams()
    );

    // An artifact missing: fails, or is skipped with --ignore-missing.
    std::fs::remove_file(&a).unwrap();
    verify(&r.dir, &["--keys", keys])
        .code_is(1)
        .stdout_has(b"app-1.0.tar.gz is missing");
    verify(&r.dir, &["--keys", keys, "--ignore-missing"])
        .code_is(0)
        .stdout_has(b"skipped  pgp")
        .stdout_has(b"verdict: VERIFIED");
}

#[test]
fn json_report_and_policy_file() {
    let r = release();
    let keys = r.keys.to_str().unwrap();
    let out = verify(&r.dir, &["--keys", keys, "--json"]);
    out.code_is(0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], true);
    assert_eq!(v["artifacts"].as_array().unwrap().len(), 2);
    let checks = v["artifacts"][0]["checks"].as_array().unwrap();
    assert!(checks.iter().all(|c| c["status"] == "pass"), "{v}");
    assert!(
        checks
            .iter()
            .any(|c| c["kind"] == "pgp" && c["signer"].is_string())
    );

    let policy = r.dir.parent().unwrap().join("policy.toml");
    std::fs::write(
        &policy,
        "require = [\"pgp\", \"checksum\", \"provenance\"]\n",
    )
    .unwrap();
    verify(
        &r.dir,
        &["--keys", keys, "--policy", policy.to_str().unwrap()],
    )
    .code_is(1)
    .stdout_has(b"required, but no attestation chain vouches for this file");
    // A typo never weakens a policy: unknown kinds and keys are errors.
    std::fs::write(&policy, "require = [\"pgpp\"]\n").unwrap();
    verify(&r.dir, &["--policy", policy.to_str().unwrap()])
        .code_is(2)
        .stderr_has("unknown check kind \"pgpp\"");
    std::fs::write(&policy, "requires = [\"pgp\"]\n").unwrap();
    verify(&r.dir, &["--policy", policy.to_str().unwrap()])
        .code_is(2)
        .stderr_has("policy.toml");
}

#[test]
fn a_file_no_attestation_names_is_not_verified() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("lonely.bin"), b"x").unwrap();
    verify(tmp.path(), &[])
        .code_is(1)
        .stdout_has(b"lonely.bin: NOT AUTHENTICATED \xe2\x80\x94 no checksum, signature or attestation names this file")
        .stdout_has(b"0 verified, 0 integrity only, 1 not authenticated, 0 failed");
}

/// Sigstore bundles beside the artifact: a message signature
/// (`a.txt.sigstore.json`) and a DSSE provenance attestation in
/// `.intoto.jsonl` (one compact bundle per line), from the conformance
/// vectors, with the slsa-verifier-style policy applied to the latter.
#[test]
fn sigstore_bundles_and_attestations_beside_the_artifact() {
    let Some(conformance) = conformance() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(conformance.join("a.txt"), dir.join("a.txt")).unwrap();
    std::fs::copy(
        conformance.join("happy-path-v0.3/bundle.sigstore.json"),
        dir.join("a.txt.sigstore.json"),
    )
    .unwrap();
    let dsse: serde_json::Value = serde_json::from_slice(
        &std::fs::read(conformance.join("happy-path-intoto-in-dsse-v3/bundle.sigstore.json"))
            .unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("multiple.intoto.jsonl"), format!("{dsse}\n")).unwrap();
    let id = [
        "--certificate-identity",
        IDENTITY,
        "--certificate-oidc-issuer",
        ISSUER,
    ];
    verify(dir, &id)
        .code_is(0)
        .stdout_has(b"pass     sigstore ")
        .stdout_has(b"pass     attestation ")
        .stdout_has(b"https://slsa.dev/provenance/v1 verified, built by https://github.com/loosebazooka/aa-test/")
        .stdout_has(format!("signed by {IDENTITY} (issuer {ISSUER})").as_bytes());
    // Without a signer policy, bundles are skipped (cosign refuses too).
    verify(dir, &[])
        .code_is(1)
        .stdout_has(b"skipped  sigstore")
        .stdout_has(b"a.txt: NOT AUTHENTICATED")
        .stdout_has(b"pass --certificate-identity and --certificate-oidc-issuer (or --key)");
    // Provenance policy.
    let mut with_tag: Vec<&str> = id.to_vec();
    with_tag.extend(["--source-tag", "v1.0"]);
    verify(dir, &with_tag)
        .code_is(1)
        .stdout_has(b"FAIL     attestation")
        .stdout_has(b"(policy) source ref is refs/heads/main");
    // Another identity.
    verify(
        dir,
        &[
            "--certificate-identity",
            "https://example.com/other",
            "--certificate-oidc-issuer",
            ISSUER,
        ],
    )
    .code_is(1)
    .stdout_has(b"(identity)");
    // The artifact changed: the message signature fails, and the
    // attestation no longer names it.
    std::fs::write(dir.join("a.txt"), b"changed\n").unwrap();
    verify(dir, &id)
        .code_is(1)
        .stdout_has(b"FAIL     sigstore ");
}

/// An SPDX document of the artifacts beside them: each package's checksum
/// is a check of its artifact; an edited checksum fails.
#[test]
fn an_sbom_of_the_artifacts_is_checked() {
    let r = release();
    let sbom = r.dir.join("app-1.0.spdx.json");
    run(apostille()
        .args(["sbom", "artifacts", "-o"])
        .arg(&sbom)
        .arg(r.dir.join("app-1.0.tar.gz"))
        .arg(r.dir.join("app-1.0-bin.zip")))
    .code_is(0);
    // The SBOM is unsigned: its checksums are integrity, and the .asc
    // files vouch.
    let keys = r.keys.to_str().unwrap();
    verify(&r.dir, &["--keys", keys, "--require", "sbom"])
        .code_is(0)
        .stdout_has(b"pass     sbom ");
    // Signed, it vouches by itself.
    let asc = r.signer.sign(&sbom, "20240601T000000!", "SHA512");
    std::fs::write(r.dir.join("app-1.0.spdx.json.asc"), asc).unwrap();
    for f in ["app-1.0.tar.gz", "app-1.0-bin.zip"] {
        std::fs::remove_file(r.dir.join(format!("{f}.asc"))).unwrap();
    }
    verify(&r.dir, &["--keys", keys, "--require", "pgp,sbom"])
        .code_is(0)
        .stdout_has(b"app-1.0.spdx.json \xe2\x86\x90 ")
        .stdout_has(b"verdict: VERIFIED");
    std::fs::remove_file(r.dir.join("app-1.0.spdx.json.asc")).unwrap();
    let text = std::fs::read_to_string(&sbom).unwrap();
    let a = std::fs::read(r.dir.join("app-1.0.tar.gz")).unwrap();
    let sha256 = {
        let out = run(apostille()
            .args(["hash", "-a", "sha256"])
            .arg(r.dir.join("app-1.0.tar.gz")));
        String::from_utf8(out.ok_stdout()).unwrap()[..64].to_string()
    };
    assert!(
        !a.is_empty() && text.contains(&sha256),
        "SBOM lacks the SHA-256"
    );
    std::fs::write(&sbom, text.replace(&sha256, &"0".repeat(64))).unwrap();
    verify(&r.dir, &[])
        .code_is(1)
        .stdout_has(b"FAIL     sbom ")
        .stdout_has(b"NOT match");
}

/// Every check of an artifact comes from one read: the artifact is a FIFO,
/// which can be read only once, and its sidecar, SHA256SUMS line and
/// signature all pass.
#[cfg(target_os = "linux")]
#[test]
fn one_read_serves_every_check() {
    let r = release();
    let a = r.dir.join("app-1.0.tar.gz");
    let data = std::fs::read(&a).unwrap();
    std::fs::remove_file(&a).unwrap();
    mkfifo(&a);
    let writer = feed_fifo(a.clone(), data);
    let out = run(apostille()
        .arg("verify")
        .arg(&a)
        .args(["--keys", r.keys.to_str().unwrap()]));
    assert!(writer.join().unwrap(), "the FIFO was never read");
    out.code_is(0).stdout_has(b"app-1.0.tar.gz: VERIFIED");
    assert_eq!(
        crate::common::count(&out.stdout, b"  pass "),
        3,
        "{}",
        out.streams()
    );
    // Named files: the other artifact's lines are not ours.
    assert!(
        !crate::common::contains(&out.stdout, b"app-1.0-bin.zip"),
        "{}",
        out.streams()
    );
}
