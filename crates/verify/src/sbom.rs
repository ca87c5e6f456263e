//! `verify sbom`: an SPDX 2.x document (JSON or tag-value) against the
//! artifacts it describes.
//!
//! * The document must parse as SPDX 2.x (spdx-rs's model, as the producer writes it).
//! * Every file, and every package that names a `packageFileName`, with
//!   checksums is looked up among the artifacts given (a folder: names are
//!   relative to it; files: matched by name) and read once by the engine,
//!   which computes every algorithm the document uses for it (BLAKE3's
//!   usual 32 bytes, or the 128 bytes of extended output the producer
//!   writes). Every value must be hex of its algorithm's exact length; an
//!   item with one that is not is refused unread. A mismatch of any
//!   checksum fails the item; a match by SHA-1 or MD5 alone is not enough. Missing artifacts fail
//!   unless `ignore_missing`. Absolute names and names with `..` are
//!   refused, never read.
//! * Each package verification code is recomputed from the SHA-1s of the
//!   files the package contains: a document whose file SHA-1 was edited
//!   fails even when that file is absent.
//! * Reported, not failed: packages whose declared license is
//!   `NOASSERTION` (or absent), and NTIA minimum-element gaps (author,
//!   timestamp, each package's supplier, version, and a `DESCRIBES`
//!   relationship) — facts about the document, not about the artifacts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

pub use crate::spdx_read::{ReadError, read};
use apostille_digest::spdx::{BLAKE3_SPDX_LEN, Blake3Xof, artifact_name, verification_code};
use apostille_digest::{Algorithm, AlgorithmSet, Digest, Engine, HashSink, ReadPlan, ReadResults};
use spdx_rs::models::{self, RelationshipType, SPDX};

/// Where the artifacts are.
#[derive(Clone, Debug)]
pub enum Artifacts {
    /// A folder: a document name `./a/b` is the file `DIR/a/b`.
    Dir(PathBuf),
    /// These files, matched to document names by their relative path as
    /// given, or else by file name when that is unambiguous.
    Files(Vec<PathBuf>),
}

/// What happened to one file or package of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every checksum matched, at least one strong (SHA-2 or BLAKE3).
    Ok(Vec<String>),
    /// These algorithms' checksums did not match.
    Mismatch(Vec<String>),
    /// Only SHA-1 or MD5 checksums, which matched: not enough.
    WeakOnly,
    /// The artifact is not there (not a failure with `ignore_missing`).
    Missing,
    /// It could not be read.
    Unreadable(String),
    /// Its name is absolute or climbs out with `..`, or a checksum value
    /// is not hex of its algorithm's length.
    Rejected(String),
}

impl Verdict {
    /// Whether this makes the check fail.
    pub fn is_failure(&self, ignore_missing: bool) -> bool {
        match self {
            Verdict::Ok(_) => false,
            Verdict::Missing => !ignore_missing,
            _ => true,
        }
    }
}

/// One checked element.
#[derive(Clone, Debug)]
pub struct ItemResult {
    /// `file` or `package`.
    pub kind: &'static str,
    /// The name in the document (`fileName` or `packageFileName`).
    pub name: String,
    /// The artifact read, when found.
    pub path: Option<PathBuf>,
    /// What happened.
    pub verdict: Verdict,
}

/// The outcome of `verify sbom`.
#[derive(Clone, Debug, Default)]
pub struct SbomReport {
    /// Files and packages with checksums, in document order.
    pub items: Vec<ItemResult>,
    /// Package verification codes that do not match the document's own
    /// file SHA-1s: (package, stated, computed).
    pub bad_codes: Vec<(String, String, String)>,
    /// Packages whose declared license is `NOASSERTION` or absent.
    pub noassertion_licenses: Vec<String>,
    /// NTIA minimum elements that are missing.
    pub ntia_gaps: Vec<String>,
    /// Artifacts given that the document does not describe.
    pub unlisted: Vec<PathBuf>,
    /// Whether missing artifacts were ignored.
    pub ignore_missing: bool,
}

