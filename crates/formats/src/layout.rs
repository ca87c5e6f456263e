//! What a file in a release folder is, from its name alone: the naming
//! conventions `apostille release` writes and `apostille verify` reads.
//!
//! One definition for both sides, so that a release re-run with `--force`
//! never takes its own outputs for artifacts, and a download is sorted the
//! way the release was written.

use apostille_digest::checksum::algorithm_hint_from_file_name;

/// The release manifest `apostille release` writes: every output with its
/// digest. Unsigned; a listing for people and scripts, not evidence.
pub const MANIFEST_NAME: &str = "apostille-manifest.json";

/// What a file of a release folder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A checksum sidecar (`x.sha512`) or list (`SHA256SUMS`).
    Checksum,
    /// A detached OpenPGP signature (`x.asc`, `SHA512SUMS.asc`).
    Signature,
    /// A Sigstore bundle (`.sigstore.json`, `.sigstore`, `.bundle`) or an
    /// in-toto attestation file (`.intoto.jsonl`, one bundle per line).
    Bundle,
    /// An SPDX document (`.spdx.json`, `.spdx`).
    Sbom,
    /// A KEYS file (`KEYS`, `KEYS.txt`).
    Keys,
    /// The release manifest ([`MANIFEST_NAME`]).
    Manifest,
    /// Anything else: something released.
    Artifact,
}

/// The role of a file called `name` (its base name, raw bytes).
pub fn role(name: &[u8]) -> Role {
    let lower = name.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s.as_bytes());
    if lower == b"keys" || lower == b"keys.txt" {
        Role::Keys
    } else if name == MANIFEST_NAME.as_bytes() {
        Role::Manifest
    } else if ends(".sigstore.json")
        || ends(".sigstore")
        || ends(".bundle")
        || ends(".intoto.jsonl")
    {
        Role::Bundle
    } else if ends(".spdx.json") || ends(".spdx") {
        Role::Sbom
    } else if algorithm_hint_from_file_name(name).is_some() {
        // Before `.asc`: `SHA512SUMS.asc` is a signature of the list, but
        // `x.sha512` and `SHA256SUMS` are checksums.
        if ends(".asc") {
            Role::Signature
        } else {
            Role::Checksum
        }
    } else if ends(".asc") {
        Role::Signature
    } else {
        Role::Artifact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (name, want) in [
            ("demo-1.0.tar.gz", Role::Artifact),
            ("demo-1.0.tar.gz.sha512", Role::Checksum),
            ("SHA256SUMS", Role::Checksum),
            ("SHA512SUMS.asc", Role::Signature),
            ("demo-1.0.tar.gz.asc", Role::Signature),
            ("demo-1.0.tar.gz.sigstore.json", Role::Bundle),
            ("demo-1.0.intoto.jsonl", Role::Bundle),
            ("demo-1.0.spdx.json", Role::Sbom),
            ("KEYS", Role::Keys),
            (MANIFEST_NAME, Role::Manifest),
            ("THIRD_PARTY_NOTICES.md", Role::Artifact),
        ] {
            assert_eq!(role(name.as_bytes()), want, "{name}");
        }
    }
}
