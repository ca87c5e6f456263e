//! Any bytes as a checksum file, with and without algorithm hints and a
//! sidecar name: the parser must never panic, and every entry it returns
//! must carry a digest of its algorithm's length and a 1-based line number.

#![no_main]

use apostille_digest::Algorithm;
use apostille_digest::checksum::{ParseOptions, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (selector, content) = data.split_first().map_or((0, data), |(s, rest)| (*s, rest));
    let algorithm = Algorithm::ALL.get(usize::from(selector % 8)).copied();
    let bare_name = (selector & 0x80 != 0).then(|| b"artifact.tar.gz".to_vec());
    let parsed = parse(content, &ParseOptions { algorithm, bare_name });
    for e in &parsed.entries {
        assert_eq!(e.expected.as_bytes().len(), e.algorithm.output_len());
        assert!(e.line >= 1);
    }
    for m in &parsed.malformed {
        assert!(m.line >= 1);
    }
});
