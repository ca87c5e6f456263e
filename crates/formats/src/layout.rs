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

/// What a file of a release folder is, by its name. Names alone can be
/// wrong (`signing-key.asc` holds keys, not a signature); `apostille
/// verify` looks at the content of every file whose name claims a role
/// (see [`crate::sniff`]) before believing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A checksum sidecar (`x.sha512`) or list (`SHA256SUMS`, GoReleaser's
    /// `checksums.txt` and `proj_1.0_checksums.txt`, `gpg --print-mds`
    /// output `x.mds`), or a Debian source control file (`x.dsc`), whose
    /// `Checksums-*` fields list the package's files.
    Checksum,
    /// A detached signature: OpenPGP (`x.asc`, `x.sig`, `x.sign`, `x.gpg`,
    /// `x.pgp`; armored or binary) or cosign's base64 blob signature
    /// (`x.sig`).
    Signature,
    /// A Sigstore bundle (`.sigstore.json`, `.sigstore`, `.bundle`,
    /// `.intoto.sigstore`, `.build.slsa`, `.intoto.build.slsa`) or a JSON
    /// lines file of bundles (`.intoto.jsonl`; `sha256:HEX.jsonl` as
    /// `gh attestation download` writes).
    Bundle,
    /// An SBOM: SPDX (`.spdx.json`, `.spdx`) or CycloneDX (`.cdx.json`).
    Sbom,
    /// Key material by name: `KEYS`, `KEYS.txt`, a PEM public key
    /// (`cosign.pub`, `x.pub`).
    Keys,
    /// The release manifest ([`MANIFEST_NAME`]).
    Manifest,
    /// Anything else: something released.
    Artifact,
}

/// Suffixes of detached signatures, longest first.
pub const SIGNATURE_SUFFIXES: [&str; 5] = [".asc", ".sign", ".sig", ".gpg", ".pgp"];

/// Suffixes of Sigstore bundle files, longest first: a bundle named after
/// its artifact is `ARTIFACT` + one of these.
pub const BUNDLE_SUFFIXES: [&str; 7] = [
    ".intoto.build.slsa",
    ".intoto.sigstore",
    ".sigstore.json",
    ".intoto.jsonl",
    ".build.slsa",
    ".sigstore",
    ".bundle",
];

/// Whether `name` is a JSON-lines bundle file (one bundle per line):
/// `.intoto.jsonl`, or `sha256:HEX.jsonl` / `sha256-HEX.jsonl`.
pub fn is_bundle_lines(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(b".intoto.jsonl") || digest_named_jsonl(&lower).is_some()
}

/// `sha256:HEX.jsonl` (what `gh attestation download` writes) →
/// `("sha256", HEX)`.
pub fn digest_named_jsonl(name: &[u8]) -> Option<(&str, &str)> {
    let s = std::str::from_utf8(name).ok()?;
    let stem = s.strip_suffix(".jsonl")?;
    let (alg, hex) = stem.split_once(':').or_else(|| stem.split_once('-'))?;
    let ok = matches!(alg, "sha256" | "sha512" | "sha384")
        && hex.len() >= 64
        && hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then_some((alg, hex))
}

/// Whether `name` is a GoReleaser-style checksum list: `checksums.txt`,
/// `PROJECT_VERSION_checksums.txt`, `PROJECT-VERSION-checksums.txt`.
pub fn is_checksums_txt(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    match lower.strip_suffix(b"checksums.txt") {
        Some(before) => before.is_empty() || matches!(before.last(), Some(b'_' | b'-' | b'.')),
        None => false,
    }
}

/// The file a detached signature or bundle named `name` is about
/// (`x.tar.gz.asc` → `x.tar.gz`, `SHA256SUMS.sig` → `SHA256SUMS`), when
/// its name says so.
pub fn signed_subject(name: &[u8]) -> Option<&[u8]> {
    let lower = name.to_ascii_lowercase();
    SIGNATURE_SUFFIXES
        .iter()
        .chain(BUNDLE_SUFFIXES.iter())
        .find(|s| lower.ends_with(s.as_bytes()) && lower.len() > s.len())
        .map(|s| &name[..name.len() - s.len()])
}

/// The role of a file called `name` (its base name, raw bytes).
pub fn role(name: &[u8]) -> Role {
    let lower = name.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s.as_bytes());
    if lower == b"keys" || lower == b"keys.txt" || ends(".pub") {
        Role::Keys
    } else if name == MANIFEST_NAME.as_bytes() {
        Role::Manifest
    } else if BUNDLE_SUFFIXES.iter().any(|s| ends(s)) || is_bundle_lines(name) {
        Role::Bundle
    } else if ends(".spdx.json") || ends(".spdx") || ends(".cdx.json") {
        Role::Sbom
    } else if SIGNATURE_SUFFIXES.iter().any(|s| ends(s)) {
        // Before the checksum names: `SHA512SUMS.asc` and
        // `checksums.txt.sig` sign a list.
        Role::Signature
    } else if algorithm_hint_from_file_name(name).is_some()
        || is_checksums_txt(name)
        || ends(".mds")
        || ends(".dsc")
    {
        Role::Checksum
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
            ("demo-1.0.tar.gz.cdx.json", Role::Sbom),
            ("KEYS", Role::Keys),
            (MANIFEST_NAME, Role::Manifest),
            ("THIRD_PARTY_NOTICES.md", Role::Artifact),
            ("SHA256SUMS.gpg", Role::Signature),
            ("SHA256SUMS.sig", Role::Signature),
            ("checksums.txt", Role::Checksum),
            ("proj_1.0_checksums.txt", Role::Checksum),
            ("checksums.txt.sig", Role::Signature),
            ("nochecksums.txt", Role::Artifact),
            ("demo-1.0.tar.gz.mds", Role::Checksum),
            ("curl_7.88.1-10.dsc", Role::Checksum),
            ("cosign.pub", Role::Keys),
            ("app.intoto.sigstore", Role::Bundle),
            ("app.build.slsa", Role::Bundle),
            ("app.intoto.build.slsa", Role::Bundle),
            (
                "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.jsonl",
                Role::Bundle,
            ),
            ("notes.jsonl", Role::Artifact),
        ] {
            assert_eq!(role(name.as_bytes()), want, "{name}");
        }
    }

    #[test]
    fn subjects() {
        assert_eq!(signed_subject(b"a.tar.gz.asc"), Some(&b"a.tar.gz"[..]));
        assert_eq!(signed_subject(b"SHA256SUMS.gpg"), Some(&b"SHA256SUMS"[..]));
        assert_eq!(signed_subject(b"a.intoto.build.slsa"), Some(&b"a"[..]));
        assert_eq!(signed_subject(b".asc"), None);
        assert!(is_bundle_lines(
            b"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.jsonl"
        ));
        assert!(!is_bundle_lines(b"sha256:xyz.jsonl"));
    }
}