impl SbomReport {
    /// Items verified.
    pub fn verified(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i.verdict, Verdict::Ok(_)))
            .count()
    }

    /// Whether the check passed: something to check, no failing item,
    /// every verification code right, and something verified when missing
    /// files are ignored.
    pub fn passed(&self) -> bool {
        !self.items.is_empty()
            && self
                .items
                .iter()
                .all(|i| !i.verdict.is_failure(self.ignore_missing))
            && self.bad_codes.is_empty()
            && !(self.ignore_missing && self.verified() == 0 && !self.items.is_empty())
    }
}

fn our_algorithm(a: models::Algorithm) -> Option<Algorithm> {
    Some(match a {
        models::Algorithm::SHA1 => Algorithm::Sha1,
        models::Algorithm::SHA256 => Algorithm::Sha256,
        models::Algorithm::SHA384 => Algorithm::Sha384,
        models::Algorithm::SHA512 => Algorithm::Sha512,
        models::Algorithm::MD5 => Algorithm::Md5,
        models::Algorithm::BLAKE3 => Algorithm::Blake3,
        _ => return None,
    })
}

/// The hex lengths a checksum value of `alg` may have: the digest's, and
/// for BLAKE3 also the extended output SPDX documents carry.
fn hex_lens(alg: Algorithm) -> &'static [usize] {
    match alg {
        Algorithm::Blake3 => &[64, BLAKE3_SPDX_LEN * 2],
        Algorithm::Sha256 => &[64],
        Algorithm::Sha384 => &[96],
        Algorithm::Sha512 => &[128],
        Algorithm::Sha1 => &[40],
        Algorithm::Md5 => &[32],
    }
}

/// Why a checksum list may not be used: a value that is not hex of its
/// algorithm's length.
fn bad_checksum(sums: &[models::Checksum]) -> Option<String> {
    for c in sums {
        let Some(alg) = our_algorithm(c.algorithm) else {
            continue;
        };
        let lens = hex_lens(alg);
        let n = c.value.len();
        let want = lens
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" or ");
        if !lens.contains(&n) {
            return Some(format!(
                "{} checksum value has {n} characters, not {want} hex digits",
                alg.name()
            ));
        }
        if !c.value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(format!("{} checksum value is not hex", alg.name()));
        }
    }
    None
}

/// Why a document name may not be read.
fn unsafe_name(name: &str) -> Option<String> {
    let p = Path::new(name);
    if p.is_absolute() {
        return Some("absolute name".into());
    }
    if p.components().any(|c| c == Component::ParentDir) {
        return Some("name with `..`".into());
    }
    None
}

struct Target {
    kind: &'static str,
    name: String,
    sums: Vec<models::Checksum>,
}

/// Checks `doc` against the artifacts, reading each once with `engine`.
pub fn check(
    engine: &Engine,
    doc: &SPDX,
    artifacts: &Artifacts,
    ignore_missing: bool,
) -> SbomReport {
    let plan = SbomPlan::new(doc, artifacts, ignore_missing);
    let mut reads = ReadPlan::new();
    plan.request(&mut reads);
    plan.conclude(&reads.run(engine))
}

/// A document's checks, planned so that the reads can be shared with other
/// checks of the same artifacts (`apostille verify` of a whole download):
/// [`SbomPlan::request`] asks the run's [`ReadPlan`] for each file with
/// the algorithms and sinks its checksums need, and [`SbomPlan::conclude`]
/// judges them from the results.
pub struct SbomPlan {
    report: SbomReport,
    targets: Vec<Target>,
    resolved: Vec<Result<PathBuf, Verdict>>,
    /// Per path: the algorithms, and BLAKE3 outputs of other lengths.
    needs: BTreeMap<PathBuf, (AlgorithmSet, Vec<(usize, Blake3Xof)>)>,
}

