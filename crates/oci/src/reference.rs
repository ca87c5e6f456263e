//! Image references: `registry[:port]/repository[:tag][@digest]`.

use std::fmt;

use oci_client::Reference;

use crate::digest::Digest;
use crate::error::{OciError, Result};

/// A parsed image reference. Docker Hub short names (`alpine`) are
/// expanded the way docker does (`docker.io/library/alpine:latest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    inner: Reference,
}

impl ImageRef {
    /// Parses a reference; an `oci://` prefix (as `gh attestation` writes
    /// it) is accepted and dropped.
    pub fn parse(text: &str) -> Result<Self> {
        let trimmed = text.strip_prefix("oci://").unwrap_or(text);
        let inner = Reference::try_from(trimmed).map_err(|e| OciError::InvalidReference {
            reference: text.chars().take(300).collect(),
            reason: e.to_string(),
        })?;
        if let Some(d) = inner.digest() {
            Digest::parse(d)?;
        }
        Ok(Self { inner })
    }

    /// The same repository at `digest`.
    pub fn with_digest(&self, digest: &Digest) -> Self {
        Self {
            inner: Reference::with_digest(
                self.inner.registry().to_owned(),
                self.inner.repository().to_owned(),
                digest.to_string(),
            ),
        }
    }

    /// The same repository at `tag`.
    pub fn with_tag(&self, tag: &str) -> Self {
        Self {
            inner: Reference::with_tag(
                self.inner.registry().to_owned(),
                self.inner.repository().to_owned(),
                tag.to_owned(),
            ),
        }
    }

    /// The registry host (with port).
    pub fn registry(&self) -> &str {
        self.inner.resolve_registry()
    }

    /// The repository path.
    pub fn repository(&self) -> &str {
        self.inner.repository()
    }

    /// The tag, if any.
    pub fn tag(&self) -> Option<&str> {
        self.inner.tag()
    }

    /// The digest, if the reference names one.
    pub fn digest(&self) -> Option<Digest> {
        self.inner.digest().and_then(|d| Digest::parse(d).ok())
    }

    /// Whether the registry is on a loopback address (`localhost`,
    /// `127.0.0.0/8`, `[::1]`), where plain HTTP is used.
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(self.registry())
    }

    /// `repository` without the registry, for messages and cosign payloads.
    pub fn repository_ref(&self) -> String {
        format!("{}/{}", self.inner.registry(), self.inner.repository())
    }

    pub(crate) fn as_client(&self) -> &Reference {
        &self.inner
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.whole())
    }
}

/// `host[:port]` on a loopback address.
pub fn is_loopback_host(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        registry.rsplit_once(':').map_or(registry, |(h, _)| h)
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_knows_loopback() {
        let r = ImageRef::parse("127.0.0.1:5000/demo/app:v1").unwrap();
        assert_eq!(r.registry(), "127.0.0.1:5000");
        assert_eq!(r.repository(), "demo/app");
        assert_eq!(r.tag(), Some("v1"));
        assert!(r.is_loopback());
        let d = Digest::sha256_of(b"x");
        assert_eq!(
            r.with_digest(&d).to_string(),
            format!("127.0.0.1:5000/demo/app@{d}")
        );
        assert!(ImageRef::parse("localhost:1/a").unwrap().is_loopback());
        assert!(is_loopback_host("[::1]:5000"));
        assert!(!ImageRef::parse("ghcr.io/a/b").unwrap().is_loopback());
        assert!(
            !ImageRef::parse("127.0.0.1.example.org/a")
                .unwrap()
                .is_loopback()
        );
        assert!(ImageRef::parse("ghcr.io/a@sha256:00").is_err());
        assert!(ImageRef::parse("UPPER/Case").is_err());
    }
}
