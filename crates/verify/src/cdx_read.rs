//! Reading CycloneDX JSON (1.2 to 1.6) into the SPDX 2 model [`crate::sbom`]
//! checks, so that a CycloneDX document's hashes are checked exactly as an
//! SPDX document's checksums are.
//!
//! The reading mirrors `apostille-sbom`'s writer:
//! * a `file` component (at the top level, or `metadata.component`) is a
//!   package whose file name is the component's `name`: the path, relative
//!   to the document's folder, of a file of the download;
//! * a `file` component nested in another component (an archive's
//!   contents) is an SPDX file, named the same way;
//! * other components (`library`, `application`, …) carry facts, not files
//!   of the download: their hashes are not checked, as an SPDX package
//!   without a `packageFileName` is not;
//! * `metadata.component` is what the document describes; suppliers,
//!   versions, licenses and the document's authors and tools are kept for
//!   the NTIA minimum-element report.
//!
//! Hash algorithms CycloneDX names and SPDX 2.3 has are kept (MD5, SHA-1,
//! SHA-2, SHA-3, BLAKE2b, BLAKE3); others are left out. A document with no
//! `file` component that has hashes is refused, as an SPDX document with
//! nothing to check is.

use std::path::Path;

use apostille_digest::display::terminal_safe;
use serde_json::Value;
use spdx_rs::models::{
    Algorithm, Checksum, FileInformation, PackageInformation, Relationship, RelationshipType, SPDX,
};

use crate::spdx_read::ReadError;

/// How deep components may nest (serde_json's own limit is 128 levels of
/// JSON; a component level is two).
const MAX_DEPTH: usize = 60;

fn algorithm(name: &str) -> Option<Algorithm> {
    Some(match name {
        "MD5" => Algorithm::MD5,
        "SHA-1" => Algorithm::SHA1,
        "SHA-256" => Algorithm::SHA256,
        "SHA-384" => Algorithm::SHA384,
        "SHA-512" => Algorithm::SHA512,
        "SHA3-256" => Algorithm::SHA3256,
        "SHA3-384" => Algorithm::SHA3384,
        "SHA3-512" => Algorithm::SHA3512,
        "BLAKE2b-256" => Algorithm::BLAKE2B256,
        "BLAKE2b-384" => Algorithm::BLAKE2B384,
        "BLAKE2b-512" => Algorithm::BLAKE2B512,
        "BLAKE3" => Algorithm::BLAKE3,
        _ => return None,
    })
}

struct Reader {
    doc: SPDX,
    anonymous: usize,
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// `{name, contact: [{email}]}` as an SPDX actor.
fn actor(entity: &Value, kind: &str) -> Option<String> {
    let name = text(entity, "name")?;
    let email = entity
        .get("contact")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(|c| text(c, "email"))
        .or_else(|| text(entity, "email"));
    Some(match email {
        Some(e) => format!("{kind}: {name} ({e})"),
        None => format!("{kind}: {name}"),
    })
}

impl Reader {
    fn id(&mut self, c: &Value) -> String {
        match text(c, "bom-ref") {
            Some(r) => r.to_owned(),
            None => {
                self.anonymous += 1;
                format!("cdx-component-{}", self.anonymous)
            }
        }
    }

    fn checksums(c: &Value) -> Result<Vec<Checksum>, String> {
        let Some(list) = c.get("hashes") else {
            return Ok(Vec::new());
        };
        let list = list
            .as_array()
            .ok_or_else(|| "`hashes` is not an array".to_string())?;
        let mut out = Vec::new();
        for h in list {
            let (Some(alg), Some(content)) = (text(h, "alg"), text(h, "content")) else {
                return Err("a hash without `alg` and `content`".into());
            };
            if let Some(a) = algorithm(alg) {
                out.push(Checksum::new(a, content));
            }
        }
        Ok(out)
    }

