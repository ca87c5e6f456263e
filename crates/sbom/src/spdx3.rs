//! SPDX 3.0.1 JSON-LD output, converted from the SPDX 2.3 model (no Rust
//! crate writes SPDX 3 today).
//!
//! Mapping: packages → `software_Package` (PURL as `software_packageUrl`
//! and an `externalIdentifier`, checksums and the verification code as
//! `verifiedUsing`, supplier and originator as agents, declared license as
//! a `simplelicensing_LicenseExpression` with a `hasDeclaredLicense`
//! relationship; `NOASSERTION` is left out, which is how SPDX 3 says it);
//! files → `software_File`; the document's root is a `software_Sbom`
//! whose `rootElement`s are what the 2.3 document `DESCRIBES`;
//! `CONTAINS` → `contains`; `DEPENDS_ON` → `dependsOn`; build and dev
//! dependencies → `LifecycleScopedRelationship` `dependsOn` with scope
//! `build` or `development`.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use spdx_rs::models::{Algorithm, Checksum, RelationshipType, SPDX};

const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
const CREATION_INFO: &str = "_:creationinfo";

fn algorithm(a: Algorithm) -> Option<&'static str> {
    Some(match a {
        Algorithm::SHA1 => "sha1",
        Algorithm::SHA224 => "sha224",
        Algorithm::SHA256 => "sha256",
        Algorithm::SHA384 => "sha384",
        Algorithm::SHA512 => "sha512",
        Algorithm::MD5 => "md5",
        Algorithm::BLAKE3 => "blake3",
        _ => return None,
    })
}

fn hashes(sums: &[Checksum]) -> Vec<Value> {
    sums.iter()
        .filter_map(|c| {
            algorithm(c.algorithm)
                .map(|a| json!({"type": "Hash", "algorithm": a, "hashValue": c.value}))
        })
        .collect()
}

struct Graph {
    ns: String,
    elements: Vec<Value>,
    agents: BTreeMap<String, String>,
    rel_count: usize,
}

impl Graph {
    fn iri(&self, id: &str) -> String {
        format!("{}#{id}", self.ns)
    }

    /// The agent element for an SPDX 2 actor string, created once.
    fn agent(&mut self, actor: &str) -> Option<String> {
        let (kind, name) = actor.split_once(": ")?;
        let kind = match kind {
            "Person" => "Person",
            "Organization" => "Organization",
            "Tool" => "Tool",
            _ => return None,
        };
        if name == "NOASSERTION" {
            return None;
        }
        let name = name.split(" (").next().unwrap_or(name).trim().to_owned();
        if let Some(id) = self.agents.get(actor) {
            return Some(id.clone());
        }
        let id = self.iri(&format!("{kind}-{}", crate::common::id_part(&name)));
        self.elements.push(json!({
            "type": kind, "spdxId": id, "name": name, "creationInfo": CREATION_INFO
        }));
        self.agents.insert(actor.to_owned(), id.clone());
        Some(id)
    }

    fn relationship(&mut self, from: &str, to: Vec<String>, rel: &str, scope: Option<&str>) {
        self.rel_count += 1;
        let id = self.iri(&format!("Relationship-{}", self.rel_count));
        let mut r = json!({
            "type": if scope.is_some() { "LifecycleScopedRelationship" } else { "Relationship" },
            "spdxId": id,
            "creationInfo": CREATION_INFO,
            "from": from,
            "to": to,
            "relationshipType": rel,
        });
        if let Some(s) = scope {
            r["scope"] = json!(s);
        }
        self.elements.push(r);
    }
}

