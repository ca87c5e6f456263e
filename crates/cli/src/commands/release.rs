//! `apostille release DIR`: settles the options (flags over `[release]` of
//! apostille.toml over defaults), checks the OpenPGP key against KEYS,
//! runs `apostille_sign::release`, prints the summary.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use apostille_digest::Engine;
use apostille_notices::{GraphOptions, PolicySource};
use apostille_sbom::DocOptions;
use apostille_sbom::artifacts::ArtifactOptions;
use apostille_sign::release::{
    self, AnnounceSettings, Config, Naming, NoticesSettings, Options, ProvenanceSettings, Report,
    SbomSettings,
};
use apostille_sign::sigstore::{GenericBuild, ReleaseInfo};
use apostille_verify::keys::{Level, audit};
use apostille_verify::pgp::{Keyring, StandardPolicy};

use crate::Outcome;
use crate::cli::{ProvenanceSource, ReleaseArgs};
use crate::commands::sign::{KeySource, load_key};
use crate::commands::sigstore::{Signer, build_description, source_date_epoch};
use crate::output::warn;

/// The default notices file name.
const NOTICES_NAME: &str = "THIRD_PARTY_NOTICES.md";

pub fn run(engine: &Engine, args: &ReleaseArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let config = match &args.config {
        Some(p) => Config::load(p)?,
        None => {
            let p = Path::new("apostille.toml");
            if p.is_file() {
                Config::load(p)?
            } else {
                Config::default()
            }
        }
    };
    let dir = &args.dir;
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let name = match args.name.clone().or(config.name.clone()) {
        Some(n) => n,
        None => folder_name(dir)?,
    };
    if let Err(e) = apostille_sign::release::check_name(&name) {
        bail!("{e}");
    }
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let tag = args.tag.clone().or_else(|| tag_from_env(&env));
    let version = args
        .release_version
        .clone()
        .or(config.version.clone())
        .or_else(|| tag.as_deref().map(version_from_tag));
    let info_version = version.clone();
    let info = ReleaseInfo {
        version,
        series: args.series.clone().or(config.series.clone()),
    };

    let algorithms = |flag: &Option<Vec<String>>,
                      conf: &Option<Vec<String>>,
                      default: &str|
     -> anyhow::Result<Vec<apostille_digest::Algorithm>> {
        let names = flag
            .clone()
            .or_else(|| conf.clone())
            .unwrap_or_else(|| vec![default.to_string()]);
        let mut out = Vec::new();
        for n in names.iter().filter(|n| !n.trim().is_empty()) {
            let a = release::config::parse_algorithm(n.trim()).map_err(anyhow::Error::msg)?;
            if !out.contains(&a) {
                out.push(a);
            }
        }
        Ok(out)
    };
    let sidecars = algorithms(&args.sidecars, &config.checksums.sidecars, "sha512")?;
    let lists = algorithms(&args.lists, &config.checksums.lists, "sha256")?;
    let mut require = config.naming.require.clone();
    require.extend(args.require_in_name.iter().cloned());
    let naming = Naming {
        require,
        prefix: config.naming.prefix.clone(),
        version: config.naming.version,
    };

    // OpenPGP: the key, checked against KEYS before anything is read.
    let (pgp_key, pgp_agent) = match (&args.pgp_key, &args.pgp_agent) {
        (None, None) => (config.pgp.key.clone(), config.pgp.agent.clone()),
        (k, a) => (k.clone(), a.clone()),
    };
    let hash = config.pgp.hash.clone().unwrap_or_else(|| "sha512".into());
    let pgp = load_key(&KeySource {
        key: pgp_key.as_deref(),
        agent: pgp_agent.as_deref(),
        cert: args.pgp_cert.as_deref(),
        gnupg_home: args.gnupg_home.as_deref(),
        passphrase_file: args.passphrase_file.as_deref(),
        passphrase_env: args.passphrase_env.as_deref(),
        hash: &hash,
    })?;
    let keys = args.keys.clone().or(config.pgp.keys.clone());
    let mut notes = Vec::new();
    if let Some(key) = &pgp {
        match &keys {
            Some(k) => notes.push(check_in_keys(key, k)?),
            None => warn(format_args!(
                "warning: the OpenPGP key was not checked against the project's KEYS (--keys KEYS)"
            )),
        }
    }

    // Sigstore-signed provenance, when a Sigstore signer is named.
    let sigstore_key = args.sigstore_key.clone().or(config.sigstore.key.clone());
    let keyless = args.keyless.keyless || config.sigstore.keyless;
    let provenance = if sigstore_key.is_some() || keyless {
        let source = match (args.build.provenance, config.provenance.source.as_deref()) {
            (Some(s), _) => Some(s),
            (None, Some("github")) => Some(ProvenanceSource::Github),
            (None, Some("gitlab")) => Some(ProvenanceSource::Gitlab),
            (None, Some(_)) => Some(ProvenanceSource::Generic),
            (None, None) => None,
        };
        let c = &config.provenance;
        let b = &args.build;
        let generic = GenericBuild {
            builder_id: b
                .builder_id
                .clone()
                .or(c.builder_id.clone())
                .unwrap_or_default(),
            source_uri: b
                .source_uri
                .clone()
                .or(c.source_uri.clone())
                .unwrap_or_default(),
            source_ref: b.source_ref.clone().or(c.source_ref.clone()).or_else(|| {
                tag.as_ref().map(|t| {
                    if t.starts_with("refs/") {
                        t.clone()
                    } else {
                        format!("refs/tags/{t}")
                    }
                })
            }),
            source_digest: b.source_digest.clone().or(c.source_digest.clone()),
            build_type: b.build_type.clone().or(c.build_type.clone()),
        };
        let build = build_description(source, generic).context(
            "provenance: run in GitHub Actions or GitLab CI, or describe the build with --builder-id and --source-uri (or [release.provenance])",
        )?;
        let signer = Signer::from_parts(sigstore_key.as_deref(), &args.keyless)?;
        Some(ProvenanceSettings {
            signer: signer.into_inner(),
            build,
        })
    } else {
        None
    };

    let sbom = if !args.no_sbom && config.sbom.enabled {
        let c = &config.sbom;
        let names = args
            .sbom_format
            .clone()
            .or(c.formats.clone())
            .unwrap_or_else(|| vec!["spdx-json".to_string()]);
        let mut formats = Vec::new();
        for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            match apostille_sbom::Format::from_name(n) {
                Some(
                    f @ (apostille_sbom::Format::SpdxJson | apostille_sbom::Format::CycloneDxJson),
                ) => {
                    if !formats.contains(&f) {
                        formats.push(f);
                    }
                }
                _ => bail!(
                    "--sbom-format {n}: the release SBOM formats are spdx-json and cyclonedx-json"
                ),
            }
        }
        Some(SbomSettings {
            package: ArtifactOptions {
                supplier: c.supplier.clone(),
                // Given names only: the folder's name is not the package's.
                package_name: c
                    .package_name
                    .clone()
                    .or(args.name.clone())
                    .or(config.name.clone()),
                package_version: None,
            },
            doc: DocOptions::from_env(),
            formats,
            per_artifact: args.sbom_per_artifact || c.per_artifact,
            contents: args.sbom_contents || c.contents,
            blake3: args.sbom_blake3 || c.blake3,
            ..SbomSettings::default()
        })
    } else {
        None
    };
    let notices = match (&args.notices_manifest, &config.notices) {
        (Some(m), c) => Some(NoticesSettings {
            graph: GraphOptions {
                manifest_path: Some(m.clone()),
                offline: c.as_ref().is_some_and(|c| c.offline),
                ..GraphOptions::default()
            },
            policy: c
                .as_ref()
                .and_then(|c| c.policy.clone())
                .map_or(PolicySource::WorkspaceDefault, PolicySource::File),
            file_name: c
                .as_ref()
                .and_then(|c| c.output.clone())
                .unwrap_or_else(|| NOTICES_NAME.into()),
        }),
        (None, Some(c)) => Some(NoticesSettings {
            graph: GraphOptions {
                manifest_path: Some(c.manifest_path.clone()),
                offline: c.offline,
                ..GraphOptions::default()
            },
            policy: c
                .policy
                .clone()
                .map_or(PolicySource::WorkspaceDefault, PolicySource::File),
            file_name: c.output.clone().unwrap_or_else(|| NOTICES_NAME.into()),
        }),
        (None, None) => None,
    };
    let out = args.out.clone().or(config.out.clone());
    let mut exclude: Vec<String> = notices.iter().map(|n| n.file_name.clone()).collect();
    // An output folder inside the release folder holds no artifacts.
    if let Some(o) = &out
        && let (Ok(o), Ok(d)) = (std::fs::canonicalize(o), std::fs::canonicalize(dir))
        && let Ok(rel) = o.strip_prefix(&d)
        && !rel.as_os_str().is_empty()
    {
        exclude.push(rel.to_string_lossy().into_owned());
    }
    let artifacts = release::discover(dir, &exclude)?;
    let opts = Options {
        name,
        info,
        out,
        sidecars,
        lists,
        naming,
        pgp,
        provenance,
        sbom,
        notices,
        force: args.force,
        epoch: source_date_epoch()?,
        candidate: args
            .candidate
            .clone()
            .or(config.candidate.clone())
            .or_else(|| release::candidate_of(info_version.as_deref(), tag.as_deref())),
        tag,
        announce: AnnounceSettings {
            project: config.announce.project.clone(),
            keys_url: config.announce.keys_url.clone(),
            dist_url: config.announce.dist_url.clone(),
        },
    };
    let report = release::run(engine, dir, &artifacts, opts)?;
    for w in &report.warnings {
        warn(format_args!("warning: {w}"));
    }
    if args.json {
        println!("{}", json(&report));
    } else if args.announce {
        let path = Path::new(apostille_formats::layout::MANIFEST_NAME);
        let mail = release::announce::from_manifest(path, &report.manifest)?;
        let mut out = crate::output::Out::new();
        out.bytes(release::announce::render(&mail).as_bytes())?;
        out.flush()?;
    } else if !quiet {
        print_summary(&report, &notes, started.elapsed().as_secs_f64());
    }
    Ok(Outcome::Ok)
}

