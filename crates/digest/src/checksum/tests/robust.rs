//! Hostile input: no panics, whatever the bytes.

use super::*;

/// A tiny deterministic generator (xorshift64*), so no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the grammars.
const INTERESTING: &[u8] = b" \t\n\r\\*():=#-0aF\xff\0";

fn seeds() -> Vec<Vec<u8>> {
    vec![
        format!("{SHA256_HELLO}  plain.txt\n\\{SHA256_HELLO} *a\\nb\n").into_bytes(),
        format!("SHA512 (a) = {SHA512_HELLO}\nMD5(b)= {MD5_HELLO}\n").into_bytes(),
        b"plain.txt: E7C22B99 4C59D9CF 2B48E549 B1E24666 63604593 0D3DA7C1 ACB299D1\n           C3B7F931 F94AAE41 EDDA2C2B 207A36E1 0F8BCB8D 45223E54 878F5B31\n           6E7CE3B6 BC019629\nlong-name-long-name-long-name-long-name-x: \nF572 D396 FAE9 2066 2871  4FB2 CE00 F72E 94F2 258F\n".to_vec(),
        super::debian::DSC_FOR_FUZZ.to_vec(),
        format!("{SHA1_HELLO}\n").into_bytes(),
    ]
}

#[test]
fn mutated_inputs_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let opts = [
        ParseOptions::default(),
        ParseOptions {
            algorithm: Some(Algorithm::Blake3),
            bare_name: Some(b"x".to_vec()),
        },
    ];
    for seed in seeds() {
        for round in 0..400 {
            let mut input = seed.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(input.len() + 1);
                match rng.below(5) {
                    0 if at < input.len() => input[at] = INTERESTING[rng.below(INTERESTING.len())],
                    1 if at < input.len() => input[at] = rng.next() as u8,
                    2 => input.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
                    3 if at < input.len() => {
                        input.remove(at);
                    }
                    _ => {
                        // Duplicate a slice somewhere else.
                        let from = rng.below(input.len());
                        let len = rng.below(40).min(input.len() - from);
                        let piece = input[from..from + len].to_vec();
                        let at = at.min(input.len());
                        input.splice(at..at, piece);
                    }
                }
            }
            let parsed = parse(&input, &opts[round % 2]);
            let lines = input.iter().filter(|&&b| b == b'\n').count() + 1;
            for e in &parsed.entries {
                assert!(e.line >= 1 && e.line <= lines);
                assert!(!e.name.is_empty() && !e.name.contains(&0));
                assert!(e.name.len() <= input.len());
            }
            for m in &parsed.malformed {
                assert!(m.line >= 1 && m.line <= lines, "{m:?}");
            }
            // Every entry written back reads the same.
            for e in &parsed.entries {
                let again = parse(
                    &format_gnu(&e.expected, &e.name, e.binary),
                    &with_algorithm(e.algorithm),
                );
                assert_eq!(single(&again).name, e.name);
            }
        }
    }
}

#[test]
fn degenerate_inputs() {
    let long_name = vec![b'n'; 1 << 20];
    let mut long_line = format!("{SHA256_HELLO}  ").into_bytes();
    long_line.extend_from_slice(&long_name);
    assert_eq!(single(&parse_default(&long_line)).name.len(), 1 << 20);

    let inputs: Vec<Vec<u8>> = vec![
        vec![0; 4096],
        vec![b'\n'; 4096],
        vec![b'\r'; 4096],
        vec![b'a'; 100_000],
        vec![b'('; 10_000],
        vec![b':'; 10_000],
        b"SHA256 (".to_vec(),
        b"SHA256 ()".to_vec(),
        b"SHA256 () =".to_vec(),
        b"\\".to_vec(),
        b"\\SHA256 (a\\) = x".to_vec(),
        b": ".to_vec(),
        b"x:\n".to_vec(),
        b"x:\n  \n".to_vec(),
        b"Files:\n".to_vec(),
        b"Files:\n \n".to_vec(),
        b"-----BEGIN PGP SIGNED MESSAGE-----".to_vec(),
        b"-----BEGIN PGP SIGNATURE-----".to_vec(),
        b"-----END PGP SIGNATURE-----\n-----BEGIN PGP SIGNED MESSAGE-----\n".to_vec(),
        [b"A ".repeat(5000), b"\n".to_vec()].concat(),
        [b"x: ".to_vec(), b"AB ".repeat(5000)].concat(),
        [b"x: \n".to_vec(), b" F".repeat(5000)].concat(),
    ];
    for input in inputs {
        let parsed = parse_default(&input);
        let total = parsed.entries.len() + parsed.malformed.len();
        assert!(total <= input.len() + 1);
    }
}

#[test]
fn nul_bytes_in_names_are_malformed() {
    let cases = [format!(
        "{SHA256_HELLO}  a\0b\nSHA256 (a\0b) = {SHA256_HELLO}\na\0b: 5891B5B5 22D5DF08 6D0FF0B1 10FBD9D2 1BB4FC71 63AF34D0 8286A2E8 46F6BE03\n"
    )];
    for content in cases {
        let parsed = parse_default(content.as_bytes());
        assert!(parsed.entries.is_empty(), "{:?}", parsed.entries);
        assert_eq!(lines_of(&parsed), [1, 2, 3]);
        assert!(parsed.malformed.iter().all(|m| m.reason.contains("NUL")));
    }
    let debian = format!("Source: x\nFiles:\n {MD5_HELLO} 6 a\0b\n");
    assert_eq!(lines_of(&parse_default(debian.as_bytes())), [3]);
    assert!(!name_is_representable(b"a\0b"));
    assert!(!name_is_representable(b""));
    assert!(name_is_representable(b"a\nb"));
}

#[test]
fn escaping_helpers() {
    assert!(needs_escape(b"a\rb") && needs_escape(b"\\") && needs_escape(b"\n"));
    assert!(!needs_escape(b"a\tb (x) = \xff"));
    assert_eq!(escape_name(b"a\\b\nc\rd"), b"a\\\\b\\nc\\rd");
    assert_eq!(unescape_name(b"a\\\\b\\nc\\rd"), Ok(b"a\\b\nc\rd".to_vec()));
    assert_eq!(unescape_name(b"a\\"), Err(UnescapeError::TrailingBackslash));
    assert_eq!(
        unescape_name(b"a\\t"),
        Err(UnescapeError::UnknownEscape(b't'))
    );
    assert_eq!(
        UnescapeError::UnknownEscape(b't').to_string(),
        "invalid escape `\\t` in file name"
    );
}

/// Found by the `checksum_roundtrip` fuzz target: a file named by white
/// space alone was read back as a bare digest with no name.
#[test]
fn fuzz_blank_name_is_a_gnu_line_not_a_bare_digest() {
    let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    for name in [&b"\t"[..], b" ", b"\t \t"] {
        let d = Digest::from_hex(Algorithm::Sha256, hex).expect("hex");
        let line = format_gnu(&d, name, false);
        let parsed = parse(&line, &ParseOptions::default());
        assert_eq!(parsed.entries.len(), 1, "{line:?}: {:?}", parsed.malformed);
        assert_eq!(parsed.entries[0].name, name);
    }
}
