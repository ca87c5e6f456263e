//! The trust model of `apostille verify DIR|FILE…` (docs/verify.md, "The
//! trust model"): integrity is not authenticity. Each test pins one
//! verdict of one artifact, its reason, the exit status and that nothing
//! else failed (the `verdict:` line's counts).
//!
//! * Forged downloads: what an attacker who controls the mirror can do
//!   (replace a tarball and recompute its checksums, swap a signature,
//!   rewrite a signed list, add a file, plant a KEYS file, bring a bundle or
//!   an SBOM of their own) never makes an artifact VERIFIED.
//! * Real layouts made with the real tools (gpg detached armored and
//!   binary, `--clearsign`, GoReleaser's `checksums.txt.sig`, several
//!   signers in one `.asc`, a Debian `.dsc`, `gh attestation download`'s
//!   JSON lines): each VERIFIED by the chain it carries, and the verdict
//!   line names that chain.
//! * One read: an artifact (and a signed list) delivered through a FIFO.
//!
//! Every test runs `apostille` from a fresh temporary folder holding `dl/`
//! (the download) and `KEYS` (the user's trust input, outside the
//! download), so that the paths printed are `dl/…`.

use std::path::{Path, PathBuf};

use crate::common::{Run, apostille, contains, count, gpg, peer, run, vectors_dir};
use crate::pgp::Signer;

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

/// When the test keys are made, and when they sign.
const KEY_TIME: &str = "20240101T000000!";
const SIGN_TIME: &str = "20240601T000000!";

const TARBALL: &str = "app-1.0.tar.gz";
const ZIP: &str = "app-1.0-bin.zip";

// ---------------------------------------------------------------- helpers

/// Shared, read-only test data that a bare clone may lack (the vectors, or
/// outside them the Debian keyring): absent, the test is skipped (saying
/// so and recording it) — except under CI, which has it and fails.
fn needed(path: PathBuf, what: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let (kind, remedy) = if path.starts_with(vectors_dir()) {
        (
            "vectors",
            "set APOSTILLE_VECTORS to the shared test vectors (shared/vectors beside the workspace)",
        )
    } else {
        (
            "debian-keyring",
            "install the debian-keyring package (scripts/setup.sh)",
        )
    };
    apostille_testkit::material::missing(
        kind,
        &format!("{what} not found at {}", path.display()),
        remedy,
    );
    None
}

fn conformance() -> Option<PathBuf> {
    needed(
        vectors_dir().join("sigstore-conformance/bundle-verify"),
        "the sigstore-conformance vectors",
    )
}

/// How gpg writes a signature.
#[derive(Clone, Copy)]
enum Mode {
    /// `gpg --armor --detach-sign`.
    Armored,
    /// `gpg --detach-sign` (binary packets).
    Binary,
    /// `gpg --clearsign`.
    Clear,
}

/// The signature (or clear-signed document) `signer` makes over `file`
/// with gpg, at [`SIGN_TIME`].
fn gpg_sign(signer: &Signer, file: &Path, mode: Mode) -> Vec<u8> {
    let how: &[&str] = match mode {
        Mode::Armored => &["--armor", "--detach-sign"],
        Mode::Binary => &["--detach-sign"],
        Mode::Clear => &["--clearsign"],
    };
    run(gpg(signer.home.path())
        .args(["--faked-system-time", SIGN_TIME])
        .args(["--pinentry-mode", "loopback", "--passphrase", ""])
        .args(["--digest-algo", "SHA512"])
        .args(how)
        .args(["--output", "-", "--local-user", &signer.email])
        .arg(file))
    .ok_stdout()
}

fn signer(email: &str) -> Signer {
    Signer::new(email, "ed25519", "never", KEY_TIME)
}

/// How a good signature by `s` is named in a verdict line:
/// `good signature by "Test <EMAIL>" FPR`.
fn good_by(s: &Signer) -> String {
    format!(
        "good signature by \"Test <{}>\" {}",
        s.email,
        s.fingerprint()
    )
}

fn text(r: &Run) -> String {
    String::from_utf8_lossy(&r.stdout).into_owned()
}

/// The verdict line of the artifact at `path` (`PATH: VERDICT — reason`).
fn verdict_line(r: &Run, path: &str) -> String {
    let prefix = format!("{path}: ");
    let out = text(r);
    let found: Vec<&str> = out.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one verdict line for {path}\n{}",
        r.streams()
    );
    found[0].to_owned()
}

/// Asserts the artifact's verdict word and that its reason holds `reason`.
fn artifact_is(r: &Run, path: &str, verdict: &str, reason: &str) {
    let l = verdict_line(r, path);
    assert!(
        l.starts_with(&format!("{path}: {verdict} — ")),
        "{path}: expected {verdict}, got {l:?}\n{}",
        r.streams()
    );
    assert!(
        l.contains(reason),
        "{path}: the reason lacks {reason:?}: {l:?}\n{}",
        r.streams()
    );
}

/// Asserts the download's verdict line: its word and the artifacts per
/// verdict `[verified, integrity only, not authenticated, failed]`.
fn download_is(r: &Run, verdict: &str, [v, i, n, f]: [usize; 4]) {
    let want = format!(
        "verdict: {verdict} — {} artifact(s): {v} verified, {i} integrity only, {n} not authenticated, {f} failed;",
        v + i + n + f
    );
    assert!(
        text(r).lines().any(|l| l.starts_with(&want)),
        "expected {want:?}\n{}",
        r.streams()
    );
}

/// Asserts the checks' counts on the verdict line.
fn checks_are(r: &Run, pass: usize, fail: usize, warn: usize, weak: usize, skipped: usize) {
    let want = format!(
        "; checks: {pass} pass, {fail} FAIL, {warn} warn, {weak} weak, {skipped} skipped\n"
    );
    assert!(
        contains(&r.stdout, want.as_bytes()),
        "expected {want:?}\n{}",
        r.streams()
    );
}

/// Asserts that no verdict line is about `path`: it is not an artifact.
fn not_an_artifact(r: &Run, path: &str) {
    let prefix = format!("{path}: ");
    assert!(
        !text(r).lines().any(|l| l.starts_with(&prefix)),
        "{path} is listed as an artifact\n{}",
        r.streams()
    );
}

fn lacks(r: &Run, needle: &str) {
    assert!(
        !contains(&r.stdout, needle.as_bytes()),
        "stdout holds {needle:?}\n{}",
        r.streams()
    );
}

/// A temporary folder holding `dl/` (the download) and `KEYS` (the
/// release manager's certificate, outside the download).
struct Dl {
    tmp: tempfile::TempDir,
    rm: Signer,
}

impl Dl {
    fn new() -> Dl {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("dl")).unwrap();
        let rm = signer("rm@example.org");
        std::fs::write(tmp.path().join("KEYS"), rm.export()).unwrap();
        Dl { tmp, rm }
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// `dl/NAME`.
    fn path(&self, name: &str) -> PathBuf {
        self.root().join("dl").join(name)
    }

