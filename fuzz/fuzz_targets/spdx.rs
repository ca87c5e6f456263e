//! Any bytes as an SBOM given to `apostille verify`: the SPDX 2.x reader
//! (JSON or tag-value, SPDX 3 and CycloneDX recognised and refused), then
//! the document's whole check, planned against two named artifacts whose
//! bytes are held in memory (no file is read): checksums, verification
//! codes, NTIA gaps. None may panic; every target gets a verdict.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use apostille_digest::{Engine, EngineConfig, ReadPlan};
use apostille_verify::sbom::{Artifacts, SbomPlan, read};
use libfuzzer_sys::fuzz_target;

/// The artifacts the seed documents describe, and their content.
const ARTIFACTS: [&str; 2] = ["artifact.tar.gz", "pkg/artifact.zip"];
const CONTENT: &[u8] = b"apostille fuzz artifact\n";

thread_local! {
    static ENGINE: Engine = Engine::new(EngineConfig { threads: 1, ..EngineConfig::default() }).expect("engine");
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = read(Path::new("fuzz.spdx"), data) else {
        return;
    };
    let artifacts = Artifacts::Files(ARTIFACTS.iter().map(PathBuf::from).collect());
    for ignore_missing in [false, true] {
        let plan = SbomPlan::new(&doc, &artifacts, ignore_missing);
        let mut reads = ReadPlan::new();
        let files: Vec<_> = plan.files().map(|(p, a)| (p.to_path_buf(), a)).collect();
        for (p, algorithms) in files {
            let bytes: Arc<[u8]> = Arc::from(CONTENT);
            reads.want_bytes(&p, bytes, algorithms, plan.sinks(&p));
        }
        let results = ENGINE.with(|e| reads.run(e));
        let report = plan.conclude(&results);
        let _ = (report.verified(), report.passed());
    }
});
