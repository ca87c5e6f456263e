//! Unit tests of the checksum-file module. The literals in `tools` were
//! captured from GNU coreutils 9.1, b3sum 1.2.0, OpenSSL 3.0.19 and GnuPG
//! 2.2.40 on Debian 12.

use super::*;

mod debian;
mod robust;
mod tools;

/// Digests of the six bytes `hello\n`, the content of most test files.
const SHA256_HELLO: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
const SHA384_HELLO: &str = "1d0f284efe3edea4b9ca3bd514fa134b17eae361ccc7a1eefeff801b9bd6604e01f21f6bf249ef030599f0c218f2ba8c";
const SHA512_HELLO: &str = "e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629";
const SHA1_HELLO: &str = "f572d396fae9206628714fb2ce00f72e94f2258f";
const MD5_HELLO: &str = "b1946ac92492d2347c6235b4d2611184";
const B3_HELLO: &str = "8e4c7c1b99dbfd50e7a95185fead5ee1448fa904a2fdd778eaf5f2dbfd629a99";

fn digest(alg: Algorithm, hex: &str) -> Digest {
    Digest::from_hex(alg, hex).expect("valid test digest")
}

fn parse_default(content: &[u8]) -> Parsed {
    parse(content, &ParseOptions::default())
}

fn with_algorithm(alg: Algorithm) -> ParseOptions {
    ParseOptions {
        algorithm: Some(alg),
        bare_name: None,
    }
}

/// The only entry of a parse that must have exactly one and no errors.
#[track_caller]
fn single(parsed: &Parsed) -> &Entry {
    assert!(
        parsed.malformed.is_empty(),
        "malformed: {:?}",
        parsed.malformed
    );
    assert_eq!(parsed.entries.len(), 1, "entries: {:?}", parsed.entries);
    &parsed.entries[0]
}

/// (algorithm, hex, name) of every entry, for compact assertions.
fn summary(parsed: &Parsed) -> Vec<(Algorithm, String, Vec<u8>)> {
    parsed
        .entries
        .iter()
        .map(|e| (e.algorithm, e.expected.to_hex(), e.name.clone()))
        .collect()
}

fn lines_of(parsed: &Parsed) -> Vec<usize> {
    parsed.malformed.iter().map(|m| m.line).collect()
}

#[test]
fn empty_and_blank_input() {
    for content in [
        &b""[..],
        b"\n",
        b"\n\n  \n\t\n",
        b"\r\n",
        b"# only a comment\n",
    ] {
        let parsed = parse_default(content);
        assert!(parsed.entries.is_empty(), "{content:?}");
        assert!(parsed.malformed.is_empty(), "{content:?}");
        assert!(parsed.formats.is_empty());
        assert!(!parsed.clearsigned);
    }
}

#[test]
fn gnu_text_binary_and_separators() {
    let text = format!("{SHA256_HELLO}  plain.txt\n");
    let e = single(&parse_default(text.as_bytes())).clone();
    assert_eq!(e.algorithm, Algorithm::Sha256);
    assert_eq!(e.name, b"plain.txt");
    assert_eq!(
        (e.line, e.binary, e.size, e.format),
        (1, false, None, Format::Gnu)
    );

    let bin = format!("{SHA256_HELLO} *plain.txt\n");
    assert!(single(&parse_default(bin.as_bytes())).binary);

    // coreutils accepts a tab as the first separator and leading blanks.
    for line in [
        format!("{SHA256_HELLO}\t plain.txt"),
        format!("  {SHA256_HELLO}  plain.txt"),
        format!("\t{SHA256_HELLO}  plain.txt"),
        format!("{}  plain.txt", SHA256_HELLO.to_uppercase()),
    ] {
        let parsed = parse_default(line.as_bytes());
        assert_eq!(single(&parsed).name, b"plain.txt", "{line:?}");
        assert_eq!(single(&parsed).expected.to_hex(), SHA256_HELLO);
    }

    // Everything after the marker is the name, spaces included.
    let spaced = format!("{SHA256_HELLO}    two  spaces  \n");
    assert_eq!(
        single(&parse_default(spaced.as_bytes())).name,
        b"  two  spaces  "
    );
}

