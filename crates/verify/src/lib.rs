//! The consumer side of apostille: given what a release published and what
//! a user downloaded, decide what is verified, by what, and what is not.
//!
//! One module per producer step, named as in `apostille-sign`. Today:
//! [`checksums`], which checks checksum files of every common layout with
//! the semantics of `sha256sum -c`, made fail-closed like `b3sum --check`
//! (constant-time comparison, unsafe names rejected, MD5/SHA-1 alone never
//! enough). Every file named by any checksum file is read once, whatever the
//! number of lines and algorithms that name it. [`pgp`]: detached OpenPGP
//! signatures against a KEYS file. [`cleartext`]: cleartext-signed
//! documents (`gpg --clearsign`: `SHA256SUMS`, Debian `.dsc`), whose signed
//! text is the only part a caller gets to parse. [`bundle`]: Sigstore
//! bundles (keyless and key-based, message signatures and DSSE), offline
//! against an embedded or given trusted root, decided from the digests of
//! the artifact the engine computed (SHA-256; SHA-512 for npm's subjects);
//! one bundle per file or JSON lines of them. [`log_lookup`]: the
//! transparency-log entry of a bare DSSE envelope, searched only when the
//! caller names a log. [`trust_update`]: the trusted roots refreshed
//! through TUF, on request, into a cache `verify` then prefers.
//! [`provenance`]: what a verified in-toto attestation claims (SLSA
//! provenance: builder, source, ref) against what the user requires.
//!
//! [`download`] puts them together: every attestation found beside the
//! artifacts of a download, each artifact read once for all of them.
//!
//! [`sbom`] checks an SPDX document against the artifacts it describes
//! (checksums, verification codes) and reports its NTIA gaps.
//!
//! What it will not do: depend on `apostille-sign` (a consumer build carries
//! no signing code), or print: results are data ([`checksums::Report`]) that
//! the CLI renders.

pub mod bundle;
mod cdx_read;
pub mod checksums;
pub mod cleartext;
pub mod download;
pub mod keys;
pub mod log_lookup;
pub mod pgp;
pub mod provenance;
pub mod sbom;
mod spdx_read;
pub mod trust_update;
