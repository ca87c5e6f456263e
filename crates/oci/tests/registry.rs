//! Against a real registry: Debian's `docker-registry` (distribution 2.8)
//! on a loopback port. It has no referrers API, so everything here goes
//! through the `sha256-<hex>` tag fallback.

#![allow(clippy::unwrap_used)]

use apostille_oci::manifest::{SIGSTORE_BUNDLE_V03, SPDX_JSON};
use apostille_oci::testing::LocalRegistry;
use apostille_oci::{
    Attachment, Digest, ImageRef, OciError, Platform, ReferrersScheme, Registry, RegistryOptions,
};

fn setup(repo: &str) -> Option<(LocalRegistry, Registry, ImageRef)> {
    let local = LocalRegistry::start_or_skip(None)?;
    let image = ImageRef::parse(&format!("{}/{repo}:v1", local.host())).unwrap();
    let registry = Registry::for_image(&image, RegistryOptions::default()).unwrap();
    Some((local, registry, image))
}

#[test]
fn push_resolve_attach_list_fetch_detach() {
    let Some((_local, registry, image)) = setup("demo/app") else {
        return;
    };
    let pushed = registry
        .push_image(
            &image,
            br#"{"architecture":"amd64","os":"linux"}"#,
            &[b"layer one"],
        )
        .unwrap();
    let resolved = registry.resolve(&image, None).unwrap();
    assert_eq!(resolved.subject_digest(), &pushed);
    assert!(!resolved.is_index());
    assert_eq!(Digest::sha256_of(&resolved.subject.bytes), pushed);

    let subject = resolved.subject.descriptor();
    let bundle = Attachment::sigstore_bundle(br#"{"mediaType":"bundle one"}"#.to_vec());
    let sbom = Attachment::spdx_json(br#"{"spdxVersion":"SPDX-2.3"}"#.to_vec());
    let a = registry.attach(&image, &subject, &bundle).unwrap();
    let b = registry.attach(&image, &subject, &sbom).unwrap();
    assert_eq!(a.scheme, ReferrersScheme::TagFallback);
    assert_eq!(a.subject, pushed);
    // Attaching the same bytes again is idempotent.
    assert_eq!(registry.attach(&image, &subject, &bundle).unwrap(), a);

    let (all, scheme) = registry.referrers(&image, &pushed, None).unwrap();
    assert_eq!(scheme, ReferrersScheme::TagFallback);
    assert_eq!(all.len(), 2, "{all:?}");
    let (bundles, _) = registry
        .referrers(&image, &pushed, Some(SIGSTORE_BUNDLE_V03))
        .unwrap();
    assert_eq!(bundles.len(), 1);
    assert_eq!(bundles[0].digest, a.referrer);
    let (sboms, _) = registry
        .referrers(&image, &pushed, Some(SPDX_JSON))
        .unwrap();
    assert_eq!(sboms[0].digest, b.referrer);

    let fetched = registry
        .fetch_referrer(&image, &pushed, &a.referrer)
        .unwrap();
    assert_eq!(fetched.attachment, bundle);
    let fetched = registry
        .fetch_referrer(&image, &pushed, &b.referrer)
        .unwrap();
    assert_eq!(fetched.attachment.bytes, sbom.bytes);

    registry.detach(&image, &pushed, &a.referrer).unwrap();
    let (left, _) = registry.referrers(&image, &pushed, None).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].digest, b.referrer);
    let err = registry
        .fetch_referrer(&image, &pushed, &a.referrer)
        .unwrap_err();
    assert!(matches!(err, OciError::NotFound { .. }), "{err}");
}

#[test]
fn multi_platform_index_resolves_per_platform() {
    let Some((_local, registry, image)) = setup("demo/multi") else {
        return;
    };
    let amd = registry
        .push_image(
            &image.with_tag("amd64"),
            br#"{"os":"linux","architecture":"amd64"}"#,
            &[b"a"],
        )
        .unwrap();
    let arm = registry
        .push_image(
            &image.with_tag("arm64"),
            br#"{"os":"linux","architecture":"arm64"}"#,
            &[b"b"],
        )
        .unwrap();
    let entry = |d: &Digest, p: &str| {
        let m = registry.manifest(&image.with_digest(d)).unwrap();
        let mut desc = m.descriptor();
        desc.platform = Platform::parse(p);
        desc
    };
    let entries = vec![entry(&amd, "linux/amd64"), entry(&arm, "linux/arm64/v8")];
    let index = registry.push_index(&image, entries).unwrap();

    let whole = registry.resolve(&image, None).unwrap();
    assert!(whole.is_index());
    assert_eq!(whole.subject_digest(), &index);
    assert_eq!(whole.platform_list(), "linux/amd64, linux/arm64/v8");

    let one = registry
        .resolve(&image, Platform::parse("linux/arm64").as_ref())
        .unwrap();
    assert_eq!(one.subject_digest(), &arm);
    assert_eq!(one.named, index);

    let err = registry
        .resolve(&image, Platform::parse("windows/amd64").as_ref())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("windows/amd64") && err.contains("linux/arm64/v8"),
        "{err}"
    );
    let err = registry
        .resolve(
            &image.with_tag("amd64"),
            Platform::parse("linux/amd64").as_ref(),
        )
        .unwrap_err();
    assert!(matches!(err, OciError::NotAnIndex { .. }), "{err}");
}