    fn write(&self, name: &str, data: impl AsRef<[u8]>) {
        std::fs::write(self.path(name), data).unwrap();
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path(name)).unwrap();
    }

    /// `dl/NAME` signed by `s`, written to `dl/NAME.EXT`.
    fn sign(&self, s: &Signer, name: &str, mode: Mode, ext: &str) {
        let sig = gpg_sign(s, &self.path(name), mode);
        self.write(&format!("{name}.{ext}"), sig);
    }

    /// The two artifacts.
    fn artifacts(&self) {
        self.write(TARBALL, vec![3u8; 200_000]);
        self.write(ZIP, b"zip bytes\n");
    }

    /// `apostille ARGS…` in the dl folder (names as written there).
    fn apostille_in_dl(&self, args: &[&str]) -> Run {
        run(apostille().current_dir(self.root().join("dl")).args(args))
    }

    /// `apostille hash -a ALG NAMES…` in dl: coreutils-format lines, as an
    /// attacker recomputing checksums writes them.
    fn sums(&self, alg: &str, names: &[&str]) -> Vec<u8> {
        self.apostille_in_dl(&[&["hash", "-a", alg][..], names].concat())
            .ok_stdout()
    }

    /// The hex digest of `dl/NAME`.
    fn hex(&self, alg: &str, name: &str) -> String {
        let out = String::from_utf8(self.sums(alg, &[name])).unwrap();
        out.split_whitespace().next().unwrap().to_owned()
    }

    /// `apostille verify ARGS…` from the temporary folder.
    fn verify(&self, args: &[&str]) -> Run {
        run(apostille()
            .current_dir(self.root())
            .arg("verify")
            .args(args))
    }
}

/// The genuine release of the forged-download suite: two artifacts, a
/// `.sha512` sidecar each and an unsigned `SHA256SUMS` (written by
/// apostille), and an armored detached `.asc` per artifact by the release
/// key.
fn release() -> Dl {
    let d = Dl::new();
    d.artifacts();
    d.apostille_in_dl(&["checksums", "--sidecar", "-a", "sha512", TARBALL, ZIP])
        .code_is(0);
    d.apostille_in_dl(&[
        "checksums",
        "-a",
        "sha256",
        "-o",
        "SHA256SUMS",
        TARBALL,
        ZIP,
    ])
    .code_is(0);
    for a in [TARBALL, ZIP] {
        d.sign(&d.rm, a, Mode::Armored, "asc");
    }
    d
}

/// The signed-list variant: `SHA256SUMS` + `SHA256SUMS.asc`, no signature
/// or sidecar of the artifacts' own.
fn signed_list_release() -> Dl {
    let d = Dl::new();
    d.artifacts();
    d.apostille_in_dl(&[
        "checksums",
        "-a",
        "sha256",
        "-o",
        "SHA256SUMS",
        TARBALL,
        ZIP,
    ])
    .code_is(0);
    d.sign(&d.rm, "SHA256SUMS", Mode::Armored, "asc");
    d
}

/// The chain of a line of `dl/LIST` signed by `dl/SIG`.
fn list_chain(list: &str, line: usize, sig: &str, s: &Signer) -> String {
    format!("dl/{list} line {line} ← dl/{sig}, {}", good_by(s))
}

// --------------------------------------------- A. forged downloads

#[test]
fn a_genuine_release_is_verified_with_the_keys_given() {
    let d = release();
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0);
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "VERIFIED",
            &format!("dl/{a}.asc, {}", good_by(&d.rm)),
        );
    }
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
    // Per artifact: its SHA256SUMS line, its sidecar, its signature.
    checks_are(&r, 6, 0, 0, 0, 0);
    lacks(&r, "note:");
}

#[test]
fn a_genuine_release_without_keys_is_not_authenticated_and_says_to_pass_keys() {
    let d = release();
    let r = d.verify(&["dl"]);
    r.code_is(1);
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "NOT AUTHENTICATED",
            &format!(
                "matches, but no trusted signer vouches for it: pass the project's KEYS with --keys to check dl/{a}.asc"
            ),
        );
    }
    download_is(&r, "NOT AUTHENTICATED", [0, 0, 2, 0]);
    checks_are(&r, 4, 0, 0, 0, 2);
}

/// The attacker replaces the tarball, recomputes its `.sha512` and its
/// `SHA256SUMS` line (the list is unsigned in this release) and deletes
/// its `.asc`: every checksum matches, nothing trusted vouches.
#[test]
fn a_replaced_tarball_with_recomputed_checksums_is_not_authenticated() {
    let d = release();
    d.write(TARBALL, b"a backdoored tarball\n");
    d.write(&format!("{TARBALL}.sha512"), d.sums("sha512", &[TARBALL]));
    d.write("SHA256SUMS", d.sums("sha256", &[TARBALL, ZIP]));
    d.remove(&format!("{TARBALL}.asc"));

    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "NOT AUTHENTICATED",
        "dl/SHA256SUMS line 1 matches, but no trusted signer vouches for it: nothing signs it, or a list that names it, with a key or identity you gave",
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "VERIFIED",
        &format!("dl/{ZIP}.asc, {}", good_by(&d.rm)),
    );
    download_is(&r, "NOT AUTHENTICATED", [1, 0, 1, 0]);
    checks_are(&r, 5, 0, 0, 0, 0);

    let r = d.verify(&["dl"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "NOT AUTHENTICATED",
        "no trusted signer vouches for it: nothing signs it",
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "NOT AUTHENTICATED",
        "pass the project's KEYS with --keys",
    );
    download_is(&r, "NOT AUTHENTICATED", [0, 0, 2, 0]);
    checks_are(&r, 4, 0, 0, 0, 1);
}

#[test]
fn an_asc_by_a_key_not_in_keys_fails() {
    let d = release();
    let mallory = signer("mallory@example.org");
    d.sign(&mallory, ZIP, Mode::Armored, "asc");
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "FAILED",
        &format!("dl/{ZIP}.asc: signed by key {}", mallory.fingerprint()),
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "FAILED",
        "which is not in the KEYS given",
    );
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "VERIFIED",
        &format!("dl/{TARBALL}.asc, {}", good_by(&d.rm)),
    );
    download_is(&r, "FAILED", [1, 0, 0, 1]);
    checks_are(&r, 5, 1, 0, 0, 0);
}

/// `SHA256SUMS` signed by `SHA256SUMS.asc`, the artifacts without a
/// signature of their own: the attacker swaps an artifact and rewrites the
/// list under the stale signature.
#[test]
fn a_list_rewritten_under_its_stale_signature_fails_with_a_bad_signature() {
    let d = signed_list_release();
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "VERIFIED",
        &list_chain("SHA256SUMS", 1, "SHA256SUMS.asc", &d.rm),
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "VERIFIED",
        &list_chain("SHA256SUMS", 2, "SHA256SUMS.asc", &d.rm),
    );
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);

    d.write(TARBALL, b"a backdoored tarball\n");
    d.write("SHA256SUMS", d.sums("sha256", &[TARBALL, ZIP]));
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    // The list's signature no longer holds: every line it vouched for
    // vouches for nothing, the swapped one first.
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "FAILED",
            "dl/SHA256SUMS.asc: BAD signature",
        );
    }
    download_is(&r, "FAILED", [0, 0, 0, 2]);
    // The two lines match (the attacker wrote them); the signature fails,
    // once about the list and once for each artifact it would vouch for.
    checks_are(&r, 2, 3, 0, 0, 0);
}

/// The same swap under a signed list, with a `.sha512` sidecar the
/// attacker wrote to match: the signed line does not match, so the file
/// fails whatever the sidecar says.
#[test]
fn a_swapped_artifact_under_a_signed_list_fails_despite_a_matching_sidecar() {
    let d = signed_list_release();
    d.write(TARBALL, b"a backdoored tarball\n");
    d.write(&format!("{TARBALL}.sha512"), d.sums("sha512", &[TARBALL]));
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "FAILED",
        "dl/SHA256SUMS line 1: sha256 does NOT match",
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "VERIFIED",
        &list_chain("SHA256SUMS", 2, "SHA256SUMS.asc", &d.rm),
    );
    download_is(&r, "FAILED", [1, 0, 0, 1]);
    checks_are(&r, 3, 1, 0, 0, 0);
}

