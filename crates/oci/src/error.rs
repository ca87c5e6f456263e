//! The one error type of the crate: every variant names the reference (or
//! file) it is about, so a caller can print it as it is.

use std::path::PathBuf;

/// What went wrong talking to a registry or reading what it sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OciError {
    /// The text is not an image reference (`registry/repository[:tag][@digest]`).
    #[error("{reference}: not a valid image reference: {reason}")]
    InvalidReference {
        /// The text as given.
        reference: String,
        /// Why it was refused.
        reason: String,
    },
    /// A digest string that is not `sha256:<64 hex>` or `sha512:<128 hex>`.
    #[error("{digest}: not a valid digest (expected sha256:<64 hex digits>)")]
    InvalidDigest {
        /// The text as given.
        digest: String,
    },
    /// The registry has no such manifest, blob or repository (HTTP 404).
    #[error("{reference}: not found in the registry")]
    NotFound {
        /// What was asked for.
        reference: String,
    },
    /// The registry refused the credentials, or asked for some (HTTP 401/403).
    #[error(
        "{reference}: the registry denied access ({detail}); give credentials with --username/--password-stdin or in the docker config.json"
    )]
    Denied {
        /// What was asked for.
        reference: String,
        /// What the registry said.
        detail: String,
    },
    /// Any other error status from the registry (4xx, 5xx).
    #[error("{reference}: the registry answered with an error: {detail}")]
    Registry {
        /// What was asked for.
        reference: String,
        /// Status and message.
        detail: String,
    },
    /// No complete answer within the time limit.
    #[error("{reference}: no answer from the registry within {seconds} s")]
    Timeout {
        /// What was asked for.
        reference: String,
        /// The limit that was hit.
        seconds: u64,
    },
    /// The connection failed (refused, reset, TLS, DNS).
    #[error("{reference}: cannot talk to the registry: {detail}")]
    Transport {
        /// What was asked for.
        reference: String,
        /// The underlying error, flattened.
        detail: String,
    },
    /// A manifest or blob larger than the limit this client accepts.
    #[error("{reference}: the {what} is larger than the {limit}-byte limit")]
    TooLarge {
        /// What was asked for.
        reference: String,
        /// "manifest", "blob", ...
        what: &'static str,
        /// The limit in bytes.
        limit: u64,
    },
    /// Content whose digest is not the one it was asked for by.
    #[error("{reference}: content digest {actual} does not match the expected {expected}")]
    DigestMismatch {
        /// What was asked for.
        reference: String,
        /// The digest it should have.
        expected: String,
        /// The digest of what arrived.
        actual: String,
    },
    /// A manifest, index or descriptor that does not parse or breaks the spec.
    #[error("{reference}: malformed {what}: {reason}")]
    Malformed {
        /// What was asked for.
        reference: String,
        /// "manifest", "image index", ...
        what: &'static str,
        /// The parser's complaint.
        reason: String,
    },
    /// A referrer listed for one digest whose `subject` names another.
    #[error("{reference}: referrer {referrer} has subject {actual}, not {expected}; refusing it")]
    SubjectMismatch {
        /// The subject that was asked about.
        reference: String,
        /// The referrer manifest's digest.
        referrer: String,
        /// The subject it should name.
        expected: String,
        /// The subject it names.
        actual: String,
    },
    /// `--platform` names a platform the index does not have.
    #[error("{reference}: the image index has no manifest for {platform} (it has: {available})")]
    NoSuchPlatform {
        /// The index reference.
        reference: String,
        /// The platform asked for.
        platform: String,
        /// The platforms in the index.
        available: String,
    },
    /// `--platform` given for a reference that is not an index.
    #[error(
        "{reference}: --platform {platform} given, but this is a single-platform image manifest"
    )]
    NotAnIndex {
        /// The reference.
        reference: String,
        /// The platform asked for.
        platform: String,
    },
    /// An operation that needs a digest was given a tag only.
    #[error("{reference}: needs a digest (IMAGE@sha256:…), resolve the tag first")]
    NeedsDigest {
        /// The reference.
        reference: String,
    },
    /// The docker `config.json` could not be read.
    #[error("{}: {reason}", path.display())]
    DockerConfig {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Plain HTTP asked for a registry that is not on a loopback address.
    #[error(
        "{registry}: plain HTTP is used only for loopback registries; pass --insecure to allow it"
    )]
    InsecureRefused {
        /// The registry host.
        registry: String,
    },
    /// Setting up the client or its runtime failed.
    #[error("cannot start the registry client: {0}")]
    Setup(String),
}

/// Short for `Result<T, OciError>`.
pub type Result<T> = std::result::Result<T, OciError>;
