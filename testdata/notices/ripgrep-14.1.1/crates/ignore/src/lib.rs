//! Stub so that `cargo metadata` accepts the manifest; the fixture is the manifests and Cargo.lock of ripgrep 14.1.1.
