//! The shapes real projects publish, made against the in-process test
//! instance (`apostille-testkit`) and checked by `apostille verify
//! bundle|attestation`, and by sigstore-python offline where it reads the
//! shape. Each fixture says which real file it imitates.
//!
//! | shape | imitates |
//! |---|---|
//! | SHA-512-only subject | npm's provenance and publish statements (`pkg:npm/…` subjects, sha512 of the tarball) |
//! | JSON lines | `gh attestation download` (`sha256:HEX.jsonl`), npm's attestations endpoint (publish + provenance) |
//! | v0.2 bundle with leaf, intermediate and root | older npm, slsa-github-generator's container builder v1.7, sigstore-js `bundleV01-full-cert-chain` |
//! | no log entry, RFC 3161 timestamp | GitHub's instance for private repositories |
//! | otherName SAN | Fulcio's username identities (`user!host`) |
//! | SLSA v0.2 by the Go builder at `@refs/tags/v2.1.0` | slsa-github-generator's `builder_go_slsa3.yml` provenance |
//! | bare DSSE envelope with the certificate beside the signature | slsa-github-generator's `*.intoto.jsonl` before v2.1 |

use crate::common::{apostille, run};
use apostille_sign::keyless::KeylessSigner;
use apostille_sign::sigstore::Signer;
use apostille_testkit::TestInstance;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const EMAIL: &str = "release-manager@apostille.test";
const IN_TOTO: &str = "application/vnd.in-toto+json";
const GO_BUILDER: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml";

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn sha256(data: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(data))
}

fn sha512(data: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha512::digest(data))
}

fn sha384(data: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha384::digest(data))
}

/// A test instance, a folder with its trusted roots, and a signer.
struct Case {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    sigstore: TestInstance,
}

impl Case {
    fn new() -> Case {
        let sigstore = TestInstance::start().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        crate::common::write_sigstore_files(&sigstore, &dir);
        std::fs::write(
            dir.join("trusted_root_no_logs.json"),
            sigstore.trusted_root_without_logs_json(),
        )
        .unwrap();
        Case {
            _tmp: tmp,
            dir,
            sigstore,
        }
    }

    /// A keyless signer for `token` (with the TSA unless `no_tsa`).
    fn signer_for(&self, token: &str, no_tsa: bool) -> KeylessSigner {
        let config = if no_tsa {
            "signing_config_no_tsa.json"
        } else {
            "signing_config.json"
        };
        crate::common::keyless_signer(&self.dir, token, config)
    }

    fn signer(&self) -> KeylessSigner {
        self.signer_for(&self.sigstore.identity_token(EMAIL), false)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// `verify attestation` (or `verify bundle` with `kind`) with the
    /// instance's trusted root and the e-mail identity.
    fn verify(
        &self,
        kind: &str,
        bundle: &Path,
        artifact: &str,
        extra: &[&str],
    ) -> crate::common::Run {
        self.verify_as(kind, bundle, artifact, EMAIL, "trusted_root.json", extra)
    }

    fn verify_as(
        &self,
        kind: &str,
        bundle: &Path,
        artifact: &str,
        identity: &str,
        root: &str,
        extra: &[&str],
    ) -> crate::common::Run {
        run(apostille()
            .current_dir(&self.dir)
            .args(["verify", kind, "--bundle"])
            .arg(bundle)
            .arg("--trusted-root")
            .arg(self.dir.join(root))
            .args(["--certificate-identity", identity])
            .args(["--certificate-oidc-issuer", self.sigstore.issuer()])
            .args(extra)
            .arg(artifact))
    }

    /// sigstore-python offline with the instance's trust config.
    fn python(&self, exe: &Path, bundle: &Path, artifact: &Path, identity: &str) -> (bool, String) {
        crate::common::sigstore_python_verify(
            exe,
            &self.dir,
            self.sigstore.issuer(),
            bundle,
            artifact,
            identity,
        )
    }
}

fn statement(subjects: Value, predicate_type: &str, predicate: Value) -> Vec<u8> {
    json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": subjects,
        "predicateType": predicate_type,
        "predicate": predicate,
    })
    .to_string()
    .into_bytes()
}

