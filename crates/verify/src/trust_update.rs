//! Refreshing the Sigstore trusted roots through TUF (`apostille trust
//! update`): the one step that fetches trust material, run only when the
//! user asks, never during `verify`.
//!
//! The embedded `trusted_root.json` files go stale: Fulcio intermediates,
//! Rekor v2 shards and TSA certificates rotate (GitHub's every seven months
//! or so). Sigstore publishes the current root as a TUF target; [`fetch`]
//! runs the TUF client workflow (root → timestamp → snapshot → targets:
//! signature thresholds, version numbers that never go back, expiry) from
//! the TUF root that sigstore-rust's `sigstore-trust-root` embeds for each
//! instance, or from one the caller gives, and returns the verified target
//! with what changed since the root in use. The caller stores it (the CLI
//! with its one atomic writer) at [`Cache::root_path`]; from then on
//! [`Cache::cached_root`] gives it to `verify`, which prefers it over the
//! embedded one and names it as the root it believed.
//!
//! TUF's own metadata is kept in [`Cache::tuf_dir`], per repository URL, so
//! that a later fetch refuses a repository older than one already seen (a
//! rollback) as well as metadata past its expiry (a freeze).

use std::path::{Path, PathBuf};
use std::time::Duration;

use sigstore_trust_root::tuf::{TufBootstrap, TufConfig};
use sigstore_trust_root::{SigstoreInstance, TrustedRoot as RootDoc};

use crate::bundle::TrustedRoot;

/// A Sigstore instance whose trusted root is embedded and refreshable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instance {
    /// The public-good instance (`tuf-repo-cdn.sigstore.dev`).
    PublicGood,
    /// The staging instance (`tuf-repo-cdn.sigstage.dev`).
    Staging,
    /// GitHub's instance for private repositories (`tuf-repo.github.com`).
    GitHub,
}

impl Instance {
    /// The name used in the cache and in messages: `public-good`,
    /// `staging`, `github`.
    pub fn name(self) -> &'static str {
        match self {
            Instance::PublicGood => "public-good",
            Instance::Staging => "staging",
            Instance::GitHub => "github",
        }
    }

    fn upstream(self) -> SigstoreInstance {
        match self {
            Instance::PublicGood => SigstoreInstance::PublicGood,
            Instance::Staging => SigstoreInstance::Staging,
            Instance::GitHub => SigstoreInstance::GitHub,
        }
    }

    /// The embedded trusted root of this instance.
    pub fn embedded(self) -> Result<TrustedRoot, crate::bundle::BundleError> {
        match self {
            Instance::PublicGood => TrustedRoot::public_good(),
            Instance::Staging => TrustedRoot::staging(),
            Instance::GitHub => TrustedRoot::github(),
        }
    }

    fn embedded_json(self) -> &'static [u8] {
        match self {
            Instance::PublicGood => crate::bundle::PUBLIC_GOOD_ROOT,
            Instance::Staging => crate::bundle::STAGING_ROOT,
            Instance::GitHub => {
                sigstore_verify::trust_root::SIGSTORE_GITHUB_TRUSTED_ROOT.as_bytes()
            }
        }
    }
}

/// Where a trusted root is fetched from: a TUF repository and the TUF root
/// that starts the chain of trust in it.
#[derive(Clone, Debug)]
pub struct Source {
    /// The repository's base URL (metadata at `URL/`, targets at
    /// `URL/targets/`).
    pub url: String,
    /// The TUF `root.json` trusted to bootstrap.
    pub tuf_root: Vec<u8>,
}

impl Source {
    /// The instance's own repository, from the TUF root embedded in
    /// `sigstore-trust-root`.
    pub fn of(instance: Instance) -> Source {
        let i = instance.upstream();
        Source {
            url: i.tuf_url().to_string(),
            tuf_root: i.tuf_root().to_vec(),
        }
    }
}

