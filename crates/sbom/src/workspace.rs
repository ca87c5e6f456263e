//! The SBOM of a Cargo workspace: every package of the resolved graph
//! (workspace members and third-party crates) from `cargo metadata`, with
//! the SHA-256 that `Cargo.lock` records, and the dependency relationships
//! by kind.
//!
//! Choices (written down in `docs/sbom.md` too):
//! * supplier: `Organization: crates.io` for crates from crates.io (the
//!   registry distributes them); otherwise the first author, otherwise the
//!   owner in the `repository` URL; a workspace member with neither gets
//!   the workspace's supplier (from another member); `NOASSERTION` only
//!   when none is known.
//! * originator: the first author, when the crate lists one.
//! * license: Cargo's `license` normalised to a valid SPDX expression
//!   (`MIT/Apache-2.0` → `MIT OR Apache-2.0`); a crate with only
//!   `license-file`, or an expression that is not valid SPDX, gets
//!   `NOASSERTION` and the reason in `licenseComments`.
//! * download location: the crates.io download URL; `git+URL@rev` for git
//!   sources; the `repository` URL for path packages; else `NOASSERTION`.
//! * relationships: `A DEPENDS_ON B` for normal dependencies,
//!   `B BUILD_DEPENDENCY_OF A` and `B DEV_DEPENDENCY_OF A` by kind; a
//!   platform-specific dependency carries its `cfg` as the comment. The
//!   document describes the workspace members.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use spdx_rs::models::{
    Checksum, ExternalPackageReference, ExternalPackageReferenceCategory, PackageInformation, SPDX,
};

use crate::SbomError;
use crate::artifacts::{Ids, Rel, noassertion, relationship};
use crate::common::{self, DocOptions};

/// Which workspace and which platform.
#[derive(Clone, Debug, Default)]
pub struct WorkspaceOptions {
    /// `Cargo.toml` of the workspace; default: cargo's search from the
    /// current directory.
    pub manifest_path: Option<PathBuf>,
    /// Only dependencies for this target triple (`--filter-platform`);
    /// default: every platform.
    pub target: Option<String>,
    /// The cargo to run; default: `$CARGO`, else `cargo`.
    pub cargo: Option<PathBuf>,
}

/// The parts of `cargo metadata --format-version 1` used here.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Metadata {
    /// Every package of the resolved graph.
    pub packages: Vec<MetaPackage>,
    /// Package IDs of the workspace members.
    pub workspace_members: Vec<String>,
    /// The resolved graph.
    pub resolve: Option<Resolve>,
    /// The workspace root directory.
    pub workspace_root: PathBuf,
}

/// One package as `cargo metadata` shows it.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct MetaPackage {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Cargo's package ID.
    pub id: String,
    /// The `license` field.
    #[serde(default)]
    pub license: Option<String>,
    /// The `license-file` field.
    #[serde(default)]
    pub license_file: Option<String>,
    /// Authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Where it comes from (`None` for path packages).
    #[serde(default)]
    pub source: Option<String>,
    /// The `repository` field.
    #[serde(default)]
    pub repository: Option<String>,
    /// The `homepage` field.
    #[serde(default)]
    pub homepage: Option<String>,
}

/// The resolved dependency graph.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Resolve {
    /// One node per package.
    pub nodes: Vec<Node>,
}

/// A package and its resolved dependencies.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Node {
    /// The package ID.
    pub id: String,
    /// Its dependencies.
    #[serde(default)]
    pub deps: Vec<NodeDep>,
}

/// One resolved dependency edge.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct NodeDep {
    /// The dependency's package ID.
    pub pkg: String,
    /// How it is depended on.
    #[serde(default)]
    pub dep_kinds: Vec<DepKind>,
}

/// Kind and platform of a dependency edge.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct DepKind {
    /// `None` for normal, `build` or `dev`.
    pub kind: Option<String>,
    /// The `cfg(...)` or triple it is limited to.
    pub target: Option<String>,
}

