//! The release pipeline: every attestation of a release folder from one
//! read of each artifact.
//!
//! [`discover`] lists the artifacts of a folder (files whose names are not
//! attestations, by [`apostille_formats::layout`]); [`run`] then
//!
//! 1. checks before anything is read or written: artifact names against
//!    the [`Naming`] rules and what checksum files can represent, the
//!    third-party notices against their policy, and that no output exists
//!    (unless [`Options::force`]);
//! 2. reads each artifact once through the digest engine, which computes
//!    the union of what every output needs (checksum algorithms, the
//!    OpenPGP hash contexts, SPDX's SHA-1/SHA-256/SHA-512 and BLAKE3, the
//!    provenance subjects' SHA-256/SHA-512);
//! 3. makes every output in memory: `.sha512` sidecars and `SHA256SUMS`
//!    lists, `.asc` signatures, the SPDX SBOM, the SLSA provenance in a
//!    Sigstore bundle (`NAME.intoto.jsonl`), the notices;
//! 4. writes each output atomically, then the manifest
//!    ([`apostille_formats::layout::MANIFEST_NAME`]) listing every output
//!    with its SHA-256.
//!
//! Generated notices are part of the release: they are hashed from memory
//! with the artifacts, listed, signed and named in the SBOM and provenance.
//!
//! Output is deterministic for the same inputs, keys and
//! `SOURCE_DATE_EPOCH` ([`Options::epoch`]), except what a signature scheme
//! randomises (ECDSA, v6 salts) and what a keyless signer's services add.

pub mod announce;
pub mod config;
pub mod promote;

pub use config::{Config, ConfigError};

use std::collections::BTreeMap;
use std::io::Cursor;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use apostille_digest::archive::{ArchiveFormat, Limits};
use apostille_digest::checksum::forbidden_control_character;
use apostille_digest::display::{terminal_safe, terminal_safe_cut};
use apostille_digest::{
    Algorithm, AlgorithmSet, DigestSet, Engine, HashError, HashSink, Hashed, ReadPlan,
};
use apostille_formats::layout::{self, MANIFEST_NAME, Role};
use apostille_sbom::archive::{ArchiveOptions, Contents, ContentsTap};
use apostille_sbom::artifacts::{ArtifactOptions, ReleaseItem, SbomHashing};
use apostille_sbom::{DocOptions, Format};
use serde_json::json;

use crate::atomic::WriteError;
use crate::checksums::{self, ChecksumsError, Listed, Style};
use crate::pgp::{PendingSignature, PgpError, SigningKey};
use crate::sigstore::statement::{PAYLOAD_TYPE, SLSA_PROVENANCE_V1};
use crate::sigstore::{Build, ReleaseInfo, Signer, SignerError, Subject, statement};

