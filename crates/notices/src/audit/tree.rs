//! A release as a tree of files: relative path plus a reader of the bytes.
//! A folder and an archive feed the same checks through [`Tree`], and
//! each file is read once, in order.

use std::io::Read;
use std::path::{Path, PathBuf};

use apostille_digest::{WalkOptions, walk};

use crate::error::NoticesError;

/// One file of a tree.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Path relative to the tree's top, `/`-separated (lossy UTF-8).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
}

/// What [`Tree::for_each_file`] hands each file to.
pub type Visit<'a> = dyn FnMut(&Entry, &mut dyn Read) -> Result<(), NoticesError> + 'a;

/// A source release to audit.
pub trait Tree {
    /// The artifact's name as published (folder or archive file name).
    fn artifact_name(&self) -> String;
    /// Whether the tree's files sit under one top folder to strip
    /// (`curl-7.88.1/…` in a tarball).
    fn strips_top_folder(&self) -> bool;
    /// Calls `visit` for every regular file, in a stable order. `visit`
    /// may read as much of the reader as it likes.
    fn for_each_file(&mut self, visit: &mut Visit<'_>) -> Result<(), NoticesError>;
}

/// A folder on disk, walked in sorted order; symlinks are not followed.
pub struct DirTree {
    root: PathBuf,
}

impl DirTree {
    /// The folder `root`.
    pub fn new(root: &Path) -> DirTree {
        DirTree {
            root: root.to_path_buf(),
        }
    }
}

impl Tree for DirTree {
    fn artifact_name(&self) -> String {
        let canon = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        canon
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn strips_top_folder(&self) -> bool {
        false
    }

    fn for_each_file(&mut self, visit: &mut Visit<'_>) -> Result<(), NoticesError> {
        if !self.root.is_dir() {
            return Err(NoticesError::Tree {
                path: self.root.clone(),
                message: "not a folder".into(),
            });
        }
        let walked = walk(
            std::slice::from_ref(&self.root),
            WalkOptions {
                follow_symlinks: false,
            },
        );
        if let Some(e) = walked.errors.first() {
            return Err(NoticesError::Tree {
                path: self.root.clone(),
                message: e.to_string(),
            });
        }
        for file in &walked.files {
            let rel = file.strip_prefix(&self.root).unwrap_or(file);
            let path = rel.to_string_lossy().replace('\\', "/");
            let f = std::fs::File::open(file).map_err(|source| NoticesError::Read {
                path: file.clone(),
                source,
            })?;
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            let mut reader = std::io::BufReader::with_capacity(16 * 1024, f);
            visit(&Entry { path, size }, &mut reader)?;
        }
        Ok(())
    }
}

/// A release archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`,
/// `.tar.zst`, `.zip`), read in one streaming pass by the digest crate's
/// archive reader, never extracted. Links, folders and special entries are
/// not files and are not visited.
pub struct ArchiveTree {
    path: PathBuf,
    limits: apostille_digest::archive::Limits,
}

impl ArchiveTree {
    /// The archive at `path`, with the reader's default limits.
    pub fn new(path: &Path) -> ArchiveTree {
        ArchiveTree {
            path: path.to_path_buf(),
            limits: apostille_digest::archive::Limits::default(),
        }
    }
}

impl Tree for ArchiveTree {
    fn artifact_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn strips_top_folder(&self) -> bool {
        true
    }

    fn for_each_file(&mut self, visit: &mut Visit<'_>) -> Result<(), NoticesError> {
        use apostille_digest::archive::{ArchiveError, EntryKind, for_each_entry};
        // The visitor's own error travels beside the archive reader's.
        let mut failed: Option<NoticesError> = None;
        let result = for_each_entry(&self.path, &self.limits, |info, reader| {
            if info.kind != EntryKind::File {
                return Ok(());
            }
            let entry = Entry {
                path: info.path.clone(),
                size: info.size,
            };
            visit(&entry, reader).map_err(|e| {
                let msg = e.to_string();
                failed = Some(e);
                ArchiveError::visitor(msg)
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        result.map(|_| ()).map_err(NoticesError::from)
    }
}

/// The tree at `path`: a folder, or else an archive.
pub fn open(path: &Path) -> Box<dyn Tree> {
    if path.is_dir() {
        Box::new(DirTree::new(path))
    } else {
        Box::new(ArchiveTree::new(path))
    }
}
