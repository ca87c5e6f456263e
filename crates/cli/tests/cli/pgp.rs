//! `apostille verify pgp`: the upstream release signatures of the shared
//! vectors, and signatures made here by gpg in a temporary GNUPGHOME for the
//! cases upstream material does not cover (key expired after signing, SHA-1
//! data signature, several signers in one file, unknown signer, tampering).

use std::path::Path;

use crate::common::{Run, apostille, gpg, run, vectors};

/// (package folder, signed file, signer's user ID start, primary fingerprint)
const UPSTREAM: [(&str, &str, &str, &str); 3] = [
    (
        "curl",
        "curl_7.88.1.orig.tar.gz",
        "Daniel Stenberg",
        "27EDEAF22F3ABCEB50DB9A125CC908FDB71E12C2",
    ),
    (
        "gnupg2",
        "gnupg2_2.2.40.orig.tar.bz2",
        "Werner Koch",
        "6DAA6E64A76D2840571B4902528897B826403ADA",
    ),
    (
        "apr-util",
        "apr-util_1.6.3.orig.tar.bz2",
        "Eric Covener",
        "65B2D44FE74BD5E3DE3AC3F082781DE46D5954FA",
    ),
];

#[test]
fn upstream_release_signatures_verify_and_name_the_signer() {
    let Some(root) = vectors("openpgp") else {
        return;
    };
    for (pkg, file, who, fpr) in UPSTREAM {
        let dir = root.join(pkg);
        let r = run(apostille()
            .args(["verify", "pgp", "--keys"])
            .arg(dir.join("signing-key.asc"))
            .arg(dir.join(format!("{file}.asc"))));
        r.code_is(0);
        let out = String::from_utf8_lossy(&r.stdout);
        assert!(
            out.contains(&format!("GOOD signature by \"{who}")) && out.contains(fpr),
            "{pkg}: {out}"
        );
    }
}

#[test]
fn pgp2_keys_in_a_keys_file_are_skipped_with_a_reason_not_fatal() {
    let Some(dir) = vectors("openpgp/apr-util") else {
        return;
    };
    run(apostille()
        .args(["verify", "pgp", "--keys"])
        .arg(dir.join("signing-key.asc"))
        .arg(dir.join("apr-util_1.6.3.orig.tar.bz2.asc")))
    .code_is(0)
    .stderr_has("key skipped: cannot be used");
}

#[test]
fn a_tampered_upstream_tarball_is_a_bad_signature() {
    let Some(src) = vectors("openpgp/curl") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let name = "curl_7.88.1.orig.tar.gz";
    let mut data = std::fs::read(src.join(name)).unwrap();
    data[1000] ^= 1;
    std::fs::write(tmp.path().join(name), data).unwrap();
    std::fs::copy(
        src.join(format!("{name}.asc")),
        tmp.path().join(format!("{name}.asc")),
    )
    .unwrap();
    let r = run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(src.join("signing-key.asc"))
        .arg(tmp.path().join(format!("{name}.asc"))));
    r.code_is(1).stdout_has(b"BAD signature");
}

/// A temporary GnuPG home with an unprotected key made at a fixed time.
pub struct Signer {
    pub home: tempfile::TempDir,
    pub email: String,
}

impl Signer {
    pub fn new(email: &str, algo: &str, expire: &str, at: &str) -> Signer {
        let home = tempfile::tempdir().unwrap();
        run(gpg(home.path())
            .args([
                "--faked-system-time",
                at,
                "--passphrase",
                "",
                "--pinentry-mode",
                "loopback",
            ])
            .args([
                "--quick-gen-key",
                &format!("Test <{email}>"),
                algo,
                "sign",
                expire,
            ]))
        .code_is(0);
        Signer {
            home,
            email: email.to_owned(),
        }
    }

    pub fn sign(&self, file: &Path, at: &str, digest: &str) -> Vec<u8> {
        let r = run(gpg(self.home.path())
            .args([
                "--faked-system-time",
                at,
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
            ])
            .args([
                "--digest-algo",
                digest,
                "--armor",
                "--detach-sign",
                "--output",
                "-",
            ])
            .args(["--local-user", &self.email])
            .arg(file));
        r.code_is(0);
        r.stdout.clone()
    }

    pub fn export(&self) -> Vec<u8> {
        let r = run(gpg(self.home.path()).args(["--armor", "--export", &self.email]));
        r.code_is(0);
        r.stdout.clone()
    }

