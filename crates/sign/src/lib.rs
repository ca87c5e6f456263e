//! The producer side of apostille: everything a release pipeline writes.
//!
//! Today: checksum files ([`checksums`]) — combined `SHA256SUMS`-style files
//! in GNU or BSD layout and per-artifact sidecars — written atomically
//! ([`atomic`]) from digests the engine computed in its single pass, and
//! detached OpenPGP signatures ([`pgp`]) made from a hash context fed by
//! that same pass, and release-manager keys ([`keys`]: generate, add to
//! KEYS), and keyless Sigstore signatures ([`keyless`]: OIDC identity,
//! Fulcio certificate, Rekor entry, RFC 3161 timestamp). Later
//! milestones add detached OpenPGP signatures and KEYS entries, SPDX and
//! notices outputs, in-toto/SLSA provenance, DSSE and Sigstore bundles, and
//! the one-pass `release` pipeline; each producer module has a consumer
//! module of the same name in `apostille-verify`.
//!
//! What it will not do: read an artifact itself (digests come from
//! `apostille-digest`), or verify anything (`apostille-verify` never depends
//! on this crate, so a consumer build carries no signing code).

pub mod atomic;
pub mod checksums;
pub mod keyless;
pub mod keys;
pub mod pgp;
pub mod sigstore;
