//! A test instance of Sigstore's public-good services, served in-process
//! on 127.0.0.1 for apostille's keyless signing tests. Test code only
//! (`publish = false`); nothing here is hardened for real use.
//!
//! [`TestInstance::start`] brings up, behind one HTTP port:
//!
//! | path | service |
//! |---|---|
//! | `GET /oidc/token?audience=sigstore` | an OIDC issuer, answering like GitHub Actions' token endpoint |
//! | `POST /api/v2/signingCert` | a Fulcio double: test root + intermediate, leaf certificates with the Fulcio issuer extensions, code-signing EKU and an embedded SCT from a test CT log (RFC 6962 precertificate flow) |
//! | `POST /api/v1/log/entries` | a Rekor v1 double: `hashedrekord` and `dsse` 0.0.1, RFC 6962 Merkle tree, inclusion proofs, signed-note checkpoints, signed entry timestamps |
//! | `POST /api/v1/index/retrieve`, `GET /api/v1/log/entries/{uuid}` | Rekor v1's search by digest (artifact, payload, envelope, in-toto subjects) and entry lookup |
//! | `POST /api/v1/timestamp` | an RFC 3161 timestamp authority under its own test root |
//!
//! and describes itself with [`TestInstance::trusted_root_json`] (the keys
//! and certificates a verifier must trust) and
//! [`TestInstance::signing_config_json`] (where a signer finds the services).
//! Tests hand those to the code under test and to an independent verifier;
//! the instance never judges its own output. [`material`] finds the
//! third-party test material a bare clone may lack, and records skips.
//!
//! ```no_run
//! let sigstore = apostille_testkit::TestInstance::start().unwrap();
//! let token = sigstore.identity_token("dev@example.test");
//! std::fs::write("trusted_root.json", sigstore.trusted_root_json()).unwrap();
//! # let _ = token;
//! ```

mod fulcio;
mod http;
pub mod material;
mod oidc;
mod pki;
mod rekor;
mod tsa;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use std::sync::{Arc, Mutex};

/// The bearer token the GitHub Actions-style endpoint wants.
pub const ACTIONS_REQUEST_TOKEN: &str = "apostille-test-actions-request-token";

/// The subject of tokens the GitHub Actions-style endpoint mints: a
/// workflow identity as Fulcio certifies GitHub's.
pub const ACTIONS_IDENTITY: &str =
    "https://github.com/apostille-dev/demo/.github/workflows/release.yml@refs/heads/main";

struct Services {
    issuer: oidc::Issuer,
    fulcio: fulcio::Fulcio,
    rekor: Mutex<rekor::Rekor>,
    tsa: tsa::Tsa,
}

