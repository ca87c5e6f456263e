//! Cleartext-signed documents made by real `gpg --clearsign` (temporary
//! GNUPGHOME), and the Debian `.dsc` files of the shared vectors checked
//! against `debian-keyring` and cross-checked with `gpgv`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use apostille_testkit::material::{missing, vectors_root};
use apostille_verify::cleartext::{ClearSigned, CleartextError, is_cleartext_signed};
use apostille_verify::pgp::{Keyring, Status, standard_policy};
use tempfile::TempDir;

/// A throwaway GnuPG home.
struct Gpg {
    home: TempDir,
}

impl Gpg {
    fn new() -> Gpg {
        Gpg {
            home: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn run(&self, args: &[&str], stdin: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut child = Command::new("gpg")
            .arg("--homedir")
            .arg(self.home.path())
            .args(["--batch", "--quiet", "--no-tty"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run gpg");
        let mut input = child.stdin.take().expect("stdin");
        input.write_all(stdin).expect("write stdin");
        drop(input);
        let out = child.wait_with_output().expect("gpg output");
        assert!(
            out.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Generates a key, returns its fingerprint.
    fn key(&self, uid: &str, algo: &str) -> String {
        self.run(
            &[
                "--passphrase",
                "",
                "--quick-gen-key",
                uid,
                algo,
                "sign",
                "never",
            ],
            b"",
        );
        let list = self.run(&["--with-colons", "--list-keys", uid], b"");
        String::from_utf8_lossy(&list)
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .map(|l| l.trim_matches(':').to_owned())
            .expect("fingerprint")
    }

    fn clearsign(&self, signers: &[&str], text: &[u8], extra: &[&str]) -> Vec<u8> {
        let mut args = vec!["--clearsign"];
        for s in signers {
            args.extend(["-u", s]);
        }
        args.extend_from_slice(extra);
        self.run(&args, text)
    }

    fn keyring(&self, who: &[&str]) -> Keyring {
        let mut args = vec!["--export"];
        args.extend_from_slice(who);
        let ring = Keyring::from_keys_file(&self.run(&args, b""));
        assert!(ring.skipped.is_empty(), "{:?}", ring.skipped);
        ring
    }
}

const SUMS: &[u8] = b"\
0f343b0931126a20f133d67c2b018a3b5b1b2bd5a5e4a7c1b0d5e4c3a2b1c0d9  ubuntu-24.04-desktop-amd64.iso
1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809  ubuntu-24.04-live-server-amd64.iso
";

fn statuses(doc: &ClearSigned, ring: &Keyring) -> Vec<Status> {
    doc.verify(ring, &standard_policy(false))
        .into_iter()
        .map(|v| v.status)
        .collect()
}

#[test]
fn one_signer_is_good_with_its_fingerprint_and_user_id() {
    let g = Gpg::new();
    let fpr = g.key("Alice <alice@example.org>", "ed25519");
    let signed = g.clearsign(&["alice@example.org"], SUMS, &[]);
    assert!(is_cleartext_signed(&signed));
    let doc = ClearSigned::parse(&signed).expect("parse");
    assert_eq!(doc.text(), SUMS);
    assert_eq!(
        doc.first_line(),
        4,
        "BEGIN, Hash:, empty line, then the text"
    );
    assert!(doc.problems().is_empty(), "{:?}", doc.problems());
    let verdicts = doc.verify(&g.keyring(&["alice@example.org"]), &standard_policy(false));
    assert_eq!(verdicts.len(), 1);
    let v = &verdicts[0];
    assert_eq!(v.status, Status::Good);
    let signer = v.signer.as_ref().expect("signer");
    assert_eq!(signer.primary, fpr);
    assert_eq!(
        signer.user_ids,
        vec!["Alice <alice@example.org>".to_owned()]
    );
    assert_eq!(v.line, 6, "the BEGIN PGP SIGNATURE line");
}

#[test]
fn two_signers_give_two_good_verdicts() {
    let g = Gpg::new();
    let a = g.key("A <a@example.org>", "ed25519");
    let b = g.key("B <b@example.org>", "rsa2048");
    let signed = g.clearsign(&["a@example.org", "b@example.org"], SUMS, &[]);
    let doc = ClearSigned::parse(&signed).expect("parse");
    assert_eq!(doc.signatures().len(), 2);
    let verdicts = doc.verify(
        &g.keyring(&["a@example.org", "b@example.org"]),
        &standard_policy(false),
    );
    assert!(
        verdicts.iter().all(|v| v.status == Status::Good),
        "{verdicts:?}"
    );
    let mut signers: Vec<_> = verdicts
        .iter()
        .filter_map(|v| v.signer.as_ref().map(|s| s.primary.clone()))
        .collect();
    signers.sort();
    let mut want = vec![a, b];
    want.sort();
    assert_eq!(signers, want);

    // Only one of the two keys known: one good, one without key.
    let only_a = doc.verify(&g.keyring(&["a@example.org"]), &standard_policy(false));
    let mut got: Vec<_> = only_a.iter().map(|v| v.status.clone()).collect();
    got.sort_by_key(|s| format!("{s:?}"));
    assert_eq!(got, vec![Status::Good, Status::NoKey]);
}

#[test]
fn a_modified_line_is_bad_and_an_unknown_key_has_no_key() {
    let g = Gpg::new();
    g.key("A <a@example.org>", "ed25519");
    let signed = g.clearsign(&["a@example.org"], SUMS, &[]);
    let ring = g.keyring(&["a@example.org"]);

    let text = String::from_utf8(signed.clone()).expect("utf-8");
    let forged = text.replace("0f343b09", "0f343b08");
    assert_ne!(forged, text);
    let doc = ClearSigned::parse(forged.as_bytes()).expect("parse");
    assert!(matches!(statuses(&doc, &ring)[..], [Status::Bad(_)]));

    let other = Gpg::new();
    other.key("C <c@example.org>", "ed25519");
    let doc = ClearSigned::parse(&signed).expect("parse");
    assert_eq!(
        statuses(&doc, &other.keyring(&["c@example.org"])),
        vec![Status::NoKey]
    );
}

#[test]
fn lines_outside_the_signed_part_are_not_in_the_text() {
    let g = Gpg::new();
    g.key("A <a@example.org>", "ed25519");
    let signed = g.clearsign(&["a@example.org"], SUMS, &[]);
    let ring = g.keyring(&["a@example.org"]);
    let evil = b"6666666666666666666666666666666666666666666666666666666666666666  evil.iso\n";
    let mut doc_bytes = evil.to_vec();
    doc_bytes.extend_from_slice(&signed);
    doc_bytes.extend_from_slice(evil);
    assert!(
        is_cleartext_signed(&doc_bytes),
        "text before BEGIN is allowed"
    );
    let doc = ClearSigned::parse(&doc_bytes).expect("parse");
    assert_eq!(doc.text(), SUMS);
    assert_eq!(statuses(&doc, &ring), vec![Status::Good]);
    assert_eq!(doc.problems().len(), 2, "{:?}", doc.problems());
    assert_eq!(doc.problems()[0].0, 1);

    // A second signed message after the first stays outside too.
    let mut twice = signed.clone();
    twice.extend_from_slice(&g.clearsign(&["a@example.org"], evil, &[]));
    let doc = ClearSigned::parse(&twice).expect("parse");
    assert_eq!(doc.text(), SUMS);
    assert_eq!(doc.problems().len(), 1, "{:?}", doc.problems());
}

#[test]
fn dash_escaped_lines_round_trip() {
    let g = Gpg::new();
    g.key("A <a@example.org>", "ed25519");
    let text = b"- item\n-flag\n-\n--\n-----BEGIN PGP SIGNATURE-----\n\
-----END PGP SIGNATURE-----\n-----BEGIN PGP SIGNED MESSAGE-----\nplain\n";
    let signed = g.clearsign(&["a@example.org"], text, &[]);
    assert!(
        String::from_utf8_lossy(&signed).contains("\n- - item\n- -flag\n"),
        "gpg dash-escapes"
    );
    let doc = ClearSigned::parse(&signed).expect("parse");
    assert_eq!(doc.text(), text);
    assert!(doc.problems().is_empty(), "{:?}", doc.problems());
    assert_eq!(
        statuses(&doc, &g.keyring(&["a@example.org"])),
        vec![Status::Good]
    );
}

#[test]
fn canonical_text_whitespace_and_line_endings() {
    let g = Gpg::new();
    g.key("A <a@example.org>", "ed25519");
    let ring = g.keyring(&["a@example.org"]);
    // Trailing whitespace is not signed: gpg strips it before hashing, so
    // the text has it stripped too.
    let signed = g.clearsign(&["a@example.org"], b"one  \ntwo\t\n\nlast", &[]);
    let doc = ClearSigned::parse(&signed).expect("parse");
    assert_eq!(doc.text(), b"one\ntwo\n\nlast\n");
    assert_eq!(statuses(&doc, &ring), vec![Status::Good]);

    // The same document with CRLF line endings verifies the same.
    let crlf: Vec<u8> = String::from_utf8(signed.clone())
        .expect("utf-8")
        .replace('\n', "\r\n")
        .into_bytes();
    let doc = ClearSigned::parse(&crlf).expect("parse");
    assert_eq!(doc.text(), b"one\ntwo\n\nlast\n");
    assert_eq!(statuses(&doc, &ring), vec![Status::Good]);

    // A carriage return inside a line is ambiguous: refused.
    let bare = String::from_utf8(signed)
        .expect("utf-8")
        .replace("two", "t\rwo");
    assert_eq!(
        ClearSigned::parse(bare.as_bytes()).err(),
        Some(CleartextError::BareCarriageReturn { line: 5 })
    );
}

#[test]
fn the_hash_header_must_agree_and_be_the_only_header() {
    let g = Gpg::new();
    g.key("A <a@example.org>", "ed25519");
    let ring = g.keyring(&["a@example.org"]);
    let signed =
        String::from_utf8(g.clearsign(&["a@example.org"], SUMS, &["--digest-algo", "SHA256"]))
            .expect("utf-8");
    assert!(signed.contains("\nHash: SHA256\n"));

    let lied = signed.replace("\nHash: SHA256\n", "\nHash: SHA512\n");
    let doc = ClearSigned::parse(lied.as_bytes()).expect("parse");
    assert!(matches!(statuses(&doc, &ring)[..], [Status::Bad(_)]));

    let listed = signed.replace("\nHash: SHA256\n", "\nHash: SHA512, SHA256\n");
    let doc = ClearSigned::parse(listed.as_bytes()).expect("parse");
    assert_eq!(statuses(&doc, &ring), vec![Status::Good]);

    let none = signed.replace("\nHash: SHA256\n", "\n");
    let doc = ClearSigned::parse(none.as_bytes()).expect("parse");
    assert_eq!(statuses(&doc, &ring), vec![Status::Good]);

    let extra = signed.replace("\nHash: SHA256\n", "\nHash: SHA256\nComment: injected\n");
    assert!(matches!(
        ClearSigned::parse(extra.as_bytes()),
        Err(CleartextError::Header { line: 3, .. })
    ));
}

#[test]
fn sha1_data_signatures_are_rejected() {
    let g = Gpg::new();
    g.key("R <r@example.org>", "rsa2048");
    let signed = g.clearsign(&["r@example.org"], SUMS, &["--digest-algo", "SHA1"]);
    let doc = ClearSigned::parse(&signed).expect("parse");
    let verdicts = doc.verify(&g.keyring(&["r@example.org"]), &standard_policy(true));
    assert!(
        matches!(&verdicts[..], [v] if v.signer.is_some()
            && matches!(&v.status, Status::Rejected(why) if why.starts_with("SHA1 data signature"))),
        "{verdicts:?}"
    );
}

#[test]
fn malformed_documents_are_errors_not_panics() {
    let g = Gpg::new();
    g.key("A <a@example.org>", "ed25519");
    let signed = g.clearsign(&["a@example.org"], SUMS, &[]);
    assert_eq!(
        ClearSigned::parse(SUMS).err(),
        Some(CleartextError::NotCleartext)
    );
    let text = String::from_utf8(signed.clone()).expect("utf-8");
    let cut = &text[..text.find("-----BEGIN PGP SIGNATURE").expect("block")];
    assert_eq!(
        ClearSigned::parse(cut.as_bytes()).err(),
        Some(CleartextError::NoSignatureBlock)
    );
    let unterminated = text.replace("-----END PGP SIGNATURE-----", "");
    assert!(matches!(
        ClearSigned::parse(unterminated.as_bytes()),
        Err(CleartextError::UnterminatedSignature { .. })
    ));
    // Every prefix: an error or a document, never a panic.
    for n in 0..signed.len() {
        let _ = ClearSigned::parse(&signed[..n]);
    }
    // A corrupt signature block: a document without good signatures, and
    // the reason among its problems.
    let corrupt = text.replace(
        "-----BEGIN PGP SIGNATURE-----\n\n",
        "-----BEGIN PGP SIGNATURE-----\n\n!!!!\n",
    );
    let doc = ClearSigned::parse(corrupt.as_bytes()).expect("parse");
    assert!(!doc.problems().is_empty());
    assert!(
        statuses(&doc, &g.keyring(&["a@example.org"]))
            .iter()
            .all(|s| *s != Status::Good)
    );
}

/// What `gpgv` says of a document.
#[derive(Default)]
struct Gpgv {
    /// VALIDSIG: fingerprint of the signing key, one per matching
    /// signature.
    valid: Vec<String>,
    /// GOODSIG: long key IDs of signatures good now.
    good: Vec<String>,
    /// EXPKEYSIG: long key IDs of matching signatures by an expired key.
    expired: Vec<String>,
    /// NO_PUBKEY: long key IDs without a key.
    no_key: Vec<String>,
    /// The signed text it writes out.
    text: Vec<u8>,
}

fn gpgv(keyring: &Path, file: &Path) -> Gpgv {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_path = dir.path().join("text");
    let out = Command::new("gpgv")
        .arg("--status-fd=1")
        .arg("--keyring")
        .arg(keyring)
        .arg("--output")
        .arg(&out_path)
        .arg(file)
        .output()
        .expect("run gpgv");
    let status = String::from_utf8_lossy(&out.stdout);
    let field = |tag: &str| -> Vec<String> {
        status
            .lines()
            .filter_map(|l| l.strip_prefix("[GNUPG:] ")?.strip_prefix(tag))
            .filter_map(|rest| rest.split_whitespace().next().map(str::to_owned))
            .collect()
    };
    Gpgv {
        valid: field("VALIDSIG "),
        good: field("GOODSIG "),
        expired: field("EXPKEYSIG "),
        no_key: field("NO_PUBKEY "),
        text: std::fs::read(&out_path).unwrap_or_default(),
    }
}

/// The `.dsc` files of the vectors against `debian-keyring`, each verdict
/// cross-checked with `gpgv` on the same keyring: same matching key, good
/// where gpgv says GOODSIG, rejected ("the key expired on DATE, before
/// this signature was made on DATE") where it says EXPKEYSIG (the packaged keyring can predate the key's extension),
/// no key where it says NO_PUBKEY; and the text gpgv writes out.
#[test]
fn debian_dsc_files_against_debian_keyring_agree_with_gpgv() {
    let dir = vectors_root().join("openpgp");
    let keyring_path = Path::new("/usr/share/keyrings/debian-keyring.gpg");
    let dscs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|pkg| {
            std::fs::read_dir(pkg.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "dsc"))
        .collect();
    if dscs.is_empty() {
        return missing(
            "vectors",
            &format!("no .dsc files under {}", dir.display()),
            "set APOSTILLE_VECTORS to the shared test vectors (shared/vectors beside the workspace)",
        );
    }
    let Ok(ring_bytes) = std::fs::read(keyring_path) else {
        return missing(
            "debian-keyring",
            &format!("{} not found", keyring_path.display()),
            "install the debian-keyring package (scripts/setup.sh)",
        );
    };
    let ring = Keyring::from_keys_file(&ring_bytes);
    assert!(
        ring.certs.len() > 100,
        "binary keyring read: {} certificates",
        ring.certs.len()
    );
    let policy = standard_policy(false);
    let key_id = |fpr: &str| fpr[fpr.len().saturating_sub(16)..].to_owned();
    let mut matched = 0;
    for path in &dscs {
        let name = path.display();
        let data = std::fs::read(path).expect("read .dsc");
        assert!(is_cleartext_signed(&data), "{name}");
        let doc = ClearSigned::parse(&data).expect("parse .dsc");
        assert!(doc.problems().is_empty(), "{name}: {:?}", doc.problems());
        assert!(doc.text().starts_with(b"Format: "), "{name}: deb822 fields");
        let g = gpgv(keyring_path, path);
        let verdicts = doc.verify(&ring, &policy);
        assert_eq!(verdicts.len(), g.valid.len() + g.no_key.len(), "{name}");
        for v in &verdicts {
            if v.status == Status::NoKey {
                assert!(!g.no_key.is_empty(), "{name}: gpgv found the key");
                continue;
            }
            let key = &v.signer.as_ref().expect("signer").key;
            assert!(g.valid.contains(key), "{name}: {key} not in {:?}", g.valid);
            matched += 1;
            match &v.status {
                Status::Good => assert!(g.good.contains(&key_id(key)), "{name}"),
                Status::Rejected(why) => assert!(
                    g.expired.contains(&key_id(key)) && why.contains("expired on"),
                    "{name}: {why}"
                ),
                other => panic!("{name}: {other:?}"),
            }
        }
        if !g.valid.is_empty() {
            assert_eq!(doc.text(), g.text, "{name}: the text gpgv writes");
        }
    }
    assert!(matched > 0, "no .dsc signer is in debian-keyring");
}
