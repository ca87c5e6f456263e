//! The release check an Apache release manager (or the ASF's ATR) runs on
//! a source release, and Apache RAT's header check, in one streaming pass
//! over a folder or an archive.
//!
//! Checks, each a [`Finding`] when it fails:
//! * a license file at the root (`LICENSE*`, or `COPYING*` as GNU projects
//!   name it), recognised by detection;
//! * a `NOTICE` file at the root, valid UTF-8;
//! * for an incubating release: `DISCLAIMER` or `DISCLAIMER-WIP` at the
//!   root, and `incubating` in the artifact's name;
//! * no `KEYS` file anywhere inside (KEYS is published beside releases,
//!   never in them);
//! * no binary files unless allowed by glob: content with a NUL byte in
//!   its first 16 KiB. Images and PDFs (by magic number) are listed, not
//!   findings;
//! * every source file (by extension or build-file name, see
//!   [`header::needs_header`]) carries a recognised license header or an
//!   `SPDX-License-Identifier`, unless excluded by glob (command line,
//!   policy, or the `.rat-excludes` file at the root).
//!
//! The files are read once, in order; exclusions are applied after the
//! pass, so a `.rat-excludes` met late in an archive still applies.

pub mod excludes;
pub mod header;
pub mod tree;

use std::io::Read;

use rayon::prelude::*;
use serde::Serialize;

use crate::detect::{Detection, DetectionKind, Detector};
use crate::error::NoticesError;
use crate::files::{FileRole, MAX_LICENSE_FILE, role_of};
use excludes::Patterns;
use header::{HEAD, Header, needs_header, recognise};
pub use tree::{ArchiveTree, DirTree, Entry, Tree, open};

/// What to check beyond the defaults.
#[derive(Clone, Debug, Default)]
pub struct AuditOptions {
    /// The release is incubating (also implied by `incubating` in the
    /// artifact's name).
    pub incubating: bool,
    /// Files needing no header.
    pub exclude: Patterns,
    /// Binary files allowed.
    pub allow_binary: Patterns,
}

/// The kind of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Root license file.
    License,
    /// Root NOTICE file.
    Notice,
    /// DISCLAIMER of an incubating release.
    Disclaimer,
    /// `incubating` in the artifact name.
    ArtifactName,
    /// A KEYS file inside the release.
    Keys,
    /// A binary file.
    Binary,
    /// A source file without a recognised license header.
    Header,
    /// The `.rat-excludes` file could not be used.
    Excludes,
}

/// One failed check.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Which check.
    pub check: Check,
    /// The file concerned (relative to the release root), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What is wrong, for people.
    pub message: String,
}

/// A source file's header verdict.
#[derive(Clone, Debug, Serialize)]
pub struct HeaderResult {
    /// Path relative to the release root.
    pub path: String,
    /// The category (`Apache-2.0 (ASF)`, `GPL`, `SPDX: curl`), or absent
    /// when unapproved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Matched an exclusion.
    pub excluded: bool,
}

/// A binary file.
#[derive(Clone, Debug, Serialize)]
pub struct BinaryFile {
    /// Path relative to the release root.
    pub path: String,
    /// What its magic number says (`ELF executable`, `PNG image`, `data`).
    pub kind: &'static str,
    /// Allowed: media, or matched an allow glob.
    pub allowed: bool,
}

/// The root license-bearing files found, with detection.
#[derive(Clone, Debug, Serialize)]
pub struct RootFile {
    /// Name at the root.
    pub name: String,
    /// What detection says (absent for NOTICE and DISCLAIMER).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detection: Option<Detection>,
    /// Valid UTF-8.
    pub utf8: bool,
}

/// The result of an audit.
#[derive(Clone, Debug, Serialize)]
pub struct AuditReport {
    /// The artifact's name.
    pub artifact: String,
    /// The top folder stripped from archive paths (`curl-7.88.1`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_folder: Option<String>,
    /// Whether the release was audited as incubating.
    pub incubating: bool,
    /// Number of files.
    pub files: usize,
    /// Total bytes.
    pub bytes: u64,
    /// License, NOTICE and DISCLAIMER files at the root.
    pub root_files: Vec<RootFile>,
    /// Every source file's header verdict, by path.
    pub headers: Vec<HeaderResult>,
    /// Every binary file.
    pub binaries: Vec<BinaryFile>,
    /// The exclusion patterns applied.
    pub excludes: Vec<String>,
    /// The failed checks: release-level first, then per file by path.
    pub findings: Vec<Finding>,
}

impl AuditReport {
    /// Source files whose header is not recognised and not excluded.
    pub fn unapproved(&self) -> impl Iterator<Item = &HeaderResult> {
        self.headers
            .iter()
            .filter(|h| h.category.is_none() && !h.excluded)
    }
}

