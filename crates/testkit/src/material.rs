//! Third-party test material and judges that a bare clone may lack, found
//! the same way by every test of the workspace.
//!
//! The material (`shared/vectors`: Debian source packages, the
//! sigstore-conformance bundles) lives outside the repository, at
//! `$APOSTILLE_VECTORS`, by default `../shared/vectors` beside the
//! workspace. A test that needs it asks [`vectors`]: present, it gets the
//! path; absent, the test is skipped — except under `CI=true`, where a
//! skip would let a run pass without checking, so it fails. Every skip is
//! printed and, when `$APOSTILLE_SKIP_LOG` names a file, appended to it as
//! one line (`kind<TAB>what<TAB>remedy`), so that `make test` can say at the
//! end, past cargo's captured output, what was skipped and how to run it.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Whether this is a CI run (`CI=true`), where nothing may be skipped.
pub fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// `$APOSTILLE_VECTORS`, by default `shared/vectors` beside the workspace.
pub fn vectors_root() -> PathBuf {
    std::env::var_os("APOSTILLE_VECTORS")
        .filter(|v| !v.is_empty())
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
            PathBuf::from,
        )
}

/// `rel` under the vectors (`openpgp/curl`, `sigstore-conformance`), when
/// it is there. Absent: a failure under CI, else a recorded skip and
/// `None`.
pub fn vectors(rel: &str) -> Option<PathBuf> {
    let path = vectors_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    missing(
        "vectors",
        &format!("{rel} not found at {}", path.display()),
        "set APOSTILLE_VECTORS to the shared test vectors (shared/vectors beside the workspace)",
    );
    None
}

/// Something a test needs is missing: under CI a panic naming it, else a
/// printed and recorded skip.
pub fn missing(kind: &str, what: &str, remedy: &str) {
    assert!(!ci(), "{what} ({remedy}; CI=true requires it)");
    eprintln!("SKIPPED ({kind} missing): {what}: {remedy}");
    if let Some(log) = std::env::var_os("APOSTILLE_SKIP_LOG").filter(|v| !v.is_empty()) {
        let line = format!("{kind}\t{what}\t{remedy}\n").replace(['\r'], " ");
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }
}