/// Why a release could not be made. Nothing is written when any of these
/// comes before the writing step.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// The folder or an artifact cannot be listed or read.
    #[error("{path}: {message}")]
    Io {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The folder holds nothing to release.
    #[error("{0}: no artifacts (only attestations, hidden files or nothing)")]
    Empty(PathBuf),
    /// Artifact names break the naming rules.
    #[error("artifact names break the release's naming rules:\n  {}", .0.join("\n  "))]
    Naming(Vec<String>),
    /// Outputs exist and `force` was not given.
    #[error("outputs exist (--force replaces them):\n  {}", .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("\n  "))]
    Exists(Vec<PathBuf>),
    /// A legacy or unknown algorithm where it cannot be used.
    #[error("{0}")]
    Config(String),
    /// The notices break their policy.
    #[error("third-party notices break the license policy:\n  {}", .0.join("\n  "))]
    NoticesPolicy(Vec<String>),
    /// The notices could not be made.
    #[error("third-party notices: {0}")]
    Notices(#[from] apostille_notices::NoticesError),
    /// Some artifacts could not be read; nothing was written.
    #[error("nothing written: {} artifact(s) could not be read:\n  {}", .0.len(), .0.join("\n  "))]
    Read(Vec<String>),
    /// An OpenPGP signature could not be made.
    #[error("OpenPGP signature of {name}: {source}")]
    Pgp {
        /// The artifact.
        name: String,
        /// Why.
        source: PgpError,
    },
    /// The Sigstore bundle could not be made.
    #[error("provenance bundle: {0}")]
    Sigstore(#[from] SignerError),
    /// The SBOM could not be made.
    #[error("SBOM: {0}")]
    Sbom(#[from] apostille_sbom::SbomError),
    /// A checksum file could not be rendered.
    #[error(transparent)]
    Checksums(#[from] ChecksumsError),
    /// Writing an output failed (outputs written before it are complete).
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One artifact of the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseArtifact {
    /// Where it is read from.
    pub path: PathBuf,
    /// Its name relative to the release folder, `/`-separated: what
    /// checksum lists, the SBOM and the provenance call it.
    pub name: String,
}

/// The artifacts of `dir`: regular files and named pipes, in subfolders
/// too (symlinked folders are not followed), sorted by name; hidden
/// entries and files whose names make them attestations, KEYS or the
/// manifest are left out, as are the files and folders named in
/// `also_exclude` (relative to `dir`: the notices file the run
/// regenerates, an output folder inside `dir`).
pub fn discover(dir: &Path, also_exclude: &[String]) -> Result<Vec<ReleaseArtifact>, ReleaseError> {
    let mut out = Vec::new();
    walk(dir, dir, also_exclude, &mut out)?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if out.is_empty() {
        return Err(ReleaseError::Empty(dir.to_path_buf()));
    }
    Ok(out)
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> ReleaseError {
    ReleaseError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn walk(
    root: &Path,
    dir: &Path,
    exclude: &[String],
    out: &mut Vec<ReleaseArtifact>,
) -> Result<(), ReleaseError> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?;
    for e in entries {
        let e = e.map_err(|e| io_err(dir, e))?;
        let p = e.path();
        let file_name = e.file_name();
        if file_name.as_bytes().first() == Some(&b'.') {
            continue;
        }
        let rel = p.strip_prefix(root).unwrap_or(&p);
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if exclude.contains(&name) {
            continue;
        }
        let meta = std::fs::metadata(&p).map_err(|e| io_err(&p, e))?;
        if meta.is_dir() {
            // Symlinked folders are not followed: a link to an ancestor
            // would never end.
            if !e.file_type().map_err(|e| io_err(&p, e))?.is_symlink() {
                walk(root, &p, exclude, out)?;
            }
            continue;
        }
        if !(meta.is_file() || meta.file_type().is_fifo()) {
            continue;
        }
        if layout::role(file_name.as_bytes()) != Role::Artifact {
            continue;
        }
        out.push(ReleaseArtifact { path: p, name });
    }
    Ok(())
}

/// Naming rules every artifact name must follow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Naming {
    /// Strings every name must contain (`-incubating` for an Apache
    /// incubator release).
    pub require: Vec<String>,
    /// A prefix every name must start with (`apache-`).
    pub prefix: Option<String>,
    /// Every name must contain the release version.
    pub version: bool,
}

impl Naming {
    /// The problems of `name` (empty when it follows the rules).
    pub fn check(&self, name: &str, version: Option<&str>) -> Vec<String> {
        let mut problems = Vec::new();
        let base = name.rsplit('/').next().unwrap_or(name);
        let shown = terminal_safe(name.as_bytes());
        if let Some(c) = forbidden_control_character(name.as_bytes()) {
            problems.push(format!(
                "{shown}: contains control character 0x{c:02x}, which checksum files cannot list"
            ));
        }
        if name.contains(['\\', '\n']) {
            problems.push(format!(
                "{shown}: contains a backslash or newline, which checksum files must escape and older tools misread"
            ));
        }
        for r in &self.require {
            if !base.contains(r.as_str()) {
                problems.push(format!(
                    "{shown}: does not contain \"{}\"",
                    terminal_safe(r.as_bytes())
                ));
            }
        }
        if let Some(p) = &self.prefix
            && !base.starts_with(p.as_str())
        {
            problems.push(format!(
                "{shown}: does not start with \"{}\"",
                terminal_safe(p.as_bytes())
            ));
        }
        if self.version {
            match version {
                Some(v) if !base.contains(v) => {
                    problems.push(format!(
                        "{shown}: does not contain the version \"{}\"",
                        terminal_safe(v.as_bytes())
                    ));
                }
                None => problems.push(format!(
                    "{shown}: names must contain the version, and none was given"
                )),
                _ => {}
            }
        }
        problems
    }
}

/// Third-party notices made by the run.
pub struct NoticesSettings {
    /// The Cargo workspace and how to read it.
    pub graph: apostille_notices::GraphOptions,
    /// The license policy.
    pub policy: apostille_notices::PolicySource,
    /// The file name in the release (`THIRD_PARTY_NOTICES.md`).
    pub file_name: String,
}

/// The SBOMs of the release.
#[derive(Clone, Debug)]
pub struct SbomSettings {
    /// How the release package is described: a name, version or supplier
    /// left `None` is taken from the release (the version), the build's
    /// repository or the signer, never from file names.
    pub package: ArtifactOptions,
    /// Document options (`created` from `SOURCE_DATE_EPOCH`).
    pub doc: DocOptions,
    /// The formats written, each as its own document (`NAME.spdx.json`,
    /// `NAME.cdx.json`).
    pub formats: Vec<Format>,
    /// One document per artifact (`X.spdx.json`, `X.cdx.json`) instead of
    /// one for the release.
    pub per_artifact: bool,
    /// List the files inside tar archives (`.tar`, `.tar.gz`, …) in the
    /// archive's own document, from the same read of the archive.
    pub contents: bool,
    /// Add BLAKE3 checksums (an extra digest of every byte; off by
    /// default).
    pub blake3: bool,
    /// Bounds for the archives read for their contents.
    pub limits: Limits,
}

impl Default for SbomSettings {
    fn default() -> Self {
        SbomSettings {
            package: ArtifactOptions::default(),
            doc: DocOptions::default(),
            formats: vec![Format::SpdxJson],
            per_artifact: false,
            contents: false,
            blake3: false,
            limits: Limits::default(),
        }
    }
}

/// What the vote and announce mails need that the release does not know:
/// recorded in the manifest, read by [`announce::from_manifest`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnounceSettings {
    /// The project's display name (`Apache Demo`).
    pub project: Option<String>,
    /// Where the project's KEYS file is published.
    pub keys_url: Option<String>,
    /// Where the artifacts are published.
    pub dist_url: Option<String>,
}

/// The Sigstore-signed SLSA provenance of the release.
pub struct ProvenanceSettings {
    /// Who signs.
    pub signer: Signer,
    /// The build the provenance describes.
    pub build: Build,
}

/// What to make.
pub struct Options {
    /// Release name: the SBOM and provenance files are called
    /// `NAME.spdx.json` and `NAME.intoto.jsonl`.
    pub name: String,
    /// Version and series, recorded in the provenance and the manifest.
    pub info: ReleaseInfo,
    /// Where outputs go (default: the release folder).
    pub out: Option<PathBuf>,
    /// Per-artifact sidecars (`x.sha512`), GNU layout.
    pub sidecars: Vec<Algorithm>,
    /// Combined lists (`SHA256SUMS`), GNU layout, one per algorithm.
    pub lists: Vec<Algorithm>,
    /// Naming rules.
    pub naming: Naming,
    /// The OpenPGP key signing every artifact (`x.asc`).
    pub pgp: Option<SigningKey>,
    /// Provenance and its bundle.
    pub provenance: Option<ProvenanceSettings>,
    /// The SBOM.
    pub sbom: Option<SbomSettings>,
    /// Third-party notices.
    pub notices: Option<NoticesSettings>,
    /// Replace outputs that exist.
    pub force: bool,
    /// `SOURCE_DATE_EPOCH`: the provenance's and manifest's times.
    pub epoch: Option<i64>,
    /// The tag released (`v1.4.0-rc2`), recorded in the manifest.
    pub tag: Option<String>,
    /// The release candidate this is (`rc2`), recorded in the manifest.
    pub candidate: Option<String>,
    /// What the mails need, recorded in the manifest.
    pub announce: AnnounceSettings,
}

/// What one output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutputKind {
    /// Third-party notices (also an artifact).
    Notices,
    /// A checksum sidecar or list.
    Checksum,
    /// A detached OpenPGP signature.
    Signature,
    /// An SBOM (SPDX or CycloneDX).
    Sbom,
    /// A signed in-toto attestation of SBOMs.
    SbomAttestation,
    /// A Sigstore bundle over a checksum list.
    Bundle,
    /// The provenance bundle.
    Provenance,
    /// The signed promotion of a release candidate (a SLSA VSA).
    Promotion,
    /// The manifest.
    Manifest,
}

impl OutputKind {
    /// The kind's name in the manifest and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputKind::Notices => "notices",
            OutputKind::Checksum => "checksum",
            OutputKind::Signature => "signature",
            OutputKind::Sbom => "sbom",
            OutputKind::SbomAttestation => "sbom-attestation",
            OutputKind::Bundle => "bundle",
            OutputKind::Provenance => "provenance",
            OutputKind::Promotion => "promotion",
            OutputKind::Manifest => "manifest",
        }
    }
}

/// One written output.
#[derive(Clone, Debug)]
pub struct Output {
    /// Where it was written.
    pub path: PathBuf,
    /// Its name relative to the output folder.
    pub name: String,
    /// What it is.
    pub kind: OutputKind,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// What it vouches for or describes: artifact names, or the output it
    /// signs (`SHA256SUMS` for `SHA256SUMS.asc`).
    pub covers: Vec<String>,
}

/// One artifact as the pass saw it.
#[derive(Clone, Debug)]
pub struct ArtifactSummary {
    /// Name relative to the release folder.
    pub name: String,
    /// Bytes read.
    pub size: u64,
    /// The digests computed.
    pub digests: DigestSet,
}

/// What the run did.
#[derive(Clone, Debug)]
pub struct Report {
    /// The release name.
    pub name: String,
    /// Version and series.
    pub info: ReleaseInfo,
    /// The artifacts, in name order.
    pub artifacts: Vec<ArtifactSummary>,
    /// Every output, the manifest last.
    pub outputs: Vec<Output>,
    /// The OpenPGP signer (`fingerprint`, signing-key fingerprint).
    pub pgp_signer: Option<(String, String)>,
    /// The OpenPGP signer's primary user ID.
    pub pgp_user_id: Option<String>,
    /// The Sigstore signer, described.
    pub sigstore_signer: Option<String>,
    /// Things the user should know (legacy algorithms, notices flags).
    pub warnings: Vec<String>,
    /// The manifest's bytes, as written.
    pub manifest: Vec<u8>,
}

/// The digests and extra sinks one read must feed.
type Need = (AlgorithmSet, Vec<Box<dyn HashSink>>);

/// An output made in memory, waiting to be written.
struct Pending {
    path: PathBuf,
    name: String,
    kind: OutputKind,
    bytes: Vec<u8>,
    covers: Vec<String>,
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The longest release name, in bytes.
pub const MAX_NAME_LEN: usize = 200;

/// Checks a release name (`--name`, `name =`, the folder's name): it
/// becomes part of output file names (`NAME.spdx.json`), so it must be a
/// plain file-name stem: not empty, no control characters, no `/` or `\`,
/// not `.`/`..` or otherwise starting with `.`, at most [`MAX_NAME_LEN`]
/// bytes. The error shows the name through [`terminal_safe`].
pub fn check_name(name: &str) -> Result<(), String> {
    let why = if name.is_empty() {
        Some("is empty".to_string())
    } else if name == "." || name == ".." {
        Some("is a folder reference".to_string())
    } else if name.starts_with('.') {
        Some("starts with `.` (the outputs would be hidden)".to_string())
    } else if let Some(c) = name.chars().find(|c| c.is_control()) {
        Some(format!("contains control character 0x{:02x}", c as u32))
    } else if name.contains(['/', '\\']) {
        Some("contains a path separator".to_string())
    } else if name.len() > MAX_NAME_LEN {
        Some(format!(
            "is {} bytes long (at most {MAX_NAME_LEN})",
            name.len()
        ))
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(format!(
            "release name `{}` {why}: give a plain file-name stem with --name",
            terminal_safe_cut(name.as_bytes(), MAX_NAME_LEN)
        )),
    }
}

/// `X.asc`: the detached signature of the output or artifact `X`.
fn asc_path(p: &Path) -> PathBuf {
    with_suffix(p, ".asc")
}

/// `X.sigstore.json`: the Sigstore bundle over the file `X`.
fn bundle_path(p: &Path) -> PathBuf {
    with_suffix(p, ".sigstore.json")
}

/// The in-toto predicate type of an SBOM format's attestation, as `cosign
/// attest --type spdxjson|cyclonedx` writes it.
pub fn sbom_predicate_type(format: Format) -> Option<&'static str> {
    match format {
        Format::SpdxJson => Some(SPDX_PREDICATE),
        Format::CycloneDxJson => Some(CYCLONEDX_PREDICATE),
        _ => None,
    }
}

/// The predicate type of an SPDX JSON document attestation.
pub const SPDX_PREDICATE: &str = "https://spdx.dev/Document";
/// The predicate type of a CycloneDX JSON document attestation.
pub const CYCLONEDX_PREDICATE: &str = "https://cyclonedx.org/bom";

/// The file-name suffix of an SBOM format (`.spdx.json`, `.cdx.json`).
pub fn sbom_suffix(format: Format) -> &'static str {
    match format {
        Format::SpdxJson => ".spdx.json",
        Format::SpdxTagValue => ".spdx",
        Format::Spdx3 => ".spdx3.json",
        Format::CycloneDxJson => ".cdx.json",
    }
}

