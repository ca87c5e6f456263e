//! Attestations as OCI 1.1 referrers: an artifact manifest whose `subject`
//! is the image, found through the registry's referrers API or, on
//! registries without one, through the referrers tag scheme (an image index
//! tagged `sha256-<hex>` that clients keep up to date, read-modify-write).

use std::collections::BTreeMap;

use crate::client::{FetchedManifest, Registry};
use crate::digest::Digest;
use crate::error::{OciError, Result};
use crate::manifest::{
    self, Descriptor, EMPTY_JSON, ImageIndex, ImageManifest, Manifest, OCI_INDEX, OCI_MANIFEST,
    SIGSTORE_BUNDLE_V03, SPDX_JSON,
};
use crate::reference::ImageRef;

/// Bytes to attach to an image, with what they are. The bytes are opaque
/// here: whether a bundle verifies is for the caller to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The referrer manifest's `artifactType`.
    pub artifact_type: String,
    /// The media type of the one layer that carries the bytes.
    pub media_type: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// Annotations on the referrer manifest (and its index entry).
    pub annotations: BTreeMap<String, String>,
}

impl Attachment {
    /// A Sigstore bundle v0.3 (message signature or DSSE attestation).
    pub fn sigstore_bundle(bytes: Vec<u8>) -> Self {
        Self {
            artifact_type: SIGSTORE_BUNDLE_V03.to_owned(),
            media_type: SIGSTORE_BUNDLE_V03.to_owned(),
            bytes,
            annotations: BTreeMap::new(),
        }
    }

    /// An SPDX 2.3 JSON document.
    pub fn spdx_json(bytes: Vec<u8>) -> Self {
        Self {
            artifact_type: SPDX_JSON.to_owned(),
            media_type: SPDX_JSON.to_owned(),
            bytes,
            annotations: BTreeMap::new(),
        }
    }
}

/// How the registry keeps referrers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferrersScheme {
    /// The OCI 1.1 referrers API (`/v2/<name>/referrers/<digest>`).
    Api,
    /// The `sha256-<hex>` index tag, for registries without the API.
    TagFallback,
}

impl std::fmt::Display for ReferrersScheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReferrersScheme::Api => "referrers API",
            ReferrersScheme::TagFallback => "referrers tag scheme",
        })
    }
}

/// What [`Registry::attach`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    /// The referrer manifest's digest.
    pub referrer: Digest,
    /// The image it refers to.
    pub subject: Digest,
    /// Where the registry keeps the link.
    pub scheme: ReferrersScheme,
}

/// One entry of a referrers listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    /// The referrer manifest's digest.
    pub digest: Digest,
    /// Its artifact type, as the listing says.
    pub artifact_type: Option<String>,
    /// Its annotations, as the listing says.
    pub annotations: BTreeMap<String, String>,
}

/// A referrer with its content, fetched and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedAttachment {
    /// The referrer manifest's digest.
    pub referrer: Digest,
    /// The attachment.
    pub attachment: Attachment,
}

const RACE_RETRIES: usize = 3;

impl Registry {
    /// Attaches `attachment` to the manifest `subject` (in `image`'s
    /// repository) as an OCI 1.1 referrer. With the referrers API the push
    /// is all; without it the `sha256-<hex>` index tag is updated too, and
    /// read back to make sure a concurrent writer did not drop the entry.
    pub fn attach(
        &self,
        image: &ImageRef,
        subject: &Descriptor,
        attachment: &Attachment,
    ) -> Result<Attached> {
        let subject_digest = Digest::parse(&subject.digest)?;
        let config = self.put_blob(image, b"{}".to_vec())?;
        let layer = self.put_blob(image, attachment.bytes.clone())?;
        let manifest = ImageManifest {
            schema_version: 2,
            media_type: Some(OCI_MANIFEST.to_owned()),
            artifact_type: Some(attachment.artifact_type.clone()),
            config: Descriptor {
                media_type: EMPTY_JSON.to_owned(),
                ..config
            },
            layers: vec![Descriptor {
                media_type: attachment.media_type.clone(),
                ..layer
            }],
            subject: Some(Descriptor {
                media_type: subject.media_type.clone(),
                digest: subject.digest.clone(),
                size: subject.size,
                artifact_type: None,
                annotations: BTreeMap::new(),
                platform: None,
            }),
            annotations: attachment.annotations.clone(),
        };
        let bytes = manifest::to_bytes(&manifest);
        let size = bytes.len() as u64;
        let referrer = Digest::sha256_of(&bytes);
        let scheme = match self.referrers_api(image, &subject_digest)? {
            Some(_) => ReferrersScheme::Api,
            None => ReferrersScheme::TagFallback,
        };
        self.put_manifest(&image.with_digest(&referrer), bytes, OCI_MANIFEST)?;
        if scheme == ReferrersScheme::TagFallback {
            let entry = Descriptor {
                media_type: OCI_MANIFEST.to_owned(),
                digest: referrer.to_string(),
                size,
                artifact_type: Some(attachment.artifact_type.clone()),
                annotations: attachment.annotations.clone(),
                platform: None,
            };
            self.update_fallback_index(image, &subject_digest, |index| {
                if index.manifests.iter().any(|m| m.digest == entry.digest) {
                    false
                } else {
                    index.manifests.push(entry.clone());
                    true
                }
            })?;
            let listed = self.fallback_index(image, &subject_digest)?;
            if !listed
                .manifests
                .iter()
                .any(|m| m.digest == referrer.as_str())
            {
                return Err(OciError::Registry {
                    reference: image.with_tag(&subject_digest.referrers_tag()).to_string(),
                    detail: "the referrers index kept losing our entry to concurrent writers"
                        .to_owned(),
                });
            }
        }
        Ok(Attached {
            referrer,
            subject: subject_digest,
            scheme,
        })
    }

