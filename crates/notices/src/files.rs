//! Choosing a package's license-bearing files by name, as go-licenses does:
//! `LICENSE*`, `LICENCE*`, `COPYING*`, `NOTICE*`, `UNLICENSE*`,
//! `COPYRIGHT*` (any case) at the package root and inside license
//! folders (`LICENSES/`, `licenses/`, `LICENSE/`), plus whatever the
//! manifest's `license-file` names.
//!
//! Source files are never taken for license texts: a name with a source
//! or data extension (`license.rs`, `gb18030_2022.rs`, `COPYING.json`) is
//! not chosen, and only the root and license folders are looked at.

use std::path::{Path, PathBuf};

use crate::error::NoticesError;

/// The largest license file read (a whole GPL is ~35 KiB; 4 MiB is far
/// beyond any real one and bounds memory on hostile input).
pub const MAX_LICENSE_FILE: u64 = 4 * 1024 * 1024;

/// What a license-bearing file is, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileRole {
    /// A license text (or a file that says where the license is).
    License,
    /// A NOTICE file (Apache-2.0 §4(d): must be passed on).
    Notice,
}

/// A license-bearing file a package ships.
#[derive(Clone, Debug)]
pub struct LicenseFile {
    /// Path relative to the package root, with `/` separators.
    pub path: String,
    /// License text or NOTICE.
    pub role: FileRole,
    /// The bytes, verbatim.
    pub bytes: Vec<u8>,
}

/// The role of a file named `name` (its last path component), or `None`
/// when the name does not mark a license-bearing file.
pub fn role_of(name: &str) -> Option<FileRole> {
    let lower = name.to_ascii_lowercase();
    let (stem_len, role) = [
        ("unlicense", FileRole::License),
        ("licence", FileRole::License),
        ("license", FileRole::License),
        ("copying", FileRole::License),
        ("copyright", FileRole::License),
        ("notice", FileRole::Notice),
    ]
    .into_iter()
    .find_map(|(prefix, role)| lower.starts_with(prefix).then_some((prefix.len(), role)))?;
    let rest = &lower[stem_len..];
    // `LICENSE`, `LICENSE-MIT`, `LICENSE.txt`, `COPYING.LESSER`,
    // `LICENSE_APACHE`, `LICENSES.md`; not `licensed_thing.rs` nor
    // `copyright_check.py`.
    let rest = rest.strip_prefix('s').unwrap_or(rest);
    if !(rest.is_empty() || rest.starts_with(['.', '-', '_', ' '])) {
        return None;
    }
    let ext = Path::new(&lower)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    if is_code_or_data_extension(ext) {
        return None;
    }
    Some(role)
}

/// Extensions of source and data files: a file with one of these is code or
/// data even when its name starts like a license file.
fn is_code_or_data_extension(ext: &str) -> bool {
    const CODE: &[&str] = &[
        "rs", "c", "h", "cc", "cpp", "hpp", "go", "py", "js", "ts", "java", "rb", "pl", "sh",
        "toml", "json", "yml", "yaml", "xml", "lock", "in", "am", "m4", "cmake", "s", "asm", "o",
        "a", "so", "dll", "exe", "png", "jpg", "svg", "gz", "zip", "bin", "sha256", "sig", "asc",
    ];
    CODE.contains(&ext)
}

/// Whether a folder named `name` holds license files (`LICENSES/`).
fn is_license_folder(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "licenses" | "license" | "licences" | "licence"
    )
}