    pub fn fingerprint(&self) -> String {
        fingerprint_in(self.home.path(), &self.email)
    }

    /// Sets the expiry of the key (or of `subkey`) to `period` from `at`,
    /// by a new self-signature dated `at`.
    pub fn set_expire(&self, at: &str, period: &str, subkey: Option<&str>) {
        run(gpg(self.home.path())
            .args(["--faked-system-time", at])
            .args(["--pinentry-mode", "loopback", "--passphrase", ""])
            .args(["--quick-set-expire", &self.fingerprint(), period])
            .args(subkey))
        .code_is(0);
    }

    /// Revokes the key with `reason` (gpg's menu: 1 compromised,
    /// 2 superseded, 3 no longer used) and `comment` at `at`, through gpg's
    /// own dialogue; the revocation is written to `out` and imported.
    pub fn revoke(&self, reason: &str, comment: &str, at: &str, out: &Path) {
        let answers = format!("y\n{reason}\n{comment}\n\ny\n");
        let mut cmd = crate::common::peer("gpg");
        cmd.env("GNUPGHOME", self.home.path())
            .args(["--no-tty", "--faked-system-time", at, "--command-fd", "0"])
            .args(["--armor", "--output"])
            .arg(out)
            .args(["--gen-revoke", &self.fingerprint()]);
        crate::common::run_stdin(&mut cmd, answers.as_bytes()).code_is(0);
        run(gpg(self.home.path()).arg("--import").arg(out)).code_is(0);
    }
}

/// `gpg --verify` with status lines, after importing `keys` into `home`
/// (an empty folder): how a downstream user with gpg checks the release.
pub fn gpg_verify_in(home: &Path, keys: &Path, asc: &Path, file: &Path) -> Run {
    run(gpg(home).arg("--import").arg(keys)).code_is(0);
    run(gpg(home)
        .args(["--status-fd", "1", "--verify"])
        .arg(asc)
        .arg(file))
}

/// [`gpg_verify_in`] in a fresh GnuPG home.
pub fn gpg_verify(keys: &Path, asc: &Path, file: &Path) -> Run {
    let home = tempfile::tempdir().unwrap();
    gpg_verify_in(home.path(), keys, asc, file)
}

/// The fingerprint of the first key matching `who` in the GnuPG home.
pub fn fingerprint_in(home: &Path, who: &str) -> String {
    let r = run(gpg(home).args(["--with-colons", "--fingerprint", who]));
    String::from_utf8_lossy(&r.stdout)
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .unwrap()
        .to_owned()
}

#[test]
fn gpg_signatures_expired_after_signing_sha1_several_signers_unknown_key() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("release-1.0.tar.gz");
    std::fs::write(&file, vec![7u8; 300_000]).unwrap();
    // Made on 2020-01-01 with a one-day expiry: long expired now, but it
    // was alive when it signed.
    let old = Signer::new("old@example.org", "ed25519", "1d", "20200101T000000!");
    let rsa = Signer::new("rsa@example.org", "rsa2048", "never", "20240101T000000!");
    let keys = tmp.path().join("KEYS");
    let mut both = old.export();
    both.extend(b"\nsome free text between blocks, as KEYS files have\n\n");
    both.extend(rsa.export());
    std::fs::write(&keys, &both).unwrap();

    let asc = tmp.path().join("release-1.0.tar.gz.asc");
    let mut sigs = old.sign(&file, "20200101T010000!", "SHA512");
    sigs.extend(rsa.sign(&file, "20240101T010000!", "SHA256"));
    std::fs::write(&asc, &sigs).unwrap();

    let r = run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&keys)
        .arg(&asc));
    r.code_is(0);
    let out = String::from_utf8_lossy(&r.stdout).into_owned();
    assert_eq!(out.matches("GOOD signature").count(), 2, "{out}");
    assert!(
        out.contains("made 2020-01-01T01:00:00Z with SHA512"),
        "{out}"
    );

    // Both signers required: passes; a pinned signer: passes; a pin on an
    // unknown fingerprint: fails.
    run(apostille()
        .args(["-q", "verify", "pgp", "--min-signatures", "2", "--keys"])
        .arg(&keys)
        .arg(&asc))
    .code_is(0);
    run(apostille()
        .args([
            "-q",
            "verify",
            "pgp",
            "--signer",
            &rsa.fingerprint(),
            "--keys",
        ])
        .arg(&keys)
        .arg(&asc))
    .code_is(0);
    run(apostille()
        .args([
            "-q",
            "verify",
            "pgp",
            "--signer",
            "0000000000000000000000000000000000000000",
            "--keys",
        ])
        .arg(&keys)
        .arg(&asc))
    .code_is(1);

    // Only one signer's key known: the other is NO KEY; one good still passes,
    // two required fails.
    let only_rsa = tmp.path().join("KEYS.rsa");
    std::fs::write(&only_rsa, rsa.export()).unwrap();
    let r = run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&only_rsa)
        .arg(&asc));
    r.code_is(0).stdout_has(b"NO KEY");
    run(apostille()
        .args(["-q", "verify", "pgp", "--min-signatures", "2", "--keys"])
        .arg(&only_rsa)
        .arg(&asc))
    .code_is(1);

    // The same certificate in two KEYS files is merged, not doubled.
    let r = run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&keys)
        .arg("--keys")
        .arg(&only_rsa)
        .arg(&asc));
    r.code_is(0);
    assert_eq!(
        String::from_utf8_lossy(&r.stdout)
            .matches("GOOD signature")
            .count(),
        2
    );

    // A SHA-1 data signature is rejected, whatever gpg thinks of it.
    let sha1 = tmp.path().join("sha1.asc");
    std::fs::write(&sha1, rsa.sign(&file, "20240101T020000!", "SHA1")).unwrap();
    let r = run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&keys)
        .arg(&sha1)
        .arg(&file));
    r.code_is(1).stdout_has(b"REJECTED");
}

