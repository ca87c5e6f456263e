//! The package graph of a Cargo workspace, read from `cargo metadata`
//! (format version 1), and the set of third-party packages a build of the
//! workspace pulls in.
//!
//! `cargo metadata` is run as a command and its JSON read with serde:
//! the `cargo_metadata` crate would pin a newer toolchain than the
//! workspace's `rust-version` for the handful of fields needed here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::error::NoticesError;

/// What to ask `cargo metadata` for and which edges of the graph to follow.
#[derive(Clone, Debug, Default)]
pub struct GraphOptions {
    /// The workspace's `Cargo.toml` (default: cargo's search from the
    /// current folder).
    pub manifest_path: Option<PathBuf>,
    /// Only dependencies that apply to this target triple (default: all
    /// targets).
    pub target: Option<String>,
    /// Follow the workspace members' dev-dependencies too.
    pub include_dev: bool,
    /// Features to enable on the workspace members.
    pub features: Vec<String>,
    /// `--all-features`.
    pub all_features: bool,
    /// `--no-default-features`.
    pub no_default_features: bool,
    /// `--offline`: fail instead of downloading.
    pub offline: bool,
    /// `--locked`: fail instead of changing `Cargo.lock`.
    pub locked: bool,
    /// The `cargo` program (default: `$CARGO`, else `cargo`).
    pub cargo: Option<PathBuf>,
}

/// One package of the resolved graph.
#[derive(Clone, Debug)]
pub struct Package {
    /// Cargo's package id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// The manifest's `license` field, as written.
    pub license: Option<String>,
    /// The manifest's `license-file` field, relative to [`Package::root`].
    pub license_file: Option<PathBuf>,
    /// The folder holding the package's `Cargo.toml` (its unpacked source).
    pub root: PathBuf,
    /// Where it comes from (`registry+https://…`, `git+…`; `None` for a path).
    pub source: Option<String>,
    /// The manifest's `repository` field.
    pub repository: Option<String>,
}

/// The third-party packages of a workspace.
#[derive(Clone, Debug)]
pub struct Graph {
    /// The workspace root folder.
    pub workspace_root: PathBuf,
    /// Names of the workspace members, sorted.
    pub members: Vec<String>,
    /// Third-party packages reachable from the members along the edges
    /// asked for, sorted by name, version, id.
    pub packages: Vec<Package>,
}

#[derive(Deserialize)]
struct RawMetadata {
    packages: Vec<RawPackage>,
    workspace_members: Vec<String>,
    resolve: Option<RawResolve>,
    workspace_root: PathBuf,
}

#[derive(Deserialize)]
struct RawPackage {
    id: String,
    name: String,
    version: String,
    license: Option<String>,
    license_file: Option<PathBuf>,
    manifest_path: PathBuf,
    source: Option<String>,
    repository: Option<String>,
    #[serde(default)]
    dependencies: Vec<RawManifestDep>,
    #[serde(default)]
    features: BTreeMap<String, Vec<String>>,
}

/// A dependency as the manifest declares it.
#[derive(Deserialize)]
struct RawManifestDep {
    name: String,
    rename: Option<String>,
    #[serde(default)]
    optional: bool,
}

#[derive(Deserialize)]
struct RawResolve {
    nodes: Vec<RawNode>,
}

#[derive(Deserialize)]
struct RawNode {
    id: String,
    #[serde(default)]
    deps: Vec<RawDep>,
    #[serde(default)]
    features: Vec<String>,
}

#[derive(Deserialize)]
struct RawDep {
    pkg: String,
    #[serde(default)]
    dep_kinds: Vec<RawDepKind>,
}

#[derive(Deserialize)]
struct RawDepKind {
    kind: Option<String>,
}

