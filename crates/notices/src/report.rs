//! The notices document as data: packages, their files, the deduplicated
//! texts with their detection, coverage flags and the policy's verdict.
//! [`crate::markdown`] renders it for people; serde renders it as JSON.
//!
//! Everything is ordered (packages by name and version, files by path,
//! texts by first use), so the same lock file gives the same bytes.

use std::collections::BTreeMap;

use apostille_digest::{Algorithm, Hasher};
use rayon::prelude::*;
use serde::Serialize;
use spdx::{Expression, ParseMode};

use crate::detect::{Detection, DetectionKind, Detector};
use crate::error::NoticesError;
use crate::files::{self, FileRole, LicenseFile};
use crate::metadata::{Graph, Package};
use crate::policy::{Policy, Verdict};

/// Where a text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// A file the package ships, verbatim.
    Shipped,
    /// The SPDX list's standard text, used because the package ships no
    /// text for a license it declares. Not from upstream.
    SpdxStandard,
}

/// One distinct text.
#[derive(Clone, Debug, Serialize)]
pub struct Text {
    /// `T1`, `T2`… in order of first use.
    pub id: String,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
    /// Shipped verbatim, or the SPDX standard text.
    pub origin: Origin,
    /// The text (invalid UTF-8 replaced, and then [`Text::utf8`] is false).
    pub text: String,
    /// Whether the bytes were valid UTF-8.
    pub utf8: bool,
    /// What detection says.
    pub detection: Detection,
    /// Who ships it: `name version: path`.
    pub used_by: Vec<String>,
}

/// A file of a package, pointing at its text.
#[derive(Clone, Debug, Serialize)]
pub struct FileEntry {
    /// Path inside the package.
    pub path: String,
    /// License text or NOTICE.
    pub role: FileRole,
    /// Id of the text.
    pub text: String,
}

/// A standard text put in for a license the package declares but ships no
/// text for.
#[derive(Clone, Debug, Serialize)]
pub struct Fallback {
    /// SPDX identifier.
    pub license: String,
    /// Id of the text.
    pub text: String,
}

/// How far the shipped texts cover the declared expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// A text was found for every license of the expression.
    Full,
    /// The expression is satisfiable with the texts found (one branch of an
    /// OR has its text), not every license has one.
    Partial,
    /// The texts found do not satisfy the expression.
    None,
    /// There is no SPDX expression to check against.
    Unknown,
}

/// Something a reader of the notices should look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// The package ships no license file; standard texts were put in.
    NoLicenseFile,
    /// The detected texts do not cover the declared expression.
    NotCovered,
    /// A license file was not recognised.
    Unrecognised,
    /// The manifest has no SPDX `license` (or one that does not parse).
    NoSpdxExpression,
    /// The package ships NOTICE files, which must be passed on.
    Notice,
    /// The package cannot be used without a copyleft license.
    Copyleft,
    /// The policy forbids the package's license.
    PolicyViolation,
}

