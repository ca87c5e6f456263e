//! What real upstream release material looks like, each kind made here
//! with gpg (or, for v3 signatures that no tool writes any more, built
//! packet by packet): keys armored as `ARMORED FILE` or shipped as binary
//! keyrings, v3 signature packets, SHA-1 bindings with an expiry that
//! decides first, reasons with dates, and files that are not signatures.
//! sqv and gpg are run on the same material where they have a verdict.

use std::path::{Path, PathBuf};

use sequoia_openpgp as openpgp;

use crate::common::{apostille, gpg, peer, run, run_stdin};
use crate::pgp::{Signer, fingerprint_in};

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

/// `apostille verify pgp --keys KEYS ASC FILE` (warnings kept: the
/// skipped-key lines are under test).
fn verify(keys: &Path, asc: &Path, file: &Path) -> crate::common::Run {
    run(apostille()
        .args(["verify", "pgp", "--keys"])
        .arg(keys)
        .arg(asc)
        .arg(file))
}

/// `apostille verify DIR --keys KEYS` on a folder of the file and `asc`.
fn verify_dir(keys: &Path, asc: &Path, file: &Path) -> crate::common::Run {
    let dir = tempfile::tempdir().unwrap();
    let name = file.file_name().unwrap();
    std::fs::copy(file, dir.path().join(name)).unwrap();
    let mut sig = name.to_owned();
    sig.push(".asc");
    std::fs::copy(asc, dir.path().join(sig)).unwrap();
    let r = run(apostille()
        .args(["verify", "--keys"])
        .arg(keys)
        .arg(dir.path()));
    drop(dir);
    r
}

fn gpg_enarmor(home: &Path, data: &[u8]) -> Vec<u8> {
    run_stdin(gpg(home).arg("--enarmor"), data).ok_stdout()
}

#[test]
fn keys_armored_as_armored_file_or_binary_are_read_and_every_skip_is_said() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "k-1.0.tar.gz", b"keys in every shape");
    let signer = Signer::new("shape@example.org", "ed25519", "never", "20240101T000000!");
    let asc = write(
        tmp.path(),
        "k-1.0.tar.gz.asc",
        &signer.sign(&file, "20240102T000000!", "SHA512"),
    );
    let home = signer.home.path();
    let binary = run(gpg(home).args(["--export", &signer.email])).ok_stdout();
    let armored = signer.export();
    // `gpg --enarmor` of the binary keyring, and of the armored key (an
    // armored key armored again, as a few upstreams publish it).
    let shapes = [
        ("keys.gpg", binary.clone()),
        ("keys-enarmored.asc", gpg_enarmor(home, &binary)),
        ("keys-enarmored-twice.asc", gpg_enarmor(home, &armored)),
    ];
    for (name, data) in shapes {
        let keys = write(tmp.path(), name, &data);
        verify(&keys, &asc, &file)
            .code_is(0)
            .stdout_has(b"GOOD signature");
    }
    // Blocks that are not keys are each named with their line, and the
    // key after them is still used.
    let mut mixed = b"Release managers' keys\n\n".to_vec();
    mixed.extend_from_slice(&asc_bytes(&asc));
    mixed.extend_from_slice(
        b"\n-----BEGIN PGP ARMORED FILE-----\n\nPGh0bWw+\n-----END PGP ARMORED FILE-----\n",
    );
    mixed.extend_from_slice(
        b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQIN\n-----END PGP MESSAGE-----\n",
    );
    mixed.extend_from_slice(&armored);
    let keys = write(tmp.path(), "KEYS", &mixed);
    let r = verify(&keys, &asc, &file);
    r.code_is(0).stdout_has(b"GOOD signature");
    let err = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(
        err.contains("KEYS:3: key skipped: `SIGNATURE` block is not a key"),
        "{err}"
    );
    assert!(
        err.contains("key skipped: `ARMORED FILE` block holds an XML/HTML document, not keys")
            || err.contains("key skipped: `ARMORED FILE` block holds an HTML page"),
        "{err}"
    );
    assert!(
        err.contains("but the footer says `END PGP MESSAGE`"),
        "{err}"
    );
    assert_eq!(err.matches("key skipped").count(), 3, "{err}");
    // A KEYS file holding nothing usable names itself and each reason.
    let html = write(
        tmp.path(),
        "KEYS.html",
        b"<!DOCTYPE html><html>Not Found</html>\n",
    );
    let r = verify(&html, &asc, &file);
    r.code_is(2)
        .stderr_has("KEYS.html:1: key skipped: no key here: an HTML page")
        .stderr_has("no usable certificate");
}

