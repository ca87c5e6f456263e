//! `apostille verify DIR|FILE…`: every attestation found beside the
//! artifacts of a download, verified from one read of each artifact, and a
//! verdict that says who vouches for the bytes.
//!
//! The trust model is written down in `docs/verify.md`; in short, each
//! artifact ends up
//!
//! * [`Verdict::Verified`] when a chain of evidence leads from a trust
//!   input the user gave (a certificate of `--keys`, a Sigstore identity
//!   and issuer, a `--key`) to its bytes: a detached signature over it; a
//!   checksum line of a list that such a signature covers (`SHA256SUMS` +
//!   `SHA256SUMS.asc`, a clear-signed list, a Debian `.dsc`, a bundle over
//!   the list); the subject of a verified DSSE statement; an SBOM's
//!   checksum when the SBOM itself is signed;
//! * [`Verdict::NotAuthenticated`] when checksums match but no trusted
//!   signer vouches for them (or nothing names the file at all), or
//!   [`Verdict::IntegrityOnly`] for the same when the user opted in to
//!   integrity-only checks;
//! * [`Verdict::Failed`] when a check failed.
//!
//! Nothing found inside the download is trusted by being there: key
//! material (`KEYS`, `signing-key.asc`, `cosign.pub`, recognised by
//! content) is reported, never used.
//!
//! The parts, in the order a run uses them:
//!
//! * [`Download::discover`] sorts the files by name *and* content
//!   (`discover` module);
//! * [`verify`] has each kind of check request the bytes it needs from one
//!   [`ReadPlan`] (`checks` module: checksum lists, OpenPGP signatures
//!   detached and clear-signed, Sigstore bundles, SBOMs — each planned and
//!   judged side by side), runs it, so each file is read once, and turns
//!   the findings into chains and verdicts (`trust` module).

mod checks;
mod discover;
mod trust;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use apostille_digest::{DigestSet, Engine, ReadPlan};
use serde::Serialize;

use crate::bundle::{Policy, TrustedRoot};
use crate::pgp::Keyring;
use crate::provenance::AttestationPolicy;

pub use discover::{DiscoverError, Download, KeyMaterial};

/// The kinds of check, as `require` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A checksum line (sidecar or list).
    Checksum,
    /// An OpenPGP signature (detached, or a clear-signed list).
    Pgp,
    /// A Sigstore bundle over the file itself (a message signature).
    Sigstore,
    /// An in-toto attestation naming the file as a subject (SLSA
    /// provenance, an SBOM attestation, …) in a Sigstore bundle.
    Attestation,
    /// An SPDX document's checksum for the file.
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

    /// Whether a passing check of this kind is a signature by a trust
    /// input (rather than integrity against another file of the download).
    pub fn is_signature(self) -> bool {
        matches!(self, Kind::Pgp | Kind::Sigstore | Kind::Attestation)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one check came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Verified.
    Pass,
    /// Verified only by something too weak to count (an MD5 or SHA-1
    /// checksum alone).
    Weak,
    /// Not run, for the reason given (no key to check with, the artifact
    /// is missing and that is allowed, …).
    Skipped,
    /// Worth knowing, not a failure: a co-signature by a key the user does
    /// not trust, or one the policy refuses, beside enough good ones.
    Warn,
    /// Failed.
    Fail,
}

impl Status {
    /// `pass`, `weak`, `skipped`, `warn`, `FAIL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Weak => "weak",
            Status::Skipped => "skipped",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        }
    }
}

fn display<S: serde::Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.display().to_string())
}

/// One check of one file.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// What kind of attestation.
    pub kind: Kind,
    /// The attestation file it came from.
    #[serde(serialize_with = "display")]
    pub source: PathBuf,
    /// Its line there, for line-based files (checksum lists, JSON lines).
    pub line: Option<usize>,
    /// What it came to.
    pub status: Status,
    /// Who signed (fingerprint and user ID, or identity and issuer), when
    /// it is a signature that verified.
    pub signer: Option<String>,
    /// Why, in a few words.
    pub detail: String,
    /// For a passing checksum line or SBOM entry: the signature that
    /// vouches for the list or document it came from, when one does.
    pub vouched_by: Option<String>,
    /// For a signature check that could not vouch: what would let it (the
    /// option to pass), as the verdict of the files it is about says.
    pub remedy: Option<String>,
}

impl Check {
    fn new(kind: Kind, source: &Path, status: Status, detail: impl Into<String>) -> Check {
        Check {
            kind,
            source: source.to_path_buf(),
            line: None,
            status,
            signer: None,
            detail: detail.into(),
            vouched_by: None,
            remedy: None,
        }
    }

    fn remedy(mut self, remedy: String) -> Check {
        self.remedy = Some(remedy);
        self
    }

    fn at(mut self, line: Option<usize>) -> Check {
        self.line = line;
        self
    }

