//! Any bytes as the text inputs of `apostille notices`: an `apostille.toml`
//! policy, a `.rat-excludes` file, a source file's head, a file name and a
//! license text. None may panic; a parsed policy judges any expression.

#![no_main]

use apostille_notices::Policy;
use apostille_notices::audit::binary_kind;
use apostille_notices::audit::excludes::Patterns;
use apostille_notices::audit::header::{needs_header, recognise};
use apostille_notices::files::role_of;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(policy) = Policy::parse(&text) {
        let _ = policy.judge("fuzzed", Some(&text));
        let _ = policy.judge("fuzzed", Some("MIT OR (Apache-2.0 AND LGPL-2.1-or-later)"));
    }
    if let Ok(p) = Patterns::parse_file(&text, "fuzz") {
        for line in text.lines().take(8) {
            let _ = p.matches(line);
        }
    }
    let _ = recognise(data);
    let _ = binary_kind(data);
    for line in text.lines().take(8) {
        let _ = role_of(line);
        let _ = needs_header(line);
    }
});
