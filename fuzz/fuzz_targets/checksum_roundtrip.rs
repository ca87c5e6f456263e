//! Any name and digest bytes: what the writer emits (GNU and BSD layouts)
//! must parse back to the same name, algorithm and digest whenever the name
//! is representable.

#![no_main]

use apostille_digest::checksum::{ParseOptions, format_bsd, format_gnu, name_is_representable, parse};
use apostille_digest::{Algorithm, Digest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, rest)) = data.split_first() else {
        return;
    };
    let alg = Algorithm::ALL[usize::from(*selector) % Algorithm::ALL.len()];
    if rest.len() < alg.output_len() {
        return;
    }
    let (digest_bytes, name) = rest.split_at(alg.output_len());
    let Some(digest) = Digest::from_bytes(alg, digest_bytes) else {
        return;
    };
    if !name_is_representable(name) {
        return;
    }
    for line in [format_gnu(&digest, name, selector & 1 == 1), format_bsd(&digest, name)] {
        let parsed = parse(&line, &ParseOptions { algorithm: Some(alg), bare_name: None });
        assert_eq!(parsed.entries.len(), 1, "{:?} -> {:?}", line, parsed.malformed);
        let e = &parsed.entries[0];
        assert_eq!(e.name, name);
        assert_eq!(e.algorithm, alg);
        assert!(e.expected.ct_eq(&digest));
    }
});