    /// `FILE` or `FILE line N`.
    pub fn place(&self) -> String {
        match self.line {
            Some(l) => format!("{} line {l}", self.source.display()),
            None => self.source.display().to_string(),
        }
    }
}

/// One step of a chain of evidence: a file (and line) and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The file.
    #[serde(serialize_with = "display")]
    pub source: PathBuf,
    /// The line, for line-based files.
    pub line: Option<usize>,
    /// What it establishes ("good signature by …"); empty for a checksum
    /// line, whose meaning is that it matches.
    pub what: String,
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source.display())?;
        if let Some(l) = self.line {
            write!(f, " line {l}")?;
        }
        if !self.what.is_empty() {
            write!(f, ", {}", self.what)?;
        }
        Ok(())
    }
}

/// A chain of evidence from a file's bytes to a trust input: the first
/// link is about the file, the last is the signature by whom the user
/// trusts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chain {
    /// The kind of the signature at its root (`pgp`, `sigstore`,
    /// `attestation`).
    pub root: Kind,
    /// Who vouches, as the root signature names them.
    pub signer: String,
    /// The links, from the file outwards.
    pub links: Vec<Link>,
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, l) in self.links.iter().enumerate() {
            if i > 0 {
                f.write_str(" ← ")?;
            }
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

/// What one artifact came to (see the module docs and `docs/verify.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A chain of evidence leads from a trust input to the bytes.
    Verified,
    /// Checksums match, no trusted signer vouches for them, and the user
    /// accepted that (`--allow-integrity-only`). Exit 0, never called
    /// verified.
    IntegrityOnly,
    /// Nothing a trusted signer made vouches for the bytes (checksums may
    /// match: that proves only that the mirror's files agree).
    NotAuthenticated,
    /// A check failed.
    Failed,
}

impl Verdict {
    /// `VERIFIED`, `INTEGRITY ONLY`, `NOT AUTHENTICATED`, `FAILED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "VERIFIED",
            Verdict::IntegrityOnly => "INTEGRITY ONLY",
            Verdict::NotAuthenticated => "NOT AUTHENTICATED",
            Verdict::Failed => "FAILED",
        }
    }

    /// Whether the command exits 0 on it.
    pub fn accepted(self) -> bool {
        matches!(self, Verdict::Verified | Verdict::IntegrityOnly)
    }
}

/// What the user trusts and requires.
pub struct Trust<'a> {
    /// Certificates to check OpenPGP signatures with (`--keys`); `None`:
    /// signatures are skipped (and vouch for nothing).
    pub keyring: Option<&'a Keyring>,
    /// The files the keyring was read from: never reported as untrusted
    /// key material of the download.
    pub keys_files: &'a [PathBuf],
    /// The OpenPGP policy.
    pub pgp_policy: &'a dyn sequoia_openpgp::policy::Policy,
    /// How many good signatures by distinct trusted certificates an
    /// OpenPGP signature file (or clear-signed list) needs, and whose.
    pub pgp_requirement: &'a crate::pgp::Requirement,
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
    /// Kinds that must have passed for every artifact (a signature kind
    /// through any chain rooted in it: `pgp` is met by a signed list).
    pub require: BTreeSet<Kind>,
    /// Missing artifacts named by checksum lines, signatures or SBOMs are
    /// skipped rather than failed.
    pub ignore_missing: bool,
    /// MD5/SHA-1-only checksums count as a pass.
    pub allow_weak: bool,
    /// Artifacts whose checksums match but that no trusted signer vouches
    /// for are accepted as [`Verdict::IntegrityOnly`] (exit 0).
    pub allow_integrity_only: bool,
    /// `provenance` (rather than `attestation`) was required: only SLSA
    /// provenance meets it, and other attestations (an SBOM attestation)
    /// are skipped, as `cosign verify-attestation --type` skips them.
    pub provenance: bool,
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
    #[serde(default)]
    allow_integrity_only: bool,
}

impl Requirements {
    /// Reads a policy file (TOML): `require = ["pgp", "checksum",
    /// "provenance"]`, `ignore_missing`, `allow_weak`,
    /// `allow_integrity_only` (all `false` by default). Unknown keys and
    /// kinds are errors, so a typo never weakens a policy.
    pub fn from_toml(text: &str, path: &Path) -> Result<Requirements, PolicyError> {
        let invalid = |problem: String| PolicyError::Invalid {
            path: path.to_path_buf(),
            problem,
        };
        let f: PolicyFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut r = Requirements {
            ignore_missing: f.ignore_missing,
            allow_weak: f.allow_weak,
            allow_integrity_only: f.allow_integrity_only,
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
            self.provenance |= n.trim() == "provenance";
            self.require.insert(k);
        }
        Ok(())
    }
}

