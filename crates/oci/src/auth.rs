//! Registry credentials: anonymous, username + password (HTTP basic, or
//! exchanged for a bearer token when the registry asks for one), or a bearer
//! token given directly; and reading them from docker's `config.json`.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

use crate::error::{OciError, Result};

/// How to authenticate to a registry. The bearer-token dance (a 401 with
/// `WWW-Authenticate: Bearer realm=…`, then a token request carrying these
/// credentials) is done by the client when the registry asks for it.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    /// No credentials.
    #[default]
    Anonymous,
    /// Username and password (or identity token as password).
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// A registry token used as it is.
    Bearer(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Anonymous => f.write_str("Anonymous"),
            Credentials::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Credentials::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

impl Credentials {
    pub(crate) fn to_client(&self) -> oci_client::secrets::RegistryAuth {
        use oci_client::secrets::RegistryAuth;
        match self {
            Credentials::Anonymous => RegistryAuth::Anonymous,
            Credentials::Basic { username, password } => {
                RegistryAuth::Basic(username.clone(), password.clone())
            }
            Credentials::Bearer(t) => RegistryAuth::Bearer(t.clone()),
        }
    }
}

#[derive(Deserialize)]
struct DockerConfig {
    #[serde(default)]
    auths: std::collections::BTreeMap<String, DockerAuth>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
}

#[derive(Deserialize)]
struct DockerAuth {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default, rename = "identitytoken")]
    identity_token: Option<String>,
    #[serde(default, rename = "registrytoken")]
    registry_token: Option<String>,
}

/// Where docker keeps `config.json`: `$DOCKER_CONFIG/config.json`, else
/// `$HOME/.docker/config.json`.
pub fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".docker").join("config.json"))
}

/// The credentials docker's `config.json` holds for `registry` (a host or
/// `host:port`), or `Anonymous` when the file or the entry does not exist.
/// Credential helpers (`credsStore`, `credHelpers`) are not run: an entry
/// kept only in a helper reads as anonymous.
pub fn credentials_from_docker_config(path: &Path, registry: &str) -> Result<Credentials> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Credentials::Anonymous),
        Err(e) => {
            return Err(OciError::DockerConfig {
                path: path.to_owned(),
                reason: e.to_string(),
            });
        }
    };
    let bad = |reason: String| OciError::DockerConfig {
        path: path.to_owned(),
        reason,
    };
    let config: DockerConfig = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
    let _ = config.creds_store;
    let wanted = normalize_registry(registry);
    let Some(entry) = config
        .auths
        .iter()
        .find(|(key, _)| normalize_registry(key) == wanted)
        .map(|(_, v)| v)
    else {
        return Ok(Credentials::Anonymous);
    };
    if let Some(token) = entry.registry_token.as_ref().filter(|t| !t.is_empty()) {
        return Ok(Credentials::Bearer(token.clone()));
    }
    if let Some(auth) = entry.auth.as_ref().filter(|a| !a.is_empty()) {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|e| bad(format!("auths.{registry}.auth is not base64: {e}")))?;
        let decoded = String::from_utf8(decoded)
            .map_err(|_| bad(format!("auths.{registry}.auth is not UTF-8")))?;
        let (username, password) = decoded
            .split_once(':')
            .ok_or_else(|| bad(format!("auths.{registry}.auth is not user:password")))?;
        return Ok(Credentials::Basic {
            username: username.to_owned(),
            password: password.to_owned(),
        });
    }
    if let Some(token) = entry.identity_token.as_ref().filter(|t| !t.is_empty()) {
        // docker sends identity tokens as the password of a fixed user.
        return Ok(Credentials::Basic {
            username: "<token>".to_owned(),
            password: token.clone(),
        });
    }
    match (&entry.username, &entry.password) {
        (Some(u), Some(p)) => Ok(Credentials::Basic {
            username: u.clone(),
            password: p.clone(),
        }),
        _ => Ok(Credentials::Anonymous),
    }
}

/// `https://index.docker.io/v1/` and `docker.io` name the same registry;
/// keys may carry a scheme and a path.
fn normalize_registry(key: &str) -> String {
    let key = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let host = key.split('/').next().unwrap_or(key);
    match host {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => "docker.io".to_owned(),
        h => h.to_ascii_lowercase(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_auth_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cr:et");
        std::fs::write(
            &path,
            format!(
                r#"{{"auths":{{"127.0.0.1:5000":{{"auth":"{auth}"}},
                "https://index.docker.io/v1/":{{"identitytoken":"tok"}}}},"credsStore":"desktop"}}"#
            ),
        )
        .unwrap();
        assert_eq!(
            credentials_from_docker_config(&path, "127.0.0.1:5000").unwrap(),
            Credentials::Basic {
                username: "alice".into(),
                password: "s3cr:et".into()
            }
        );
        assert!(matches!(
            credentials_from_docker_config(&path, "index.docker.io").unwrap(),
            Credentials::Basic { .. }
        ));
        assert_eq!(
            credentials_from_docker_config(&path, "example.org").unwrap(),
            Credentials::Anonymous
        );
        assert_eq!(
            credentials_from_docker_config(&dir.path().join("none"), "x").unwrap(),
            Credentials::Anonymous
        );
        std::fs::write(&path, "{not json").unwrap();
        let err = credentials_from_docker_config(&path, "x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("config.json"), "{err}");
    }
}
