//! Reading SPDX 2.x documents (JSON or tag-value), and CycloneDX JSON
//! through [`crate::cdx_read`], into spdx-rs's model,
//! for [`crate::sbom`]. The producer (`apostille-sbom`) writes with the same
//! model; the two crates share only what `apostille_digest::spdx` holds.
//!
//! The format is decided up front, never by trying one parser after the
//! other: a document whose first non-whitespace byte is `{` is JSON, and a
//! JSON error is the answer; otherwise it is tag-value only when its first
//! line that is not blank or a `#` comment is `SPDXVersion: …`. Anything
//! else (an empty file, `null`, `[]`, a byte before the `{`, a `//`
//! comment) is refused, as is a document that describes no file or package
//! with checksums, which would otherwise pass without checking anything.

use std::path::{Path, PathBuf};

use apostille_digest::display::terminal_safe;
use spdx_rs::models::SPDX;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: not a well-formed {format} document: {message}", terminal_safe(.path.as_os_str().as_encoded_bytes()))]
pub struct ReadError {
    /// The document.
    pub path: PathBuf,
    /// What it was read as: `SPDX 2.x`, `CycloneDX JSON`.
    pub format: &'static str,
    /// The parser's complaint (safe to print: controls are escaped).
    pub message: String,
}

/// The SPDX 2.x tags the tag-value parser under us knows. It answers any
/// other with a debug print to standard error and a panic, so an unknown
/// tag is refused before it is reached.
const KNOWN_TAGS: &[&str] = &[
    "SPDXVersion",
    "DataLicense",
    "SPDXID",
    "DocumentName",
    "DocumentNamespace",
    "ExternalDocumentRef",
    "LicenseListVersion",
    "Creator",
    "Created",
    "CreatorComment",
    "DocumentComment",
    "PackageName",
    "PackageVersion",
    "PackageFileName",
    "PackageSupplier",
    "PackageOriginator",
    "PackageDownloadLocation",
    "FilesAnalyzed",
    "PackageVerificationCode",
    "PackageChecksum",
    "PackageHomePage",
    "PackageSourceInfo",
    "PackageLicenseConcluded",
    "PackageLicenseInfoFromFiles",
    "PackageLicenseDeclared",
    "PackageLicenseComments",
    "PackageCopyrightText",
    "PackageSummary",
    "PackageDescription",
    "PackageComment",
    "ExternalRef",
    "ExternalRefComment",
    "PackageAttributionText",
    "PrimaryPackagePurpose",
    "BuiltDate",
    "ReleaseDate",
    "ValidUntilDate",
    "FileName",
    "FileType",
    "FileChecksum",
    "LicenseConcluded",
    "LicenseInfoInFile",
    "LicenseComments",
    "FileCopyrightText",
    "FileComment",
    "FileNotice",
    "FileContributor",
    "FileAttributionText",
    "SnippetSPDXID",
    "SnippetFromFileSPDXID",
    "SnippetByteRange",
    "SnippetLineRange",
    "SnippetLicenseConcluded",
    "LicenseInfoInSnippet",
    "SnippetLicenseComments",
    "SnippetCopyrightText",
    "SnippetComment",
    "SnippetName",
    "SnippetAttributionText",
    "LicenseID",
    "ExtractedText",
    "LicenseName",
    "LicenseCrossReference",
    "LicenseComment",
    "Relationship",
    "RelationshipComment",
    "Annotator",
    "AnnotationDate",
    "AnnotationType",
    "SPDXREF",
    "AnnotationComment",
];

/// The relationship types that parser knows (any other: the same debug
/// print and panic).
const KNOWN_RELATIONSHIPS: &[&str] = &[
    "DESCRIBES",
    "DESCRIBED_BY",
    "CONTAINS",
    "CONTAINED_BY",
    "DEPENDS_ON",
    "DEPENDENCY_OF",
    "DEPENDENCY_MANIFEST_OF",
    "BUILD_DEPENDENCY_OF",
    "DEV_DEPENDENCY_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "PROVIDED_DEPENDENCY_OF",
    "TEST_DEPENDENCY_OF",
    "RUNTIME_DEPENDENCY_OF",
    "EXAMPLE_OF",
    "GENERATES",
    "GENERATED_FROM",
    "ANCESTOR_OF",
    "DESCENDANT_OF",
    "VARIANT_OF",
    "DISTRIBUTION_ARTIFACT",
    "PATCH_FOR",
    "PATCH_APPLIED",
    "COPY_OF",
    "FILE_ADDED",
    "FILE_DELETED",
    "FILE_MODIFIED",
    "EXPANDED_FROM_ARCHIVE",
    "DYNAMIC_LINK",
    "STATIC_LINK",
    "DATA_FILE_OF",
    "TEST_CASE_OF",
    "BUILD_TOOL_OF",
    "DEV_TOOL_OF",
    "TEST_OF",
    "TEST_TOOL_OF",
    "DOCUMENTATION_OF",
    "OPTIONAL_COMPONENT_OF",
    "METAFILE_OF",
    "PACKAGE_OF",
    "AMENDS",
    "PREREQUISITE_FOR",
    "HAS_PREREQUISITE",
    "SPECIFICATION_FOR",
    "REQUIREMENT_DESCRIPTION_FOR",
    "OTHER",
];