/// Whether the artifact `name`'s contents can be listed from the stream of
/// the one read: a tar archive, plain or compressed (a zip's directory is
/// at its end).
fn contents_listable(name: &str) -> Option<bool> {
    match ArchiveFormat::from_name(name) {
        Some(ArchiveFormat::Zip) => Some(false),
        Some(_) => Some(true),
        None => None,
    }
}

/// What one SBOM document describes: the whole release, or one artifact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SbomScope {
    Release,
    Artifact(usize),
}

/// The SBOM documents a run writes: (scope, format, file name).
fn sbom_documents(
    opts: &Options,
    sb: &SbomSettings,
    names: &[String],
) -> Vec<(SbomScope, Format, String)> {
    let mut docs = Vec::new();
    for f in &sb.formats {
        if !sb.per_artifact {
            docs.push((
                SbomScope::Release,
                *f,
                format!("{}{}", opts.name, sbom_suffix(*f)),
            ));
        }
        for (i, n) in names.iter().enumerate() {
            let listed = sb.contents && contents_listable(n) == Some(true);
            if sb.per_artifact || listed {
                docs.push((
                    SbomScope::Artifact(i),
                    *f,
                    format!("{n}{}", sbom_suffix(*f)),
                ));
            }
        }
    }
    docs
}