#[test]
fn the_signed_file_is_read_once_through_the_engine_fifo() {
    let tmp = tempfile::tempdir().unwrap();
    let data = vec![42u8; 20_000];
    let plain = tmp.path().join("artifact");
    std::fs::write(&plain, &data).unwrap();
    let signer = Signer::new("fifo@example.org", "ed25519", "never", "20240101T000000!");
    let keys = tmp.path().join("KEYS");
    std::fs::write(&keys, signer.export()).unwrap();
    let asc = tmp.path().join("artifact.asc");
    std::fs::write(&asc, signer.sign(&plain, "20240101T010000!", "SHA512")).unwrap();
    // A FIFO can be read only once: a good verdict proves one pass fed the
    // signature's hash context.
    let fifo = tmp.path().join("fifo");
    crate::common::mkfifo(&fifo);
    let writer = crate::common::feed_fifo(fifo.clone(), data);
    run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&keys)
        .arg(&asc)
        .arg(&fifo))
    .code_is(0)
    .stdout_has(b"GOOD signature");
    assert!(writer.join().unwrap());
}

impl Signer {
    pub fn export_secret(&self, passphrase: &str) -> Vec<u8> {
        let r = run(gpg(self.home.path())
            .args(["--pinentry-mode", "loopback", "--passphrase", passphrase])
            .args(["--armor", "--export-secret-keys", &self.email]));
        r.code_is(0);
        r.stdout.clone()
    }
}

#[test]
fn our_signatures_pass_gpg_and_sqv_and_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let files = ["app-1.0.tar.gz", "app-1.0-linux.bin"];
    for (i, f) in files.iter().enumerate() {
        std::fs::write(tmp.path().join(f), vec![i as u8 + 1; 200_000 + i]).unwrap();
    }
    for (algo, hash) in [("rsa3072", "sha512"), ("ed25519", "sha256")] {
        let signer = Signer::new(
            &format!("{algo}@example.org"),
            algo,
            "never",
            "20240101T000000!",
        );
        let key = tmp.path().join(format!("{algo}.sec.asc"));
        std::fs::write(&key, signer.export_secret("")).unwrap();
        let keys = tmp.path().join(format!("{algo}.KEYS"));
        std::fs::write(&keys, signer.export()).unwrap();
        let paths: Vec<_> = files.iter().map(|f| tmp.path().join(f)).collect();
        run(apostille()
            .args(["-q", "sign", "pgp", "--force", "--hash", hash, "--key"])
            .arg(&key)
            .args(&paths))
        .code_is(0);
        for p in &paths {
            let asc = p.with_file_name(format!("{}.asc", p.file_name().unwrap().to_string_lossy()));
            let g = run(gpg(signer.home.path())
                .args(["--status-fd", "1", "--verify"])
                .arg(&asc)
                .arg(p));
            g.code_is(0)
                .stdout_has(b"[GNUPG:] GOODSIG")
                .stdout_has(b"[GNUPG:] VALIDSIG");
            run(crate::common::peer("sqv")
                .arg("--keyring")
                .arg(&keys)
                .arg(&asc)
                .arg(p))
            .code_is(0);
            run(apostille()
                .args(["-q", "verify", "pgp", "--keys"])
                .arg(&keys)
                .arg(&asc))
            .code_is(0)
            .stdout_has(format!("with {}", hash.to_uppercase()).as_bytes());
        }
    }
}

