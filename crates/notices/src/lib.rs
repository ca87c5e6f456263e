//! Third-party notices and license audit for apostille: THIRD_PARTY_NOTICES
//! with the verbatim text of every license-bearing file a dependency ships,
//! license detection used only to annotate, and the LICENSE / NOTICE /
//! DISCLAIMER and source-header checks of an Apache-style release.
//!
//! What it will not do: substitute a stock license text for a file a crate
//! ships, or give legal advice beyond flagging what a policy forbids.

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
