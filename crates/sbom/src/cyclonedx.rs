//! CycloneDX 1.6 JSON, converted from the SPDX 2.3 model every builder
//! here writes.
//!
//! Why not the `cyclonedx-bom` crate: its newest release (0.8) models
//! specifications 1.3 to 1.5 only; 1.6 is what the issue and Apache's
//! release tooling ask for, and the mapping from our model is small.
//!
//! Mapping:
//! * the one package the document `DESCRIBES` is `metadata.component`
//!   (several described packages: none is, all are components);
//! * other packages are `components`: `library` when they have a package
//!   URL (a crate), `file` when they name a file (a release artifact, an
//!   archive), `application` otherwise; a file component's `name` is its
//!   path, as syft writes file components;
//! * SPDX files are `file` components nested in the package that
//!   `CONTAINS` them (an archive's contents), or at the top level;
//! * checksums are `hashes` (`SHA-256`, …); SHA-224, which CycloneDX does
//!   not name, is left out, and a BLAKE3 longer than 256 bits is cut to its
//!   first 256, the standard BLAKE3 output (CycloneDX's hash pattern allows
//!   no longer value);
//! * the declared license is a license `expression`; `NOASSERTION` and
//!   `NONE` are left out, which is how CycloneDX says it;
//! * supplier `Organization: X` is `{name: X}`, `Person: N (e)` is
//!   `{name: N, contact: [{name: N, email: e}]}`;
//! * the download location is an external reference (`vcs` for `git+…`,
//!   else `distribution`), the home page `website`;
//! * `DEPENDS_ON` (and build and development dependencies) are
//!   `dependencies`;
//! * the serial number is a UUID v5 of the SPDX document namespace, which
//!   is derived from the content, so the same inputs give the same bytes;
//!   `metadata.timestamp` is the document's `created`.

use std::collections::{BTreeMap, BTreeSet};

use apostille_digest::{Algorithm as Alg, Hasher};
use serde_json::{Map, Value, json};
use spdx_rs::models::{Algorithm, Checksum, PackageInformation, RelationshipType, SPDX};

/// The JSON schema the output claims, as CycloneDX's own tools write it.
pub const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

/// The RFC 4122 URL namespace, for the serial number's UUID v5.
const URL_NAMESPACE: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

fn algorithm(a: Algorithm) -> Option<&'static str> {
    Some(match a {
        Algorithm::MD5 => "MD5",
        Algorithm::SHA1 => "SHA-1",
        Algorithm::SHA256 => "SHA-256",
        Algorithm::SHA384 => "SHA-384",
        Algorithm::SHA512 => "SHA-512",
        Algorithm::BLAKE3 => "BLAKE3",
        _ => return None,
    })
}

fn hashes(sums: &[Checksum]) -> Vec<Value> {
    sums.iter()
        .filter_map(|c| {
            let alg = algorithm(c.algorithm)?;
            let value = if c.algorithm == Algorithm::BLAKE3 {
                c.value.get(..64)?
            } else {
                &c.value
            };
            Some(json!({"alg": alg, "content": value}))
        })
        .collect()
}

/// `Organization: X` or `Person: N (e)` as an organizational entity.
fn entity(actor: &str) -> Option<Value> {
    let (kind, rest) = actor.split_once(": ")?;
    let rest = rest.trim();
    if rest == "NOASSERTION" || rest.is_empty() {
        return None;
    }
    match kind {
        "Organization" => Some(json!({"name": rest})),
        "Person" => {
            let (name, email) = person(rest);
            let mut contact = json!({"name": name});
            if let Some(e) = email {
                contact["email"] = json!(e);
            }
            Some(json!({"name": name, "contact": [contact]}))
        }
        _ => None,
    }
}

/// `Name (email)` split; the email only when it looks like one.
fn person(s: &str) -> (&str, Option<&str>) {
    match s.rsplit_once(" (") {
        Some((name, tail)) => {
            let email = tail.strip_suffix(')').filter(|e| e.contains('@'));
            match email {
                Some(e) => (name.trim(), Some(e)),
                None => (s, None),
            }
        }
        None => (s, None),
    }
}

fn license(p: &PackageInformation) -> Option<Value> {
    let text = p.declared_license.as_ref()?.to_string();
    if text == "NOASSERTION" || text == "NONE" || text.is_empty() {
        return None;
    }
    Some(json!([{"expression": text}]))
}