#[test]
fn a_protected_key_needs_its_passphrase_never_on_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.tar.gz");
    std::fs::write(&file, b"release").unwrap();
    let home = tempfile::tempdir().unwrap();
    run(gpg(home.path())
        .args(["--pinentry-mode", "loopback", "--passphrase", "s3cret"])
        .args([
            "--quick-gen-key",
            "P <p@example.org>",
            "ed25519",
            "sign",
            "never",
        ]))
    .code_is(0);
    let signer = Signer {
        home,
        email: "p@example.org".into(),
    };
    let key = tmp.path().join("p.sec.asc");
    std::fs::write(&key, signer.export_secret("s3cret")).unwrap();
    run(apostille()
        .args(["-q", "sign", "pgp", "--key"])
        .arg(&key)
        .arg(&file))
    .code_is(2)
    .stderr_has("passphrase-protected");
    let pw = tmp.path().join("pw");
    std::fs::write(&pw, b"wrong\n").unwrap();
    run(apostille()
        .args(["-q", "sign", "pgp", "--passphrase-file"])
        .arg(&pw)
        .arg("--key")
        .arg(&key)
        .arg(&file))
    .code_is(2)
    .stderr_has("wrong passphrase");
    assert!(
        !tmp.path().join("a.tar.gz.asc").exists(),
        "nothing written on failure"
    );
    run(apostille()
        .env("APOSTILLE_TEST_PW", "s3cret")
        .args([
            "-q",
            "sign",
            "pgp",
            "--passphrase-env",
            "APOSTILLE_TEST_PW",
            "--key",
        ])
        .arg(&key)
        .arg(&file))
    .code_is(0);
    let keys = tmp.path().join("KEYS");
    std::fs::write(&keys, signer.export()).unwrap();
    run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&keys)
        .arg(tmp.path().join("a.tar.gz.asc")))
    .code_is(0);
    // An existing signature is not replaced without --force.
    run(apostille()
        .env("APOSTILLE_TEST_PW", "s3cret")
        .args([
            "-q",
            "sign",
            "pgp",
            "--passphrase-env",
            "APOSTILLE_TEST_PW",
            "--key",
        ])
        .arg(&key)
        .arg(&file))
    .code_is(2)
    .stderr_has("--force");
}