impl SbomPlan {
    /// Resolves every file and package of `doc` with checksums among
    /// `artifacts`; checks what needs no artifact (verification codes,
    /// NTIA gaps) right away.
    pub fn new(doc: &SPDX, artifacts: &Artifacts, ignore_missing: bool) -> SbomPlan {
        let mut report = SbomReport {
            ignore_missing,
            ..SbomReport::default()
        };
        let mut targets = Vec::new();
        for f in &doc.file_information {
            targets.push(Target {
                kind: "file",
                name: f.file_name.clone(),
                sums: f.file_checksum.clone(),
            });
        }
        for p in &doc.package_information {
            if let Some(n) = &p.package_file_name
                && !p.package_checksum.is_empty()
            {
                targets.push(Target {
                    kind: "package",
                    name: n.clone(),
                    sums: p.package_checksum.clone(),
                });
            }
        }

        // Resolve names to paths.
        let given: Vec<(String, PathBuf)> = match artifacts {
            Artifacts::Files(files) => files
                .iter()
                .map(|f| (artifact_name(f), f.clone()))
                .collect(),
            Artifacts::Dir(_) => Vec::new(),
        };
        // The folder, its own links resolved: a name must stay inside it
        // once the links along it are followed, as in `verify checksums`.
        let inside = match artifacts {
            Artifacts::Dir(d) if d.as_os_str().is_empty() => std::fs::canonicalize(".").ok(),
            Artifacts::Dir(d) => std::fs::canonicalize(d).ok(),
            Artifacts::Files(_) => None,
        };
        let mut used = BTreeSet::new();
        let mut resolved: Vec<Result<PathBuf, Verdict>> = Vec::new();
        for t in &targets {
            let clean = t.name.strip_prefix("./").unwrap_or(&t.name);
            if let Some(why) = unsafe_name(clean).or_else(|| bad_checksum(&t.sums)) {
                resolved.push(Err(Verdict::Rejected(why)));
                continue;
            }
            let found = match artifacts {
                Artifacts::Dir(dir) => {
                    let p = dir.join(clean);
                    match std::fs::metadata(&p) {
                        Ok(m) if m.is_dir() => None,
                        Ok(m) => {
                            if let Some(kind) = apostille_digest::input::refused_kind(&m) {
                                resolved.push(Err(Verdict::Rejected(format!(
                                    "not a regular file ({kind})"
                                ))));
                                continue;
                            }
                            if let Some(inside) = &inside
                                && let Ok(real) = std::fs::canonicalize(&p)
                                && !real.starts_with(inside)
                            {
                                resolved.push(Err(Verdict::Rejected(
                                    "a symbolic link leads out of the folder".into(),
                                )));
                                continue;
                            }
                            Some(p)
                        }
                        Err(_) => None,
                    }
                }
                Artifacts::Files(_) => {
                    let exact = given.iter().find(|(n, _)| n == clean);
                    let base = clean.rsplit('/').next().unwrap_or(clean);
                    let by_base: Vec<_> = given
                        .iter()
                        .filter(|(n, _)| n.rsplit('/').next() == Some(base))
                        .collect();
                    exact
                        .or(if by_base.len() == 1 {
                            by_base.first().copied()
                        } else {
                            None
                        })
                        .map(|(_, p)| p.clone())
                }
            };
            match found {
                Some(p) => {
                    used.insert(p.clone());
                    resolved.push(Ok(p));
                }
                None => resolved.push(Err(Verdict::Missing)),
            }
        }
        if let Artifacts::Files(files) = artifacts {
            report.unlisted = files
                .iter()
                .filter(|f| !used.contains(*f))
                .cloned()
                .collect();
        }

        // One read per distinct path, with every algorithm any target needs.
        let mut needs: BTreeMap<PathBuf, (AlgorithmSet, Vec<(usize, Blake3Xof)>)> = BTreeMap::new();
        for (t, r) in targets.iter().zip(&resolved) {
            if let Ok(p) = r {
                let e = needs.entry(p.clone()).or_default();
                for c in &t.sums {
                    match our_algorithm(c.algorithm) {
                        Some(Algorithm::Blake3) if c.value.len() != 64 => {
                            let len = (c.value.len() / 2).min(1 << 16);
                            if !e.1.iter().any(|(l, _)| *l == len) {
                                e.1.push((len, Blake3Xof::new()));
                            }
                        }
                        Some(a) => e.0.insert(a),
                        None => {}
                    }
                }
            }
        }
        check_codes(doc, &mut report);
        document_gaps(doc, &mut report);
        SbomPlan {
            report,
            targets,
            resolved,
            needs,
        }
    }

