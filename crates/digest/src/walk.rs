//! Turning the paths a user names into a stable, sorted list of files.
//!
//! Directories are walked depth-first with the entries of each directory
//! sorted by their raw file-name bytes, so the same tree always gives the same
//! order on every machine. Symlinks met inside a directory are skipped (and
//! reported) unless `follow_symlinks` is set; then loops are detected by
//! device and inode. Paths named explicitly are always followed, as
//! `sha256sum` does. Sockets, FIFOs and devices met inside a directory are
//! skipped, since reading them could block or never end; named explicitly,
//! they are hashed as streams.
//!
//! A path that cannot be read (a folder without permission, a vanished
//! entry) is recorded in [`Walked::errors`] and the walk goes on, as `find`
//! does. A dangling symlink that would be followed is such an error.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::error::WalkError;

/// Options for [`walk`].
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Follow symlinks found inside directories.
    pub follow_symlinks: bool,
}

/// Why a path met during the walk was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A symlink, and symlinks are not followed.
    Symlink,
    /// Not a regular file (socket, FIFO, device) inside a directory.
    NotRegular,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SkipReason::Symlink => "symlink not followed; --follow-symlinks follows it",
            SkipReason::NotRegular => "not a regular file",
        })
    }
}

/// The result of a walk.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files to hash, in walk order.
    pub files: Vec<PathBuf>,
    /// Paths left out, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Paths that could not be read; the walk went on without them.
    pub errors: Vec<WalkError>,
}

/// Expands `roots` (files and directories) into the files to hash.
pub fn walk(roots: &[PathBuf], opts: WalkOptions) -> Walked {
    let mut out = Walked::default();
    for root in roots {
        match fs::metadata(root) {
            Ok(meta) if meta.is_dir() => {
                let mut ancestors = vec![(meta.dev(), meta.ino())];
                walk_dir(root, opts, &mut ancestors, &mut out);
            }
            Ok(_) => out.files.push(root.clone()),
            Err(source) => out.errors.push(WalkError::Io {
                path: root.clone(),
                source,
            }),
        }
    }
    out
}

fn walk_dir(dir: &Path, opts: WalkOptions, ancestors: &mut Vec<(u64, u64)>, out: &mut Walked) {
    let io_err = |path: &Path, source| WalkError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = Vec::new();
    match fs::read_dir(dir) {
        Ok(rd) => {
            for e in rd {
                match e {
                    Ok(e) => entries.push(e.path()),
                    Err(source) => out.errors.push(io_err(dir, source)),
                }
            }
        }
        Err(source) => {
            out.errors.push(io_err(dir, source));
            return;
        }
    }
    entries.sort_by(|a, b| {
        a.file_name()
            .map(OsStrExt::as_bytes)
            .cmp(&b.file_name().map(OsStrExt::as_bytes))
    });
    for path in entries {
        let lmeta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(source) => {
                out.errors.push(io_err(&path, source));
                continue;
            }
        };
        let meta = if lmeta.file_type().is_symlink() {
            if !opts.follow_symlinks {
                out.skipped.push((path, SkipReason::Symlink));
                continue;
            }
            match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    out.errors.push(WalkError::Dangling { path });
                    continue;
                }
                Err(source) => {
                    out.errors.push(io_err(&path, source));
                    continue;
                }
            }
        } else {
            lmeta
        };
        if meta.is_dir() {
            let id = (meta.dev(), meta.ino());
            if ancestors.contains(&id) {
                out.errors.push(WalkError::Loop { path });
                continue;
            }
            ancestors.push(id);
            walk_dir(&path, opts, ancestors, out);
            ancestors.pop();
        } else if meta.is_file() {
            out.files.push(path);
        } else {
            out.skipped.push((path, SkipReason::NotRegular));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_symlinks_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        fs::create_dir(d.join("b")).expect("mkdir");
        fs::write(d.join("b/z"), b"z").expect("write");
        fs::write(d.join("b/a"), b"a").expect("write");
        fs::write(d.join("a"), b"a").expect("write");
        fs::write(d.join("C"), b"c").expect("write");
        std::os::unix::fs::symlink("a", d.join("link")).expect("symlink");
        std::os::unix::fs::symlink(".", d.join("b/loop")).expect("symlink");
        std::os::unix::fs::symlink("nowhere", d.join("b/dangling")).expect("symlink");
        let w = walk(&[d.to_path_buf()], WalkOptions::default());
        assert!(w.errors.is_empty(), "{:?}", w.errors);
        let names: Vec<_> = w
            .files
            .iter()
            .map(|p| p.strip_prefix(d).expect("prefix").to_path_buf())
            .collect();
        assert_eq!(
            names,
            ["C", "a", "b/a", "b/z"].map(PathBuf::from).to_vec(),
            "byte order, depth first"
        );
        assert_eq!(w.skipped.len(), 3);
        let followed = walk(
            &[d.to_path_buf()],
            WalkOptions {
                follow_symlinks: true,
            },
        );
        assert!(
            matches!(
                followed.errors.as_slice(),
                [WalkError::Dangling { .. }, WalkError::Loop { .. }]
            ),
            "{:?}",
            followed.errors
        );
        assert_eq!(
            followed.files.len(),
            5,
            "the loop and the dangling link do not hide the rest"
        );
    }
}
