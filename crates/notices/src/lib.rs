//! Third-party notices and license audit for apostille: THIRD_PARTY_NOTICES
//! with the verbatim text of every license-bearing file a dependency ships,
//! license detection used only to annotate, and the LICENSE / NOTICE /
//! DISCLAIMER and source-header checks of an Apache-style release.
//!
//! # Main pieces
//!
//! * [`metadata`]: the third-party packages of a workspace, from
//!   `cargo metadata` (per target or all; dev-dependencies on request).
//! * [`files`]: a package's license-bearing files, chosen by name.
//! * [`detect`]: the [`Detector`], matching texts to SPDX identifiers with a
//!   confidence score, with the known traps handled.
//! * [`report`]: [`build`] puts it together into [`Notices`]: deduplicated
//!   texts, coverage, flags, the [`Policy`]'s verdict; serialisable as JSON.
//! * [`markdown`]: `THIRD_PARTY_NOTICES.md`, fence-safe.
//! * [`audit`]: the release check over a folder or an archive
//!   ([`audit::Tree`]), read in one pass.
//!
//! What it will not do: substitute a stock license text for a file a crate
//! ships, or give legal advice beyond flagging what a policy forbids. It
//! writes no files; the caller decides where the output goes.
//!
//! # Example
//!
//! ```no_run
//! use apostille_notices::{BuildOptions, Detector, GraphOptions, Policy, build, markdown, metadata};
//! # fn main() -> Result<(), apostille_notices::NoticesError> {
//! let graph = metadata::load(&GraphOptions::default())?;
//! let notices = build(&graph, &Policy::default(), &Detector::new(), &BuildOptions::default())?;
//! let md: String = markdown::render(&notices);
//! assert!(md.starts_with("# Third-party notices"));
//! let json: String = notices.to_json();
//! # let _ = json;
//! # Ok(()) }
//! ```

// Unit tests may unwrap; the library itself may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod audit;
pub mod detect;
pub mod error;
pub mod files;
pub mod markdown;
pub mod metadata;
pub mod policy;
pub mod report;

pub use detect::{Detection, DetectionKind, Detector};
pub use error::NoticesError;
pub use metadata::{Graph, GraphOptions};
pub use policy::Policy;
pub use report::{BuildOptions, Notices, build};

/// Which policy [`generate`] applies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PolicySource {
    /// No policy: nothing is a violation.
    None,
    /// This `apostille.toml`.
    File(std::path::PathBuf),
    /// `apostille.toml` at the workspace root, when there is one.
    #[default]
    WorkspaceDefault,
}

/// The whole notices job: loads the dependency graph and the license
/// detection store in parallel, chooses the policy, builds the notices.
pub fn generate(graph_opts: &GraphOptions, policy: &PolicySource) -> Result<Notices, NoticesError> {
    let detector = Detector::new();
    let (graph, store) = std::thread::scope(|s| {
        let store = s.spawn(|| detector.preload());
        let graph = metadata::load(graph_opts);
        (graph, store.join())
    });
    let graph = graph?;
    match store {
        Ok(r) => r?,
        Err(_) => {
            return Err(NoticesError::Metadata(
                "loading the license detection store failed".into(),
            ));
        }
    }
    let path = match policy {
        PolicySource::None => None,
        PolicySource::File(p) => Some(p.clone()),
        PolicySource::WorkspaceDefault => {
            Some(graph.workspace_root.join("apostille.toml")).filter(|p| p.is_file())
        }
    };
    let (policy, policy_label) = match path {
        Some(p) => {
            let label = p
                .strip_prefix(&graph.workspace_root)
                .unwrap_or(&p)
                .display()
                .to_string();
            (Policy::load(&p)?, Some(label))
        }
        None => (Policy::default(), None),
    };
    build(
        &graph,
        &policy,
        &detector,
        &BuildOptions {
            target: graph_opts.target.clone(),
            dev_dependencies: graph_opts.include_dev,
            policy_label,
        },
    )
}
