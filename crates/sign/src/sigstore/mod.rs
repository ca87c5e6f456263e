//! Sigstore-compatible signatures and attestations (what `cosign
//! sign-blob --bundle` and `cosign attest-blob` make), from digests the
//! engine already computed.
//!
//! * [`mod@statement`]: in-toto Statement v1 with SHA-256 and SHA-512 subjects,
//!   and SLSA Provenance v1 predicates from GitHub Actions, GitLab CI or
//!   explicit values.
//! * [`keys`]: ECDSA P-256, Ed25519 and RSA signing keys from PKCS#8 PEM or
//!   cosign's encrypted key format; `cosign generate-key-pair`-compatible
//!   key pairs.
//! * [`bundle`]: DSSE's PAE and bundle v0.3 JSON, key-based (public-key
//!   hint) or keyless ([`crate::keyless`]'s certificate, Rekor entry and
//!   timestamp).
//! * [`signer`]: one signer per run, key-based or keyless.
//!
//! Nothing here reads an artifact: a blob signature signs the engine's
//! SHA-256; an attestation signs a statement whose subjects come from the
//! engine's single pass.

pub mod bundle;
pub mod keys;
pub mod signer;
pub mod statement;

pub use bundle::{Material, dsse_bundle, message_bundle, pae};
pub use keys::{KeyError, KeyKind, SigningKey};
pub use signer::{Signer, SignerError};
pub use statement::{Build, BuildSource, GenericBuild, ReleaseInfo, Subject, statement};