#[test]
fn an_extra_unsigned_artifact_is_not_authenticated_and_the_others_stay_verified() {
    let d = release();
    d.write("app-1.0-extra.bin", b"nobody released this\n");
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/app-1.0-extra.bin",
        "NOT AUTHENTICATED",
        "no checksum, signature or attestation names this file",
    );
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "VERIFIED",
            &format!("dl/{a}.asc, {}", good_by(&d.rm)),
        );
    }
    download_is(&r, "NOT AUTHENTICATED", [2, 0, 1, 0]);
    checks_are(&r, 6, 0, 0, 0, 0);
}

/// The attacker re-signs every artifact with their own key and puts that
/// key in the download as `KEYS`.
#[test]
fn a_keys_file_planted_in_the_download_is_never_trusted() {
    let d = release();
    let mallory = signer("mallory@example.org");
    for a in [TARBALL, ZIP] {
        d.sign(&mallory, a, Mode::Armored, "asc");
    }
    d.write("KEYS", mallory.export());
    let note = "note: dl/KEYS holds a KEYS file: key material inside a download is never trusted by being there; pass it with --keys (or --key) only if you know it is the project's\n";

    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1).stdout_has(note.as_bytes());
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "FAILED",
            &format!("dl/{a}.asc: signed by key {}", mallory.fingerprint()),
        );
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "FAILED",
            "which is not in the KEYS given",
        );
    }
    download_is(&r, "FAILED", [0, 0, 0, 2]);
    checks_are(&r, 4, 2, 0, 0, 0);
    // KEYS is neither an artifact nor a signature.
    not_an_artifact(&r, "dl/KEYS");

    let r = d.verify(&["dl"]);
    r.code_is(1).stdout_has(note.as_bytes());
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "NOT AUTHENTICATED",
            &format!("pass the project's KEYS with --keys to check dl/{a}.asc"),
        );
    }
    download_is(&r, "NOT AUTHENTICATED", [0, 0, 2, 0]);
    checks_are(&r, 4, 0, 0, 0, 2);
}

/// A KEYS file inside the download that the user passes with `--keys`
/// (they checked it elsewhere) is a trust input, not reported; the same
/// file not passed is reported.
#[test]
fn the_keys_file_passed_with_keys_is_not_reported_as_key_material() {
    let d = release();
    d.write("KEYS", d.rm.export());
    let abs = d.path("KEYS");
    for keys in [
        "dl/KEYS",
        "./dl/KEYS",
        "dl/../dl/KEYS",
        abs.to_str().unwrap(),
    ] {
        let r = d.verify(&["dl", "--keys", keys]);
        r.code_is(0);
        lacks(&r, "note:");
        lacks(&r, "KEYS holds");
        download_is(&r, "VERIFIED", [2, 0, 0, 0]);
        checks_are(&r, 6, 0, 0, 0, 0);
    }
    // The outside copy passed: the one inside is only key material.
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0).stdout_has(
        b"note: dl/KEYS holds a KEYS file: key material inside a download is never trusted",
    );
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
}

/// A message-signature bundle over the artifact, checked against another
/// identity than the one that signed it.
#[test]
fn a_sigstore_bundle_by_another_identity_fails() {
    let Some(vectors) = conformance() else { return };
    let d = Dl::new();
    std::fs::copy(vectors.join("a.txt"), d.path("a.txt")).unwrap();
    std::fs::copy(
        vectors.join("happy-path-v0.3/bundle.sigstore.json"),
        d.path("a.txt.sigstore.json"),
    )
    .unwrap();
    let r = d.verify(&[
        "dl",
        "--certificate-identity",
        IDENTITY,
        "--certificate-oidc-issuer",
        ISSUER,
    ]);
    r.code_is(0);
    artifact_is(
        &r,
        "dl/a.txt",
        "VERIFIED",
        &format!("dl/a.txt.sigstore.json, Sigstore signature by {IDENTITY} (issuer {ISSUER})"),
    );
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);

    let r = d.verify(&[
        "dl",
        "--certificate-identity",
        "https://github.com/attacker/repo/.github/workflows/release.yml@refs/heads/main",
        "--certificate-oidc-issuer",
        ISSUER,
    ]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/a.txt",
        "FAILED",
        "dl/a.txt.sigstore.json: (identity) identity mismatch",
    );
    download_is(&r, "FAILED", [0, 0, 0, 1]);
    checks_are(&r, 0, 1, 0, 0, 0);
}

/// An SBOM the release wrote (unsigned) lists the artifacts; the attacker
/// swaps the tarball, edits the SBOM's checksums (and the package
/// verification code) to match, and removes the tarball's other
/// attestations. The SBOM matches; nothing trusted vouches for it.
#[test]
fn an_unsigned_sbom_edited_to_match_a_swapped_file_is_not_authenticated() {
    let d = release();
    d.apostille_in_dl(&["sbom", "artifacts", "-o", "app.spdx.json", TARBALL, ZIP])
        .code_is(0);
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0)
        .stdout_has(b"  pass     sbom        dl/app.spdx.json: file ./app-1.0.tar.gz: ");
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);

    d.write(TARBALL, b"a backdoored tarball\n");
    d.remove(&format!("{TARBALL}.asc"));
    d.remove(&format!("{TARBALL}.sha512"));
    d.write("SHA256SUMS", d.sums("sha256", &[ZIP]));
    let mut sbom: serde_json::Value = serde_json::from_slice(&d.read("app.spdx.json")).unwrap();
    let mut sha1s = Vec::new();
    for f in sbom["files"].as_array_mut().unwrap() {
        let forged = f["fileName"] == format!("./{TARBALL}");
        let sums = f["checksums"].as_array_mut().unwrap();
        // BLAKE3 is written with extended output: the attacker drops it.
        sums.retain(|c| c["algorithm"] != "BLAKE3");
        for c in sums.iter_mut() {
            let alg = c["algorithm"].as_str().unwrap().to_ascii_lowercase();
            if forged {
                c["checksumValue"] = d.hex(&alg, TARBALL).into();
            }
            if alg == "sha1" {
                sha1s.push(c["checksumValue"].as_str().unwrap().to_owned());
            }
        }
    }
    sha1s.sort();
    d.write("sha1s", sha1s.concat());
    let code = d.hex("sha1", "sha1s");
    d.remove("sha1s");
    sbom["packages"][0]["packageVerificationCode"]["packageVerificationCodeValue"] = code.into();
    d.write("app.spdx.json", serde_json::to_vec_pretty(&sbom).unwrap());

    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1)
        .stdout_has(b"  pass     sbom        dl/app.spdx.json: file ./app-1.0.tar.gz: sha1, sha256, sha512 match\n");
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "NOT AUTHENTICATED",
        "dl/app.spdx.json matches, but no trusted signer vouches for it",
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "VERIFIED",
        &format!("dl/{ZIP}.asc, {}", good_by(&d.rm)),
    );
    download_is(&r, "NOT AUTHENTICATED", [1, 0, 1, 0]);
    // The tarball's SBOM entry; the zip's SHA256SUMS line, sidecar,
    // signature and SBOM entry.
    checks_are(&r, 5, 0, 0, 0, 0);
}

/// The contrast: the same SBOM signed by the release key vouches for the
/// files it lists.
#[test]
fn a_signed_sbom_vouches_for_the_files_it_lists() {
    let d = Dl::new();
    d.artifacts();
    d.apostille_in_dl(&["sbom", "artifacts", "-o", "app.spdx.json", TARBALL, ZIP])
        .code_is(0);
    d.sign(&d.rm, "app.spdx.json", Mode::Armored, "asc");
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0);
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "VERIFIED",
            &format!(
                "dl/app.spdx.json ← dl/app.spdx.json.asc, {}",
                good_by(&d.rm)
            ),
        );
    }
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
    checks_are(&r, 3, 0, 0, 0, 0);
}

