//! From what a user typed to the digest an attestation attaches to.

use crate::client::{FetchedManifest, Registry};
use crate::digest::Digest;
use crate::error::{OciError, Result};
use crate::manifest::{Descriptor, Manifest, Platform};
use crate::reference::ImageRef;

/// An image reference resolved to a manifest digest.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The reference as given.
    pub input: ImageRef,
    /// What the reference itself names (tag → this digest).
    pub named: Digest,
    /// For an index: its entries (the per-platform manifests).
    pub platforms: Vec<Descriptor>,
    /// The manifest attestations attach to: the index itself unless a
    /// platform was chosen, else that platform's manifest.
    pub subject: FetchedManifest,
    /// The platform chosen, if any.
    pub platform: Option<Platform>,
}

impl Resolved {
    /// Whether the reference names a multi-platform index.
    pub fn is_index(&self) -> bool {
        !self.platforms.is_empty()
    }

    /// The subject's digest.
    pub fn subject_digest(&self) -> &Digest {
        &self.subject.digest
    }

    /// `IMAGE@sha256:…` of the subject.
    pub fn subject_ref(&self) -> ImageRef {
        self.input.with_digest(&self.subject.digest)
    }

    /// The index's platforms as `os/arch[/variant]`, comma-separated.
    pub fn platform_list(&self) -> String {
        platform_list(&self.platforms)
    }
}

fn platform_list(entries: &[Descriptor]) -> String {
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            e.platform.as_ref().map_or_else(
                || format!("(no platform) {}", e.digest),
                Platform::to_string,
            )
        })
        .collect();
    if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(", ")
    }
}

impl Registry {
    /// Resolves `image` (tag or digest). An index resolves to itself unless
    /// `platform` picks one of its manifests; a platform for a
    /// single-platform manifest is an error, not silently ignored.
    pub fn resolve(&self, image: &ImageRef, platform: Option<&Platform>) -> Result<Resolved> {
        let named = self.manifest(image)?;
        match &named.manifest {
            Manifest::Image(_) => {
                if let Some(p) = platform {
                    return Err(OciError::NotAnIndex {
                        reference: image.to_string(),
                        platform: p.to_string(),
                    });
                }
                Ok(Resolved {
                    input: image.clone(),
                    named: named.digest.clone(),
                    platforms: Vec::new(),
                    subject: named,
                    platform: None,
                })
            }
            Manifest::Index(index) => {
                let platforms = index.manifests.clone();
                let Some(wanted) = platform else {
                    return Ok(Resolved {
                        input: image.clone(),
                        named: named.digest.clone(),
                        platforms,
                        subject: named,
                        platform: None,
                    });
                };
                let entry = platforms
                    .iter()
                    .find(|e| e.platform.as_ref().is_some_and(|p| wanted.matches(p)))
                    .ok_or_else(|| OciError::NoSuchPlatform {
                        reference: image.to_string(),
                        platform: wanted.to_string(),
                        available: platform_list(&platforms),
                    })?
                    .clone();
                let digest = Digest::parse(&entry.digest)?;
                let at = image.with_digest(&digest);
                let chosen = self.manifest(&at)?;
                if !matches!(chosen.manifest, Manifest::Image(_)) {
                    return Err(OciError::Malformed {
                        reference: at.to_string(),
                        what: "image index",
                        reason: "a platform entry names another index".to_owned(),
                    });
                }
                Ok(Resolved {
                    input: image.clone(),
                    named: named.digest.clone(),
                    platforms,
                    subject: chosen,
                    platform: entry.platform,
                })
            }
        }
    }

    /// Pushes a small image: `config` and `layers` as blobs, then the
    /// manifest under `image`'s tag. For tests, benchmarks and demos; real
    /// images come from a build tool.
    pub fn push_image(&self, image: &ImageRef, config: &[u8], layers: &[&[u8]]) -> Result<Digest> {
        let config = Descriptor {
            media_type: crate::manifest::OCI_CONFIG.to_owned(),
            ..self.put_blob(image, config.to_vec())?
        };
        let mut descriptors = Vec::new();
        for layer in layers {
            descriptors.push(Descriptor {
                media_type: "application/vnd.oci.image.layer.v1.tar".to_owned(),
                ..self.put_blob(image, layer.to_vec())?
            });
        }
        let manifest = crate::manifest::ImageManifest {
            schema_version: 2,
            media_type: Some(crate::manifest::OCI_MANIFEST.to_owned()),
            artifact_type: None,
            config,
            layers: descriptors,
            subject: None,
            annotations: Default::default(),
        };
        self.put_manifest(
            image,
            crate::manifest::to_bytes(&manifest),
            crate::manifest::OCI_MANIFEST,
        )
    }

    /// Pushes an index of the given platform manifests under `image`'s tag.
    pub fn push_index(&self, image: &ImageRef, entries: Vec<Descriptor>) -> Result<Digest> {
        let index = crate::manifest::ImageIndex {
            manifests: entries,
            ..crate::manifest::ImageIndex::empty()
        };
        self.put_manifest(
            image,
            crate::manifest::to_bytes(&index),
            crate::manifest::OCI_INDEX,
        )
    }
}
