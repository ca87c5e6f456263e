//! The verdicts of `docs/verify-pgp.md` that need a key changed after it
//! signed (soft revocation, expiry moved before the signature), a key bound
//! only by SHA-1, and the signing paths beyond a key file: gpg-agent, the
//! terminal prompt, v6 keys, checksum sidecars from the same read.

use std::path::{Path, PathBuf};

use crate::common::{apostille, feed_fifo, gpg, mkfifo, peer, run};
use crate::pgp::Signer;

/// `apostille -q verify pgp --keys KEYS ASC`.
fn verify(keys: &Path, asc: &Path) -> crate::common::Run {
    run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(keys)
        .arg(asc))
}

/// `apostille -q verify pgp --keys KEYS ASC FILE`.
fn verify_file(keys: &Path, asc: &Path, file: &Path) -> crate::common::Run {
    run(apostille()
        .args(["-q", "verify", "pgp", "--keys"])
        .arg(keys)
        .arg(asc)
        .arg(file))
}

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

#[test]
fn a_soft_revocation_after_signing_keeps_earlier_signatures_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "s-1.0.tar.gz", b"superseded later");
    let signer = Signer::new("soft@example.org", "ed25519", "never", "20240101T000000!");
    let before = write(
        tmp.path(),
        "before.asc",
        &signer.sign(&file, "20240110T000000!", "SHA512"),
    );
    // Made (with gpg's clock set later) while the key was not yet revoked
    // in this keyring: its creation time falls after the revocation's.
    let after = write(
        tmp.path(),
        "after.asc",
        &signer.sign(&file, "20240401T000000!", "SHA512"),
    );
    // Reason 2 in gpg's menu, "key is superseded": a soft revocation,
    // effective from its own date (2024-03-01) on.
    signer.revoke(
        "2",
        "rotated",
        "20240301T000000!",
        &tmp.path().join("rev.asc"),
    );
    let keys = write(tmp.path(), "KEYS", &signer.export());
    verify_file(&keys, &before, &file)
        .code_is(0)
        .stdout_has(b"GOOD signature");
    verify_file(&keys, &after, &file)
        .code_is(1)
        .stdout_has(b"REJECTED")
        .stdout_has(b"revoked");
    // sqv judges both the same way; gpg says REVKEYSIG and exits 0 twice.
    for (asc, code) in [(&before, 0), (&after, 1)] {
        run(peer("sqv").arg("--keyring").arg(&keys).arg(asc).arg(&file)).code_is(code);
        run(gpg(signer.home.path())
            .args(["--status-fd", "1", "--verify"])
            .arg(asc)
            .arg(&file))
        .code_is(0)
        .stdout_has(b"[GNUPG:] REVKEYSIG");
    }

    // A hard reason (1, "key has been compromised") invalidates both.
    let hard = Signer::new("hard@example.org", "ed25519", "never", "20240101T000000!");
    let early = write(
        tmp.path(),
        "early.asc",
        &hard.sign(&file, "20240110T000000!", "SHA512"),
    );
    hard.revoke(
        "1",
        "leaked on a laptop",
        "20240301T000000!",
        &tmp.path().join("hrev.asc"),
    );
    let hkeys = write(tmp.path(), "HKEYS", &hard.export());
    // Named with its date, reason and comment, and why it reaches back.
    verify_file(&hkeys, &early, &file)
        .code_is(1)
        .stdout_has(b"REJECTED")
        .stdout_has(
            b"the certificate was revoked on 2024-03-01 (key compromised: \"leaked on a laptop\"); \
              a hard revocation invalidates signatures made before it too (this one was made on 2024-01-10)",
        );
}