/// A DSSE bundle (v0.3) of `payload`, signed by `signer`.
fn dsse(signer: KeylessSigner, payload: &[u8]) -> String {
    Signer::Keyless(signer).dsse(IN_TOTO, payload).unwrap()
}

/// A message-signature bundle (v0.3) over `bytes`, signed by `signer`.
fn blob(signer: KeylessSigner, bytes: &[u8]) -> String {
    use sha2::Digest as _;
    Signer::Keyless(signer)
        .blob(&sha2::Sha256::digest(bytes).into())
        .unwrap()
}

/// GitHub's build type, as npm's provenance carries it.
fn github_provenance(repo: &str, r: &str) -> Value {
    json!({
        "buildDefinition": {
            "buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
            "externalParameters": {"workflow": {"ref": r, "repository": repo, "path": ".github/workflows/publish.yml"}},
            "resolvedDependencies": [{"uri": format!("git+{repo}@{r}"),
                "digest": {"gitCommit": "0123456789abcdef0123456789abcdef01234567"}}]
        },
        "runDetails": {"builder": {"id": "https://github.com/actions/runner/github-hosted"}}
    })
}

fn one_line(json: &str) -> String {
    serde_json::from_str::<Value>(json).unwrap().to_string()
}

#[test]
fn npm_provenance_with_a_sha512_only_subject_verifies_by_file_and_by_sha512() {
    let case = Case::new();
    let tgz = b"npm pack output\x00\x1f\x8b";
    let artifact = case.file("demo-1.0.0.tgz", tgz);
    let payload = statement(
        json!([{"name": "pkg:npm/%40apostille/demo@1.0.0", "digest": {"sha512": sha512(tgz)}}]),
        "https://slsa.dev/provenance/v1",
        github_provenance("https://github.com/apostille-dev/demo", "refs/heads/main"),
    );
    let b = case.file(
        "demo.sigstore.json",
        dsse(case.signer(), &payload).as_bytes(),
    );
    let a = artifact.to_str().unwrap();
    case.verify("attestation", &b, a, &["--type", "slsaprovenance1"])
        .code_is(0)
        .stdout_has(b"VERIFIED attestation https://slsa.dev/provenance/v1 by release-manager");
    case.verify("bundle", &b, &format!("sha512:{}", sha512(tgz)), &[])
        .code_is(0)
        .stdout_has(b"VERIFIED DSSE attestation");
    case.verify(
        "attestation",
        &b,
        &format!("sha512:{}", sha512(tgz).to_uppercase()),
        &[],
    )
    .code_is(0);
    // The statement does not name the SHA-256: given alone, it fails.
    case.verify("bundle", &b, &format!("sha256:{}", sha256(tgz)), &[])
        .code_is(1)
        .stdout_has(b"FAILED (signature)");
    // Another tarball of the same name fails from its file.
    let other = case.file("other.tgz", b"npm pack output\x00\x1f\x8c");
    case.verify("bundle", &b, other.to_str().unwrap(), &[])
        .code_is(1)
        .stdout_has(b"FAILED (signature)");
    // sha384: parsed, and judged: this statement does not name it.
    case.verify("bundle", &b, &format!("sha384:{}", sha384(tgz)), &[])
        .code_is(1)
        .stdout_has(b"FAILED (signature)");
}

#[test]
fn a_statement_naming_its_subject_by_sha384_alone_is_refused_with_the_reason() {
    let case = Case::new();
    let bytes = b"sha384 only";
    let artifact = case.file("x.bin", bytes);
    let payload = statement(
        json!([{"name": "x.bin", "digest": {"sha384": sha384(bytes)}}]),
        "https://example.test/p",
        json!({}),
    );
    let b = case.file("x.sigstore.json", dsse(case.signer(), &payload).as_bytes());
    case.verify("bundle", &b, artifact.to_str().unwrap(), &[])
        .code_is(1)
        .stdout_has(b"FAILED (malformed): the statement names the artifact by sha384 only");
}