fn component(p: &PackageInformation) -> Value {
    let purl = p
        .external_reference
        .iter()
        .find(|r| r.reference_type == "purl")
        .map(|r| r.reference_locator.clone());
    let kind = if purl.is_some() {
        "library"
    } else if p.package_file_name.is_some() {
        "file"
    } else {
        "application"
    };
    let name = match (&p.package_file_name, kind) {
        (Some(f), "file") => f.strip_prefix("./").unwrap_or(f).to_owned(),
        _ => p.package_name.clone(),
    };
    let mut c = Map::new();
    c.insert("type".into(), json!(kind));
    c.insert("bom-ref".into(), json!(p.package_spdx_identifier));
    if let Some(s) = p.package_supplier.as_deref().and_then(entity) {
        c.insert("supplier".into(), s);
    }
    c.insert("name".into(), json!(name));
    if let Some(v) = &p.package_version {
        c.insert("version".into(), json!(v));
    }
    let h = hashes(&p.package_checksum);
    if !h.is_empty() {
        c.insert("hashes".into(), json!(h));
    }
    if let Some(l) = license(p) {
        c.insert("licenses".into(), l);
    }
    if let Some(purl) = purl {
        c.insert("purl".into(), json!(purl));
    }
    let mut refs = Vec::new();
    let loc = &p.package_download_location;
    if loc != "NOASSERTION" && loc != "NONE" && !loc.is_empty() {
        let kind = if loc.starts_with("git+") {
            "vcs"
        } else {
            "distribution"
        };
        refs.push(json!({"type": kind, "url": loc}));
    }
    if let Some(h) = &p.package_home_page {
        refs.push(json!({"type": "website", "url": h}));
    }
    if !refs.is_empty() {
        c.insert("externalReferences".into(), json!(refs));
    }
    Value::Object(c)
}

