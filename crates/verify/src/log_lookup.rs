//! Finding the transparency-log entry of a bare DSSE envelope: the one
//! place this crate goes online, and only when its caller names a log
//! (`--rekor-url`), never by default.
//!
//! slsa-github-generator before v2.1 published provenance as a bare DSSE
//! envelope (`*.intoto.jsonl`): the signature, and the Fulcio certificate
//! beside it, but no Rekor entry. Offline it cannot be verified: without
//! the entry there is no signing time within the short-lived certificate's
//! validity and no proof that the signing was logged
//! ([`crate::bundle::BundleError::NeedsLogLookup`]). As slsa-verifier does,
//! [`LogLookup::candidates`] searches a Rekor v1 log by the artifact's
//! SHA-256 (and the payload's), fetches each entry found, and wraps the
//! envelope with it into a v0.1 bundle. Those bundles are then verified
//! exactly as downloaded ones are: the log entry must describe this
//! envelope, its signed entry timestamp and inclusion proof must verify
//! against the trusted root's log key, and the certificate must chain to
//! a trusted Fulcio CA at the entry's time. Nothing the log returns is
//! believed for being returned.

use std::path::Path;
use std::time::Duration;

use apostille_digest::Algorithm;
use apostille_digest::value::Digest;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use crate::bundle::{Bundle, Failure, Reason};

/// The most entries one search may return that are fetched and tried.
pub const MAX_CANDIDATES: usize = 32;

/// A Rekor v1 log to search.
#[derive(Clone, Debug)]
pub struct LogLookup {
    url: String,
    timeout: Duration,
}

fn proof(detail: impl Into<String>) -> Failure {
    Failure {
        reason: Reason::Proof,
        detail: detail.into(),
    }
}

fn malformed(detail: impl Into<String>) -> Failure {
    Failure {
        reason: Reason::Malformed,
        detail: detail.into(),
    }
}

/// The parts of a bare DSSE envelope a bundle needs.
struct Envelope {
    payload_type: String,
    payload_b64: String,
    payload: Vec<u8>,
    sig_b64: String,
    /// The certificate the envelope carries (slsa-github-generator writes
    /// it beside the signature), DER.
    cert: Option<Vec<u8>>,
}

fn read_envelope(bytes: &[u8]) -> Result<Envelope, Failure> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| malformed(format!("the DSSE envelope is not JSON: {e}")))?;
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let payload_type =
        s("payloadType").ok_or_else(|| malformed("the envelope has no payloadType"))?;
    let payload_b64 = s("payload").ok_or_else(|| malformed("the envelope has no payload"))?;
    let payload = B64
        .decode(payload_b64.as_bytes())
        .map_err(|_| malformed("the envelope's payload is not base64"))?;
    let sigs = v
        .get("signatures")
        .and_then(Value::as_array)
        .filter(|a| a.len() == 1)
        .ok_or_else(|| malformed("the envelope must hold exactly one signature"))?;
    let sig_b64 = sigs[0]
        .get("sig")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("the envelope's signature has no sig"))?
        .to_string();
    let cert = match sigs[0].get("cert").and_then(Value::as_str) {
        Some(pem) => Some(
            sigstore_verify::types::DerCertificate::from_pem(pem)
                .map_err(|e| malformed(format!("the envelope's certificate is not PEM: {e}")))?
                .as_bytes()
                .to_vec(),
        ),
        None => None,
    };
    Ok(Envelope {
        payload_type,
        payload_b64,
        payload,
        sig_b64,
        cert,
    })
}

/// The certificate a dsse or intoto entry body records, DER.
fn body_certificate(body: &[u8]) -> Option<Vec<u8>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let pem_b64 = v
        .pointer("/spec/signatures/0/verifier")
        .or_else(|| v.pointer("/spec/content/envelope/signatures/0/publicKey"))
        .and_then(Value::as_str)?;
    let pem = String::from_utf8(B64.decode(pem_b64).ok()?).ok()?;
    sigstore_verify::types::DerCertificate::from_pem(&pem)
        .ok()
        .map(|c| c.as_bytes().to_vec())
}

impl LogLookup {
    /// A lookup in the Rekor v1 log at `url` (`https://rekor.sigstore.dev`),
    /// each request given at most `timeout`.
    pub fn new(url: &str, timeout: Duration) -> LogLookup {
        LogLookup {
            url: url.trim_end_matches('/').to_string(),
            timeout,
        }
    }

