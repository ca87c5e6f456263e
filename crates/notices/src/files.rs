//! Choosing a package's license-bearing files by name, as go-licenses does:
//! `LICENSE*`, `LICENCE*`, `COPYING*`, `NOTICE*`, `UNLICENSE*`,
//! `COPYRIGHT*` (any case) at the package root and inside license
//! folders (`LICENSES/`, `licenses/`, `LICENSE/`), plus whatever the
//! manifest's `license-file` names.
//!
//! Below the root, every folder is walked too (see [`find`]): crates that
//! vendor a C library (`-sys` crates) ship its license files there
//! (`aws-lc/third_party/fiat/LICENSE`, `xz/COPYING.GPLv2`), and that code is
//! compiled into the binary. Test, example and hidden folders are not
//! entered, symbolic links are not followed, and the walk is bounded.
//!
//! Source files are never taken for license texts: a name with a source
//! or data extension (`license.rs`, `gb18030_2022.rs`, `COPYING.json`) is
//! not chosen; below the root, generated documents (`LICENSE.html`) are not
//! either.

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

/// The most directory entries the walk below a package's root looks at
/// (all folders together); past it the walk stops, keeping what it found.
pub const MAX_WALK_ENTRIES: usize = 10_000;

/// The most files the walk below a package's root takes; past it the walk
/// stops, keeping what it found.
pub const MAX_WALK_FILES: usize = 200;

/// Folders the walk below the root does not enter (any case), besides
/// hidden ones (`.git`, `.github`) and license folders (see
/// [`walk_below_root`]).
const SKIPPED_FOLDERS: &[&str] = &[
    "tests", "test", "benches", "examples", "testdata", "fixtures", "target",
];

/// Extensions refused below the root only: generated documents such as a
/// vendored library's `LICENSE.html` repeat a text shipped beside them.
const SKIPPED_BELOW_ROOT: &[&str] = &["html", "htm"];

/// The role of a file named `name` found below the root: as [`role_of`],
/// and not a generated document.
fn role_below_root(name: &str) -> Option<FileRole> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if SKIPPED_BELOW_ROOT.contains(&ext.as_str()) {
        return None;
    }
    role_of(name)
}

/// The subfolder (`/`-separated, with a trailing `/`) of a file [`find`]
/// found by its walk below the root, or `None` for a file of the root
/// pass: one in the root folder, directly in a license folder
/// (`LICENSES/MIT.txt`), or the manifest's `license-file` (as the manifest
/// writes it).
pub fn subfolder<'a>(path: &'a str, license_file: Option<&str>) -> Option<&'a str> {
    if license_file.is_some_and(|lf| {
        let lf = lf.replace('\\', "/");
        lf.trim_start_matches("./") == path
    }) {
        return None;
    }
    let slash = path.rfind('/')?;
    let dir = &path[..slash];
    if !dir.contains('/') && is_license_folder(dir) {
        return None;
    }
    Some(&path[..=slash])
}

/// Whether a folder named `name` holds license files (`LICENSES/`).
fn is_license_folder(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "licenses" | "license" | "licences" | "licence"
    )
}

/// The license-bearing files of the package whose root folder is `root`;
/// `license_file` is the manifest's `license-file`.
///
/// First the root pass, sorted by path: license-named files in the root
/// folder, every file directly in a license folder, the `license-file`.
/// Then the walk below the root, to any depth, in order of path with a
/// folder's own files before those of its subfolders: files whose name
/// marks them ([`role_of`]; not `.html` / `.htm`), skipping folders named
/// `tests`, `test`, `benches`, `examples`, `testdata`, `fixtures`, `target`
/// (any case) and hidden ones, never following a symbolic link. The walk
/// looks at [`MAX_WALK_ENTRIES`] directory entries and takes
/// [`MAX_WALK_FILES`] files at most, then stops; a folder it cannot read
/// is skipped.
///
/// An unreadable root folder, and an unreadable or oversized chosen file,
/// are errors: a notice that silently lacks a file is worse than none.
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
    walk_below_root(root, &mut chosen);
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

