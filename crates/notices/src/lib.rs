//! Third-party notices and license audit for apostille: THIRD_PARTY_NOTICES
//! with the verbatim text of every license-bearing file a dependency ships,
//! license detection used only to annotate, and the LICENSE / NOTICE /
//! DISCLAIMER and source-header checks of an Apache-style release.
//!
//! What it will not do: substitute a stock license text for a file a crate
//! ships, or give legal advice beyond flagging what a policy forbids.
//!
//! Empty until the notices milestone.
