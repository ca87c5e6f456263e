//! The SBOM of an archive's contents: every regular file inside a tar
//! (plain, gzip, bzip2, xz, zstd) or zip archive with SHA-1, SHA-256,
//! SHA-512 and BLAKE3 checksums, hashed by the digest engine as the archive
//! streams by ([`apostille_digest::archive`]: decompressed once, nothing
//! extracted). The archive is one package containing those files.
//!
//! Directories, symbolic links and other entries are counted in the
//! package comment but not listed: SPDX files are regular files.
//!
//! [`build`] reads an archive by itself; [`tap()`] rides on a read someone
//! else makes (the release pipeline's one read of each artifact): its sink
//! goes into that read, and the document then also carries the archive's
//! own checksums from it ([`document`] with `archive`).

use std::path::Path;

use apostille_digest::archive::{self, ArchiveError, ArchiveSummary, EntryKind, Limits};
use apostille_digest::tap::{self, Tap};
use apostille_digest::{Algorithm, AlgorithmSet, DigestSet, Engine, HashError, HashSink, Hasher};
use spdx_rs::models::{FileInformation, SPDX};

use crate::SbomError;
use crate::artifacts::{Ids, Rel, relationship, release_package};
use crate::common::{self, DocOptions};
use apostille_digest::spdx::{BLAKE3_SPDX_LEN, Blake3Xof};

/// How the archive package is described and read.
#[derive(Clone, Debug, Default)]
pub struct ArchiveOptions {
    /// Package name; default: from the archive's file name.
    pub package_name: Option<String>,
    /// Package version; default: from the archive's file name.
    pub package_version: Option<String>,
    /// Supplier actor; default: `Organization: <name>`.
    pub supplier: Option<String>,
    /// Bounds for hostile archives.
    pub limits: Limits,
}

/// One regular file of an archive, hashed.
#[derive(Clone, Debug)]
pub struct ContentFile {
    /// Its normalised path inside the archive.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// The digests computed.
    pub digests: DigestSet,
    /// BLAKE3 as SPDX lists it (1024-bit extended output, hex), when asked.
    pub blake3: Option<String>,
}

/// What one pass over an archive found: its regular files, hashed, and
/// the count of other entries.
#[derive(Clone, Debug, Default)]
pub struct Contents {
    /// The regular files, in archive order.
    pub files: Vec<ContentFile>,
    /// Directories, links and other entries (counted, not listed).
    pub others: u64,
    /// The reader's summary.
    pub summary: ArchiveSummary,
}

/// Builds the SBOM of the archive at `path` (its files with SHA-1, SHA-256,
/// SHA-512 and BLAKE3).
pub fn build(
    engine: &Engine,
    path: &Path,
    aopts: &ArchiveOptions,
    opts: &DocOptions,
) -> Result<SPDX, SbomError> {
    let contents = read(engine, path, &aopts.limits)?;
    Ok(document(&file_name_of(path), &contents, None, aopts, opts))
}

fn file_name_of(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads the archive at `path` once, hashing every regular file with the
/// engine (SHA-1, SHA-256, SHA-512 and BLAKE3).
pub fn read(engine: &Engine, path: &Path, limits: &Limits) -> Result<Contents, SbomError> {
    let mut files = Vec::new();
    let mut others = 0u64;
    let summary = archive::for_each_entry(path, limits, |entry, reader| {
        if entry.kind != EntryKind::File {
            others += 1;
            return Ok(());
        }
        let xof = Blake3Xof::new();
        let hashed = engine
            .hash_sized_reader(
                Path::new(&entry.path),
                reader,
                Some(entry.size),
                common::engine_algorithms(),
                vec![Box::new(xof.clone())],
            )
            .map_err(|e| match e {
                HashError::Read { source, .. } => ArchiveError::from(source),
                other => ArchiveError::visitor(other.to_string()),
            })?;
        files.push(ContentFile {
            path: entry.path.clone(),
            size: hashed.size,
            digests: *hashed.digests,
            blake3: Some(xof.finish_hex(BLAKE3_SPDX_LEN)),
        });
        Ok(())
    })?;
    Ok(Contents {
        files,
        others,
        summary,
    })
}

/// The contents of an archive being read by someone else: the engine's
/// read of the archive feeds [`tap()`]'s sink, and this collects the result.
pub struct ContentsTap {
    tap: Tap<Result<Contents, ArchiveError>>,
}

impl ContentsTap {
    /// Waits for the archive's entries to be read to the end (call it
    /// after the read feeding the sink) and returns them.
    pub fn finish(self) -> Result<Contents, SbomError> {
        Ok(self.tap.finish()??)
    }
}

/// A sink that reads the tar archive `name` (plain or compressed) from the
/// bytes it is fed, on threads of its own (the decompressor, and the entry
/// hasher), hashing every regular file with `algorithms` (BLAKE3 as SPDX's
/// extended output). Add the sink to the archive's job in the run's
/// [`ReadPlan`](apostille_digest::ReadPlan); after the plan has run,
/// [`ContentsTap::finish`] gives the contents. A zip archive is refused
/// (its directory is at its end).
pub fn tap(
    name: &Path,
    algorithms: AlgorithmSet,
    limits: Limits,
) -> Result<(Box<dyn HashSink>, ContentsTap), SbomError> {
    let name = name.to_path_buf();
    let (sink, tap) = tap::spawn("apostille-contents", move |stream| {
        read_stream(&name, stream, algorithms, &limits)
    })?;
    Ok((sink, ContentsTap { tap }))
}

fn read_stream(
    name: &Path,
    stream: tap::TapReader,
    algorithms: AlgorithmSet,
    limits: &Limits,
) -> Result<Contents, ArchiveError> {
    let mut files = Vec::new();
    let mut others = 0u64;
    // One buffer for every entry: a source tarball holds tens of
    // thousands of small files.
    let mut buf = vec![0u8; 256 << 10];
    let summary = archive::for_each_entry_in_stream(name, stream, limits, |entry, reader| {
        if entry.kind != EntryKind::File {
            others += 1;
            return Ok(());
        }
        let mut hashers: Vec<Hasher> = algorithms
            .iter()
            .filter(|a| *a != Algorithm::Blake3)
            .map(Hasher::new)
            .collect();
        let mut xof = algorithms.contains(Algorithm::Blake3).then(Blake3Xof::new);
        let mut size = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            size += n as u64;
            for h in &mut hashers {
                h.update(&buf[..n]);
            }
            if let Some(x) = &mut xof {
                x.update(&buf[..n]);
            }
        }
        let mut digests = DigestSet::default();
        for h in hashers {
            if let Some(d) = h.finalize() {
                digests.insert(d);
            }
        }
        files.push(ContentFile {
            path: entry.path.clone(),
            size,
            digests,
            blake3: xof.map(|x| x.finish_hex(BLAKE3_SPDX_LEN)),
        });
        Ok(())
    })?;
    Ok(Contents {
        files,
        others,
        summary,
    })
}