/// What the pass keeps of each file.
struct Seen {
    path: String,
    header: Option<Option<Header>>,
    binary: Option<&'static str>,
}

/// Audits `tree`. The detection store loads on another thread while the
/// files stream by.
pub fn audit(
    tree: &mut dyn Tree,
    opts: &AuditOptions,
    detector: &Detector,
) -> Result<AuditReport, NoticesError> {
    let artifact = tree.artifact_name();
    let strip = tree.strips_top_folder();
    let mut seen: Vec<Seen> = Vec::new();
    // Files near the top (depth ≤ 2 before stripping) that may be root
    // license files, NOTICE, DISCLAIMER or .rat-excludes: kept whole.
    let mut near_top: Vec<(String, Vec<u8>)> = Vec::new();
    // What those may hold in memory together: a hostile archive with
    // thousands of 4 MiB `LICENSE-n` files gets the rest read as heads only.
    let mut near_top_budget: u64 = NEAR_TOP_BUDGET;
    let mut bytes = 0u64;
    let (pass, store) = std::thread::scope(|s| {
        let store = s.spawn(|| detector.preload());
        let pass = tree.for_each_file(&mut |e: &Entry, r: &mut dyn Read| {
            bytes += e.size;
            let depth = e.path.matches('/').count();
            let name = e.path.rsplit('/').next().unwrap_or(&e.path);
            let keep_whole = depth <= usize::from(strip)
                && is_root_candidate(name)
                && near_top_budget >= e.size.min(MAX_LICENSE_FILE);
            let mut head = Vec::with_capacity(HEAD.min(e.size as usize));
            let limit = if keep_whole {
                MAX_LICENSE_FILE
            } else {
                HEAD as u64
            };
            r.take(limit)
                .read_to_end(&mut head)
                .map_err(|source| NoticesError::Read {
                    path: e.path.clone().into(),
                    source,
                })?;
            let sniff = &head[..head.len().min(HEAD)];
            let binary = binary_kind(sniff);
            let header = (binary.is_none() && needs_header(&e.path)).then(|| recognise(sniff));
            seen.push(Seen {
                path: e.path.clone(),
                header,
                binary,
            });
            if keep_whole {
                near_top_budget = near_top_budget.saturating_sub(head.len() as u64);
                near_top.push((e.path.clone(), head));
            }
            Ok(())
        });
        (pass, store.join())
    });
    pass?;
    match store {
        Ok(r) => r?,
        Err(_) => return Err(NoticesError::Store("the loading thread failed".into())),
    }

    // The top folder of an archive: the first component, when every file
    // shares it.
    let top_folder = if strip {
        let first = seen
            .first()
            .and_then(|s| s.path.split_once('/'))
            .map(|(t, _)| t.to_string());
        first.filter(|t| {
            seen.iter().all(|s| {
                s.path
                    .strip_prefix(t.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
        })
    } else {
        None
    };
    let rel = |p: &str| -> String {
        match &top_folder {
            Some(t) => p
                .strip_prefix(t.as_str())
                .map(|r| r.trim_start_matches('/').to_string())
                .unwrap_or_else(|| p.to_string()),
            None => p.to_string(),
        }
    };

    let mut findings: Vec<Finding> = Vec::new();
    let mut root: Vec<(String, Vec<u8>)> = near_top
        .into_iter()
        .map(|(p, b)| (rel(&p), b))
        .filter(|(p, _)| !p.contains('/'))
        .collect();
    root.sort_by(|a, b| a.0.cmp(&b.0));

    // .rat-excludes at the root.
    let mut exclude_written = opts.exclude.written.clone();
    let mut rat = Patterns::default();
    if let Some((_, b)) = root.iter().find(|(n, _)| n == ".rat-excludes") {
        match Patterns::parse_file(&String::from_utf8_lossy(b), ".rat-excludes") {
            Ok(p) => {
                exclude_written.extend(p.written.iter().cloned());
                rat = p;
            }
            Err(e) => findings.push(Finding {
                check: Check::Excludes,
                path: Some(".rat-excludes".into()),
                message: e.to_string(),
            }),
        }
    }

    // Root license files, detected in parallel (gnupg has six).
    let detections: Vec<Option<Detection>> = root
        .par_iter()
        .map(|(name, b)| match root_role(name) {
            Some(RootRole::License) => detector.detect(&String::from_utf8_lossy(b)).map(Some),
            _ => Ok(None),
        })
        .collect::<Result<_, _>>()?;
    let mut root_files = Vec::new();
    let mut license_ok = false;
    let mut license_names = Vec::new();
    for ((name, b), detection) in root.iter().zip(detections) {
        let utf8 = std::str::from_utf8(b).is_ok();
        match root_role(name) {
            Some(RootRole::License) => {
                let Some(d) = detection else { continue };
                if matches!(
                    d.kind,
                    DetectionKind::Text | DetectionKind::Index | DetectionKind::Header
                ) {
                    license_ok = true;
                }
                license_names.push(format!("{name} ({})", d.summary()));
                root_files.push(RootFile {
                    name: name.clone(),
                    detection: Some(d),
                    utf8,
                });
            }
            Some(RootRole::Notice | RootRole::Disclaimer) => root_files.push(RootFile {
                name: name.clone(),
                detection: None,
                utf8,
            }),
            None => {}
        }
    }
    if license_names.is_empty() {
        findings.push(Finding {
            check: Check::License,
            path: None,
            message: "no LICENSE (or COPYING) file at the root".into(),
        });
    } else if !license_ok {
        findings.push(Finding {
            check: Check::License,
            path: None,
            message: format!(
                "no license recognised in the root license files: {}",
                license_names.join("; ")
            ),
        });
    }
    let notices: Vec<&RootFile> = root_files
        .iter()
        .filter(|f| root_role(&f.name) == Some(RootRole::Notice))
        .collect();
    if notices.is_empty() {
        findings.push(Finding {
            check: Check::Notice,
            path: None,
            message: "no NOTICE file at the root".into(),
        });
    }
    for n in notices.iter().filter(|n| !n.utf8) {
        findings.push(Finding {
            check: Check::Notice,
            path: Some(n.name.clone()),
            message: "not valid UTF-8".into(),
        });
    }
    let incubating = opts.incubating || artifact.to_ascii_lowercase().contains("incubating");
    if incubating {
        if !root_files
            .iter()
            .any(|f| root_role(&f.name) == Some(RootRole::Disclaimer))
        {
            findings.push(Finding {
                check: Check::Disclaimer,
                path: None,
                message: "incubating release without DISCLAIMER or DISCLAIMER-WIP at the root"
                    .into(),
            });
        }
        if !artifact.to_ascii_lowercase().contains("incubating") {
            findings.push(Finding {
                check: Check::ArtifactName,
                path: None,
                message: format!("incubating release named `{artifact}`, without `incubating`"),
            });
        }
    }

    // Per file: KEYS, binaries, headers.
    let mut headers = Vec::new();
    let mut binaries = Vec::new();
    let mut per_file: Vec<Finding> = Vec::new();
    for s in &seen {
        let path = rel(&s.path);
        let name = path.rsplit('/').next().unwrap_or(&path);
        if matches!(name, "KEYS" | "KEYS.txt" | "KEYS.asc") {
            per_file.push(Finding {
                check: Check::Keys,
                path: Some(path.clone()),
                message: "a KEYS file inside the release (publish it beside the release)".into(),
            });
        }
        if let Some(kind) = s.binary {
            let allowed = is_media(kind) || opts.allow_binary.matches(&path);
            if !allowed {
                per_file.push(Finding {
                    check: Check::Binary,
                    path: Some(path.clone()),
                    message: format!("binary file ({kind})"),
                });
            }
            binaries.push(BinaryFile {
                path: path.clone(),
                kind,
                allowed,
            });
        }
        if let Some(h) = &s.header {
            let excluded = opts.exclude.matches(&path) || rat.matches(&path);
            if h.is_none() && !excluded {
                per_file.push(Finding {
                    check: Check::Header,
                    path: Some(path.clone()),
                    message: "no license header or SPDX-License-Identifier".into(),
                });
            }
            headers.push(HeaderResult {
                path,
                category: h.as_ref().map(Header::category),
                excluded,
            });
        }
    }
    per_file.sort_by(|a, b| (a.check, &a.path).cmp(&(b.check, &b.path)));
    findings.extend(per_file);
    headers.sort_by(|a, b| a.path.cmp(&b.path));
    binaries.sort_by(|a, b| a.path.cmp(&b.path));

    Ok(AuditReport {
        artifact,
        top_folder,
        incubating,
        files: seen.len(),
        bytes,
        root_files,
        headers,
        binaries,
        excludes: exclude_written,
        findings,
    })
}

/// Bytes of root license, NOTICE and DISCLAIMER files held at once.
const NEAR_TOP_BUDGET: u64 = 64 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RootRole {
    License,
    Notice,
    Disclaimer,
}

fn root_role(name: &str) -> Option<RootRole> {
    let upper = name.to_ascii_uppercase();
    if upper == "DISCLAIMER"
        || upper.starts_with("DISCLAIMER.")
        || upper.starts_with("DISCLAIMER-WIP")
    {
        return Some(RootRole::Disclaimer);
    }
    match role_of(name)? {
        FileRole::Notice => Some(RootRole::Notice),
        // COPYRIGHT files are credits more often than licenses.
        FileRole::License if upper.starts_with("COPYRIGHT") => None,
        FileRole::License => Some(RootRole::License),
    }
}

fn is_root_candidate(name: &str) -> bool {
    name == ".rat-excludes" || root_role(name).is_some()
}

/// The kind of binary content, by magic number, or `None` for text (no NUL
/// byte in the sniffed head).
pub fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x7fELF", "ELF executable or object"),
        (b"\xca\xfe\xba\xbe", "Java class or Mach-O universal binary"),
        (b"\xcf\xfa\xed\xfe", "Mach-O binary"),
        (b"\xce\xfa\xed\xfe", "Mach-O binary"),
        (b"PK\x03\x04", "zip archive (zip, jar)"),
        (b"\x1f\x8b", "gzip archive"),
        (b"BZh", "bzip2 archive"),
        (b"\xfd7zXZ\x00", "xz archive"),
        (b"\x28\xb5\x2f\xfd", "zstd archive"),
        (b"7z\xbc\xaf\x27\x1c", "7z archive"),
        (b"\xde\x12\x04\x95", "compiled message catalog (.mo)"),
        (b"\x95\x04\x12\xde", "compiled message catalog (.mo)"),
        (b"\x89PNG", "PNG image"),
        (b"GIF8", "GIF image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"%PDF-", "PDF document"),
        (b"\x00\x00\x01\x00", "ICO image"),
        (b"BM", "BMP image"),
    ];
    let has_nul = head.contains(&0);
    // The compressed-archive and ELF magics are binary whatever follows;
    // the short ones (BM, BZh) only with a NUL too.
    for (magic, kind) in MAGIC {
        if head.starts_with(magic) && (has_nul || magic.len() >= 4 || *magic == b"\x1f\x8b") {
            return Some(kind);
        }
    }
    if head.starts_with(b"MZ") && has_nul {
        return Some("Windows executable (PE)");
    }
    has_nul.then_some("data")
}

fn is_media(kind: &str) -> bool {
    kind.ends_with(" image") || kind == "PDF document"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(
            binary_kind(b"\x7fELF\x02\x01"),
            Some("ELF executable or object")
        );
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n"), Some("PNG image"));
        assert_eq!(binary_kind(b"plain text\n"), None);
        assert_eq!(binary_kind(b"BMW is a car\n"), None);
        assert_eq!(binary_kind(b"abc\x00def"), Some("data"));
        assert!(is_media("PNG image") && !is_media("data"));
    }

    fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (p, b) in files {
            let path = d.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b).unwrap();
        }
        d
    }

    #[test]
    fn a_clean_apache_release() {
        let apache = spdx::license_id("Apache-2.0").unwrap().text();
        let d = dir_with(&[
            ("LICENSE", apache.as_bytes()),
            (
                "NOTICE",
                b"Apache Foo\nCopyright 2026 The Apache Software Foundation\n",
            ),
            (
                "src/a.c",
                b"/* Licensed to the Apache Software Foundation (ASF) under one */\n",
            ),
            ("src/b.rs", b"// SPDX-License-Identifier: Apache-2.0\n"),
            ("docs/x.md", b"no header needed\n"),
            ("img/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ]);
        let r = audit(
            &mut DirTree::new(d.path()),
            &AuditOptions::default(),
            &Detector::new(),
        )
        .unwrap();
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.binaries.len(), 1);
        assert!(r.binaries[0].allowed);
    }

    #[test]
    fn every_check_fails_once() {
        let d = dir_with(&[
            ("NOTICE", b"caf\xe9\n"),
            ("KEYS", b"pub ..."),
            ("lib/x.c", b"int x;\n"),
            ("lib/gen.c", b"int y;\n"),
            ("bin/tool", b"\x7fELF\x02\x01\x01\x00"),
            ("data/blob", b"a\x00b"),
            (".rat-excludes", b"# generated\ngen.c\n"),
        ]);
        let opts = AuditOptions {
            incubating: true,
            allow_binary: Patterns::new([("data/*", "test".to_string())]).unwrap(),
            ..AuditOptions::default()
        };
        let r = audit(&mut DirTree::new(d.path()), &opts, &Detector::new()).unwrap();
        let got: Vec<(Check, Option<&str>)> = r
            .findings
            .iter()
            .map(|f| (f.check, f.path.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Check::License, None),
                (Check::Notice, Some("NOTICE")),
                (Check::Disclaimer, None),
                (Check::ArtifactName, None),
                (Check::Keys, Some("KEYS")),
                (Check::Binary, Some("bin/tool")),
                (Check::Header, Some("lib/x.c")),
            ],
            "{:#?}",
            r.findings
        );
        assert_eq!(r.unapproved().count(), 1);
        assert_eq!(r.excludes, ["gen.c"]);
    }
}