#[test]
fn gnu_rejects_one_space_empty_name_and_bad_escapes() {
    let cases = [
        (format!("{SHA256_HELLO} plain.txt"), "two spaces"),
        // Not mistaken for a gpg record named after the digest.
        (format!("{SHA256_HELLO} x: AB"), "two spaces"),
        (format!("{SHA256_HELLO}  "), "empty file name"),
        (format!("{SHA256_HELLO} *"), "empty file name"),
        (format!("{SHA256_HELLO} "), "without a file name"),
        (format!("\\{SHA256_HELLO}  a\\tb"), "invalid escape"),
        (format!("\\{SHA256_HELLO}  ends\\"), "lone backslash"),
        (format!("{SHA256_HELLO}  nul\0name"), "NUL"),
        (format!("{}  short", &SHA256_HELLO[..60]), "60 hex digits"),
        (
            SHA256_HELLO.to_owned() + "\n" + SHA256_HELLO,
            "without a file name",
        ),
    ];
    for (line, why) in cases {
        // After a good line, so that a lone digest is not a bare sidecar.
        let content = format!("{SHA256_HELLO}  ok\n{line}");
        let parsed = parse_default(content.as_bytes());
        assert_eq!(parsed.entries.len(), 1, "{content:?}: {:?}", parsed.entries);
        assert!(
            parsed
                .malformed
                .iter()
                .any(|m| m.line == 2 && m.reason.contains(why)),
            "{content:?}: {:?}",
            parsed.malformed
        );
    }
}

#[test]
fn ambiguous_64_hex_is_sha256_unless_hinted_blake3() {
    let line = format!("{B3_HELLO}  plain.txt\n");
    assert_eq!(
        single(&parse_default(line.as_bytes())).algorithm,
        Algorithm::Sha256
    );
    let hinted = parse(line.as_bytes(), &with_algorithm(Algorithm::Blake3));
    assert_eq!(single(&hinted).algorithm, Algorithm::Blake3);
    assert_eq!(single(&hinted).expected.to_hex(), B3_HELLO);
    // The hint is also the length every untagged digest must have.
    let sha512 = format!("{SHA512_HELLO}  plain.txt\n");
    let parsed = parse(sha512.as_bytes(), &with_algorithm(Algorithm::Blake3));
    assert!(parsed.entries.is_empty());
    assert_eq!(lines_of(&parsed), [1]);
    assert!(parsed.malformed[0].reason.contains("blake3 needs 64"));
    // Tags win over the hint.
    let tagged = format!("SHA512 (plain.txt) = {SHA512_HELLO}\n");
    let parsed = parse(tagged.as_bytes(), &with_algorithm(Algorithm::Blake3));
    assert_eq!(single(&parsed).algorithm, Algorithm::Sha512);
}

#[test]
fn crlf_comments_and_line_numbers() {
    let content = format!(
        "# SHA256 checksums\r\n\r\n{SHA256_HELLO}  a\r\nnot a checksum\r\n  # indented comment\r\n{SHA256_HELLO} *b\r\n{SHA1_HELLO}  c"
    );
    let parsed = parse_default(content.as_bytes());
    assert_eq!(
        parsed
            .entries
            .iter()
            .map(|e| (e.line, e.name.clone()))
            .collect::<Vec<_>>(),
        vec![(3, b"a".to_vec()), (6, b"b".to_vec()), (7, b"c".to_vec())]
    );
    assert_eq!(parsed.entries[2].algorithm, Algorithm::Sha1);
    assert_eq!(lines_of(&parsed), [4]);
    assert_eq!(
        parsed.malformed[0].to_string(),
        "line 4: not a recognised checksum line"
    );
    assert_eq!(parsed.formats, [Format::Gnu]);
}

#[test]
fn mixed_formats_are_listed_in_order() {
    let content = format!(
        "SHA512 (a) = {SHA512_HELLO}\n{MD5_HELLO}  b\nSHA2-256(c)= {SHA256_HELLO}\nSHA512 (d) = {SHA512_HELLO}\nd: {}\n",
        "F572 D396 FAE9 2066 2871  4FB2 CE00 F72E 94F2 258F"
    );
    let parsed = parse_default(content.as_bytes());
    assert!(parsed.malformed.is_empty(), "{:?}", parsed.malformed);
    assert_eq!(
        parsed.formats,
        [
            Format::Bsd,
            Format::Gnu,
            Format::OpenSsl,
            Format::GpgPrintMd
        ]
    );
    assert_eq!(
        parsed
            .entries
            .iter()
            .map(|e| e.algorithm)
            .collect::<Vec<_>>(),
        [
            Algorithm::Sha512,
            Algorithm::Md5,
            Algorithm::Sha256,
            Algorithm::Sha512,
            Algorithm::Sha1
        ]
    );
}