/// The SBOM of an archive called `file_name` from its [`Contents`]; with
/// `archive`, the archive package also carries the archive's own checksums
/// (from the read that fed the contents).
pub fn document(
    file_name: &str,
    contents: &Contents,
    archive: Option<&DigestSet>,
    aopts: &ArchiveOptions,
    opts: &DocOptions,
) -> SPDX {
    let (guess_name, guess_version) = common::name_version(file_name);
    let name = aopts.package_name.clone().unwrap_or(guess_name);
    let version = aopts.package_version.clone().or(guess_version);
    let mut ids = Ids::default();
    let pkg_id = ids.make("Package", &name);
    let summary = &contents.summary;
    let others = contents.others;
    let files: Vec<FileInformation> = contents
        .files
        .iter()
        .map(|f| FileInformation {
            file_spdx_identifier: ids.make("File", &f.path),
            file_name: format!("./{}", f.path),
            file_checksum: common::checksums(&f.digests, f.blake3.clone()),
            ..FileInformation::default()
        })
        .collect();
    let format = summary.format.map_or("archive", |f| f.name());
    let doc_name = opts
        .name
        .clone()
        .unwrap_or_else(|| format!("{file_name} contents"));
    let mut doc = common::new_document(
        &doc_name,
        opts,
        Some(format!(
            "Contents of {file_name} ({format}), read in one streaming pass without extraction."
        )),
    );
    let mut pkg = release_package(&pkg_id, &name, version, aopts.supplier.clone());
    pkg.package_file_name = Some(file_name.to_string());
    if let Some(d) = archive {
        // The archive's own checksums, from the read that fed the contents.
        pkg.package_checksum = common::checksums(d, None);
    }
    pkg.package_comment = Some(format!(
        "{format} archive: {} entries, {} regular files listed ({} bytes), {others} directories, links or other entries not listed.",
        summary.entries, summary.files, summary.file_bytes
    ));
    let sha1s: Vec<String> = files
        .iter()
        .filter_map(|f| {
            f.file_checksum
                .iter()
                .find(|c| c.algorithm == spdx_rs::models::Algorithm::SHA1)
                .map(|c| c.value.clone())
        })
        .collect();
    pkg.package_verification_code = Some(spdx_rs::models::PackageVerificationCode::new(
        apostille_digest::spdx::verification_code(sha1s.iter().map(String::as_str)),
        Vec::new(),
    ));
    if files.is_empty() {
        // SPDX: a package whose files were analysed contains at least one.
        pkg.files_analyzed = Some(false);
        pkg.package_verification_code = None;
    }
    for f in &files {
        doc.relationships.push(relationship(
            &pkg_id,
            &f.file_spdx_identifier,
            Rel::Contains,
        ));
    }
    doc.file_information = files;
    doc.package_information.push(pkg);
    doc.relationships
        .push(relationship("SPDXRef-DOCUMENT", &pkg_id, Rel::Describes));
    common::finish(doc, opts)
}
