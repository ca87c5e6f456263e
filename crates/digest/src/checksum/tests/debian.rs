//! Debian documents and OpenPGP clear signatures.

use super::*;

/// The structure of a Debian 12 `.dsc`, shortened, with one dash-escaped
/// field (`- ` is stripped from any line, not only from those starting
/// with `-`).
const DSC: &[u8] = b"-----BEGIN PGP SIGNED MESSAGE-----\r
Hash: SHA512\r
\r
Format: 3.0 (quilt)\r
Source: curl\r
Binary: curl, libcurl4,\r
 libcurl4-doc\r
Version: 7.88.1-10+deb12u15\r
- X-Comment: dash-escaped\r
Package-List:\r
 curl deb web optional arch=any\r
 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 6 not-an-entry\r
Checksums-Sha1:\r
 6ae5229c36badb822641bb14958e7d227c57611d 4343562 curl_7.88.1.orig.tar.gz\r
Checksums-Sha256:\r
 cdb38b72e36bc5d33d5b8810f8018ece1baa29a8f215b4495e495ded82bbf3c7 4343562 curl_7.88.1.orig.tar.gz\r
 961b78bc48492c5693e4decb352ddd176f343260a8956f48b2887874048ef23b 87732 curl_7.88.1-10+deb12u15.debian.tar.xz   \r
Files:\r
 1211d641ae670cebce361ab6a7c6acff 4343562 curl_7.88.1.orig.tar.gz\r
\r
-----BEGIN PGP SIGNATURE-----\r
\r
iQIzBAEBCgAdFiEEBdtqg34QX0sdAsVfu6n6rcz7RwcFAmpAymIACgkQu6n6rcz7\r
=8RY0\r
-----END PGP SIGNATURE-----\r
";

#[test]
fn clear_signed_dsc_sections() {
    let parsed = parse_default(DSC);
    assert!(parsed.clearsigned);
    assert!(parsed.malformed.is_empty(), "{:?}", parsed.malformed);
    assert_eq!(parsed.formats, [Format::Debian]);
    let got: Vec<_> = parsed
        .entries
        .iter()
        .map(|e| (e.line, e.algorithm, e.size, e.name.as_slice()))
        .collect();
    assert_eq!(
        got,
        [
            (
                14,
                Algorithm::Sha1,
                Some(4343562),
                &b"curl_7.88.1.orig.tar.gz"[..]
            ),
            (
                16,
                Algorithm::Sha256,
                Some(4343562),
                b"curl_7.88.1.orig.tar.gz"
            ),
            (
                17,
                Algorithm::Sha256,
                Some(87732),
                b"curl_7.88.1-10+deb12u15.debian.tar.xz"
            ),
            (
                19,
                Algorithm::Md5,
                Some(4343562),
                b"curl_7.88.1.orig.tar.gz"
            ),
        ]
    );
    assert_eq!(
        parsed.entries[1].expected.to_hex(),
        "cdb38b72e36bc5d33d5b8810f8018ece1baa29a8f215b4495e495ded82bbf3c7"
    );
    assert!(
        parsed
            .entries
            .iter()
            .all(|e| !e.binary && e.format == Format::Debian)
    );
}

#[test]
fn real_curl_dsc() {
    let Some(path) =
        apostille_testkit::material::vectors("openpgp/curl/curl_7.88.1-10+deb12u15.dsc")
    else {
        return;
    };
    let content = std::fs::read(path).expect("test vector present");
    let parsed = parse_default(&content);
    assert!(parsed.clearsigned);
    assert!(parsed.malformed.is_empty(), "{:?}", parsed.malformed);
    assert_eq!(parsed.entries.len(), 9);
    let orig = parsed
        .entries
        .iter()
        .find(|e| e.algorithm == Algorithm::Sha256 && e.name == b"curl_7.88.1.orig.tar.gz")
        .expect("Checksums-Sha256 entry for the orig tarball");
    assert_eq!(
        orig.expected.to_hex(),
        "cdb38b72e36bc5d33d5b8810f8018ece1baa29a8f215b4495e495ded82bbf3c7"
    );
    assert_eq!(orig.size, Some(4_343_562));
    assert_eq!(orig.line, 33);
    // The tarball's name tells nothing about the algorithm, a hint changes
    // nothing for tagged sections either.
    let hinted = parse(&content, &with_algorithm(Algorithm::Blake3));
    assert_eq!(summary(&hinted), summary(&parsed));
}

#[test]
fn other_real_dsc_files() {
    let Some(root) = apostille_testkit::material::vectors("openpgp") else {
        return;
    };
    for path in [
        root.join("apr-util/apr-util_1.6.3-1+deb12u1.dsc"),
        root.join("gnupg2/gnupg2_2.2.40-1.1+deb12u2.dsc"),
    ] {
        let content = std::fs::read(&path).expect("test vector present");
        let parsed = parse_default(&content);
        assert!(
            parsed.clearsigned && parsed.malformed.is_empty(),
            "{}: {:?}",
            path.display(),
            parsed.malformed
        );
        assert_eq!(parsed.entries.len(), 9, "{}", path.display());
        assert!(parsed.entries.iter().all(|e| e.size.is_some()));
    }
}

#[test]
fn changes_files_field_has_five_columns() {
    let changes = format!(
        "Format: 1.8\nSource: hello\nDescription:\n hello - example\n .\n more\nChecksums-Sha256:\n {SHA256_HELLO} 6 hello_2.10-3.dsc\nFiles:\n {MD5_HELLO} 6 devel optional hello_2.10-3.dsc\n {MD5_HELLO} 6 hello_2.10.orig.tar.gz\n"
    );
    let parsed = parse_default(changes.as_bytes());
    assert!(parsed.malformed.is_empty(), "{:?}", parsed.malformed);
    let names: Vec<_> = parsed
        .entries
        .iter()
        .map(|e| (e.algorithm, e.name.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            (Algorithm::Sha256, &b"hello_2.10-3.dsc"[..]),
            (Algorithm::Md5, b"hello_2.10-3.dsc"),
            (Algorithm::Md5, b"hello_2.10.orig.tar.gz"),
        ]
    );
}

