//! cosign 2.x's legacy layout, for users whose verifiers still read it:
//! signatures under the tag `sha256-<hex>.sig`, attestations under
//! `sha256-<hex>.att`, each an image manifest with one layer per signature.
//!
//! * A `.sig` layer is the "simple signing" payload (media type
//!   `application/vnd.dev.cosign.simplesigning.v1+json`): a small JSON
//!   document naming the image's repository and manifest digest. The
//!   signature over it is base64 in the layer annotation
//!   `dev.cosignproject.cosign/signature`; a signing certificate and its
//!   chain (PEM) go in `dev.sigstore.cosign/certificate` and
//!   `dev.sigstore.cosign/chain`, a Rekor bundle in `dev.sigstore.cosign/bundle`.
//! * An `.att` layer is a DSSE envelope (`application/vnd.dsse.envelope.v1+json`)
//!   with the annotation `predicateType` and an empty signature annotation
//!   (the signature is inside the envelope).
//!
//! Adding a signature appends a layer (read-modify-write of the tag), as
//! cosign does; the same layer twice is stored once.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::client::{FetchedManifest, Registry};
use crate::digest::Digest;
use crate::error::{OciError, Result};
use crate::manifest::{self, Descriptor, ImageManifest, Manifest, OCI_CONFIG, OCI_MANIFEST};
use crate::reference::ImageRef;

/// Layer media type of a `.sig` signature payload.
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// Layer media type of an `.att` attestation.
pub const DSSE_ENVELOPE: &str = "application/vnd.dsse.envelope.v1+json";
/// Annotation with the base64 signature (note cosign's older namespace).
pub const ANNOTATION_SIGNATURE: &str = "dev.cosignproject.cosign/signature";
/// Annotation with the PEM signing certificate.
pub const ANNOTATION_CERTIFICATE: &str = "dev.sigstore.cosign/certificate";
/// Annotation with the PEM certificate chain.
pub const ANNOTATION_CHAIN: &str = "dev.sigstore.cosign/chain";
/// Annotation with the Rekor bundle (signed entry timestamp and payload).
pub const ANNOTATION_BUNDLE: &str = "dev.sigstore.cosign/bundle";
/// Annotation with an attestation's predicate type.
pub const ANNOTATION_PREDICATE_TYPE: &str = "predicateType";

/// Which legacy tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CosignKind {
    /// `sha256-<hex>.sig`.
    Signature,
    /// `sha256-<hex>.att`.
    Attestation,
}

impl CosignKind {
    /// The tag for `subject`.
    pub fn tag(self, subject: &Digest) -> String {
        let suffix = match self {
            CosignKind::Signature => "sig",
            CosignKind::Attestation => "att",
        };
        format!("{}.{suffix}", subject.referrers_tag())
    }
}

/// One layer of a legacy `.sig` or `.att` manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignLayer {
    /// Layer media type.
    pub media_type: String,
    /// The payload (simple-signing JSON, or the DSSE envelope).
    pub payload: Vec<u8>,
    /// The layer's annotations.
    pub annotations: BTreeMap<String, String>,
}

impl CosignLayer {
    /// A `.sig` layer: `payload` is the simple-signing JSON the signature
    /// (base64) was made over.
    pub fn signature(
        payload: Vec<u8>,
        signature_base64: &str,
        certificate_pem: Option<&str>,
        chain_pem: Option<&str>,
    ) -> Self {
        let mut annotations = BTreeMap::new();
        annotations.insert(ANNOTATION_SIGNATURE.to_owned(), signature_base64.to_owned());
        if let Some(c) = certificate_pem {
            annotations.insert(ANNOTATION_CERTIFICATE.to_owned(), c.to_owned());
        }
        if let Some(c) = chain_pem {
            annotations.insert(ANNOTATION_CHAIN.to_owned(), c.to_owned());
        }
        Self {
            media_type: SIMPLE_SIGNING.to_owned(),
            payload,
            annotations,
        }
    }

    /// An `.att` layer: a DSSE envelope (JSON) with its predicate type.
    pub fn attestation(envelope: Vec<u8>, predicate_type: &str) -> Self {
        let mut annotations = BTreeMap::new();
        annotations.insert(ANNOTATION_SIGNATURE.to_owned(), String::new());
        annotations.insert(
            ANNOTATION_PREDICATE_TYPE.to_owned(),
            predicate_type.to_owned(),
        );
        Self {
            media_type: DSSE_ENVELOPE.to_owned(),
            payload: envelope,
            annotations,
        }
    }

    /// The base64 signature annotation, if present and not empty.
    pub fn signature_base64(&self) -> Option<&str> {
        self.annotations
            .get(ANNOTATION_SIGNATURE)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
}

#[derive(Serialize)]
struct SimpleSigning<'a> {
    critical: Critical<'a>,
    optional: Option<()>,
}

#[derive(Serialize)]
struct Critical<'a> {
    identity: Identity<'a>,
    image: Image<'a>,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Identity<'a> {
    #[serde(rename = "docker-reference")]
    docker_reference: &'a str,
}

#[derive(Serialize)]
struct Image<'a> {
    #[serde(rename = "docker-manifest-digest")]
    digest: &'a str,
}