/// docs/verify.md: "A failed signature over a list fails every artifact
/// whose line in that list matched: the line vouches for nothing any
/// more" — also when another signature file over the same list is good.
#[test]
fn a_bad_signature_over_a_list_fails_its_artifacts_even_beside_a_good_one() {
    let d = signed_list_release();
    // A second signature file over the list, made over other bytes.
    d.write("other", b"another list\n");
    d.write(
        "SHA256SUMS.sig",
        gpg_sign(&d.rm, &d.path("other"), Mode::Binary),
    );
    d.remove("other");
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1)
        .stdout_has(b"  FAIL     pgp         dl/SHA256SUMS.sig: BAD signature");
    for a in [TARBALL, ZIP] {
        artifact_is(
            &r,
            &format!("dl/{a}"),
            "FAILED",
            "dl/SHA256SUMS.sig: BAD signature",
        );
    }
    download_is(&r, "FAILED", [0, 0, 0, 2]);
}

// ------------------------------------------ B. real layouts, real tools

/// Ubuntu's layout: `SHA256SUMS` is itself clear-signed (`gpg
/// --clearsign`), no `.asc`.
fn clear_signed_release() -> Dl {
    let d = Dl::new();
    d.artifacts();
    d.apostille_in_dl(&["checksums", "-a", "sha256", "-o", "plain", TARBALL, ZIP])
        .code_is(0);
    d.write("SHA256SUMS", gpg_sign(&d.rm, &d.path("plain"), Mode::Clear));
    d.remove("plain");
    assert!(
        d.read("SHA256SUMS")
            .starts_with(b"-----BEGIN PGP SIGNED MESSAGE-----\n")
    );
    d
}

/// The chain through a clear-signed list, whatever its line numbering:
/// `dl/SHA256SUMS line N ← dl/SHA256SUMS, good signature by …`.
fn clear_chained(r: &Run, path: &str, list: &str, s: &Signer) {
    artifact_is(
        r,
        path,
        "VERIFIED",
        &format!("{path}: VERIFIED — dl/{list} line "),
    );
    artifact_is(
        r,
        path,
        "VERIFIED",
        &format!(" ← dl/{list}, {}", good_by(s)),
    );
}

#[test]
fn a_clear_signed_list_verifies_its_artifacts() {
    let d = clear_signed_release();
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0)
        .stdout_has(b"  pass     pgp         dl/SHA256SUMS: clear-signed: good signature, SHA512");
    clear_chained(&r, "dl/app-1.0.tar.gz", "SHA256SUMS", &d.rm);
    clear_chained(&r, "dl/app-1.0-bin.zip", "SHA256SUMS", &d.rm);
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
    checks_are(&r, 3, 0, 0, 0, 0);

    let r = d.verify(&["dl"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "NOT AUTHENTICATED",
        "pass the project's KEYS with --keys to check dl/SHA256SUMS",
    );
    download_is(&r, "NOT AUTHENTICATED", [0, 0, 2, 0]);
    checks_are(&r, 2, 0, 0, 0, 1);
}

/// A line appended after the signature block is not signed and is not
/// read: the file it names is vouched for by nothing.
#[test]
fn a_line_after_the_clear_signature_vouches_for_nothing() {
    let d = clear_signed_release();
    d.write("forged.bin", b"forged\n");
    let mut list = d.read("SHA256SUMS");
    list.extend(d.sums("sha256", &["forged.bin"]));
    d.write("SHA256SUMS", list);
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/forged.bin",
        "NOT AUTHENTICATED",
        "no checksum, signature or attestation names this file",
    );
    clear_chained(&r, "dl/app-1.0.tar.gz", "SHA256SUMS", &d.rm);
    clear_chained(&r, "dl/app-1.0-bin.zip", "SHA256SUMS", &d.rm);
    download_is(&r, "NOT AUTHENTICATED", [2, 0, 1, 0]);
    checks_are(&r, 3, 0, 0, 0, 0);
}

/// docs/verify.md: "of a clear-signed list only the signed text is
/// parsed: lines added before or after the signature are not read at
/// all" — a line put before the BEGIN line vouches for nothing, and the
/// signed lines still verify.
#[test]
fn a_line_before_the_clear_signed_message_vouches_for_nothing() {
    let d = clear_signed_release();
    d.write("forged.bin", b"forged\n");
    let mut list = d.sums("sha256", &["forged.bin"]);
    list.push(b'\n');
    list.extend(d.read("SHA256SUMS"));
    d.write("SHA256SUMS", list);
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/forged.bin",
        "NOT AUTHENTICATED",
        "no checksum, signature or attestation names this file",
    );
    clear_chained(&r, "dl/app-1.0.tar.gz", "SHA256SUMS", &d.rm);
    clear_chained(&r, "dl/app-1.0-bin.zip", "SHA256SUMS", &d.rm);
    download_is(&r, "NOT AUTHENTICATED", [2, 0, 1, 0]);
}

#[test]
fn an_edited_line_of_a_clear_signed_list_fails() {
    let d = clear_signed_release();
    let text = String::from_utf8(d.read("SHA256SUMS")).unwrap();
    let hex = d.hex("sha256", ZIP);
    let edited = text.replace(&hex, &"0".repeat(64));
    assert_ne!(text, edited);
    d.write("SHA256SUMS", edited);
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(1);
    artifact_is(&r, "dl/app-1.0-bin.zip", "FAILED", "sha256 does NOT match");
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "FAILED",
        "dl/SHA256SUMS: clear-signed: BAD signature",
    );
    download_is(&r, "FAILED", [0, 0, 0, 2]);
}

/// `Check.line` is "its line there" (in the attestation file): in a
/// clear-signed list, the line of the file, after the `BEGIN PGP SIGNED
/// MESSAGE`, `Hash:` and empty lines.
#[test]
fn clear_signed_list_lines_are_numbered_as_in_the_file() {
    let d = clear_signed_release();
    let text = String::from_utf8(d.read("SHA256SUMS")).unwrap();
    let line_of = |name: &str| {
        1 + text
            .lines()
            .position(|l| l.ends_with(&format!("  {name}")))
            .unwrap()
    };
    assert_eq!(line_of(TARBALL), 4, "{text}");
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "VERIFIED",
        &format!("dl/SHA256SUMS line {} ← dl/SHA256SUMS, ", line_of(TARBALL)),
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "VERIFIED",
        &format!("dl/SHA256SUMS line {} ← dl/SHA256SUMS, ", line_of(ZIP)),
    );
}

/// `SHA256SUMS.asc` (armored), `SHA256SUMS.gpg` and `SHA256SUMS.sig`
/// (binary): each alone vouches for the list, so does all three, and
/// `--require pgp` is met through the list.
#[test]
fn armored_and_binary_detached_signatures_over_a_list_verify() {
    let d = Dl::new();
    d.artifacts();
    d.apostille_in_dl(&[
        "checksums",
        "-a",
        "sha256",
        "-o",
        "SHA256SUMS",
        TARBALL,
        ZIP,
    ])
    .code_is(0);
    let cases = [
        ("asc", Mode::Armored),
        ("gpg", Mode::Binary),
        ("sig", Mode::Binary),
    ];
    for (ext, mode) in cases {
        d.sign(&d.rm, "SHA256SUMS", mode, ext);
        let sig = d.read(&format!("SHA256SUMS.{ext}"));
        assert_eq!(
            sig.starts_with(b"-----BEGIN PGP SIGNATURE-----"),
            matches!(mode, Mode::Armored),
            "SHA256SUMS.{ext} is not in the intended form"
        );
        let r = d.verify(&["dl", "--keys", "KEYS", "--require", "pgp"]);
        r.code_is(0);
        let sig = format!("SHA256SUMS.{ext}");
        artifact_is(
            &r,
            "dl/app-1.0.tar.gz",
            "VERIFIED",
            &list_chain("SHA256SUMS", 1, &sig, &d.rm),
        );
        artifact_is(
            &r,
            "dl/app-1.0-bin.zip",
            "VERIFIED",
            &list_chain("SHA256SUMS", 2, &sig, &d.rm),
        );
        download_is(&r, "VERIFIED", [2, 0, 0, 0]);
        checks_are(&r, 3, 0, 0, 0, 0);
        lacks(&r, "required, but no");
        d.remove(&sig);
    }
    for (ext, mode) in cases {
        d.sign(&d.rm, "SHA256SUMS", mode, ext);
    }
    let r = d.verify(&["dl", "--keys", "KEYS", "--require", "pgp,checksum"]);
    r.code_is(0);
    for ext in ["asc", "gpg", "sig"] {
        r.stdout_has(
            format!("  pass     pgp         dl/SHA256SUMS.{ext}: good signature, SHA512")
                .as_bytes(),
        );
    }
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "VERIFIED",
        &list_chain("SHA256SUMS", 1, "SHA256SUMS.asc", &d.rm),
    );
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
    checks_are(&r, 5, 0, 0, 0, 0);
}

