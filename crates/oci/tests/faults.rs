//! What a real registry will not do on demand, from the in-test stub
//! registry (`stub/`): errors, hangs, oversized and mismatched content,
//! referrers pointing elsewhere; and the two paths Debian's registry
//! cannot exercise: the OCI 1.1 referrers API and the bearer-token flow.

#![allow(clippy::unwrap_used)]

mod stub;

use std::time::{Duration, Instant};

use apostille_oci::manifest::SIGSTORE_BUNDLE_V03;
use apostille_oci::{
    Attachment, Credentials, Digest, ImageRef, OciError, ReferrersScheme, Registry, RegistryOptions,
};
use stub::{Options, Request, Response, Stub, sha256};

const PLAIN: Options = Options {
    referrers_api: false,
    bearer: None,
};

fn client(stub: &Stub, reference: &str, options: RegistryOptions) -> (Registry, ImageRef) {
    let image = ImageRef::parse(&format!("{}/{reference}", stub.host)).unwrap();
    (Registry::for_image(&image, options).unwrap(), image)
}

fn short() -> RegistryOptions {
    RegistryOptions {
        request_timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(2),
        ..RegistryOptions::default()
    }
}

fn image_manifest(stub: &Stub) -> Vec<u8> {
    let config = stub.put_blob(b"{}");
    let layer = stub.put_blob(b"layer");
    format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config}","size":2}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{layer}","size":5}}]}}"#
    )
    .into_bytes()
}

