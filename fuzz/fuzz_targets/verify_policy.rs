//! Any bytes as an `apostille verify --policy` file: the TOML reader of the
//! verdict's requirements (unknown keys and check kinds refused). It must
//! never panic, and a policy that parses requires only known kinds.

#![no_main]

use std::path::Path;

use apostille_verify::download::{Kind, Requirements};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(r) = Requirements::from_toml(&text, Path::new("policy.toml")) {
        for k in &r.require {
            assert_eq!(Kind::parse(k.as_str()), Some(*k), "{k:?}");
        }
    }
});