#[test]
fn release_file_sections() {
    let release = format!(
        "Origin: Debian\nLabel: Debian\nSuite: stable\nAcquire-By-Hash: yes\nMD5Sum:\n {MD5_HELLO}        6 main/binary-all/Packages\n {MD5_HELLO}  1234567 main/Contents-all\nSHA1:\n {SHA1_HELLO} 0 x\nSHA256:\n {SHA256_HELLO}        6 main/binary-all/Packages\nSHA512:\n {SHA512_HELLO} 18446744073709551615 big\n"
    );
    let parsed = parse_default(release.as_bytes());
    assert!(parsed.malformed.is_empty(), "{:?}", parsed.malformed);
    let got: Vec<_> = parsed
        .entries
        .iter()
        .map(|e| (e.algorithm, e.size))
        .collect();
    assert_eq!(
        got,
        [
            (Algorithm::Md5, Some(6)),
            (Algorithm::Md5, Some(1_234_567)),
            (Algorithm::Sha1, Some(0)),
            (Algorithm::Sha256, Some(6)),
            (Algorithm::Sha512, Some(u64::MAX)),
        ]
    );
    assert_eq!(parsed.entries[1].name, b"main/Contents-all");
}

#[test]
fn bad_debian_lines_are_malformed_with_line_numbers() {
    let content = format!(
        "Source: x\nChecksums-Sha256:\n {SHA256_HELLO} 6\n {SHA1_HELLO} 6 wrong-length\n {SHA256_HELLO} six name\n {SHA256_HELLO} 18446744073709551616 overflow\n {SHA256_HELLO} 6 two names\n {SHA256_HELLO} 6 ok\nFiles:\n {MD5_HELLO} 6 a b c d\nX-Other: {SHA256_HELLO}  not-gnu\n"
    );
    let parsed = parse_default(content.as_bytes());
    assert_eq!(summary(&parsed).len(), 1);
    assert_eq!(parsed.entries[0].line, 8);
    assert_eq!(lines_of(&parsed), [3, 4, 5, 6, 7, 10]);
    assert!(parsed.malformed[1].reason.contains("sha256 needs 64"));
    assert!(parsed.malformed[2].reason.contains("size"));
}

#[test]
fn clear_signed_gnu_and_bsd_files() {
    // Fedora's CHECKSUM files: comments and BSD lines, clear-signed.
    let fedora = format!(
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n# Fedora.iso: 6 bytes\nSHA256 (Fedora.iso) = {SHA256_HELLO}\n- -----BEGIN PGP SIGNATURE-----\n{SHA256_HELLO}  trailing  \n-----BEGIN PGP SIGNATURE-----\n\nwsFz\n-----END PGP SIGNATURE-----\n"
    );
    let parsed = parse_default(fedora.as_bytes());
    assert!(parsed.clearsigned);
    assert_eq!(
        summary(&parsed),
        [
            (
                Algorithm::Sha256,
                SHA256_HELLO.to_owned(),
                b"Fedora.iso".to_vec()
            ),
            // The signature does not cover trailing white space.
            (
                Algorithm::Sha256,
                SHA256_HELLO.to_owned(),
                b"trailing".to_vec()
            ),
        ]
    );
    // The dash-escaped line is text, not the start of the signature.
    assert_eq!(lines_of(&parsed), [6]);
}

#[test]
fn text_outside_the_signed_part_is_never_parsed() {
    let content = format!(
        "{SHA256_HELLO}  before\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{SHA256_HELLO}  signed\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n\n{SHA256_HELLO}  after\n"
    );
    let parsed = parse_default(content.as_bytes());
    assert_eq!(summary(&parsed).len(), 1);
    assert_eq!(parsed.entries[0].name, b"signed");
    assert_eq!(lines_of(&parsed), [1, 10]);

    // No signature block: reported at the BEGIN line, entries still read.
    let unsigned =
        format!("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{SHA256_HELLO}  x\n");
    let parsed = parse_default(unsigned.as_bytes());
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(lines_of(&parsed), [1]);

    // Unterminated signature block.
    let open = format!(
        "-----BEGIN PGP SIGNED MESSAGE-----\n\n{SHA256_HELLO}  x\n-----BEGIN PGP SIGNATURE-----\nabc\n"
    );
    let parsed = parse_default(open.as_bytes());
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(lines_of(&parsed), [4]);

    // A signature block alone is skipped as one malformed record.
    let detached = format!(
        "{SHA256_HELLO}  x\n-----BEGIN PGP SIGNATURE-----\n\nwsFz\n-----END PGP SIGNATURE-----\n"
    );
    let parsed = parse_default(detached.as_bytes());
    assert!(!parsed.clearsigned);
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(lines_of(&parsed), [2]);
}

#[test]
fn clear_signed_bare_sidecar() {
    let content = format!(
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{SHA512_HELLO}\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\ntrailing junk\n"
    );
    let opts = ParseOptions {
        algorithm: Some(Algorithm::Sha512),
        bare_name: Some(b"x.tar.gz".to_vec()),
    };
    let parsed = parse(content.as_bytes(), &opts);
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(
        (parsed.entries[0].line, parsed.entries[0].format),
        (4, Format::Bare)
    );
    assert_eq!(lines_of(&parsed), [8]);
}

/// The shortened `.dsc` for the mutation test.
pub(super) const DSC_FOR_FUZZ: &[u8] = DSC;
