//! Every kind of check of a download, each planned and judged side by
//! side: [`Planner::request`] asks the run's one [`ReadPlan`] for what each
//! check needs; [`Planned::conclude`] turns the results into
//! [`Finding`]s — a check about one file, and for a signature that holds,
//! the [`Vouch`] it gives.
//!
//! Lists and SBOMs are held in memory once parsed; a signature over one is
//! checked against exactly those bytes ([`ReadPlan::want_bytes`]), so what
//! is trusted is what was parsed.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use apostille_digest::value::Digest;
use apostille_digest::{
    Algorithm, AlgorithmSet, HashError, HashSink, ReadKey, ReadPlan, ReadResults,
};
use apostille_formats::layout;

use super::discover::{Detached, Download, Form};
use super::{Check, Kind, Link, Status, Trust};
use crate::bundle::{Bundle, BundleError, Policy, PublicKey, Verdict as BundleVerdict, Verifier};
use crate::checksums::{self, CheckOptions, CheckPlan, ChecksumSource};
use crate::cleartext::{self, ClearSigned};
use crate::pgp::{
    PgpCheck, Requirement, SignatureFile, SignatureVerdict, Signer, Status as PgpStatus,
};
use crate::provenance::{
    self, AttestationPolicy, Attested, CertificateClaims, Promotion, Statement,
};
use crate::sbom::{self, SbomPlan};