/// GoReleaser: `proj_1.0_checksums.txt` (sha256sum format) and a binary
/// detached `proj_1.0_checksums.txt.sig`. The list is not an artifact.
#[test]
fn a_goreleaser_checksums_txt_with_its_sig_verifies_and_is_not_an_artifact() {
    let d = Dl::new();
    let (linux, windows) = ("proj_1.0_linux_amd64.tar.gz", "proj_1.0_windows_amd64.zip");
    d.write(linux, vec![5u8; 100_000]);
    d.write(windows, b"windows build\n");
    d.write(
        "proj_1.0_checksums.txt",
        d.sums("sha256", &[linux, windows]),
    );
    d.sign(&d.rm, "proj_1.0_checksums.txt", Mode::Binary, "sig");
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0);
    artifact_is(
        &r,
        &format!("dl/{linux}"),
        "VERIFIED",
        &list_chain(
            "proj_1.0_checksums.txt",
            1,
            "proj_1.0_checksums.txt.sig",
            &d.rm,
        ),
    );
    artifact_is(
        &r,
        &format!("dl/{windows}"),
        "VERIFIED",
        &list_chain(
            "proj_1.0_checksums.txt",
            2,
            "proj_1.0_checksums.txt.sig",
            &d.rm,
        ),
    );
    not_an_artifact(&r, "dl/proj_1.0_checksums.txt");
    lacks(&r, "checksums.txt: ");
    not_an_artifact(&r, "dl/proj_1.0_checksums.txt.sig");
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
    checks_are(&r, 3, 0, 0, 0, 0);
}

/// Several release managers sign one `.asc` (Subversion's way): the
/// armored signatures of A and B concatenated.
struct CoSigned {
    d: Dl,
    b: Signer,
}

fn co_signed() -> CoSigned {
    let d = Dl::new();
    d.write(TARBALL, vec![3u8; 200_000]);
    let b = signer("rm2@example.org");
    let mut both = gpg_sign(&d.rm, &d.path(TARBALL), Mode::Armored);
    both.extend(gpg_sign(&b, &d.path(TARBALL), Mode::Armored));
    d.write(&format!("{TARBALL}.asc"), both);
    std::fs::write(d.root().join("KEYS.B"), b.export()).unwrap();
    let mut ab = d.rm.export();
    ab.extend(b.export());
    std::fs::write(d.root().join("KEYS.AB"), ab).unwrap();
    CoSigned { d, b }
}

#[test]
fn two_signatures_by_trusted_keys_meet_min_signatures_2() {
    let CoSigned { d, b } = co_signed();
    for extra in [&[][..], &["--min-signatures", "2"][..]] {
        let r = d.verify(&[&["dl", "--keys", "KEYS.AB"][..], extra].concat());
        r.code_is(0);
        artifact_is(
            &r,
            "dl/app-1.0.tar.gz",
            "VERIFIED",
            &format!(
                "dl/{TARBALL}.asc, good signatures by \"Test <rm@example.org>\" {} and \"Test <rm2@example.org>\" {}",
                d.rm.fingerprint(),
                b.fingerprint()
            ),
        );
        download_is(&r, "VERIFIED", [1, 0, 0, 0]);
        checks_are(&r, 2, 0, 0, 0, 0);
    }
    // Both keys given as two files: the same.
    let r = d.verify(&[
        "dl",
        "--keys",
        "KEYS",
        "--keys",
        "KEYS.B",
        "--min-signatures",
        "2",
    ]);
    r.code_is(0);
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);
}

#[test]
fn a_co_signature_by_a_key_not_in_keys_is_a_warning() {
    let CoSigned { d, b } = co_signed();
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0).stdout_has(
        format!(
            "  warn     pgp         dl/{TARBALL}.asc: co-signature by key {}",
            b.fingerprint()
        )
        .as_bytes(),
    );
    r.stdout_has(b", not in the KEYS given\n");
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "VERIFIED",
        &format!("dl/{TARBALL}.asc, {}", good_by(&d.rm)),
    );
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);
    checks_are(&r, 1, 0, 1, 0, 0);
}

#[test]
fn min_signatures_2_with_only_one_trusted_key_fails() {
    let CoSigned { d, .. } = co_signed();
    let r = d.verify(&["dl", "--keys", "KEYS", "--min-signatures", "2"]);
    r.code_is(1).stdout_has(
        format!(
            "  FAIL     pgp         dl/{TARBALL}.asc: 1 good signature(s) by distinct trusted certificates; --min-signatures 2 required\n"
        )
        .as_bytes(),
    );
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "FAILED",
        "which is not in the KEYS given",
    );
    download_is(&r, "FAILED", [0, 0, 0, 1]);
    checks_are(&r, 1, 2, 0, 0, 0);
}

#[test]
fn the_same_signature_twice_counts_once() {
    let d = Dl::new();
    d.write(TARBALL, vec![3u8; 200_000]);
    let one = gpg_sign(&d.rm, &d.path(TARBALL), Mode::Armored);
    d.write(&format!("{TARBALL}.asc"), [one.clone(), one].concat());
    let r = d.verify(&["dl", "--keys", "KEYS", "--min-signatures", "2"]);
    r.code_is(1)
        .stdout_has(b"by the same certificate again (counted once)");
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "FAILED",
        &format!(
            "dl/{TARBALL}.asc: 1 good signature(s) by distinct trusted certificates; --min-signatures 2 required"
        ),
    );
    download_is(&r, "FAILED", [0, 0, 0, 1]);
    checks_are(&r, 1, 1, 1, 0, 0);
    // Without the requirement, the duplicate is only a warning.
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0);
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);
    checks_are(&r, 1, 0, 1, 0, 0);
}

#[test]
fn a_signer_pin_on_a_key_not_given_fails() {
    let CoSigned { d, b } = co_signed();
    let fpr_b = b.fingerprint();
    let r = d.verify(&["dl", "--keys", "KEYS", "--signer", &fpr_b]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "FAILED",
        &format!("{}, who is not a --signer", good_by(&d.rm)),
    );
    r.stdout_has(format!("signed by key {fpr_b}").as_bytes());
    download_is(&r, "FAILED", [0, 0, 0, 1]);
    checks_are(&r, 0, 2, 0, 0, 0);
    // With B's key given too, the pin is met by B alone.
    let r = d.verify(&["dl", "--keys", "KEYS.AB", "--signer", &fpr_b]);
    r.code_is(0);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "VERIFIED",
        &format!("dl/{TARBALL}.asc, {}", good_by(&b)),
    );
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);
}