/// The simple-signing payload cosign signs for `image`'s repository at
/// `digest`: what a `.sig` signature must be made over.
pub fn simple_signing_payload(image: &ImageRef, digest: &Digest) -> Vec<u8> {
    let repository = image.repository_ref();
    manifest::to_bytes(&SimpleSigning {
        critical: Critical {
            identity: Identity {
                docker_reference: &repository,
            },
            image: Image {
                digest: digest.as_str(),
            },
            kind: "cosign container image signature",
        },
        optional: None,
    })
}

/// The manifest digest a simple-signing payload names, if it is one.
pub fn simple_signing_digest(payload: &[u8]) -> Option<Digest> {
    let value: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let digest = value
        .get("critical")?
        .get("image")?
        .get("docker-manifest-digest")?
        .as_str()?;
    Digest::parse(digest).ok()
}

fn image_config(layers: &[Descriptor]) -> Vec<u8> {
    let diff_ids: Vec<&str> = layers.iter().map(|l| l.digest.as_str()).collect();
    manifest::to_bytes(&serde_json::json!({
        "architecture": "",
        "created": "0001-01-01T00:00:00Z",
        "history": [{"created": "0001-01-01T00:00:00Z"}],
        "os": "",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "config": {}
    }))
}

impl Registry {
    /// Adds `layer` to the legacy tag of `subject`; returns the new digest
    /// of the tag's manifest.
    pub fn attach_cosign(
        &self,
        image: &ImageRef,
        subject: &Digest,
        kind: CosignKind,
        layer: &CosignLayer,
    ) -> Result<Digest> {
        let tag = image.with_tag(&kind.tag(subject));
        let mut layers = match self.manifest_if_exists(&tag)? {
            None => Vec::new(),
            Some(FetchedManifest {
                manifest: Manifest::Image(m),
                ..
            }) => m.layers,
            Some(_) => {
                return Err(OciError::Malformed {
                    reference: tag.to_string(),
                    what: "cosign manifest",
                    reason: "the tag holds an index, not an image manifest".to_owned(),
                });
            }
        };
        let blob = self.put_blob(image, layer.payload.clone())?;
        let descriptor = Descriptor {
            media_type: layer.media_type.clone(),
            annotations: layer.annotations.clone(),
            ..blob
        };
        if !layers.contains(&descriptor) {
            layers.push(descriptor);
        }
        let config = Descriptor {
            media_type: OCI_CONFIG.to_owned(),
            ..self.put_blob(image, image_config(&layers))?
        };
        let manifest = ImageManifest {
            schema_version: 2,
            media_type: Some(OCI_MANIFEST.to_owned()),
            artifact_type: None,
            config,
            layers,
            subject: None,
            annotations: BTreeMap::new(),
        };
        self.put_manifest(&tag, manifest::to_bytes(&manifest), OCI_MANIFEST)
    }

    /// The layers under the legacy tag of `subject` (empty when the tag
    /// does not exist), each payload fetched and digest-checked. A `.sig`
    /// payload that names another manifest digest is refused.
    pub fn cosign_layers(
        &self,
        image: &ImageRef,
        subject: &Digest,
        kind: CosignKind,
    ) -> Result<Vec<CosignLayer>> {
        let tag = image.with_tag(&kind.tag(subject));
        let layers = match self.manifest_if_exists(&tag)? {
            None => return Ok(Vec::new()),
            Some(FetchedManifest {
                manifest: Manifest::Image(m),
                ..
            }) => m.layers,
            Some(_) => {
                return Err(OciError::Malformed {
                    reference: tag.to_string(),
                    what: "cosign manifest",
                    reason: "the tag holds an index, not an image manifest".to_owned(),
                });
            }
        };
        let mut out = Vec::new();
        for layer in layers {
            let payload = self.blob(image, &layer)?;
            if kind == CosignKind::Signature && layer.media_type == SIMPLE_SIGNING {
                let named = simple_signing_digest(&payload);
                if named.as_ref() != Some(subject) {
                    return Err(OciError::SubjectMismatch {
                        reference: tag.to_string(),
                        referrer: layer.digest.clone(),
                        expected: subject.to_string(),
                        actual: named.map_or_else(|| "(none)".to_owned(), |d| d.to_string()),
                    });
                }
            }
            out.push(CosignLayer {
                media_type: layer.media_type,
                payload,
                annotations: layer.annotations,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn simple_signing_payload_is_cosigns_shape() {
        let image = ImageRef::parse("127.0.0.1:5000/demo/app:v1").unwrap();
        let digest = Digest::sha256_of(b"m");
        let payload = simple_signing_payload(&image, &digest);
        let text = String::from_utf8(payload.clone()).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"critical":{{"identity":{{"docker-reference":"127.0.0.1:5000/demo/app"}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"cosign container image signature"}},"optional":null}}"#
            )
        );
        assert_eq!(simple_signing_digest(&payload), Some(digest.clone()));
        assert_eq!(
            CosignKind::Attestation.tag(&digest),
            format!("sha256-{}.att", digest.hex())
        );
    }
}
