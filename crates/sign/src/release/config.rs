//! The `[release]` table of `apostille.toml`. Every key is optional: with
//! no file at all, a release gets `.sha512` sidecars, `SHA256SUMS` and an
//! SPDX SBOM, plus whatever signing the command line asks for. Paths are
//! relative to the file's folder. Unknown keys are errors, so that a typo
//! does not silently drop an output.

use std::path::{Path, PathBuf};

use apostille_digest::Algorithm;
use serde::Deserialize;

/// Why `apostille.toml` could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize, Default)]
struct File {
    #[serde(default)]
    release: Config,
}

/// `[release]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Release name (default: the release folder's name).
    pub name: Option<String>,
    /// Release version (default: from `--release-version` or the tag).
    pub version: Option<String>,
    /// Release series (`1.4`).
    pub series: Option<String>,
    /// Output folder (default: beside the artifacts).
    pub out: Option<PathBuf>,
    /// `[release.checksums]`.
    #[serde(default)]
    pub checksums: ChecksumsConfig,
    /// `[release.naming]`.
    #[serde(default)]
    pub naming: NamingConfig,
    /// `[release.pgp]`.
    #[serde(default)]
    pub pgp: PgpConfig,
    /// `[release.sigstore]`.
    #[serde(default)]
    pub sigstore: SigstoreConfig,
    /// `[release.provenance]`.
    #[serde(default)]
    pub provenance: ProvenanceConfig,
    /// `[release.sbom]`.
    #[serde(default)]
    pub sbom: SbomConfig,
    /// `[release.notices]`.
    pub notices: Option<NoticesConfig>,
    /// The release candidate (`rc2`), when the version or tag does not
    /// say it.
    pub candidate: Option<String>,
    /// `[release.announce]`.
    #[serde(default)]
    pub announce: AnnounceConfig,
}

/// `[release.announce]`: what the vote and announce mails name.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AnnounceConfig {
    /// The project's display name (`Apache Demo`).
    pub project: Option<String>,
    /// Where the project's KEYS file is published.
    pub keys_url: Option<String>,
    /// Where the artifacts are published.
    pub dist_url: Option<String>,
}

/// `[release.checksums]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChecksumsConfig {
    /// Per-artifact sidecars (default `["sha512"]`).
    pub sidecars: Option<Vec<String>>,
    /// Combined lists (default `["sha256"]`: `SHA256SUMS`).
    pub lists: Option<Vec<String>>,
}

/// `[release.naming]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NamingConfig {
    /// Strings every artifact name must contain (`["-incubating"]`).
    #[serde(default)]
    pub require: Vec<String>,
    /// Prefix every artifact name must start with.
    pub prefix: Option<String>,
    /// Every artifact name must contain the version.
    #[serde(default)]
    pub version: bool,
}

/// `[release.pgp]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PgpConfig {
    /// Armored secret key file.
    pub key: Option<PathBuf>,
    /// Fingerprint of a key held by gpg-agent.
    pub agent: Option<String>,
    /// The project's KEYS file the key must be in.
    pub keys: Option<PathBuf>,
    /// Signature hash: sha512 (default), sha384, sha256.
    pub hash: Option<String>,
}

/// `[release.sigstore]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SigstoreConfig {
    /// Private key (cosign's format or PKCS#8).
    pub key: Option<PathBuf>,
    /// Sign keylessly.
    #[serde(default)]
    pub keyless: bool,
}

/// `[release.provenance]`: how the build is described when it is not
/// detected from GitHub Actions or GitLab CI.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProvenanceConfig {
    /// `github`, `gitlab` or `generic` (default: detected; generic when
    /// `builder-id` is set).
    pub source: Option<String>,
    /// Builder ID (generic).
    pub builder_id: Option<String>,
    /// Source repository URI (generic).
    pub source_uri: Option<String>,
    /// Source ref (generic).
    pub source_ref: Option<String>,
    /// Source commit (generic).
    pub source_digest: Option<String>,
    /// Build type URI (generic).
    pub build_type: Option<String>,
}

/// `[release.sbom]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SbomConfig {
    /// Write the SBOM (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Package supplier (`Organization: …`; default: the CI repository's
    /// owner, else the OpenPGP signer, else NOASSERTION).
    pub supplier: Option<String>,
    /// Package name (default: `[release] name` or `--name`, else the
    /// build's repository name).
    pub package_name: Option<String>,
    /// Formats (default `["spdx-json"]`; also `cyclonedx-json`).
    pub formats: Option<Vec<String>>,
    /// One document per artifact (default false).
    #[serde(default)]
    pub per_artifact: bool,
    /// List tar archives' contents (default false).
    #[serde(default)]
    pub contents: bool,
    /// BLAKE3 checksums (default false).
    #[serde(default)]
    pub blake3: bool,
}

fn yes() -> bool {
    true
}

