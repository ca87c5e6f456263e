//! OCI image manifests, image indexes and descriptors as plain data, and
//! the media types apostille reads and writes.
//!
//! Parsing is strict where it matters for safety (schema version, digests,
//! sizes) and lenient about fields it does not use, so manifests written by
//! other tools (Docker v2 schema 2, cosign) read fine.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::digest::Digest;
use crate::error::{OciError, Result};

/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker image manifest v2 schema 2.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list.
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// The empty JSON config of artifacts (`{}`).
pub const EMPTY_JSON: &str = "application/vnd.oci.empty.v1+json";
/// OCI image config.
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
/// Sigstore bundle v0.3: the artifact type of attached bundles.
pub const SIGSTORE_BUNDLE_V03: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// SPDX JSON: the artifact type of attached SBOMs.
pub const SPDX_JSON: &str = "application/spdx+json";

/// The media types accepted when fetching a manifest of unknown kind.
pub const MANIFEST_TYPES: &[&str] = &[
    OCI_MANIFEST,
    OCI_INDEX,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
];

/// A content descriptor: what a manifest says about another blob or manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// Media type of the content.
    pub media_type: String,
    /// Its digest.
    pub digest: String,
    /// Its size in bytes.
    pub size: u64,
    /// For artifact manifests: the artifact type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// For index entries: the platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

impl Descriptor {
    /// A descriptor of `bytes` with the given media type.
    pub fn of(media_type: &str, bytes: &[u8]) -> Self {
        Self {
            media_type: media_type.to_owned(),
            digest: Digest::sha256_of(bytes).to_string(),
            size: bytes.len() as u64,
            artifact_type: None,
            annotations: BTreeMap::new(),
            platform: None,
        }
    }
}

/// The platform of an index entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    /// e.g. `linux`.
    pub os: String,
    /// e.g. `amd64`.
    pub architecture: String,
    /// e.g. `v8` for arm64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl Platform {
    /// Parses `os/arch[/variant]`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('/');
        let os = parts.next().filter(|s| !s.is_empty())?.to_owned();
        let architecture = parts.next().filter(|s| !s.is_empty())?.to_owned();
        let variant = parts.next().map(str::to_owned);
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            os,
            architecture,
            variant,
        })
    }

    /// Whether an index entry's platform satisfies this request (a request
    /// without a variant matches any variant).
    pub fn matches(&self, entry: &Platform) -> bool {
        self.os == entry.os
            && self.architecture == entry.architecture
            && (self.variant.is_none() || self.variant == entry.variant)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// An image (or artifact) manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    /// Always 2.
    pub schema_version: u32,
    /// The manifest's own media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// For artifacts: what kind of artifact this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// The config blob.
    pub config: Descriptor,
    /// The layers (for artifacts: the attached files).
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    /// For referrers: the manifest this one refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An image index (multi-platform image, or a referrers list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageIndex {
    /// Always 2.
    pub schema_version: u32,
    /// The index's own media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The manifests it lists.
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl ImageIndex {
    /// An empty OCI index.
    pub fn empty() -> Self {
        Self {
            schema_version: 2,
            media_type: Some(OCI_INDEX.to_owned()),
            manifests: Vec::new(),
            annotations: BTreeMap::new(),
        }
    }
}

/// A fetched manifest, either kind. (Few are alive at once, so the size
/// difference between the variants does not matter.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum Manifest {
    /// An image or artifact manifest.
    Image(ImageManifest),
    /// An index.
    Index(ImageIndex),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    schema_version: Option<u32>,
    media_type: Option<String>,
    manifests: Option<serde_json::Value>,
}

impl Manifest {
    /// Parses manifest bytes; `content_type` is the registry's
    /// `Content-Type` when known. Checks the schema version and that every
    /// digest in it is well formed.
    pub fn parse(bytes: &[u8], content_type: Option<&str>, reference: &str) -> Result<Self> {
        let malformed = |reason: String| OciError::Malformed {
            reference: reference.to_owned(),
            what: "manifest",
            reason,
        };
        let probe: Probe = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
        if probe.schema_version != Some(2) {
            return Err(malformed(format!(
                "schemaVersion is {:?}, expected 2",
                probe.schema_version
            )));
        }
        let media_type = probe.media_type.as_deref().or(content_type);
        let is_index = match media_type {
            Some(OCI_INDEX | DOCKER_MANIFEST_LIST) => true,
            Some(OCI_MANIFEST | DOCKER_MANIFEST) => false,
            Some(other) if probe.media_type.is_some() => {
                return Err(malformed(format!("unsupported mediaType {other}")));
            }
            _ => probe.manifests.is_some(),
        };
        let manifest = if is_index {
            let index: ImageIndex =
                serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
            for d in &index.manifests {
                check_descriptor(d, reference)?;
            }
            Manifest::Index(index)
        } else {
            let image: ImageManifest =
                serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
            check_descriptor(&image.config, reference)?;
            for d in image.layers.iter().chain(image.subject.iter()) {
                check_descriptor(d, reference)?;
            }
            Manifest::Image(image)
        };
        Ok(manifest)
    }

    /// The media type to send when pushing it.
    pub fn media_type(&self) -> &str {
        match self {
            Manifest::Image(m) => m.media_type.as_deref().unwrap_or(OCI_MANIFEST),
            Manifest::Index(i) => i.media_type.as_deref().unwrap_or(OCI_INDEX),
        }
    }
}

fn check_descriptor(d: &Descriptor, reference: &str) -> Result<()> {
    Digest::parse(&d.digest).map_err(|_| OciError::Malformed {
        reference: reference.to_owned(),
        what: "manifest",
        reason: format!(
            "descriptor digest {:?} is not a valid digest",
            d.digest.chars().take(140).collect::<String>()
        ),
    })?;
    Ok(())
}

/// Serializes a manifest or index to the bytes that are pushed (compact
/// JSON, fields in declaration order, so the same value always gives the
/// same digest).
pub fn to_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing these plain structs cannot fail: no maps with non-string
    // keys, no custom serializers.
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_schema_and_digests() {
        assert!(Manifest::parse(b"{}", None, "r").is_err());
        assert!(Manifest::parse(b"[1,2]", None, "r").is_err());
        assert!(Manifest::parse(br#"{"schemaVersion":1}"#, None, "r").is_err());
        let bad = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{"mediaType":"a","digest":"sha256:zz","size":2},"layers":[]}"#;
        let err = Manifest::parse(bad, None, "reg/repo@x")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("reg/repo@x") && err.contains("not a valid digest"),
            "{err}"
        );
        let negative = br#"{"schemaVersion":2,"manifests":[{"mediaType":"a","digest":"sha256:00","size":-1}]}"#;
        assert!(Manifest::parse(negative, None, "r").is_err());
    }

    #[test]
    fn platform_strings() {
        let p = Platform::parse("linux/arm64/v8").unwrap();
        assert_eq!(p.to_string(), "linux/arm64/v8");
        assert!(Platform::parse("linux").is_none());
        assert!(Platform::parse("a/b/c/d").is_none());
        assert!(Platform::parse("linux/arm64").unwrap().matches(&p));
    }
}
