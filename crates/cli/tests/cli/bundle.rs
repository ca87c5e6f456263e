//! `apostille verify bundle` and `apostille conformance verify-bundle` over
//! every case of sigstore-conformance's `bundle-verify` vectors, with the
//! artifact's path and with `sha256:HEX`: 140 verdicts. Must-fail cases
//! (folder name ending in `_fail`) must fail for the expected reason.

use std::path::{Path, PathBuf};

use crate::common::{apostille, run};

/// The default signer of the vectors (the conformance suite's beacon).
const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

/// The sigstore-conformance vectors, when present (else a recorded skip).
fn conformance_dir() -> Option<PathBuf> {
    crate::common::vectors("sigstore-conformance")
}

/// The reason category each must-fail case must be rejected for, decided
/// from each case's README (not from what the verifier happens to say).
const EXPECTED_FAILURES: &[(&str, &str)] = &[
    ("bundle-empty-certificate-chain_fail", "malformed"),
    // The staging log (and CA) are not in the production trusted root; the
    // log entry is the first thing checked against it.
    ("bundle-from-wrong-instance_fail", "proof"),
    ("bundle-invalid-base64-signature_fail", "malformed"),
    ("bundle-malformed-json_fail", "malformed"),
    ("bundle-negative-log-index_fail", "malformed"),
    ("bundle-unknown-version_fail", "malformed"),
    ("bundle-with-root-cert_fail", "malformed"),
    ("checkpoint-bad-keyhint_fail", "proof"),
    ("checkpoint-wrong-roothash_fail", "proof"),
    ("dsse-invalid-sig_fail", "signature"),
    ("dsse-mismatch-envelope_fail", "proof"),
    ("dsse-mismatch-sig_fail", "proof"),
    ("inclusion-proof-corrupted-hash_fail", "proof"),
    ("incorrect-public-key_fail", "proof"),
    ("integrated-time-in-future_fail", "time"),
    ("intoto-expired-certificate_fail", "time"),
    ("intoto-log-entry-mismatch_fail", "proof"),
    ("intoto-missing-inclusion-proof_fail", "proof"),
    ("intoto-set-outside-signing-cert-validity_fail", "time"),
    ("intoto-tsa-timestamp-outside-cert-validity_fail", "time"),
    ("invalid-checkpoint-signature_fail", "proof"),
    // The SCT cannot be verified with the trusted root's CT key.
    ("invalid-ct-key_fail", "signature"),
    ("invalid-inclusion-proof_fail", "proof"),
    // Signed by a key, verified against a certificate identity.
    ("managed-key-no-key_fail", "identity"),
    // Its key.pub is not a valid key at all (`…wrongkey==`).
    ("managed-key-wrong-key_fail", "malformed"),
    ("message-digest-mismatch_fail", "signature"),
    ("rekor2-checkpoint-missing-log-signature_fail", "proof"),
    ("rekor2-checkpoint-missing-origin_fail", "proof"),
    ("rekor2-checkpoint-missing-root-hash_fail", "proof"),
    ("rekor2-checkpoint-missing-size_fail", "proof"),
    ("rekor2-checkpoint-no-matching-signature_fail", "proof"),
    ("rekor2-dsse-invalid-sig_fail", "signature"),
    ("rekor2-dsse-mismatch-envelope_fail", "proof"),
    ("rekor2-dsse-mismatch-sig_fail", "proof"),
    ("rekor2-no-inclusion-proof_fail", "proof"),
    ("rekor2-no-timestamp_fail", "time"),
    (
        "rekor2-timestamp-outside-trust-root-tsa-validity_fail",
        "time",
    ),
    ("rekor2-timestamp-outside-tsa-cert-validity_fail", "time"),
    ("rekor2-timestamp-payload-mismatch_fail", "time"),
    (
        "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail",
        "time",
    ),
    (
        "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail",
        "time",
    ),
    ("rekor2-timestamp-with-incorrect-time_fail", "time"),
    ("set-invalid-signature_fail", "proof"),
    ("signature-mismatch_fail", "signature"),
    ("trust-root-tlog-missing-validity-start_fail", "malformed"),
    // The log entry records another artifact's digest.
    ("wrong-hashedrekord-artifact_fail", "proof"),
    ("wrong-hashedrekord-cert-and-sig_fail", "proof"),
    ("wrong-hashedrekord-entry_fail", "proof"),
    ("wrong-material_fail", "signature"),
];

/// One case folder, read as the vectors' README says.
struct Case {
    name: String,
    dir: PathBuf,
    artifact: PathBuf,
    key: Option<PathBuf>,
    identity: String,
    issuer: String,
    trusted_root: PathBuf,
}

