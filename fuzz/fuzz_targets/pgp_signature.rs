//! Any bytes as a detached signature file (`.asc` or binary `.sig`): read
//! every signature as `apostille verify` does, hash a fixed message with
//! what they need, and judge each against a fixed one-key keyring (the
//! seed key of `fuzz/fixtures`). None may panic; there is one verdict per
//! signature found.

#![no_main]

use std::path::Path;

use apostille_digest::{Engine, EngineConfig};
use apostille_formats::keys::Keyring;
use apostille_verify::pgp::{PgpCheck, SignatureFile, standard_policy};
use libfuzzer_sys::fuzz_target;

/// The message the seed signatures sign.
const MESSAGE: &[u8] = include_bytes!("../fixtures/message.txt");
/// The public key that made them.
const KEY: &[u8] = include_bytes!("../fixtures/fuzz-key.asc");

thread_local! {
    static ENGINE: Engine = Engine::new(EngineConfig { threads: 1, ..EngineConfig::default() }).expect("engine");
    static KEYRING: Keyring = Keyring::from_keys_file(KEY);
}

fuzz_target!(|data: &[u8]| {
    let file = SignatureFile::parse(data);
    let found = file.signatures.len();
    // A file without a signature always says why.
    if found == 0 {
        assert!(!file.why_none().is_empty());
        assert!(!file.problems.is_empty());
    }
    let check = PgpCheck::new(file);
    let _ = check.problems();
    let hashed = ENGINE.with(|e| e.hash_reader(Path::new("message.txt"), MESSAGE, check.algorithms(), check.sinks()));
    let Ok(hashed) = hashed else {
        return;
    };
    let policy = standard_policy(false);
    let verdicts = KEYRING.with(|ring| check.finish(&hashed, ring, &policy));
    assert_eq!(verdicts.len(), found);
});