/// A real Debian `.dsc` (curl, bookworm) beside its upstream tarball,
/// checked against debian-keyring.
///
/// The bookworm debian-keyring (2022.12.24) holds the maintainer's
/// certificate (BFAE9E33…8BE0) as it was then: expired on 2024-02-21. The
/// `.dsc` was signed in 2026, with the expiry since extended in the
/// keyring Debian ships now. gpg says `EXPKEYSIG` ("Good signature …
/// [expired]"); apostille judges a signature at its creation time and
/// refuses one made by a certificate that was not alive then: the
/// tarball's checksum line matches, the `.dsc`'s signature is rejected,
/// FAILED. With a keyring in which the certificate was alive (gpg says
/// `GOODSIG`), the tarball is VERIFIED through the `.dsc`; gpg decides
/// which of the two this machine expects.
#[test]
fn a_debian_dsc_checked_against_debian_keyring() {
    let Some(keyring) = needed(
        PathBuf::from("/usr/share/keyrings/debian-keyring.gpg"),
        "debian-keyring",
    ) else {
        return;
    };
    let Some(src) = needed(
        vectors_dir().join("openpgp/curl"),
        "the openpgp/curl vectors",
    ) else {
        return;
    };
    let dsc_name = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with(".dsc"))
        .unwrap();
    let orig = "curl_7.88.1.orig.tar.gz";
    let d = Dl::new();
    for n in [dsc_name.as_str(), orig] {
        std::fs::copy(src.join(n), d.path(n)).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let judged = run(gpg(home.path())
        .args(["--no-default-keyring", "--keyring"])
        .arg(&keyring)
        .args(["--status-fd", "1", "--verify"])
        .arg(d.path(&dsc_name)));
    let gpg_says = text(&judged);

    let orig_path = format!("dl/{orig}");
    let r = d.verify(&[&orig_path, "--keys", keyring.to_str().unwrap()]);
    if gpg_says.contains("[GNUPG:] GOODSIG ") {
        r.code_is(0);
        artifact_is(&r, &orig_path, "VERIFIED", &format!("dl/{dsc_name} line "));
        artifact_is(
            &r,
            &orig_path,
            "VERIFIED",
            &format!(
                " ← dl/{dsc_name}, good signature by \"Samuel Henrique <samueloph@debian.org>\" BFAE9E331A867A7C80D8EB78F4E4ACDBB8D08BE0"
            ),
        );
        download_is(&r, "VERIFIED", [1, 0, 0, 0]);
    } else {
        assert!(
            gpg_says.contains("[GNUPG:] EXPKEYSIG ") && gpg_says.contains("[GNUPG:] VALIDSIG "),
            "gpg neither GOODSIG nor EXPKEYSIG on {dsc_name}\n{}",
            judged.streams()
        );
        r.code_is(1)
            .stdout_has(format!("  pass     checksum    dl/{dsc_name} line ").as_bytes())
            .stdout_has(b": sha256 matches\n")
            .stdout_has(b"signed by \"Samuel Henrique <samueloph@debian.org>\" BFAE9E331A867A7C80D8EB78F4E4ACDBB8D08BE0");
        artifact_is(
            &r,
            &orig_path,
            "FAILED",
            &format!("dl/{dsc_name}: clear-signed: rejected: the key expired on "),
        );
        download_is(&r, "FAILED", [0, 0, 0, 1]);
    }
    // Only the lines about the file named are read: not the Debian
    // tarball's, nor the upstream signature's.
    lacks(&r, "debian.tar.xz");
    lacks(&r, "orig.tar.gz.asc");
}

/// A `.dsc` made here, clear-signed by the release key: the orig tarball
/// is VERIFIED through its `Checksums-Sha256` line.
#[test]
fn a_clear_signed_dsc_verifies_its_orig_tarball() {
    let d = Dl::new();
    let orig = "proj_1.0.orig.tar.gz";
    d.write(orig, vec![1u8; 50_000]);
    let size = 50_000;
    let dsc = format!(
        "Format: 3.0 (quilt)\nSource: proj\nBinary: proj\nArchitecture: any\nVersion: 1.0-1\n\
         Maintainer: Test <rm@example.org>\nStandards-Version: 4.6.2\n\
         Checksums-Sha256:\n {} {size} {orig}\n {} 1234 proj_1.0-1.debian.tar.xz\n\
         Files:\n {} {size} {orig}\n {} 1234 proj_1.0-1.debian.tar.xz\n",
        d.hex("sha256", orig),
        "1".repeat(64),
        d.hex("md5", orig),
        "2".repeat(32),
    );
    d.write("plain", dsc);
    d.write(
        "proj_1.0-1.dsc",
        gpg_sign(&d.rm, &d.path("plain"), Mode::Clear),
    );
    d.remove("plain");
    let r = d.verify(&["dl/proj_1.0.orig.tar.gz", "--keys", "KEYS"]);
    r.code_is(0);
    clear_chained(&r, "dl/proj_1.0.orig.tar.gz", "proj_1.0-1.dsc", &d.rm);
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);
    lacks(&r, "debian.tar.xz");
    assert_eq!(count(&r.stdout, b"  FAIL "), 0, "{}", r.streams());
}

/// `gh attestation download` writes `sha256:HEX.jsonl`, one bundle per
/// line; the conformance DSSE bundle's statement names `a.txt`.
#[test]
fn gh_attestation_jsonl_named_by_digest_verifies_its_subject() {
    let Some(vectors) = conformance() else { return };
    let d = Dl::new();
    std::fs::copy(vectors.join("a.txt"), d.path("a.txt")).unwrap();
    let bundle: serde_json::Value = serde_json::from_slice(
        &std::fs::read(vectors.join("happy-path-intoto-in-dsse-v3/bundle.sigstore.json")).unwrap(),
    )
    .unwrap();
    let payload = bundle["dsseEnvelope"]["payload"].as_str().unwrap();
    assert!(!payload.is_empty());
    let name = format!("sha256:{}.jsonl", d.hex("sha256", "a.txt"));
    d.write(&name, format!("{bundle}\n"));
    let id = [
        "dl",
        "--certificate-identity",
        IDENTITY,
        "--certificate-oidc-issuer",
        ISSUER,
    ];
    let r = d.verify(&id);
    r.code_is(0);
    artifact_is(
        &r,
        "dl/a.txt",
        "VERIFIED",
        &format!("dl/{name} line 1, attestation by {IDENTITY} (issuer {ISSUER})"),
    );
    r.stdout_has(b"https://slsa.dev/provenance/v1 verified");
    not_an_artifact(&r, &format!("dl/{name}"));
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);
    checks_are(&r, 1, 0, 0, 0, 0);

    // The file named alone: the same chain.
    let r = d.verify(&[&["dl/a.txt"][..], &id[1..]].concat());
    r.code_is(0);
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);

    let r = d.verify(&["dl"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/a.txt",
        "NOT AUTHENTICATED",
        &format!(
            "pass --certificate-identity and --certificate-oidc-issuer (or --key) to check dl/{name}"
        ),
    );
    download_is(&r, "NOT AUTHENTICATED", [0, 0, 1, 0]);
}

/// An exported public key inside the download (`signing-key.asc`, and its
/// binary form `signing-key.gpg`) is key material: not a signature of a
/// missing `signing-key`, not an artifact.
#[test]
fn an_exported_public_key_in_the_download_is_key_material_not_a_signature() {
    let d = release();
    d.write("signing-key.asc", d.rm.export());
    let binary = run(gpg(d.rm.home.path()).args(["--export", &d.rm.email])).ok_stdout();
    d.write("signing-key.gpg", binary);
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    r.code_is(0);
    for f in ["signing-key.asc", "signing-key.gpg"] {
        r.stdout_has(
            format!("note: dl/{f} holds OpenPGP keys: key material inside a download is never trusted by being there").as_bytes(),
        );
        not_an_artifact(&r, &format!("dl/{f}"));
    }
    lacks(&r, "missing");
    not_an_artifact(&r, "dl/signing-key");
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
    checks_are(&r, 6, 0, 0, 0, 0);
}

