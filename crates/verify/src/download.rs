//! `apostille verify DIR|FILE…`: every attestation found beside the
//! artifacts of a download, verified from one read of each artifact.
//!
//! * [`Download::discover`] sorts the files of a folder (recursively) or
//!   the files given, and the files beside them, by name: checksum sidecars
//!   (`.sha512`, `.sha256`, `.sha1`, `.md5`, …) and lists (`SHA256SUMS`,
//!   `*-SHA512SUMS.txt`, …), detached OpenPGP signatures (`.asc`), Sigstore
//!   bundles (`.sigstore.json`, `.sigstore`, `.bundle`) and in-toto
//!   attestation bundles (`.intoto.jsonl`, one bundle per line), SPDX
//!   documents (`.spdx.json`, `.spdx`). Everything else is an artifact,
//!   except a `KEYS` file, which is noted but never trusted by itself.
//! * [`verify`] plans every check first — the checksum lines
//!   ([`crate::checksums::CheckPlan`]), the signatures' hash contexts
//!   ([`crate::pgp::PgpCheck`]), the SHA-256 (and SHA-512) a bundle's
//!   subject needs, the SBOM's checksums ([`crate::sbom::SbomPlan`]) —
//!   then gives the engine one job per artifact carrying all of them, so
//!   that each artifact is read exactly once, and judges each check from
//!   that result.
//! * The [`Report`] holds, per artifact, one [`Check`] per attestation
//!   (pass, FAIL, weak, skipped, with the reason and the signer), checks
//!   tied to no artifact, and the final verdict under a [`Requirements`]
//!   policy: every check that ran must not fail, every required kind must
//!   have passed for every artifact, and every artifact must be verified by
//!   at least one check.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use apostille_digest::checksum::sidecar_subject;
use apostille_digest::value::Digest;
use apostille_digest::{Algorithm, AlgorithmSet, Engine, HashError, HashSink, Hashed, Input, Job};

use apostille_formats::layout::{self, Role};

use crate::bundle::{self, Bundle, Policy, TrustedRoot, Verdict as BundleVerdict, Verifier};
use crate::checksums::{self, CheckOptions, CheckPlan, ChecksumSource};
use crate::pgp::{self, Keyring, PgpCheck, SignatureFile, Status as PgpStatus};
use crate::provenance::{AttestationPolicy, CertificateClaims, Statement};
use crate::sbom::{self, SbomPlan};

/// The kinds of check, as `require` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A checksum line (sidecar or list).
    Checksum,
    /// A detached OpenPGP signature.
    Pgp,
    /// A Sigstore bundle over the artifact itself (a message signature).
    Sigstore,
    /// An in-toto attestation naming the artifact as a subject (SLSA
    /// provenance, an SBOM attestation, …) in a Sigstore bundle.
    Attestation,
    /// An SPDX document's checksum for the artifact.
    Sbom,
}

impl Kind {
    /// The name used in policies and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Checksum => "checksum",
            Kind::Pgp => "pgp",
            Kind::Sigstore => "sigstore",
            Kind::Attestation => "attestation",
            Kind::Sbom => "sbom",
        }
    }

    /// Parses a policy name; `provenance` is accepted for `attestation`.
    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "checksum" | "checksums" => Kind::Checksum,
            "pgp" | "openpgp" => Kind::Pgp,
            "sigstore" | "bundle" => Kind::Sigstore,
            "attestation" | "provenance" => Kind::Attestation,
            "sbom" | "spdx" => Kind::Sbom,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one check came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Verified.
    Pass,
    /// Verified only by something too weak to count (an MD5 or SHA-1
    /// checksum alone).
    Weak,
    /// Not run, for the reason given (no key to check with, the artifact
    /// is missing and that is allowed, …).
    Skipped,
    /// Failed.
    Fail,
}

impl Status {
    /// `pass`, `weak`, `skipped`, `FAIL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Weak => "weak",
            Status::Skipped => "skipped",
            Status::Fail => "FAIL",
        }
    }
}

/// One check of one artifact (or of the download as a whole).
#[derive(Clone, Debug)]
pub struct Check {
    /// What kind of attestation.
    pub kind: Kind,
    /// The attestation file it came from.
    pub source: PathBuf,
    /// What it came to.
    pub status: Status,
    /// Who signed (fingerprint and user ID, or identity and issuer), when
    /// it is a signature that verified.
    pub signer: Option<String>,
    /// Why, in a few words.
    pub detail: String,
}