/// Runs `cargo metadata` (offline first, so a warm registry cache is
/// enough; online when that fails).
pub fn metadata(opts: &WorkspaceOptions) -> Result<Metadata, SbomError> {
    let manifest = opts
        .manifest_path
        .clone()
        .unwrap_or_else(|| PathBuf::from("Cargo.toml"));
    let cargo = opts
        .cargo
        .clone()
        .or_else(|| std::env::var_os("CARGO").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("cargo"));
    let fail = |message: String| SbomError::CargoMetadata {
        manifest: manifest.clone(),
        message,
    };
    let run = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.args(["metadata", "--format-version", "1", "--quiet"]);
        if offline {
            cmd.arg("--offline");
        }
        if let Some(m) = &opts.manifest_path {
            cmd.arg("--manifest-path").arg(m);
        }
        if let Some(t) = &opts.target {
            cmd.args(["--filter-platform", t]);
        }
        cmd.output()
    };
    let mut out = run(true).map_err(|e| fail(format!("cannot run {}: {e}", cargo.display())))?;
    if !out.status.success() {
        out = run(false).map_err(|e| fail(format!("cannot run {}: {e}", cargo.display())))?;
    }
    if !out.status.success() {
        return Err(fail(String::from_utf8_lossy(&out.stderr).trim().to_owned()));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| fail(format!("unexpected output: {e}")))
}

/// The SHA-256 checksums `Cargo.lock` records, by (name, version, source).
pub fn lock_checksums(lock: &str) -> BTreeMap<(String, String, String), String> {
    let mut out = BTreeMap::new();
    let mut cur: BTreeMap<&str, String> = BTreeMap::new();
    let mut flush = |cur: &mut BTreeMap<&str, String>| {
        if let (Some(n), Some(v), Some(s), Some(c)) = (
            cur.get("name"),
            cur.get("version"),
            cur.get("source"),
            cur.get("checksum"),
        ) {
            out.insert((n.clone(), v.clone(), s.clone()), c.clone());
        }
        cur.clear();
    };
    for line in lock.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            flush(&mut cur);
            continue;
        }
        if let Some((k, v)) = line.split_once(" = ") {
            let k = k.trim();
            if matches!(k, "name" | "version" | "source" | "checksum") {
                cur.insert(k, v.trim().trim_matches('"').to_owned());
            }
        }
    }
    flush(&mut cur);
    out
}

const CRATES_IO: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