#[test]
fn missing_tag_and_wrong_digest_name_the_reference() {
    let Some((_local, registry, image)) = setup("demo/missing") else {
        return;
    };
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(matches!(err, OciError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("demo/missing:v1"), "{err}");
    let nothing = Digest::sha256_of(b"nothing");
    let (list, _) = registry.referrers(&image, &nothing, None).unwrap();
    assert!(list.is_empty());
}

#[test]
fn legacy_cosign_tags_append_and_read_back() {
    use apostille_oci::cosign::{self, CosignKind, CosignLayer};
    let Some((_local, registry, image)) = setup("demo/legacy") else {
        return;
    };
    let subject = registry.push_image(&image, b"{}", &[b"l"]).unwrap();
    let payload = cosign::simple_signing_payload(&image, &subject);
    let one = CosignLayer::signature(payload.clone(), "c2lnMQ==", None, None);
    let two = CosignLayer::signature(
        payload,
        "c2lnMg==",
        Some("-----BEGIN CERTIFICATE-----"),
        None,
    );
    registry
        .attach_cosign(&image, &subject, CosignKind::Signature, &one)
        .unwrap();
    registry
        .attach_cosign(&image, &subject, CosignKind::Signature, &two)
        .unwrap();
    registry
        .attach_cosign(&image, &subject, CosignKind::Signature, &two)
        .unwrap();
    let sigs = registry
        .cosign_layers(&image, &subject, CosignKind::Signature)
        .unwrap();
    assert_eq!(sigs, vec![one, two]);

    let att = CosignLayer::attestation(
        br#"{"payloadType":"x"}"#.to_vec(),
        "https://slsa.dev/provenance/v1",
    );
    registry
        .attach_cosign(&image, &subject, CosignKind::Attestation, &att)
        .unwrap();
    let atts = registry
        .cosign_layers(&image, &subject, CosignKind::Attestation)
        .unwrap();
    assert_eq!(atts, vec![att]);
    assert!(atts[0].signature_base64().is_none());

    // A .sig payload naming another image is refused.
    let other = Digest::sha256_of(b"other");
    let wrong = CosignLayer::signature(
        cosign::simple_signing_payload(&image, &other),
        "eA==",
        None,
        None,
    );
    registry
        .attach_cosign(&image, &subject, CosignKind::Signature, &wrong)
        .unwrap();
    let err = registry
        .cosign_layers(&image, &subject, CosignKind::Signature)
        .unwrap_err();
    assert!(matches!(err, OciError::SubjectMismatch { .. }), "{err}");
}

/// A bcrypt hash of `PASSWORD`, made for these tests only.
pub const HTPASSWD: &str = "alice:$2b$05$CzNht6afXV6A.gBM.1FFru7JHJb7lBdTbBu9pfMzy37.7bRL2eAyq";
const PASSWORD: &str = "apostille-test-password";

#[test]
fn basic_auth_against_htpasswd() {
    use apostille_oci::Credentials;
    let Some(local) = LocalRegistry::start_or_skip(Some(HTPASSWD)) else {
        return;
    };
    let image = ImageRef::parse(&format!("{}/demo/private:v1", local.host())).unwrap();
    let with = |credentials| {
        Registry::for_image(
            &image,
            RegistryOptions {
                credentials,
                ..RegistryOptions::default()
            },
        )
        .unwrap()
    };
    let alice = with(Credentials::Basic {
        username: "alice".into(),
        password: PASSWORD.into(),
    });
    let pushed = alice.push_image(&image, b"{}", &[b"secret layer"]).unwrap();
    let attached = alice
        .attach(
            &image,
            &alice.resolve(&image, None).unwrap().subject.descriptor(),
            &Attachment::spdx_json(b"{}".to_vec()),
        )
        .unwrap();
    assert_eq!(attached.subject, pushed);

    let err = with(Credentials::Anonymous)
        .resolve(&image, None)
        .unwrap_err();
    assert!(matches!(err, OciError::Denied { .. }), "{err:?}");
    assert!(err.to_string().contains("demo/private:v1"), "{err}");
    let err = with(Credentials::Basic {
        username: "alice".into(),
        password: "wrong".into(),
    })
    .resolve(&image, None)
    .unwrap_err();
    assert!(matches!(err, OciError::Denied { .. }), "{err:?}");
}