    /// The files to read, each once, with the algorithms the document's
    /// checksums for it need.
    pub fn files(&self) -> impl Iterator<Item = (&Path, AlgorithmSet)> {
        self.needs.iter().map(|(p, (a, _))| (p.as_path(), *a))
    }

    /// The extra sinks the read of `path` must carry (BLAKE3 outputs of a
    /// length other than 32 bytes). Call once per read.
    pub fn sinks(&self, path: &Path) -> Vec<Box<dyn HashSink>> {
        self.needs
            .get(path)
            .map(|(_, xofs)| {
                xofs.iter()
                    .map(|(_, x)| Box::new(x.clone()) as Box<dyn HashSink>)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asks `plan` for every file the document's checksums name.
    pub fn request(&self, plan: &mut ReadPlan) {
        self.request_only(plan, |_| true);
    }

    /// [`SbomPlan::request`] for the files `keep` accepts; the others
    /// conclude as not read.
    pub fn request_only(&self, plan: &mut ReadPlan, keep: impl Fn(&Path) -> bool) {
        for (p, algs) in self.files() {
            if keep(p) {
                plan.want(p, algs, self.sinks(p));
            }
        }
    }

    /// The report, from the plan's results (a path without a result counts
    /// as unreadable).
    pub fn conclude(self, results: &ReadResults) -> SbomReport {
        let SbomPlan {
            mut report,
            targets,
            resolved,
            needs,
        } = self;
        for (t, r) in targets.iter().zip(resolved) {
            let (path, verdict) = match r {
                Err(v) => (None, v),
                Ok(p) => {
                    let xofs = needs.get(&p).map(|(_, x)| x.as_slice()).unwrap_or(&[]);
                    let v = match results.get(&p) {
                        None => Verdict::Unreadable("not read".into()),
                        Some(Err(e)) => Verdict::Unreadable(e.to_string()),
                        Some(Ok(h)) => judge(&t.sums, &h.digests, xofs),
                    };
                    (Some(p), v)
                }
            };
            report.items.push(ItemResult {
                kind: t.kind,
                name: t.name.clone(),
                path,
                verdict,
            });
        }
        report
    }
}

fn judge(
    sums: &[models::Checksum],
    digests: &apostille_digest::DigestSet,
    xofs: &[(usize, Blake3Xof)],
) -> Verdict {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for c in sums {
        let Some(alg) = our_algorithm(c.algorithm) else {
            continue;
        };
        let matched = if alg == Algorithm::Blake3 && c.value.len() != 64 {
            xofs.iter()
                .find(|(len, _)| *len * 2 == c.value.len())
                .is_some_and(|(len, x)| x.finish_hex(*len).eq_ignore_ascii_case(&c.value))
        } else {
            match (Digest::from_hex(alg, &c.value), digests.get(alg)) {
                (Some(want), Some(got)) => want.ct_eq(got),
                _ => false,
            }
        };
        let name = alg.name().to_owned();
        if matched {
            good.push(name)
        } else {
            bad.push(name)
        }
    }
    if !bad.is_empty() {
        Verdict::Mismatch(bad)
    } else if good.iter().any(|a| a != "sha1" && a != "md5") {
        Verdict::Ok(good)
    } else {
        Verdict::WeakOnly
    }
}

fn check_codes(doc: &SPDX, report: &mut SbomReport) {
    let sha1_of: BTreeMap<&str, &str> = doc
        .file_information
        .iter()
        .filter_map(|f| {
            f.file_checksum
                .iter()
                .find(|c| c.algorithm == models::Algorithm::SHA1)
                .map(|c| (f.file_spdx_identifier.as_str(), c.value.as_str()))
        })
        .collect();
    for p in &doc.package_information {
        let Some(code) = &p.package_verification_code else {
            continue;
        };
        let mut files: BTreeSet<&str> = p.files.iter().map(String::as_str).collect();
        for r in &doc.relationships {
            if r.relationship_type == RelationshipType::Contains
                && r.spdx_element_id == p.package_spdx_identifier
                && sha1_of.contains_key(r.related_spdx_element.as_str())
            {
                files.insert(&r.related_spdx_element);
            }
            if r.relationship_type == RelationshipType::ContainedBy
                && r.related_spdx_element == p.package_spdx_identifier
                && sha1_of.contains_key(r.spdx_element_id.as_str())
            {
                files.insert(&r.spdx_element_id);
            }
        }
        let computed = verification_code(files.iter().filter_map(|f| sha1_of.get(f).copied()));
        if !computed.eq_ignore_ascii_case(&code.value) {
            report
                .bad_codes
                .push((p.package_name.clone(), code.value.clone(), computed));
        }
    }
}

fn document_gaps(doc: &SPDX, report: &mut SbomReport) {
    let info = &doc.document_creation_information;
    if info.creation_info.creators.is_empty() {
        report
            .ntia_gaps
            .push("document: no author (creators)".into());
    }
    let missing = |v: Option<&String>| v.is_none_or(|s| s.is_empty() || s == "NOASSERTION");
    for p in &doc.package_information {
        let name = format!("{} ({})", p.package_name, p.package_spdx_identifier);
        if missing(p.package_supplier.as_ref()) {
            report.ntia_gaps.push(format!("{name}: no supplier"));
        }
        if missing(p.package_version.as_ref()) {
            report.ntia_gaps.push(format!("{name}: no version"));
        }
        let declared = p.declared_license.as_ref().map(ToString::to_string);
        if missing(declared.as_ref()) {
            report.noassertion_licenses.push(p.package_name.clone());
        }
    }
    let describes = doc.relationships.iter().any(|r| {
        r.relationship_type == RelationshipType::Describes
            || r.relationship_type == RelationshipType::DescribedBy
    }) || !info.document_describes.is_empty();
    if !describes {
        report
            .ntia_gaps
            .push("document: no DESCRIBES relationship".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(algorithm: models::Algorithm, value: &str) -> models::Checksum {
        models::Checksum {
            algorithm,
            value: value.into(),
        }
    }

    #[test]
    fn a_checksum_of_the_wrong_length_is_refused() {
        let sha1 = sum(models::Algorithm::SHA1, &"a".repeat(40));
        for (v, needle) in [
            ("", "blake3 checksum value has 0 characters"),
            ("ab", "blake3 checksum value has 2 characters"),
            (&"a".repeat(65), "has 65 characters, not 64 or 256"),
            (&"g".repeat(64), "blake3 checksum value is not hex"),
        ] {
            let why =
                bad_checksum(&[sha1.clone(), sum(models::Algorithm::BLAKE3, v)]).expect("refused");
            assert!(why.contains(needle), "{why}");
        }
        assert!(bad_checksum(&[sum(models::Algorithm::SHA256, &"a".repeat(63))]).is_some());
        assert!(
            bad_checksum(&[
                sha1.clone(),
                sum(models::Algorithm::BLAKE3, &"a".repeat(256))
            ])
            .is_none()
        );
        assert!(bad_checksum(&[sum(models::Algorithm::BLAKE3, &"A".repeat(64))]).is_none());
    }
}
