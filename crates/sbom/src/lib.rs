//! SPDX software bills of materials for apostille: what a release is made
//! of, as SPDX 2.3 (JSON and tag-value) or SPDX 3.0.1 JSON-LD.
//!
//! Three builders produce one document model (the SPDX 2.3 model of the
//! `spdx-rs` crate, re-exported as [`spdx_rs`]):
//!
//! * [`workspace::build`]: a Cargo workspace from `cargo metadata` and
//!   `Cargo.lock`: every package of the resolved graph with version, PURL,
//!   Cargo.lock's SHA-256, download location, declared license (normalised
//!   to a valid SPDX expression), supplier and originator, and its
//!   dependency relationships by kind.
//! * [`artifacts::build`]: release artifacts as files with SHA-1, SHA-256,
//!   SHA-512 and BLAKE3 checksums from the digest engine's single pass, in a
//!   package with its verification code.
//! * [`archive::build`]: every regular file inside a tar or zip archive with
//!   the same four checksums, hashed as the archive streams by (one pass,
//!   nothing extracted).
//!
//! [`write()`] turns the model into bytes: [`Format::SpdxJson`] (default),
//! [`Format::SpdxTagValue`] ([`tagvalue`]) or [`Format::Spdx3`]
//! ([`spdx3`]). Output is deterministic: `created` comes from
//! `SOURCE_DATE_EPOCH` when set ([`DocOptions::from_env`]), SPDX IDs are
//! derived from names, and the `documentNamespace` from the content.
//!
//! BLAKE3 checksums are written as 1024-bit extended output (what
//! `b3sum --length 128` prints; its first 64 hex digits are the usual
//! BLAKE3-256), because SPDX 2.3 validators (spdx-tools) require at least
//! 256 hex digits for BLAKE3.
//!
//! What it will not do: sign SBOMs (`apostille-sign`) or check artifacts
//! against one (`apostille-verify`, which reads documents with the same
//! spdx-rs model and shares [`apostille_digest::spdx`] with this crate:
//! the verification code, BLAKE3 extended output and file names are
//! computed one way on both sides).
//!
//! # Example
//!
//! ```
//! use apostille_digest::{Engine, EngineConfig};
//! use apostille_sbom::{artifacts, write, DocOptions, Format};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let file = dir.path().join("demo-1.0.tar.gz");
//! # std::fs::write(&file, b"not really a tarball")?;
//! let engine = Engine::new(EngineConfig::default())?;
//! let opts = DocOptions { created: Some(0), ..DocOptions::default() };
//! let files = [artifacts::Artifact::new(file)];
//! let doc = artifacts::build(&engine, &files, &artifacts::ArtifactOptions::default(), &opts)?;
//! let json = write(&doc, Format::SpdxJson)?;
//! assert!(String::from_utf8(json)?.contains("\"SPDX-2.3\""));
//! # Ok(()) }
//! ```

pub mod archive;
pub mod artifacts;
mod common;
pub mod cyclonedx;
pub mod spdx3;
pub mod tagvalue;
pub mod workspace;

use std::path::PathBuf;

pub use apostille_digest::spdx::{BLAKE3_SPDX_LEN, Blake3Xof, artifact_name, verification_code};
pub use common::DocOptions;
pub use spdx_rs;

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// SPDX 2.3 JSON.
    #[default]
    SpdxJson,
    /// SPDX 2.3 tag-value.
    SpdxTagValue,
    /// SPDX 3.0.1 JSON-LD.
    Spdx3,
    /// CycloneDX 1.6 JSON ([`cyclonedx`]).
    CycloneDxJson,
}

impl Format {
    /// Parses `spdx-json`, `spdx-tv` or `spdx3`.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "spdx-json" | "json" => Some(Format::SpdxJson),
            "spdx-tv" | "tag-value" | "tv" => Some(Format::SpdxTagValue),
            "spdx3" | "spdx-3" => Some(Format::Spdx3),
            "cyclonedx-json" | "cdx-json" | "cyclonedx" | "cdx" => Some(Format::CycloneDxJson),
            _ => None,
        }
    }
}

/// Why an SBOM could not be built or written. Every variant names the
/// input and the problem.
#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    /// Hashing an artifact failed.
    #[error(transparent)]
    Hash(#[from] apostille_digest::HashError),
    /// Reading an archive failed.
    #[error(transparent)]
    Archive(#[from] apostille_digest::archive::ArchiveError),
    /// The thread reading an archive's contents failed.
    #[error(transparent)]
    Tap(#[from] apostille_digest::tap::TapError),
    /// `cargo metadata` could not be run or failed.
    #[error("cargo metadata for {manifest}: {message}")]
    CargoMetadata {
        /// The manifest given (or `Cargo.toml`).
        manifest: PathBuf,
        /// What went wrong, with cargo's own message.
        message: String,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The document could not be serialised.
    #[error("cannot serialise the SBOM: {0}")]
    Serialize(String),
    /// Nothing to describe.
    #[error("no artifacts given")]
    Empty,
}

/// Serialises `doc` in `format`, ending with a newline.
pub fn write(doc: &spdx_rs::models::SPDX, format: Format) -> Result<Vec<u8>, SbomError> {
    let mut out = match format {
        Format::SpdxJson => {
            serde_json::to_vec_pretty(doc).map_err(|e| SbomError::Serialize(e.to_string()))?
        }
        Format::SpdxTagValue => tagvalue::write(doc).into_bytes(),
        Format::Spdx3 => serde_json::to_vec_pretty(&spdx3::convert(doc))
            .map_err(|e| SbomError::Serialize(e.to_string()))?,
        Format::CycloneDxJson => serde_json::to_vec_pretty(&cyclonedx::convert(doc))
            .map_err(|e| SbomError::Serialize(e.to_string()))?,
    };
    out.push(b'\n');
    Ok(out)
}