#[test]
fn server_error_names_the_reference() {
    let stub = Stub::start(PLAIN, |r: &Request| {
        r.path
            .contains("/manifests/")
            .then(|| Response::json(500, b"backend on fire"))
    });
    let (registry, image) = client(&stub, "app:v1", short());
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(matches!(err, OciError::Registry { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("app:v1") && text.contains("500"), "{text}");
}

#[test]
fn unauthorized_is_denied_not_a_crash() {
    let stub = Stub::start(PLAIN, |r: &Request| {
        r.path
            .contains("/manifests/")
            .then(|| Response::json(401, b""))
    });
    let (registry, image) = client(&stub, "app:v1", short());
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(matches!(err, OciError::Denied { .. }), "{err:?}");
    assert!(err.to_string().contains("app:v1"), "{err}");
}

#[test]
fn a_hanging_registry_times_out() {
    let stub = Stub::start(PLAIN, |r: &Request| {
        r.path.contains("/manifests/").then(Response::hang)
    });
    let (registry, image) = client(&stub, "app:v1", short());
    let start = Instant::now();
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(matches!(err, OciError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("app:v1"), "{err}");
}

#[test]
fn nobody_listening_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let image = ImageRef::parse(&format!("127.0.0.1:{port}/app:v1")).unwrap();
    let registry = Registry::for_image(&image, short()).unwrap();
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(matches!(err, OciError::Transport { .. }), "{err:?}");
}

#[test]
fn an_enormous_manifest_is_refused() {
    let stub = Stub::start(PLAIN, |_| None);
    let mut huge = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","annotations":{"x":""#.to_vec();
    huge.extend(std::iter::repeat_n(b'a', 5 << 20));
    huge.extend(br#""}}"#);
    stub.put_manifest("v1", "application/vnd.oci.image.manifest.v1+json", &huge);
    let (registry, image) = client(&stub, "app:v1", short());
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(
        matches!(
            err,
            OciError::TooLarge {
                what: "manifest",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn malformed_manifests_are_refused() {
    let stub = Stub::start(PLAIN, |_| None);
    for (tag, body) in [
        ("notjson", &b"<html>hello</html>"[..]),
        ("schema1", br#"{"schemaVersion":1,"name":"x"}"#),
        ("baddigest", br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"x","digest":"sha256:../../etc/passwd","size":1}]}"#),
    ] {
        stub.put_manifest(tag, "application/vnd.oci.image.manifest.v1+json", body);
        let (registry, image) = client(&stub, &format!("app:{tag}"), short());
        let err = registry.resolve(&image, None).unwrap_err();
        assert!(matches!(err, OciError::Malformed { .. }), "{tag}: {err:?}");
        assert!(err.to_string().contains(&format!("app:{tag}")), "{err}");
    }
}

#[test]
fn content_that_is_not_the_digest_asked_for_is_refused() {
    let stub = Stub::start(PLAIN, |_| None);
    let real = image_manifest(&stub);
    let claimed = Digest::sha256_of(b"something else");
    // The registry serves other bytes under the digest (and an honest header).
    stub.put_manifest(
        claimed.as_str(),
        "application/vnd.oci.image.manifest.v1+json",
        &real,
    );
    let (registry, image) = client(&stub, &format!("app@{claimed}"), short());
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(matches!(err, OciError::DigestMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains(claimed.as_str()), "{err}");
}

#[test]
fn a_referrer_with_another_subject_is_refused() {
    let stub = Stub::start(
        Options {
            referrers_api: true,
            bearer: None,
        },
        |_| None,
    );
    let manifest = image_manifest(&stub);
    stub.put_manifest(
        "v1",
        "application/vnd.oci.image.manifest.v1+json",
        &manifest,
    );
    let subject = Digest::parse(&sha256(&manifest)).unwrap();
    let (registry, image) = client(&stub, "app:v1", short());
    // A referrer made for another image, listed (by a confused or hostile
    // registry) under ours.
    let other = Digest::sha256_of(b"other image");
    let bundle = stub.put_blob(b"{}");
    let empty = stub.put_blob(b"{}");
    let referrer = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"{SIGSTORE_BUNDLE_V03}","config":{{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{empty}","size":2}},"layers":[{{"mediaType":"{SIGSTORE_BUNDLE_V03}","digest":"{bundle}","size":2}}],"subject":{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{other}","size":10}}}}"#
    );
    let referrer_digest = Digest::parse(&sha256(referrer.as_bytes())).unwrap();
    stub.put_manifest(
        referrer_digest.as_str(),
        "application/vnd.oci.image.manifest.v1+json",
        referrer.as_bytes(),
    );
    let err = registry
        .fetch_referrer(&image, &subject, &referrer_digest)
        .unwrap_err();
    assert!(matches!(err, OciError::SubjectMismatch { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(other.as_str()) && text.contains(subject.as_str()),
        "{text}"
    );
}

#[test]
fn referrers_api_path_attaches_without_a_tag() {
    let stub = Stub::start(
        Options {
            referrers_api: true,
            bearer: None,
        },
        |_| None,
    );
    let manifest = image_manifest(&stub);
    stub.put_manifest(
        "v1",
        "application/vnd.oci.image.manifest.v1+json",
        &manifest,
    );
    let (registry, image) = client(&stub, "app:v1", short());
    let resolved = registry.resolve(&image, None).unwrap();
    let attachment = Attachment::sigstore_bundle(b"{\"bundle\":1}".to_vec());
    let attached = registry
        .attach(&image, &resolved.subject.descriptor(), &attachment)
        .unwrap();
    assert_eq!(attached.scheme, ReferrersScheme::Api);
    let tag = resolved.subject_digest().referrers_tag();
    assert!(
        !stub
            .log()
            .iter()
            .any(|l| l.starts_with("PUT") && l.ends_with(&tag)),
        "no fallback tag with the API: {:?}",
        stub.log()
    );
    let (list, scheme) = registry
        .referrers(&image, resolved.subject_digest(), Some(SIGSTORE_BUNDLE_V03))
        .unwrap();
    assert_eq!(scheme, ReferrersScheme::Api);
    assert_eq!(list.len(), 1);
    let fetched = registry
        .fetch_referrer(&image, resolved.subject_digest(), &list[0].digest)
        .unwrap();
    assert_eq!(fetched.attachment, attachment);
    registry
        .detach(&image, resolved.subject_digest(), &attached.referrer)
        .unwrap();
    let (list, _) = registry
        .referrers(&image, resolved.subject_digest(), None)
        .unwrap();
    assert!(list.is_empty());
}

#[test]
fn bearer_token_flow_with_basic_credentials() {
    let stub = Stub::start(
        Options {
            referrers_api: false,
            bearer: Some(("alice".into(), "s3cret".into())),
        },
        |_| None,
    );
    let manifest = image_manifest(&stub);
    stub.put_manifest(
        "v1",
        "application/vnd.oci.image.manifest.v1+json",
        &manifest,
    );
    let good = RegistryOptions {
        credentials: Credentials::Basic {
            username: "alice".into(),
            password: "s3cret".into(),
        },
        ..short()
    };
    let (registry, image) = client(&stub, "app:v1", good);
    let resolved = registry.resolve(&image, None).unwrap();
    let attached = registry
        .attach(
            &image,
            &resolved.subject.descriptor(),
            &Attachment::spdx_json(b"{}".to_vec()),
        )
        .unwrap();
    assert_eq!(attached.scheme, ReferrersScheme::TagFallback);
    assert!(
        stub.log().iter().any(|l| l == "GET /token"),
        "{:?}",
        stub.log()
    );

    let bad = RegistryOptions {
        credentials: Credentials::Basic {
            username: "alice".into(),
            password: "wrong".into(),
        },
        ..short()
    };
    let (registry, image) = client(&stub, "app:v1", bad);
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(matches!(err, OciError::Denied { .. }), "{err:?}");
    let (registry, image) = client(&stub, "app:v1", short());
    let err = registry.resolve(&image, None).unwrap_err();
    assert!(matches!(err, OciError::Denied { .. }), "{err:?}");
}

/// A manifest whose body the registry sends only half of: `how` after it.
fn half_a_manifest(how: stub::Cut) -> (Stub, Duration, OciError) {
    let stub = Stub::start(PLAIN, move |r: &Request| {
        r.path.contains("/manifests/").then(|| {
            let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#;
            Response::json(200, body)
                .header(
                    "Content-Type",
                    "application/vnd.oci.image.manifest.v1+json",
                )
                .cut(body.len() / 2, how)
        })
    });
    let (registry, image) = client(&stub, "app:v1", short());
    let start = Instant::now();
    let err = registry.resolve(&image, None).unwrap_err();
    (stub, start.elapsed(), err)
}

#[test]
fn a_registry_that_stalls_mid_body_times_out() {
    let (_stub, took, err) = half_a_manifest(stub::Cut::Stall);
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(matches!(err, OciError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("app:v1"), "{err}");
}

#[test]
fn a_registry_that_hangs_up_mid_body_is_an_error_not_half_a_manifest() {
    let (_stub, took, err) = half_a_manifest(stub::Cut::HangUp);
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(
        matches!(err, OciError::Transport { .. } | OciError::Timeout { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("app:v1"), "{err}");
}