/// The license-bearing files of the package whose root folder is `root`,
/// sorted by path; `license_file` is the manifest's `license-file`.
/// Unreadable or oversized files are errors: a notice that silently lacks
/// a file is worse than none.
pub fn find(root: &Path, license_file: Option<&Path>) -> Result<Vec<LicenseFile>, NoticesError> {
    let mut chosen: Vec<(String, PathBuf, FileRole)> = Vec::new();
    let read_dir = |dir: &Path| -> Result<Vec<(String, PathBuf, bool)>, NoticesError> {
        let rd = std::fs::read_dir(dir).map_err(|source| NoticesError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut v = Vec::new();
        for e in rd {
            let e = e.map_err(|source| NoticesError::Read {
                path: dir.to_path_buf(),
                source,
            })?;
            let Ok(name) = e.file_name().into_string() else {
                continue;
            };
            // Follow symlinks for the file type: a path dependency may link
            // its LICENSE to the repository root's.
            let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            v.push((name, e.path(), is_dir));
        }
        Ok(v)
    };
    for (name, path, is_dir) in read_dir(root)? {
        if is_dir {
            if is_license_folder(&name) {
                for (inner, ipath, idir) in read_dir(&path)? {
                    if !idir && !inner.starts_with('.') {
                        let role = role_of(&inner).unwrap_or(FileRole::License);
                        chosen.push((format!("{name}/{inner}"), ipath, role));
                    }
                }
            }
        } else if let Some(role) = role_of(&name) {
            chosen.push((name, path, role));
        }
    }
    if let Some(lf) = license_file {
        let rel = lf.to_string_lossy().replace('\\', "/");
        let rel = rel.trim_start_matches("./").to_string();
        if !chosen.iter().any(|(p, _, _)| *p == rel) {
            let role = Path::new(&rel)
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(role_of)
                .unwrap_or(FileRole::License);
            chosen.push((rel, root.join(lf), role));
        }
    }
    chosen.sort_by(|a, b| a.0.cmp(&b.0));
    chosen
        .into_iter()
        .map(|(rel, path, role)| {
            Ok(LicenseFile {
                path: rel,
                role,
                bytes: read_bounded(&path)?,
            })
        })
        .collect()
}

/// Reads a whole file of at most [`MAX_LICENSE_FILE`] bytes.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, NoticesError> {
    use std::io::Read;
    let err = |source| NoticesError::Read {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(err)?;
    let mut bytes = Vec::new();
    f.take(MAX_LICENSE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(err)?;
    if bytes.len() as u64 > MAX_LICENSE_FILE {
        return Err(NoticesError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_LICENSE_FILE,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_mark_license_files() {
        for n in [
            "LICENSE",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "license.txt",
            "LICENCE",
            "COPYING",
            "COPYING.LESSER",
            "UNLICENSE",
            "LICENSE_APACHE",
            "LICENSES.md",
            "COPYRIGHT",
            "LICENSE-BoringSSL.txt",
            "LICENSE.Apache-2.0",
        ] {
            assert_eq!(role_of(n), Some(FileRole::License), "{n}");
        }
        for n in ["NOTICE", "NOTICE.txt", "notice.md"] {
            assert_eq!(role_of(n), Some(FileRole::Notice), "{n}");
        }
    }

    #[test]
    fn source_files_are_not_license_files() {
        for n in [
            "gb18030_2022.rs",
            "license.rs",
            "licensed.rs",
            "copyright_check.py",
            "LICENSE.json",
            "README.md",
            "Cargo.toml",
            "noticeable.txt",
            "licenses.toml",
        ] {
            assert_eq!(role_of(n), None, "{n}");
        }
    }

    #[test]
    fn finds_root_folder_and_manifest_files() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::write(r.join("LICENSE-MIT"), "mit").unwrap();
        std::fs::write(r.join("NOTICE"), "notice").unwrap();
        std::fs::write(r.join("Cargo.toml"), "").unwrap();
        std::fs::create_dir_all(r.join("LICENSES")).unwrap();
        std::fs::write(r.join("LICENSES/Apache-2.0.txt"), "apache").unwrap();
        std::fs::create_dir_all(r.join("src")).unwrap();
        std::fs::write(r.join("src/license.rs"), "fn x() {}").unwrap();
        std::fs::write(r.join("src/THIRD-PARTY"), "x").unwrap();
        std::fs::create_dir_all(r.join("legal")).unwrap();
        std::fs::write(r.join("legal/TERMS"), "terms").unwrap();
        let files = find(r, Some(Path::new("legal/TERMS"))).unwrap();
        let got: Vec<(&str, FileRole)> = files.iter().map(|f| (f.path.as_str(), f.role)).collect();
        assert_eq!(
            got,
            [
                ("LICENSE-MIT", FileRole::License),
                ("LICENSES/Apache-2.0.txt", FileRole::License),
                ("NOTICE", FileRole::Notice),
                ("legal/TERMS", FileRole::License),
            ]
        );
        assert_eq!(files[3].bytes, b"terms");
    }
}