/// The SPDX 3.0.1 JSON-LD form of `doc`.
pub fn convert(doc: &SPDX) -> Value {
    let info = &doc.document_creation_information;
    let mut g = Graph {
        ns: info.spdx_document_namespace.clone(),
        elements: Vec::new(),
        agents: BTreeMap::new(),
        rel_count: 0,
    };
    let mut created_by = Vec::new();
    let mut created_using = Vec::new();
    for c in &info.creation_info.creators {
        if let Some(id) = g.agent(c) {
            if c.starts_with("Tool: ") {
                created_using.push(id);
            } else {
                created_by.push(id);
            }
        }
    }
    if created_by.is_empty() {
        let id = g.iri("SoftwareAgent-apostille");
        g.elements.push(json!({
            "type": "SoftwareAgent", "spdxId": id, "name": "apostille", "creationInfo": CREATION_INFO
        }));
        created_by.push(id);
    }
    let mut creation = json!({
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": "3.0.1",
        "created": info.creation_info.created.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "createdBy": created_by,
    });
    if !created_using.is_empty() {
        creation["createdUsing"] = json!(created_using);
    }

    let mut licenses: BTreeMap<String, String> = BTreeMap::new();
    for p in &doc.package_information {
        let id = g.iri(&p.package_spdx_identifier);
        let mut e = json!({
            "type": "software_Package",
            "spdxId": id,
            "creationInfo": CREATION_INFO,
            "name": p.package_name,
        });
        if let Some(v) = &p.package_version {
            e["software_packageVersion"] = json!(v);
        }
        if p.package_download_location != "NOASSERTION" && p.package_download_location != "NONE" {
            e["software_downloadLocation"] = json!(p.package_download_location);
        }
        if let Some(h) = &p.package_home_page {
            e["software_homePage"] = json!(h);
        }
        if let Some(purl) = p
            .external_reference
            .iter()
            .find(|r| r.reference_type == "purl")
        {
            e["software_packageUrl"] = json!(purl.reference_locator);
            e["externalIdentifier"] = json!([{
                "type": "ExternalIdentifier",
                "externalIdentifierType": "packageUrl",
                "identifier": purl.reference_locator,
            }]);
        }
        let mut verified = hashes(&p.package_checksum);
        if let Some(code) = &p.package_verification_code {
            verified.push(json!({
                "type": "PackageVerificationCode", "algorithm": "sha1", "hashValue": code.value
            }));
        }
        if !verified.is_empty() {
            e["verifiedUsing"] = json!(verified);
        }
        if let Some(s) = p.package_supplier.as_deref().and_then(|s| g.agent(s)) {
            e["suppliedBy"] = json!(s);
        }
        if let Some(o) = p.package_originator.as_deref().and_then(|s| g.agent(s)) {
            e["originatedBy"] = json!([o]);
        }
        if let Some(f) = &p.package_file_name {
            e["comment"] = json!(format!("file name: {f}"));
        }
        g.elements.push(e);
        if let Some(l) = &p.declared_license {
            let text = l.to_string();
            if text != "NOASSERTION" && text != "NONE" {
                let lic = match licenses.get(&text) {
                    Some(lic) => lic.clone(),
                    None => {
                        let lic = g.iri(&format!("License-{}", licenses.len() + 1));
                        g.elements.push(json!({
                            "type": "simplelicensing_LicenseExpression",
                            "spdxId": lic,
                            "creationInfo": CREATION_INFO,
                            "simplelicensing_licenseExpression": text,
                        }));
                        licenses.insert(text, lic.clone());
                        lic
                    }
                };
                g.relationship(&id, vec![lic], "hasDeclaredLicense", None);
            }
        }
    }
    for f in &doc.file_information {
        let id = g.iri(&f.file_spdx_identifier);
        let mut e = json!({
            "type": "software_File",
            "spdxId": id,
            "creationInfo": CREATION_INFO,
            "name": f.file_name.strip_prefix("./").unwrap_or(&f.file_name),
        });
        let verified = hashes(&f.file_checksum);
        if !verified.is_empty() {
            e["verifiedUsing"] = json!(verified);
        }
        g.elements.push(e);
    }
    let mut roots = Vec::new();
    for r in &doc.relationships {
        let from = g.iri(&r.spdx_element_id);
        let to = g.iri(&r.related_spdx_element);
        match r.relationship_type {
            RelationshipType::Describes if r.spdx_element_id == "SPDXRef-DOCUMENT" => {
                roots.push(to)
            }
            RelationshipType::Describes => g.relationship(&from, vec![to], "describes", None),
            RelationshipType::Contains => g.relationship(&from, vec![to], "contains", None),
            RelationshipType::DependsOn => g.relationship(&from, vec![to], "dependsOn", None),
            RelationshipType::BuildDependencyOf => {
                g.relationship(&to, vec![from], "dependsOn", Some("build"))
            }
            RelationshipType::DevDependencyOf => {
                g.relationship(&to, vec![from], "dependsOn", Some("development"))
            }
            _ => g.relationship(&from, vec![to], "other", None),
        }
    }
    let data_license = g.iri("License-data");
    g.elements.push(json!({
        "type": "simplelicensing_LicenseExpression",
        "spdxId": data_license,
        "creationInfo": CREATION_INFO,
        "simplelicensing_licenseExpression": info.data_license,
    }));
    let element_ids: Vec<Value> = g
        .elements
        .iter()
        .filter_map(|e| e.get("spdxId").cloned())
        .collect();
    // The document's root is an Sbom element, whose roots are what the
    // SPDX 2 document describes. A workspace SBOM comes from the lockfile
    // (`source`); archive and artifact SBOMs from reading the bytes
    // (`analyzed`).
    let sbom_id = g.iri("SPDXRef-Sbom");
    let sbom_type = if doc.file_information.is_empty() {
        "source"
    } else {
        "analyzed"
    };
    let mut sbom_elements = element_ids.clone();
    sbom_elements.retain(|e| e.as_str() != Some(data_license.as_str()));
    let sbom = json!({
        "type": "software_Sbom",
        "spdxId": sbom_id,
        "creationInfo": CREATION_INFO,
        "name": info.document_name,
        "software_sbomType": [sbom_type],
        "rootElement": roots,
        "element": sbom_elements,
    });
    let mut element_ids = element_ids;
    element_ids.push(json!(sbom_id));
    let mut document = json!({
        "type": "SpdxDocument",
        "spdxId": g.iri("SPDXRef-DOCUMENT"),
        "creationInfo": CREATION_INFO,
        "name": info.document_name,
        "profileConformance": ["core", "software", "simpleLicensing"],
        "dataLicense": data_license,
        "rootElement": [sbom_id],
        "element": element_ids,
    });
    if let Some(c) = &info.document_comment {
        document["comment"] = json!(c);
    }
    let mut graph = vec![creation, document, sbom];
    graph.extend(g.elements);
    json!({"@context": CONTEXT, "@graph": graph})
}