fn trimmed(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

fn cases(conformance: &Path) -> Vec<Case> {
    let base = conformance.join("bundle-verify");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap_or_else(|e| panic!("{}: {e}", base.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let file = |n: &str| Some(dir.join(n)).filter(|p| p.exists());
            Case {
                name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                artifact: file("artifact").unwrap_or_else(|| base.join("a.txt")),
                key: file("key.pub"),
                identity: trimmed(&dir.join("identity")).unwrap_or_else(|| IDENTITY.into()),
                issuer: trimmed(&dir.join("issuer")).unwrap_or_else(|| ISSUER.into()),
                trusted_root: file("trusted_root.json")
                    .unwrap_or_else(|| conformance.join("trusted_root.production.json")),
                dir,
            }
        })
        .collect()
}

fn sha256_arg(path: &Path) -> String {
    let out = run(apostille().args(["hash", "-a", "sha256"]).arg(path)).ok_stdout();
    let text = String::from_utf8(out).unwrap();
    format!("sha256:{}", &text[..64])
}

/// Runs one case in one mode and checks the verdict; returns whether it
/// was right, and a description when not.
fn check(case: &Case, subcommand: &[&str], digest_mode: bool) -> Result<(), String> {
    let mut cmd = apostille();
    cmd.args(subcommand)
        .arg("--bundle")
        .arg(case.dir.join("bundle.sigstore.json"));
    match &case.key {
        Some(k) => cmd.arg("--key").arg(k),
        None => cmd
            .args(["--certificate-identity", &case.identity])
            .args(["--certificate-oidc-issuer", &case.issuer]),
    };
    cmd.arg("--trusted-root").arg(&case.trusted_root);
    if digest_mode {
        cmd.arg(sha256_arg(&case.artifact));
    } else {
        cmd.arg(&case.artifact);
    }
    let r = run(&mut cmd);
    let stdout = String::from_utf8_lossy(&r.stdout).into_owned();
    let mode = if digest_mode { "digest" } else { "path" };
    let wrong = |why: String| Err(format!("{} ({mode}): {why}\n{}", case.name, r.streams()));
    if !case.name.ends_with("_fail") {
        if r.code() != 0 || !stdout.contains(": VERIFIED ") {
            return wrong("must verify".into());
        }
        let who = if case.key.is_some() {
            "by key sha256:".to_string()
        } else {
            format!("by {} (issuer {})", case.identity, case.issuer)
        };
        if !stdout.contains(&who) {
            return wrong(format!("the verdict does not name the signer {who:?}"));
        }
        return Ok(());
    }
    let Some((_, reason)) = EXPECTED_FAILURES.iter().find(|(n, _)| *n == case.name) else {
        return wrong("no expected reason for this must-fail case".into());
    };
    if r.code() != 1 {
        return wrong("must fail with exit status 1".into());
    }
    if !stdout.contains(&format!(": FAILED ({reason}): ")) {
        return wrong(format!("must fail for reason {reason}"));
    }
    Ok(())
}

fn check_all(conformance: &Path, subcommand: &[&str]) {
    let cases = cases(conformance);
    assert_eq!(cases.len(), 70, "the conformance vectors have 70 cases");
    let mut problems = Vec::new();
    let mut verdicts = 0;
    for case in &cases {
        for digest_mode in [false, true] {
            verdicts += 1;
            if let Err(e) = check(case, subcommand, digest_mode) {
                problems.push(e);
            }
        }
    }
    assert_eq!(verdicts, 140);
    assert!(
        problems.is_empty(),
        "{} of 140 verdicts wrong:\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn verify_bundle_gets_all_140_conformance_verdicts_right() {
    let Some(conformance) = conformance_dir() else {
        return;
    };
    check_all(&conformance, &["verify", "bundle"]);
}

#[test]
fn conformance_entry_point_gets_all_140_verdicts_right() {
    let Some(conformance) = conformance_dir() else {
        return;
    };
    check_all(&conformance, &["conformance", "verify-bundle"]);
}

#[test]
fn every_must_fail_case_has_an_expected_reason() {
    let Some(conformance) = conformance_dir() else {
        return;
    };
    let names: Vec<String> = cases(&conformance)
        .into_iter()
        .map(|c| c.name)
        .filter(|n| n.ends_with("_fail"))
        .collect();
    assert_eq!(names.len(), EXPECTED_FAILURES.len());
    for n in &names {
        assert!(
            EXPECTED_FAILURES.iter().any(|(e, _)| e == n),
            "{n} lacks an expected reason"
        );
    }
}

/// Without `--trusted-root`, the embedded public-good root is used: a
/// production bundle verifies offline.
#[test]
fn embedded_public_good_root_verifies_a_production_bundle() {
    let Some(conformance) = conformance_dir() else {
        return;
    };
    let base = conformance.join("bundle-verify");
    let r = run(apostille()
        .args(["verify", "bundle", "--bundle"])
        .arg(base.join("happy-path-v0.3/bundle.sigstore.json"))
        .args(["--certificate-identity", IDENTITY])
        .args(["--certificate-oidc-issuer", ISSUER])
        .arg(base.join("a.txt")));
    r.code_is(0)
        .stdout_has(b": VERIFIED message signature by https://github.com/sigstore-conformance/");
}

#[test]
fn identity_regexp_and_a_wrong_issuer() {
    let Some(conformance) = conformance_dir() else {
        return;
    };
    let base = conformance.join("bundle-verify");
    let bundle = base.join("happy-path-v0.3/bundle.sigstore.json");
    let go = |flag: &str, value: &str, issuer: &str| {
        run(apostille()
            .args(["verify", "bundle", "--bundle"])
            .arg(&bundle)
            .args([flag, value, "--certificate-oidc-issuer", issuer])
            .arg(base.join("a.txt")))
    };
    go(
        "--certificate-identity-regexp",
        "^https://github\\.com/sigstore-conformance/",
        ISSUER,
    )
    .code_is(0);
    go(
        "--certificate-identity-regexp",
        "^https://gitlab\\.com/",
        ISSUER,
    )
    .code_is(1)
    .stdout_has(b"FAILED (identity)");
    go(
        "--certificate-identity",
        IDENTITY,
        "https://accounts.google.com",
    )
    .code_is(1)
    .stdout_has(b"FAILED (identity)");
    go("--certificate-identity-regexp", "(", ISSUER)
        .code_is(1)
        .stdout_has(b"FAILED (malformed)");
}

#[test]
fn unreadable_inputs_are_errors() {
    let Some(conformance) = conformance_dir() else {
        return;
    };
    let base = conformance.join("bundle-verify");
    run(apostille()
        .args(["verify", "bundle", "--bundle", "no-such.sigstore.json"])
        .args(["--certificate-identity", IDENTITY])
        .args(["--certificate-oidc-issuer", ISSUER])
        .arg(base.join("a.txt")))
    .code_is(2)
    .stderr_has("no-such.sigstore.json");
    // Identity without issuer, or both identity and key: usage errors.
    run(apostille()
        .args(["verify", "bundle", "--bundle", "b.json"])
        .args(["--certificate-identity", IDENTITY, "a.txt"]))
    .code_is(2);
    run(apostille().args(["verify", "bundle", "--bundle", "b.json", "a.txt"])).code_is(2);
}

/// `verify attestation` over the conformance suite's GitHub provenance
/// (a SLSA v1 statement about github.com/loosebazooka/aa-test, signed by
/// the suite's beacon workflow): the signature as `verify bundle`, then
/// the slsa-verifier-style policy, each mismatch a `policy` failure.
#[test]
fn attestation_policy_like_slsa_verifier() {
    let Some(conformance) = conformance_dir() else {
        return;
    };
    let base = conformance.join("bundle-verify");
    let bundle = base.join("happy-path-intoto-in-dsse-v3/bundle.sigstore.json");
    let go = |extra: &[&str], artifact: &std::ffi::OsStr| {
        run(apostille()
            .args(["verify", "attestation", "--bundle"])
            .arg(&bundle)
            .args(["--certificate-identity", IDENTITY])
            .args(["--certificate-oidc-issuer", ISSUER])
            .args(extra)
            .arg(artifact))
    };
    let a = base.join("a.txt");
    let a = a.as_os_str();
    go(
        &[
            "--type",
            "slsaprovenance1",
            "--builder-id",
            "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml",
        ],
        a,
    )
    .code_is(0)
    .stdout_has(b": VERIFIED attestation https://slsa.dev/provenance/v1 by https://github.com/sigstore-conformance/")
    .stdout_has(b"from github.com/loosebazooka/aa-test refs/heads/main (");
    // By digest, without the file.
    go(&[], sha256_arg(&base.join("a.txt")).as_ref()).code_is(0);
    for (extra, says) in [
        (&["--source-tag", "v1"][..], "refs/tags/v1 was required"),
        (
            &["--source-branch", "dev"][..],
            "refs/heads/dev was required",
        ),
        (
            &["--source-uri", "github.com/evil/x"][..],
            "github.com/evil/x was required",
        ),
        (
            &["--builder-id", "https://example.com/builder"][..],
            "builder is",
        ),
        (
            &["--type", "spdxjson"][..],
            "https://spdx.dev/Document was required",
        ),
        // cosign's bare `slsaprovenance` is v0.2.
        (
            &["--type", "slsaprovenance"][..],
            "https://slsa.dev/provenance/v0.2 was required",
        ),
        // The statement names aa-test, its certificate the beacon's repo:
        // a required source must be what both say.
        (
            &["--source-uri", "https://github.com/loosebazooka/aa-test"][..],
            "but the signing certificate says github.com/sigstore-conformance/",
        ),
    ] {
        go(extra, a)
            .code_is(1)
            .stdout_has(b"FAILED (policy)")
            .stdout_has(says.as_bytes());
    }
    // Another artifact: not among the subjects (the bundle is rejected
    // before the policy is looked at).
    let other = tempfile::NamedTempFile::new().expect("temp file");
    go(&[], other.path().as_os_str())
        .code_is(1)
        .stdout_has(b"FAILED (signature)");
    // A message-signature bundle is not an attestation.
    run(apostille()
        .args(["verify", "attestation", "--bundle"])
        .arg(base.join("happy-path-v0.3/bundle.sigstore.json"))
        .args(["--certificate-identity", IDENTITY])
        .args(["--certificate-oidc-issuer", ISSUER])
        .arg(a))
    .code_is(1)
    .stdout_has(b"FAILED (malformed): the bundle holds a message signature");
}