/// One third-party package.
#[derive(Clone, Debug, Serialize)]
pub struct PackageEntry {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Source (`registry+…`, `git+…`; absent for a path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The manifest's `repository`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The manifest's `license`, as written.
    pub declared: Option<String>,
    /// The manifest's `license-file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_file: Option<String>,
    /// Every license-bearing file shipped, by path.
    pub files: Vec<FileEntry>,
    /// Standard texts put in for declared licenses with no shipped text.
    pub fallback: Vec<Fallback>,
    /// Coverage of the declared expression by detected texts.
    pub coverage: Coverage,
    /// Licenses of the expression with no detected text.
    pub missing: Vec<String>,
    /// Flags, sorted.
    pub flags: Vec<Flag>,
    /// The policy's reasons, when it is broken.
    pub violations: Vec<String>,
    /// How coverage was decided where detection alone did not say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl PackageEntry {
    /// `name version`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

/// The whole notices document.
#[derive(Clone, Debug, Serialize)]
pub struct Notices {
    /// `apostille <version>`.
    pub generator: String,
    /// The workspace members whose dependencies are listed.
    pub workspace_members: Vec<String>,
    /// `--target`, when given.
    pub target: Option<String>,
    /// Whether dev-dependencies were followed.
    pub dev_dependencies: bool,
    /// The policy file applied, when there was one (path as given).
    pub policy: Option<String>,
    /// Packages, sorted by name and version.
    pub packages: Vec<PackageEntry>,
    /// Distinct texts, in order of first use.
    pub texts: Vec<Text>,
}

impl Notices {
    /// Packages that break the policy.
    pub fn violations(&self) -> impl Iterator<Item = &PackageEntry> {
        self.packages.iter().filter(|p| !p.violations.is_empty())
    }

    /// The text with id `id`.
    pub fn text(&self, id: &str) -> Option<&Text> {
        self.texts.iter().find(|t| t.id == id)
    }

    /// The JSON form (pretty, with a final newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

/// Options of [`build`] that are not in the graph.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// `--target`, recorded in the output.
    pub target: Option<String>,
    /// Dev-dependencies were followed, recorded in the output.
    pub dev_dependencies: bool,
    /// The policy's path as the user should see it.
    pub policy_label: Option<String>,
}

/// Builds the notices of `graph`: reads every package's license-bearing
/// files, deduplicates and annotates the texts (in parallel), computes
/// coverage and applies `policy`.
pub fn build(
    graph: &Graph,
    policy: &Policy,
    detector: &Detector,
    opts: &BuildOptions,
) -> Result<Notices, NoticesError> {
    let shipped: Vec<Vec<LicenseFile>> = graph
        .packages
        .par_iter()
        .map(|p| files::find(&p.root, p.license_file.as_deref()))
        .collect::<Result<_, _>>()?;

    // Distinct texts by digest, numbered in order of first use.
    let mut texts: Vec<Text> = Vec::new();
    let mut by_digest: BTreeMap<String, usize> = BTreeMap::new();
    let mut intern = |bytes: &[u8], origin: Origin, who: String, texts: &mut Vec<Text>| -> String {
        let sha = Hasher::digest(Algorithm::Sha256, bytes)
            .map(|d| d.to_hex())
            .unwrap_or_default();
        let key = format!("{origin:?}:{sha}");
        let i = *by_digest.entry(key).or_insert_with(|| {
            let (text, utf8) = match std::str::from_utf8(bytes) {
                Ok(s) => (s.to_string(), true),
                Err(_) => (String::from_utf8_lossy(bytes).into_owned(), false),
            };
            texts.push(Text {
                id: format!("T{}", texts.len() + 1),
                sha256: sha.clone(),
                origin,
                text,
                utf8,
                detection: Detection {
                    kind: DetectionKind::Unknown,
                    licenses: Vec::new(),
                    mentions: Vec::new(),
                    note: None,
                },
                used_by: Vec::new(),
            });
            texts.len() - 1
        });
        texts[i].used_by.push(who);
        texts[i].id.clone()
    };

    let mut entries: Vec<PackageEntry> = Vec::with_capacity(graph.packages.len());
    let mut roles: BTreeMap<String, FileRole> = BTreeMap::new();
    for (p, files) in graph.packages.iter().zip(&shipped) {
        let label = format!("{} {}", p.name, p.version);
        let mut entry = new_entry(p);
        for f in files {
            let id = intern(
                &f.bytes,
                Origin::Shipped,
                format!("{label}: {}", f.path),
                &mut texts,
            );
            // A text used anywhere as a license is detected as one.
            let r = roles.entry(id.clone()).or_insert(f.role);
            if f.role == FileRole::License {
                *r = FileRole::License;
            }
            entry.files.push(FileEntry {
                path: f.path.clone(),
                role: f.role,
                text: id,
            });
        }
        entries.push(entry);
    }

    // Detection of every distinct shipped license text, in parallel.
    let detections: Vec<Result<Detection, NoticesError>> = texts
        .par_iter()
        .map(|t| match roles.get(&t.id) {
            Some(FileRole::Notice) => Ok(Detection {
                kind: DetectionKind::Notice,
                licenses: Vec::new(),
                mentions: Vec::new(),
                note: None,
            }),
            _ => detector.detect(&t.text),
        })
        .collect();
    for (t, d) in texts.iter_mut().zip(detections) {
        t.detection = d?;
    }

    // Coverage, fallback texts, flags and the policy.
    for entry in &mut entries {
        let detected: Vec<String> = entry
            .files
            .iter()
            .filter(|f| f.role == FileRole::License)
            .filter_map(|f| texts.iter().find(|t| t.id == f.text))
            .flat_map(|t| t.detection.ids().map(base_id).collect::<Vec<_>>())
            .collect();
        let has_license_file = entry.files.iter().any(|f| f.role == FileRole::License);
        if entry.files.iter().any(|f| f.role == FileRole::Notice) {
            entry.flags.push(Flag::Notice);
        }
        if entry.files.iter().any(|f| {
            f.role == FileRole::License
                && texts
                    .iter()
                    .find(|t| t.id == f.text)
                    .is_some_and(|t| t.detection.kind == DetectionKind::Unknown)
        }) {
            entry.flags.push(Flag::Unrecognised);
        }
        let expr = entry
            .declared
            .as_deref()
            .and_then(|d| Expression::parse_mode(d, ParseMode::LAX).ok());
        match &expr {
            None => {
                entry.coverage = Coverage::Unknown;
                entry.flags.push(Flag::NoSpdxExpression);
                if !has_license_file {
                    entry.flags.push(Flag::NoLicenseFile);
                }
            }
            Some(expr) => {
                // A declared license whose text detection named otherwise
                // (a near relative scored higher) still counts when one of
                // the shipped texts matches it directly.
                let mut detected = detected;
                for r in expr.requirements() {
                    let name = r.req.license.to_string();
                    if detected.contains(&base_id(&name)) {
                        continue;
                    }
                    for f in entry.files.iter().filter(|f| f.role == FileRole::License) {
                        let Some(t) = texts.iter().find(|t| t.id == f.text) else {
                            continue;
                        };
                        if !matches!(t.detection.kind, DetectionKind::Text | DetectionKind::Index) {
                            continue;
                        }
                        let score = detector.score_against(&t.text, &name)?;
                        if let Some(score) =
                            score.filter(|s| *s >= f64::from(crate::detect::PROBABLE))
                        {
                            detected.push(base_id(&name));
                            entry.notes.push(format!(
                                "`{}` matches {name} at {score:.2} (detection's best: {})",
                                f.path,
                                t.detection.summary()
                            ));
                            break;
                        }
                    }
                }
                let has =
                    |r: &spdx::LicenseReq| detected.contains(&base_id(&r.license.to_string()));
                let mut missing: Vec<String> = Vec::new();
                for r in expr.requirements() {
                    let name = r.req.license.to_string();
                    if !has(&r.req) && !missing.contains(&name) {
                        missing.push(name);
                    }
                }
                entry.coverage = if missing.is_empty() {
                    Coverage::Full
                } else if expr.evaluate(has) {
                    Coverage::Partial
                } else {
                    Coverage::None
                };
                if entry.coverage == Coverage::None {
                    entry.flags.push(if has_license_file {
                        Flag::NotCovered
                    } else {
                        Flag::NoLicenseFile
                    });
                    // Put in the standard text of each license without
                    // one, clearly marked as not shipped by upstream.
                    for r in expr.requirements() {
                        let Some(id) = r.req.license.id() else {
                            continue;
                        };
                        let name = r.req.license.to_string();
                        if !missing.contains(&name)
                            || entry.fallback.iter().any(|f| f.license == name)
                        {
                            continue;
                        }
                        let label = entry.label();
                        let tid = intern(
                            id.text().as_bytes(),
                            Origin::SpdxStandard,
                            format!("{label}: standard text of {name}"),
                            &mut texts,
                        );
                        entry.fallback.push(Fallback {
                            license: name,
                            text: tid,
                        });
                    }
                }
                entry.missing = missing;
            }
        }
        let Verdict {
            violations,
            copyleft,
        } = policy.judge(&entry.name, entry.declared.as_deref());
        if copyleft {
            entry.flags.push(Flag::Copyleft);
        }
        if policy.notices.strict {
            for f in &entry.flags {
                let why = match f {
                    Flag::NoLicenseFile => "ships no license file",
                    Flag::NotCovered => "its license files do not cover the declared license",
                    Flag::Unrecognised => "ships a license file that is not recognised",
                    Flag::NoSpdxExpression => "declares no SPDX license expression",
                    _ => continue,
                };
                entry.violations.push(format!("{why} (strict policy)"));
            }
        }
        entry.violations.splice(0..0, violations);
        if !entry.violations.is_empty() {
            entry.flags.push(Flag::PolicyViolation);
        }
        entry.flags.sort();
        entry.flags.dedup();
    }
    // Standard texts are detected as what they are.
    for t in texts
        .iter_mut()
        .filter(|t| t.origin == Origin::SpdxStandard)
    {
        if let Some(name) = t
            .used_by
            .first()
            .and_then(|u| u.rsplit("standard text of ").next())
        {
            t.detection = Detection {
                kind: DetectionKind::Text,
                licenses: vec![crate::detect::Found {
                    id: name.to_string(),
                    score: 1.0,
                }],
                mentions: Vec::new(),
                note: Some("SPDX standard text, not shipped by upstream".into()),
            };
        }
    }

    Ok(Notices {
        generator: format!("apostille {}", env!("CARGO_PKG_VERSION")),
        workspace_members: graph.members.clone(),
        target: opts.target.clone(),
        dev_dependencies: opts.dev_dependencies,
        policy: opts.policy_label.clone(),
        packages: entries,
        texts,
    })
}

fn new_entry(p: &Package) -> PackageEntry {
    PackageEntry {
        name: p.name.clone(),
        version: p.version.clone(),
        source: p.source.clone(),
        repository: p.repository.clone(),
        declared: p.license.clone(),
        license_file: p
            .license_file
            .as_ref()
            .map(|f| f.to_string_lossy().replace('\\', "/")),
        files: Vec::new(),
        fallback: Vec::new(),
        coverage: Coverage::Unknown,
        missing: Vec::new(),
        flags: Vec::new(),
        violations: Vec::new(),
        notes: Vec::new(),
    }
}

/// The license a text is of, without the GNU version suffix: the texts of
/// `LGPL-2.0-only` and `LGPL-2.0-or-later` are the same text.
fn base_id(id: &str) -> String {
    let id = id.trim_end_matches('+');
    id.strip_suffix("-only")
        .or_else(|| id.strip_suffix("-or-later"))
        .unwrap_or(id)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn package(root: &Path, name: &str, license: Option<&str>, files: &[(&str, &str)]) -> Package {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for (f, text) in files {
            std::fs::write(dir.join(f), text).unwrap();
        }
        Package {
            id: format!("{name} 1.0.0"),
            name: name.to_string(),
            version: "1.0.0".to_string(),
            license: license.map(str::to_string),
            license_file: None,
            root: dir,
            source: Some("registry+test".to_string()),
            repository: None,
        }
    }

    fn notices(policy: &Policy) -> Notices {
        let tmp = tempfile::tempdir().unwrap();
        let mit = spdx::license_id("MIT").unwrap().text();
        let apache = spdx::license_id("Apache-2.0").unwrap().text();
        let graph = Graph {
            workspace_root: tmp.path().to_path_buf(),
            members: vec!["app".into()],
            packages: vec![
                package(
                    tmp.path(),
                    "a",
                    Some("MIT OR Apache-2.0"),
                    &[("LICENSE-MIT", mit)],
                ),
                package(
                    tmp.path(),
                    "b",
                    Some("MIT/Apache-2.0"),
                    &[
                        ("LICENSE-MIT", mit),
                        ("LICENSE-APACHE", apache),
                        ("NOTICE", "B\n"),
                    ],
                ),
                package(tmp.path(), "c", Some("Zlib"), &[]),
                package(tmp.path(), "d", None, &[("COPYING", "ask the authors\n")]),
            ],
        };
        build(&graph, policy, &Detector::new(), &BuildOptions::default()).unwrap()
    }

    #[test]
    fn dedup_coverage_fallback_and_flags() {
        let n = notices(&Policy::default());
        let by = |name: &str| n.packages.iter().find(|p| p.name == name).unwrap();
        // One MIT text, shipped by two packages, each listing its own file.
        let mit = &by("a").files[0].text;
        assert_eq!(&by("b").files[1].text, mit);
        assert_eq!(
            n.text(mit).unwrap().used_by,
            ["a 1.0.0: LICENSE-MIT", "b 1.0.0: LICENSE-MIT"]
        );
        assert_eq!(by("a").coverage, Coverage::Partial);
        assert_eq!(by("a").missing, ["Apache-2.0"]);
        assert!(by("a").fallback.is_empty());
        assert_eq!(by("b").coverage, Coverage::Full);
        assert_eq!(by("b").flags, [Flag::Notice]);
        // No file: the standard text, marked as such.
        let c = by("c");
        assert_eq!(
            (c.coverage, c.flags.as_slice()),
            (Coverage::None, &[Flag::NoLicenseFile][..])
        );
        let t = n.text(&c.fallback[0].text).unwrap();
        assert_eq!(t.origin, Origin::SpdxStandard);
        assert_eq!(t.text, spdx::license_id("Zlib").unwrap().text());
        let d = by("d");
        assert_eq!(d.flags, [Flag::Unrecognised, Flag::NoSpdxExpression]);
        assert!(n.violations().next().is_none());
    }

    #[test]
    fn strict_policy_turns_flags_into_violations() {
        let p = Policy::parse("[notices]\nstrict = true\n").unwrap();
        let n = notices(&p);
        let bad: Vec<&str> = n.violations().map(|p| p.name.as_str()).collect();
        assert_eq!(bad, ["c", "d"]);
    }
}