    /// Reads component `c` (inside component `parent`, or at the top) and
    /// what it contains; returns its ID. A `file` component is an SPDX
    /// file when `contents`: inside another component, or at the top of a
    /// document whose subject is itself a file (an archive's contents).
    fn component(
        &mut self,
        c: &Value,
        parent: Option<&str>,
        contents: bool,
        depth: usize,
    ) -> Result<String, String> {
        if depth > MAX_DEPTH {
            return Err(format!("components nest deeper than {MAX_DEPTH} levels"));
        }
        if !c.is_object() {
            return Err("a component that is not an object".into());
        }
        let name = text(c, "name").ok_or_else(|| "a component without a `name`".to_string())?;
        let kind = text(c, "type").unwrap_or("library");
        let id = self.id(c);
        let sums = Self::checksums(c)?;
        if kind == "file" && contents {
            self.doc.file_information.push(FileInformation {
                file_spdx_identifier: id.clone(),
                file_name: format!("./{}", name.strip_prefix("./").unwrap_or(name)),
                file_checksum: sums,
                ..FileInformation::default()
            });
        } else {
            let mut p = PackageInformation {
                package_name: name.to_owned(),
                package_spdx_identifier: id.clone(),
                package_version: text(c, "version").map(str::to_owned),
                // CycloneDX's supplier is an organizational entity, a
                // person or not; SPDX's word for that is Organization.
                package_supplier: c.get("supplier").and_then(|s| actor(s, "Organization")),
                package_checksum: sums,
                ..PackageInformation::default()
            };
            if kind == "file" {
                p.package_file_name = Some(name.to_owned());
            }
            p.declared_license = c
                .get("licenses")
                .and_then(Value::as_array)
                .and_then(|l| l.first())
                .and_then(|l| {
                    text(l, "expression").or_else(|| l.get("license").and_then(|x| text(x, "id")))
                })
                .and_then(|e| spdx_expression::SpdxExpression::parse(e).ok());
            self.doc.package_information.push(p);
        }
        if let Some(parent) = parent {
            self.doc.relationships.push(Relationship::new(
                parent,
                &id,
                RelationshipType::Contains,
                None,
            ));
        }
        if let Some(children) = c.get("components") {
            let children = children
                .as_array()
                .ok_or_else(|| format!("component {name:?}: `components` is not an array"))?;
            for child in children {
                self.component(child, Some(&id), true, depth + 1)?;
            }
        }
        Ok(id)
    }
}

/// Reads the CycloneDX JSON `value` (the document at `path`) into the
/// SPDX 2 model, or says why it cannot be checked.
pub fn read(path: &Path, value: &Value) -> Result<SPDX, ReadError> {
    let fail = |message: String| ReadError {
        path: path.to_path_buf(),
        format: "CycloneDX JSON",
        message: terminal_safe(message.as_bytes()).into_owned(),
    };
    let spec = text(value, "specVersion").unwrap_or("");
    if !matches!(spec, "1.2" | "1.3" | "1.4" | "1.5" | "1.6") {
        return Err(fail(format!(
            "unsupported specVersion {spec:?} (1.2 to 1.6 are read)"
        )));
    }
    let mut r = Reader {
        doc: SPDX::new(text(value, "serialNumber").unwrap_or("CycloneDX document")),
        anonymous: 0,
    };
    let info = &mut r.doc.document_creation_information;
    info.spdx_version = "SPDX-2.3".into();
    let metadata = value.get("metadata");
    if let Some(ts) = metadata.and_then(|m| text(m, "timestamp")) {
        info.creation_info.created = chrono::DateTime::parse_from_rfc3339(ts)
            .map_err(|e| fail(format!("metadata.timestamp {ts:?}: {e}")))?
            .with_timezone(&chrono::Utc);
    }
    let mut creators = Vec::new();
    if let Some(m) = metadata {
        let tools = m.get("tools");
        // 1.5+: {components: […]}; before: a list of tools.
        let tools = tools
            .and_then(|t| t.get("components"))
            .or(tools)
            .and_then(Value::as_array);
        for t in tools.into_iter().flatten() {
            if let Some(n) = text(t, "name") {
                creators.push(match text(t, "version") {
                    Some(v) => format!("Tool: {n}-{v}"),
                    None => format!("Tool: {n}"),
                });
            }
        }
        for a in m
            .get("authors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(p) = actor(a, "Person") {
                creators.push(p);
            }
        }
        if let Some(o) = m.get("manufacturer").and_then(|o| actor(o, "Organization")) {
            creators.push(o);
        }
    }
    r.doc.document_creation_information.creation_info.creators = creators;
    // The top-level components are what the document's subject is made
    // of: when the subject is a file (an archive), its contents.
    let mut root_id = None;
    let mut of_a_file = false;
    if let Some(root) = metadata.and_then(|m| m.get("component")) {
        let id = r.component(root, None, false, 0).map_err(fail)?;
        r.doc.relationships.push(Relationship::new(
            "SPDXRef-DOCUMENT",
            &id,
            RelationshipType::Describes,
            None,
        ));
        of_a_file = text(root, "type") == Some("file");
        root_id = Some(id);
    }
    if let Some(list) = value.get("components") {
        let list = list
            .as_array()
            .ok_or_else(|| fail("`components` is not an array".into()))?;
        let parent = root_id.as_deref().filter(|_| of_a_file);
        for c in list {
            r.component(c, parent, of_a_file, 0).map_err(fail)?;
        }
    }
    let doc = r.doc;
    if !crate::spdx_read::names_files_to_check(&doc) {
        return Err(fail(
            "describes no files to check (no `file` component has hashes)".into(),
        ));
    }
    Ok(doc)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Result<SPDX, String> {
        read(Path::new("x.cdx.json"), &v).map_err(|e| e.to_string())
    }

