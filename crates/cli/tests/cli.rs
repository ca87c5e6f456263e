//! Integration tests of the `apostille` binary: one test binary, one module
//! per area, each test in its own temporary folder.
//!
//! The tests run the real binary and the real peers it must agree with
//! (coreutils `sha256sum` & co., `b3sum`, `rhash`, `openssl`, `gpg`). A
//! missing peer fails the test with a message naming what to install; it
//! never makes a test pass silently.

#![allow(clippy::unwrap_used)]

#[path = "cli/common.rs"]
mod common;

/// `apostille checksums` and `apostille hash` output read by the peers.
#[path = "cli/interop_ours_read_by_peers.rs"]
mod interop_ours_read_by_peers;

/// The peers' checksum files read by `apostille verify checksums`.
#[path = "cli/interop_peers_read_by_us.rs"]
mod interop_peers_read_by_us;

/// Real Debian source packages from `shared/vectors/openpgp`.
#[path = "cli/vectors.rs"]
mod vectors;

/// The contract of `docs/verify-checksums.md`.
#[path = "cli/verify.rs"]
mod verify;

/// `apostille hash`.
#[path = "cli/hash.rs"]
mod hash;

/// A reader that closes standard output early.
#[path = "cli/broken_pipe.rs"]
mod broken_pipe;

/// `apostille checksums`: atomic writes and refusals.
#[path = "cli/checksums.rs"]
mod checksums;

/// `verify pgp` against upstream release signatures and gpg-made ones.
#[path = "cli/pgp.rs"]
mod pgp;

/// Real upstream material: key and signature shapes, v3 packets, dated
/// reasons, files that are not signatures.
#[path = "cli/pgp_real.rs"]
mod pgp_real;

/// Revocation, expiry and SHA-1 bindings judged by `verify pgp`; signing
/// through gpg-agent, a terminal prompt and v6 keys.
#[path = "cli/pgp_policy.rs"]
mod pgp_policy;

/// Key-based Sigstore bundles: sign blob, attest, keys generate --sigstore.
#[path = "cli/attest.rs"]
mod attest;
/// `verify DIR|FILE…`: a whole download, one read per artifact.
#[path = "cli/download.rs"]
mod download;

/// The trust model of `verify DIR|FILE…`: forged downloads, real layouts
/// made with the real tools, one read.
#[path = "cli/trust.rs"]
mod trust;

/// Sigstore bundles: all of sigstore-conformance's `bundle-verify` cases.
#[path = "cli/bundle.rs"]
mod bundle;

/// Keyless signatures against the in-process Sigstore test instance,
/// judged by `verify bundle` and sigstore-python.
#[path = "cli/keyless.rs"]
mod keyless;

/// `notices` (third-party notices, policy) and `notices audit` (release
/// check) against cargo tree, cargo-about and the upstream tarballs.
#[path = "cli/notices.rs"]
mod notices;
/// What real projects publish through Sigstore (npm, GitHub attestations,
/// slsa-github-generator), made with the test instance.
#[path = "cli/sigstore_real.rs"]
mod sigstore_real;

/// `trust update` against TUF repositories made by python-tuf.
#[path = "cli/trust_update.rs"]
mod trust_update;

/// `sbom workspace|artifacts|archive` judged by the SPDX validators, and
/// `verify sbom`.
#[path = "cli/sbom.rs"]
mod sbom;

/// `release DIR`: every attestation from one read per artifact, judged by
/// the peers and by `verify`, which fails for the right reason after each
/// kind of tampering.
#[path = "cli/release.rs"]
mod release;

/// `oci resolve|attach|sign|attest|fetch|verify|detach` against a real
/// registry (Debian's docker-registry on loopback).
#[path = "cli/oci.rs"]
mod oci;

/// Hostile input to every reader: exact outcomes, no hang, no unbounded
/// memory, nothing raw on the terminal.
#[path = "cli/hostile/mod.rs"]
mod hostile;