thread_local! {
    /// `canonicalize` answers of this thread: one verify run asks for the
    /// same few paths per artifact again and again (a signed list of
    /// 10,000 files would otherwise make ~100,000 `readlink` calls).
    static KEYS: std::cell::RefCell<std::collections::HashMap<PathBuf, PathBuf>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Paths compared as the same file when they name the same file (their
/// canonical path; a path that does not resolve is its own key).
pub(super) fn key(p: &Path) -> PathBuf {
    if let Some(k) = KEYS.with(|m| m.borrow().get(p).cloned()) {
        return k;
    }
    let k = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    KEYS.with(|m| m.borrow_mut().insert(p.to_path_buf(), k.clone()));
    k
}

/// Forgets the answers of [`key`]: each run starts from what is on disk.
pub(super) fn forget_keys() {
    KEYS.with(|m| m.borrow_mut().clear());
}

/// What a passing signature establishes: who, through what.
#[derive(Clone, Debug)]
pub(super) struct Vouch {
    /// The signature's kind.
    pub root: Kind,
    /// Who signed.
    pub signer: String,
    /// The signature file, and what it says.
    pub link: Link,
}

/// One check about one file.
#[derive(Clone, Debug)]
pub(super) struct Finding {
    /// The file the check is about (canonical), if any.
    pub about: Option<PathBuf>,
    /// The check.
    pub check: Check,
    /// For a signature that holds: what it vouches.
    pub vouch: Option<Vouch>,
    /// For a checksum line or SBOM entry: the list or document it came
    /// from (canonical), whose own signatures decide whether it vouches.
    pub document: Option<PathBuf>,
}

impl Finding {
    fn about(path: &Path, check: Check) -> Finding {
        Finding {
            about: Some(key(path)),
            check,
            vouch: None,
            document: None,
        }
    }

    fn general(check: Check) -> Finding {
        Finding {
            about: None,
            check,
            vouch: None,
            document: None,
        }
    }
}

/// What the checks share while planning: the download, the trust inputs,
/// the documents held in memory and the names to find subjects by.
pub(super) struct Planner<'a> {
    download: &'a Download,
    trust: &'a Trust<'a>,
    artifacts: BTreeSet<PathBuf>,
    /// Lists and SBOMs by canonical path: their bytes as read.
    docs: BTreeMap<PathBuf, Arc<[u8]>>,
}

/// A list's path, the folder its names resolve against, and how many
/// lines of the file come before the text its lines were parsed from.
type ListBase = (PathBuf, (PathBuf, usize));

/// A cosign blob signature to check with `--key`: the signature file, the
/// file it signs, its read, the key and the base64 text.
type CosignSig = (PathBuf, PathBuf, ReadKey, PublicKey, Vec<u8>);

/// The checks, planned.
pub(super) struct Planned {
    early: Vec<Finding>,
    sums: Option<(CheckPlan, Vec<ListBase>)>,
    clear: Vec<(PathBuf, ClearSigned)>,
    sigs: Vec<(PathBuf, PathBuf, ReadKey, PgpCheck)>,
    cosign: Vec<CosignSig>,
    entries: Vec<BundleEntry>,
    bundle_targets: Vec<(usize, PathBuf, ReadKey, AlgorithmSet)>,
    sboms: Vec<(PathBuf, SbomPlan)>,
}

/// A bundle file's content: one bundle, or one per line.
struct BundleEntry {
    file: PathBuf,
    line: Option<usize>,
    parsed: Result<Bundle, BundleError>,
}

impl<'a> Planner<'a> {
    pub(super) fn new(download: &'a Download, trust: &'a Trust<'a>) -> Planner<'a> {
        Planner {
            download,
            trust,
            artifacts: download.artifacts.iter().map(|a| key(a)).collect(),
            docs: BTreeMap::new(),
        }
    }

    /// Whether lines about `p` are read: all of them for folders, only
    /// those about the files named otherwise.
    fn wanted(&self, p: &Path) -> bool {
        !self.download.files_named || self.artifacts.contains(&key(p))
    }

    /// Asks for a signed file: from memory when it is a list or SBOM.
    fn want_signed(
        &self,
        plan: &mut ReadPlan,
        path: &Path,
        algorithms: AlgorithmSet,
        sinks: Vec<Box<dyn HashSink>>,
    ) -> ReadKey {
        match self.docs.get(&key(path)) {
            Some(bytes) => plan.want_bytes(path, bytes.clone(), algorithms, sinks),
            None => plan.want(path, algorithms, sinks),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        self.docs.contains_key(&key(path)) || std::fs::metadata(path).is_ok()
    }

    /// Plans every check; every artifact is planned even when nothing
    /// names it, so that it is read (and a read error reported).
    pub(super) fn request(&mut self, plan: &mut ReadPlan) -> Planned {
        let mut p = Planned {
            early: Vec::new(),
            sums: None,
            clear: Vec::new(),
            sigs: Vec::new(),
            cosign: Vec::new(),
            entries: Vec::new(),
            bundle_targets: Vec::new(),
            sboms: Vec::new(),
        };
        for a in &self.download.artifacts {
            plan.want(a, AlgorithmSet::empty(), Vec::new());
        }
        self.request_checksums(plan, &mut p);
        self.request_sboms(plan, &mut p);
        self.request_signatures(plan, &mut p);
        self.request_bundles(plan, &mut p);
        p
    }
}

/// The file a bundle is named after: `x.tar.gz.sigstore.json` → `x.tar.gz`.
fn named_subject(
    file: &Path,
    by_name: &BTreeMap<Vec<u8>, Vec<PathBuf>>,
) -> Vec<(PathBuf, AlgorithmSet)> {
    let name = file.file_name().map(OsStr::as_bytes).unwrap_or_default();
    let Some(stem) = layout::signed_subject(name) else {
        return Vec::new();
    };
    let want = file.with_file_name(OsStr::from_bytes(stem));
    by_name
        .get(stem)
        .into_iter()
        .flatten()
        .filter(|p| key(p) == key(&want))
        .map(|p| (p.clone(), AlgorithmSet::from_iter([Algorithm::Sha256])))
        .collect()
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

/// What to pass so that an OpenPGP signature file is checked.
fn keys_remedy(sig: &Path) -> String {
    format!(
        "pass the project's KEYS with --keys to check {}",
        sig.display()
    )
}

fn signer_text(s: &Signer) -> String {
    let uid = s.user_ids.first().map_or("(no user ID)", String::as_str);
    format!("\"{uid}\" {}", s.primary)
}

/// Judges the signatures of one OpenPGP file (or clear-signed list) as a
/// set: it vouches when at least `min_good` signatures by distinct trusted
/// certificates are good (and by a `--signer` when pins are given) and
/// none is cryptographically BAD. Co-signatures by unknown keys, or refused
/// by policy, beside enough good ones are warnings. Over a list or
/// document (`document`), a signature by a key the user did not give is
/// no evidence either way (a Debian `.dsc` signed by a maintainer beside
/// the upstream's own `.asc`): it is skipped and vouches for nothing, while
/// over an artifact it fails, since a release signed by a stranger is what
/// a forger leaves.
pub(super) fn judge_signatures(
    source: &Path,
    verdicts: &[SignatureVerdict],
    req: &Requirement,
    document: bool,
) -> Vec<(Check, Option<Vouch>)> {
    if verdicts.is_empty() {
        let c = Check::new(
            Kind::Pgp,
            source,
            Status::Fail,
            "no OpenPGP signature in the file",
        );
        return vec![(c, None)];
    }
    let mut distinct: Vec<&Signer> = Vec::new();
    for v in verdicts.iter().filter(|v| req.counts(v)) {
        if let Some(s) = &v.signer
            && !distinct.iter().any(|d| d.primary == s.primary)
        {
            distinct.push(s);
        }
    }
    let bad = verdicts
        .iter()
        .any(|v| matches!(v.status, PgpStatus::Bad(_)));
    let need = req.min_good.max(1);
    let enough = distinct.len() >= need && !bad;
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for v in verdicts {
        let who = v.signer.as_ref().map(signer_text);
        let by = || {
            who.clone()
                .unwrap_or_else(|| format!("key {}", v.issuers.join(", ")))
        };
        let soft = if enough { Status::Warn } else { Status::Fail };
        let (status, detail) = match &v.status {
            PgpStatus::Good if req.counts(v) => {
                let fpr = v
                    .signer
                    .as_ref()
                    .map(|s| s.primary.clone())
                    .unwrap_or_default();
                if seen.insert(fpr) {
                    (Status::Pass, format!("good signature, {}", v.hash))
                } else {
                    (
                        Status::Warn,
                        format!(
                            "good signature, {}, by the same certificate again (counted once)",
                            v.hash
                        ),
                    )
                }
            }
            PgpStatus::Good => (
                soft,
                format!("good signature by {}, who is not a --signer", by()),
            ),
            PgpStatus::Bad(r) => (Status::Fail, format!("BAD signature: {r}")),
            PgpStatus::Rejected(r) if enough => {
                (Status::Warn, format!("co-signature refused by policy: {r}"))
            }
            PgpStatus::Rejected(r) => (Status::Fail, format!("rejected: {r}")),
            PgpStatus::NoKey if enough => (
                Status::Warn,
                format!("co-signature by {}, not in the KEYS given", by()),
            ),
            PgpStatus::NoKey if document => (
                Status::Skipped,
                format!(
                    "signed by {}, which is not in the KEYS given: it vouches for nothing here",
                    by()
                ),
            ),
            PgpStatus::NoKey => (
                Status::Fail,
                format!("signed by {}, which is not in the KEYS given", by()),
            ),
            PgpStatus::Unsupported(r) => (soft, format!("unsupported: {r}")),
        };
        let mut c = Check::new(Kind::Pgp, source, status, detail);
        if status == Status::Skipped {
            c = c.remedy(format!(
                "{} is signed by a key not in the KEYS given",
                source.display()
            ));
        }
        c.signer = who;
        out.push((c, None));
    }
    if !enough && !bad && !distinct.is_empty() {
        let c = Check::new(
            Kind::Pgp,
            source,
            Status::Fail,
            format!(
                "{} good signature(s) by distinct trusted certificates; --min-signatures {need} required",
                distinct.len()
            ),
        );
        out.push((c, None));
    }
    if enough {
        let signers: Vec<String> = distinct.iter().map(|s| signer_text(s)).collect();
        let signer = signers.join(" and ");
        let plural = if signers.len() > 1 { "s" } else { "" };
        let vouch = Vouch {
            root: Kind::Pgp,
            signer: signer.clone(),
            link: Link {
                source: source.to_path_buf(),
                line: None,
                what: format!("good signature{plural} by {signer}"),
            },
        };
        if let Some(first) = out.iter_mut().find(|(c, _)| c.status == Status::Pass) {
            first.1 = Some(vouch);
        }
    }
    out
}

impl Planned {
    /// A check about `file` that failed before anything was read (an
    /// unreadable list or SBOM).
    fn refuse(&mut self, kind: Kind, file: &Path, detail: String) {
        let c = Check::new(kind, file, Status::Fail, detail);
        self.early.push(Finding::about(file, c));
    }

    /// Judges every check from the plan's results.
    pub(super) fn conclude(self, planner: &Planner<'_>, results: &ReadResults) -> Vec<Finding> {
        let Planned {
            early,
            sums,
            clear,
            sigs,
            cosign,
            entries,
            bundle_targets,
            sboms,
        } = self;
        let mut out = early;

        conclude_checksums(planner, results, sums, &mut out);
        conclude_clear_signed(planner, &clear, &mut out);
        conclude_signatures(planner, results, &sigs, &mut out);
        conclude_cosign(planner, results, &cosign, &mut out);
        conclude_bundles(planner, results, &entries, &bundle_targets, &mut out);
        conclude_sboms(planner, results, sboms, &mut out);
        out
    }
}

// Checksum lists and clear-signed lists: planned, then judged.

impl Planner<'_> {
    // Checksum lists: sidecars, lists, clear-signed lists, `.dsc`.
    fn request_checksums(&mut self, plan: &mut ReadPlan, p: &mut Planned) {
        let req = self.trust.requirements;
        let mut sources = Vec::new();
        let mut offsets = Vec::new();
        for f in &self.download.checksum_files {
            let mut offset = 0;
            let mut src = match ChecksumSource::read(f) {
                Ok(s) => s,
                Err(e) => {
                    p.refuse(Kind::Checksum, f, format!("cannot read: {}", e.source));
                    continue;
                }
            };
            self.docs.insert(key(f), Arc::from(src.content.as_slice()));
            if cleartext::is_cleartext_signed(&src.content) {
                match ClearSigned::parse(&src.content) {
                    // Only the signed text is parsed: lines an attacker
                    // adds around the signature are not read at all.
                    Ok(cs) => {
                        src.content = cs.text().to_vec();
                        // Lines are reported as the file numbers them.
                        offset = cs.first_line().saturating_sub(1);
                        p.clear.push((f.clone(), cs));
                    }
                    Err(e) => {
                        p.refuse(Kind::Pgp, f, format!("clear-signed, but unreadable: {e}"));
                        continue;
                    }
                }
            }
            sources.push(src);
            offsets.push(offset);
        }
        let plan_c = CheckPlan::new(
            &sources,
            &CheckOptions {
                allow_weak: req.allow_weak,
                ignore_missing: req.ignore_missing,
                ..CheckOptions::default()
            },
        );
        plan_c.request_only(plan, |path| self.wanted(path));
        let bases = sources
            .iter()
            .zip(offsets)
            .map(|(s, o)| (s.path.clone(), (s.base_dir.clone(), o)))
            .collect();
        p.sums = Some((plan_c, bases));
    }
}

fn conclude_checksums(
    planner: &Planner<'_>,
    results: &ReadResults,
    sums: Option<(CheckPlan, Vec<ListBase>)>,
    out: &mut Vec<Finding>,
) {
    let trust = planner.trust;
    let req = trust.requirements;
    // Checksum lines: integrity against the list they came from.
    if let Some((plan, bases)) = sums {
        let bases: BTreeMap<PathBuf, (PathBuf, usize)> = bases.into_iter().collect();
        let report = plan.conclude(results);
        for l in &report.lines {
            let (listed, offset) = match bases.get(&l.source) {
                Some((b, o)) => (b.join(OsStr::from_bytes(&l.name)), *o),
                None => (PathBuf::from(OsStr::from_bytes(&l.name)), 0),
            };
            if !planner.wanted(&listed) {
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
                checksums::Verdict::NotFound(_) => {
                    (Status::Fail, format!("{} is missing", listed.display()))
                }
                checksums::Verdict::OpenOrRead(e) => match results.get(&listed) {
                    Some(Err(err)) => read_failure(err, req.ignore_missing),
                    _ => (Status::Fail, format!("cannot read: {e}")),
                },
                checksums::Verdict::Rejected(e) => (Status::Fail, format!("name refused: {e}")),
            };
            let c = Check::new(Kind::Checksum, &l.source, status, detail).at(Some(l.line + offset));
            out.push(Finding {
                about: Some(key(&listed)),
                check: c,
                vouch: None,
                document: Some(key(&l.source)),
            });
        }
        for f in &report.empty_sources {
            let c = Check::new(
                Kind::Checksum,
                f,
                Status::Fail,
                "no checksum line in a format apostille knows",
            );
            out.push(Finding::about(f, c));
        }
    }
}

fn conclude_clear_signed(
    planner: &Planner<'_>,
    clear: &[(PathBuf, ClearSigned)],
    out: &mut Vec<Finding>,
) {
    let trust = planner.trust;
    // Clear-signed lists: the list's own signatures.
    for (f, cs) in clear {
        match trust.keyring {
            None => {
                let c = Check::new(
                    Kind::Pgp,
                    f,
                    Status::Skipped,
                    "clear-signed; not checked: no KEYS given (pass the project's KEYS with --keys)",
                )
                .remedy(keys_remedy(f));
                out.push(Finding::about(f, c));
            }
            Some(keyring) => {
                let verdicts = cs.verify(keyring, trust.pgp_policy);
                for (mut c, vouch) in judge_signatures(f, &verdicts, trust.pgp_requirement, true) {
                    c.detail = format!("clear-signed: {}", c.detail);
                    out.push(Finding {
                        about: Some(key(f)),
                        check: c,
                        vouch,
                        document: None,
                    });
                }
            }
        }
    }
}

// Detached signatures: planned, then judged.

impl Planner<'_> {
    // Detached signatures: OpenPGP (armored or binary), cosign.
    fn request_signatures(&mut self, plan: &mut ReadPlan, p: &mut Planned) {
        let req = self.trust.requirements;
        for Detached {
            path,
            subject,
            form,
            data,
        } in &self.download.signatures
        {
            let early = |status, detail: String| {
                Finding::about(subject, Check::new(Kind::Pgp, path, status, detail))
            };
            match form {
                Form::NotASignature(why) => {
                    p.early.push(early(Status::Fail, why.clone()));
                    continue;
                }
                Form::Cosign(cert) => {
                    let key = match (cert, self.trust.sigstore) {
                        (None, Some(Policy::KeyWithoutLog(k))) if self.exists(subject) => k,
                        _ => {
                            let detail = match (cert, self.trust.sigstore) {
                                (Some(c), _) => format!(
                                    "cosign blob signature with certificate {}: not checked — without its transparency-log entry it cannot be verified offline; verify the Sigstore bundle (cosign sign-blob --bundle) instead",
                                    c.display()
                                ),
                                (None, Some(Policy::Key(_))) => "cosign blob signature: not checked — it carries no transparency-log entry; pass --insecure-ignore-tlog with --key to check the signature alone, as cosign verify-blob does".into(),
                                (None, _) => "cosign blob signature: not checked — pass the signing key with --key (and --insecure-ignore-tlog), or verify the Sigstore bundle instead".into(),
                            };
                            let mut f = early(Status::Skipped, detail);
                            f.check.kind = Kind::Sigstore;
                            f.check.remedy = Some(format!(
                                "{} is a cosign signature that cannot be checked offline",
                                path.display()
                            ));
                            p.early.push(f);
                            continue;
                        }
                    };
                    let k = self.want_signed(
                        plan,
                        subject,
                        AlgorithmSet::from_iter([Algorithm::Sha256]),
                        Vec::new(),
                    );
                    p.cosign
                        .push((path.clone(), subject.clone(), k, key.clone(), data.clone()));
                    continue;
                }
                Form::OpenPgp => {}
            }
            if !self.exists(subject) {
                let status = if req.ignore_missing {
                    Status::Skipped
                } else {
                    Status::Fail
                };
                let c = Check::new(
                    Kind::Pgp,
                    path,
                    status,
                    format!("the signed file {} is missing", subject.display()),
                );
                p.early.push(Finding::general(c));
                continue;
            }
            if self.trust.keyring.is_none() {
                let mut f = early(
                    Status::Skipped,
                    "not checked: no KEYS given (pass the project's KEYS with --keys)".into(),
                );
                f.check.remedy = Some(keys_remedy(path));
                p.early.push(f);
                // Still read the file: it is an artifact or a list.
                continue;
            }
            let check = PgpCheck::new(SignatureFile::parse(data));
            let k = self.want_signed(plan, subject, check.algorithms(), check.sinks());
            p.sigs.push((path.clone(), subject.clone(), k, check));
        }
    }
}

fn conclude_signatures(
    planner: &Planner<'_>,
    results: &ReadResults,
    sigs: &[(PathBuf, PathBuf, ReadKey, PgpCheck)],
    out: &mut Vec<Finding>,
) {
    let trust = planner.trust;
    let req = trust.requirements;
    // Detached OpenPGP signatures.
    for (sig, subject, k, check) in sigs {
        let Some(keyring) = trust.keyring else {
            continue;
        };
        match results.by_key(k) {
            Some(Ok(hashed)) => {
                let verdicts = check.finish(hashed, keyring, trust.pgp_policy);
                if verdicts.is_empty() {
                    let c = Check::new(Kind::Pgp, sig, Status::Fail, check.why_none());
                    out.push(Finding::about(subject, c));
                    continue;
                }
                for (c, vouch) in judge_signatures(
                    sig,
                    &verdicts,
                    trust.pgp_requirement,
                    planner.docs.contains_key(&key(subject)),
                ) {
                    out.push(Finding {
                        about: Some(key(subject)),
                        check: c,
                        vouch,
                        document: None,
                    });
                }
            }
            Some(Err(e)) => {
                let (status, why) = read_failure(e, req.ignore_missing);
                let c = Check::new(Kind::Pgp, sig, status, format!("the signed file {why}"));
                out.push(Finding::about(subject, c));
            }
            None => {}
        }
    }
}

/// Cosign blob signatures checked with `--key` (planned with the OpenPGP
/// signatures above).
fn conclude_cosign(
    planner: &Planner<'_>,
    results: &ReadResults,
    sigs: &[CosignSig],
    out: &mut Vec<Finding>,
) {
    let req = planner.trust.requirements;
    for (sig, subject, k, pubkey, data) in sigs {
        let sha256 = match results.by_key(k) {
            Some(Ok(h)) => h.digests.get(Algorithm::Sha256).copied(),
            Some(Err(e)) => {
                let (status, why) = read_failure(e, req.ignore_missing);
                let c = Check::new(
                    Kind::Sigstore,
                    sig,
                    status,
                    format!("the signed file {why}"),
                );
                out.push(Finding::about(subject, c));
                continue;
            }
            None => None,
        };
        let Some(sha256) = sha256 else { continue };
        let signer = format!("key {}", pubkey.fingerprint());
        let (check, vouch) = match crate::bundle::verify_blob_signature(pubkey, &sha256, data) {
            Ok(()) => {
                let mut c = Check::new(
                    Kind::Sigstore,
                    sig,
                    Status::Pass,
                    "cosign blob signature verified; no transparency log",
                );
                c.signer = Some(signer.clone());
                let vouch = Vouch {
                    root: Kind::Sigstore,
                    signer: signer.clone(),
                    link: Link {
                        source: sig.clone(),
                        line: None,
                        what: format!("cosign signature by {signer}"),
                    },
                };
                (c, Some(vouch))
            }
            Err(f) => (
                Check::new(
                    Kind::Sigstore,
                    sig,
                    Status::Fail,
                    format!("({}) {}", f.reason, f.detail),
                ),
                None,
            ),
        };
        out.push(Finding {
            about: Some(key(subject)),
            check,
            vouch,
            document: None,
        });
    }
}

// Sigstore bundles: planned, then judged.

impl Planner<'_> {
    // Sigstore bundles: message signatures (named after their artifact)
    // and DSSE statements (about every subject they name).
    fn request_bundles(&mut self, plan: &mut ReadPlan, p: &mut Planned) {
        for f in &self.download.bundles {
            let data = match apostille_digest::input::read_input(f) {
                Ok(d) => d,
                Err(e) => {
                    let e = e.into_io();
                    let c =
                        Check::new(Kind::Sigstore, f, Status::Fail, format!("cannot read: {e}"));
                    p.early.push(Finding::general(c));
                    continue;
                }
            };
            for l in crate::bundle::parse_file(&data, f) {
                p.entries.push(BundleEntry {
                    file: f.clone(),
                    line: l.line,
                    parsed: l.parsed,
                });
            }
        }
        // Subjects are found by base name among the artifacts and the
        // download's own documents (a bundle over `SHA256SUMS`).
        let mut by_name: BTreeMap<Vec<u8>, Vec<PathBuf>> = BTreeMap::new();
        let named = self
            .download
            .artifacts
            .iter()
            .chain(&self.download.checksum_files)
            .chain(&self.download.sboms);
        for path in named {
            if let Some(n) = path.file_name() {
                by_name
                    .entry(n.as_bytes().to_vec())
                    .or_default()
                    .push(path.clone());
            }
        }
        // A promoted candidate's provenance names the candidate's files: a
        // verification summary in the download whose input is that
        // provenance file says, by digest, what they are called now. This
        // only locates files; trust comes from the signatures, judged
        // later.
        let mut renamed: BTreeMap<(Vec<u8>, String), String> = BTreeMap::new();
        for e in &p.entries {
            let Ok(b) = &e.parsed else { continue };
            let Some(st) = b
                .dsse_payload()
                .and_then(|(ty, payload)| Statement::parse(ty, payload).ok())
                .filter(|st| st.predicate_type == provenance::VSA_V1)
            else {
                continue;
            };
            let inputs = st.predicate["inputAttestations"].as_array().cloned();
            for input in inputs.into_iter().flatten() {
                let Some(uri) = input["uri"].as_str() else {
                    continue;
                };
                let file = uri.rsplit('/').next().unwrap_or(uri).as_bytes().to_vec();
                for s in &st.subjects {
                    if let Some(sha) = s.digest.get("sha256") {
                        let base = s.name.rsplit('/').next().unwrap_or(&s.name);
                        renamed.insert((file.clone(), sha.to_ascii_lowercase()), base.into());
                    }
                }
            }
        }
        let located = |file: &Path, s: &provenance::Subject| -> String {
            let base = s.name.rsplit('/').next().unwrap_or(&s.name).to_string();
            if by_name.contains_key(base.as_bytes()) {
                return base;
            }
            let f = file
                .file_name()
                .map(|n| n.as_bytes().to_vec())
                .unwrap_or_default();
            s.digest
                .get("sha256")
                .and_then(|sha| renamed.get(&(f, sha.to_ascii_lowercase())))
                .cloned()
                .unwrap_or(base)
        };
        let mut absent = Vec::new();
        for (i, e) in p.entries.iter().enumerate() {
            let Ok(b) = &e.parsed else { continue };
            let targets: Vec<(PathBuf, AlgorithmSet)> = match b.dsse_payload() {
                Some((ty, payload)) => match Statement::parse(ty, payload) {
                    Ok(st) => {
                        // A subject the download does not hold fails, as
                        // a file a checksum list names does when it is
                        // missing (`--ignore-missing` skips it), unless
                        // the user named the files to check.
                        if !self.download.files_named {
                            for s in &st.subjects {
                                let base = located(&e.file, s);
                                if !by_name.contains_key(base.as_bytes()) {
                                    absent.push(missing_subject(
                                        e,
                                        &base,
                                        self.trust.requirements.ignore_missing,
                                    ));
                                }
                            }
                        }
                        let bound = b.artifact_algorithms();
                        st.subjects
                            .iter()
                            .flat_map(|s| {
                                let base = located(&e.file, s);
                                // What binds the bundle, and a SHA-512 the
                                // subject also states, checked too.
                                let mut algs = AlgorithmSet::from_iter(bound.iter().copied());
                                if s.digest.contains_key("sha512") {
                                    algs.insert(Algorithm::Sha512);
                                }
                                by_name
                                    .get(base.as_bytes())
                                    .cloned()
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(move |path| (path, algs))
                            })
                            .collect()
                    }
                    Err(_) => named_subject(&e.file, &by_name),
                },
                None => named_subject(&e.file, &by_name),
            };
            for (t, algs) in targets {
                if !self.wanted(&t) && !self.docs.contains_key(&key(&t)) {
                    continue;
                }
                let k = self.want_signed(plan, &t, algs, Vec::new());
                p.bundle_targets.push((i, t, k, algs));
            }
        }
        p.early.extend(absent);
    }
}

/// The finding for a subject of the statement in `e` that names no file
/// of the download.
fn missing_subject(e: &BundleEntry, base: &str, ignore_missing: bool) -> Finding {
    let status = if ignore_missing {
        Status::Skipped
    } else {
        Status::Fail
    };
    let shown = apostille_digest::display::terminal_safe(base.as_bytes());
    let dir = e.file.parent().unwrap_or(Path::new(""));
    let detail = format!(
        "subject {shown}: {} is missing",
        dir.join(&*shown).display()
    );
    let c = Check::new(Kind::Attestation, &e.file, status, detail).at(e.line);
    // About the file it names when that is a plain name in the bundle's
    // folder; a name such as `..` is reported about no file.
    let plain = !base.is_empty() && base != "." && base != ".." && *shown == *base;
    if plain {
        Finding::about(&dir.join(base), c)
    } else {
        Finding::general(c)
    }
}

fn conclude_bundles(
    planner: &Planner<'_>,
    results: &ReadResults,
    entries: &[BundleEntry],
    bundle_targets: &[(usize, PathBuf, ReadKey, AlgorithmSet)],
    out: &mut Vec<Finding>,
) {
    let trust = planner.trust;
    let req = trust.requirements;
    // Sigstore bundles.
    let verifier = Verifier::new(trust.trusted_root);
    let mut checked = BTreeSet::new();
    // Verification summaries (promotions) first: a provenance they carry
    // to a final ref is judged with them.
    let mut promotions: BTreeMap<PathBuf, Vec<(Promotion, PathBuf)>> = BTreeMap::new();
    let mut ordered: Vec<_> = bundle_targets.iter().collect();
    ordered.sort_by_key(|(i, ..)| !is_summary(&entries[*i]));
    for (i, target, k, algs) in ordered {
        let e = &entries[*i];
        let Ok(b) = &e.parsed else { continue };
        checked.insert(*i);
        let kind = if b.dsse_payload().is_some() {
            Kind::Attestation
        } else {
            Kind::Sigstore
        };
        let at = e.line;
        let Some(policy) = trust.sigstore else {
            let c = Check::new(
                kind,
                &e.file,
                Status::Skipped,
                "not checked: no signer given (pass --certificate-identity and --certificate-oidc-issuer, or --key)",
            )
            .at(at)
            .remedy(format!(
                "pass --certificate-identity and --certificate-oidc-issuer (or --key) to check {}",
                e.file.display()
            ));
            out.push(Finding::about(target, c));
            continue;
        };
        let hashed = match results.by_key(k) {
            Some(Ok(h)) => h,
            Some(Err(err)) => {
                let (status, why) = read_failure(err, req.ignore_missing);
                let c = Check::new(kind, &e.file, status, format!("the artifact {why}")).at(at);
                out.push(Finding::about(target, c));
                continue;
            }
            None => continue,
        };
        let digests: Vec<Digest> = algs
            .iter()
            .filter_map(|a| hashed.digests.get(a).copied())
            .collect();
        let digests: Vec<Digest> = {
            // SHA-256 first, as the attestation policy reads them.
            let mut d = digests;
            d.sort_by_key(|x| x.algorithm() != Algorithm::Sha256);
            d
        };
        if digests.is_empty() {
            continue;
        }
        let (check, vouch) = match verifier.verify(b, &digests, policy) {
            BundleVerdict::Failed(f) => (
                Check::new(
                    kind,
                    &e.file,
                    Status::Fail,
                    format!("({}) {}", f.reason, f.detail),
                ),
                None,
            ),
            BundleVerdict::Verified(v) => {
                let judged = match b.dsse_payload() {
                    None => Ok(String::from("message signature verified")),
                    Some((ty, payload)) => Statement::parse(ty, payload)
                        .map_err(Judged::Failed)
                        .and_then(|st| {
                            let claims = b
                                .certificate_der()
                                .map(CertificateClaims::from_der)
                                .transpose()
                                .map_err(Judged::Failed)?;
                            judge_statement(
                                trust,
                                &st,
                                &digests,
                                claims.as_ref(),
                                &e.file,
                                promotions.get(&key(target)).map(Vec::as_slice),
                            )
                        }),
                };
                if let (Ok(_), Some((ty, payload))) = (&judged, b.dsse_payload())
                    && let Ok(st) = Statement::parse(ty, payload)
                    && let Ok(p) = Promotion::of(&st)
                {
                    promotions
                        .entry(key(target))
                        .or_default()
                        .push((p, e.file.clone()));
                }
                match judged {
                    Ok(detail) => {
                        let log = if v.tlog_verified {
                            "transparency log checked"
                        } else {
                            "no transparency log"
                        };
                        let signer = v.signer.to_string();
                        let mut c =
                            Check::new(kind, &e.file, Status::Pass, format!("{detail}; {log}"));
                        c.signer = Some(signer.clone());
                        let what = match kind {
                            Kind::Attestation => "attestation",
                            _ => "Sigstore signature",
                        };
                        let vouch = Vouch {
                            root: kind,
                            signer: signer.clone(),
                            link: Link {
                                source: e.file.clone(),
                                line: at,
                                what: format!("{what} by {signer}"),
                            },
                        };
                        (c, Some(vouch))
                    }
                    Err(Judged::NotApplicable(pt)) => (
                        Check::new(
                            kind,
                            &e.file,
                            Status::Skipped,
                            format!(
                                "{pt}: not the attestation the policy asks for ({}); not judged",
                                attestation_wanted(trust, req)
                            ),
                        ),
                        None,
                    ),
                    Err(Judged::Failed(f)) => (
                        Check::new(
                            kind,
                            &e.file,
                            Status::Fail,
                            format!("({}) {}", f.reason, f.detail),
                        ),
                        None,
                    ),
                }
            }
        };
        out.push(Finding {
            about: Some(key(target)),
            check: check.at(at),
            vouch,
            document: None,
        });
    }
    for (i, e) in entries.iter().enumerate() {
        if checked.contains(&i) {
            continue;
        }
        let (status, detail) = match &e.parsed {
            Err(err) => (Status::Fail, err.to_string()),
            Ok(_) if planner.download.files_named => continue,
            Ok(_) => (
                if req.ignore_missing {
                    Status::Skipped
                } else {
                    Status::Fail
                },
                "names no file of this download".to_string(),
            ),
        };
        out.push(Finding::general(
            Check::new(Kind::Sigstore, &e.file, status, detail).at(e.line),
        ));
    }
}

/// How an attestation whose signature holds came out.
enum Judged {
    /// Its predicate type is not one the policy judges: skipped.
    NotApplicable(String),
    /// It fails the policy or cannot be read.
    Failed(crate::bundle::Failure),
}

/// Whether the bundle of `e` holds a verification summary (a VSA).
fn is_summary(e: &BundleEntry) -> bool {
    let Ok(b) = &e.parsed else { return false };
    b.dsse_payload()
        .and_then(|(ty, payload)| Statement::parse(ty, payload).ok())
        .is_some_and(|st| st.predicate_type == provenance::VSA_V1)
}

/// Judges the statement of a bundle whose signature holds, for the
/// artifact with `digests`: a verification summary by its result and
/// subject; an attestation the policy does not judge is not applicable;
/// provenance by the policy, or, when the policy's source ref is not the
/// one it names, through a trusted promotion of this artifact whose input
/// is this provenance file (`promotions`: the summaries already verified
/// for it, with their files).
fn judge_statement(
    trust: &Trust<'_>,
    st: &Statement,
    digests: &[Digest],
    claims: Option<&CertificateClaims>,
    file: &Path,
    promotions: Option<&[(Promotion, PathBuf)]>,
) -> Result<String, Judged> {
    let req = trust.requirements;
    let pt = &st.predicate_type;
    if *pt == provenance::VSA_V1 {
        let p = Promotion::of(st).map_err(Judged::Failed)?;
        AttestationPolicy::default()
            .check(st, digests, claims)
            .map_err(Judged::Failed)?;
        return Ok(format!(
            "{pt} verified: PASSED as {}@{}",
            p.repository, p.source_ref
        ));
    }
    let applies =
        trust.attestation.applies_to(pt) && (!req.provenance || provenance::is_slsa_provenance(pt));
    if !applies {
        return Err(Judged::NotApplicable(pt.clone()));
    }
    let describe = |a: Attested, promoted: Option<(&Promotion, &Path)>| {
        let mut s = format!("{} verified", a.predicate_type);
        if let Some(p) = a.provenance {
            s.push_str(&format!(
                ", built by {} from {}{}",
                p.builder_id.as_deref().unwrap_or("?"),
                p.source_uri.as_deref().unwrap_or("?"),
                p.source_ref.map(|r| format!(" {r}")).unwrap_or_default()
            ));
        }
        if let Some((p, f)) = promoted {
            s.push_str(&format!(
                ", promoted to {} by {}",
                p.source_ref,
                f.display()
            ));
        }
        s
    };
    match trust.attestation.check(st, digests, claims) {
        Ok(a) => Ok(describe(a, None)),
        Err(f) if f.reason == crate::bundle::Reason::Policy => {
            let Some(promotions) = promotions.filter(|p| !p.is_empty()) else {
                return Err(Judged::Failed(f));
            };
            // The promotion names this provenance file by its SHA-256: a
            // small document of the download, not an artifact.
            let sha = std::fs::read(file)
                .ok()
                .and_then(|b| apostille_digest::Hasher::digest(Algorithm::Sha256, &b))
                .map(|d| d.to_hex());
            for (p, vsa) in promotions {
                if sha.as_ref().is_some_and(|h| p.inputs.contains(h))
                    && let Ok(a) = trust.attestation.check_promoted(st, digests, claims, p)
                {
                    return Ok(describe(a, Some((p, vsa))));
                }
            }
            Err(Judged::Failed(f))
        }
        Err(f) => Err(Judged::Failed(f)),
    }
}

/// What the policy accepts, for a skipped attestation's line.
fn attestation_wanted(trust: &Trust<'_>, req: &super::Requirements) -> String {
    match &trust.attestation.predicate_type {
        Some(t) => t.clone(),
        None if req.provenance => "SLSA provenance, as --require provenance asks".into(),
        None => "SLSA provenance, as a source or builder requirement asks".into(),
    }
}

// SBOMs: planned, then judged.

impl Planner<'_> {
    // SBOMs: each package's and file's checksums, names relative to the
    // document's folder.
    fn request_sboms(&mut self, plan: &mut ReadPlan, p: &mut Planned) {
        for f in &self.download.sboms {
            let bytes = match apostille_digest::input::read_input(f) {
                Ok(b) => b,
                Err(e) => {
                    let e = e.into_io();
                    p.refuse(Kind::Sbom, f, format!("cannot read: {e}"));
                    continue;
                }
            };
            let doc = match sbom::read(f, &bytes) {
                Ok(d) => d,
                Err(e) => {
                    p.refuse(Kind::Sbom, f, format!("cannot read as SPDX 2.x: {e}"));
                    continue;
                }
            };
            self.docs.insert(key(f), Arc::from(bytes.as_slice()));
            let dir = match f.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let sp = SbomPlan::new(&doc, &sbom::Artifacts::Dir(dir), true);
            sp.request_only(plan, |path| self.wanted(path));
            p.sboms.push((f.clone(), sp));
        }
    }
}