/// Why a trusted root could not be refreshed or read.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The TUF workflow refused the repository (bad signature, rollback,
    /// expired metadata, a target that does not match), or it could not be
    /// reached.
    #[error("TUF repository {url}: {problem}")]
    Tuf {
        /// The repository.
        url: String,
        /// What the client said.
        problem: String,
    },
    /// The target verified, but is not a trusted root this verifier can use.
    #[error("TUF repository {url}: its trusted_root.json is not usable: {problem}")]
    Unusable {
        /// The repository.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// No cache folder: neither `APOSTILLE_CACHE_DIR`, `XDG_CACHE_HOME` nor
    /// `HOME` is set.
    #[error("no cache folder: set APOSTILLE_CACHE_DIR (or XDG_CACHE_HOME or HOME)")]
    NoCacheDir,
    /// A cached root that cannot be read or used.
    #[error("{}: {problem}", path.display())]
    Cached {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

/// The folder apostille keeps refreshed trust material in.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache at `dir`.
    pub fn at(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
        }
    }

    /// `$APOSTILLE_CACHE_DIR`, else `$XDG_CACHE_HOME/apostille`, else
    /// `$HOME/.cache/apostille`.
    pub fn from_env() -> Result<Cache, TrustError> {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let dir = var("APOSTILLE_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("apostille")))
            .or_else(|| var("HOME").map(|h| h.join(".cache").join("apostille")))
            .ok_or(TrustError::NoCacheDir)?;
        Ok(Cache { dir })
    }

    /// Where the refreshed root of `instance` is kept.
    pub fn root_path(&self, instance: Instance) -> PathBuf {
        self.dir
            .join("trusted-roots")
            .join(format!("{}.json", instance.name()))
    }

    /// Where TUF metadata of `instance` fetched from `url` is kept.
    pub fn tuf_dir(&self, instance: Instance, url: &str) -> PathBuf {
        let safe: String = url
            .trim_end_matches('/')
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        self.dir.join("tuf").join(instance.name()).join(safe)
    }

    /// The refreshed root of `instance`, when `trust update` stored one.
    pub fn cached_root(&self, instance: Instance) -> Result<Option<TrustedRoot>, TrustError> {
        let path = self.root_path(instance);
        if !path.exists() {
            return Ok(None);
        }
        let bytes = apostille_digest::input::read_input(&path).map_err(|e| TrustError::Cached {
            path: path.clone(),
            problem: e.to_string(),
        })?;
        let origin = format!(
            "{} trusted root refreshed through TUF ({})",
            instance.name(),
            path.display()
        );
        TrustedRoot::parse_as(&bytes, &origin)
            .map(Some)
            .map_err(|e| TrustError::Cached {
                path,
                problem: e.to_string(),
            })
    }

    /// The root `verify` believes for `instance`: the refreshed one when
    /// there is one, else the embedded one.
    pub fn root_for(&self, instance: Instance) -> Result<TrustedRoot, TrustError> {
        if let Some(r) = self.cached_root(instance)? {
            return Ok(r);
        }
        instance.embedded().map_err(|e| TrustError::Cached {
            path: PathBuf::from("(embedded)"),
            problem: e.to_string(),
        })
    }

    fn current_json(&self, instance: Instance) -> Vec<u8> {
        std::fs::read(self.root_path(instance))
            .unwrap_or_else(|_| instance.embedded_json().to_vec())
    }
}

/// A trusted root fetched and verified through TUF.
#[derive(Debug)]
pub struct Fetched {
    /// The root, as JSON, to store at [`Cache::root_path`].
    pub json: Vec<u8>,
    /// What differs from the root in use before (the cached one, else the
    /// embedded one): one line per authority or log added or removed.
    pub changes: Vec<String>,
}

/// Runs the TUF workflow for `instance` from `source`, keeping TUF
/// metadata in `cache`, each request given at most `timeout`.
pub fn fetch(
    cache: &Cache,
    instance: Instance,
    source: &Source,
    timeout: Duration,
) -> Result<Fetched, TrustError> {
    let url = source.url.clone();
    let tuf_err = |problem: String| TrustError::Tuf {
        url: url.clone(),
        problem,
    };
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("apostille/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| tuf_err(e.to_string()))?;
    let tuf_dir = cache.tuf_dir(instance, &source.url);
    let config = TufConfig::custom(source.url.clone(), TufBootstrap::trusted(&source.tuf_root))
        .with_cache_dir(tuf_dir)
        .with_http_client(client);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| tuf_err(e.to_string()))?;
    let doc: RootDoc = rt
        .block_on(RootDoc::from_tuf(config))
        .map_err(|e| tuf_err(e.to_string()))?;
    let mut json = serde_json::to_vec_pretty(&doc).map_err(|e| tuf_err(e.to_string()))?;
    json.push(b'\n');
    TrustedRoot::parse_as(&json, "(fetched trusted root)").map_err(|e| TrustError::Unusable {
        url: url.clone(),
        problem: e.to_string(),
    })?;
    let before = cache.current_json(instance);
    Ok(Fetched {
        changes: changes(&before, &json),
        json,
    })
}

/// One line per authority, log or timestamp authority: kind, URL and
/// validity window.
fn entries(json: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(json).unwrap_or_default();
    let mut out = Vec::new();
    for (key, kind, url_key) in [
        ("certificateAuthorities", "certificate authority", "uri"),
        ("tlogs", "transparency log", "baseUrl"),
        ("ctlogs", "CT log", "baseUrl"),
        ("timestampAuthorities", "timestamp authority", "uri"),
    ] {
        for e in v.get(key).and_then(|x| x.as_array()).into_iter().flatten() {
            let url = e.get(url_key).and_then(|x| x.as_str()).unwrap_or("?");
            let valid = e
                .get("validFor")
                .or_else(|| e.pointer("/publicKey/validFor"));
            let start = valid
                .and_then(|w| w.get("start"))
                .and_then(|x| x.as_str())
                .unwrap_or("?");
            let window = match valid.and_then(|w| w.get("end")).and_then(|x| x.as_str()) {
                Some(end) => format!("valid {start} to {end}"),
                None => format!("valid from {start}"),
            };
            out.push(format!("{kind} {url} ({window})"));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn changes(before: &[u8], after: &[u8]) -> Vec<String> {
    let (b, a) = (entries(before), entries(after));
    let mut out: Vec<String> = a
        .iter()
        .filter(|x| !b.contains(x))
        .map(|x| format!("+ {x}"))
        .collect();
    out.extend(
        b.iter()
            .filter(|x| !a.contains(x))
            .map(|x| format!("- {x}")),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_what_was_added_and_removed() {
        let before =
            br#"{"tlogs":[{"baseUrl":"https://a","publicKey":{"validFor":{"start":"2021"}}}]}"#;
        let after = br#"{"tlogs":[{"baseUrl":"https://b","publicKey":{"validFor":{"start":"2025"}}}],
            "timestampAuthorities":[{"uri":"https://t","validFor":{"start":"2024","end":"2026"}}]}"#;
        assert_eq!(
            changes(before, after),
            [
                "+ timestamp authority https://t (valid 2024 to 2026)",
                "+ transparency log https://b (valid from 2025)",
                "- transparency log https://a (valid from 2021)",
            ]
        );
        assert!(changes(after, after).is_empty());
    }

    #[test]
    fn the_cache_is_per_instance_and_repository() {
        let c = Cache::at(Path::new("/c"));
        assert_eq!(
            c.root_path(Instance::GitHub),
            Path::new("/c/trusted-roots/github.json")
        );
        assert_eq!(
            c.tuf_dir(Instance::Staging, "http://127.0.0.1:80/"),
            Path::new("/c/tuf/staging/http%3A%2F%2F127.0.0.1%3A80")
        );
    }

    #[test]
    fn every_embedded_root_loads() {
        for i in [Instance::PublicGood, Instance::Staging, Instance::GitHub] {
            i.embedded().expect("embedded root");
            assert!(!entries(i.embedded_json()).is_empty(), "{}", i.name());
        }
        let gh = Instance::GitHub.embedded().expect("github root");
        assert!(!gh.has_transparency_log());
    }
}
