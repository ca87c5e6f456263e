//! The producer side of apostille: everything a release pipeline writes.
//!
//! * [`checksums`]: combined `SHA256SUMS`-style files in GNU or BSD layout
//!   and per-artifact sidecars, from digests the engine computed;
//! * [`pgp`]: detached OpenPGP signatures made from a hash context fed by
//!   that same pass; [`keys`]: release-manager keys (generate, add to KEYS);
//! * [`sigstore`]: in-toto statements, SLSA provenance, DSSE and Sigstore
//!   bundles, key-based or keyless ([`keyless`]: OIDC identity, Fulcio
//!   certificate, Rekor entry, RFC 3161 timestamp);
//! * [`release`]: the pipeline that makes all of these, plus the SBOM and
//!   third-party notices, for a whole release folder in one read;
//! * [`atomic`]: every output written through a temporary file and a rename.
//!
//! Each producer module has a consumer module of the same name in
//! `apostille-verify`.
//!
//! What it will not do: read an artifact itself (digests come from
//! `apostille-digest`), or verify anything (`apostille-verify` never depends
//! on this crate, so a consumer build carries no signing code).

pub mod atomic;
pub mod checksums;
pub mod keyless;
pub mod keys;
pub mod pgp;
pub mod release;
pub mod sigstore;