    #[test]
    fn file_components_are_what_is_checked() {
        let d = doc(json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6",
            "metadata": {
                "timestamp": "2023-11-14T22:13:20Z",
                "tools": {"components": [{"type": "application", "name": "apostille", "version": "0.1.0"}]},
                "component": {"type": "application", "bom-ref": "root", "name": "demo", "version": "1.4.0"}
            },
            "components": [
                {"type": "file", "bom-ref": "a", "name": "docs/NOTES.md", "version": "1.4.0",
                 "supplier": {"name": "Ann", "contact": [{"name": "Ann", "email": "ann@example.org"}]},
                 "hashes": [{"alg": "SHA-256", "content": "ab".repeat(32)}, {"alg": "Streebog-256", "content": "cd".repeat(32)}]},
                {"type": "file", "bom-ref": "t", "name": "demo.tar.gz",
                 "hashes": [{"alg": "SHA-512", "content": "ef".repeat(64)}],
                 "components": [{"type": "file", "bom-ref": "t1", "name": "demo/README", "hashes": [{"alg": "SHA-1", "content": "01".repeat(20)}]}]},
                {"type": "library", "bom-ref": "lib", "name": "serde", "hashes": [{"alg": "SHA-256", "content": "00".repeat(32)}]}
            ]
        }))
        .unwrap();
        let named: Vec<_> = doc_targets(&d);
        assert_eq!(
            named,
            ["./demo/README", "docs/NOTES.md", "demo.tar.gz"],
            "{d:?}"
        );
        let notes = &d.package_information[1];
        assert_eq!(notes.package_checksum.len(), 1);
        assert_eq!(
            notes.package_supplier.as_deref(),
            Some("Organization: Ann (ann@example.org)")
        );
        assert_eq!(
            d.document_creation_information.creation_info.creators,
            ["Tool: apostille-0.1.0"]
        );
        assert!(
            d.relationships
                .iter()
                .any(|r| r.relationship_type == RelationshipType::Describes
                    && r.related_spdx_element == "root")
        );
    }

    #[test]
    fn the_top_level_files_of_an_archive_are_its_contents() {
        let d = doc(json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6",
            "metadata": {"component": {"type": "file", "bom-ref": "t", "name": "demo.tar.gz",
                "hashes": [{"alg": "SHA-256", "content": "ab".repeat(32)}]}},
            "components": [{"type": "file", "bom-ref": "f", "name": "demo/README",
                "hashes": [{"alg": "SHA-256", "content": "cd".repeat(32)}]}]
        }))
        .unwrap();
        assert_eq!(doc_targets(&d), ["./demo/README", "demo.tar.gz"]);
        assert!(d.relationships.iter().any(|r| {
            r.relationship_type == RelationshipType::Contains
                && r.spdx_element_id == "t"
                && r.related_spdx_element == "f"
        }));
    }

    fn doc_targets(d: &SPDX) -> Vec<String> {
        d.file_information
            .iter()
            .map(|f| f.file_name.clone())
            .chain(
                d.package_information
                    .iter()
                    .filter_map(|p| p.package_file_name.clone()),
            )
            .collect()
    }

    #[test]
    fn what_cannot_be_checked_is_refused() {
        let none = doc(json!({"bomFormat": "CycloneDX", "specVersion": "1.6",
            "components": [{"type": "library", "name": "x"}]}))
        .unwrap_err();
        assert!(none.contains("describes no files to check"), "{none}");
        let old = doc(json!({"bomFormat": "CycloneDX", "specVersion": "1.1"})).unwrap_err();
        assert!(old.contains("unsupported specVersion"), "{old}");
        let bad = doc(json!({"bomFormat": "CycloneDX", "specVersion": "1.6",
            "components": [{"type": "file", "name": "x", "hashes": [{"alg": "SHA-256"}]}]}))
        .unwrap_err();
        assert!(
            bad.contains("x.cdx.json: not a well-formed CycloneDX JSON document"),
            "{bad}"
        );
        let mut deep = json!({"type": "file", "name": "leaf"});
        for _ in 0..(MAX_DEPTH + 2) {
            deep = json!({"type": "file", "name": "n", "components": [deep]});
        }
        let deep =
            doc(json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [deep]}))
                .unwrap_err();
        assert!(deep.contains("nest deeper"), "{deep}");
    }
}
