//! Atomic file output: a killed run never leaves a half-written signature or
//! checksum file behind.
//!
//! The content goes to a temporary file in the destination's directory,
//! which is flushed to disk and then renamed over the destination; readers
//! see the old file or the new one, never a mix.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writing an output file failed; nothing was left at `path`.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write: {source}")]
pub struct WriteError {
    /// The destination.
    pub path: PathBuf,
    /// The operating system's reason.
    pub source: std::io::Error,
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
    let err = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".apostille-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(contents).map_err(err)?;
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
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
}
