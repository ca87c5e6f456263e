//! Any bytes as a manifest fetched from an OCI registry, under each
//! `Content-Type` a registry may send: image manifest or index (OCI and
//! Docker), digests checked; then what `Registry::referrers` and
//! `Registry::cosign_layers` take from it (referrer digests, the subject,
//! the cosign simple-signing payload). A manifest that parses serializes
//! to bytes that parse again to the same value. None may panic.

#![no_main]

use apostille_oci::cosign::simple_signing_digest;
use apostille_oci::manifest::{DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, Manifest, OCI_INDEX, OCI_MANIFEST, to_bytes};
use apostille_oci::{Digest, ImageRef, Platform};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = simple_signing_digest(data);
    let reference = "registry.example/app@sha256:0000";
    for content_type in [None, Some(OCI_MANIFEST), Some(OCI_INDEX), Some(DOCKER_MANIFEST), Some(DOCKER_MANIFEST_LIST)] {
        let Ok(manifest) = Manifest::parse(data, content_type, reference) else {
            continue;
        };
        let _ = manifest.media_type();
        let again = match &manifest {
            Manifest::Index(index) => {
                for entry in &index.manifests {
                    assert!(Digest::parse(&entry.digest).is_ok(), "{:?}", entry.digest);
                    if let Some(p) = &entry.platform {
                        let _ = Platform::parse(&p.to_string()).map(|q| q.matches(p));
                    }
                }
                Manifest::parse(&to_bytes(index), content_type, reference)
            }
            Manifest::Image(image) => {
                for layer in &image.layers {
                    let _ = layer.annotations.get("dev.cosignproject.cosign/signature");
                }
                if let Some(s) = &image.subject {
                    assert!(Digest::parse(&s.digest).is_ok(), "{:?}", s.digest);
                }
                Manifest::parse(&to_bytes(image), content_type, reference)
            }
        };
        match again {
            Ok(m) => assert_eq!(m, manifest),
            Err(e) => panic!("a parsed manifest does not parse again: {e}"),
        }
    }
    if let Ok(text) = std::str::from_utf8(data)
        && text.len() < 512
    {
        let _ = ImageRef::parse(text).map(|r| (r.digest(), r.repository_ref()));
        let _ = Platform::parse(text);
        let _ = Digest::parse(text);
    }
});
