//! Any bytes as the DSSE payload of an attestation: the in-toto statement
//! reader (v1 and v0.1), the SLSA provenance facts (v1 and v0.2), and the
//! attestation policy of `apostille verify --source-uri/--source-tag/
//! --builder-id`, judged for each SHA-256 subject of the statement; also
//! the Fulcio certificate claim reader on the same bytes. None may panic.

#![no_main]

use apostille_digest::{Algorithm, Digest};
use apostille_verify::provenance::{
    AttestationPolicy, CertificateClaims, IN_TOTO_PAYLOAD_TYPE, Provenance, SLSA_V1, SourceRef, Statement,
    normalize_source,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = CertificateClaims::from_der(data);
    let Ok(statement) = Statement::parse(IN_TOTO_PAYLOAD_TYPE, data) else {
        return;
    };
    assert!(!statement.subjects.is_empty());
    let provenance = Provenance::of(&statement);
    let claims = CertificateClaims {
        source_uri: Some(normalize_source("https://github.com/apostille-dev/apostille")),
        source_commit: None,
        source_ref: Some("refs/tags/v1.0".into()),
        build_signer: None,
    };
    let strict = AttestationPolicy {
        predicate_type: Some(SLSA_V1.into()),
        source_uri: Some("github.com/apostille-dev/apostille".into()),
        source_ref: Some(SourceRef::Tag("v1.0".into())),
        builder_id: Some("https://github.com/actions/runner/github-hosted".into()),
    };
    let lenient = AttestationPolicy::default();
    let digests: Vec<Digest> = statement
        .subjects
        .iter()
        .take(8)
        .filter_map(|s| s.digest.get("sha256"))
        .filter_map(|h| Digest::from_hex(Algorithm::Sha256, h))
        .collect();
    for d in &digests {
        assert!(statement.subject_for(d).is_some());
        let ok = lenient.check(&statement, std::slice::from_ref(d), None);
        let _ = strict.check(&statement, std::slice::from_ref(d), None);
        let _ = strict.check(&statement, std::slice::from_ref(d), Some(&claims));
        if let Ok(attested) = ok {
            assert_eq!(attested.predicate_type, statement.predicate_type);
        }
    }
    if let Some(p) = provenance {
        let _ = format!("{p:?}");
    }
});