/// The files of a download, sorted by what they are.
#[derive(Clone, Debug, Default)]
pub struct Download {
    /// Files that are neither attestations nor KEYS.
    pub artifacts: Vec<PathBuf>,
    /// Checksum sidecars and lists.
    pub checksum_files: Vec<PathBuf>,
    /// `.asc` signatures.
    pub signatures: Vec<PathBuf>,
    /// Sigstore bundles (`.sigstore.json`, `.sigstore`, `.bundle`) and
    /// `.intoto.jsonl` files.
    pub bundles: Vec<PathBuf>,
    /// SPDX documents.
    pub sboms: Vec<PathBuf>,
    /// KEYS files found (never trusted unless given with `--keys`).
    pub keys_files: Vec<PathBuf>,
    /// Release manifests (`apostille-manifest.json`): an unsigned listing
    /// of the release's outputs, not evidence, so not checked.
    pub manifests: Vec<PathBuf>,
    /// Whether the user named files (then checksum lines naming other
    /// files are not read), rather than folders.
    pub files_named: bool,
}

/// A download that cannot be looked at.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A path cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Nothing to verify.
    #[error("{0}: no artifact to verify (only attestations)")]
    NoArtifact(String),
}

fn role(path: &Path) -> Role {
    layout::role(path.file_name().map(OsStr::as_bytes).unwrap_or_default())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
    move |source| DiscoverError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io(dir))?;
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.as_bytes().first() == Some(&b'.'));
        if hidden {
            continue;
        }
        let meta = std::fs::metadata(&p).map_err(io(&p))?;
        if meta.is_dir() {
            walk(&p, out)?;
        } else if meta.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

impl Download {
    /// Sorts the files of `inputs`: folders are walked (hidden entries
    /// skipped); a file given is an artifact (or an attestation, by its
    /// name), and the attestations in its folder that name it
    /// (`FILE.sha512`, `FILE.asc`, `FILE.sigstore.json`, …) and the
    /// checksum lists, bundles and SBOMs there are taken too.
    pub fn discover(inputs: &[PathBuf]) -> Result<Download, DiscoverError> {
        let mut files = Vec::new();
        let mut named = BTreeSet::new();
        let mut files_named = false;
        for input in inputs {
            let meta = std::fs::metadata(input).map_err(io(input))?;
            if meta.is_dir() {
                walk(input, &mut files)?;
            } else {
                files_named = true;
                named.insert(input.clone());
                files.push(input.clone());
                let dir = match input.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let mut beside = Vec::new();
                walk_flat(&dir, &mut beside)?;
                let stem = input.file_name().map(OsStr::as_bytes).unwrap_or_default();
                for b in beside {
                    let r = role(&b);
                    let name = b.file_name().map(OsStr::as_bytes).unwrap_or_default();
                    let about_it = name.len() > stem.len() + 1
                        && name.starts_with(stem)
                        && name[stem.len()] == b'.';
                    let list = matches!(r, Role::Checksum) && sidecar_subject(name).is_none();
                    let shared = matches!(r, Role::Bundle | Role::Sbom);
                    if r != Role::Artifact && (about_it || list || shared) {
                        files.push(b);
                    }
                }
            }
        }
        files.sort();
        files.dedup();
        let mut d = Download {
            files_named,
            ..Download::default()
        };
        for f in files {
            match role(&f) {
                // A file the user named is what they want verified, even
                // if its name looks like an attestation's.
                _ if named.contains(&f) => d.artifacts.push(f),
                Role::Checksum => d.checksum_files.push(f),
                Role::Signature => d.signatures.push(f),
                Role::Bundle => d.bundles.push(f),
                Role::Sbom => d.sboms.push(f),
                Role::Keys => d.keys_files.push(f),
                Role::Manifest => d.manifests.push(f),
                Role::Artifact => d.artifacts.push(f),
            }
        }
        if d.artifacts.is_empty() {
            let shown: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
            return Err(DiscoverError::NoArtifact(shown.join(", ")));
        }
        Ok(d)
    }
}