/// The name of the file holding the SBOM attestations (one bundle per
/// document, one per line).
fn sbom_attestation_name(opts: &Options) -> String {
    format!("{}.sbom.intoto.jsonl", opts.name)
}

/// What the SBOMs say of the release package: given values first, then
/// the release's version, the build's repository and owner, the OpenPGP
/// signer; never a file or folder name, except the release name as the
/// last resort for the package name, with a warning.
fn sbom_package(
    opts: &Options,
    sb: &SbomSettings,
    user_id: Option<&str>,
    warnings: &mut Vec<String>,
) -> ArtifactOptions {
    let source = opts.provenance.as_ref().map(|p| p.build.source());
    let name = sb
        .package
        .package_name
        .clone()
        .or_else(|| source.as_ref().and_then(|s| s.name.clone()))
        .unwrap_or_else(|| {
            warnings.push(format!(
                "the SBOM's package name is the release name `{}`; give it with [release.sbom] package-name or --name",
                opts.name
            ));
            opts.name.clone()
        });
    let version = sb
        .package
        .package_version
        .clone()
        .or_else(|| opts.info.version.clone());
    if version.is_none() {
        warnings
            .push("the SBOM's package has no version: give --release-version or --tag".to_string());
    }
    let supplier = sb
        .package
        .supplier
        .clone()
        .or_else(|| {
            source
                .as_ref()
                .and_then(|s| s.owner.as_ref())
                .map(|o| format!("Organization: {o}"))
        })
        .or_else(|| user_id.and_then(spdx_person))
        .unwrap_or_else(|| {
            warnings.push(
                "the SBOM's supplier is NOASSERTION: give [release.sbom] supplier".to_string(),
            );
            "NOASSERTION".to_string()
        });
    ArtifactOptions {
        package_name: Some(name),
        package_version: version,
        supplier: Some(supplier),
    }
}

/// `Alice Example <alice@example.org>` → `Person: Alice Example
/// (alice@example.org)`, SPDX's actor form.
fn spdx_person(user_id: &str) -> Option<String> {
    let clean: String = user_id.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        return None;
    }
    Some(match clean.rsplit_once('<') {
        Some((name, rest)) if rest.ends_with('>') => {
            let email = rest.trim_end_matches('>');
            let name = name.trim();
            if name.is_empty() {
                format!("Person: {email} ({email})")
            } else {
                format!("Person: {name} ({email})")
            }
        }
        _ => format!("Person: {clean}"),
    })
}

/// Signs bytes made in memory (a checksum list, an SBOM): hashed from
/// memory, never written and read back.
fn sign_bytes(
    engine: &Engine,
    key: &mut SigningKey,
    name: &str,
    bytes: &[u8],
) -> Result<Vec<u8>, ReleaseError> {
    let pgp = |source| ReleaseError::Pgp {
        name: name.to_string(),
        source,
    };
    let p = key.prepare().map_err(pgp)?;
    let hashed = engine
        .hash_reader(
            Path::new(name),
            Cursor::new(bytes),
            p.algorithms(),
            p.sink().into_iter().collect(),
        )
        .map_err(|e| ReleaseError::Read(vec![e.to_string()]))?;
    key.finish(&p, &hashed).map_err(pgp)
}

/// A bundle as one line of an `.intoto.jsonl` file: its newlines (only
/// ever JSON whitespace) removed, one at the end.
fn jsonl_line(mut bundle: Vec<u8>) -> Vec<u8> {
    bundle.retain(|&b| b != b'\n');
    bundle.push(b'\n');
    bundle
}

/// The Sigstore bundle over bytes made in memory (`cosign sign-blob
/// --bundle`), one JSON document with its newline.
fn bundle_bytes(signer: &Signer, bytes: &[u8]) -> Result<Vec<u8>, ReleaseError> {
    use sha2::Digest as _;
    let digest: [u8; 32] = sha2::Sha256::digest(bytes).into();
    let mut b = signer.blob(&digest)?.into_bytes();
    if b.last() != Some(&b'\n') {
        b.push(b'\n');
    }
    Ok(b)
}