#[test]
fn a_key_expired_before_it_signed_is_rejected_where_gpg_exits_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "e-1.0.tar.gz", b"expired first");
    let signer = Signer::new("exp@example.org", "ed25519", "never", "20240101T000000!");
    let asc = write(
        tmp.path(),
        "e-1.0.tar.gz.asc",
        &signer.sign(&file, "20240110T000000!", "SHA512"),
    );
    // A new self-signature dated 2024-01-01 01:00 gives the key a one-day
    // life: at the signature's time (2024-01-10) it had expired.
    signer.set_expire("20240101T010000!", "1d", None);
    let keys = write(tmp.path(), "KEYS", &signer.export());
    verify(&keys, &asc)
        .code_is(1)
        .stdout_has(b"REJECTED")
        .stdout_has(b"the key expired on 2024-01-02, before this signature was made on 2024-01-10");
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(1);
    // gpg says "Good signature … [expired]" and exits 0: the lie the
    // documentation's table records.
    run(gpg(signer.home.path()).arg("--verify").arg(&asc).arg(&file)).code_is(0);
}

#[test]
fn a_key_bound_only_by_sha1_is_refused_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    run(gpg(home.path())
        .args(["--faked-system-time", "20240101T000000!"])
        .args(["--cert-digest-algo", "SHA1"])
        .args(["--pinentry-mode", "loopback", "--passphrase", ""])
        .args([
            "--quick-gen-key",
            "Sha1 <sha1@example.org>",
            "rsa2048",
            "sign",
            "never",
        ]))
    .code_is(0);
    let file = write(tmp.path(), "h-1.0.tar.gz", b"bound by sha1");
    let asc = tmp.path().join("h-1.0.tar.gz.asc");
    run(gpg(home.path())
        .args(["--faked-system-time", "20240102T000000!"])
        .args([
            "--digest-algo",
            "SHA256",
            "--armor",
            "--detach-sign",
            "--output",
        ])
        .arg(&asc)
        .arg(&file))
    .code_is(0);
    let export = run(gpg(home.path()).args(["--armor", "--export", "sha1@example.org"]));
    let keys = write(tmp.path(), "KEYS", &export.stdout);
    verify(&keys, &asc)
        .code_is(1)
        .stdout_has(b"REJECTED")
        .stdout_has(b"only by SHA-1 self-signatures")
        .stdout_has(b"--allow-sha1-bindings");
    // sqv agrees with the default.
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(1);
    run(apostille()
        .args(["-q", "verify", "pgp", "--allow-sha1-bindings", "--keys"])
        .arg(&keys)
        .arg(&asc))
    .code_is(0)
    .stdout_has(b"GOOD signature");
}

/// A GnuPG home whose agent holds a key; the agent is stopped on drop.
struct AgentHome {
    home: tempfile::TempDir,
    fingerprint: String,
}

impl AgentHome {
    /// A primary certification key with an ed25519 signing subkey, both
    /// protected by `passphrase` (empty: unprotected).
    fn new(passphrase: &str) -> AgentHome {
        let home = tempfile::tempdir().unwrap();
        let loopback = ["--pinentry-mode", "loopback", "--passphrase", passphrase];
        run(gpg(home.path()).args(loopback).args([
            "--quick-gen-key",
            "Agent <agent@example.org>",
            "ed25519",
            "cert",
            "never",
        ]))
        .code_is(0);
        let r = run(gpg(home.path()).args(["--with-colons", "--fingerprint", "agent@example.org"]));
        let out = String::from_utf8_lossy(&r.stdout).into_owned();
        let fingerprint = out
            .lines()
            .find(|l| l.starts_with("fpr:"))
            .and_then(|l| l.split(':').nth(9))
            .unwrap()
            .to_owned();
        run(gpg(home.path()).args(loopback).args([
            "--quick-add-key",
            &fingerprint,
            "ed25519",
            "sign",
            "never",
        ]))
        .code_is(0);
        AgentHome { home, fingerprint }
    }

    fn export(&self) -> Vec<u8> {
        run(gpg(self.home.path()).args(["--armor", "--export", &self.fingerprint])).ok_stdout()
    }

    /// Stops the agent, forgetting any cached passphrase.
    fn kill_agent(&self) {
        let _ = std::process::Command::new("gpgconf")
            .env("GNUPGHOME", self.home.path())
            .args(["--kill", "gpg-agent"])
            .status();
    }
}

impl Drop for AgentHome {
    fn drop(&mut self) {
        self.kill_agent();
    }
}

