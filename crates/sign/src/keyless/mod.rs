//! Keyless Sigstore signing: an OIDC identity, a short-lived Fulcio
//! certificate for an ephemeral key, a Rekor transparency-log entry and,
//! optionally, an RFC 3161 timestamp.
//!
//! The flow, for one run (one certificate, any number of signatures):
//!
//! 1. [`IdentityToken`]: found by [`find_identity_token`] from a file, the
//!    `SIGSTORE_ID_TOKEN` variable or GitHub Actions' ambient credentials.
//! 2. [`KeylessSigner::new`]: makes an ephemeral ECDSA P-256 key and asks
//!    Fulcio (`POST /api/v2/signingCert`) for a certificate binding it to the
//!    token's identity; proof of possession is a signature over the token's
//!    `email` claim, or `sub` when there is none.
//! 3. [`KeylessSigner::sign_digest`] signs an artifact's SHA-256 digest that
//!    the digest engine already computed (a `messageSignature`; the artifact
//!    is never read here) and logs a `hashedrekord` 0.0.1 entry;
//!    [`KeylessSigner::sign_dsse`] signs a DSSE envelope's PAE and logs a
//!    `dsse` 0.0.1 entry. Both go to Rekor v1 (`POST /api/v1/log/entries`)
//!    and, when a TSA is configured, ask it for a timestamp over the
//!    signature bytes.
//! 4. The result is a [`KeylessSignature`]: plain data (signature, DER
//!    certificate chain, the log entry as the bundle carries it, timestamp
//!    bytes) that the bundle builder turns into a Sigstore bundle.
//!
//! Endpoints come from a Sigstore signing config ([`Endpoints`]): the
//! public-good instance by default, a file for staging or a private
//! instance, single URLs overridable. [`KeylessOptions`] gathers what a
//! user can say about all this (cosign's option names) and yields a signer. Every request has a timeout and every
//! failure is a [`KeylessError`] naming the service and the problem.
//!
//! The HTTP clients are those of `sigstore-fulcio`, `sigstore-rekor` and
//! `sigstore-tsa` (the family of `sigstore-verify`), driven from a private
//! single-threaded runtime so that callers stay synchronous.

mod endpoints;
mod options;
mod signer;
mod token;

pub use endpoints::{Endpoints, PUBLIC_GOOD_SIGNING_CONFIG};
pub use options::KeylessOptions;
pub use signer::{KeylessSignature, KeylessSigner, Signed};
pub use token::{IdentityToken, TokenSource, find_identity_token, find_identity_token_with};

use std::fmt;
use std::time::Duration;

/// How long one request to a Sigstore service may take, unless told.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A Sigstore service a keyless signature talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The OIDC provider (GitHub Actions' token endpoint).
    Oidc,
    /// The certificate authority.
    Fulcio,
    /// The transparency log.
    Rekor,
    /// The RFC 3161 timestamp authority.
    Tsa,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Service::Oidc => "OIDC provider",
            Service::Fulcio => "Fulcio",
            Service::Rekor => "Rekor",
            Service::Tsa => "timestamp authority",
        })
    }
}

/// Why keyless signing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeylessError {
    /// No source offered an identity token.
    #[error(
        "no OIDC identity token: pass --identity-token FILE, set SIGSTORE_ID_TOKEN, \
         or run in GitHub Actions with `permissions: id-token: write`"
    )]
    NoToken,
    /// A token was found but cannot be used.
    #[error("identity token from {source_name}: {reason}")]
    BadToken {
        /// Where the token came from.
        source_name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The token file cannot be read.
    #[error("cannot read identity token file {path}: {source}")]
    TokenFile {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The signing config is unreadable or names no usable endpoint.
    #[error("signing config{origin}: {reason}")]
    SigningConfig {
        /// ` FILE` when it came from a file, empty otherwise.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// A service answered badly, or not at all.
    #[error("{service} at {url}: {reason}")]
    Service {
        /// Which service.
        service: Service,
        /// The endpoint called.
        url: String,
        /// What went wrong (HTTP status and body, timeout, bad response).
        reason: String,
    },
    /// The ephemeral key could not be made or used.
    #[error("ephemeral signing key: {0}")]
    Key(String),
}
