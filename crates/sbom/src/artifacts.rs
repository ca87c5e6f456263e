//! The SBOM of a set of release artifacts: one SPDX file per artifact with
//! SHA-1, SHA-256, SHA-512 and BLAKE3 checksums from the digest engine's
//! single pass, all contained in one package (the release) whose
//! `packageVerificationCode` covers them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use apostille_digest::{Engine, ReadKey, ReadPlan};
use spdx_rs::models::{FileInformation, SPDX};

use crate::SbomError;
use crate::common::{self, DocOptions};
use apostille_digest::spdx::{BLAKE3_SPDX_LEN, Blake3Xof, artifact_name};

/// How the release package is described.
#[derive(Clone, Debug, Default)]
pub struct ArtifactOptions {
    /// Package name; default: from the first artifact's name
    /// (`curl-7.88.1.tar.gz` → `curl`), else `release`.
    pub package_name: Option<String>,
    /// Package version; default: from the first artifact's name
    /// (`7.88.1`), else none (an NTIA gap `verify sbom` reports).
    pub package_version: Option<String>,
    /// Supplier actor (`Organization: …`); default: `Organization: <name>`
    /// (the project publishing the release supplies it).
    pub supplier: Option<String>,
}

/// One artifact: where to read it and the name the SBOM gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// Where it is read from.
    pub path: PathBuf,
    /// Its name in the SBOM (`./` is prepended): relative, `/`-separated.
    pub name: String,
}

impl Artifact {
    /// An artifact named by its path as given ([`artifact_name`]).
    pub fn new(path: PathBuf) -> Artifact {
        let name = artifact_name(&path);
        Artifact { path, name }
    }

    /// An artifact found under `root`, named relative to it.
    pub fn under(root: &Path, path: PathBuf) -> Artifact {
        let name = path
            .strip_prefix(root)
            .map_or_else(|_| artifact_name(&path), artifact_name);
        Artifact { path, name }
    }
}

/// Unique SPDX IDs from names, deterministic in call order.
#[derive(Default)]
pub(crate) struct Ids(BTreeSet<String>);