#[test]
fn a_key_in_gpg_agent_signs_by_its_subkey_without_leaving_the_agent() {
    let tmp = tempfile::tempdir().unwrap();
    let agent = AgentHome::new("");
    let file = write(tmp.path(), "a-1.0.tar.gz", &vec![9u8; 3 << 20]);
    let keys = write(tmp.path(), "KEYS", &agent.export());
    // The certificate comes from `gpg --export` in the agent's home.
    run(apostille()
        .env("GNUPGHOME", agent.home.path())
        .args(["-q", "sign", "pgp", "--agent", &agent.fingerprint])
        .arg(&file))
    .code_is(0);
    let asc = tmp.path().join("a-1.0.tar.gz.asc");
    let g = run(gpg(agent.home.path())
        .args(["--status-fd", "1", "--verify"])
        .arg(&asc)
        .arg(&file));
    g.code_is(0).stdout_has(b"[GNUPG:] VALIDSIG");
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(0);
    let ours = verify(&keys, &asc);
    ours.code_is(0).stdout_has(b"(subkey ");

    // The certificate from a KEYS file instead, the home given by flag.
    run(apostille()
        .args([
            "-q",
            "sign",
            "pgp",
            "--force",
            "--agent",
            &agent.fingerprint,
            "--cert",
        ])
        .arg(&keys)
        .arg("--gnupg-home")
        .arg(agent.home.path())
        .arg(&file))
    .code_is(0);
    verify(&keys, &asc).code_is(0);

    // A fingerprint the agent has no secret for fails before any read.
    let other = Signer::new("other@example.org", "ed25519", "never", "20240101T000000!");
    let other_keys = write(tmp.path(), "OTHER", &other.export());
    run(apostille()
        .args([
            "-q",
            "sign",
            "pgp",
            "--force",
            "--agent",
            &other.fingerprint(),
            "--cert",
        ])
        .arg(&other_keys)
        .arg("--gnupg-home")
        .arg(agent.home.path())
        .arg(tmp.path().join("does-not-exist")))
    .code_is(2)
    .stderr_has("gpg-agent holds no secret");
}

#[test]
fn a_protected_agent_key_takes_its_passphrase_in_loopback_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let agent = AgentHome::new("agent-secret");
    agent.kill_agent();
    let file = write(tmp.path(), "p-1.0.tar.gz", b"protected in the agent");
    let keys = write(tmp.path(), "KEYS", &agent.export());
    let wrong = write(tmp.path(), "wrong", b"not it\n");
    let asc = tmp.path().join("p-1.0.tar.gz.asc");
    run(apostille()
        .env("GNUPGHOME", agent.home.path())
        .args([
            "-q",
            "sign",
            "pgp",
            "--agent",
            &agent.fingerprint,
            "--passphrase-file",
        ])
        .arg(&wrong)
        .arg(&file))
    .code_is(2)
    .stderr_has("Bad passphrase");
    assert!(!asc.exists(), "no signature after a refused passphrase");
    let right = write(tmp.path(), "right", b"agent-secret\n");
    run(apostille()
        .env("GNUPGHOME", agent.home.path())
        .args([
            "-q",
            "sign",
            "pgp",
            "--agent",
            &agent.fingerprint,
            "--passphrase-file",
        ])
        .arg(&right)
        .arg(&file))
    .code_is(0);
    verify(&keys, &asc).code_is(0);
}

