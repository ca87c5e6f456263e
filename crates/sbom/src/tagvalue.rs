//! SPDX 2.3 tag-value output. `spdx-rs` parses tag-value but does not write
//! it; this writer fills that gap from the same model.
//!
//! Files are written before packages and every relationship explicitly:
//! tag-value readers tie a file that follows a package to it with an
//! implied `CONTAINS`, which would duplicate the written ones.

use std::fmt::Write;

use serde::Serialize;
use spdx_rs::models::SPDX;

/// The serde name of an `spdx-rs` enum value (`SHA256`, `DESCRIBES`,
/// `PACKAGE-MANAGER`).
fn name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "NOASSERTION".into(),
    }
}

/// Free text: single-line values as they are, anything else in `<text>`.
fn text(s: &str) -> String {
    if s.contains('\n') || s.contains(':') || s.contains('<') {
        format!("<text>{}</text>", s.replace("</text>", "< /text>"))
    } else {
        s.to_owned()
    }
}

/// Writes `doc` as SPDX 2.3 tag-value.
pub fn write(doc: &SPDX) -> String {
    let mut o = String::new();
    let d = &doc.document_creation_information;
    let line = |o: &mut String, tag: &str, value: &str| {
        let _ = writeln!(o, "{tag}: {value}");
    };
    line(&mut o, "SPDXVersion", &d.spdx_version);
    line(&mut o, "DataLicense", &d.data_license);
    line(&mut o, "SPDXID", &d.spdx_identifier);
    line(&mut o, "DocumentName", &d.document_name);
    line(&mut o, "DocumentNamespace", &d.spdx_document_namespace);
    if let Some(c) = &d.document_comment {
        line(&mut o, "DocumentComment", &format!("<text>{c}</text>"));
    }
    o.push('\n');
    o.push_str("## Creation Information\n");
    for c in &d.creation_info.creators {
        line(&mut o, "Creator", c);
    }
    line(
        &mut o,
        "Created",
        &d.creation_info
            .created
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    );
    if let Some(c) = &d.creation_info.creator_comment {
        line(&mut o, "CreatorComment", &format!("<text>{c}</text>"));
    }
    for f in &doc.file_information {
        o.push('\n');
        o.push_str("## File Information\n");
        line(&mut o, "FileName", &f.file_name);
        line(&mut o, "SPDXID", &f.file_spdx_identifier);
        for t in &f.file_type {
            line(&mut o, "FileType", &name(t));
        }
        for c in &f.file_checksum {
            line(
                &mut o,
                "FileChecksum",
                &format!("{}: {}", name(&c.algorithm), c.value),
            );
        }
        if let Some(l) = &f.concluded_license {
            line(&mut o, "LicenseConcluded", &l.to_string());
        }
        if let Some(c) = &f.copyright_text {
            line(&mut o, "FileCopyrightText", &text(c));
        }
        if let Some(c) = &f.file_comment {
            line(&mut o, "FileComment", &format!("<text>{c}</text>"));
        }
    }
    for p in &doc.package_information {
        o.push('\n');
        o.push_str("## Package Information\n");
        line(&mut o, "PackageName", &p.package_name);
        line(&mut o, "SPDXID", &p.package_spdx_identifier);
        if let Some(v) = &p.package_version {
            line(&mut o, "PackageVersion", v);
        }
        if let Some(v) = &p.package_file_name {
            line(&mut o, "PackageFileName", v);
        }
        if let Some(v) = &p.package_supplier {
            line(&mut o, "PackageSupplier", v);
        }
        if let Some(v) = &p.package_originator {
            line(&mut o, "PackageOriginator", v);
        }
        line(
            &mut o,
            "PackageDownloadLocation",
            &p.package_download_location,
        );
        if let Some(v) = p.files_analyzed {
            line(&mut o, "FilesAnalyzed", if v { "true" } else { "false" });
        }
        if let Some(v) = &p.package_verification_code {
            line(&mut o, "PackageVerificationCode", &v.value);
        }
        for c in &p.package_checksum {
            line(
                &mut o,
                "PackageChecksum",
                &format!("{}: {}", name(&c.algorithm), c.value),
            );
        }
        if let Some(v) = &p.package_home_page {
            line(&mut o, "PackageHomePage", v);
        }
        if let Some(l) = &p.concluded_license {
            line(&mut o, "PackageLicenseConcluded", &l.to_string());
        }
        if let Some(l) = &p.declared_license {
            line(&mut o, "PackageLicenseDeclared", &l.to_string());
        }
        if let Some(c) = &p.comments_on_license {
            line(
                &mut o,
                "PackageLicenseComments",
                &format!("<text>{c}</text>"),
            );
        }
        if let Some(c) = &p.copyright_text {
            line(&mut o, "PackageCopyrightText", &text(c));
        }
        if let Some(c) = &p.package_comment {
            line(&mut o, "PackageComment", &format!("<text>{c}</text>"));
        }
        for r in &p.external_reference {
            line(
                &mut o,
                "ExternalRef",
                &format!(
                    "{} {} {}",
                    name(&r.reference_category),
                    r.reference_type,
                    r.reference_locator
                ),
            );
        }
    }
    if !doc.relationships.is_empty() {
        o.push('\n');
        o.push_str("## Relationships\n");
    }
    for r in &doc.relationships {
        line(
            &mut o,
            "Relationship",
            &format!(
                "{} {} {}",
                r.spdx_element_id,
                name(&r.relationship_type),
                r.related_spdx_element
            ),
        );
        if let Some(c) = &r.comment {
            line(&mut o, "RelationshipComment", &format!("<text>{c}</text>"));
        }
    }
    o
}