/// Runs `cargo metadata` and returns the third-party packages.
pub fn load(opts: &GraphOptions) -> Result<Graph, NoticesError> {
    let cargo = opts
        .cargo
        .clone()
        .or_else(|| std::env::var_os("CARGO").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("cargo"));
    let mut cmd = Command::new(&cargo);
    cmd.args(["metadata", "--format-version", "1"]);
    if let Some(m) = &opts.manifest_path {
        cmd.arg("--manifest-path").arg(m);
    }
    if let Some(t) = &opts.target {
        cmd.args(["--filter-platform", t]);
    }
    if !opts.features.is_empty() {
        cmd.arg("--features").arg(opts.features.join(","));
    }
    for (on, flag) in [
        (opts.all_features, "--all-features"),
        (opts.no_default_features, "--no-default-features"),
        (opts.offline, "--offline"),
        (opts.locked, "--locked"),
    ] {
        if on {
            cmd.arg(flag);
        }
    }
    let command = format!("{cmd:?}");
    let out = cmd.output().map_err(|source| NoticesError::CargoSpawn {
        command: command.clone(),
        source,
    })?;
    if !out.status.success() {
        return Err(NoticesError::CargoFailed {
            command,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    from_json(&out.stdout, opts.include_dev)
}

/// Reads the JSON of `cargo metadata --format-version 1`.
pub fn from_json(json: &[u8], include_dev: bool) -> Result<Graph, NoticesError> {
    let raw: RawMetadata =
        serde_json::from_slice(json).map_err(|e| NoticesError::Metadata(e.to_string()))?;
    let resolve = raw.resolve.ok_or_else(|| {
        NoticesError::Metadata("no `resolve` section (was --no-deps given?)".into())
    })?;
    let members: BTreeSet<&str> = raw.workspace_members.iter().map(String::as_str).collect();
    let nodes: BTreeMap<&str, &RawNode> =
        resolve.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let by_id: BTreeMap<&str, &RawPackage> =
        raw.packages.iter().map(|p| (p.id.as_str(), p)).collect();

    // Depth-first from the members. A member's dev-dependencies count only
    // when asked; a dependency's dev-dependencies never (Cargo does not
    // build them).
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = members.iter().copied().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(node) = nodes.get(id) else { continue };
        let is_member = members.contains(id);
        for dep in &node.deps {
            let follow = dep.dep_kinds.is_empty()
                || dep.dep_kinds.iter().any(|k| match k.kind.as_deref() {
                    None | Some("build") => true,
                    Some("dev") => is_member && include_dev,
                    Some(_) => true,
                });
            if follow
                && activated(
                    by_id.get(id).copied(),
                    node,
                    by_id.get(dep.pkg.as_str()).copied(),
                )
            {
                stack.push(dep.pkg.as_str());
            }
        }
    }

    let mut packages: Vec<Package> = raw
        .packages
        .iter()
        .filter(|p| seen.contains(p.id.as_str()) && !members.contains(p.id.as_str()))
        .map(|p| {
            let root = p
                .manifest_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let license_file = p.license_file.as_ref().map(|f| {
                // Cargo reports it relative to the package root in recent
                // versions and absolute in some older ones.
                f.strip_prefix(&root)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| f.clone())
            });
            Package {
                id: p.id.clone(),
                name: p.name.clone(),
                version: p.version.clone(),
                license: p.license.clone(),
                license_file,
                root,
                source: p.source.clone(),
                repository: p.repository.clone(),
            }
        })
        .collect();
    packages.sort_by(|a, b| {
        (a.name.as_str(), version_key(&a.version), a.id.as_str()).cmp(&(
            b.name.as_str(),
            version_key(&b.version),
            b.id.as_str(),
        ))
    });
    let mut member_names: Vec<String> = raw
        .packages
        .iter()
        .filter(|p| members.contains(p.id.as_str()))
        .map(|p| p.name.clone())
        .collect();
    member_names.sort();
    Ok(Graph {
        workspace_root: raw.workspace_root,
        members: member_names,
        packages,
    })
}

/// Whether the edge from `parent` to `child` is really activated. `cargo
/// metadata` lists an optional dependency named only in a weak feature
/// (`toml_writer?/std`) as a dependency although no build compiles it
/// (cargo issue 10801); such an edge counts only when one of the parent's
/// enabled features enables the dependency itself.
fn activated(parent: Option<&RawPackage>, node: &RawNode, child: Option<&RawPackage>) -> bool {
    let (Some(parent), Some(child)) = (parent, child) else {
        return true;
    };
    let decls: Vec<&RawManifestDep> = parent
        .dependencies
        .iter()
        .filter(|d| d.name == child.name)
        .collect();
    if decls.is_empty() || decls.iter().any(|d| !d.optional) {
        return true;
    }
    decls.iter().any(|d| {
        let key = d.rename.as_deref().unwrap_or(&d.name);
        node.features.iter().any(|f| {
            f == key
                || parent.features.get(f).is_some_and(|list| {
                    list.iter().any(|item| {
                        item.strip_prefix("dep:") == Some(key)
                            || item.split_once('/').is_some_and(|(dep, _)| dep == key)
                    })
                })
        })
    })
}

/// Orders `1.10.0` after `1.9.0`: numeric parts compare as numbers.
fn version_key(v: &str) -> Vec<(u64, String)> {
    v.split(['.', '-', '+'])
        .map(|part| match part.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, part.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{
      "packages": [
        {"id": "app 0.1.0 (path+file:///w/app)", "name": "app", "version": "0.1.0", "license": "MIT",
         "license_file": null, "manifest_path": "/w/app/Cargo.toml", "source": null, "repository": null},
        {"id": "a 1.0.0", "name": "a", "version": "1.0.0", "license": "MIT OR Apache-2.0",
         "license_file": null, "manifest_path": "/r/a-1.0.0/Cargo.toml", "source": "registry+x", "repository": null},
        {"id": "t 1.0.0", "name": "t", "version": "1.0.0", "license": "MIT",
         "license_file": null, "manifest_path": "/r/t-1.0.0/Cargo.toml", "source": "registry+x", "repository": null},
        {"id": "td 1.0.0", "name": "td", "version": "1.0.0", "license": null,
         "license_file": "/r/td-1.0.0/COPYING", "manifest_path": "/r/td-1.0.0/Cargo.toml", "source": "registry+x", "repository": null}
      ],
      "workspace_members": ["app 0.1.0 (path+file:///w/app)"],
      "workspace_root": "/w",
      "resolve": {"nodes": [
        {"id": "app 0.1.0 (path+file:///w/app)", "deps": [
          {"pkg": "a 1.0.0", "dep_kinds": [{"kind": null, "target": null}]},
          {"pkg": "t 1.0.0", "dep_kinds": [{"kind": "dev", "target": null}]}]},
        {"id": "a 1.0.0", "deps": []},
        {"id": "t 1.0.0", "deps": [{"pkg": "td 1.0.0", "dep_kinds": [{"kind": null, "target": null}]}]},
        {"id": "td 1.0.0", "deps": []}
      ]}
    }"#;

    #[test]
    fn dev_dependencies_only_when_asked() {
        let g = from_json(JSON.as_bytes(), false).unwrap();
        let names: Vec<&str> = g.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a"]);
        assert_eq!(g.members, ["app"]);
        let g = from_json(JSON.as_bytes(), true).unwrap();
        let names: Vec<&str> = g.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "t", "td"]);
        assert_eq!(
            g.packages[2].license_file.as_deref(),
            Some(Path::new("COPYING"))
        );
    }

    #[test]
    fn weak_features_do_not_activate_optional_dependencies() {
        let json = r#"{
          "packages": [
            {"id": "app", "name": "app", "version": "0.1.0", "license": "MIT", "license_file": null,
             "manifest_path": "/w/Cargo.toml", "source": null, "repository": null,
             "dependencies": [{"name": "toml", "rename": null, "optional": false}], "features": {}},
            {"id": "toml", "name": "toml", "version": "1.0.0", "license": "MIT", "license_file": null,
             "manifest_path": "/r/toml/Cargo.toml", "source": "registry+x", "repository": null,
             "dependencies": [{"name": "toml_writer", "rename": null, "optional": true},
                              {"name": "toml_parser", "rename": null, "optional": true}],
             "features": {"std": ["toml_writer?/std", "toml_parser?/std"], "parse": ["dep:toml_parser"],
                          "display": ["dep:toml_writer"]}},
            {"id": "w", "name": "toml_writer", "version": "1.0.0", "license": "MIT", "license_file": null,
             "manifest_path": "/r/w/Cargo.toml", "source": "registry+x", "repository": null},
            {"id": "p", "name": "toml_parser", "version": "1.0.0", "license": "MIT", "license_file": null,
             "manifest_path": "/r/p/Cargo.toml", "source": "registry+x", "repository": null}
          ],
          "workspace_members": ["app"], "workspace_root": "/w",
          "resolve": {"nodes": [
            {"id": "app", "deps": [{"pkg": "toml", "dep_kinds": [{"kind": null}]}], "features": []},
            {"id": "toml", "deps": [{"pkg": "w", "dep_kinds": [{"kind": null}]}, {"pkg": "p", "dep_kinds": [{"kind": null}]}],
             "features": ["parse", "std"]},
            {"id": "w", "deps": []}, {"id": "p", "deps": []}
          ]}
        }"#;
        let g = from_json(json.as_bytes(), false).unwrap();
        let names: Vec<&str> = g.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["toml", "toml_parser"]);
    }

    #[test]
    fn versions_sort_numerically() {
        assert!(version_key("1.10.0") > version_key("1.9.0"));
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        assert!(from_json(b"{", false).is_err());
        assert!(
            from_json(
                br#"{"packages":[],"workspace_members":[],"workspace_root":"/"}"#,
                false
            )
            .is_err()
        );
    }
}