#[test]
fn integrity_only_is_accepted_with_allow_integrity_only_but_never_verified() {
    let d = Dl::new();
    d.write(TARBALL, vec![3u8; 200_000]);
    d.write(&format!("{TARBALL}.sha512"), d.sums("sha512", &[TARBALL]));
    let reason =
        format!("dl/{TARBALL}.sha512 line 1 matches, but no trusted signer vouches for it");

    let r = d.verify(&["dl"]);
    r.code_is(1);
    artifact_is(&r, "dl/app-1.0.tar.gz", "NOT AUTHENTICATED", &reason);
    download_is(&r, "NOT AUTHENTICATED", [0, 0, 1, 0]);

    let r = d.verify(&["dl", "--allow-integrity-only"]);
    r.code_is(0);
    artifact_is(&r, "dl/app-1.0.tar.gz", "INTEGRITY ONLY", &reason);
    download_is(&r, "INTEGRITY ONLY", [0, 1, 0, 0]);
    checks_are(&r, 1, 0, 0, 0, 0);

    // The policy key does the same.
    let policy = d.root().join("policy.toml");
    std::fs::write(&policy, "allow_integrity_only = true\n").unwrap();
    let r = d.verify(&["dl", "--policy", "policy.toml"]);
    r.code_is(0);
    download_is(&r, "INTEGRITY ONLY", [0, 1, 0, 0]);

    let r = d.verify(&["dl", "--allow-integrity-only", "--json"]);
    r.code_is(0);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["verified"], false, "{v}");
    assert_eq!(v["verdict"], "integrity-only", "{v}");
    assert_eq!(v["counts"]["integrity_only"], 1, "{v}");
    let a = &v["artifacts"][0];
    assert_eq!(a["verdict"], "integrity-only", "{v}");
    assert_eq!(a["verified"], false, "{v}");
    assert_eq!(a["chains"].as_array().unwrap().len(), 0, "{v}");

    // Integrity needs a checksum: a file nothing names is not accepted.
    d.write("stray.bin", b"stray\n");
    let r = d.verify(&["dl", "--allow-integrity-only"]);
    r.code_is(1);
    artifact_is(
        &r,
        "dl/stray.bin",
        "NOT AUTHENTICATED",
        "no checksum, signature or attestation names this file",
    );
    download_is(&r, "NOT AUTHENTICATED", [0, 1, 1, 0]);
}

/// `apostille verify dl | head -c1` under pipefail: the verdict is
/// decided before printing, a closed pipe does not turn it into 0.
#[test]
fn a_failed_download_into_a_closed_pipe_still_exits_1() {
    let d = release();
    let mallory = signer("mallory@example.org");
    d.sign(&mallory, ZIP, Mode::Armored, "asc");
    let exe = env!("CARGO_BIN_EXE_apostille");
    let piped = |reader: &str| {
        run(peer("bash")
            .current_dir(d.root())
            .args(["-o", "pipefail", "-c"])
            .arg(format!("\"$0\" verify dl --keys KEYS | {reader}"))
            .arg(exe))
    };
    let r = piped("head -c1");
    r.code_is(1);
    assert_eq!(r.stdout, b"d", "{}", r.streams());

    // Enough output (far more than a pipe holds) that apostille must meet
    // the closed pipe.
    for i in 0..1500 {
        d.write(&format!("unsigned-{i:04}.bin"), format!("{i}\n"));
    }
    let r = piped("head -c1");
    r.code_is(1);
    let r = piped("{ exec 0<&-; sleep 1; }");
    r.code_is(1);
    // A verified download into a closed pipe: 0, as `hash | head` is.
    let g = release();
    let r = run(peer("bash")
        .current_dir(g.root())
        .args([
            "-o",
            "pipefail",
            "-c",
            "\"$0\" verify dl --keys KEYS | head -c1",
        ])
        .arg(exe));
    r.code_is(0);
}

/// `--json` of a download verified through a signed list: the chain's
/// root, its links and the checks' `vouched_by`.
#[test]
fn json_of_a_signed_list_download_names_the_chain() {
    let d = signed_list_release();
    let r = d.verify(&["dl", "--keys", "KEYS", "--json"]);
    r.code_is(0);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["verified"], true, "{v}");
    assert_eq!(v["verdict"], "verified", "{v}");
    assert_eq!(v["counts"]["verified"], 2, "{v}");
    assert_eq!(v["counts"]["failed"], 0, "{v}");
    let arts = v["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 2, "{v}");
    let signer = format!("\"Test <rm@example.org>\" {}", d.rm.fingerprint());
    for a in arts {
        assert_eq!(a["verdict"], "verified", "{v}");
        assert_eq!(a["verified"], true, "{v}");
        let chain = &a["chains"][0];
        assert_eq!(chain["root"], "pgp", "{v}");
        assert_eq!(chain["signer"], signer.as_str(), "{v}");
        let links = chain["links"].as_array().unwrap();
        assert_eq!(links.len(), 2, "{v}");
        assert!(
            links[0]["source"].as_str().unwrap().ends_with("SHA256SUMS"),
            "{v}"
        );
        assert!(links[0]["line"].is_u64(), "{v}");
        assert!(
            links[1]["source"]
                .as_str()
                .unwrap()
                .ends_with("SHA256SUMS.asc"),
            "{v}"
        );
        assert!(links[1]["line"].is_null(), "{v}");
        assert_eq!(
            links[1]["what"],
            format!("good signature by {signer}"),
            "{v}"
        );
        let checks = a["checks"].as_array().unwrap();
        assert!(!checks.is_empty(), "{v}");
        for c in checks {
            assert_eq!(c["kind"], "checksum", "{v}");
            assert_eq!(c["status"], "pass", "{v}");
            assert_eq!(
                c["vouched_by"],
                format!("dl/SHA256SUMS.asc, good signature by {signer}"),
                "{v}"
            );
        }
        assert_eq!(a["unmet_requirements"].as_array().unwrap().len(), 0, "{v}");
    }
    let other = v["other_checks"].as_array().unwrap();
    assert!(
        other.iter().any(|c| c["kind"] == "pgp"
            && c["status"] == "pass"
            && c["source"] == "dl/SHA256SUMS.asc"),
        "{v}"
    );
    assert_eq!(v["key_material"].as_array().unwrap().len(), 0, "{v}");
}

/// Trust inputs that cannot be used: exit 2, before any verdict.
#[test]
fn unusable_trust_inputs_exit_2() {
    let d = release();
    std::fs::write(d.root().join("NOKEYS"), b"not a key\n").unwrap();
    std::fs::write(d.root().join("typo.toml"), b"requires = [\"pgp\"]\n").unwrap();
    for args in [
        &["--keys", "absent"][..],
        &["--keys", "NOKEYS"][..],
        &["--require", "pgpp"][..],
        &["--policy", "absent.toml"][..],
        &["--policy", "typo.toml"][..],
        &[
            "--trusted-root",
            "absent.json",
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
        ][..],
        &["--key", "absent.pub"][..],
    ] {
        let r = d.verify(&[&["dl"][..], args].concat());
        r.code_is(2);
        assert!(r.stdout.is_empty(), "{}", r.streams());
    }
}