#[test]
fn json_lines_verify_when_one_line_does() {
    let case = Case::new();
    let tgz = b"a tarball npm published";
    let artifact = case.file("demo-1.0.0.tgz", tgz);
    let subject = json!([{"name": "pkg:npm/demo@1.0.0", "digest": {"sha512": sha512(tgz)}}]);
    let publish = statement(
        subject.clone(),
        "https://github.com/npm/attestation/tree/main/specs/publish/v0.1",
        json!({"name": "demo", "version": "1.0.0", "registry": "https://registry.npmjs.org"}),
    );
    let provenance = statement(
        subject,
        "https://slsa.dev/provenance/v1",
        github_provenance("https://github.com/apostille-dev/demo", "refs/tags/v1.0.0"),
    );
    let signer = case.signer();
    let signer = Signer::Keyless(signer);
    let lines = format!(
        "{}\n{}\n",
        one_line(&signer.dsse(IN_TOTO, &publish).unwrap()),
        one_line(&signer.dsse(IN_TOTO, &provenance).unwrap())
    );
    let jsonl = case.file(&format!("sha512:{}.jsonl", sha512(tgz)), lines.as_bytes());
    let a = artifact.to_str().unwrap();
    // The first line verifies as a bundle; the provenance is the second.
    case.verify("bundle", &jsonl, a, &[]).code_is(0);
    case.verify(
        "attestation",
        &jsonl,
        a,
        &["--source-uri", "github.com/apostille-dev/demo", "--source-tag", "v1.0.0"],
    )
    .code_is(0)
    .stdout_has(b"built by https://github.com/actions/runner/github-hosted from github.com/apostille-dev/demo refs/tags/v1.0.0");
    // No line for this artifact: every line's failure is said.
    let other = case.file("other.tgz", b"not it");
    case.verify("bundle", &jsonl, other.to_str().unwrap(), &[])
        .code_is(1)
        .stdout_has(b"FAILED (signature): no bundle of the 2 verified: line 1: (signature)")
        .stdout_has(b"; line 2: (signature)");
    // A broken line among good ones does not hide the good one.
    let broken = case.file(
        "broken.jsonl",
        format!("{{\"not\": \"a bundle\"}}\n{lines}").as_bytes(),
    );
    case.verify("attestation", &broken, a, &["--type", "slsaprovenance1"])
        .code_is(0);
}

