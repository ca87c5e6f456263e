//! Reading SPDX 2.x documents (JSON or tag-value) into spdx-rs's model,
//! for [`crate::sbom`]. The producer (`apostille-sbom`) writes with the same
//! model; the two crates share only what `apostille_digest::spdx` holds.

use std::path::{Path, PathBuf};

use spdx_rs::models::SPDX;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: not a well-formed SPDX 2.x document: {message}")]
pub struct ReadError {
    /// The document.
    pub path: PathBuf,
    /// The parser's complaint.
    pub message: String,
}

/// Parses `bytes` (the document at `path`) as SPDX 2.x JSON when it starts
/// with `{`, as tag-value otherwise. SPDX 3 JSON-LD is recognised and
/// refused with that reason.
pub fn read(path: &Path, bytes: &[u8]) -> Result<SPDX, ReadError> {
    let fail = |message: String| ReadError {
        path: path.to_path_buf(),
        message,
    };
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let doc = if start.is_some_and(|i| bytes[i] == b'{') {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| fail(e.to_string()))?;
        if value.get("@context").is_some() {
            return Err(fail(
                "SPDX 3 JSON-LD; verify reads SPDX 2.x (JSON or tag-value)".into(),
            ));
        }
        serde_json::from_value::<SPDX>(value).map_err(|e| fail(e.to_string()))?
    } else {
        let text = std::str::from_utf8(bytes).map_err(|e| fail(e.to_string()))?;
        spdx_rs::parsers::spdx_from_tag_value(text).map_err(|e| fail(e.to_string()))?
    };
    let version = &doc.document_creation_information.spdx_version;
    if !version.starts_with("SPDX-2.") {
        return Err(fail(format!("unsupported spdxVersion `{version}`")));
    }
    Ok(doc)
}
