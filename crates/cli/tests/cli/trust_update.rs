//! `apostille trust update` against a TUF repository made in test setup by
//! python-tuf (the TUF reference implementation, in the judges venv as a
//! dependency of sigstore-python; `scripts/tuf-repo.py`), served over HTTP
//! from a folder the test switches: a newer repository, a rollback to an
//! older one, and metadata past its expiry. The trusted roots it serves are
//! those of two in-process Sigstore test instances, so that `verify`
//! visibly believes the refreshed root.

use crate::common::{apostille, judge, run};
use apostille_sign::sigstore::Signer;
use apostille_testkit::{StaticSite, TestInstance};
use std::path::{Path, PathBuf};

const EMAIL: &str = "release-manager@apostille.test";

/// A blob bundle over `bytes` signed through `sigstore`.
fn signed(sigstore: &TestInstance, dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let own = dir.join(name);
    std::fs::create_dir_all(&own).unwrap();
    crate::common::write_sigstore_files(sigstore, &own);
    let signer =
        crate::common::keyless_signer(&own, &sigstore.identity_token(EMAIL), "signing_config.json");
    let sha: [u8; 32] = {
        use sha2::Digest as _;
        sha2::Sha256::digest(bytes).into()
    };
    let bundle = Signer::Keyless(signer).blob(&sha).unwrap();
    let p = dir.join(format!("{name}.sigstore.json"));
    std::fs::write(&p, bundle).unwrap();
    p
}

struct Repo {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    site: StaticSite,
    a: TestInstance,
    b: TestInstance,
}

impl Repo {
    /// Repositories serving instance A's root (v1), then B's (v2, and an
    /// expired v3); the site serves v1.
    fn new() -> Option<Repo> {
        let python = judge("python")?;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let (a, b) = (
            TestInstance::start().unwrap(),
            TestInstance::start().unwrap(),
        );
        std::fs::write(dir.join("root-a.json"), a.trusted_root_json()).unwrap();
        std::fs::write(dir.join("root-b.json"), b.trusted_root_json()).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/tuf-repo.py");
        let out = std::process::Command::new(python)
            .arg(script)
            .arg(dir.join("tuf"))
            .arg(dir.join("root-a.json"))
            .arg(dir.join("root-b.json"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "python-tuf could not make the repository:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let site = StaticSite::start(&dir.join("tuf/v1")).unwrap();
        Some(Repo {
            _tmp: tmp,
            dir,
            site,
            a,
            b,
        })
    }

    fn update(&self) -> crate::common::Run {
        run(apostille()
            .env("APOSTILLE_CACHE_DIR", self.dir.join("cache"))
            .args([
                "trust",
                "update",
                "--tuf-url",
                self.site.url(),
                "--tuf-root",
            ])
            .arg(self.dir.join("tuf/root.json")))
    }

    /// `verify bundle` with no trust flag: the refreshed root, if any.
    fn verify(
        &self,
        sigstore: &TestInstance,
        bundle: &Path,
        artifact: &Path,
        cache: bool,
    ) -> crate::common::Run {
        let mut c = apostille();
        if cache {
            c.env("APOSTILLE_CACHE_DIR", self.dir.join("cache"));
        }
        run(c
            .args(["verify", "bundle", "--bundle"])
            .arg(bundle)
            .args(["--certificate-identity", EMAIL])
            .args(["--certificate-oidc-issuer", sigstore.issuer()])
            .arg(artifact))
    }
}

#[test]
fn trust_update_refreshes_the_root_verify_believes_and_refuses_rollback_and_expiry() {
    let Some(repo) = Repo::new() else { return };
    let artifact = repo.dir.join("app.tar.gz");
    std::fs::write(&artifact, b"release bytes").unwrap();
    let by_a = signed(&repo.a, &repo.dir, "a", b"release bytes");
    let by_b = signed(&repo.b, &repo.dir, "b", b"release bytes");

    // Before any update: the embedded public-good root knows neither.
    repo.verify(&repo.a, &by_a, &artifact, true).code_is(1);

    // v1: instance A's root, and what changed against the embedded one.
    let r = repo.update();
    r.code_is(0)
        .stdout_has(
            format!(
                "public-good trusted root: verified through TUF from {}, stored in ",
                repo.site.url()
            )
            .as_bytes(),
        )
        .stdout_has(format!("  + certificate authority {} (valid from ", repo.a.url()).as_bytes())
        .stdout_has(b"  - certificate authority https://fulcio.sigstore.dev");
    assert!(
        repo.dir
            .join("cache/trusted-roots/public-good.json")
            .is_file()
    );
    repo.verify(&repo.a, &by_a, &artifact, true)
        .code_is(0)
        .stdout_has(b"VERIFIED message signature by release-manager@apostille.test");
    // Without the cache, the embedded root again.
    repo.verify(&repo.a, &by_a, &artifact, false).code_is(1);

    // The same repository again: said, not silent.
    repo.update().code_is(0).stdout_has(b"; unchanged\n");

    // v2: B's root replaces A's.
    repo.site.serve(&repo.dir.join("tuf/v2"));
    repo.update()
        .code_is(0)
        .stdout_has(format!("  + certificate authority {}", repo.b.url()).as_bytes())
        .stdout_has(format!("  - certificate authority {}", repo.a.url()).as_bytes());
    repo.verify(&repo.b, &by_b, &artifact, true).code_is(0);
    repo.verify(&repo.a, &by_a, &artifact, true).code_is(1);

    // A rollback to v1: refused, the cache keeps v2.
    repo.site.serve(&repo.dir.join("tuf/v1"));
    let r = repo.update();
    r.code_is(1)
        .stdout_has(b"public-good trusted root: FAILED: TUF repository ")
        .stdout_has(b"the root in use is unchanged");
    assert!(
        r.streams().to_ascii_lowercase().contains("rollback") || r.streams().contains("version"),
        "{}",
        r.streams()
    );
    repo.verify(&repo.b, &by_b, &artifact, true).code_is(0);

    // Expired metadata (a freeze): refused, the cache keeps v2.
    repo.site.serve(&repo.dir.join("tuf/expired"));
    let r = repo.update();
    r.code_is(1).stdout_has(b"FAILED: TUF repository ");
    assert!(
        r.streams().to_ascii_lowercase().contains("expire"),
        "{}",
        r.streams()
    );
    repo.verify(&repo.b, &by_b, &artifact, true).code_is(0);
}

#[test]
fn trust_update_with_nothing_listening_fails_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root.json");
    std::fs::write(&root, b"{}").unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let r = run(apostille()
        .env("APOSTILLE_CACHE_DIR", tmp.path().join("cache"))
        .args([
            "trust",
            "update",
            "--github",
            "--tuf-url",
            &url,
            "--tuf-root",
        ])
        .arg(&root));
    r.code_is(1).stdout_has(b"github trusted root: FAILED: ");
    assert!(!tmp.path().join("cache/trusted-roots").exists());
}
