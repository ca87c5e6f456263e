//! SPDX software bills of materials for apostille: SPDX 2.3 JSON and
//! tag-value for a Cargo workspace, for a set of release artifacts (file
//! checksums from the digest engine's single pass) and for the contents of an
//! archive.
//!
//! What it will not do: sign or verify SBOMs (that is `apostille-sign` and
//! `apostille-verify`), or re-read an artifact the engine has already hashed.
//!
//! Empty until the SBOM milestone; the crate exists so that the workspace
//! layout and its dependency rules hold from the start.