impl Default for SbomConfig {
    fn default() -> Self {
        SbomConfig {
            enabled: true,
            supplier: None,
            package_name: None,
            formats: None,
            per_artifact: false,
            contents: false,
            blake3: false,
        }
    }
}

/// `[release.notices]`: THIRD_PARTY_NOTICES for a Cargo workspace.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NoticesConfig {
    /// The workspace's `Cargo.toml`.
    pub manifest_path: PathBuf,
    /// File name in the release (default `THIRD_PARTY_NOTICES.md`).
    pub output: Option<String>,
    /// License policy file (default: `apostille.toml` at the workspace
    /// root, when there is one).
    pub policy: Option<PathBuf>,
    /// `--offline` for cargo metadata.
    #[serde(default)]
    pub offline: bool,
}

impl Config {
    /// Reads `[release]` of the file at `path` (`[notices]` and `[audit]`
    /// are `apostille notices`'s and skipped; any other table is an
    /// error); relative paths become relative to the file's folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        // Bounded and never blocking: a FIFO or /dev/zero given as the
        // configuration is refused by name.
        let text = apostille_digest::input::read_input_string(path)
            .map_err(|e| err(format!("cannot read: {}", e.into_io())))?;
        let mut c = Config::parse(&text).map_err(err)?;
        if let Some(name) = &c.name {
            // Refused here, so that the error names this file and its key.
            super::check_name(name)
                .map_err(|m| err(m.replace("with --name", "in `[release] name`")))?;
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for p in [
            c.out.as_mut(),
            c.pgp.key.as_mut(),
            c.pgp.keys.as_mut(),
            c.sigstore.key.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            fix(p);
        }
        if let Some(n) = c.notices.as_mut() {
            fix(&mut n.manifest_path);
            if let Some(p) = n.policy.as_mut() {
                fix(p);
            }
        }
        Ok(c)
    }

    /// Parses the text of an `apostille.toml`.
    pub fn parse(text: &str) -> Result<Config, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        check_known(&table)?;
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let c = f.release;
        for list in [&c.checksums.sidecars, &c.checksums.lists]
            .into_iter()
            .flatten()
        {
            for a in list {
                parse_algorithm(a)?;
            }
        }
        if c.pgp.key.is_some() && c.pgp.agent.is_some() {
            return Err("[release.pgp]: give key or agent, not both".into());
        }
        if c.sigstore.key.is_some() && c.sigstore.keyless {
            return Err("[release.sigstore]: give key or keyless, not both".into());
        }
        if let Some(s) = &c.provenance.source
            && !matches!(s.as_str(), "github" | "gitlab" | "generic")
        {
            return Err(format!(
                "[release.provenance] source = {s:?}: use github, gitlab or generic"
            ));
        }
        Ok(c)
    }
}

/// The top-level tables of `apostille.toml`, of every command that reads
/// it: `[release]` here, `[notices]` and `[audit]` by `apostille notices`
/// (crates/notices/src/policy.rs). A table added there must be added here.
pub const TOP_LEVEL: &[&str] = &["release", "notices", "audit"];

/// The keys of `[release]` and of its tables.
const RELEASE: &[(&str, &[&str])] = &[
    (
        "release",
        &[
            "name",
            "version",
            "series",
            "out",
            "checksums",
            "naming",
            "pgp",
            "sigstore",
            "provenance",
            "sbom",
            "notices",
            "candidate",
            "announce",
        ],
    ),
    ("release.checksums", &["sidecars", "lists"]),
    ("release.naming", &["require", "prefix", "version"]),
    ("release.pgp", &["key", "agent", "keys", "hash"]),
    ("release.sigstore", &["key", "keyless"]),
    (
        "release.provenance",
        &[
            "source",
            "builder-id",
            "source-uri",
            "source-ref",
            "source-digest",
            "build-type",
        ],
    ),
    (
        "release.sbom",
        &[
            "enabled",
            "supplier",
            "package-name",
            "formats",
            "per-artifact",
            "contents",
            "blake3",
        ],
    ),
    ("release.announce", &["project", "keys-url", "dist-url"]),
    (
        "release.notices",
        &["manifest-path", "output", "policy", "offline"],
    ),
];

/// Unknown top-level tables and unknown keys within `[release]` are
/// errors, so that `[relase.pgp]` does not make an unsigned release.
fn check_known(table: &toml::Table) -> Result<(), String> {
    for key in table.keys() {
        if !TOP_LEVEL.contains(&key.as_str()) {
            let what = if table[key].is_table() {
                "table"
            } else {
                "key"
            };
            return Err(unknown(what, key, TOP_LEVEL));
        }
    }
    for (path, known) in RELEASE {
        let mut t = Some(table);
        for part in path.split('.') {
            t = t.and_then(|t| t.get(part)).and_then(|v| v.as_table());
        }
        let Some(t) = t else { continue };
        for key in t.keys() {
            if !known.contains(&key.as_str()) {
                let what = if t[key].is_table() { "table" } else { "key" };
                return Err(unknown(what, &format!("{path}.{key}"), known));
            }
        }
    }
    Ok(())
}

