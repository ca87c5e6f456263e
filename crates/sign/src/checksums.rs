//! Checksum files for a release: combined files (`SHA256SUMS`, `SHA512SUMS`,
//! or one BSD-tagged file holding several algorithms) and per-artifact
//! sidecars (`artifact.tar.gz.sha512`).
//!
//! Lines are rendered by `apostille_digest::checksum`, the same code the
//! consumer parses with, so what we write is what `sha256sum -c`,
//! `sha512sum -c`, `b3sum -c` and `apostille verify checksums` read.
//! Names in a file are relative to the folder the file is written in; an
//! artifact outside that folder is refused rather than written as a `..`
//! path that a careful checker would reject.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use apostille_digest::checksum::{format_bsd, format_gnu};
use apostille_digest::{Algorithm, Digest, DigestSet};

use crate::atomic::{WriteError, write_atomic};

/// Line layout of a checksum file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    /// GNU coreutils: `HASH  name` (one algorithm per file).
    #[default]
    Gnu,
    /// BSD tags: `SHA512 (name) = HASH` (algorithms may be mixed).
    Bsd,
}

/// One artifact's digests and the name it is listed under.
#[derive(Clone, Debug)]
pub struct Listed {
    /// Name as written in the checksum file (raw bytes).
    pub name: Vec<u8>,
    /// The artifact's digests.
    pub digests: DigestSet,
}

/// Why a checksum file could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ChecksumsError {
    /// A digest the file needs was not computed.
    #[error("{name}: no {algorithm} digest was computed")]
    MissingDigest {
        /// The artifact.
        name: String,
        /// The algorithm.
        algorithm: Algorithm,
    },
    /// GNU files hold one algorithm each.
    #[error(
        "a GNU-style checksum file holds one algorithm; got {0}: use BSD style or one file per algorithm"
    )]
    GnuMixed(usize),
    /// An artifact lies outside the folder of the checksum file.
    #[error(
        "{artifact}: not inside {dir}, the folder of the checksum file; its name would escape it"
    )]
    Outside {
        /// The artifact.
        artifact: PathBuf,
        /// The folder.
        dir: PathBuf,
    },
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Renders a checksum file listing `items` with every algorithm of `algs`,
/// grouped by algorithm in [`Algorithm::ALL`] order, items in the given order.
pub fn render(
    items: &[Listed],
    algs: &[Algorithm],
    style: Style,
) -> Result<Vec<u8>, ChecksumsError> {
    if style == Style::Gnu && algs.len() != 1 {
        return Err(ChecksumsError::GnuMixed(algs.len()));
    }
    let mut out = Vec::new();
    for &alg in algs {
        for item in items {
            let d = item
                .digests
                .get(alg)
                .ok_or_else(|| ChecksumsError::MissingDigest {
                    name: String::from_utf8_lossy(&item.name).into_owned(),
                    algorithm: alg,
                })?;
            out.extend_from_slice(&line(d, &item.name, style));
        }
    }
    Ok(out)
}

fn line(d: &Digest, name: &[u8], style: Style) -> Vec<u8> {
    match style {
        Style::Gnu => format_gnu(d, name, false),
        Style::Bsd => format_bsd(d, name),
    }
}

/// Where the sidecar of `artifact` for `alg` goes: `artifact.<ext>`.
pub fn sidecar_path(artifact: &Path, alg: Algorithm) -> PathBuf {
    let mut s = artifact.as_os_str().to_owned();
    s.push(".");
    s.push(alg.sidecar_extension());
    PathBuf::from(s)
}

/// Writes `artifact.<ext>` holding one line for the artifact's base name, so
/// that `sha512sum -c artifact.tar.gz.sha512` works in the artifact's folder.
pub fn write_sidecar(
    artifact: &Path,
    digest: &Digest,
    style: Style,
) -> Result<PathBuf, ChecksumsError> {
    let name = artifact
        .file_name()
        .map(OsStr::as_bytes)
        .unwrap_or_default();
    let path = sidecar_path(artifact, digest.algorithm());
    write_atomic(&path, &line(digest, name, style))?;
    Ok(path)
}

/// The name under which `artifact` is listed in a checksum file written in
/// `dir`: its path relative to `dir`. Both are made absolute lexically
/// (against the current directory), without resolving symlinks.
pub fn name_relative_to(artifact: &Path, dir: &Path) -> Result<Vec<u8>, ChecksumsError> {
    let outside = || ChecksumsError::Outside {
        artifact: artifact.to_path_buf(),
        dir: dir.to_path_buf(),
    };
    let a = absolute(artifact).ok_or_else(outside)?;
    let d = absolute(dir).ok_or_else(outside)?;
    let rel = a.strip_prefix(&d).map_err(|_| outside())?;
    if rel.as_os_str().is_empty() {
        return Err(outside());
    }
    Ok(rel.as_os_str().as_bytes().to_vec())
}

fn absolute(p: &Path) -> Option<PathBuf> {
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().ok()?
    };
    let mut out = PathBuf::new();
    for c in base.components().chain(p.components()) {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(name: &str, data: &[u8]) -> Listed {
        let mut digests = DigestSet::default();
        for a in Algorithm::ALL {
            if let Some(d) = apostille_digest::Hasher::digest(a, data) {
                digests.insert(d);
            }
        }
        Listed {
            name: name.as_bytes().to_vec(),
            digests,
        }
    }

    #[test]
    fn gnu_and_bsd_layouts() {
        let items = [listed("a.tar.gz", b""), listed("b c", b"x")];
        let gnu = render(&items, &[Algorithm::Sha256], Style::Gnu).expect("render");
        assert_eq!(
            String::from_utf8(gnu).expect("utf8"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.tar.gz\n\
             2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  b c\n"
        );
        let bsd = render(
            &items[..1],
            &[Algorithm::Sha256, Algorithm::Md5],
            Style::Bsd,
        )
        .expect("render");
        assert_eq!(
            String::from_utf8(bsd).expect("utf8"),
            "SHA256 (a.tar.gz) = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             MD5 (a.tar.gz) = d41d8cd98f00b204e9800998ecf8427e\n"
        );
        assert!(matches!(
            render(&items, &[Algorithm::Sha256, Algorithm::Sha512], Style::Gnu),
            Err(ChecksumsError::GnuMixed(2))
        ));
    }

    #[test]
    fn names_stay_inside_the_folder() {
        assert_eq!(
            name_relative_to(Path::new("/r/dist/x/a.tgz"), Path::new("/r/dist")).expect("inside"),
            b"x/a.tgz"
        );
        assert!(name_relative_to(Path::new("/r/other/a.tgz"), Path::new("/r/dist")).is_err());
        assert!(name_relative_to(Path::new("/r/dist/../a.tgz"), Path::new("/r/dist")).is_err());
    }
}