/// A Cargo `license` value as an SPDX expression, or why not.
pub fn normalise_license(license: &str) -> Result<String, String> {
    let canonical = match spdx::Expression::canonicalize(license) {
        Ok(Some(c)) => c,
        Ok(None) => license.trim().to_owned(),
        Err(e) => {
            return Err(format!(
                "`{license}` is not an SPDX expression: {}",
                e.reason
            ));
        }
    };
    spdx::Expression::parse(&canonical)
        .map_err(|e| format!("`{license}` is not a valid SPDX expression: {}", e.reason))?;
    spdx_expression::SpdxExpression::parse(&canonical).map_err(|e| format!("`{license}`: {e}"))?;
    Ok(canonical)
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

/// `git+https://host/repo?branch=x#rev` → `git+https://host/repo@rev`.
fn git_location(source: &str) -> Option<String> {
    let rest = source.strip_prefix("git+")?;
    let (url, rev) = rest.split_once('#')?;
    let url = url.split('?').next().unwrap_or(url);
    is_url(url).then(|| format!("git+{url}@{rev}"))
}

fn repo_owner(repo: &str) -> Option<String> {
    let path = repo.split("://").nth(1)?;
    let owner = path.split('/').nth(1)?;
    (!owner.is_empty()).then(|| format!("Organization: {owner}"))
}

/// Builds the SBOM of the workspace `meta` describes; `lock` is the text of
/// its `Cargo.lock` (checksums), `target` the platform filter it was made
/// with.
pub fn from_metadata(meta: &Metadata, lock: &str, target: Option<&str>, opts: &DocOptions) -> SPDX {
    let sums = lock_checksums(lock);
    let members: BTreeSet<&str> = meta.workspace_members.iter().map(String::as_str).collect();
    let mut packages: Vec<&MetaPackage> = meta.packages.iter().collect();
    packages.sort_by(|a, b| {
        (&a.name, semver_key(&a.version), &a.source).cmp(&(
            &b.name,
            semver_key(&b.version),
            &b.source,
        ))
    });
    let member_pkgs: Vec<&&MetaPackage> = packages
        .iter()
        .filter(|p| members.contains(p.id.as_str()))
        .collect();
    // The workspace's name: the last segment of its members' repository
    // URL, else the folder's name (which differs between checkouts).
    let root_name = member_pkgs
        .iter()
        .find_map(|p| {
            let r = p.repository.as_deref()?.trim_end_matches('/');
            let last = r.rsplit('/').next()?.trim_end_matches(".git");
            (!last.is_empty()).then(|| last.to_owned())
        })
        .unwrap_or_else(|| {
            meta.workspace_root
                .file_name()
                .map_or_else(|| "workspace".into(), |n| n.to_string_lossy().into_owned())
        });
    // Members without authors or repository are supplied by whoever
    // supplies the rest of the workspace.
    let workspace_supplier = member_pkgs.iter().find_map(|p| {
        p.authors
            .iter()
            .find_map(|a| common::person(a))
            .or_else(|| p.repository.as_deref().and_then(repo_owner))
    });
    let filter = target.map_or_else(|| "all targets".to_owned(), |t| format!("--target {t}"));
    let mut doc = common::new_document(
        &opts.name.clone().unwrap_or_else(|| root_name.clone()),
        opts,
        Some(format!(
            "Cargo workspace {root_name}: every package of the resolved dependency graph (cargo metadata, Cargo.lock). Target platform filter: {filter}."
        )),
    );
    let mut ids = Ids::default();
    let mut id_of: BTreeMap<&str, String> = BTreeMap::new();
    for p in &packages {
        let spdx_id = ids.make("Package", &format!("{}-{}", p.name, p.version));
        id_of.insert(p.id.as_str(), spdx_id.clone());
        let mut pkg = package(p, spdx_id, &sums);
        if members.contains(p.id.as_str())
            && pkg.package_supplier.as_deref() == Some("NOASSERTION")
            && let Some(s) = &workspace_supplier
        {
            pkg.package_supplier = Some(s.clone());
        }
        doc.package_information.push(pkg);
        if members.contains(p.id.as_str()) {
            doc.relationships.push(relationship(
                "SPDXRef-DOCUMENT",
                &id_of[p.id.as_str()],
                Rel::Describes,
            ));
        }
    }
    for node in meta.resolve.iter().flat_map(|r| &r.nodes) {
        let Some(from) = id_of.get(node.id.as_str()) else {
            continue;
        };
        for dep in &node.deps {
            let Some(to) = id_of.get(dep.pkg.as_str()) else {
                continue;
            };
            for kind in &dep.dep_kinds {
                let mut r = match kind.kind.as_deref() {
                    Some("build") => relationship(to, from, Rel::BuildDependencyOf),
                    Some("dev") => relationship(to, from, Rel::DevDependencyOf),
                    _ => relationship(from, to, Rel::DependsOn),
                };
                r.comment = kind.target.as_ref().map(|t| format!("target: {t}"));
                doc.relationships.push(r);
            }
        }
    }
    common::finish(doc, opts)
}

/// Orders versions numerically where they are numbers.
fn semver_key(v: &str) -> Vec<(u64, String)> {
    v.split(['.', '-', '+'])
        .map(|p| (p.parse().unwrap_or(u64::MAX), p.to_owned()))
        .collect()
}

fn package(
    p: &MetaPackage,
    id: String,
    sums: &BTreeMap<(String, String, String), String>,
) -> PackageInformation {
    let mut pkg = PackageInformation {
        package_name: p.name.clone(),
        package_spdx_identifier: id,
        package_version: Some(p.version.clone()),
        files_analyzed: Some(false),
        ..PackageInformation::default()
    };
    let from_crates_io = p.source.as_deref().is_some_and(|s| CRATES_IO.contains(&s));
    let first_author = p.authors.iter().find_map(|a| common::person(a));
    pkg.package_supplier = Some(if from_crates_io {
        "Organization: crates.io".into()
    } else {
        first_author
            .clone()
            .or_else(|| p.repository.as_deref().and_then(repo_owner))
            .unwrap_or_else(|| "NOASSERTION".into())
    });
    pkg.package_originator = first_author;
    pkg.package_download_location = if from_crates_io {
        format!(
            "https://crates.io/api/v1/crates/{}/{}/download",
            p.name, p.version
        )
    } else if let Some(git) = p.source.as_deref().and_then(git_location) {
        git
    } else if p.source.is_none() {
        p.repository
            .clone()
            .filter(|r| is_url(r))
            .unwrap_or_else(|| "NOASSERTION".into())
    } else {
        "NOASSERTION".into()
    };
    if from_crates_io {
        pkg.package_file_name = Some(format!("{}-{}.crate", p.name, p.version));
    }
    if let Some(h) = p.homepage.as_ref().filter(|h| is_url(h)) {
        pkg.package_home_page = Some(h.clone());
    }
    if let Some(source) = &p.source
        && let Some(sum) = sums.get(&(p.name.clone(), p.version.clone(), source.clone()))
    {
        pkg.package_checksum = vec![Checksum::new(spdx_rs::models::Algorithm::SHA256, sum)];
    }
    match p.license.as_deref().map(normalise_license) {
        Some(Ok(expr)) => {
            pkg.declared_license = spdx_expression::SpdxExpression::parse(&expr).ok();
        }
        Some(Err(why)) => {
            pkg.declared_license = noassertion();
            pkg.comments_on_license = Some(why);
        }
        None => {
            pkg.declared_license = noassertion();
            pkg.comments_on_license = Some(match &p.license_file {
                Some(f) => format!(
                    "license given only as a file ({})",
                    Path::new(f)
                        .file_name()
                        .map_or_else(|| f.clone(), |n| n.to_string_lossy().into_owned())
                ),
                None => "no license declared".into(),
            });
        }
    }
    pkg.concluded_license = noassertion();
    pkg.copyright_text = Some("NOASSERTION".into());
    pkg.external_reference = vec![ExternalPackageReference {
        reference_category: ExternalPackageReferenceCategory::PackageManager,
        reference_type: "purl".into(),
        reference_locator: format!("pkg:cargo/{}@{}", p.name, p.version),
        reference_comment: None,
    }];
    pkg
}

/// Runs `cargo metadata`, reads `Cargo.lock` beside the workspace root and
/// builds the SBOM.
pub fn build(wopts: &WorkspaceOptions, opts: &DocOptions) -> Result<SPDX, SbomError> {
    let meta = metadata(wopts)?;
    let lock_path = meta.workspace_root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|source| SbomError::Io {
        path: lock_path,
        source,
    })?;
    Ok(from_metadata(&meta, &lock, wopts.target.as_deref(), opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_license_spellings_are_normalised() {
        assert_eq!(
            normalise_license("MIT/Apache-2.0").as_deref(),
            Ok("MIT OR Apache-2.0")
        );
        assert_eq!(
            normalise_license("Apache-2.0 OR MIT").as_deref(),
            Ok("Apache-2.0 OR MIT")
        );
        assert!(normalise_license("Some custom license").is_err());
    }

    #[test]
    fn lock_checksums_are_read() {
        let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"abc\"\n\n[[package]]\nname = \"local\"\nversion = \"0.1.0\"\n";
        let sums = lock_checksums(lock);
        assert_eq!(sums.len(), 1);
        assert_eq!(
            sums.get(&("a".into(), "1.0.0".into(), CRATES_IO[0].into()))
                .map(String::as_str),
            Some("abc")
        );
    }

    #[test]
    fn git_sources_become_download_locations() {
        assert_eq!(
            git_location("git+https://github.com/o/r?branch=main#0123abc").as_deref(),
            Some("git+https://github.com/o/r@0123abc")
        );
        assert_eq!(
            repo_owner("https://github.com/o/r").as_deref(),
            Some("Organization: o")
        );
    }
}