#[test]
fn a_protected_key_file_asks_for_its_passphrase_on_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let pw = write(tmp.path(), "pw", b"tty-secret\n");
    let prefix = tmp.path().join("k");
    run(apostille()
        .args([
            "-q",
            "keys",
            "generate",
            "--uid",
            "T <t@example.org>",
            "--algo",
            "ed25519",
        ])
        .arg("--passphrase-file")
        .arg(&pw)
        .arg("-o")
        .arg(&prefix))
    .code_is(0);
    let file = write(tmp.path(), "t-1.0.tar.gz", b"typed at a terminal");
    // `script` runs the command on a pseudo-terminal fed from its input:
    // the passphrase is typed, not passed.
    let bin = env!("CARGO_BIN_EXE_apostille");
    let command = format!(
        "{bin} -q sign pgp --key {} {}",
        tmp.path().join("k.sec.asc").display(),
        file.display()
    );
    let mut script = peer("script");
    script.args(["-qec", &command, "/dev/null"]);
    crate::common::run_stdin(&mut script, b"wrong\ntty-secret\n")
        .code_is(0)
        .stdout_has(b"Passphrase for ")
        .stdout_has(b"wrong passphrase");
    let keys = tmp.path().join("k.pub.asc");
    verify(&keys, &tmp.path().join("t-1.0.tar.gz.asc")).code_is(0);
}

#[test]
fn keys_generate_asks_for_the_passphrase_twice_and_never_writes_an_unprotected_key_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("rm");
    // No terminal, no passphrase, no --no-passphrase: nothing written.
    run(apostille()
        .args([
            "keys",
            "generate",
            "--uid",
            "R <r@example.org>",
            "--algo",
            "ed25519",
            "-o",
        ])
        .arg(&prefix))
    .code_is(2)
    .stderr_has("no passphrase given and no terminal to ask for one")
    .stderr_has("--no-passphrase");
    assert!(!tmp.path().join("rm.sec.asc").exists());
    // On a terminal: typed twice; a mismatch is asked again.
    let bin = env!("CARGO_BIN_EXE_apostille");
    let command = format!(
        "{bin} -q keys generate --uid 'R <r@example.org>' --algo ed25519 -o {}",
        prefix.display()
    );
    let mut script = peer("script");
    script.args(["-qec", &command, "/dev/null"]);
    crate::common::run_stdin(
        &mut script,
        b"typed-once\ntyped-twice\nrm-secret\nrm-secret\n",
    )
    .code_is(0)
    .stdout_has(b"Passphrase for the new key: ")
    .stdout_has(b"Repeat the passphrase: ")
    .stdout_has(b"the passphrases differ");
    // The key is protected by what was typed: gpg needs it to import the
    // secret, and signing with the right one works.
    let sec = tmp.path().join("rm.sec.asc");
    let data = std::fs::read_to_string(&sec).unwrap();
    assert!(data.contains("PRIVATE KEY BLOCK"));
    let pw = write(tmp.path(), "pw", b"rm-secret\n");
    let file = write(tmp.path(), "r-1.0.tar.gz", b"protected");
    run(apostille()
        .args(["-q", "sign", "pgp", "--key"])
        .arg(&sec)
        .arg("--passphrase-file")
        .arg(&pw)
        .arg(&file))
    .code_is(0);
    let wrong = write(tmp.path(), "wrong", b"typed-once\n");
    let file2 = write(tmp.path(), "r-2.0.tar.gz", b"protected");
    let r = run(apostille()
        .args(["-q", "sign", "pgp", "--key"])
        .arg(&sec)
        .arg("--passphrase-file")
        .arg(&wrong)
        .arg(&file2));
    assert_ne!(r.status.code(), Some(0));
    // --no-passphrase is the explicit way to an unprotected key.
    run(apostille()
        .args([
            "keys",
            "generate",
            "--no-passphrase",
            "--uid",
            "U <u@example.org>",
            "--algo",
            "ed25519",
            "-o",
        ])
        .arg(tmp.path().join("open")))
    .code_is(0)
    .stderr_has("written unprotected (--no-passphrase)");
}

