//! What SPDX documents derive from digests, shared by the producer
//! (`apostille-sbom`) and the consumer (`apostille-verify`) so that both
//! compute them one way: the package verification code, BLAKE3 extended
//! output (spdx-tools wants at least 256 hex digits for BLAKE3), and the
//! name a file is listed under.

use std::path::{Component, Path};
use std::sync::{Arc, Mutex, PoisonError};

use crate::{Algorithm, HashSink, Hasher};

/// Bytes of BLAKE3 output written to SPDX documents: 128 (256 hex digits),
/// the least spdx-tools accepts for BLAKE3. The first 32 bytes are the
/// standard BLAKE3-256 digest.
pub const BLAKE3_SPDX_LEN: usize = 128;

/// A BLAKE3 hash context fed by the engine; [`Blake3Xof::finish_hex`] on a
/// clone kept by the caller gives the extended output once the engine is
/// done.
#[derive(Clone, Default)]
pub struct Blake3Xof(Arc<Mutex<blake3::Hasher>>);

impl Blake3Xof {
    /// A new context.
    pub fn new() -> Blake3Xof {
        Blake3Xof::default()
    }

    /// The first `len` bytes of the extended output, as lower-case hex.
    pub fn finish_hex(&self, len: usize) -> String {
        let h = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = vec![0u8; len];
        h.finalize_xof().fill(&mut out);
        hex(&out)
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl HashSink for Blake3Xof {
    fn update(&mut self, data: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .update(data);
    }

    fn cost_hint(&self) -> u32 {
        20
    }

    fn splits_itself(&self) -> bool {
        true
    }

    fn update_parallel(&mut self, data: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .update_rayon(data);
    }
}

/// SPDX package verification code: SHA-1 over the sorted, concatenated
/// lower-case SHA-1 hex digests of the package's files.
pub fn verification_code<'a>(file_sha1s: impl IntoIterator<Item = &'a str>) -> String {
    let mut all: Vec<String> = file_sha1s
        .into_iter()
        .map(str::to_ascii_lowercase)
        .collect();
    all.sort();
    Hasher::digest(Algorithm::Sha1, all.concat().as_bytes())
        .map(|d| d.to_hex())
        .unwrap_or_default()
}

/// The name an artifact gets in the SBOM: its path as given when relative
/// (`./` and `.` components dropped), its file name when absolute or when
/// it climbs out with `..`.
pub fn artifact_name(path: &Path) -> String {
    let relative = path.is_relative() && !path.components().any(|c| c == Component::ParentDir);
    if relative {
        let parts: Vec<String> = path
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if !parts.is_empty() {
            return parts.join("/");
        }
    }
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_code_sorts_and_lowercases() {
        assert_eq!(
            verification_code([]),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(verification_code(["B", "a"]), verification_code(["a", "b"]));
    }

    #[test]
    fn artifact_names_drop_dot_and_refuse_to_climb() {
        assert_eq!(artifact_name(Path::new("./dist/a.tar.gz")), "dist/a.tar.gz");
        assert_eq!(artifact_name(Path::new("../x/a.tar.gz")), "a.tar.gz");
        assert_eq!(artifact_name(Path::new("/abs/a.tar.gz")), "a.tar.gz");
    }
}