/// Refuses, by line, what would make the tag-value parser print and panic:
/// every line must be blank, a `#` comment, `Tag: value` with a tag it
/// knows, or inside a `<text>…</text>` value that starts its value; a
/// `Relationship:` must be `A TYPE B` with a type it knows. Stricter than
/// the parser, so that it never meets a line it would print.
fn known_tags_only(text: &str) -> Result<(), String> {
    let at = |i: usize, what: String| Err(format!("line {}: {what}", i + 1));
    // The parser splits on a lone CR and skips NUL-like controls where
    // lines() does not: such bytes would let it see lines this check never
    // saw.
    if let Some(i) = text.lines().position(|l| {
        l.chars()
            .any(|c| (c.is_control() && c != '\t') || c == '\u{85}' || c == '\u{2028}')
    }) {
        return at(i, "control character in a tag-value document".into());
    }
    let mut in_text = false;
    for (i, line) in text.lines().enumerate() {
        if in_text {
            if let Some((_, after)) = line.split_once("</text>") {
                if !after.trim().is_empty() {
                    return at(i, "text after `</text>`".into());
                }
                in_text = false;
            }
            continue;
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = t.split_once(':') else {
            return at(i, "not a `Tag: value` line".into());
        };
        if !KNOWN_TAGS.contains(&tag) {
            return at(
                i,
                format!("unknown tag `{}`", terminal_safe(tag.as_bytes())),
            );
        }
        let value = value.trim();
        if value.is_empty() {
            // The parser would take the next line as the value.
            return at(i, format!("`{tag}:` without a value"));
        }
        if let Some(body) = value.strip_prefix("<text>") {
            match body.split_once("</text>") {
                Some((_, after)) if !after.trim().is_empty() => {
                    return at(i, "text after `</text>`".into());
                }
                Some(_) => {}
                None => in_text = true,
            }
            continue;
        }
        if value.contains("<text>") || value.contains("</text>") {
            return at(i, "`<text>` not at the start of the value".into());
        }
        if tag == "Relationship" {
            let parts: Vec<&str> = value.split_whitespace().collect();
            let known =
                parts.len() == 3 && KNOWN_RELATIONSHIPS.contains(&parts[1].to_uppercase().as_str());
            if !known {
                return at(
                    i,
                    format!(
                        "relationship `{}` is not `A TYPE B` of a known type",
                        terminal_safe(value.as_bytes())
                    ),
                );
            }
        }
    }
    if in_text {
        return Err("a `<text>` value is never closed".into());
    }
    Ok(())
}

thread_local! {
    /// Set while [`contained`] runs: its panics are expected and not shown.
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, a third-party parser that may panic on hostile input, and
/// turns a panic into an error carrying the panic's message. The panic is
/// not printed: the process's panic hook is wrapped once so that it stays
/// quiet for panics inside `contained` on this thread, and reports every
/// other panic as before.
fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    CONTAINED.with(|c| c.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned())
    })
}

/// Whether the first line of `text` that is not blank or a `#` comment is
/// an `SPDXVersion:` tag.
fn looks_like_tag_value(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("SPDXVersion:"))
}

