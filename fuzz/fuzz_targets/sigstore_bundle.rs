//! Any bytes as a Sigstore bundle and as a trusted root, read as
//! `apostille verify` reads them (top-level checks against parser
//! differentials, then sigstore-verify's model). A bundle that parses is
//! verified offline against the embedded public-good root, keyless and
//! with the seed key of `fuzz/fixtures`, for the seed artifact's digest
//! and for a digest nothing signed (which must never verify); its DSSE
//! payload goes through the in-toto reader. None may panic.

#![no_main]

use std::path::Path;

use apostille_digest::{Algorithm, Digest};
use apostille_verify::bundle::{Bundle, IdentityRule, Policy, PublicKey, TrustedRoot, Verifier};
use apostille_verify::provenance::Statement;
use libfuzzer_sys::fuzz_target;

/// The key that made the seed bundles (its private half is not kept).
const KEY: &[u8] = include_bytes!("../fixtures/cosign-key.pub");
/// SHA-256 of the seed artifact (`apostille fuzz artifact\n`).
const ARTIFACT: &str = "e40cc3f038287b172a1071250073c77d1427ea814129bc93d5b220a81db96e63";

struct Fixed {
    root: TrustedRoot,
    policies: Vec<Policy>,
    artifact: Digest,
    unsigned: Digest,
}

thread_local! {
    static FIXED: Fixed = {
        let key = PublicKey::from_pem(KEY, Path::new("cosign-key.pub")).expect("seed key");
        Fixed {
            root: TrustedRoot::public_good().expect("embedded root"),
            policies: vec![
                Policy::Certificate {
                    identity: IdentityRule::regexp("^https://github.com/").expect("regexp"),
                    issuer: "https://token.actions.githubusercontent.com".into(),
                },
                Policy::Key(key.clone()),
                Policy::KeyWithoutLog(key),
            ],
            artifact: Digest::from_hex(Algorithm::Sha256, ARTIFACT).expect("digest"),
            unsigned: Digest::from_hex(Algorithm::Sha256, &"ab".repeat(32)).expect("digest"),
        }
    };
}

fuzz_target!(|data: &[u8]| {
    if let Ok(bundle) = Bundle::parse(data, Path::new("fuzz.sigstore.json")) {
        let _ = (bundle.version(), bundle.content(), bundle.certificate_der());
        if let Some((payload_type, payload)) = bundle.dsse_payload() {
            let _ = Statement::parse(payload_type, payload);
        }
        FIXED.with(|f| {
            let verifier = Verifier::new(&f.root);
            for policy in &f.policies {
                let _ = verifier.verify(&bundle, &f.artifact, policy);
                let v = verifier.verify(&bundle, &f.unsigned, policy);
                assert!(!v.is_verified(), "a bundle verified for a digest nothing signed: {v:?}");
            }
        });
    }
    if let Ok(root) = TrustedRoot::parse(data, Path::new("trusted_root.json")) {
        let _ = root.origin();
    }
});