fn asc_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// A v3 signature packet (RFC 4880 §5.2.2) over `data` by the RSA key of
/// `cert`, made at `at` (seconds since the epoch): hashes `data ‖ type ‖
/// time`, PKCS #1 v1.5 over SHA-256. gpg 2.2 dropped `--force-v3-sigs`, so
/// the packet is assembled here from its fields.
fn v3_signature(cert: &openpgp::Cert, data: &[u8], at: u32) -> Vec<u8> {
    use openpgp::crypto::{Signer as _, mpi};
    use sha2::Digest as _;
    let key = cert
        .primary_key()
        .key()
        .clone()
        .parts_into_secret()
        .unwrap();
    let mut pair = key.into_keypair().unwrap();
    let mut h = sha2::Sha256::new();
    h.update(data);
    h.update([0x00]);
    h.update(at.to_be_bytes());
    let digest = h.finalize();
    let mpi::Signature::RSA { s } = pair
        .sign(openpgp::types::HashAlgorithm::SHA256, &digest)
        .unwrap()
    else {
        panic!("not an RSA signature");
    };
    let mut body = vec![3, 5, 0x00];
    body.extend_from_slice(&at.to_be_bytes());
    body.extend_from_slice(cert.keyid().as_bytes());
    body.extend_from_slice(&[1, 8, digest[0], digest[1]]);
    let bits = u16::try_from(s.bits()).unwrap();
    body.extend_from_slice(&bits.to_be_bytes());
    body.extend_from_slice(s.value());
    // Old-format packet header, tag 2, two-octet length.
    let mut packet = vec![0x89];
    packet.extend_from_slice(&u16::try_from(body.len()).unwrap().to_be_bytes());
    packet.extend_from_slice(&body);
    let mut out = Vec::new();
    {
        let mut w = openpgp::armor::Writer::new(&mut out, openpgp::armor::Kind::Signature).unwrap();
        std::io::Write::write_all(&mut w, &packet).unwrap();
        w.finalize().unwrap();
    }
    out
}

#[test]
fn v3_signature_packets_are_refused_by_the_packet_policy_as_sqv_does() {
    use openpgp::serialize::SerializeInto as _;
    let tmp = tempfile::tempdir().unwrap();
    let data = b"signed in the old way".to_vec();
    let file = write(tmp.path(), "old-1.0.tar.gz", &data);
    let t0 = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_577_836_800); // 2020-01-01
    let (cert, _) = openpgp::cert::CertBuilder::new()
        .set_cipher_suite(openpgp::cert::CipherSuite::RSA2k)
        .set_creation_time(t0)
        .set_primary_key_flags(
            openpgp::types::KeyFlags::empty()
                .set_certification()
                .set_signing(),
        )
        .add_userid("V3 <v3@example.org>")
        .generate()
        .unwrap();
    let keys = write(tmp.path(), "KEYS", &cert.armored().to_vec().unwrap());
    // 2020-06-01: before the policy's cutoff, which is judged today.
    let asc = write(
        tmp.path(),
        "old-1.0.tar.gz.asc",
        &v3_signature(&cert, &data, 1_590_969_600),
    );
    verify(&keys, &asc, &file)
        .code_is(1)
        .stdout_has(b"REJECTED")
        .stdout_has(b"v3 signature packet (refused since 2021-02-01)");
    // The signature is sound: a changed file is BAD, not REJECTED.
    let other = write(tmp.path(), "other", b"something else");
    verify(&keys, &asc, &other)
        .code_is(1)
        .stdout_has(b"BAD signature");
    // sqv refuses it too; gpg 2.2 still accepts v3 signatures.
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(1);
    crate::pgp::gpg_verify(&keys, &asc, &file)
        .code_is(0)
        .stdout_has(b"[GNUPG:] GOODSIG");
}

/// A key made on 2015-01-01 whose only self-signature is SHA-1, and a
/// SHA-256 signature it made on 2016-01-01.
fn sha1_bound_signer(tmp: &Path) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    run(gpg(home.path())
        .args(["--faked-system-time", "20150101T000000!"])
        .args(["--cert-digest-algo", "SHA1"])
        .args(["--pinentry-mode", "loopback", "--passphrase", ""])
        .args([
            "--quick-gen-key",
            "Old <old@example.org>",
            "rsa2048",
            "sign",
            "never",
        ]))
    .code_is(0);
    let file = write(tmp, "o-1.0.tar.gz", b"signed in 2016");
    let asc = tmp.join("o-1.0.tar.gz.asc");
    run(gpg(home.path())
        .args(["--faked-system-time", "20160101T000000!"])
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
    (home, file, asc)
}