/// Parses `bytes` (the document at `path`) as SPDX 2.x JSON when its first
/// non-whitespace byte is `{`, as tag-value when its first line (after
/// blank lines and comments) is `SPDXVersion: …`, and refuses anything
/// else. CycloneDX JSON (`"bomFormat": "CycloneDX"`) is read by
/// `cdx_read` into the same model. SPDX 3 JSON-LD is recognised
/// and refused with that reason; so is a document with no file or package
/// checksum to check.
pub fn read(path: &Path, bytes: &[u8]) -> Result<SPDX, ReadError> {
    let fail = |message: String| ReadError {
        path: path.to_path_buf(),
        format: "SPDX 2.x",
        message: terminal_safe(message.as_bytes()).into_owned(),
    };
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let doc = match start.map(|i| bytes[i]) {
        None => return Err(fail("empty document".into())),
        Some(b'{') => {
            // serde_json's recursion limit (128) stays on: deep nesting is
            // an error here, not a stack overflow.
            let value: serde_json::Value =
                serde_json::from_slice(bytes).map_err(|e| fail(format!("JSON: {e}")))?;
            if value.get("@context").is_some() {
                return Err(fail(
                    "SPDX 3 JSON-LD; verify reads SPDX 2.x (JSON or tag-value)".into(),
                ));
            }
            if value.get("bomFormat").and_then(|v| v.as_str()) == Some("CycloneDX") {
                return crate::cdx_read::read(path, &value);
            }
            if value.get("spdxVersion").is_none() {
                return Err(fail(
                    "JSON that is neither SPDX (no `spdxVersion`) nor CycloneDX".into(),
                ));
            }
            drop(value);
            // Parsed again from the bytes so that errors carry a line and
            // column.
            serde_json::from_slice::<SPDX>(bytes).map_err(|e| fail(format!("JSON: {e}")))?
        }
        Some(b'[' | b'"') => {
            return Err(fail(
                "JSON that is not an object; an SPDX document is a JSON object".into(),
            ));
        }
        Some(_) => {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| fail(format!("neither JSON nor UTF-8 tag-value text: {e}")))?;
            if !looks_like_tag_value(text) {
                return Err(fail(
                    "neither JSON (first character `{`) nor tag-value (first line `SPDXVersion: …`)"
                        .into(),
                ));
            }
            // spdx-rs 0.5 panics (todo!, unimplemented!, unwrap) on tags,
            // algorithms and license expressions it does not know, found
            // by fuzzing: a document it cannot read is refused, not a
            // crash.
            known_tags_only(text).map_err(|e| fail(format!("tag-value: {e}")))?;
            contained(|| spdx_rs::parsers::spdx_from_tag_value(text))
                .map_err(|why| {
                    fail(format!(
                        "tag-value the SPDX parser cannot read (it gave up: {why})"
                    ))
                })?
                .map_err(|e| fail(format!("tag-value: {e}")))?
        }
    };
    let version = &doc.document_creation_information.spdx_version;
    if !version.starts_with("SPDX-2.") {
        return Err(fail(format!("unsupported spdxVersion `{version}`")));
    }
    if !names_files_to_check(&doc) {
        return Err(fail(
            "describes no files to check (no file, and no package with a packageFileName, has checksums)"
                .into(),
        ));
    }
    Ok(doc)
}

/// Whether `doc` has anything [`crate::sbom`] would check: a file, or a
/// package with a file name, that has checksums.
pub(crate) fn names_files_to_check(doc: &SPDX) -> bool {
    let files = doc
        .file_information
        .iter()
        .any(|f| !f.file_checksum.is_empty());
    let packages = doc
        .package_information
        .iter()
        .any(|p| p.package_file_name.is_some() && !p.package_checksum.is_empty());
    files || packages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        read(Path::new("d.spdx"), bytes)
            .expect_err("refused")
            .to_string()
    }

    /// Found by the `spdx` fuzz target: spdx-rs panicked on these, and
    /// `apostille verify` exited 101.
    #[test]
    fn tag_value_the_parser_panics_on_is_refused_not_a_crash() {
        let head = "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\nDocumentNamespace: https://example.org/d\nCreator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n\nFileName: ./a\nSPDXID: SPDXRef-F\n";
        for (tail, why) in [
            (
                "FileChecksum: SHA257: 00\n",
                "tag-value the SPDX parser cannot read",
            ),
            (
                "FilerChecksum: SHA256: 00\n",
                "line 11: unknown tag `FilerChecksum`",
            ),
            (
                "Relationship: SPDXRef-DOCUMENT FRIEND_OF SPDXRef-F\n",
                "line 11: relationship `SPDXRef-DOCUMENT FRIEND_OF SPDXRef-F` is not",
            ),
            (
                "Relationship:\nSPDXRef-A CONPAINS SPDXRef-B\n",
                "`Relationship:` without a value",
            ),
            (
                "FileComment: a\rRelationship: SPDXRef-A CONPAINS SPDXRef-B\n",
                "line 11: control character",
            ),
        ] {
            let e = err(format!("{head}{tail}").as_bytes());
            assert!(e.contains("d.spdx") && e.contains(why), "{e}");
        }
        // A panic elsewhere is still a panic: the quiet hook is only for
        // panics inside `contained`.
        assert!(contained(|| 1).is_ok());
        let caught = std::panic::catch_unwind(|| panic!("outside"));
        assert!(caught.is_err());
    }

    #[test]
    fn what_is_not_a_document_is_refused() {
        for bad in [
            &b""[..],
            b"  \n",
            b"null",
            b"[]",
            b"// comment\n{}",
            b"x{\"spdxVersion\": \"SPDX-2.3\"}",
            b"garbage\nSPDXVersion: SPDX-2.3\n",
        ] {
            let e = err(bad);
            assert!(e.starts_with("d.spdx: not a well-formed"), "{e}");
        }
        assert!(err(b"{}").contains("neither SPDX"));
        assert!(err(br#"{"bomFormat": "CycloneDX"}"#).contains("CycloneDX"));
        assert!(err(b"{\"a\": 1,}").contains("line 1 column"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut deep = vec![b'{'; 1];
        deep.extend(b"\"a\":");
        deep.extend(std::iter::repeat_n(b'[', 100_000));
        assert!(err(&deep).contains("recursion limit"), "{}", err(&deep));
        assert!(err(&vec![b'['; 100_000]).contains("not an object"));
    }
}