#[test]
fn keys_round_trip_generate_add_sign_verify_and_gpg_imports_keys() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let file = d.join("proj-2.0-src.tar.gz");
    std::fs::write(&file, vec![9u8; 123_456]).unwrap();
    let keys = d.join("KEYS");
    let mut fprs = Vec::new();
    for (name, algo) in [("rm1", "rsa4096"), ("rm2", "ed25519")] {
        let r = run(apostille()
            .env("APOSTILLE_TEST_PW", "pw")
            .args([
                "keys",
                "generate",
                "--algo",
                algo,
                "--passphrase-env",
                "APOSTILLE_TEST_PW",
            ])
            .args([
                "--uid",
                &format!("{name} (CODE SIGNING KEY) <{name}@example.org>"),
                "-o",
            ])
            .arg(d.join(name)));
        r.code_is(0);
        fprs.push(String::from_utf8_lossy(&r.stdout).trim().to_owned());
        let mode = std::fs::metadata(d.join(format!("{name}.sec.asc")))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "secret key readable by others");
        run(apostille()
            .args(["-q", "keys", "add"])
            .arg(&keys)
            .arg(d.join(format!("{name}.pub.asc"))))
        .code_is(0);
    }
    // Adding the same certificate again is refused.
    run(apostille()
        .args(["-q", "keys", "add"])
        .arg(&keys)
        .arg(d.join("rm1.pub.asc")))
    .code_is(2)
    .stderr_has("already in the KEYS file");
    let text = std::fs::read_to_string(&keys).unwrap();
    assert!(text.contains("pub   rsa4096 "), "{text}");
    assert!(text.contains("pub   ed25519 "), "{text}");
    assert!(text.contains(&format!("      {}\n", fprs[0])), "{text}");
    assert_eq!(
        text.matches("-----BEGIN PGP PUBLIC KEY BLOCK-----").count(),
        2
    );

    // Sign with the RSA key; our verify and gpg (importing our KEYS) agree.
    run(apostille()
        .env("APOSTILLE_TEST_PW", "pw")
        .args([
            "-q",
            "sign",
            "pgp",
            "--passphrase-env",
            "APOSTILLE_TEST_PW",
            "--key",
        ])
        .arg(d.join("rm1.sec.asc"))
        .arg(&file))
    .code_is(0);
    let asc = d.join("proj-2.0-src.tar.gz.asc");
    run(apostille()
        .args(["-q", "verify", "pgp", "--signer", &fprs[0], "--keys"])
        .arg(&keys)
        .arg(&asc))
    .code_is(0)
    .stdout_has(b"GOOD signature by \"rm1 (CODE SIGNING KEY) <rm1@example.org>\"");
    let home = tempfile::tempdir().unwrap();
    gpg_verify_in(home.path(), &keys, &asc, &file)
        .code_is(0)
        .stdout_has(b"[GNUPG:] GOODSIG")
        // VALIDSIG names the signing subkey first and the primary last.
        .stdout_has(format!(" {}\n", fprs[0]).as_bytes());
    // The listing above each key is what `gpg --list-sigs` writes (the
    // Apache KEYS recipe), but for gpg's validity column on `uid` lines.
    for fpr in &fprs {
        let listed = run(gpg(home.path()).args(["--list-sigs", fpr])).ok_stdout();
        let gpg_lines: Vec<String> = String::from_utf8_lossy(&listed)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                l.replacen("[ unknown] ", "", 1)
                    .replacen("[ultimate] ", "", 1)
            })
            .collect();
        let block = text
            .split("-----END PGP PUBLIC KEY BLOCK-----")
            .find(|b| b.contains(&format!("      {fpr}\n")))
            .unwrap();
        let ours: Vec<&str> = block
            .lines()
            .skip_while(|l| !l.starts_with("pub "))
            .take_while(|l| !l.starts_with("-----BEGIN"))
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(ours, gpg_lines, "{text}");
    }
}

#[test]
fn keys_check_on_a_real_keys_file_lists_what_it_skips() {
    let Some(keys) = vectors("openpgp/apr-util/signing-key.asc") else {
        return;
    };
    let r = run(apostille().args(["keys", "check"]).arg(&keys));
    r.code_is(0)
        .stdout_has(b"skipped: cannot be used (PGP 2.x")
        .stdout_has(b"self-signature(s) use SHA-1")
        .stdout_has(b"65B2D44FE74BD5E3DE3AC3F082781DE46D5954FA rsa4096 Eric Covener");
}

#[test]
fn a_hard_revoked_key_is_rejected_even_for_signatures_made_before() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("r-1.0.tar.gz");
    std::fs::write(&file, b"revoked later").unwrap();
    let signer = Signer::new("rev@example.org", "ed25519", "never", "20240101T000000!");
    let asc = tmp.path().join("r-1.0.tar.gz.asc");
    std::fs::write(&asc, signer.sign(&file, "20240101T010000!", "SHA512")).unwrap();
    let keys = tmp.path().join("KEYS");
    std::fs::write(&keys, signer.export()).unwrap();
    run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&keys)
        .arg(&asc))
    .code_is(0);

    // gpg writes a revocation certificate (reason 0, "no reason given": a
    // hard revocation) beside every new key, its armor line guarded by ':'.
    let rev = signer
        .home
        .path()
        .join("openpgp-revocs.d")
        .join(format!("{}.rev", signer.fingerprint()));
    let text = std::fs::read_to_string(&rev).unwrap();
    let cert = text.replace(
        ":-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    );
    let rev_file = tmp.path().join("rev.asc");
    std::fs::write(&rev_file, cert).unwrap();
    run(gpg(signer.home.path()).arg("--import").arg(&rev_file)).code_is(0);
    std::fs::write(&keys, signer.export()).unwrap();
    run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(&keys)
        .arg(&asc))
    .code_is(1)
    .stdout_has(b"REJECTED")
    .stdout_has(b"revoked");
}