/// An artifact, its checks and its verdict.
#[derive(Clone, Debug, Serialize)]
pub struct ArtifactReport {
    /// The artifact.
    #[serde(serialize_with = "display")]
    pub path: PathBuf,
    /// What it came to.
    pub verdict: Verdict,
    /// Why, in one line: the first chain for a verified artifact, the
    /// first failure, or what is missing and what to pass.
    pub reason: String,
    /// Every chain of evidence that vouches for it.
    pub chains: Vec<Chain>,
    /// Its checks, in discovery order.
    pub checks: Vec<Check>,
    /// Required kinds that did not pass for it.
    pub unmet_requirements: Vec<Kind>,
    /// Its size and the digests the one read computed for it (those its
    /// checks needed), for a caller that acts on a verified download
    /// without reading it again (`promote`). `None`: it was not read.
    #[serde(skip)]
    pub hashed: Option<(u64, DigestSet)>,
}

impl ArtifactReport {
    /// Whether it is verified: a trusted chain, no failure, every
    /// requirement met.
    pub fn verified(&self) -> bool {
        self.verdict == Verdict::Verified
    }
}

/// Artifacts per verdict, and checks per status.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    /// Artifacts: verified.
    pub verified: usize,
    /// Artifacts: integrity only (accepted by opt-in).
    pub integrity_only: usize,
    /// Artifacts: not authenticated.
    pub not_authenticated: usize,
    /// Artifacts: failed.
    pub failed: usize,
    /// Checks, by status.
    pub checks: BTreeMap<Status, usize>,
}

/// The outcome of verifying a download.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Per artifact, in path order.
    pub artifacts: Vec<ArtifactReport>,
    /// Checks about the download's own lists and documents (a signature
    /// over `SHA256SUMS`, a line naming a file that is not an artifact) or
    /// tied to no file (an unreadable bundle).
    #[serde(rename = "other_checks")]
    pub general: Vec<Check>,
    /// Key material found inside the download: reported, never trusted.
    pub key_material: Vec<KeyMaterial>,
}

impl Report {
    /// The download's verdict: the worst of its artifacts' (and FAILED
    /// when a check about the download's own documents failed).
    pub fn verdict(&self) -> Verdict {
        let worst = self
            .artifacts
            .iter()
            .map(|a| a.verdict)
            .max()
            .unwrap_or(Verdict::NotAuthenticated);
        if self.general.iter().any(|c| c.status == Status::Fail) {
            Verdict::Failed
        } else {
            worst
        }
    }

    /// Whether the command exits 0: every artifact verified (or integrity
    /// only, when accepted) and no check failed.
    pub fn passed(&self) -> bool {
        self.verdict().accepted()
    }

    /// Whether every artifact is verified by a trusted chain.
    pub fn verified(&self) -> bool {
        self.verdict() == Verdict::Verified
    }

    /// Artifacts per verdict, checks per status.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for a in &self.artifacts {
            match a.verdict {
                Verdict::Verified => c.verified += 1,
                Verdict::IntegrityOnly => c.integrity_only += 1,
                Verdict::NotAuthenticated => c.not_authenticated += 1,
                Verdict::Failed => c.failed += 1,
            }
        }
        for k in self
            .artifacts
            .iter()
            .flat_map(|a| &a.checks)
            .chain(&self.general)
        {
            *c.checks.entry(k.status).or_default() += 1;
        }
        c
    }

    /// The report for machines: the schema is in `docs/verify.md`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("verified".into(), self.verified().into());
            o.insert(
                "verdict".into(),
                serde_json::to_value(self.verdict()).unwrap_or_default(),
            );
            o.insert(
                "counts".into(),
                serde_json::to_value(self.counts()).unwrap_or_default(),
            );
            if let Some(arts) = o.get_mut("artifacts").and_then(|a| a.as_array_mut()) {
                for (a, r) in arts.iter_mut().zip(&self.artifacts) {
                    if let Some(a) = a.as_object_mut() {
                        a.insert("verified".into(), r.verified().into());
                    }
                }
            }
        }
        v
    }
}

/// Verifies every attestation of `download` against its files, each file
/// read once through one [`ReadPlan`].
pub fn verify(engine: &Engine, download: &Download, trust: &Trust<'_>) -> Report {
    checks::forget_keys();
    let mut plan = ReadPlan::new();
    let mut planner = checks::Planner::new(download, trust);
    let planned = planner.request(&mut plan);
    let results = plan.run(engine);
    let findings = planned.conclude(&planner, &results);
    let mut report = trust::decide(download, trust, findings);
    for a in &mut report.artifacts {
        if let Some(Ok(h)) = results.get(&a.path) {
            a.hashed = Some((h.size, *h.digests));
        }
    }
    checks::forget_keys();
    report
}

/// The OpenPGP policy `verify` uses by default.
pub fn default_pgp_policy() -> crate::pgp::StandardPolicy<'static> {
    crate::pgp::standard_policy(false)
}
