//! Any bytes as a KEYS file: the armor scanner, the certificate loader of
//! `apostille-formats`, the `gpg --list-keys`-style listing and the KEYS
//! audit of `apostille verify keys`, `ARMORED FILE` decoding and the
//! description of what is not OpenPGP. None may panic; every armor block
//! must be a slice of the input starting with its BEGIN line.

#![no_main]

use std::time::{Duration, SystemTime};

use apostille_formats::armor;
use apostille_formats::keys::{Keyring, listing};
use apostille_formats::sniff;
use apostille_verify::pgp::standard_policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let blocks = armor::blocks(data);
    for b in &blocks {
        assert!(b.line >= 1);
        assert!(b.bytes.starts_with(b"-----BEGIN PGP "));
        let start = b.bytes.as_ptr() as usize - data.as_ptr() as usize;
        assert!(start + b.bytes.len() <= data.len());
    }
    assert!(blocks.is_empty() || armor::is_armored(data));
    // Decoding a block (`ARMORED FILE` layers included) and describing
    // what is not OpenPGP never panic.
    for b in blocks.iter().take(8) {
        if let Ok(armor::Decoded::Binary(bin) | armor::Decoded::Armored(bin)) = armor::decode(b) {
            let _ = armor::describe_foreign(&bin);
        }
    }
    let _ = armor::describe_foreign(data);
    let _ = sniff::classify(data);

    let ring = Keyring::from_keys_file(data);
    // Every block that yields no certificate is said, with a line inside
    // the file.
    let lines = data.split(|&b| b == b'\n').count();
    for s in &ring.skipped {
        assert!(s.line >= 1 && s.line <= lines, "skip line {} of {lines}", s.line);
        assert!(!s.reason.is_empty());
    }
    let policy = standard_policy(false);
    for cert in ring.certs.iter().take(4) {
        let _ = listing(cert, &policy);
    }
    // A fixed "now" keeps runs reproducible: 2026-12-03.
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_256_000);
    let _ = apostille_verify::keys::audit(&ring, &policy, now);
});