/// Appends to `chosen` the license-named files below `root` (see [`find`])
/// that are not in it yet.
///
/// License folders (`licenses/`, `LICENSE/`) are not entered: the root
/// pass takes the files of the root's own, and below the root such a folder
/// is a collection of license texts kept as data (the `spdx` crate's
/// `src/text/licenses/` holds the 700 texts of the SPDX list, three of them
/// named `Unlicense*`), not the licenses of a vendored component, whose
/// files sit at the top of its folder (`xz/COPYING`).
fn walk_below_root(root: &Path, chosen: &mut Vec<(String, PathBuf, FileRole)>) {
    let mut seen: std::collections::BTreeSet<String> =
        chosen.iter().map(|(rel, _, _)| rel.clone()).collect();
    let (mut entries, mut taken) = (0usize, 0usize);
    // Depth first with an explicit stack (no recursion on hostile depth):
    // (path relative to root, `/`-terminated or empty for the root).
    let mut stack: Vec<String> = vec![String::new()];
    while let Some(rel_dir) = stack.pop() {
        let dir = if rel_dir.is_empty() {
            root.to_path_buf()
        } else {
            root.join(&rel_dir)
        };
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut listing: Vec<(String, PathBuf)> = Vec::new();
        let mut truncated = false;
        for e in rd {
            if entries >= MAX_WALK_ENTRIES {
                truncated = true;
                break;
            }
            entries += 1;
            let Ok(e) = e else {
                continue;
            };
            if let Ok(name) = e.file_name().into_string() {
                listing.push((name, e.path()));
            }
        }
        listing.sort_by(|a, b| a.0.cmp(&b.0));
        let mut subdirs: Vec<String> = Vec::new();
        for (name, path) in listing {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let ft = meta.file_type();
            if ft.is_dir() {
                let lower = name.to_ascii_lowercase();
                if !name.starts_with('.')
                    && !SKIPPED_FOLDERS.contains(&lower.as_str())
                    && !is_license_folder(&name)
                {
                    subdirs.push(format!("{rel_dir}{name}/"));
                }
            } else if ft.is_file() && !rel_dir.is_empty() {
                // Root files are the root pass's; symbolic links, FIFOs and
                // devices are never read.
                let Some(role) = role_below_root(&name) else {
                    continue;
                };
                let rel = format!("{rel_dir}{name}");
                if seen.insert(rel.clone()) {
                    if taken >= MAX_WALK_FILES {
                        return;
                    }
                    taken += 1;
                    chosen.push((rel, path, role));
                }
            }
        }
        if truncated {
            return;
        }
        stack.extend(subdirs.into_iter().rev());
    }
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

    /// The tree of the walk below the root, with what it must skip.
    fn vendored_tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        let write = |rel: &str, text: &str| {
            let p = r.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("LICENSE", "top");
        write("vendor/xz/COPYING", "xz copying");
        write("vendor/xz/COPYING.GPLv2", "gpl2");
        write("tests/LICENSE", "test fixture");
        write(".git/LICENSE", "hidden");
        write("src/license.rs", "fn x() {}");
        #[cfg(unix)]
        std::os::unix::fs::symlink("vendor", r.join("link")).unwrap();
        d
    }

    fn paths(files: &[LicenseFile]) -> Vec<(&str, FileRole)> {
        files.iter().map(|f| (f.path.as_str(), f.role)).collect()
    }

    #[test]
    fn walks_below_the_root_skipping_tests_hidden_code_and_links() {
        let d = vendored_tree();
        let files = find(d.path(), None).unwrap();
        assert_eq!(
            paths(&files),
            [
                ("LICENSE", FileRole::License),
                ("vendor/xz/COPYING", FileRole::License),
                ("vendor/xz/COPYING.GPLv2", FileRole::License),
            ]
        );
        assert_eq!(files[1].bytes, b"xz copying");
        assert_eq!(files[2].bytes, b"gpl2");
        let sub: Vec<Option<&str>> = files.iter().map(|f| subfolder(&f.path, None)).collect();
        assert_eq!(sub, [None, Some("vendor/xz/"), Some("vendor/xz/")]);
    }

    #[test]
    fn walk_order_root_pass_first_then_each_folder_before_its_subfolders() {
        let d = vendored_tree();
        let r = d.path();
        std::fs::write(r.join("vendor/NOTICE"), "n").unwrap();
        std::fs::create_dir_all(r.join("vendor/xz/doc")).unwrap();
        std::fs::write(r.join("vendor/xz/doc/COPYING"), "doc").unwrap();
        std::fs::write(r.join("vendor/xz/doc/LICENSE.html"), "<p>").unwrap();
        std::fs::create_dir_all(r.join("aa/Examples")).unwrap();
        std::fs::write(r.join("aa/Examples/LICENSE"), "example").unwrap();
        std::fs::write(r.join("aa/LICENSE.htm"), "<p>").unwrap();
        // License folders: the root's direct files only; a deeper one is a
        // collection of license texts as data (the `spdx` crate's).
        std::fs::create_dir_all(r.join("LICENSES/extra")).unwrap();
        std::fs::write(r.join("LICENSES/LICENSE-MIT"), "mit").unwrap();
        std::fs::write(r.join("LICENSES/extra/COPYING"), "extra").unwrap();
        std::fs::create_dir_all(r.join("src/text/licenses")).unwrap();
        std::fs::write(r.join("src/text/licenses/Unlicense"), "data").unwrap();
        // The root pass still takes a root `LICENSE.html`, as it always did.
        std::fs::write(r.join("LICENSE.html"), "<p>").unwrap();
        // `license-file` below the root is listed once, in the root pass.
        let files = find(r, Some(Path::new("./vendor/xz/COPYING"))).unwrap();
        assert_eq!(
            paths(&files),
            [
                ("LICENSE", FileRole::License),
                ("LICENSE.html", FileRole::License),
                ("LICENSES/LICENSE-MIT", FileRole::License),
                ("vendor/xz/COPYING", FileRole::License),
                ("vendor/NOTICE", FileRole::Notice),
                ("vendor/xz/COPYING.GPLv2", FileRole::License),
                ("vendor/xz/doc/COPYING", FileRole::License),
            ]
        );
        let lf = Some("./vendor/xz/COPYING");
        let sub: Vec<Option<&str>> = files.iter().map(|f| subfolder(&f.path, lf)).collect();
        assert_eq!(
            sub,
            [
                None,
                None,
                None,
                None,
                Some("vendor/"),
                Some("vendor/xz/"),
                Some("vendor/xz/doc/"),
            ]
        );
    }

    #[test]
    fn walk_stops_at_its_caps_keeping_what_it_found() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for i in 0..MAX_WALK_FILES + 20 {
            let dir = r.join(format!("v{i:04}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("LICENSE"), format!("{i}")).unwrap();
        }
        let files = find(r, None).unwrap();
        assert_eq!(files.len(), MAX_WALK_FILES);
        assert_eq!(files[0].path, "v0000/LICENSE");
        assert_eq!(files[MAX_WALK_FILES - 1].path, "v0199/LICENSE");

        // Entries: a folder with more than the cap ends the walk before `z/`.
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::write(r.join("COPYING"), "top").unwrap();
        std::fs::create_dir_all(r.join("a")).unwrap();
        for i in 0..MAX_WALK_ENTRIES {
            std::fs::write(r.join(format!("a/f{i}")), "").unwrap();
        }
        std::fs::create_dir_all(r.join("z")).unwrap();
        std::fs::write(r.join("z/LICENSE"), "z").unwrap();
        let files = find(r, None).unwrap();
        assert_eq!(paths(&files), [("COPYING", FileRole::License)]);
    }

    #[test]
    fn unreadable_root_is_an_error_unreadable_subfolder_is_not() {
        let d = tempfile::tempdir().unwrap();
        assert!(find(&d.path().join("missing"), None).is_err());
        // Below the root a dangling link is never followed (nor any link),
        // and a folder that cannot be listed is skipped.
        std::fs::write(d.path().join("LICENSE"), "x").unwrap();
        std::fs::create_dir_all(d.path().join("v")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("nowhere", d.path().join("v/LICENSE")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let locked = d.path().join("locked");
            std::fs::create_dir_all(&locked).unwrap();
            std::fs::write(locked.join("COPYING"), "c").unwrap();
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
            // Root may read it anyway; then it is found.
            let readable = std::fs::read_dir(&locked).is_ok();
            let files = find(d.path(), None);
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
            let files = files.unwrap();
            let mut want = vec![("LICENSE", FileRole::License)];
            if readable {
                want.push(("locked/COPYING", FileRole::License));
            }
            assert_eq!(paths(&files), want);
        }
        #[cfg(not(unix))]
        {
            let files = find(d.path(), None).unwrap();
            assert_eq!(paths(&files), [("LICENSE", FileRole::License)]);
        }
    }
}