#[test]
fn bare_sidecars() {
    let opts = ParseOptions {
        algorithm: None,
        bare_name: Some(b"x.tar.gz".to_vec()),
    };
    let content = format!("{SHA512_HELLO}\n");
    let e = single(&parse(content.as_bytes(), &opts)).clone();
    assert_eq!(
        (e.algorithm, e.format, e.line),
        (Algorithm::Sha512, Format::Bare, 1)
    );
    assert_eq!(e.name, b"x.tar.gz");
    // Surrounding white space, a comment and CRLF are fine.
    let padded = format!("# sidecar\r\n\r\n  {SHA256_HELLO}  \r\n\r\n");
    let e = single(&parse(padded.as_bytes(), &opts)).clone();
    assert_eq!((e.algorithm, e.line), (Algorithm::Sha256, 3));
    // Without a name there is nothing to check.
    let parsed = parse_default(content.as_bytes());
    assert!(parsed.entries.is_empty());
    assert_eq!(lines_of(&parsed), [1]);
    assert!(parsed.malformed[0].reason.contains("bare digest"));
    // A hint of the wrong length is an error, of the right one settles it.
    let b3 = ParseOptions {
        algorithm: Some(Algorithm::Blake3),
        ..opts.clone()
    };
    assert_eq!(lines_of(&parse(content.as_bytes(), &b3)), [1]);
    let b3_line = format!("{B3_HELLO}\n");
    assert_eq!(
        single(&parse(b3_line.as_bytes(), &b3)).algorithm,
        Algorithm::Blake3
    );
    // Two digests are two lines without names, not one long digest.
    let two = format!("{SHA256_HELLO}\n{SHA256_HELLO}\n");
    let parsed = parse(two.as_bytes(), &opts);
    assert!(parsed.entries.is_empty());
    assert_eq!(lines_of(&parsed), [1, 2]);
    // So are two gpg SHA-256 outputs for standard input.
    let gpg_two = "98EA6E4F 216F2FB4 B69FFF9B 3A44842C 38686CA6 85F3F55D C48C5D3F B1107BE4\n\
                   98EA6E4F 216F2FB4 B69FFF9B 3A44842C 38686CA6 85F3F55D C48C5D3F B1107BE4\n";
    assert_eq!(lines_of(&parse(gpg_two.as_bytes(), &opts)), [1, 2]);
}

#[test]
fn hints_from_file_names() {
    use Algorithm::*;
    let cases: &[(&[u8], Option<Algorithm>)] = &[
        (b"SHA256SUMS", Some(Sha256)),
        (b"sha256sums.txt", Some(Sha256)),
        (b"SHA384SUMS", Some(Sha384)),
        (b"SHA512SUMS", Some(Sha512)),
        (b"SHA512SUMS.asc", Some(Sha512)),
        (b"MD5SUMS", Some(Md5)),
        (b"SHA1SUMS", Some(Sha1)),
        (b"B3SUMS", Some(Blake3)),
        (b"BLAKE3SUMS", Some(Blake3)),
        (b"release/foo-1.0-SHA256SUMS", Some(Sha256)),
        (b"dir.sha512/SHA1SUMS", Some(Sha1)),
        (b"x.tar.gz.sha256", Some(Sha256)),
        (b"x.tar.gz.SHA512", Some(Sha512)),
        (b"x.sha384", Some(Sha384)),
        (b"x.sha1", Some(Sha1)),
        (b"x.md5", Some(Md5)),
        (b"x.b3", Some(Blake3)),
        (b"x.blake3", Some(Blake3)),
        (b"x.sha256sum", Some(Sha256)),
        (b"x.sha512sum", Some(Sha512)),
        (b"x.md5sum", Some(Md5)),
        (b"x.mds", None),
        (b"CHECKSUM", None),
        (b"checksums.txt", None),
        (b"xsha256sums", None),
        (b"x.tar.gz", None),
        (b"", None),
        (b"\xff\xfe.sha256", Some(Sha256)),
    ];
    for (name, want) in cases {
        assert_eq!(
            algorithm_hint_from_file_name(name),
            *want,
            "{:?}",
            String::from_utf8_lossy(name)
        );
    }
}

#[test]
fn sidecar_subjects() {
    let cases: &[(&[u8], Option<&[u8]>)] = &[
        (b"x.tar.gz.sha512", Some(b"x.tar.gz")),
        (b"dir/a.b3", Some(b"dir/a")),
        (b"a\xff.SHA256", Some(b"a\xff")),
        (b"x.sha256sum", Some(b"x")),
        (b"x.tar.gz", None),
        (b"SHA256SUMS", None),
        (b".sha256", None),
        (b"dir/.md5", None),
        (b"x.mds", None),
    ];
    for (name, want) in cases {
        assert_eq!(
            sidecar_subject(name).as_deref(),
            *want,
            "{:?}",
            String::from_utf8_lossy(name)
        );
    }
}
