//! Atomic file output: a killed run never leaves a half-written signature or
//! checksum file behind.
//!
//! The content goes to a temporary file in the destination's directory,
//! which is flushed to disk and then renamed over the destination; readers
//! see the old file or the new one, never a mix.
//!
//! A run killed with SIGKILL cannot remove its temporary file, so each one
//! is held under an exclusive advisory lock (`flock`) while it is written:
//! the first write into a directory removes every `.apostille-*.tmp` file
//! and `.apostille-stage-*` folder in it whose lock no one holds — what a
//! dead run left — and never one a live run is still writing.
//!
//! [`Staging`] goes further for a set of outputs that belong together (a
//! release): all are written into a hidden folder inside the output folder
//! and renamed into place only once every one of them was written, so a
//! run that fails while writing leaves the folder as it was.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Writing an output file failed; nothing was left at `path`.
///
/// The reason is part of the message, not a separate error source, so that
/// a chain printer does not say it twice; and it is the operating system's
/// own (`No space left on device`): writes go to the temporary file itself,
/// not through the wrapper that would add the temporary path.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write: {reason}")]
pub struct WriteError {
    /// The destination.
    pub path: PathBuf,
    /// The operating system's reason.
    pub reason: std::io::Error,
}

impl WriteError {
    fn new(path: &Path, e: std::io::Error) -> WriteError {
        WriteError {
            path: path.to_path_buf(),
            reason: e,
        }
    }
}

/// The prefix of every temporary file and staging folder of ours.
const PREFIX: &str = ".apostille-";
/// The suffix of temporary files.
const TMP_SUFFIX: &str = ".tmp";
/// The prefix of staging folders.
const STAGE_PREFIX: &str = ".apostille-stage-";
/// The lock file inside a staging folder, held while the folder is used.
const STAGE_LOCK: &str = ".lock";

/// Directories already cleaned by this process.
static CLEANED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Removes what dead runs left in `dir`: temporary files and staging
/// folders of our naming whose lock no one holds. Returns how many were
/// removed. Errors are ignored: cleaning is a courtesy, never a reason to
/// fail a write.
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with(PREFIX) {
            continue;
        }
        let path = e.path();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_file() && name.ends_with(TMP_SUFFIX) {
            if unlocked(&path) && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        } else if kind.is_dir()
            && name.starts_with(STAGE_PREFIX)
            && unlocked(&path.join(STAGE_LOCK))
            && std::fs::remove_dir_all(&path).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Whether `path` can be locked now, that is, no live run holds it. A lock