/// Makes the release of `artifacts` (from [`discover`]) found in `dir`.
pub fn run(
    engine: &Engine,
    dir: &Path,
    artifacts: &[ReleaseArtifact],
    mut opts: Options,
) -> Result<Report, ReleaseError> {
    check_name(&opts.name).map_err(ReleaseError::Config)?;
    let out = opts.out.clone().unwrap_or_else(|| dir.to_path_buf());
    let mut warnings = Vec::new();
    for a in opts.sidecars.iter().chain(&opts.lists) {
        if a.is_weak() {
            warnings.push(format!(
                "{a} checksums are legacy: the Apache release policy asks for SHA-256 or SHA-512 and forbids MD5 and SHA-1 for new releases"
            ));
        }
    }

    // 1. Checks before reading.
    let mut names: Vec<String> = artifacts.iter().map(|a| a.name.clone()).collect();
    if let Some(n) = &opts.notices {
        names.push(n.file_name.clone());
    }
    let problems: Vec<String> = names
        .iter()
        .flat_map(|n| opts.naming.check(n, opts.info.version.as_deref()))
        .collect();
    if !problems.is_empty() {
        return Err(ReleaseError::Naming(problems));
    }
    let sbom_docs = match &opts.sbom {
        Some(sb) => {
            if let Some(f) = sb
                .formats
                .iter()
                .find(|f| sbom_predicate_type(**f).is_none())
            {
                return Err(ReleaseError::Config(format!(
                    "the release SBOM is written as SPDX 2.3 JSON or CycloneDX 1.6 JSON, not {f:?}"
                )));
            }
            if sb.contents {
                for n in &names {
                    if contents_listable(n) == Some(false) {
                        warnings.push(format!(
                            "{n}: a zip archive's contents are not listed by release (its directory is at its end); `apostille sbom archive` lists them"
                        ));
                    }
                }
            }
            sbom_documents(&opts, sb, &names)
        }
        None => Vec::new(),
    };
    let signs_sboms = opts.provenance.is_some();
    // Every output the run writes, by path: checked before anything is
    // read, and what the writes below produce.
    let mut planned: Vec<PathBuf> = Vec::new();
    for name in &names {
        let base = out.join(name);
        for a in &opts.sidecars {
            planned.push(checksums::sidecar_path(&base, *a));
        }
        if opts.pgp.is_some() {
            planned.push(asc_path(&base));
        }
    }
    for a in &opts.lists {
        let list = out.join(list_name(*a));
        if opts.pgp.is_some() {
            planned.push(asc_path(&list));
        }
        if opts.provenance.is_some() {
            planned.push(bundle_path(&list));
        }
        planned.push(list);
    }
    for (_, _, name) in &sbom_docs {
        let p = out.join(name);
        if opts.pgp.is_some() {
            planned.push(asc_path(&p));
        }
        planned.push(p);
    }
    if signs_sboms && !sbom_docs.is_empty() {
        planned.push(out.join(sbom_attestation_name(&opts)));
    }
    if opts.provenance.is_some() {
        planned.push(out.join(format!("{}.intoto.jsonl", opts.name)));
    }
    if let Some(n) = &opts.notices {
        planned.push(out.join(&n.file_name));
    }
    planned.push(out.join(MANIFEST_NAME));
    if !opts.force {
        let existing: Vec<PathBuf> = planned.iter().filter(|p| p.exists()).cloned().collect();
        if !existing.is_empty() {
            return Err(ReleaseError::Exists(existing));
        }
    }

    let notices_bytes = match &opts.notices {
        Some(n) => {
            let notices = apostille_notices::generate(&n.graph, &n.policy)?;
            let violations: Vec<String> = notices
                .violations()
                .flat_map(|p| {
                    p.violations
                        .iter()
                        .map(move |v| format!("{}: {v}", p.label()))
                })
                .collect();
            if !violations.is_empty() {
                return Err(ReleaseError::NoticesPolicy(violations));
            }
            Some(apostille_notices::markdown::render(&notices).into_bytes())
        }
        None => None,
    };

    // 2. One read of each artifact: the digests asked for (checksums,
    // the provenance's SHA-256 subjects, the OpenPGP hash), BLAKE3 only
    // when asked, and an archive's contents from the same bytes.
    let mut algorithms: AlgorithmSet = opts.sidecars.iter().chain(&opts.lists).copied().collect();
    algorithms.insert(Algorithm::Sha256);
    let blake3 = opts.sbom.as_ref().is_some_and(|s| s.blake3);
    let contents_algorithms: AlgorithmSet = {
        let mut a: AlgorithmSet = [Algorithm::Sha1, Algorithm::Sha256].into_iter().collect();
        if blake3 {
            a.insert(Algorithm::Blake3);
        }
        a
    };
    let mut pending_sigs: Vec<PendingSignature> = Vec::new();
    let mut sbom_hashing: Vec<Option<SbomHashing>> = Vec::new();
    let mut taps: Vec<Option<ContentsTap>> = Vec::new();
    let contents_wanted: Vec<bool> = names
        .iter()
        .enumerate()
        .map(|(i, _)| {
            sbom_docs
                .iter()
                .any(|(scope, _, _)| *scope == SbomScope::Artifact(i))
                && opts.sbom.as_ref().is_some_and(|s| s.contents)
                && contents_listable(&names[i]) == Some(true)
        })
        .collect();
    // What one read must compute for every output: the digests, and the
    // sinks of its OpenPGP signature, BLAKE3 and contents.
    let mut needs = |index: usize, input: Option<&Path>| -> Result<Need, ReleaseError> {
        let mut algs = algorithms;
        let mut sinks: Vec<Box<dyn HashSink>> = Vec::new();
        if let Some(k) = &opts.pgp {
            let p = k.prepare().map_err(|source| ReleaseError::Pgp {
                name: input.map(|p| p.display().to_string()).unwrap_or_default(),
                source,
            })?;
            algs = algs.union(p.algorithms());
            sinks.extend(p.sink());
            pending_sigs.push(p);
        }
        if blake3 && opts.sbom.is_some() {
            let h = SbomHashing::new();
            sinks.push(h.sink());
            sbom_hashing.push(Some(h));
        } else {
            sbom_hashing.push(None);
        }
        match (contents_wanted.get(index), &opts.sbom, input) {
            (Some(true), Some(sb), Some(path)) => {
                let (sink, tap) = apostille_sbom::archive::tap(
                    Path::new(&names[index]),
                    contents_algorithms,
                    sb.limits.clone(),
                )
                .map_err(|e| ReleaseError::Read(vec![format!("{}: {e}", path.display())]))?;
                sinks.push(sink);
                taps.push(Some(tap));
            }
            _ => taps.push(None),
        }
        Ok((algs, sinks))
    };
    let mut reads = ReadPlan::new();
    let mut keys = Vec::new();
    for (i, a) in artifacts.iter().enumerate() {
        let (algs, sinks) = needs(i, Some(&a.path))?;
        keys.push(reads.want(&a.path, algs, sinks));
    }
    let notices_need = match &notices_bytes {
        Some(_) => Some(needs(artifacts.len(), None)?),
        None => None,
    };
    let results = reads.run(engine);
    // Each artifact's read, shared (not taken): two artifacts that are one
    // file (a symlink beside its target) are read once and both use it;
    // the signatures continue from its hasher states, and their sinks and
    // the SBOM's were kept by handle.
    let mut hashed: Vec<&Hashed> = Vec::new();
    let mut failed = Vec::new();
    for (a, k) in artifacts.iter().zip(&keys) {
        match results.by_key(k) {
            Some(Ok(h)) => hashed.push(h),
            Some(Err(e)) => failed.push(read_error(&a.path, e)),
            None => failed.push(format!("{}: not read", a.path.display())),
        }
    }
    // The contents readers end with their archives' reads.
    let mut contents: Vec<Option<Contents>> = Vec::new();
    for (i, t) in taps.into_iter().enumerate() {
        match t {
            Some(t) => match t.finish() {
                Ok(c) => contents.push(Some(c)),
                Err(e) => {
                    if failed.is_empty() {
                        failed.push(format!(
                            "{}: its contents could not be listed: {e}",
                            names[i]
                        ));
                    }
                    contents.push(None);
                }
            },
            None => contents.push(None),
        }
    }
    if !failed.is_empty() {
        return Err(ReleaseError::Read(failed));
    }
    // The notices are made in memory: hashed from their bytes, not read.
    let notices_hashed = match (&notices_bytes, notices_need, &opts.notices) {
        (Some(bytes), Some((algs, sinks)), Some(n)) => Some(
            engine
                .hash_reader(
                    Path::new(&n.file_name),
                    Cursor::new(bytes.as_slice()),
                    algs,
                    sinks,
                )
                .map_err(|e| ReleaseError::Read(vec![e.to_string()]))?,
        ),
        _ => None,
    };
    hashed.extend(notices_hashed.as_ref());

    // 3. Every output in memory.
    let summaries: Vec<ArtifactSummary> = names
        .iter()
        .zip(&hashed)
        .map(|(n, h)| ArtifactSummary {
            name: n.clone(),
            size: h.size,
            digests: *h.digests,
        })
        .collect();
    let all_names: Vec<String> = summaries.iter().map(|s| s.name.clone()).collect();
    let mut pending: Vec<Pending> = Vec::new();
    if let (Some(bytes), Some(n)) = (&notices_bytes, &opts.notices) {
        pending.push(Pending {
            path: out.join(&n.file_name),
            name: n.file_name.clone(),
            kind: OutputKind::Notices,
            bytes: bytes.clone(),
            covers: Vec::new(),
        });
    }
    for s in &summaries {
        for a in &opts.sidecars {
            let d = s.digests.get(*a).ok_or_else(|| missing(&s.name, *a))?;
            let base = s.name.rsplit('/').next().unwrap_or(&s.name);
            let path = checksums::sidecar_path(&out.join(&s.name), *a);
            pending.push(Pending {
                name: rel_name(&path, &out),
                path,
                kind: OutputKind::Checksum,
                bytes: apostille_digest::checksum::format_gnu(d, base.as_bytes(), false),
                covers: vec![s.name.clone()],
            });
        }
    }
    let listed: Vec<Listed> = summaries
        .iter()
        .map(|s| Listed {
            name: s.name.as_bytes().to_vec(),
            digests: s.digests,
        })
        .collect();
    let signer = opts.provenance.as_ref().map(|p| &p.signer);
    // Signed outputs: an `.asc` with the OpenPGP key, a bundle with the
    // Sigstore signer, for what is not itself an artifact.
    let signed = |pending: &mut Vec<Pending>,
                  pgp: &mut Option<SigningKey>,
                  path: PathBuf,
                  name: String,
                  kind: OutputKind,
                  bytes: Vec<u8>,
                  covers: Vec<String>,
                  bundle: bool|
     -> Result<(), ReleaseError> {
        if let Some(key) = pgp.as_mut() {
            let sig = sign_bytes(engine, key, &name, &bytes)?;
            let p = asc_path(&path);
            pending.push(Pending {
                name: rel_name(&p, &out),
                path: p,
                kind: OutputKind::Signature,
                bytes: sig,
                covers: vec![name.clone()],
            });
        }
        if bundle && let Some(signer) = signer {
            let b = bundle_bytes(signer, &bytes)?;
            let p = bundle_path(&path);
            pending.push(Pending {
                name: rel_name(&p, &out),
                path: p,
                kind: OutputKind::Bundle,
                bytes: b,
                covers: vec![name.clone()],
            });
        }
        pending.push(Pending {
            path,
            name,
            kind,
            bytes,
            covers,
        });
        Ok(())
    };
    for a in &opts.lists {
        let name = list_name(*a);
        let bytes = checksums::render(&listed, &[*a], Style::Gnu)?;
        signed(
            &mut pending,
            &mut opts.pgp,
            out.join(&name),
            name,
            OutputKind::Checksum,
            bytes,
            all_names.clone(),
            true,
        )?;
    }
    let mut pgp_signer = None;
    let mut pgp_user_id = None;
    if let Some(key) = opts.pgp.as_mut() {
        for ((s, p), h) in summaries.iter().zip(&pending_sigs).zip(&hashed) {
            let armored = key.finish(p, h).map_err(|source| ReleaseError::Pgp {
                name: s.name.clone(),
                source,
            })?;
            let path = asc_path(&out.join(&s.name));
            pending.push(Pending {
                name: rel_name(&path, &out),
                path,
                kind: OutputKind::Signature,
                bytes: armored,
                covers: vec![s.name.clone()],
            });
        }
        pgp_signer = Some((
            key.fingerprint().to_string(),
            key.signing_key_fingerprint().to_string(),
        ));
        pgp_user_id = key.user_id();
    }
    let mut attestations: Vec<u8> = Vec::new();
    let mut attested: Vec<String> = Vec::new();
    if let Some(sb) = opts.sbom.clone() {
        let package = sbom_package(&opts, &sb, pgp_user_id.as_deref(), &mut warnings);
        let blake3_of = |i: usize| {
            sbom_hashing
                .get(i)
                .and_then(Option::as_ref)
                .map(|h| h.finish_hex())
        };
        for (scope, format, doc_name) in &sbom_docs {
            let (doc, described): (_, Vec<usize>) = match scope {
                SbomScope::Release => {
                    let items: Vec<ReleaseItem<'_>> = summaries
                        .iter()
                        .enumerate()
                        .map(|(i, s)| ReleaseItem {
                            name: s.name.clone(),
                            digests: &s.digests,
                            blake3: blake3_of(i),
                        })
                        .collect();
                    let mut doc_opts = sb.doc.clone();
                    if doc_opts.name.is_none() {
                        doc_opts.name = Some(format!("{} release artifacts", opts.name));
                    }
                    (
                        apostille_sbom::artifacts::release_document(&items, &package, &doc_opts)?,
                        (0..summaries.len()).collect(),
                    )
                }
                SbomScope::Artifact(i) => {
                    let s = &summaries[*i];
                    let mut doc_opts = sb.doc.clone();
                    if doc_opts.name.is_none() {
                        doc_opts.name = Some(s.name.clone());
                    }
                    // The document lies beside its artifact: it names the
                    // artifact relative to its own folder.
                    let local = s.name.rsplit('/').next().unwrap_or(&s.name).to_string();
                    let doc = match contents.get(*i).and_then(Option::as_ref) {
                        Some(c) => apostille_sbom::archive::document(
                            &local,
                            c,
                            Some(&s.digests),
                            &ArchiveOptions {
                                package_name: package.package_name.clone(),
                                package_version: package.package_version.clone(),
                                supplier: package.supplier.clone(),
                                limits: sb.limits.clone(),
                            },
                            &doc_opts,
                        ),
                        None => apostille_sbom::artifacts::release_document(
                            &[ReleaseItem {
                                name: local,
                                digests: &s.digests,
                                blake3: blake3_of(*i),
                            }],
                            &package,
                            &doc_opts,
                        )?,
                    };
                    (doc, vec![*i])
                }
            };
            let bytes = apostille_sbom::write(&doc, *format)?;
            let covers: Vec<String> = described
                .iter()
                .map(|i| summaries[*i].name.clone())
                .collect();
            if signs_sboms
                && let (Some(p), Some(predicate_type)) =
                    (&opts.provenance, sbom_predicate_type(*format))
            {
                let predicate: serde_json::Value = serde_json::from_slice(&bytes)
                    .map_err(|e| ReleaseError::Config(format!("{doc_name}: {e}")))?;
                let subjects = described
                    .iter()
                    .map(|i| subject(&summaries[*i]))
                    .collect::<Result<Vec<_>, _>>()?;
                let payload = statement(&subjects, predicate_type, &predicate);
                let bundle = jsonl_line(p.signer.dsse(PAYLOAD_TYPE, &payload)?.into_bytes());
                attestations.extend_from_slice(&bundle);
                attested.push(doc_name.clone());
            }
            signed(
                &mut pending,
                &mut opts.pgp,
                out.join(doc_name),
                doc_name.clone(),
                OutputKind::Sbom,
                bytes,
                covers,
                false,
            )?;
        }
    }
    if !attestations.is_empty() {
        let name = sbom_attestation_name(&opts);
        pending.push(Pending {
            path: out.join(&name),
            name,
            kind: OutputKind::SbomAttestation,
            bytes: attestations,
            covers: attested,
        });
    }
    let mut sigstore_signer = None;
    if let Some(p) = &opts.provenance {
        let subjects = summaries
            .iter()
            .map(subject)
            .collect::<Result<Vec<_>, ReleaseError>>()?;
        let predicate = p.build.predicate(&opts.info, opts.epoch);
        let payload = statement(&subjects, SLSA_PROVENANCE_V1, &predicate);
        let bundle = jsonl_line(p.signer.dsse(PAYLOAD_TYPE, &payload)?.into_bytes());
        let name = format!("{}.intoto.jsonl", opts.name);
        pending.push(Pending {
            path: out.join(&name),
            name,
            kind: OutputKind::Provenance,
            bytes: bundle,
            covers: all_names.clone(),
        });
        sigstore_signer = Some(p.signer.describe());
    }

    // 4. Write: every output into a staging folder inside the output
    // folder, then renamed into place, the manifest last. A run that fails
    // while writing (a name the file system refuses, a directory in the
    // way, a full disk) leaves the folder as it was; one killed leaves a
    // hidden staging folder that the next run removes.
    let mut staging = crate::atomic::Staging::new(&out)?;
    let mut outputs = Vec::new();
    for p in pending {
        staging.add(&p.path, &p.bytes)?;
        outputs.push(Output {
            sha256: sha256_hex(&p.bytes),
            size: p.bytes.len() as u64,
            path: p.path,
            name: p.name,
            kind: p.kind,
            covers: p.covers,
        });
    }
    let report = Report {
        name: opts.name.clone(),
        info: opts.info.clone(),
        artifacts: summaries,
        outputs,
        pgp_signer,
        pgp_user_id,
        sigstore_signer,
        warnings,
        manifest: Vec::new(),
    };
    let manifest = manifest_json(&opts, &report);
    let path = out.join(MANIFEST_NAME);
    staging.add(&path, &manifest)?;
    staging.commit()?;
    let mut report = report;
    report.outputs.push(Output {
        sha256: sha256_hex(&manifest),
        size: manifest.len() as u64,
        path,
        name: MANIFEST_NAME.into(),
        kind: OutputKind::Manifest,
        covers: Vec::new(),
    });
    report.manifest = manifest;
    Ok(report)
}