#[test]
fn a_v6_key_makes_salted_v6_signatures_we_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("v6");
    run(apostille()
        .args([
            "-q",
            "keys",
            "generate",
            "--no-passphrase",
            "--v6",
            "--uid",
            "V6 <v6@example.org>",
            "-o",
        ])
        .arg(&prefix))
    .code_is(0)
    .stderr_has("v6 keys (RFC 9580) are not read by GnuPG");
    let file = write(tmp.path(), "v-1.0.tar.gz", &vec![6u8; 2 << 20]);
    run(apostille()
        .args(["-q", "sign", "pgp", "--key"])
        .arg(tmp.path().join("v6.sec.asc"))
        .arg(&file))
    .code_is(0);
    let asc = tmp.path().join("v-1.0.tar.gz.asc");
    let keys = tmp.path().join("v6.pub.asc");
    verify(&keys, &asc).code_is(0).stdout_has(b"GOOD signature");
    // Two signatures of the same file differ (fresh salt each time) and
    // both verify.
    let first = std::fs::read(&asc).unwrap();
    run(apostille()
        .args(["-q", "sign", "pgp", "--force", "--key"])
        .arg(tmp.path().join("v6.sec.asc"))
        .arg(&file))
    .code_is(0);
    assert_ne!(first, std::fs::read(&asc).unwrap());
    verify(&keys, &asc).code_is(0);
    std::fs::write(&file, b"changed").unwrap();
    verify(&keys, &asc).code_is(1).stdout_has(b"BAD signature");
}

#[test]
fn signing_and_checksumming_a_fifo_reads_it_once_and_peers_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let signer = Signer::new("once@example.org", "ed25519", "never", "20240101T000000!");
    let key = write(tmp.path(), "k.sec.asc", &signer.export_secret(""));
    let keys = write(tmp.path(), "KEYS", &signer.export());
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    // The artifact arrives through a FIFO, which can be read only once: a
    // signature gpg accepts and a sidecar sha512sum accepts prove that one
    // pass fed both.
    let fifo = tmp.path().join("r-1.0.tar.gz");
    mkfifo(&fifo);
    let writer = feed_fifo(fifo.clone(), data.clone());
    run(apostille()
        .args(["-q", "sign", "pgp", "--checksums", "sha512,sha256", "--key"])
        .arg(&key)
        .arg(&fifo))
    .code_is(0);
    assert!(writer.join().unwrap());
    std::fs::remove_file(&fifo).unwrap();
    let plain = write(tmp.path(), "r-1.0.tar.gz", &data);
    for sums in ["sha512sum", "sha256sum"] {
        let sidecar = format!("r-1.0.tar.gz.{}", &sums[..6]);
        run(peer(sums).current_dir(tmp.path()).args(["-c", &sidecar]))
            .code_is(0)
            .stdout_has(b"r-1.0.tar.gz: OK");
    }
    let asc = tmp.path().join("r-1.0.tar.gz.asc");
    run(gpg(signer.home.path())
        .arg("--verify")
        .arg(&asc)
        .arg(&plain))
    .code_is(0);

    // Verifying the signature and both sidecars from a FIFO: one read.
    std::fs::remove_file(&plain).unwrap();
    mkfifo(&fifo);
    let writer = feed_fifo(fifo.clone(), data.clone());
    run(apostille()
        .args(["verify", "pgp", "--keys"])
        .arg(&keys)
        .arg("--checksums")
        .arg(tmp.path().join("r-1.0.tar.gz.sha512"))
        .arg("--checksums")
        .arg(tmp.path().join("r-1.0.tar.gz.sha256"))
        .arg(&asc))
    .code_is(0)
    .stdout_has(b"GOOD signature")
    .stdout_has(b"r-1.0.tar.gz: OK\nr-1.0.tar.gz: OK\n");
    assert!(writer.join().unwrap());

    // A wrong sidecar fails the whole verification, the signature still
    // reported good.
    std::fs::remove_file(&fifo).unwrap();
    write(tmp.path(), "r-1.0.tar.gz", &data);
    let sidecar = tmp.path().join("r-1.0.tar.gz.sha256");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    let flipped = if text.starts_with('0') { "1" } else { "0" };
    std::fs::write(&sidecar, format!("{flipped}{}", &text[1..])).unwrap();
    run(apostille()
        .args(["verify", "pgp", "--keys"])
        .arg(&keys)
        .arg("--checksums")
        .arg(&sidecar)
        .arg(&asc))
    .code_is(1)
    .stdout_has(b"GOOD signature")
    .stdout_has(b"r-1.0.tar.gz: FAILED");
}