fn walk_flat(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let p = e.map_err(io(dir))?.path();
        if std::fs::metadata(&p).map_err(io(&p))?.is_file() {
            out.push(p);
        }
    }
    out.sort();
    Ok(())
}

/// What the user trusts and requires.
pub struct Trust<'a> {
    /// Certificates to check OpenPGP signatures with (`--keys`); `None`:
    /// signatures are skipped.
    pub keyring: Option<&'a Keyring>,
    /// The OpenPGP policy.
    pub pgp_policy: &'a dyn sequoia_openpgp::policy::Policy,
    /// Who must have signed Sigstore bundles; `None`: bundles are skipped.
    pub sigstore: Option<&'a Policy>,
    /// The Sigstore trusted root.
    pub trusted_root: &'a TrustedRoot,
    /// What attestations must claim (source, builder, …).
    pub attestation: &'a AttestationPolicy,
    /// What must have passed, and what is tolerated.
    pub requirements: &'a Requirements,
}

/// The verdict's rules (`--policy FILE`, flags).
#[derive(Clone, Debug, Default)]
pub struct Requirements {
    /// Kinds that must have passed for every artifact.
    pub require: BTreeSet<Kind>,
    /// Missing artifacts named by checksum lines, signatures or SBOMs are
    /// skipped rather than failed.
    pub ignore_missing: bool,
    /// MD5/SHA-1-only checksums count as a pass.
    pub allow_weak: bool,
}

/// A policy file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Not TOML of the expected shape.
    #[error("{path}: {problem}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    require: Vec<String>,
    #[serde(default)]
    ignore_missing: bool,
    #[serde(default)]
    allow_weak: bool,
}

impl Requirements {
    /// Reads a policy file (TOML): `require = ["pgp", "checksum",
    /// "provenance"]`, `ignore_missing = false`, `allow_weak = false`.
    /// Unknown keys and kinds are errors, so a typo never weakens a policy.
    pub fn from_toml(text: &str, path: &Path) -> Result<Requirements, PolicyError> {
        let invalid = |problem: String| PolicyError::Invalid {
            path: path.to_path_buf(),
            problem,
        };
        let f: PolicyFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut r = Requirements {
            ignore_missing: f.ignore_missing,
            allow_weak: f.allow_weak,
            ..Requirements::default()
        };
        r.add_required(&f.require).map_err(invalid)?;
        Ok(r)
    }

    /// Adds required kinds by name; an unknown name is an error naming it.
    pub fn add_required(&mut self, names: &[String]) -> Result<(), String> {
        for n in names {
            let k = Kind::parse(n.trim()).ok_or_else(|| {
                format!(
                    "unknown check kind {n:?} (known: checksum, pgp, sigstore, attestation or provenance, sbom)"
                )
            })?;
            self.require.insert(k);
        }
        Ok(())
    }
}

/// An artifact and its checks.
#[derive(Clone, Debug)]
pub struct ArtifactReport {
    /// The artifact.
    pub path: PathBuf,
    /// Its checks, in discovery order.
    pub checks: Vec<Check>,
    /// Required kinds that did not pass for it.
    pub unmet: Vec<Kind>,
}

impl ArtifactReport {
    /// Whether it passed: no failed check, every required kind passed,
    /// and at least one check passed.
    pub fn passed(&self) -> bool {
        self.unmet.is_empty()
            && !self.checks.iter().any(|c| c.status == Status::Fail)
            && self.checks.iter().any(|c| c.status == Status::Pass)
    }
}

/// The outcome of verifying a download.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Per artifact, in path order.
    pub artifacts: Vec<ArtifactReport>,
    /// Checks tied to no artifact of the download (an unreadable bundle,
    /// a checksum line for a file that is not there, an SPDX document
    /// that cannot be read).
    pub general: Vec<Check>,
    /// KEYS files seen (untrusted).
    pub keys_files: Vec<PathBuf>,
}

impl Report {
    /// The final verdict.
    pub fn passed(&self) -> bool {
        self.artifacts.iter().all(ArtifactReport::passed)
            && !self.general.iter().any(|c| c.status == Status::Fail)
    }

    /// Counts of each status over every check.
    pub fn counts(&self) -> BTreeMap<Status, usize> {
        let mut m = BTreeMap::new();
        for c in self
            .artifacts
            .iter()
            .flat_map(|a| &a.checks)
            .chain(&self.general)
        {
            *m.entry(c.status).or_default() += 1;
        }
        m
    }
}