/// The UUID v5 (RFC 4122, SHA-1, URL namespace) of `name`, as CycloneDX
/// serial numbers are written (without the `urn:uuid:` prefix).
pub fn uuid_v5(name: &str) -> String {
    let mut data = URL_NAMESPACE.to_vec();
    data.extend_from_slice(name.as_bytes());
    let d = Hasher::digest(Alg::Sha1, &data)
        .map(|d| d.as_bytes().to_vec())
        .unwrap_or_else(|| vec![0; 20]);
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// The CycloneDX 1.6 JSON form of `doc`.
pub fn convert(doc: &SPDX) -> Value {
    let info = &doc.document_creation_information;
    let described: Vec<&str> = doc
        .relationships
        .iter()
        .filter(|r| {
            r.relationship_type == RelationshipType::Describes
                && r.spdx_element_id == "SPDXRef-DOCUMENT"
        })
        .map(|r| r.related_spdx_element.as_str())
        .collect();
    let root = match described.as_slice() {
        [one] => doc
            .package_information
            .iter()
            .find(|p| p.package_spdx_identifier == *one),
        _ => None,
    };
    let root_id = root.map(|p| p.package_spdx_identifier.as_str());

    // Which package (other than the root) contains each file.
    let packages: BTreeSet<&str> = doc
        .package_information
        .iter()
        .map(|p| p.package_spdx_identifier.as_str())
        .collect();
    let mut container: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &doc.relationships {
        if r.relationship_type == RelationshipType::Contains
            && Some(r.spdx_element_id.as_str()) != root_id
            && packages.contains(r.spdx_element_id.as_str())
        {
            container
                .entry(r.related_spdx_element.as_str())
                .or_insert(r.spdx_element_id.as_str());
        }
    }
    let mut nested: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut top_files = Vec::new();
    for f in &doc.file_information {
        let name = f.file_name.strip_prefix("./").unwrap_or(&f.file_name);
        let mut c = json!({
            "type": "file",
            "bom-ref": f.file_spdx_identifier,
            "name": name,
        });
        let h = hashes(&f.file_checksum);
        if !h.is_empty() {
            c["hashes"] = json!(h);
        }
        match container.get(f.file_spdx_identifier.as_str()) {
            Some(pkg) => nested.entry(pkg).or_default().push(c),
            None => top_files.push(c),
        }
    }
    let with_nested = |p: &PackageInformation, nested: &mut BTreeMap<&str, Vec<Value>>| {
        let mut c = component(p);
        if let Some(files) = nested.remove(p.package_spdx_identifier.as_str()) {
            c["components"] = json!(files);
        }
        c
    };
    let mut components = Vec::new();
    for p in &doc.package_information {
        if Some(p.package_spdx_identifier.as_str()) != root_id {
            components.push(with_nested(p, &mut nested));
        }
    }
    components.extend(top_files);

    let mut deps: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let known: BTreeSet<&str> = packages
        .iter()
        .copied()
        .chain(
            doc.file_information
                .iter()
                .map(|f| f.file_spdx_identifier.as_str()),
        )
        .collect();
    for r in &doc.relationships {
        let (from, to) = match r.relationship_type {
            RelationshipType::DependsOn => (&r.spdx_element_id, &r.related_spdx_element),
            RelationshipType::BuildDependencyOf | RelationshipType::DevDependencyOf => {
                (&r.related_spdx_element, &r.spdx_element_id)
            }
            _ => continue,
        };
        if known.contains(from.as_str()) && known.contains(to.as_str()) {
            deps.entry(from).or_default().insert(to);
        }
    }

    let mut metadata = Map::new();
    metadata.insert(
        "timestamp".into(),
        json!(
            info.creation_info
                .created
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        ),
    );
    let mut tools = Vec::new();
    let mut authors = Vec::new();
    let mut manufacturer = None;
    for c in &info.creation_info.creators {
        if let Some(tool) = c.strip_prefix("Tool: ") {
            let (name, version) = match tool.rsplit_once('-') {
                Some((n, v)) if v.starts_with(|ch: char| ch.is_ascii_digit()) => (n, Some(v)),
                _ => (tool, None),
            };
            let mut t = json!({"type": "application", "name": name});
            if let Some(v) = version {
                t["version"] = json!(v);
            }
            tools.push(t);
        } else if let Some(p) = c.strip_prefix("Person: ") {
            let (name, email) = person(p.trim());
            let mut a = json!({"name": name});
            if let Some(e) = email {
                a["email"] = json!(e);
            }
            authors.push(a);
        } else if manufacturer.is_none() {
            manufacturer = entity(c);
        }
    }
    if !tools.is_empty() {
        metadata.insert("tools".into(), json!({"components": tools}));
    }
    if !authors.is_empty() {
        metadata.insert("authors".into(), json!(authors));
    }
    if let Some(root) = root {
        metadata.insert("component".into(), with_nested(root, &mut nested));
    }
    if let Some(m) = manufacturer {
        metadata.insert("manufacturer".into(), m);
    }

    let mut bom = Map::new();
    bom.insert("$schema".into(), json!(SCHEMA));
    bom.insert("bomFormat".into(), json!("CycloneDX"));
    bom.insert("specVersion".into(), json!("1.6"));
    bom.insert(
        "serialNumber".into(),
        json!(format!(
            "urn:uuid:{}",
            uuid_v5(&info.spdx_document_namespace)
        )),
    );
    bom.insert("version".into(), json!(1));
    bom.insert("metadata".into(), Value::Object(metadata));
    bom.insert("components".into(), json!(components));
    if !deps.is_empty() {
        let list: Vec<Value> = deps
            .into_iter()
            .map(|(r, on)| json!({"ref": r, "dependsOn": on.into_iter().collect::<Vec<_>>()}))
            .collect();
        bom.insert("dependencies".into(), json!(list));
    }
    Value::Object(bom)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_serial_number_is_the_rfc_4122_uuid_v5() {
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/doc")
        assert_eq!(
            uuid_v5("https://example.org/doc"),
            "cfc6e5bf-a7a5-5d33-8ff1-7ad8304026d5"
        );
    }

    #[test]
    fn suppliers_become_entities() {
        assert_eq!(
            entity("Person: Ann Example (ann@example.org)").unwrap(),
            json!({"name": "Ann Example", "contact": [{"name": "Ann Example", "email": "ann@example.org"}]})
        );
        assert_eq!(
            entity("Organization: example-org").unwrap(),
            json!({"name": "example-org"})
        );
        assert!(entity("Organization: NOASSERTION").is_none());
        assert!(entity("NOASSERTION").is_none());
        // A name with parentheses that are not an email stays whole.
        assert_eq!(
            entity("Person: Demo (TEST KEY ONLY)").unwrap()["name"],
            "Demo (TEST KEY ONLY)"
        );
    }

    #[test]
    fn blake3_is_cut_to_256_bits_and_sha224_left_out() {
        let h = hashes(&[
            Checksum::new(Algorithm::BLAKE3, &"ab".repeat(128)),
            Checksum::new(Algorithm::SHA224, &"cd".repeat(28)),
            Checksum::new(Algorithm::SHA256, &"ef".repeat(32)),
        ]);
        assert_eq!(
            h,
            vec![
                json!({"alg": "BLAKE3", "content": "ab".repeat(32)}),
                json!({"alg": "SHA-256", "content": "ef".repeat(32)}),
            ]
        );
    }
}