/// The leaf, intermediate and root Fulcio returned, in a v0.2 bundle's
/// `x509CertificateChain`, as older clients wrote it.
fn with_chain(bundle: &str, chain: &[Vec<u8>]) -> String {
    let mut v: Value = serde_json::from_str(bundle).unwrap();
    v["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.2".into();
    let vm = v["verificationMaterial"].as_object_mut().unwrap();
    vm.remove("certificate");
    vm.insert(
        "x509CertificateChain".into(),
        json!({"certificates": chain.iter().map(|c| json!({"rawBytes": B64.encode(c)})).collect::<Vec<_>>()}),
    );
    v.to_string()
}

#[test]
fn a_v02_bundle_ending_in_a_trusted_root_certificate_verifies_and_a_foreign_root_does_not() {
    let case = Case::new();
    let bytes = b"container image config";
    let artifact = case.file("image.json", bytes);
    let signer = case.signer();
    let chain = signer.certificate_chain();
    assert_eq!(
        chain.len(),
        3,
        "the test Fulcio returns leaf, intermediate and root"
    );
    let bundle = blob(signer, bytes);
    let a = artifact.to_str().unwrap();
    let full = case.file("full.sigstore.json", with_chain(&bundle, &chain).as_bytes());
    case.verify("bundle", &full, a, &[])
        .code_is(0)
        .stdout_has(b"VERIFIED message signature by release-manager@apostille.test");
    if let Some(exe) = crate::common::judge("sigstore") {
        let (ok, out) = case.python(&exe, &full, &artifact, EMAIL);
        assert!(ok, "sigstore-python rejects the full-chain bundle:\n{out}");
    }
    // Leaf and intermediate only: the same.
    let short = case.file(
        "short.sigstore.json",
        with_chain(&bundle, &chain[..2]).as_bytes(),
    );
    case.verify("bundle", &short, a, &[]).code_is(0);
    // A self-signed root that is no CA of the trusted root: refused.
    let foreign = self_signed_foreign(&case);
    let forged = [chain[0].clone(), chain[1].clone(), foreign];
    let f = case.file(
        "foreign.sigstore.json",
        with_chain(&bundle, &forged).as_bytes(),
    );
    case.verify("bundle", &f, a, &[])
        .code_is(1)
        .stdout_has(b"FAILED (malformed): the certificate chain holds a root certificate")
        .stdout_has(b"it is not a CA of the trusted root");
    // The trusted root, but not last (the conformance case's order).
    let misplaced = [chain[0].clone(), chain[2].clone(), chain[1].clone()];
    let m = case.file(
        "misplaced.sigstore.json",
        with_chain(&bundle, &misplaced).as_bytes(),
    );
    case.verify("bundle", &m, a, &[])
        .code_is(1)
        .stdout_has(b"only the last certificate of a chain may be a root");
}

/// A self-signed certificate the trusted root does not list as a Fulcio
/// CA: the test TSA's root.
fn self_signed_foreign(case: &Case) -> Vec<u8> {
    let root: Value = serde_json::from_str(&case.sigstore.trusted_root_json()).unwrap();
    let certs = root["timestampAuthorities"][0]["certChain"]["certificates"]
        .as_array()
        .unwrap();
    B64.decode(certs.last().unwrap()["rawBytes"].as_str().unwrap())
        .unwrap()
}

#[test]
fn a_bundle_with_only_a_timestamp_verifies_against_a_root_without_logs() {
    let case = Case::new();
    let bytes = b"private repository artifact";
    let artifact = case.file("app", bytes);
    let payload = statement(
        json!([{"name": "app", "digest": {"sha256": sha256(bytes)}}]),
        "https://slsa.dev/provenance/v1",
        github_provenance(
            "https://github.com/apostille-dev/private",
            "refs/heads/main",
        ),
    );
    let signed = dsse(case.signer(), &payload);
    let mut v: Value = serde_json::from_str(&signed).unwrap();
    v["verificationMaterial"]["tlogEntries"] = json!([]);
    assert!(
        !v["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let b = case.file("app.sigstore.json", v.to_string().as_bytes());
    let a = artifact.to_str().unwrap();
    case.verify_as("attestation", &b, a, EMAIL, "trusted_root_no_logs.json", &[])
        .code_is(0)
        .stdout_has(b"transparency log NOT checked (the trusted root has no transparency log; the signing time is an RFC 3161 timestamp's)");
    // A root that has a log requires an entry in it.
    case.verify("attestation", &b, a, &[]).code_is(1);
    // Neither a log entry nor a timestamp: no signing time.
    let signed = dsse(
        case.signer_for(&case.sigstore.identity_token(EMAIL), true),
        &payload,
    );
    let mut v: Value = serde_json::from_str(&signed).unwrap();
    v["verificationMaterial"]["tlogEntries"] = json!([]);
    let b = case.file("app-no-time.sigstore.json", v.to_string().as_bytes());
    case.verify_as(
        "attestation",
        &b,
        a,
        EMAIL,
        "trusted_root_no_logs.json",
        &[],
    )
    .code_is(1)
    .stdout_has(b"FAILED (time)");
    // The embedded GitHub root: the test instance's certificate does not
    // chain to it.
    let r = run(apostille()
        .args(["verify", "bundle", "--github", "--bundle"])
        .arg(case.dir.join("app.sigstore.json"))
        .args(["--certificate-identity", EMAIL])
        .args(["--certificate-oidc-issuer", case.sigstore.issuer()])
        .arg(&artifact));
    r.code_is(1);
    assert!(!r.streams().contains("VERIFIED"), "{}", r.streams());
}

#[test]
fn an_othername_san_is_a_certificate_identity() {
    let case = Case::new();
    let bytes = b"signed by a username identity";
    let artifact = case.file("u.bin", bytes);
    let signer = case.signer_for(&case.sigstore.username_token("release-bot"), false);
    let identity = "release-bot!127.0.0.1";
    let bundle = blob(signer, bytes);
    let b = case.file("u.sigstore.json", bundle.as_bytes());
    let a = artifact.to_str().unwrap();
    case.verify_as("bundle", &b, a, identity, "trusted_root.json", &[])
        .code_is(0)
        .stdout_has(b"VERIFIED message signature by release-bot!127.0.0.1 (issuer ");
    case.verify_as("bundle", &b, a, "other!127.0.0.1", "trusted_root.json", &[])
        .code_is(1)
        .stdout_has(b"FAILED (identity): identity mismatch: expected \"other!127.0.0.1\", got release-bot!127.0.0.1");
    let r = run(apostille()
        .args(["verify", "bundle", "--bundle"])
        .arg(&b)
        .arg("--trusted-root")
        .arg(case.dir.join("trusted_root.json"))
        .args(["--certificate-identity-regexp", "^release-bot!"])
        .args(["--certificate-oidc-issuer", case.sigstore.issuer()])
        .arg(&artifact));
    r.code_is(0);
    if let Some(exe) = crate::common::judge("sigstore") {
        // sigstore-python 4 compares an otherName by its raw DER value
        // (`on.value.decode()`: the UTF8String's tag and length included),
        // so it is given the identity in that form; what it checks is the
        // rest: chain, SCT, log entry, signature.
        let raw = format!("\u{c}{}{identity}", char::from(identity.len() as u8));
        let (ok, out) = case.python(&exe, &b, &artifact, &raw);
        assert!(ok, "sigstore-python rejects the otherName bundle:\n{out}");
    }
}

/// slsa-github-generator's Go builder provenance (SLSA v0.2), built from
/// `github.com/o/r` at tag v1.2.3 by the builder at `refs/tags/v2.1.0`.
fn go_builder_provenance(bytes: &[u8]) -> Vec<u8> {
    json!({
        "_type": "https://in-toto.io/Statement/v0.1",
        "subject": [{"name": "binary-linux-amd64", "digest": {"sha256": sha256(bytes)}}],
        "predicateType": "https://slsa.dev/provenance/v0.2",
        "predicate": {
            "builder": {"id": format!("{GO_BUILDER}@refs/tags/v2.1.0")},
            "buildType": "https://github.com/slsa-framework/slsa-github-generator/go@v1",
            "invocation": {"configSource": {
                "uri": "git+https://github.com/o/r@refs/tags/v1.2.3",
                "digest": {"sha1": "0123456789abcdef0123456789abcdef01234567"},
                "entryPoint": ".github/workflows/release.yml"}}
        }
    })
    .to_string()
    .into_bytes()
}

#[test]
fn slsa_verifier_builder_ids_and_tag_or_branch_from_the_command_line() {
    let case = Case::new();
    let bytes = b"\x7fELF go binary";
    let artifact = case.file("binary-linux-amd64", bytes);
    let b = case.file(
        "binary-linux-amd64.intoto.sigstore.json",
        dsse(case.signer(), &go_builder_provenance(bytes)).as_bytes(),
    );
    let a = artifact.to_str().unwrap();
    let versioned = format!("{GO_BUILDER}@v2.1.0");
    case.verify(
        "attestation",
        &b,
        a,
        &[
            "--builder-id",
            &versioned,
            "--source-uri",
            "github.com/o/r",
            "--source-tag",
            "v1.2.3",
            "--source-branch",
            "main",
        ],
    )
    .code_is(0)
    .stdout_has(
        format!("built by {GO_BUILDER}@refs/tags/v2.1.0 from github.com/o/r refs/tags/v1.2.3")
            .as_bytes(),
    );
    case.verify("attestation", &b, a, &["--builder-id", GO_BUILDER])
        .code_is(0);
    case.verify(
        "attestation",
        &b,
        a,
        &["--builder-id", &format!("{GO_BUILDER}@v2.0.0")],
    )
    .code_is(1)
    .stdout_has(b"FAILED (policy): builder is");
    case.verify("attestation", &b, a, &["--source-tag", "v9", "--source-branch", "main"])
        .code_is(1)
        .stdout_has(b"FAILED (policy): source ref is refs/tags/v1.2.3, refs/tags/v9 or refs/heads/main was required");
}

/// A bare DSSE envelope as slsa-github-generator wrote `*.intoto.jsonl`
/// before v2.1: the signature with the PEM certificate beside it, one
/// line, no bundle. Its entry is in the instance's log.
fn bare_envelope(case: &Case, payload: &[u8]) -> String {
    let signer = case.signer();
    let leaf = signer.certificate_chain()[0].clone();
    let bundle: Value = serde_json::from_str(&dsse(signer, payload)).unwrap();
    let env = &bundle["dsseEnvelope"];
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        B64.encode(leaf)
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    );
    json!({
        "payloadType": env["payloadType"],
        "payload": env["payload"],
        "signatures": [{"keyid": "", "sig": env["signatures"][0]["sig"], "cert": pem}],
    })
    .to_string()
}

#[test]
fn a_bare_dsse_envelope_needs_a_log_lookup_and_verifies_with_one() {
    let case = Case::new();
    let bytes = b"\x7fELF generic artifact";
    let artifact = case.file("binary-linux-amd64", bytes);
    let env = bare_envelope(&case, &go_builder_provenance(bytes));
    let b = case.file(
        "binary-linux-amd64.intoto.jsonl",
        format!("{env}\n").as_bytes(),
    );
    let a = artifact.to_str().unwrap();
    case.verify("attestation", &b, a, &[])
        .code_is(1)
        .stdout_has(b"FAILED (proof): ")
        .stdout_has(b"a bare DSSE envelope, not a Sigstore bundle: it carries no transparency-log entry, so it cannot be verified offline; it needs a transparency-log lookup");
    let url = case.sigstore.url().to_string();
    case.verify(
        "attestation",
        &b,
        a,
        &[
            "--rekor-url",
            &url,
            "--builder-id",
            &format!("{GO_BUILDER}@v2.1.0"),
        ],
    )
    .code_is(0)
    .stdout_has(
        format!("transparency log checked (its entry was found in the log at {url})").as_bytes(),
    );
    // Another artifact: the log has no entry naming it, and the one found
    // by the payload does not name it either.
    let other = case.file("other", b"other");
    case.verify(
        "attestation",
        &b,
        other.to_str().unwrap(),
        &["--rekor-url", &url],
    )
    .code_is(1);
    // The payload altered: the log's entry does not describe it.
    let mut v: Value = serde_json::from_str(&env).unwrap();
    let mut p = B64.decode(v["payload"].as_str().unwrap()).unwrap();
    let at = p.len() / 2;
    p[at] ^= 0x01;
    v["payload"] = B64.encode(p).into();
    let t = case.file("tampered.intoto.jsonl", v.to_string().as_bytes());
    case.verify("attestation", &t, a, &["--rekor-url", &url])
        .code_is(1);
    // verify DIR says the same, and never goes online.
    let dl = case.dir.join("dl");
    std::fs::create_dir(&dl).unwrap();
    std::fs::copy(&artifact, dl.join("binary-linux-amd64")).unwrap();
    std::fs::copy(&b, dl.join("binary-linux-amd64.intoto.jsonl")).unwrap();
    let r = run(apostille()
        .args(["verify", "--trusted-root"])
        .arg(case.dir.join("trusted_root.json"))
        .args(["--certificate-identity", EMAIL])
        .args(["--certificate-oidc-issuer", case.sigstore.issuer()])
        .arg(&dl));
    r.code_is(1);
    assert!(
        r.streams().contains("it needs a transparency-log lookup"),
        "{}",
        r.streams()
    );
}