/// docs/verify.md: exit 2 for "a KEYS file with no usable certificate" —
/// also when another `--keys` file is usable (a wrong path must not go
/// unnoticed, least of all under `-q`, which hides the skipped-key
/// warnings).
#[test]
fn a_second_keys_file_with_no_usable_certificate_exits_2() {
    let d = release();
    std::fs::write(d.root().join("NOKEYS"), b"not a key\n").unwrap();
    let r = d.verify(&["dl", "--keys", "KEYS", "--keys", "NOKEYS"]);
    r.code_is(2).stderr_has("NOKEYS");
    assert!(r.stdout.is_empty(), "{}", r.streams());
}

// ------------------------------------------------------- C. one read

/// The artifact is a FIFO, readable once, in a download where it has a
/// `.sha512`, a `SHA256SUMS` line (the list signed by `SHA256SUMS.asc`)
/// and an `.asc` of its own: all pass from the one read.
#[cfg(target_os = "linux")]
#[test]
fn one_read_of_a_fifo_artifact_serves_every_check() {
    let d = signed_list_release();
    d.apostille_in_dl(&["checksums", "--sidecar", "-a", "sha512", TARBALL])
        .code_is(0);
    d.sign(&d.rm, TARBALL, Mode::Armored, "asc");
    let data = d.read(TARBALL);
    d.remove(TARBALL);
    let fifo = d.path(TARBALL);
    crate::common::mkfifo(&fifo);
    let writer = crate::common::feed_fifo(fifo, data);
    let r = d.verify(&["dl/app-1.0.tar.gz", "--keys", "KEYS"]);
    assert!(
        writer.join().unwrap(),
        "the FIFO was never read\n{}",
        r.streams()
    );
    r.code_is(0)
        .stdout_has(
            "  pass     checksum    dl/SHA256SUMS line 1: sha256 matches ← dl/SHA256SUMS.asc, "
                .as_bytes(),
        )
        .stdout_has(b"  pass     checksum    dl/app-1.0.tar.gz.sha512 line 1: sha512 matches\n")
        .stdout_has(b"  pass     pgp         dl/app-1.0.tar.gz.asc: good signature, SHA512")
        .stdout_has(b"  pass     pgp         dl/SHA256SUMS.asc: good signature, SHA512");
    artifact_is(&r, "dl/app-1.0.tar.gz", "VERIFIED", &good_by(&d.rm));
    download_is(&r, "VERIFIED", [1, 0, 0, 0]);
    // The sidecar, the list's line, the artifact's signature, the list's
    // signature; nothing about the other artifact.
    checks_are(&r, 4, 0, 0, 0, 0);
    lacks(&r, ZIP);
}

/// The signed list itself is a FIFO: it is read once, parsed, and its
/// signature is checked against exactly those bytes.
#[cfg(target_os = "linux")]
#[test]
fn a_signed_list_read_from_a_fifo_is_checked_against_the_bytes_parsed() {
    let d = signed_list_release();
    let list = d.read("SHA256SUMS");
    d.remove("SHA256SUMS");
    let fifo = d.path("SHA256SUMS");
    crate::common::mkfifo(&fifo);
    let writer = crate::common::feed_fifo(fifo, list);
    let r = d.verify(&["dl", "--keys", "KEYS"]);
    assert!(
        writer.join().unwrap(),
        "the FIFO was never read\n{}",
        r.streams()
    );
    r.code_is(0);
    artifact_is(
        &r,
        "dl/app-1.0.tar.gz",
        "VERIFIED",
        &list_chain("SHA256SUMS", 1, "SHA256SUMS.asc", &d.rm),
    );
    artifact_is(
        &r,
        "dl/app-1.0-bin.zip",
        "VERIFIED",
        &list_chain("SHA256SUMS", 2, "SHA256SUMS.asc", &d.rm),
    );
    download_is(&r, "VERIFIED", [2, 0, 0, 0]);
    checks_are(&r, 3, 0, 0, 0, 0);
}

/// A cosign-style blob signature (`X.sig`: base64 of an ECDSA P-256
/// signature over X, made here with openssl as `cosign sign-blob --key`
/// makes it) checked with `--key` and `--insecure-ignore-tlog`: the
/// artifact is VERIFIED through it; without --insecure-ignore-tlog it is
/// not checked (it has no log entry), and a signature over other bytes
/// FAILS.
#[test]
fn a_cosign_blob_signature_with_the_key_given_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let dl = tmp.path().join("dl");
    std::fs::create_dir(&dl).unwrap();
    let art = dl.join("tool-1.0.tar.gz");
    std::fs::write(&art, vec![7u8; 50_000]).unwrap();
    let key = tmp.path().join("cosign.key.pem");
    let pubkey = tmp.path().join("cosign.pub");
    let ok = |c: &mut std::process::Command| assert!(c.status().unwrap().success());
    ok(std::process::Command::new("openssl")
        .args([
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
        ])
        .arg(&key));
    ok(std::process::Command::new("openssl")
        .args(["ec", "-pubout", "-in"])
        .arg(&key)
        .arg("-out")
        .arg(&pubkey)
        .stderr(std::process::Stdio::null()));
    let sign = |file: &Path| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("openssl dgst -sha256 -sign \"$1\" \"$2\" | base64 -w0")
            .arg("sh")
            .arg(&key)
            .arg(file)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    std::fs::write(dl.join("tool-1.0.tar.gz.sig"), sign(&art)).unwrap();
    let k = pubkey.to_str().unwrap();
    run(apostille()
        .arg("verify")
        .arg(&dl)
        .args(["--key", k, "--insecure-ignore-tlog"]))
    .code_is(0)
    .stdout_has(b"tool-1.0.tar.gz: VERIFIED")
    .stdout_has(b"tool-1.0.tar.gz.sig, cosign signature by key sha256:")
    .stdout_has(b"1 verified, 0 integrity only, 0 not authenticated, 0 failed");
    run(apostille().arg("verify").arg(&dl).args(["--key", k]))
        .code_is(1)
        .stdout_has(b"tool-1.0.tar.gz: NOT AUTHENTICATED")
        .stdout_has(b"pass --insecure-ignore-tlog with --key");
    let other = tmp.path().join("other");
    std::fs::write(&other, b"other bytes").unwrap();
    std::fs::write(dl.join("tool-1.0.tar.gz.sig"), sign(&other)).unwrap();
    run(apostille()
        .arg("verify")
        .arg(&dl)
        .args(["--key", k, "--insecure-ignore-tlog"]))
    .code_is(1)
    .stdout_has(b"tool-1.0.tar.gz: FAILED")
    .stdout_has(b"the signature does not verify with the key");
}

/// Real upstream material as Debian source packages carry it: the
/// upstream tarball, its `.asc`, the upstream's keys and Debian's `.dsc`,
/// clear-signed by a Debian maintainer whose key the user did not give.
/// With the upstream keys the tarball is VERIFIED by its `.asc`; the
/// `.dsc`'s signature is no evidence either way (skipped), not a failure.
#[test]
fn an_upstream_tarball_beside_a_dsc_signed_by_someone_else_is_verified_by_its_asc() {
    let Some(dir) = needed(vectors_dir().join("openpgp"), "the OpenPGP vectors") else {
        return;
    };
    for pkg in ["curl", "gnupg2"] {
        let d = dir.join(pkg);
        let orig = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let n = p.file_name().unwrap().to_string_lossy().into_owned();
                n.contains(".orig.tar.") && !n.ends_with(".asc")
            })
            .unwrap();
        run(apostille()
            .arg("verify")
            .arg(&orig)
            .arg("--keys")
            .arg(d.join("signing-key.asc")))
        .code_is(0)
        .stdout_has(b": VERIFIED \xe2\x80\x94 ")
        .stdout_has(b".asc, good signature by ")
        .stdout_has(b"which is not in the KEYS given: it vouches for nothing here")
        .stdout_has(b"1 verified, 0 integrity only, 0 not authenticated, 0 failed");
    }
}