/// The release candidate a version or tag names: `1.4.0-rc2` or
/// `v1.4.0-RC2` → `rc2`; none for a final version.
pub fn candidate_of(version: Option<&str>, tag: Option<&str>) -> Option<String> {
    [version, tag].into_iter().flatten().find_map(|v| {
        let lower = v.to_ascii_lowercase();
        let i = lower.rfind("rc")?;
        let digits = &lower[i + 2..];
        let before = lower[..i].chars().last();
        (!digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && matches!(before, Some('-' | '.' | '_')))
        .then(|| format!("rc{digits}"))
    })
}

/// The in-toto subject of an artifact: SHA-256, and SHA-512 when computed.
fn subject(s: &ArtifactSummary) -> Result<Subject, ReleaseError> {
    Ok(Subject {
        name: s.name.clone(),
        sha256: *s
            .digests
            .get(Algorithm::Sha256)
            .ok_or_else(|| missing(&s.name, Algorithm::Sha256))?,
        sha512: s.digests.get(Algorithm::Sha512).copied(),
    })
}

/// `SHA256SUMS`, `SHA512SUMS`, `MD5SUMS`, …
pub fn list_name(a: Algorithm) -> String {
    format!("{}SUMS", a.name().to_ascii_uppercase().replace('-', ""))
}