    /// The log's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Bundles made of the bare envelope `bytes` (read from `path`) and
    /// each log entry found for it, for the artifact with digests
    /// `artifact`. Verify each; the envelope is verified when one is. An
    /// empty search is a [`Reason::Proof`] failure.
    pub fn candidates(
        &self,
        bytes: &[u8],
        path: &Path,
        artifact: &[Digest],
    ) -> Result<Vec<Bundle>, Failure> {
        let env = read_envelope(bytes)?;
        let mut keys: Vec<String> = artifact
            .iter()
            .filter(|d| d.algorithm() == Algorithm::Sha256)
            .map(|d| format!("sha256:{}", d.to_hex()))
            .collect();
        if let Some(d) = apostille_digest::Hasher::digest(Algorithm::Sha256, &env.payload) {
            keys.push(format!("sha256:{}", d.to_hex()));
        }
        let entries = self.search(&keys)?;
        if entries.is_empty() {
            return Err(proof(format!(
                "{}: the log at {} has no entry for this envelope or artifact",
                path.display(),
                self.url
            )));
        }
        let mut out = Vec::new();
        for entry in entries {
            let Some(bundle) = self.wrap(&env, &entry) else {
                continue;
            };
            if let Ok(b) = Bundle::parse(bundle.to_string().as_bytes(), path) {
                out.push(b);
            }
        }
        if out.is_empty() {
            return Err(proof(format!(
                "{}: no entry the log at {} returned can describe this envelope",
                path.display(),
                self.url
            )));
        }
        Ok(out)
    }

    /// A v0.1 bundle of the envelope and one entry, or `None` when the
    /// entry is of a kind that cannot hold a DSSE envelope.
    fn wrap(&self, env: &Envelope, entry: &sigstore_rekor::LogEntry) -> Option<Value> {
        use sigstore_verify::types::KindVersion;
        let body: Value = serde_json::from_slice(entry.body.as_bytes()).ok()?;
        let kind = match (
            body.get("kind").and_then(Value::as_str),
            body.get("apiVersion").and_then(Value::as_str),
        ) {
            (Some("dsse"), Some("0.0.1")) => KindVersion::DsseV001,
            (Some("intoto"), Some("0.0.2")) => KindVersion::IntotoV002,
            _ => return None,
        };
        let tlog = entry.to_bundle_entry(kind).ok()?;
        let cert = env
            .cert
            .clone()
            .or_else(|| body_certificate(entry.body.as_bytes()))?;
        Some(json!({
            "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.1",
            "verificationMaterial": {
                "x509CertificateChain": {"certificates": [{"rawBytes": B64.encode(cert)}]},
                "tlogEntries": [serde_json::to_value(&tlog).ok()?],
            },
            "dsseEnvelope": {
                "payload": env.payload_b64,
                "payloadType": env.payload_type,
                "signatures": [{"sig": env.sig_b64, "keyid": ""}],
            },
        }))
    }

    /// The entries found under any of `keys`, each fetched once.
    fn search(&self, keys: &[String]) -> Result<Vec<sigstore_rekor::LogEntry>, Failure> {
        let online = |e: &dyn std::fmt::Display| proof(format!("log at {}: {e}", self.url));
        let client = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("apostille/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| online(&e))?;
        let rekor = sigstore_rekor::RekorClient::builder(self.url.clone())
            .with_http_client(client)
            .build()
            .map_err(|e| online(&e))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| online(&e))?;
        rt.block_on(async {
            let mut uuids = Vec::new();
            for k in keys {
                let Some(hex) = k.strip_prefix("sha256:") else {
                    continue;
                };
                let hash =
                    sigstore_verify::types::Sha256Hash::from_hex(hex).map_err(|e| online(&e))?;
                for u in rekor.search_by_hash(&hash).await.map_err(|e| online(&e))? {
                    if !uuids.contains(&u) {
                        uuids.push(u);
                    }
                }
            }
            let mut entries = Vec::new();
            for u in uuids.iter().take(MAX_CANDIDATES) {
                entries.push(rekor.get_entry_by_uuid(u).await.map_err(|e| online(&e))?);
            }
            Ok(entries)
        })
    }
}