/// The folder's own name (`dist/demo-1.4.0` → `demo-1.4.0`; `.` too).
fn folder_name(dir: &Path) -> anyhow::Result<String> {
    let abs = std::fs::canonicalize(dir).with_context(|| format!("{}", dir.display()))?;
    abs.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .with_context(|| format!("{}: has no name; give --name", dir.display()))
}

/// The tag a CI run was started for: GitHub Actions on a tag push, or
/// GitLab CI's `CI_COMMIT_TAG`.
fn tag_from_env(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if env("GITHUB_REF_TYPE").as_deref() == Some("tag") {
        return env("GITHUB_REF_NAME");
    }
    if let Some(r) = env("GITHUB_REF")
        && let Some(t) = r.strip_prefix("refs/tags/")
    {
        return Some(t.to_string());
    }
    env("CI_COMMIT_TAG")
}

/// `refs/tags/v1.4.0` → `1.4.0`; `rel-2.0` stays `rel-2.0`.
fn version_from_tag(tag: &str) -> String {
    let t = tag.strip_prefix("refs/tags/").unwrap_or(tag);
    match t.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => t.to_string(),
    }
}

/// The signing key must be in the project's KEYS, with the subkey that
/// signs, and meet the release policy: what `gpg --import KEYS` followed
/// by `gpg --verify` needs downstream. Returns a line for the summary.
pub fn check_in_keys(
    key: &apostille_sign::pgp::SigningKey,
    keys: &PathBuf,
) -> anyhow::Result<String> {
    let data = std::fs::read(keys).with_context(|| format!("{}: cannot read", keys.display()))?;
    let ring = Keyring::from_keys_file(&data);
    let fpr = key.fingerprint();
    let Some(cert) = ring.certs.iter().find(|c| c.fingerprint().to_hex() == fpr) else {
        bail!(
            "{}: the signing key {fpr} is not in it; add it (apostille keys add) before releasing",
            keys.display()
        );
    };
    let sub = key.signing_key_fingerprint();
    if !cert.keys().any(|k| k.key().fingerprint().to_hex() == sub) {
        bail!(
            "{}: its copy of {fpr} lacks the subkey {sub} that signs; export the certificate into KEYS again",
            keys.display()
        );
    }
    let audits = audit(&ring, &StandardPolicy::new(), std::time::SystemTime::now());
    let Some(a) = audits.iter().find(|a| a.fingerprint == fpr) else {
        bail!("{}: {fpr} could not be audited", keys.display());
    };
    let fails: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.level == Level::Fail)
        .map(|f| f.message.as_str())
        .collect();
    if !fails.is_empty() {
        bail!(
            "{}: the signing key {fpr} does not meet the release policy: {}",
            keys.display(),
            fails.join("; ")
        );
    }
    Ok(format!(
        "OpenPGP key {fpr} ({}) is in {} and meets the release policy",
        a.user_id,
        keys.display()
    ))
}

fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn print_summary(r: &Report, notes: &[String], seconds: f64) {
    let total: u64 = r.artifacts.iter().map(|a| a.size).sum();
    let version = r
        .info
        .version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    println!(
        "release {}{version}: {} artifact(s), {}, each read once ({seconds:.2} s)",
        r.name,
        r.artifacts.len(),
        human(total)
    );
    let width = r
        .artifacts
        .iter()
        .map(|a| a.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!("  {:<width$}  {:>10}  SHA-256", "ARTIFACT", "SIZE");
    for a in &r.artifacts {
        let sha = a
            .digests
            .get(apostille_digest::Algorithm::Sha256)
            .map(|d| d.to_hex())
            .unwrap_or_default();
        println!("  {:<width$}  {:>10}  {sha}", a.name, human(a.size));
    }
    let owidth = r
        .outputs
        .iter()
        .map(|o| o.name.len())
        .max()
        .unwrap_or(6)
        .max(6);
    println!("  {:<owidth$}  KIND", "OUTPUT");
    for o in &r.outputs {
        println!("  {:<owidth$}  {}", o.name, o.kind.as_str());
    }
    for n in notes {
        println!("  {n}");
    }
    if let Some((fpr, sub)) = &r.pgp_signer {
        println!("  signed (OpenPGP) by {fpr}, signing key {sub}");
    }
    if let Some(s) = &r.sigstore_signer {
        println!("  provenance signed (Sigstore) by {s}");
    }
}

fn json(r: &Report) -> String {
    let artifacts: Vec<serde_json::Value> = r
        .artifacts
        .iter()
        .map(|a| {
            let digests: std::collections::BTreeMap<&str, String> = a
                .digests
                .iter()
                .filter(|d| !d.algorithm().is_weak())
                .map(|d| (d.algorithm().name(), d.to_hex()))
                .collect();
            serde_json::json!({"name": a.name, "size": a.size, "digests": digests})
        })
        .collect();
    let outputs: Vec<serde_json::Value> = r
        .outputs
        .iter()
        .map(|o| {
            serde_json::json!({
                "path": o.path.display().to_string(),
                "name": o.name,
                "kind": o.kind.as_str(),
                "size": o.size,
                "sha256": o.sha256,
            })
        })
        .collect();
    serde_json::json!({
        "release": {"name": r.name, "version": r.info.version, "series": r.info.series},
        "artifacts": artifacts,
        "outputs": outputs,
        "pgp_signer": r.pgp_signer.as_ref().map(|(f, s)| serde_json::json!({"fingerprint": f, "signing_key": s})),
        "sigstore_signer": r.sigstore_signer,
        "warnings": r.warnings,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_tags() {
        assert_eq!(version_from_tag("v1.4.0"), "1.4.0");
        assert_eq!(version_from_tag("refs/tags/v2.0.0-rc1"), "2.0.0-rc1");
        assert_eq!(version_from_tag("1.0"), "1.0");
        assert_eq!(version_from_tag("very-1"), "very-1");
    }

    #[test]
    fn tags_from_ci() {
        let gh = |k: &str| match k {
            "GITHUB_REF_TYPE" => Some("tag".to_string()),
            "GITHUB_REF_NAME" => Some("v3.1.0".to_string()),
            _ => None,
        };
        assert_eq!(tag_from_env(&gh).as_deref(), Some("v3.1.0"));
        let gl = |k: &str| (k == "CI_COMMIT_TAG").then(|| "2.0".to_string());
        assert_eq!(tag_from_env(&gl).as_deref(), Some("2.0"));
        let none = |_: &str| None;
        assert_eq!(tag_from_env(&none), None);
    }
}