/// A running test instance.
pub struct TestInstance {
    url: String,
    services: Arc<Services>,
    /// Start of every validity window (certificates, trusted root).
    since: u64,
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn rfc3339(unix: u64) -> String {
    jiff::Timestamp::from_second(unix as i64)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

impl TestInstance {
    /// Makes fresh keys and CAs and serves them on a free local port.
    pub fn start() -> Result<Self, String> {
        let since = now() - 3600;
        let until = now() + 24 * 3600;
        // The port is known only after binding, and the issuer URL names
        // it: bind first, then fill the services in.
        let slot: Arc<Mutex<Option<Arc<Services>>>> = Arc::new(Mutex::new(None));
        let handler_slot = slot.clone();
        let port = http::serve(Arc::new(move |req| {
            let services = handler_slot.lock().ok().and_then(|s| s.clone());
            match services {
                Some(s) => route(&s, req),
                None => http::Response::error(503, "starting"),
            }
        }))
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let url = format!("http://127.0.0.1:{port}");
        let services = Arc::new(Services {
            issuer: oidc::Issuer::new(format!("{url}/oidc")),
            fulcio: fulcio::Fulcio::new(since, until)?,
            rekor: Mutex::new(rekor::Rekor::new("rekor.apostille.test")),
            tsa: tsa::Tsa::new(since, until)?,
        });
        *slot.lock().map_err(|_| "poisoned")? = Some(services.clone());
        Ok(TestInstance {
            url,
            services,
            since,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The OIDC issuer URL (`iss` of its tokens, the certificates' issuer).
    pub fn issuer(&self) -> &str {
        &self.services.issuer.url
    }

    /// A fresh token for an email identity (Fulcio certifies the email).
    pub fn identity_token(&self, email: &str) -> String {
        self.services
            .issuer
            .mint(&format!("sub-{email}"), Some(email), now())
    }

    /// A fresh token for a username identity (no e-mail claim): Fulcio
    /// certifies it as an otherName SAN (OID 1.3.6.1.4.1.57264.1.7) holding
    /// `username!host`, as it does for its username OIDC issuers.
    pub fn username_token(&self, username: &str) -> String {
        let host = self
            .url
            .strip_prefix("http://")
            .unwrap_or(&self.url)
            .split(':')
            .next()
            .unwrap_or("127.0.0.1");
        self.services
            .issuer
            .mint(&format!("{username}!{host}"), None, now())
    }

    /// The variables a GitHub Actions job with `id-token: write` has,
    /// pointing at this instance's token endpoint.
    pub fn github_actions_env(&self) -> [(&'static str, String); 2] {
        [
            (
                "ACTIONS_ID_TOKEN_REQUEST_URL",
                format!("{}/oidc/token?api-version=2.0", self.url),
            ),
            (
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                ACTIONS_REQUEST_TOKEN.into(),
            ),
        ]
    }

    /// A signing config v0.2 pointing at this instance (with its TSA).
    pub fn signing_config_json(&self) -> String {
        self.signing_config(true).to_string()
    }

    /// The same without a timestamp authority.
    pub fn signing_config_without_tsa_json(&self) -> String {
        self.signing_config(false).to_string()
    }

    fn signing_config(&self, with_tsa: bool) -> serde_json::Value {
        let valid_for = serde_json::json!({ "start": rfc3339(self.since) });
        let svc = |url: String| serde_json::json!([{ "url": url, "majorApiVersion": 1, "validFor": valid_for, "operator": "apostille-test" }]);
        let mut config = serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
            "caUrls": svc(self.url.clone()),
            "oidcUrls": svc(self.issuer().to_string()),
            "rekorTlogUrls": svc(self.url.clone()),
            "rekorTlogConfig": { "selector": "ANY" },
            "tsaUrls": [],
            "tsaConfig": { "selector": "ANY" },
        });
        if with_tsa {
            config["tsaUrls"] = svc(format!("{}/api/v1/timestamp", self.url));
        }
        config
    }

    /// The trusted root a verifier needs for this instance's output:
    /// Fulcio's chain, the Rekor and CT log keys, the TSA's chain.
    pub fn trusted_root_json(&self) -> String {
        let s = &self.services;
        let start = rfc3339(self.since);
        let key = |k: &pki::Key, url: String| {
            serde_json::json!({
                "baseUrl": url,
                "hashAlgorithm": "SHA2_256",
                "publicKey": {
                    "rawBytes": B64.encode(k.spki()),
                    "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": { "start": start },
                },
                "logId": { "keyId": B64.encode(k.key_id()) },
            })
        };
        let chain = |certs: &[&[u8]]| {
            serde_json::json!({
                "certificates": certs.iter().map(|c| serde_json::json!({ "rawBytes": B64.encode(c) })).collect::<Vec<_>>()
            })
        };
        let rekor_key = match s.rekor.lock() {
            Ok(r) => key(&r.key, self.url.clone()),
            Err(_) => serde_json::Value::Null,
        };
        serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [rekor_key],
            "certificateAuthorities": [{
                "subject": { "organization": "apostille-test", "commonName": "apostille test fulcio" },
                "uri": self.url,
                "certChain": chain(&[&s.fulcio.intermediate.der, &s.fulcio.root.der]),
                "validFor": { "start": start },
            }],
            "ctlogs": [key(&s.fulcio.ct_log, format!("{}/ct", self.url))],
            "timestampAuthorities": [{
                "subject": { "organization": "apostille-test", "commonName": "apostille test tsa" },
                "uri": format!("{}/api/v1/timestamp", self.url),
                "certChain": chain(&[&s.tsa.cert, &s.tsa.root.der]),
                "validFor": { "start": start },
            }],
        })
        .to_string()
    }

    /// The trusted root of a trust domain without transparency or CT
    /// logs, shaped like GitHub's instance for private repositories
    /// (`fulcio.githubapp.com`, `timestamp.githubapp.com`): this
    /// instance's Fulcio and TSA only. Bundles for it carry an RFC 3161
    /// timestamp and no log entry.
    pub fn trusted_root_without_logs_json(&self) -> String {
        let mut root: serde_json::Value =
            serde_json::from_str(&self.trusted_root_json()).unwrap_or_default();
        root["tlogs"] = serde_json::json!([]);
        root["ctlogs"] = serde_json::json!([]);
        root.to_string()
    }

    /// A client trust config (`clienttrustconfig.v0.1`): the trusted root
    /// and signing config together, as sigstore-python's `--trust-config`
    /// reads them.
    pub fn client_trust_config_json(&self) -> String {
        let root: serde_json::Value =
            serde_json::from_str(&self.trusted_root_json()).unwrap_or_default();
        serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
            "trustedRoot": root,
            "signingConfig": self.signing_config(true),
        })
        .to_string()
    }
}

fn route(s: &Services, req: http::Request) -> http::Response {
    let now = now();
    match (req.method.as_str(), req.path()) {
        ("GET", "/oidc/token") => {
            let auth = req.header("authorization").unwrap_or("");
            let ok = auth.split_once(' ').is_some_and(|(scheme, t)| {
                scheme.eq_ignore_ascii_case("bearer") && t == ACTIONS_REQUEST_TOKEN
            });
            if !ok {
                return http::Response::error(401, "bad bearer token");
            }
            if req.query("audience") != Some("sigstore") {
                return http::Response::error(400, "audience must be sigstore");
            }
            let jwt = s.issuer.mint(ACTIONS_IDENTITY, None, now);
            http::Response::json(200, serde_json::json!({ "value": jwt }).to_string())
        }
        ("POST", "/api/v2/signingCert") => s.fulcio.signing_cert(&s.issuer, &req.body, now),
        ("POST", "/api/v1/log/entries") => match s.rekor.lock() {
            Ok(mut r) => r.create_entry(&req.body, now),
            Err(_) => http::Response::error(500, "log poisoned"),
        },
        ("POST", "/api/v1/timestamp") => s.tsa.timestamp(&req.body, now),
        ("POST", "/api/v1/index/retrieve") => match s.rekor.lock() {
            Ok(r) => r.search(&req.body),
            Err(_) => http::Response::error(500, "log poisoned"),
        },
        ("GET", p) if p.starts_with("/api/v1/log/entries/") => match s.rekor.lock() {
            Ok(r) => r.entry(&p["/api/v1/log/entries/".len()..]),
            Err(_) => http::Response::error(500, "log poisoned"),
        },
        _ => http::Response::error(404, "no such endpoint"),
    }
}

/// Files of a folder served over HTTP on 127.0.0.1, the folder switchable
/// while it runs: a stand-in for a TUF repository's mirror, whose content
/// (made by a real TUF implementation) a test replaces to play a newer
/// repository, a rollback or a freeze.
pub struct StaticSite {
    url: String,
    root: Arc<Mutex<std::path::PathBuf>>,
}

impl StaticSite {
    /// Serves `dir` (plain names only: no `..`, no hidden files).
    pub fn start(dir: &std::path::Path) -> Result<Self, String> {
        let root = Arc::new(Mutex::new(dir.to_path_buf()));
        let served = root.clone();
        let port = http::serve(Arc::new(move |req| {
            let path = req.path().trim_start_matches('/').to_string();
            let plain = path
                .split('/')
                .all(|c| !c.is_empty() && !c.starts_with('.'));
            if req.method != "GET" || !plain {
                return http::Response::error(404, "not found");
            }
            let base = match served.lock() {
                Ok(b) => b.clone(),
                Err(_) => return http::Response::error(500, "poisoned"),
            };
            match std::fs::read(base.join(&path)) {
                Ok(body) => http::Response {
                    status: 200,
                    content_type: "application/octet-stream",
                    body,
                },
                Err(_) => http::Response::error(404, "not found"),
            }
        }))
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        Ok(StaticSite {
            url: format!("http://127.0.0.1:{port}"),
            root,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves `dir` from now on.
    pub fn serve(&self, dir: &std::path::Path) {
        if let Ok(mut r) = self.root.lock() {
            *r = dir.to_path_buf();
        }
    }
}
