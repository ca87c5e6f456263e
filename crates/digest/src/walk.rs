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

/// The result of a walk.
#[derive(Clone, Debug, Default)]
pub struct Walked {
    /// Files to hash, in walk order.
    pub files: Vec<PathBuf>,
    /// Paths left out, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
}

/// Expands `roots` (files and directories) into the files to hash.
pub fn walk(roots: &[PathBuf], opts: WalkOptions) -> Result<Walked, WalkError> {
    let mut out = Walked::default();
    for root in roots {
        let meta = fs::metadata(root).map_err(|source| WalkError::Io {
            path: root.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut ancestors = vec![(meta.dev(), meta.ino())];
            walk_dir(root, opts, &mut ancestors, &mut out)?;
        } else {
            out.files.push(root.clone());
        }
    }
    Ok(out)
}

fn walk_dir(
    dir: &Path,
    opts: WalkOptions,
    ancestors: &mut Vec<(u64, u64)>,
    out: &mut Walked,
) -> Result<(), WalkError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WalkError::Io { path, source }
    };
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    entries.sort_by(|a, b| {
        a.file_name()
            .map(OsStrExt::as_bytes)
            .cmp(&b.file_name().map(OsStrExt::as_bytes))
    });
    for path in entries {
        let lmeta = fs::symlink_metadata(&path).map_err(io_err(&path))?;
        let meta = if lmeta.file_type().is_symlink() {
            if !opts.follow_symlinks {
                out.skipped.push((path, SkipReason::Symlink));
                continue;
            }
            fs::metadata(&path).map_err(io_err(&path))?
        } else {
            lmeta
        };
        if meta.is_dir() {
            let id = (meta.dev(), meta.ino());
            if ancestors.contains(&id) {
                return Err(WalkError::Loop { path });
            }
            ancestors.push(id);
            walk_dir(&path, opts, ancestors, out)?;
            ancestors.pop();
        } else if meta.is_file() {
            out.files.push(path);
        } else {
            out.skipped.push((path, SkipReason::NotRegular));
        }
    }
    Ok(())
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
        let w = walk(&[d.to_path_buf()], WalkOptions::default()).expect("walk");
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
        assert_eq!(w.skipped.len(), 2);
        let err = walk(
            &[d.to_path_buf()],
            WalkOptions {
                follow_symlinks: true,
            },
        );
        assert!(matches!(err, Err(WalkError::Loop { .. })), "{err:?}");
    }
}