#[test]
fn sha1_bindings_are_named_with_their_date_and_an_expiry_decides_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (home, file, asc) = sha1_bound_signer(tmp.path());
    let export = run(gpg(home.path()).args(["--armor", "--export", "old@example.org"]));
    let keys = write(tmp.path(), "KEYS", &export.stdout);
    let r = verify(&keys, &asc, &file);
    r.code_is(1)
        .stdout_has(b"REJECTED")
        .stdout_has(b"the signature over the file is good")
        .stdout_has(b"only by SHA-1 self-signatures (made 2015-01-01)")
        .stdout_has(b"refuses since 2023-02-01")
        .stdout_has(b"--allow-sha1-bindings");
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(1);
    run(apostille()
        .args(["-q", "verify", "pgp", "--allow-sha1-bindings", "--keys"])
        .arg(&keys)
        .arg(&asc))
    .code_is(0)
    .stdout_has(b"GOOD signature");

    // The expiry is then moved to 2015-06-02 by a new (SHA-1) self-
    // signature: the key had expired when it signed, which no flag can
    // change, so that is the reason given, with and without the flag.
    let fpr = fingerprint_in(home.path(), "old@example.org");
    run(gpg(home.path())
        .args(["--faked-system-time", "20150601T000000!"])
        .args(["--cert-digest-algo", "SHA1"])
        .args(["--pinentry-mode", "loopback", "--passphrase", ""])
        .args(["--quick-set-expire", &fpr, "1d"]))
    .code_is(0);
    let export = run(gpg(home.path()).args(["--armor", "--export", "old@example.org"]));
    let expired = write(tmp.path(), "KEYS.expired", &export.stdout);
    for flag in [None, Some("--allow-sha1-bindings")] {
        let r = run(apostille()
            .args(["-q", "verify", "pgp"])
            .args(flag)
            .arg("--keys")
            .arg(&expired)
            .arg(&asc));
        r.code_is(1).stdout_has(
            b"the key expired on 2015-06-02, before this signature was made on 2016-01-01",
        );
        assert!(
            !crate::common::contains(&r.stdout, b"SHA-1"),
            "{}",
            String::from_utf8_lossy(&r.stdout)
        );
    }
}

#[test]
fn subkey_expiry_and_weak_keys_are_given_with_their_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "d-1.0.tar.gz", b"dated reasons");
    // A signing subkey made on 2020-01-01 without expiry signs on
    // 2020-01-10; then its expiry is set to one day after its creation.
    let home = tempfile::tempdir().unwrap();
    let loopback = ["--pinentry-mode", "loopback", "--passphrase", ""];
    run(gpg(home.path())
        .args(["--faked-system-time", "20200101T000000!"])
        .args(loopback)
        .args([
            "--quick-gen-key",
            "Sub <sub@example.org>",
            "ed25519",
            "cert",
            "never",
        ]))
    .code_is(0);
    let fpr = fingerprint_in(home.path(), "sub@example.org");
    run(gpg(home.path())
        .args(["--faked-system-time", "20200101T000000!"])
        .args(loopback)
        .args(["--quick-add-key", &fpr, "ed25519", "sign", "never"]))
    .code_is(0);
    let asc = tmp.path().join("d-1.0.tar.gz.asc");
    run(gpg(home.path())
        .args(["--faked-system-time", "20200110T000000!"])
        .args(["--armor", "--detach-sign", "--output"])
        .arg(&asc)
        .arg(&file))
    .code_is(0);
    let colons =
        run(gpg(home.path()).args(["--with-colons", "--fingerprint", "--fingerprint", &fpr]));
    let sub = String::from_utf8_lossy(&colons.stdout)
        .lines()
        .filter(|l| l.starts_with("fpr:"))
        .nth(1)
        .and_then(|l| l.split(':').nth(9))
        .unwrap()
        .to_owned();
    run(gpg(home.path())
        .args(["--faked-system-time", "20200101T010000!"])
        .args(loopback)
        .args(["--quick-set-expire", &fpr, "1d", &sub]))
    .code_is(0);
    let export = run(gpg(home.path()).args(["--armor", "--export", &fpr]));
    let keys = write(tmp.path(), "KEYS", &export.stdout);
    verify(&keys, &asc, &file).code_is(1).stdout_has(
        format!(
            "the signing subkey {sub} expired on 2020-01-02, before this signature was made on 2020-01-10"
        )
        .as_bytes(),
    );
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(1);

    // DSA-1024: refused for its size, named so, although its bindings are
    // SHA-1 too (a new key helps, the flag would not).
    let dsa = Signer::new("dsa@example.org", "dsa1024", "never", "20200101T000000!");
    let dasc = write(
        tmp.path(),
        "dsa.asc",
        &dsa.sign(&file, "20200102T000000!", "SHA256"),
    );
    let dkeys = write(tmp.path(), "DKEYS", &dsa.export());
    verify(&dkeys, &dasc, &file)
        .code_is(1)
        .stdout_has(b"the key is DSA-1024, which the policy refuses since 2014-02-01 (too weak)");
    run(peer("sqv")
        .arg("--keyring")
        .arg(&dkeys)
        .arg(&dasc)
        .arg(&file))
    .code_is(1);
}