impl Ids {
    pub(crate) fn make(&mut self, prefix: &str, name: &str) -> String {
        let base = format!("SPDXRef-{prefix}-{}", common::id_part(name));
        let mut id = base.clone();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

/// What one artifact's read must compute for the SBOM: add
/// [`SbomHashing::algorithms`] and [`SbomHashing::sink`] to the engine job
/// that also makes the other outputs of the run, then pass the digests and
/// this value to [`from_hashed`].
#[derive(Clone)]
pub struct SbomHashing {
    xof: Blake3Xof,
}

impl Default for SbomHashing {
    fn default() -> Self {
        SbomHashing::new()
    }
}

impl SbomHashing {
    /// A fresh BLAKE3 extendable-output context.
    pub fn new() -> SbomHashing {
        SbomHashing {
            xof: Blake3Xof::new(),
        }
    }

    /// The engine's digests the document lists (SHA-1, SHA-256, SHA-512).
    pub fn algorithms() -> apostille_digest::AlgorithmSet {
        common::engine_algorithms()
    }

    /// The sink computing the BLAKE3 checksum (SPDX's 256-byte output).
    pub fn sink(&self) -> Box<dyn apostille_digest::HashSink> {
        Box::new(self.xof.clone())
    }

    /// The BLAKE3 checksum as SPDX lists it (hex of the 128-byte extended
    /// output), once the read has fed [`SbomHashing::sink`].
    pub fn finish_hex(&self) -> String {
        self.xof.finish_hex(BLAKE3_SPDX_LEN)
    }
}

/// One hashed artifact: its SBOM name, the engine's digests and the BLAKE3
/// context that saw the same bytes.
pub struct HashedArtifact<'a> {
    /// Name in the SBOM (relative, `/`-separated).
    pub name: String,
    /// The digests of the read (at least [`SbomHashing::algorithms`]).
    pub digests: &'a apostille_digest::DigestSet,
    /// The BLAKE3 context fed by that read.
    pub hashing: &'a SbomHashing,
}

/// Builds the SBOM of `files`, hashing each once with `engine`.
pub fn build(
    engine: &Engine,
    files: &[Artifact],
    aopts: &ArtifactOptions,
    opts: &DocOptions,
) -> Result<SPDX, SbomError> {
    if files.is_empty() {
        return Err(SbomError::Empty);
    }
    let hashing: Vec<SbomHashing> = files.iter().map(|_| SbomHashing::new()).collect();
    let mut reads = ReadPlan::new();
    let keys: Vec<ReadKey> = files
        .iter()
        .zip(&hashing)
        .map(|(a, h)| reads.want(&a.path, SbomHashing::algorithms(), vec![h.sink()]))
        .collect();
    let results = reads.run(engine);
    let mut items: Vec<HashedArtifact<'_>> = Vec::new();
    for ((a, k), s) in files.iter().zip(&keys).zip(&hashing) {
        let h = match results.by_key(k) {
            Some(Ok(h)) => h,
            Some(Err(e)) => return Err(e.duplicate().into()),
            None => {
                return Err(SbomError::Io {
                    path: a.path.clone(),
                    source: std::io::Error::other("not read"),
                });
            }
        };
        items.push(HashedArtifact {
            name: a.name.clone(),
            digests: &h.digests,
            hashing: s,
        });
    }
    from_hashed(&items, aopts, opts)
}

/// Builds the SBOM of artifacts another pass already hashed (the release
/// pipeline's single read).
pub fn from_hashed(
    files: &[HashedArtifact<'_>],
    aopts: &ArtifactOptions,
    opts: &DocOptions,
) -> Result<SPDX, SbomError> {
    if files.is_empty() {
        return Err(SbomError::Empty);
    }
    let mut hashed = Vec::new();
    for f in files {
        let sums = common::checksums(f.digests, Some(f.hashing.xof.finish_hex(BLAKE3_SPDX_LEN)));
        hashed.push((f.name.clone(), sums));
    }
    hashed.sort_by(|a, b| a.0.cmp(&b.0));

    let first = hashed
        .first()
        .map(|h| h.0.rsplit('/').next().unwrap_or(&h.0).to_owned());
    let (guess_name, guess_version) = first
        .as_deref()
        .map(common::name_version)
        .unwrap_or_else(|| ("release".into(), None));
    let name = aopts.package_name.clone().unwrap_or(guess_name);
    let version = aopts.package_version.clone().or(guess_version);
    let (mut doc, mut ids, pkg_id) = release_start(&name, opts);
    let mut sha1s = Vec::new();
    for (fname, sums) in hashed {
        if let Some(s) = sums
            .iter()
            .find(|c| c.algorithm == spdx_rs::models::Algorithm::SHA1)
        {
            sha1s.push(s.value.clone());
        }
        let f = FileInformation {
            file_spdx_identifier: ids.make("File", &fname),
            file_name: format!("./{fname}"),
            file_checksum: sums,
            ..FileInformation::default()
        };
        doc.relationships.push(relationship(
            &pkg_id,
            &f.file_spdx_identifier,
            Rel::Contains,
        ));
        doc.file_information.push(f);
    }
    let mut pkg = release_package(&pkg_id, &name, version, aopts.supplier.clone());
    pkg.package_verification_code = Some(spdx_rs::models::PackageVerificationCode::new(
        apostille_digest::spdx::verification_code(sha1s.iter().map(String::as_str)),
        Vec::new(),
    ));
    doc.package_information.push(pkg);
    doc.relationships
        .push(relationship("SPDXRef-DOCUMENT", &pkg_id, Rel::Describes));
    Ok(common::finish(doc, opts))
}

/// One artifact of a release as [`release_document`] lists it: its name
/// and the digests the release's one read computed.
pub struct ReleaseItem<'a> {
    /// Name relative to the release folder, `/`-separated.
    pub name: String,
    /// The digests of the read; the strong ones are listed.
    pub digests: &'a apostille_digest::DigestSet,
    /// BLAKE3 as SPDX lists it (1024-bit extended output, hex), when asked.
    pub blake3: Option<String>,
}

/// The SBOM of a release: one package for the release (name, version and
/// supplier as given, never guessed from file names: a supplier not given
/// is `NOASSERTION`) containing one package per artifact, whose
/// `packageFileName` is the artifact's name and whose checksums are the
/// strong digests the release computed anyway.
///
/// Artifacts are packages, not files, because SPDX 2.3 requires a SHA-1
/// of every file but no checksum of a package: the document costs no
/// digest the release did not ask for. `sbom artifacts` ([`from_hashed`])
/// lists files with all four checksums instead.
pub fn release_document(
    items: &[ReleaseItem<'_>],
    aopts: &ArtifactOptions,
    opts: &DocOptions,
) -> Result<SPDX, SbomError> {
    if items.is_empty() {
        return Err(SbomError::Empty);
    }
    let name = aopts
        .package_name
        .clone()
        .unwrap_or_else(|| "release".to_string());
    let (mut doc, mut ids, pkg_id) = release_start(&name, opts);
    let supplier = aopts
        .supplier
        .clone()
        .unwrap_or_else(|| "NOASSERTION".to_string());
    let mut pkg = release_package(
        &pkg_id,
        &name,
        aopts.package_version.clone(),
        Some(supplier.clone()),
    );
    pkg.files_analyzed = Some(false);
    doc.package_information.push(pkg);
    doc.relationships
        .push(relationship("SPDXRef-DOCUMENT", &pkg_id, Rel::Describes));
    let mut sorted: Vec<&ReleaseItem<'_>> = items.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for item in sorted {
        let strong = strong_digests(item.digests);
        let id = ids.make("Artifact", &item.name);
        let base = item.name.rsplit('/').next().unwrap_or(&item.name);
        let mut a = release_package(
            &id,
            base,
            aopts.package_version.clone(),
            Some(supplier.clone()),
        );
        a.files_analyzed = Some(false);
        a.package_file_name = Some(item.name.clone());
        a.package_checksum = common::checksums(&strong, item.blake3.clone());
        doc.relationships
            .push(relationship(&pkg_id, &id, Rel::Contains));
        doc.package_information.push(a);
    }
    Ok(common::finish(doc, opts))
}

/// The digests of `d` that are not legacy (MD5 and SHA-1 only when a
/// format requires them).
fn strong_digests(d: &apostille_digest::DigestSet) -> apostille_digest::DigestSet {
    let mut out = apostille_digest::DigestSet::default();
    for x in d.iter().filter(|x| !x.algorithm().is_weak()) {
        out.insert(*x);
    }
    out
}

/// The document of a release's artifacts named after package `name`, its
/// ID allocator, and the package's ID.
fn release_start(name: &str, opts: &DocOptions) -> (SPDX, Ids, String) {
    let doc_name = opts
        .name
        .clone()
        .unwrap_or_else(|| format!("{name} release artifacts"));
    let doc = common::new_document(
        &doc_name,
        opts,
        Some("Release artifacts with checksums from one read of each file.".into()),
    );
    let mut ids = Ids::default();
    let pkg_id = ids.make("Package", name);
    (doc, ids, pkg_id)
}

/// A package that stands for a release or an archive: files analysed,
/// licenses not asserted.
pub(crate) fn release_package(
    id: &str,
    name: &str,
    version: Option<String>,
    supplier: Option<String>,
) -> spdx_rs::models::PackageInformation {
    spdx_rs::models::PackageInformation {
        package_name: name.to_owned(),
        package_spdx_identifier: id.to_owned(),
        package_version: version,
        package_supplier: Some(supplier.unwrap_or_else(|| format!("Organization: {name}"))),
        package_download_location: "NOASSERTION".into(),
        files_analyzed: Some(true),
        concluded_license: noassertion(),
        declared_license: noassertion(),
        copyright_text: Some("NOASSERTION".into()),
        ..spdx_rs::models::PackageInformation::default()
    }
}

pub(crate) fn noassertion() -> Option<spdx_expression::SpdxExpression> {
    spdx_expression::SpdxExpression::parse("NOASSERTION").ok()
}

/// The relationship types the builders use.
#[derive(Clone, Copy)]
pub(crate) enum Rel {
    Describes,
    Contains,
    DependsOn,
    BuildDependencyOf,
    DevDependencyOf,
}

pub(crate) fn relationship(from: &str, to: &str, rel: Rel) -> spdx_rs::models::Relationship {
    use spdx_rs::models::RelationshipType as T;
    let t = match rel {
        Rel::Describes => T::Describes,
        Rel::Contains => T::Contains,
        Rel::DependsOn => T::DependsOn,
        Rel::BuildDependencyOf => T::BuildDependencyOf,
        Rel::DevDependencyOf => T::DevDependencyOf,
    };
    spdx_rs::models::Relationship::new(from, to, t, None)
}