/// "unknown table `relase` (did you mean `release`?)".
fn unknown(what: &str, full: &str, known: &[&str]) -> String {
    let shown = apostille_digest::display::terminal_safe(full.as_bytes());
    let (parent, key) = match full.rsplit_once('.') {
        Some((p, k)) => (Some(p), k),
        None => (None, full),
    };
    let near = known
        .iter()
        .map(|k| (distance(key, k), *k))
        .filter(|(d, k)| *d <= 2usize.max(k.len() / 3) && *d < k.len())
        .min();
    match (near, parent) {
        (Some((_, k)), Some(p)) => {
            format!("unknown {what} `{shown}` (did you mean `{p}.{k}`?)")
        }
        (Some((_, k)), None) => format!("unknown {what} `{shown}` (did you mean `{k}`?)"),
        (None, _) => format!("unknown {what} `{shown}` (known: {})", known.join(", ")),
    }
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let cur = row[j + 1];
            row[j + 1] = if ca == b[j] {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// An algorithm name as the config and flags take it (`sha512`, `SHA-256`).
pub fn parse_algorithm(name: &str) -> Result<Algorithm, String> {
    name.parse::<Algorithm>()
        .map_err(|e| format!("checksum algorithm {name:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_table() {
        let c = Config::parse("[notices]\ncopyleft = \"deny\"\n").expect("parse");
        assert_eq!(c, Config::default());
        assert!(c.sbom.enabled);
    }

    #[test]
    fn a_full_table() {
        let c = Config::parse(
            r#"
[release]
name = "demo"
series = "1.4"
[release.checksums]
sidecars = ["sha512", "md5"]
lists = ["sha256", "sha512"]
[release.naming]
require = ["-incubating"]
version = true
[release.sbom]
enabled = false
"#,
        )
        .expect("parse");
        assert_eq!(c.name.as_deref(), Some("demo"));
        assert_eq!(c.naming.require, ["-incubating"]);
        assert!(!c.sbom.enabled);
    }

    #[test]
    fn typos_and_bad_values_are_errors() {
        for bad in [
            "[release]\nnmae = \"x\"\n",
            "[release.checksums]\nsidecars = [\"sha3\"]\n",
            "[release.pgp]\nkey = \"a\"\nagent = \"B\"\n",
            "[release.provenance]\nsource = \"jenkins\"\n",
        ] {
            assert!(Config::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn misspelt_release_table_is_an_error() {
        let e = Config::parse("[relase]\nname = \"x\"\n").expect_err("refused");
        assert_eq!(e, "unknown table `relase` (did you mean `release`?)");
        let e = Config::parse("[relase.pgp]\nkey = \"k.asc\"\n").expect_err("refused");
        assert_eq!(e, "unknown table `relase` (did you mean `release`?)");
        let e = Config::parse("[release.pgpp]\nkey = \"k.asc\"\n").expect_err("refused");
        assert_eq!(
            e,
            "unknown table `release.pgpp` (did you mean `release.pgp`?)"
        );
        let e = Config::parse("[release]\nnmae = \"x\"\n").expect_err("refused");
        assert_eq!(
            e,
            "unknown key `release.nmae` (did you mean `release.name`?)"
        );
        let e = Config::parse("[release.pgp]\nkye = \"k\"\n").expect_err("refused");
        assert!(e.contains("did you mean `release.pgp.key`"), "{e}");
        let e = Config::parse("[zzz]\n").expect_err("refused");
        assert!(
            e.contains("unknown table `zzz` (known: release, notices, audit)"),
            "{e}"
        );
        // Other commands' tables are legitimate.
        Config::parse("[notices]\nallow = [\"MIT\"]\n[audit]\nexclude = [\"x\"]\n").expect("parse");
    }

    #[test]
    fn misspelt_release_table_error_names_the_file() {
        let dir = std::env::temp_dir().join(format!("apostille-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("io");
        let p = dir.join("apostille.toml");
        std::fs::write(&p, "[relase.pgp]\nkey = \"k.asc\"\n").expect("io");
        let e = Config::load(&p).expect_err("refused").to_string();
        assert!(
            e.starts_with(&format!("{}: unknown table `relase`", p.display())),
            "{e}"
        );
        std::fs::write(&p, "[release.sbom]\nenabled = \"yes\"\n").expect("io");
        let e = Config::load(&p).expect_err("refused").to_string();
        assert!(e.starts_with(&format!("{}: ", p.display())), "{e}");
        std::fs::remove_dir_all(&dir).expect("io");
    }
}
