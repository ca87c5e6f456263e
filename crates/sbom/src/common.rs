//! What every builder shares: document options, SPDX IDs, actors,
//! checksums, the verification code and the content-derived namespace.

use apostille_digest::{Algorithm, DigestSet, Hasher};
use spdx_rs::models::{self, Checksum, SPDX};

/// Namespace prefix used when none is given.
pub const DEFAULT_NAMESPACE_BASE: &str = "https://spdx.org/spdxdocs/apostille";

/// Document-level choices common to every SBOM.
#[derive(Clone, Debug, Default)]
pub struct DocOptions {
    /// Document name; each builder has a default.
    pub name: Option<String>,
    /// `documentNamespace`; default:
    /// `https://spdx.org/spdxdocs/apostille/<name>-<hash of the content>`.
    pub namespace: Option<String>,
    /// `created`, in seconds since the Unix epoch; default: now.
    pub created: Option<i64>,
    /// Extra creators (`Organization: …`, `Person: …`) beside the tool.
    pub creators: Vec<String>,
}

impl DocOptions {
    /// Options with `created` from `SOURCE_DATE_EPOCH` when it is set to a
    /// number (reproducible builds' convention).
    pub fn from_env() -> DocOptions {
        DocOptions {
            created: std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|v| v.trim().parse().ok()),
            ..DocOptions::default()
        }
    }
}

/// A fresh SPDX 2.3 document named `name`, with creators and `created` set
/// (whole seconds: spdx-tools rejects fractions). The namespace is set by
/// [`finish`].
pub(crate) fn new_document(name: &str, opts: &DocOptions, comment: Option<String>) -> SPDX {
    let mut doc = SPDX::new(name);
    let info = &mut doc.document_creation_information;
    info.spdx_version = "SPDX-2.3".into();
    info.document_comment = comment;
    let mut creators = vec![format!("Tool: apostille-{}", env!("CARGO_PKG_VERSION"))];
    creators.extend(opts.creators.iter().cloned());
    info.creation_info.creators = creators;
    info.creation_info.license_list_version = None;
    let secs = opts
        .created
        .unwrap_or_else(|| chrono::Utc::now().timestamp());
    info.creation_info.created =
        chrono::DateTime::from_timestamp(secs, 0).unwrap_or(chrono::DateTime::UNIX_EPOCH);
    doc
}

/// Sorts what has no meaningful order and sets the namespace: the one given,
/// or one derived from the content (every field but `created`), so the same
/// inputs give the same document.
pub(crate) fn finish(mut doc: SPDX, opts: &DocOptions) -> SPDX {
    doc.relationships.sort_by(|a, b| {
        (&a.spdx_element_id, &a.related_spdx_element, rel_name(a)).cmp(&(
            &b.spdx_element_id,
            &b.related_spdx_element,
            rel_name(b),
        ))
    });
    doc.relationships.dedup();
    doc.document_creation_information.document_describes.clear();
    if let Some(ns) = &opts.namespace {
        doc.document_creation_information.spdx_document_namespace = ns.clone();
        return doc;
    }
    let created = doc.document_creation_information.creation_info.created;
    doc.document_creation_information.creation_info.created = chrono::DateTime::UNIX_EPOCH;
    doc.document_creation_information.spdx_document_namespace = String::new();
    let bytes = serde_json::to_vec(&doc).unwrap_or_default();
    doc.document_creation_information.creation_info.created = created;
    let digest = Hasher::digest(Algorithm::Sha256, &bytes)
        .map(|d| d.to_hex())
        .unwrap_or_default();
    let name = id_part(&doc.document_creation_information.document_name);
    doc.document_creation_information.spdx_document_namespace =
        format!("{DEFAULT_NAMESPACE_BASE}/{name}-{}", &digest[..32]);
    doc
}

fn rel_name(r: &models::Relationship) -> String {
    format!("{:?}", r.relationship_type)
}