fn check(kind: Kind, source: &Path, status: Status, detail: impl Into<String>) -> Check {
    Check {
        kind,
        source: source.to_path_buf(),
        status,
        signer: None,
        detail: detail.into(),
    }
}

/// Paths compared as the same file when they name the same file.
fn key(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// One artifact's read: what it must compute, and who waits for it.
#[derive(Default)]
struct Read {
    path: PathBuf,
    algorithms: AlgorithmSet,
    sinks: Vec<Box<dyn HashSink>>,
}

/// A bundle file's content: one bundle, or several (`.intoto.jsonl`).
struct BundleEntry {
    file: PathBuf,
    line: Option<usize>,
    parsed: Result<Bundle, bundle::BundleError>,
}

/// Verifies every attestation of `download` against its artifacts, each
/// artifact read once by `engine`.
pub fn verify(engine: &Engine, download: &Download, trust: &Trust<'_>) -> Report {
    let req = trust.requirements;
    let mut report = Report {
        keys_files: download.keys_files.clone(),
        ..Report::default()
    };
    let mut per_artifact: BTreeMap<PathBuf, Vec<Check>> = BTreeMap::new();
    let mut reads: BTreeMap<PathBuf, Read> = BTreeMap::new();
    for a in &download.artifacts {
        per_artifact.entry(key(a)).or_default();
        reads.insert(
            key(a),
            Read {
                path: a.clone(),
                ..Read::default()
            },
        );
    }
    let artifact_keys: BTreeSet<PathBuf> = reads.keys().cloned().collect();

    // Checksums.
    let mut sources = Vec::new();
    for f in &download.checksum_files {
        match ChecksumSource::read(f) {
            Ok(s) => sources.push(s),
            Err(e) => report.general.push(check(
                Kind::Checksum,
                f,
                Status::Fail,
                format!("cannot read: {}", e.source),
            )),
        }
    }
    let plan = CheckPlan::new(
        &sources,
        &CheckOptions {
            allow_weak: req.allow_weak,
            ignore_missing: req.ignore_missing,
            ..CheckOptions::default()
        },
    );
    let mut plan_paths: Vec<PathBuf> = Vec::new();
    for (p, algs) in plan.files() {
        let k = key(p);
        if !artifact_keys.contains(&k) {
            if download.files_named {
                // The user named files: lines about others are not ours.
                continue;
            }
            reads.insert(
                k.clone(),
                Read {
                    path: p.to_path_buf(),
                    ..Read::default()
                },
            );
        }
        if let Some(r) = reads.get_mut(&k) {
            r.algorithms = r.algorithms.union(algs);
        }
        plan_paths.push(p.to_path_buf());
    }

    // OpenPGP signatures.
    let mut pgp_checks: Vec<(PathBuf, PathBuf, PgpCheck)> = Vec::new();
    for sig in &download.signatures {
        let name = sig.to_string_lossy();
        let target = PathBuf::from(name.strip_suffix(".asc").unwrap_or(&name));
        let k = key(&target);
        let data = match std::fs::read(sig) {
            Ok(d) => d,
            Err(e) => {
                push(
                    &mut per_artifact,
                    &mut report,
                    &k,
                    check(Kind::Pgp, sig, Status::Fail, format!("cannot read: {e}")),
                );
                continue;
            }
        };
        if !reads.contains_key(&k) {
            if !target.exists() {
                let status = if req.ignore_missing {
                    Status::Skipped
                } else {
                    Status::Fail
                };
                report.general.push(check(
                    Kind::Pgp,
                    sig,
                    status,
                    format!("the signed file {} is missing", target.display()),
                ));
                continue;
            }
            // A signed attestation (SHA512SUMS.asc): read it too.
            reads.insert(
                k.clone(),
                Read {
                    path: target.clone(),
                    ..Read::default()
                },
            );
            per_artifact.entry(k.clone()).or_default();
        }
        let c = PgpCheck::new(SignatureFile::parse(&data));
        if let Some(r) = reads.get_mut(&k) {
            r.algorithms = r.algorithms.union(c.algorithms());
            r.sinks.extend(c.sinks());
        }
        pgp_checks.push((sig.clone(), k, c));
    }

    // Sigstore bundles: each needs the SHA-256 of what it covers (SHA-512
    // is compared too when the read computed it for another check).
    let mut entries = Vec::new();
    for f in &download.bundles {
        let data = match std::fs::read(f) {
            Ok(d) => d,
            Err(e) => {
                report.general.push(check(
                    Kind::Sigstore,
                    f,
                    Status::Fail,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if f.to_string_lossy().ends_with(".intoto.jsonl") {
            for (i, line) in data.split(|&b| b == b'\n').enumerate() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                entries.push(BundleEntry {
                    file: f.clone(),
                    line: Some(i + 1),
                    parsed: Bundle::parse(line, f),
                });
            }
        } else {
            entries.push(BundleEntry {
                file: f.clone(),
                line: None,
                parsed: Bundle::parse(&data, f),
            });
        }
    }
    let by_name: BTreeMap<Vec<u8>, Vec<PathBuf>> = {
        let mut m: BTreeMap<Vec<u8>, Vec<PathBuf>> = BTreeMap::new();
        for (k, r) in &reads {
            if let Some(n) = r.path.file_name() {
                m.entry(n.as_bytes().to_vec()).or_default().push(k.clone());
            }
        }
        m
    };
    // (entry index, artifact key) pairs to verify once hashed.
    let mut bundle_targets: Vec<(usize, PathBuf)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Ok(b) = &e.parsed else { continue };
        let targets: Vec<PathBuf> = match b.dsse_payload() {
            Some((ty, payload)) => match Statement::parse(ty, payload) {
                // Subjects by name; a subject's digest is checked later.
                Ok(st) => st
                    .subjects
                    .iter()
                    .flat_map(|s| {
                        let base = s.name.rsplit('/').next().unwrap_or(&s.name);
                        by_name.get(base.as_bytes()).cloned().unwrap_or_default()
                    })
                    .collect(),
                Err(_) => bundle_subject(&e.file, &reads),
            },
            None => bundle_subject(&e.file, &reads),
        };
        for t in targets {
            if let Some(r) = reads.get_mut(&t) {
                r.algorithms.insert(Algorithm::Sha256);
            }
            bundle_targets.push((i, t));
        }
    }

    // SBOMs: names relative to the document's folder.
    let mut sbom_plans = Vec::new();
    for f in &download.sboms {
        let doc = match std::fs::read(f)
            .map_err(|e| e.to_string())
            .and_then(|bytes| sbom::read(f, &bytes).map_err(|e| e.to_string()))
        {
            Ok(d) => d,
            Err(e) => {
                report.general.push(check(
                    Kind::Sbom,
                    f,
                    Status::Fail,
                    format!("cannot read as SPDX 2.x: {e}"),
                ));
                continue;
            }
        };
        let dir = match f.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let plan = SbomPlan::new(&doc, &sbom::Artifacts::Dir(dir), true);
        let mut mine = Vec::new();
        for (p, algs) in plan.files() {
            let k = key(p);
            if download.files_named && !reads.contains_key(&k) {
                continue;
            }
            let r = reads.entry(k.clone()).or_insert_with(|| Read {
                path: p.to_path_buf(),
                ..Read::default()
            });
            r.algorithms = r.algorithms.union(algs);
            r.sinks.extend(plan.sinks(p));
            mine.push(p.to_path_buf());
        }
        sbom_plans.push((f.clone(), plan, mine));
    }

    // One read per file.
    let keys: Vec<PathBuf> = reads.keys().cloned().collect();
    let jobs: Vec<Job> = keys
        .iter()
        .filter_map(|k| reads.remove(k))
        .map(|r| Job {
            input: Input::Path(r.path),
            algorithms: if r.algorithms.is_empty() {
                // Still read it: an artifact no attestation names is
                // reported, and a read error is worth knowing.
                AlgorithmSet::from_iter([Algorithm::Sha256])
            } else {
                r.algorithms
            },
            sinks: r.sinks,
        })
        .collect();
    let results: BTreeMap<PathBuf, Result<Hashed, HashError>> =
        keys.into_iter().zip(engine.hash_all(jobs)).collect();
    let result_for = |p: &Path| -> Option<Result<Hashed, HashError>> {
        results.get(&key(p)).map(|r| match r {
            Ok(h) => Ok(h.digests_only()),
            Err(e) => Err(e.duplicate()),
        })
    };

    // Checksums.
    let sum_results: Vec<(PathBuf, Result<Hashed, HashError>)> = plan_paths
        .iter()
        .filter_map(|p| result_for(p).map(|r| (p.clone(), r)))
        .collect();
    let sums = plan.conclude(sum_results);
    for l in &sums.lines {
        let listed = sources
            .iter()
            .find(|s| s.path == l.source)
            .map(|s| s.base_dir.join(OsStr::from_bytes(&l.name)))
            .unwrap_or_else(|| PathBuf::from(OsStr::from_bytes(&l.name)));
        let k = key(&listed);
        if download.files_named && !artifact_keys.contains(&k) {
            continue;
        }
        let alg = l.algorithm.name();
        let (status, detail) = match &l.verdict {
            checksums::Verdict::Ok => (Status::Pass, format!("{alg} matches")),
            checksums::Verdict::WeakOnly if req.allow_weak => {
                (Status::Pass, format!("{alg} matches (weak, allowed)"))
            }
            checksums::Verdict::WeakOnly => (
                Status::Weak,
                format!("{alg} matches, but {alg} alone is too weak to count"),
            ),
            checksums::Verdict::Failed => (Status::Fail, format!("{alg} does NOT match")),
            checksums::Verdict::Missing => (Status::Skipped, "file missing (ignored)".into()),
            checksums::Verdict::OpenOrRead(e) if e.ends_with("(os error 2)") => {
                (Status::Fail, format!("{} is missing", listed.display()))
            }
            checksums::Verdict::OpenOrRead(e) => (Status::Fail, format!("cannot read: {e}")),
            checksums::Verdict::Rejected(e) => (Status::Fail, format!("name refused: {e}")),
        };
        let c = check(
            Kind::Checksum,
            &l.source,
            status,
            format!("line {}: {detail}", l.line),
        );
        push(&mut per_artifact, &mut report, &k, c);
    }
    for f in &sums.empty_sources {
        report.general.push(check(
            Kind::Checksum,
            f,
            Status::Fail,
            "no checksum line in a format apostille knows",
        ));
    }

    // Signatures.
    for (sig, k, c) in &pgp_checks {
        let Some(result) = results.get(k) else {
            continue;
        };
        let hashed = match result {
            Ok(h) => h,
            Err(e) => {
                let (status, why) = read_failure(e, req.ignore_missing);
                let c = check(Kind::Pgp, sig, status, format!("the signed file {why}"));
                push(&mut per_artifact, &mut report, k, c);
                continue;
            }
        };
        let Some(keyring) = trust.keyring else {
            let c = check(
                Kind::Pgp,
                sig,
                Status::Skipped,
                "no KEYS given (--keys): the signature was not checked",
            );
            push(&mut per_artifact, &mut report, k, c);
            continue;
        };
        let verdicts = c.finish(hashed, keyring, trust.pgp_policy);
        if verdicts.is_empty() {
            let c = check(
                Kind::Pgp,
                sig,
                Status::Fail,
                "no OpenPGP signature in the file",
            );
            push(&mut per_artifact, &mut report, k, c);
        }
        let any_good = verdicts.iter().any(|v| v.status == PgpStatus::Good);
        for v in verdicts {
            let who = v.signer.as_ref().map(|s| {
                let uid = s.user_ids.first().map_or("(no user ID)", String::as_str);
                format!("\"{uid}\" {}", s.primary)
            });
            let (status, detail) = match &v.status {
                PgpStatus::Good => (Status::Pass, format!("good signature, {}", v.hash)),
                PgpStatus::Bad(r) => (Status::Fail, format!("BAD signature: {r}")),
                PgpStatus::Rejected(r) => (Status::Fail, format!("rejected: {r}")),
                // Another signature by a key the user trusts counts; one by
                // a key not in KEYS is no evidence either way.
                PgpStatus::NoKey if any_good => (
                    Status::Skipped,
                    format!("by {}, not in the KEYS given", v.issuers.join(", ")),
                ),
                PgpStatus::NoKey => (
                    Status::Fail,
                    format!("by {}, not in the KEYS given", v.issuers.join(", ")),
                ),
                PgpStatus::Unsupported(r) => (Status::Skipped, format!("unsupported: {r}")),
            };
            let mut c = check(Kind::Pgp, sig, status, detail);
            c.signer = who;
            push(&mut per_artifact, &mut report, k, c);
        }
    }

    // Bundles.
    let verifier = Verifier::new(trust.trusted_root);
    let mut checked_entries = BTreeSet::new();
    for (i, k) in &bundle_targets {
        let e = &entries[*i];
        let Ok(b) = &e.parsed else { continue };
        checked_entries.insert(*i);
        let kind = if b.dsse_payload().is_some() {
            Kind::Attestation
        } else {
            Kind::Sigstore
        };
        let source = &e.file;
        let at = e.line.map(|l| format!("line {l}: ")).unwrap_or_default();
        let Some(policy) = trust.sigstore else {
            let c = check(
                kind,
                source,
                Status::Skipped,
                format!(
                    "{at}no signer given (--certificate-identity and --certificate-oidc-issuer, or --key)"
                ),
            );
            push(&mut per_artifact, &mut report, k, c);
            continue;
        };
        let hashed = match results.get(k) {
            Some(Ok(h)) => h,
            Some(Err(err)) => {
                let (status, why) = read_failure(err, req.ignore_missing);
                let c = check(kind, source, status, format!("{at}the artifact {why}"));
                push(&mut per_artifact, &mut report, k, c);
                continue;
            }
            None => continue,
        };
        let digests: Vec<Digest> = [Algorithm::Sha256, Algorithm::Sha512]
            .iter()
            .filter_map(|a| hashed.digests.get(*a).copied())
            .collect();
        let Some(sha256) = digests.first() else {
            continue;
        };
        let c = match verifier.verify(b, sha256, policy) {
            BundleVerdict::Failed(f) => check(
                kind,
                source,
                Status::Fail,
                format!("{at}({}) {}", f.reason, f.detail),
            ),
            BundleVerdict::Verified(v) => {
                let judged = match b.dsse_payload() {
                    None => Ok(String::from("message signature verified")),
                    Some((ty, payload)) => Statement::parse(ty, payload)
                        .and_then(|st| {
                            let claims = b
                                .certificate_der()
                                .map(CertificateClaims::from_der)
                                .transpose()?;
                            trust.attestation.check(&st, &digests, claims.as_ref())
                        })
                        .map(|a| {
                            let mut s = format!("{} verified", a.predicate_type);
                            if let Some(p) = a.provenance {
                                s.push_str(&format!(
                                    ", built by {} from {}{}",
                                    p.builder_id.as_deref().unwrap_or("?"),
                                    p.source_uri.as_deref().unwrap_or("?"),
                                    p.source_ref.map(|r| format!(" {r}")).unwrap_or_default()
                                ));
                            }
                            s
                        }),
                };
                match judged {
                    Ok(detail) => {
                        let log = if v.tlog_verified {
                            "transparency log checked"
                        } else {
                            "no transparency log"
                        };
                        let mut c =
                            check(kind, source, Status::Pass, format!("{at}{detail}; {log}"));
                        c.signer = Some(v.signer.to_string());
                        c
                    }
                    Err(f) => check(
                        kind,
                        source,
                        Status::Fail,
                        format!("{at}({}) {}", f.reason, f.detail),
                    ),
                }
            }
        };
        push(&mut per_artifact, &mut report, k, c);
    }
    for (i, e) in entries.iter().enumerate() {
        if checked_entries.contains(&i) {
            continue;
        }
        let at = e.line.map(|l| format!("line {l}: ")).unwrap_or_default();
        let (status, detail) = match &e.parsed {
            Err(err) => (Status::Fail, format!("{at}{err}")),
            Ok(_) if download.files_named => continue,
            Ok(_) => (
                if req.ignore_missing {
                    Status::Skipped
                } else {
                    Status::Fail
                },
                format!("{at}names no artifact of this download"),
            ),
        };
        report
            .general
            .push(check(Kind::Sigstore, &e.file, status, detail));
    }

    // SBOMs.
    for (f, plan, mine) in sbom_plans {
        let sbom_results = mine
            .iter()
            .filter_map(|p| result_for(p).map(|r| (p.clone(), r)))
            .collect();
        let r = plan.conclude(sbom_results);
        for item in &r.items {
            let (status, detail) = match &item.verdict {
                sbom::Verdict::Ok(algs) => (
                    Status::Pass,
                    format!("{} {}: {} match", item.kind, item.name, algs.join(", ")),
                ),
                sbom::Verdict::WeakOnly if req.allow_weak => (
                    Status::Pass,
                    format!(
                        "{} {}: weak checksums match (allowed)",
                        item.kind, item.name
                    ),
                ),
                sbom::Verdict::WeakOnly => (
                    Status::Weak,
                    format!("{} {}: only SHA-1/MD5 checksums", item.kind, item.name),
                ),
                sbom::Verdict::Mismatch(a) => (
                    Status::Fail,
                    format!("{} {}: {} do NOT match", item.kind, item.name, a.join(", ")),
                ),
                sbom::Verdict::Unreadable(e) => (
                    Status::Fail,
                    format!("{} {}: cannot read: {e}", item.kind, item.name),
                ),
                sbom::Verdict::Rejected(e) => (
                    Status::Fail,
                    format!("{} {}: name refused: {e}", item.kind, item.name),
                ),
                // Files of an archive's SBOM are inside the archive, not
                // beside it; a package's file is the artifact itself.
                sbom::Verdict::Missing
                    if item.kind == "file" || req.ignore_missing || download.files_named =>
                {
                    continue;
                }
                sbom::Verdict::Missing => (
                    Status::Fail,
                    format!("{} {}: missing", item.kind, item.name),
                ),
            };
            let c = check(Kind::Sbom, &f, status, detail);
            match &item.path {
                Some(p) => push(&mut per_artifact, &mut report, &key(p), c),
                None => report.general.push(c),
            }
        }
        for (pkg, stated, computed) in &r.bad_codes {
            report.general.push(check(
                Kind::Sbom,
                &f,
                Status::Fail,
                format!("package {pkg}: verification code {stated} is not {computed}, computed from the document's own file SHA-1s"),
            ));
        }
    }

    // Verdicts per artifact, in path order.
    for a in &download.artifacts {
        let k = key(a);
        let checks = per_artifact.remove(&k).unwrap_or_default();
        let unmet = req
            .require
            .iter()
            .copied()
            .filter(|kind| {
                !checks
                    .iter()
                    .any(|c| c.kind == *kind && c.status == Status::Pass)
            })
            .collect();
        report.artifacts.push(ArtifactReport {
            path: a.clone(),
            checks,
            unmet,
        });
    }
    // Files read only because an attestation names them (a signed
    // SHA512SUMS, a checksum line's file in a subfolder): their checks
    // are reported with the download.
    for (_, checks) in per_artifact {
        report.general.extend(checks);
    }
    report
}

/// How a failed read of a file an attestation names is reported: a
/// missing file is skipped under `ignore_missing`.
fn read_failure(e: &HashError, ignore_missing: bool) -> (Status, String) {
    match e {
        HashError::Open { path, source } if source.kind() == std::io::ErrorKind::NotFound => (
            if ignore_missing {
                Status::Skipped
            } else {
                Status::Fail
            },
            format!("{} is missing", path.display()),
        ),
        e => (Status::Fail, format!("cannot be read: {e}")),
    }
}

/// The artifact a bundle file is named after: `x.tar.gz.sigstore.json` →
/// `x.tar.gz`.
fn bundle_subject(file: &Path, reads: &BTreeMap<PathBuf, Read>) -> Vec<PathBuf> {
    let name = file.to_string_lossy();
    let stem = [".sigstore.json", ".sigstore", ".bundle", ".intoto.jsonl"]
        .iter()
        .find_map(|s| name.strip_suffix(s));
    match stem {
        Some(stem) => {
            let k = key(Path::new(stem));
            if reads.contains_key(&k) {
                vec![k]
            } else {
                Vec::new()
            }
        }
        None => Vec::new(),
    }
}

fn push(per_artifact: &mut BTreeMap<PathBuf, Vec<Check>>, report: &mut Report, k: &Path, c: Check) {
    match per_artifact.get_mut(k) {
        Some(v) => v.push(c),
        None => report.general.push(c),
    }
}

/// The OpenPGP policy `verify` uses by default.
pub fn default_pgp_policy() -> pgp::StandardPolicy<'static> {
    pgp::standard_policy(false)
}
