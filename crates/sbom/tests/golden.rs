//! Golden files in `testdata/sbom/`: the SBOMs of the tarball fixture
//! `demo-1.0.tar.gz` (in every format) and of this workspace (SPDX 2.3
//! JSON, from a
//! snapshot of its `cargo metadata` and `Cargo.lock`, so that the golden
//! changes only when regenerated). `cargo xtask sbom-golden` rebuilds the
//! fixture and runs this test with `APOSTILLE_UPDATE_GOLDEN=1`, which
//! rewrites the snapshot and the goldens instead of comparing.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use apostille_digest::{Engine, EngineConfig};
use apostille_sbom::archive::ArchiveOptions;
use apostille_sbom::workspace::{self, Metadata, WorkspaceOptions};
use apostille_sbom::{DocOptions, Format, write};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn updating() -> bool {
    std::env::var_os("APOSTILLE_UPDATE_GOLDEN").is_some()
}

fn opts() -> DocOptions {
    DocOptions {
        created: Some(0),
        ..DocOptions::default()
    }
}

const FORMATS: [(Format, &str); 3] = [
    (Format::SpdxJson, "spdx.json"),
    (Format::SpdxTagValue, "spdx"),
    (Format::Spdx3, "spdx3.json"),
];

fn compare_or_update(path: &Path, got: &[u8]) {
    if updating() {
        std::fs::write(path, got).unwrap();
        return;
    }
    let want = std::fs::read(path).unwrap_or_default();
    assert!(
        want == got,
        "{} is stale or missing: run `cargo xtask sbom-golden`",
        path.display()
    );
}

#[test]
fn archive_fixture_goldens() {
    let dir = root().join("testdata/sbom");
    let engine = Engine::new(EngineConfig::default()).unwrap();
    let doc = apostille_sbom::archive::build(
        &engine,
        &dir.join("demo-1.0.tar.gz"),
        &ArchiveOptions::default(),
        &opts(),
    )
    .unwrap();
    for (format, ext) in FORMATS {
        let got = write(&doc, format).unwrap();
        compare_or_update(&dir.join(format!("demo-1.0.tar.gz.{ext}")), &got);
    }
}

#[test]
fn workspace_goldens() {
    let dir = root().join("testdata/sbom/workspace");
    if updating() {
        let meta = workspace::metadata(&WorkspaceOptions {
            manifest_path: Some(root().join("Cargo.toml")),
            ..WorkspaceOptions::default()
        })
        .unwrap();
        // No machine paths in the snapshot: the workspace root becomes
        // `/workspace`.
        let text = serde_json::to_string_pretty(&meta).unwrap();
        let real = meta.workspace_root.to_string_lossy().into_owned();
        let text = text.replace(&real, "/workspace") + "\n";
        std::fs::write(dir.join("metadata.json"), text).unwrap();
        std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    let meta: Metadata =
        serde_json::from_slice(&std::fs::read(dir.join("metadata.json")).unwrap()).unwrap();
    let lock = std::fs::read_to_string(dir.join("Cargo.lock")).unwrap();
    let doc = workspace::from_metadata(&meta, &lock, None, &opts());
    // JSON only: the other formats of the same model are judged live.
    let got = write(&doc, Format::SpdxJson).unwrap();
    compare_or_update(&dir.join("workspace.spdx.json"), &got);
}
