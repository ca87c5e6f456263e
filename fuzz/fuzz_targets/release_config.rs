//! Any bytes as an `apostille.toml`: the `[release]` reader of
//! `apostille release` (unknown tables and keys refused, algorithm names
//! checked) and the `[notices]`/`[audit]` reader of `apostille notices`,
//! on the same text, as both commands read the one file. None may panic;
//! a notices policy that parses judges an expression.

#![no_main]

use apostille_notices::Policy;
use apostille_sign::release::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = Config::parse(text) {
        let _ = format!("{config:?}");
    }
    if let Ok(policy) = Policy::parse(text) {
        let _ = policy.judge("fuzzed", Some("Apache-2.0 OR MIT"));
    }
});
