//! CycloneDX 1.6 JSON from the SPDX model (being written).

use spdx_rs::models::SPDX;

/// Converts `doc` to CycloneDX 1.6 JSON.
pub fn convert(doc: &SPDX) -> serde_json::Value {
    serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {"component": {"name": doc.document_creation_information.document_name}}})
}