/// file that is missing counts as unlocked (a run killed before it made
/// one).
fn unlocked(path: &Path) -> bool {
    match File::open(path) {
        Ok(f) => f.try_lock().is_ok(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// [`clean_stale`] once per directory per process.
fn clean_once(dir: &Path) {
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let first = CLEANED
        .lock()
        .map(|mut done| done.insert(key))
        .unwrap_or(false);
    if first {
        clean_stale(dir);
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `contents` to `path` atomically, with mode 0644 (umask is not
/// applied: release files are meant to be world-readable).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_atomic_mode(path, contents, 0o644)
}

/// Writes `contents` to `path` atomically with `mode`. The temporary file
/// is created 0600 and only widened to `mode` before the rename, so a
/// secret written with 0600 is never readable by others, not even briefly.
pub fn write_atomic_mode(path: &Path, contents: &[u8], mode: u32) -> Result<(), WriteError> {
    let err = |e| WriteError::new(path, e);
    let dir = parent_of(path);
    if path.is_dir() {
        return Err(err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "a directory is in the way",
        )));
    }
    clean_once(dir);
    let tmp = write_temp(dir, contents, mode).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// A locked, synced temporary file of ours in `dir` holding `contents`.
fn write_temp(dir: &Path, contents: &[u8], mode: u32) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(PREFIX)
        .suffix(TMP_SUFFIX)
        .tempfile_in(dir)?;
    // Held until the file is closed, after the rename: a cleaner in
    // another process leaves it alone meanwhile.
    tmp.as_file().lock()?;
    // On the file itself: the temporary-file wrapper would add its own
    // path to every error.
    tmp.as_file_mut().write_all(contents)?;
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// A set of outputs written together: each [`Staging::add`] writes a file
/// into a hidden staging folder inside the output folder; only
/// [`Staging::commit`] renames them into place, in the order added. A
/// staging that is dropped without a commit is removed, and one a killed
/// run left is removed by the next write into that folder.
pub struct Staging {
    out: PathBuf,
    dir: tempfile::TempDir,
    _lock: File,
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staging {
    /// A staging folder in `out` (created if missing).
    pub fn new(out: &Path) -> Result<Staging, WriteError> {
        let err = |e| WriteError::new(out, e);
        std::fs::create_dir_all(out).map_err(err)?;
        clean_once(out);
        let dir = tempfile::Builder::new()
            .prefix(STAGE_PREFIX)
            .tempdir_in(out)
            .map_err(err)?;
        let lock = File::create(dir.path().join(STAGE_LOCK)).map_err(err)?;
        lock.lock().map_err(err)?;
        // Staged files by number in one folder, name probes in another: a
        // probe can never clobber a staged file.
        std::fs::create_dir(dir.path().join("f")).map_err(err)?;
        std::fs::create_dir(dir.path().join("p")).map_err(err)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            _lock: lock,
            files: Vec::new(),
        })
    }

    /// Writes `contents` (mode 0644) for `dest`, a path inside the output
    /// folder; nothing appears at `dest` before [`Staging::commit`].
    pub fn add(&mut self, dest: &Path, contents: &[u8]) -> Result<(), WriteError> {
        let err = |e| WriteError::new(dest, e);
        if dest.is_dir() {
            return Err(err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a directory is in the way",
            )));
        }
        let rel = dest.strip_prefix(&self.out).map_err(|_| {
            err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not inside the output folder",
            ))
        })?;
        // A name the file system refuses (too long, say) fails here, while
        // nothing is in place yet.
        let files = self.dir.path().join("f");
        let staged = files.join(format!("{}", self.files.len()));
        let tmp = write_temp(&files, contents, 0o644).map_err(err)?;
        tmp.persist(&staged).map_err(|e| err(e.error))?;
        if let Some(name) = rel.file_name() {
            // The final name must be one the file system takes: checked
            // on a file of that name in the staging folder.
            let probe = self.dir.path().join("p").join(name);
            File::create(&probe).map_err(err)?;
            std::fs::remove_file(&probe).map_err(err)?;
        }
        self.files.push((staged, dest.to_path_buf()));
        Ok(())
    }

    /// Renames every staged file into place, in the order added (put the
    /// file that says the set is complete last), then removes the staging
    /// folder.
    pub fn commit(self) -> Result<(), WriteError> {
        for (_, dest) in &self.files {
            let parent = parent_of(dest);
            std::fs::create_dir_all(parent).map_err(|e| WriteError::new(parent, e))?;
        }
        for (staged, dest) in &self.files {
            std::fs::rename(staged, dest).map_err(|e| WriteError::new(dest, e))?;
        }
        if let Some(d) = self.files.first().map(|(_, d)| parent_of(d).to_path_buf())
            && let Ok(dir) = File::open(d)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("SHA256SUMS");
        write_atomic(&p, b"old\n").expect("write");
        write_atomic(&p, b"new\n").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"new\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn missing_dir_is_an_error_naming_the_file() {
        let e = write_atomic(Path::new("/nonexistent-dir/x.sha512"), b"x").expect_err("fails");
        assert!(
            e.to_string().starts_with("/nonexistent-dir/x.sha512: "),
            "{e}"
        );
    }

    #[test]
    fn stale_temps_of_dead_runs_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        // A dead run's: no lock held.
        std::fs::write(d.join(".apostille-AbCdEf.tmp"), b"half").expect("write");
        std::fs::create_dir(d.join(".apostille-stage-XyZ")).expect("mkdir");
        std::fs::write(d.join(".apostille-stage-XyZ/0"), b"half").expect("write");
        // A live run's: locked.
        let live = d.join(".apostille-live.tmp");
        let f = File::create(&live).expect("create");
        f.lock().expect("lock");
        // Not ours.
        std::fs::write(d.join(".apostille.toml"), b"x").expect("write");
        std::fs::write(d.join("x.tmp"), b"x").expect("write");
        assert_eq!(clean_stale(d), 2);
        let mut left: Vec<_> = std::fs::read_dir(d)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
            .collect();
        left.sort();
        assert_eq!(left, [".apostille-live.tmp", ".apostille.toml", "x.tmp"]);
        drop(f);
    }

    #[test]
    fn staging_puts_nothing_in_place_until_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::write(d.join("a.sha512"), b"old").expect("write");
        let mut st = Staging::new(d).expect("staging");
        st.add(&d.join("a.sha512"), b"new").expect("add");
        st.add(&d.join("sub/b.asc"), b"sig").expect("add");
        let long = "n".repeat(300);
        assert!(st.add(&d.join(&long), b"x").is_err(), "a name too long");
        drop(st);
        // Failed and dropped: the folder is as it was.
        let names: Vec<_> = std::fs::read_dir(d)
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["a.sha512"]);
        assert_eq!(std::fs::read(d.join("a.sha512")).expect("read"), b"old");

        let mut st = Staging::new(d).expect("staging");
        st.add(&d.join("a.sha512"), b"new").expect("add");
        st.add(&d.join("sub/b.asc"), b"sig").expect("add");
        std::fs::create_dir(d.join("dir-in-way")).expect("mkdir");
        assert!(st.add(&d.join("dir-in-way"), b"x").is_err());
        st.commit().expect("commit");
        assert_eq!(std::fs::read(d.join("a.sha512")).expect("read"), b"new");
        assert_eq!(std::fs::read(d.join("sub/b.asc")).expect("read"), b"sig");
        let mut names: Vec<_> = std::fs::read_dir(d)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
            .collect();
        names.sort();
        assert_eq!(names, ["a.sha512", "dir-in-way", "sub"]);
    }
}