#[test]
fn a_key_file_exported_minimal_after_signing_is_named_as_the_reason() {
    // Debian's signing-key.asc of parted: the signature is a day older than
    // the only self-signature the exported key kept.
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "m-1.0.tar.gz", b"minimal export");
    let signer = Signer::new("min@example.org", "ed25519", "never", "20220101T000000!");
    let asc = write(
        tmp.path(),
        "m-1.0.tar.gz.asc",
        &signer.sign(&file, "20220418T191241!", "SHA512"),
    );
    signer.set_expire("20220419T170014!", "5y", None);
    let minimal = run(gpg(signer.home.path())
        .args(["--armor", "--export-options", "export-minimal", "--export"])
        .arg(&signer.email))
    .ok_stdout();
    let keys = write(tmp.path(), "KEYS", &minimal);
    verify(&keys, &asc, &file).code_is(1).stdout_has(
        b"the key has no self-signature as old as this signature (2022-04-18): its oldest is from 2022-04-19",
    );
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(1);
}

#[test]
fn files_that_are_not_signatures_say_what_they_are_in_both_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "n-1.0.tar.gz", b"the real thing");
    let signer = Signer::new("not@example.org", "ed25519", "never", "20240101T000000!");
    let good = signer.sign(&file, "20240102T000000!", "SHA512");
    let keys = write(tmp.path(), "KEYS", &signer.export());
    let home = signer.home.path();
    let binary = run_stdin(gpg(home).arg("--dearmor"), &good).ok_stdout();
    let mismatched = String::from_utf8(good.clone())
        .unwrap()
        .replace("END PGP SIGNATURE", "END PGP MESSAGE");
    let signify = gpg_enarmor(
        home,
        b"untrusted comment: verify with project.pub\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n",
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "html",
            b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head></html>\n".to_vec(),
            "not an OpenPGP signature: an HTML page",
        ),
        (
            "twice",
            gpg_enarmor(home, &good),
            "armored twice: the `ARMORED FILE` block holds another armored block",
        ),
        (
            "signify",
            signify,
            "the `ARMORED FILE` block holds a signify/minisign signature, not an OpenPGP signature",
        ),
        (
            "mismatched",
            mismatched.into_bytes(),
            "armor header says `BEGIN PGP SIGNATURE` but the footer says `END PGP MESSAGE`",
        ),
        (
            "empty",
            Vec::new(),
            "not an OpenPGP signature: an empty file",
        ),
        (
            "text",
            b"sha256: see the release notes\n".to_vec(),
            "not an OpenPGP signature: text without a `-----BEGIN PGP",
        ),
        (
            "noise",
            vec![0x01, 0x02, 0xfe, 0xff, 0x00, 0x10],
            "not an OpenPGP signature: binary data that is not OpenPGP (first byte 0x01)",
        ),
        (
            "truncated",
            binary[..binary.len() / 2].to_vec(),
            "truncated: the OpenPGP data ends inside a packet",
        ),
        (
            "malformed",
            vec![0x88, 0x05, 0x04, 0x00, 0x00, 0x00, 0x00],
            "a signature packet that cannot be read: Malformed packet",
        ),
        (
            "key",
            signer.export(),
            "a `PUBLIC KEY BLOCK`: a key, not a signature",
        ),
    ];
    for (name, data, says) in cases {
        let asc = write(tmp.path(), &format!("{name}.asc"), &data);
        // A failed check (1) in both commands, with the same words.
        let r = verify(&keys, &asc, &file);
        r.code_is(1).stderr_has(says);
        let r = verify_dir(&keys, &asc, &file);
        // `verify DIR` tells key material apart before any signature is
        // read, and says so.
        let dir_says = if name == "key" {
            "holds OpenPGP keys"
        } else {
            says
        };
        r.code_is(1).stdout_has(dir_says.as_bytes());
    }
    // A binary signature saved as `.asc` is a signature: gpg and sqv read
    // it, and so does apostille.
    let asc = write(tmp.path(), "binary.asc", &binary);
    verify(&keys, &asc, &file)
        .code_is(0)
        .stdout_has(b"GOOD signature");
    run(peer("sqv").arg("--keyring").arg(&keys).arg(&asc).arg(&file)).code_is(0);
}