fn conclude_sboms(
    planner: &Planner<'_>,
    results: &ReadResults,
    sboms: Vec<(PathBuf, SbomPlan)>,
    out: &mut Vec<Finding>,
) {
    let trust = planner.trust;
    let req = trust.requirements;
    // SBOMs: integrity against the document.
    for (f, plan) in sboms {
        let r = plan.conclude(results);
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
                    format!(
                        "{} {}: {} {} NOT match",
                        item.kind,
                        item.name,
                        a.join(", "),
                        if a.len() == 1 { "does" } else { "do" }
                    ),
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
                    if item.kind == "file"
                        || req.ignore_missing
                        || planner.download.files_named =>
                {
                    continue;
                }
                sbom::Verdict::Missing => (
                    Status::Fail,
                    format!("{} {}: missing", item.kind, item.name),
                ),
            };
            if let Some(p) = &item.path
                && !planner.wanted(p)
            {
                continue;
            }
            let c = Check::new(Kind::Sbom, &f, status, detail);
            out.push(Finding {
                about: item.path.as_deref().map(key),
                check: c,
                vouch: None,
                document: Some(key(&f)),
            });
        }
        for (pkg, stated, computed) in &r.bad_codes {
            let c = Check::new(
                Kind::Sbom,
                &f,
                Status::Fail,
                format!(
                    "package {pkg}: verification code {stated} is not {computed}, computed from the document's own file SHA-1s"
                ),
            );
            out.push(Finding::about(&f, c));
        }
    }
}