    /// Lists the referrers of `subject`, optionally only those of one
    /// artifact type (filtered here too: registries may ignore the filter).
    pub fn referrers(
        &self,
        image: &ImageRef,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<(Vec<Referrer>, ReferrersScheme)> {
        let name = format!("{}@{subject}", image.repository_ref());
        let (index, scheme) = match self.referrers_api(image, subject)? {
            Some(bytes) => match Manifest::parse(&bytes, Some(OCI_INDEX), &name)? {
                Manifest::Index(i) => (i, ReferrersScheme::Api),
                Manifest::Image(_) => {
                    return Err(OciError::Malformed {
                        reference: name,
                        what: "referrers listing",
                        reason: "an image manifest, not an index".to_owned(),
                    });
                }
            },
            None => (
                self.fallback_index(image, subject)?,
                ReferrersScheme::TagFallback,
            ),
        };
        let mut out = Vec::new();
        for entry in index.manifests {
            if artifact_type.is_some_and(|t| entry.artifact_type.as_deref() != Some(t)) {
                continue;
            }
            out.push(Referrer {
                digest: Digest::parse(&entry.digest)?,
                artifact_type: entry.artifact_type,
                annotations: entry.annotations,
            });
        }
        Ok((out, scheme))
    }

    /// Fetches one referrer of `subject` and its content. Refuses a
    /// referrer whose `subject` is another digest, and content whose
    /// digest or size differs from its descriptor.
    pub fn fetch_referrer(
        &self,
        image: &ImageRef,
        subject: &Digest,
        referrer: &Digest,
    ) -> Result<FetchedAttachment> {
        let at = image.with_digest(referrer);
        let fetched = self.manifest(&at)?;
        let Manifest::Image(m) = fetched.manifest else {
            return Err(OciError::Malformed {
                reference: at.to_string(),
                what: "referrer",
                reason: "an image index, not an artifact manifest".to_owned(),
            });
        };
        let named = m.subject.as_ref().map(|s| s.digest.as_str());
        if named != Some(subject.as_str()) {
            return Err(OciError::SubjectMismatch {
                reference: image.with_digest(subject).to_string(),
                referrer: referrer.to_string(),
                expected: subject.to_string(),
                actual: named.unwrap_or("(none)").to_owned(),
            });
        }
        let [layer] = m.layers.as_slice() else {
            return Err(OciError::Malformed {
                reference: at.to_string(),
                what: "referrer",
                reason: format!("{} layers, expected one", m.layers.len()),
            });
        };
        let bytes = self.blob(image, layer)?;
        let artifact_type = m
            .artifact_type
            .clone()
            .unwrap_or_else(|| m.config.media_type.clone());
        Ok(FetchedAttachment {
            referrer: referrer.clone(),
            attachment: Attachment {
                artifact_type,
                media_type: layer.media_type.clone(),
                bytes,
                annotations: m.annotations,
            },
        })
    }

    /// Removes the referrer `referrer` of `subject`: drops it from the
    /// fallback index (when the registry uses one) and deletes its manifest.
    pub fn detach(&self, image: &ImageRef, subject: &Digest, referrer: &Digest) -> Result<()> {
        if self.referrers_api(image, subject)?.is_none() {
            self.update_fallback_index(image, subject, |index| {
                let before = index.manifests.len();
                index.manifests.retain(|m| m.digest != referrer.as_str());
                index.manifests.len() != before
            })?;
        }
        match self.delete_manifest(image, referrer) {
            Ok(()) | Err(OciError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The `sha256-<hex>` index, or an empty one when the tag does not exist.
    pub fn fallback_index(&self, image: &ImageRef, subject: &Digest) -> Result<ImageIndex> {
        let tag = image.with_tag(&subject.referrers_tag());
        match self.manifest_if_exists(&tag)? {
            None => Ok(ImageIndex::empty()),
            Some(FetchedManifest {
                manifest: Manifest::Index(i),
                ..
            }) => Ok(i),
            Some(_) => Err(OciError::Malformed {
                reference: tag.to_string(),
                what: "referrers index",
                reason: "the tag holds an image manifest, not an index".to_owned(),
            }),
        }
    }

    /// Read-modify-write of the fallback index. `change` returns whether it
    /// changed anything; an unchanged index is not pushed again.
    fn update_fallback_index(
        &self,
        image: &ImageRef,
        subject: &Digest,
        mut change: impl FnMut(&mut ImageIndex) -> bool,
    ) -> Result<()> {
        let tag = image.with_tag(&subject.referrers_tag());
        for _ in 0..RACE_RETRIES {
            let mut index = self.fallback_index(image, subject)?;
            if !change(&mut index) {
                return Ok(());
            }
            index.media_type = Some(OCI_INDEX.to_owned());
            self.put_manifest(&tag, manifest::to_bytes(&index), OCI_INDEX)?;
            let mut check = self.fallback_index(image, subject)?;
            if !change(&mut check) {
                return Ok(());
            }
        }
        Err(OciError::Registry {
            reference: tag.to_string(),
            detail: "the referrers index kept changing under concurrent writers".to_owned(),
        })
    }
}