/// Characters SPDX IDs allow: letters, digits, `.` and `-`; anything else
/// becomes `-` (cargo-sbom's `_` is what spdx-tools rejects).
pub(crate) fn id_part(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// An SPDX actor (`Person: name (email)`) from a Cargo author string
/// (`Name <email>`); parentheses in names are dropped so the actor parses.
pub(crate) fn person(author: &str) -> Option<String> {
    let clean = |s: &str| s.replace(['(', ')'], "").trim().to_owned();
    let (name, email) = match author.split_once('<') {
        Some((n, rest)) => (clean(n), rest.split('>').next().map(clean)),
        None => (clean(author), None),
    };
    match (name.is_empty(), email) {
        (true, None) => None,
        (true, Some(e)) if e.is_empty() => None,
        (true, Some(e)) => Some(format!("Person: {e} ({e})")),
        (false, Some(e)) if !e.is_empty() => Some(format!("Person: {name} ({e})")),
        (false, _) => Some(format!("Person: {name}")),
    }
}

/// SPDX checksums for the engine's digests plus the BLAKE3 extended
/// output, in a fixed order (SHA-1, SHA-256, SHA-512, BLAKE3).
pub(crate) fn checksums(digests: &DigestSet, blake3_hex: Option<String>) -> Vec<Checksum> {
    let mut out = Vec::new();
    for (alg, spdx) in [
        (Algorithm::Sha1, models::Algorithm::SHA1),
        (Algorithm::Sha256, models::Algorithm::SHA256),
        (Algorithm::Sha384, models::Algorithm::SHA384),
        (Algorithm::Sha512, models::Algorithm::SHA512),
    ] {
        if let Some(d) = digests.get(alg) {
            out.push(Checksum::new(spdx, &d.to_hex()));
        }
    }
    if let Some(b) = blake3_hex {
        out.push(Checksum::new(models::Algorithm::BLAKE3, &b));
    }
    out
}

/// The algorithms the engine computes for artifact and archive SBOMs; BLAKE3
/// comes from a [`apostille_digest::spdx::Blake3Xof`] sink on the same pass.
pub(crate) fn engine_algorithms() -> apostille_digest::AlgorithmSet {
    [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
        .into_iter()
        .collect()
}

/// Name and version from a release file name such as `curl-7.88.1.tar.gz`
/// (the first `-` or `_` followed by a digit splits them).
pub(crate) fn name_version(file_name: &str) -> (String, Option<String>) {
    let mut stem = file_name;
    for ext in [
        ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tgz", ".tbz2", ".txz", ".tzst", ".tar",
        ".zip", ".crate",
    ] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    // Debian source tarballs: `curl_7.88.1.orig.tar.gz`.
    let stem = stem.strip_suffix(".orig").unwrap_or(stem);
    let split = stem
        .char_indices()
        .filter(|&(i, c)| {
            (c == '-' || c == '_') && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit())
        })
        .map(|(i, _)| i)
        .next();
    match split {
        Some(i) if i > 0 => (stem[..i].to_owned(), Some(stem[i + 1..].to_owned())),
        _ => (stem.to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_actors() {
        assert_eq!(id_part("serde_json 1.0+x"), "serde-json-1.0-x");
        assert_eq!(
            person("Jane Doe <jane@example.org>").as_deref(),
            Some("Person: Jane Doe (jane@example.org)")
        );
        assert_eq!(
            person("The (Rust) Team").as_deref(),
            Some("Person: The Rust Team")
        );
        assert_eq!(person(" "), None);
    }

    #[test]
    fn names_and_versions_from_files() {
        assert_eq!(
            name_version("curl-7.88.1.tar.gz"),
            ("curl".into(), Some("7.88.1".into()))
        );
        assert_eq!(
            name_version("apr-util-1.6.3.tar.bz2"),
            ("apr-util".into(), Some("1.6.3".into()))
        );
        assert_eq!(name_version("notes.txt"), ("notes.txt".into(), None));
        assert_eq!(
            name_version("curl_7.88.1.orig.tar.gz"),
            ("curl".into(), Some("7.88.1".into()))
        );
    }
}