fn missing(name: &str, algorithm: Algorithm) -> ReleaseError {
    ReleaseError::Checksums(ChecksumsError::MissingDigest {
        name: name.to_string(),
        algorithm,
    })
}

fn read_error(path: &Path, e: &HashError) -> String {
    let s = e.to_string();
    if s.contains(&path.display().to_string()) {
        s
    } else {
        format!("{}: {s}", path.display())
    }
}

fn rel_name(path: &Path, out: &Path) -> String {
    path.strip_prefix(out)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The manifest: the release (name, version, series, tag, candidate,
/// source commit), who signed, what the mails need, its artifacts with
/// their digests, every output with its SHA-256 and what it covers; keys
/// sorted, no time unless `epoch`.
fn manifest_json(opts: &Options, report: &Report) -> Vec<u8> {
    let artifacts: Vec<serde_json::Value> = report
        .artifacts
        .iter()
        .map(|a| {
            let digests: BTreeMap<String, String> = a
                .digests
                .iter()
                .filter(|d| !d.algorithm().is_weak())
                .map(|d| (d.algorithm().name().to_string(), d.to_hex()))
                .collect();
            json!({"name": a.name, "size": a.size, "digests": digests})
        })
        .collect();
    let outputs: Vec<serde_json::Value> = report
        .outputs
        .iter()
        .map(|o| {
            let mut v = json!({"name": o.name, "kind": o.kind.as_str(), "size": o.size, "sha256": o.sha256});
            if !o.covers.is_empty() {
                v["covers"] = json!(o.covers);
            }
            v
        })
        .collect();
    let mut release = serde_json::Map::new();
    release.insert("name".into(), json!(opts.name));
    let source = opts.provenance.as_ref().map(|p| p.build.source());
    for (k, v) in [
        ("version", opts.info.version.clone()),
        ("series", opts.info.series.clone()),
        ("tag", opts.tag.clone()),
        ("candidate", opts.candidate.clone()),
        ("repository", source.as_ref().map(|s| s.repository.clone())),
        ("commit", source.as_ref().and_then(|s| s.commit.clone())),
    ] {
        if let Some(v) = v {
            release.insert(k.into(), json!(v));
        }
    }
    let mut doc = json!({
        "manifestVersion": 1,
        "generator": format!("apostille {}", env!("CARGO_PKG_VERSION")),
        "release": release,
        "artifacts": artifacts,
        "outputs": outputs,
    });
    let mut signers = serde_json::Map::new();
    if let Some((fpr, sub)) = &report.pgp_signer {
        let mut p = json!({"fingerprint": fpr, "signingKey": sub});
        if let Some(u) = &report.pgp_user_id {
            p["userId"] = json!(u);
        }
        signers.insert("pgp".into(), p);
    }
    if let Some(s) = &report.sigstore_signer {
        signers.insert("sigstore".into(), json!(s));
    }
    if !signers.is_empty() {
        doc["signers"] = serde_json::Value::Object(signers);
    }
    let a = &opts.announce;
    let mut announce = serde_json::Map::new();
    for (k, v) in [
        ("project", &a.project),
        ("keysUrl", &a.keys_url),
        ("distUrl", &a.dist_url),
    ] {
        if let Some(v) = v {
            announce.insert(k.into(), json!(v));
        }
    }
    if !announce.is_empty() {
        doc["announce"] = serde_json::Value::Object(announce);
    }
    if let Some(e) = opts.epoch
        && let Ok(t) = jiff::Timestamp::from_second(e)
    {
        doc["created"] = json!(t.to_string());
    }
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_skips_outputs_hidden_files_and_symlinked_folders() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let d = tmp.path();
        for f in [
            "a-1.0.tar.gz",
            "a-1.0.tar.gz.sha512",
            "a-1.0.tar.gz.asc",
            "SHA256SUMS",
            "a-1.0.spdx.json",
            "a-1.0.intoto.jsonl",
            "KEYS",
            MANIFEST_NAME,
            ".hidden",
            "THIRD_PARTY_NOTICES.md",
            "sub/b.bin",
            "out/x.bin",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, f).expect("write");
        }
        std::os::unix::fs::symlink(d, d.join("sub/loop")).expect("symlink");
        let found =
            discover(d, &["THIRD_PARTY_NOTICES.md".into(), "out".into()]).expect("discover");
        let names: Vec<&str> = found.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a-1.0.tar.gz", "sub/b.bin"]);
        let empty = tempfile::tempdir().expect("tempdir");
        std::fs::write(empty.path().join("SHA256SUMS"), "").expect("write");
        assert!(matches!(
            discover(empty.path(), &[]),
            Err(ReleaseError::Empty(_))
        ));
    }

    #[test]
    fn naming_rules() {
        let n = Naming {
            require: vec!["-incubating".into()],
            prefix: Some("apache-".into()),
            version: true,
        };
        assert!(
            n.check("apache-foo-1.2.0-incubating-src.tar.gz", Some("1.2.0"))
                .is_empty()
        );
        let p = n.check("sub/foo-1.1.tar.gz", Some("1.2.0"));
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(n.check("apache-x-incubating", None)[0].contains("none was given"));
        assert!(!Naming::default().check("new\nline", None).is_empty());
        assert_eq!(list_name(Algorithm::Sha256), "SHA256SUMS");
        assert_eq!(list_name(Algorithm::Md5), "MD5SUMS");
    }

    #[test]
    fn hostile_release_names_are_refused() {
        for ok in ["demo-1.4.0", "apache-x-incubating", "a b", "ünïcode"] {
            check_name(ok).expect(ok);
        }
        let long = "x".repeat(MAX_NAME_LEN + 1);
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "new\nline",
            "esc\x1b[31m",
            "nul\0",
            "del\x7f",
            long.as_str(),
        ] {
            let e = check_name(bad).expect_err(bad);
            assert!(e.starts_with("release name `"), "{e}");
            assert!(!e.chars().any(|c| c.is_control()), "{e:?}");
        }
        assert!(check_name(&"x".repeat(MAX_NAME_LEN)).is_ok());
        assert!(
            check_name("esc\x1b[31m")
                .expect_err("refused")
                .contains("esc\\x1b[31m")
        );
    }

    #[test]
    fn naming_errors_show_hostile_names_terminal_safe() {
        let n = Naming {
            require: vec!["-incubating".into()],
            prefix: None,
            version: false,
        };
        for p in n.check("evil\x1b]0;title\x07\r\u{202e}.tar.gz", None) {
            assert!(
                !p.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{p:?}"
            );
            assert!(
                p.starts_with("evil\\x1b]0;title\\x07\\r\\u{202e}.tar.gz: "),
                "{p:?}"
            );
        }
    }
}
