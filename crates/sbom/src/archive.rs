//! The SBOM of an archive's contents: every regular file inside a tar
//! (plain, gzip, bzip2, xz, zstd) or zip archive with SHA-1, SHA-256,
//! SHA-512 and BLAKE3 checksums, hashed by the digest engine as the archive
//! streams by ([`apostille_digest::archive`]: decompressed once, nothing
//! extracted). The archive is one package containing those files.
//!
//! Directories, symbolic links and other entries are counted in the
//! package comment but not listed: SPDX files are regular files. The
//! archive's own checksums are not part of this document (they would need
//! a second read of the archive; `sbom artifacts` gives them).

use std::path::Path;

use apostille_digest::archive::{self, ArchiveError, EntryKind, Limits};
use apostille_digest::{Engine, HashError};
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

/// Builds the SBOM of the archive at `path`.
pub fn build(
    engine: &Engine,
    path: &Path,
    aopts: &ArchiveOptions,
    opts: &DocOptions,
) -> Result<SPDX, SbomError> {
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (guess_name, guess_version) = common::name_version(&file_name);
    let name = aopts.package_name.clone().unwrap_or(guess_name);
    let version = aopts.package_version.clone().or(guess_version);
    let mut ids = Ids::default();
    let pkg_id = ids.make("Package", &name);
    let mut files = Vec::new();
    let mut others = 0u64;
    let summary = archive::for_each_entry(path, &aopts.limits, |entry, reader| {
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
        files.push(FileInformation {
            file_spdx_identifier: ids.make("File", &entry.path),
            file_name: format!("./{}", entry.path),
            file_checksum: common::checksums(
                &hashed.digests,
                Some(xof.finish_hex(BLAKE3_SPDX_LEN)),
            ),
            ..FileInformation::default()
        });
        Ok(())
    })?;
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
    pkg.package_file_name = Some(file_name.clone());
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
    Ok(common::finish(doc, opts))
}
