//! The network module: one [`Registry`] per registry host, every request
//! under a connect timeout and a total timeout, every answer size-capped and
//! digest-checked before anything parses it.
//!
//! Transport is `oci-client` (the maintained successor of
//! `oci-distribution`), which also does the bearer-token dance. Two requests
//! it has no call for (probing the referrers API, deleting a manifest) go
//! through `reqwest` directly with the token it obtained.

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt as _;
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, RegistryOperation};

use crate::auth::Credentials;
use crate::digest::Digest;
use crate::error::{OciError, Result};
use crate::manifest::{Descriptor, MANIFEST_TYPES, Manifest};
use crate::reference::ImageRef;

/// Limits and credentials for talking to a registry.
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    /// Credentials sent to the registry (or exchanged for a token).
    pub credentials: Credentials,
    /// Allow plain HTTP to a registry that is not on a loopback address.
    pub insecure: bool,
    /// Limit for opening a connection.
    pub connect_timeout: Duration,
    /// Limit for one whole operation (request, answer and body).
    pub request_timeout: Duration,
    /// Largest manifest or index accepted (4 MiB, as distribution's default).
    pub max_manifest_bytes: u64,
    /// Largest attached blob (bundle, SBOM) accepted.
    pub max_blob_bytes: u64,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        Self {
            credentials: Credentials::Anonymous,
            insecure: false,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_manifest_bytes: 4 << 20,
            max_blob_bytes: 64 << 20,
        }
    }
}

/// A fetched manifest: its bytes, digest and parsed form.
#[derive(Debug, Clone)]
pub struct FetchedManifest {
    /// The bytes as served (their digest is `digest`).
    pub bytes: Vec<u8>,
    /// The manifest's digest.
    pub digest: Digest,
    /// Parsed.
    pub manifest: Manifest,
}

impl FetchedManifest {
    /// A descriptor of this manifest, for a `subject` field or an index entry.
    pub fn descriptor(&self) -> Descriptor {
        let mut d = Descriptor::of(self.manifest.media_type(), &self.bytes);
        d.digest = self.digest.to_string();
        d
    }
}

/// A connection to one registry host.
pub struct Registry {
    runtime: tokio::runtime::Runtime,
    client: Client,
    http: reqwest::Client,
    scheme: &'static str,
    host: String,
    options: RegistryOptions,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("host", &self.host)
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// A client for the registry `image` lives in. Loopback registries are
    /// spoken to in plain HTTP; others in HTTPS unless `options.insecure`.
    pub fn for_image(image: &ImageRef, options: RegistryOptions) -> Result<Self> {
        let host = image.registry().to_owned();
        let plain = image.is_loopback() || options.insecure;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| OciError::Setup(e.to_string()))?;
        let config = oci_client::client::ClientConfig {
            protocol: if plain {
                oci_client::client::ClientProtocol::HttpsExcept(vec![host.clone()])
            } else {
                oci_client::client::ClientProtocol::Https
            },
            connect_timeout: Some(options.connect_timeout),
            read_timeout: Some(options.request_timeout),
            // An index is resolved by us, never by the client's guess of
            // the running platform.
            platform_resolver: None,
            // One PUT per blob instead of POST + PATCH + PUT: attestations
            // are small, and it halves the round trips.
            use_monolithic_push: true,
            ..Default::default()
        };
        let client = Client::new(config);
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(|e| OciError::Setup(e.to_string()))?;
        Ok(Self {
            runtime,
            client,
            http,
            scheme: if plain { "http" } else { "https" },
            host,
            options,
        })
    }

    /// The options this client was made with.
    pub fn options(&self) -> &RegistryOptions {
        &self.options
    }

    fn auth(&self) -> RegistryAuth {
        self.options.credentials.to_client()
    }

    fn check_host(&self, image: &ImageRef) -> Result<()> {
        if image.registry() != self.host {
            return Err(OciError::InvalidReference {
                reference: image.to_string(),
                reason: format!("this client talks to {}", self.host),
            });
        }
        Ok(())
    }

    /// Runs one operation on the runtime under the total timeout. The
    /// operation runs as its own task so that a panic inside the HTTP
    /// client becomes an error naming the reference, not a crash.
    fn run<T: Send + 'static>(
        &self,
        reference: &str,
        operation: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        let limit = self.options.request_timeout;
        let task = self
            .runtime
            .spawn(async move { tokio::time::timeout(limit, operation).await });
        match self.runtime.block_on(task) {
            Ok(Ok(result)) => result,
            Ok(Err(_elapsed)) => Err(OciError::Timeout {
                reference: reference.to_owned(),
                seconds: limit.as_secs(),
            }),
            Err(join) => Err(OciError::Transport {
                reference: reference.to_owned(),
                detail: format!("the registry client failed: {join}"),
            }),
        }
    }

    /// Fetches a manifest or index by tag or digest: at most
    /// `max_manifest_bytes`, its digest checked against the reference's
    /// digest (when it has one) and the registry's `Docker-Content-Digest`.
    pub fn manifest(&self, image: &ImageRef) -> Result<FetchedManifest> {
        self.check_host(image)?;
        let name = image.to_string();
        let client = self.client.clone();
        let auth = self.auth();
        let reference = image.as_client().clone();
        let n = name.clone();
        let limit = self.options.request_timeout.as_secs();
        let (bytes, _) = self.run(&name, async move {
            client
                .pull_manifest_raw(&reference, &auth, MANIFEST_TYPES)
                .await
                .map_err(|e| map_error(e, &n, limit))
        })?;
        if bytes.len() as u64 > self.options.max_manifest_bytes {
            return Err(OciError::TooLarge {
                reference: name,
                what: "manifest",
                limit: self.options.max_manifest_bytes,
            });
        }
        let digest = match image.digest() {
            Some(expected) => {
                expected.check(&bytes, &name)?;
                expected
            }
            None => Digest::sha256_of(&bytes),
        };
        let manifest = Manifest::parse(&bytes, None, &name)?;
        Ok(FetchedManifest {
            bytes: bytes.to_vec(),
            digest,
            manifest,
        })
    }

    /// Like [`Registry::manifest`], but a missing manifest is `None`.
    pub fn manifest_if_exists(&self, image: &ImageRef) -> Result<Option<FetchedManifest>> {
        match self.manifest(image) {
            Ok(m) => Ok(Some(m)),
            Err(OciError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Pushes manifest bytes under `image`'s tag or digest; returns the
    /// manifest's digest.
    pub fn put_manifest(
        &self,
        image: &ImageRef,
        bytes: Vec<u8>,
        media_type: &str,
    ) -> Result<Digest> {
        self.check_host(image)?;
        let digest = Digest::sha256_of(&bytes);
        if let Some(expected) = image.digest() {
            expected.check(&bytes, &image.to_string())?;
        }
        let name = image.to_string();
        let content_type = reqwest::header::HeaderValue::from_str(media_type).map_err(|_| {
            OciError::Malformed {
                reference: name.clone(),
                what: "media type",
                reason: format!("{media_type:?} is not a header value"),
            }
        })?;
        let client = self.client.clone();
        let auth = self.auth();
        let reference = image.as_client().clone();
        let n = name.clone();
        let limit = self.options.request_timeout.as_secs();
        self.run(&name, async move {
            client
                .store_auth_if_needed(reference.resolve_registry(), &auth)
                .await;
            client
                .auth(&reference, &auth, RegistryOperation::Push)
                .await
                .map_err(|e| map_error(e, &n, limit))?;
            client
                .push_manifest_raw(&reference, bytes, content_type)
                .await
                .map_err(|e| map_error(e, &n, limit))
        })?;
        Ok(digest)
    }

    /// Uploads a blob to `image`'s repository unless it is there already.
    pub fn put_blob(&self, image: &ImageRef, bytes: Vec<u8>) -> Result<Descriptor> {
        self.check_host(image)?;
        let digest = Digest::sha256_of(&bytes);
        let descriptor = Descriptor::of("application/octet-stream", &bytes);
        let name = format!("{}@{digest}", image.repository_ref());
        let client = self.client.clone();
        let auth = self.auth();
        let reference = image.as_client().clone();
        let n = name.clone();
        let limit = self.options.request_timeout.as_secs();
        self.run(&name, async move {
            client
                .auth(&reference, &auth, RegistryOperation::Push)
                .await
                .map_err(|e| map_error(e, &n, limit))?;
            if client
                .blob_exists(&reference, digest.as_str())
                .await
                .unwrap_or(false)
            {
                return Ok(());
            }
            client
                .push_blob(&reference, bytes, digest.as_str())
                .await
                .map_err(|e| map_error(e, &n, limit))
                .map(drop)
        })?;
        Ok(descriptor)
    }

    /// Downloads the blob `descriptor` names from `image`'s repository: the
    /// descriptor's size must be within `max_blob_bytes`, the body may not
    /// exceed it, and its digest must match.
    pub fn blob(&self, image: &ImageRef, descriptor: &Descriptor) -> Result<Vec<u8>> {
        self.check_host(image)?;
        let digest = Digest::parse(&descriptor.digest)?;
        let name = format!("{}@{digest}", image.repository_ref());
        let cap = self.options.max_blob_bytes;
        if descriptor.size > cap {
            return Err(OciError::TooLarge {
                reference: name,
                what: "blob",
                limit: cap,
            });
        }
        let client = self.client.clone();
        let auth = self.auth();
        let reference = image.as_client().clone();
        let n = name.clone();
        let limit = self.options.request_timeout.as_secs();
        let layer = oci_client::manifest::OciDescriptor {
            media_type: descriptor.media_type.clone(),
            digest: digest.to_string(),
            size: i64::try_from(descriptor.size).unwrap_or(i64::MAX),
            ..Default::default()
        };
        let bytes = self.run(&name, async move {
            client
                .auth(&reference, &auth, RegistryOperation::Pull)
                .await
                .map_err(|e| map_error(e, &n, limit))?;
            let mut stream = client
                .pull_blob_stream(&reference, &layer)
                .await
                .map_err(|e| map_error(e, &n, limit))?;
            if stream.content_length.is_some_and(|l| l > cap) {
                return Err(OciError::TooLarge {
                    reference: n,
                    what: "blob",
                    limit: cap,
                });
            }
            let mut out = Vec::new();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| OciError::Transport {
                    reference: n.clone(),
                    detail: e.to_string(),
                })?;
                if (out.len() + chunk.len()) as u64 > cap {
                    return Err(OciError::TooLarge {
                        reference: n,
                        what: "blob",
                        limit: cap,
                    });
                }
                out.extend_from_slice(&chunk);
            }
            Ok(out)
        })?;
        if bytes.len() as u64 != descriptor.size {
            return Err(OciError::Malformed {
                reference: name,
                what: "blob",
                reason: format!(
                    "{} bytes arrived, the descriptor says {}",
                    bytes.len(),
                    descriptor.size
                ),
            });
        }
        digest.check(&bytes, &name)?;
        Ok(bytes)
    }

    /// Asks the registry for the OCI 1.1 referrers API listing of
    /// `subject`. `Ok(None)` means the registry has no referrers API (it
    /// answered 404, as the spec says such registries do).
    pub fn referrers_api(&self, image: &ImageRef, subject: &Digest) -> Result<Option<Vec<u8>>> {
        self.check_host(image)?;
        let url = format!(
            "{}://{}/v2/{}/referrers/{}",
            self.scheme,
            self.host,
            image.repository(),
            subject
        );
        let name = format!("{}@{subject} (referrers)", image.repository_ref());
        let cap = self.options.max_manifest_bytes;
        let request = self.authorized(image, RegistryOperation::Pull, &name)?;
        let http = self.http.clone();
        let n = name.clone();
        self.run(&name, async move {
            let mut req = http
                .get(&url)
                .header(reqwest::header::ACCEPT, crate::manifest::OCI_INDEX);
            if let Some(h) = request {
                req = req.header(reqwest::header::AUTHORIZATION, h);
            }
            let response = req.send().await.map_err(|e| transport(e, &n))?;
            let status = response.status();
            if status == reqwest::StatusCode::NOT_FOUND {
                return Ok(None);
            }
            if !status.is_success() {
                return Err(status_error(status, &n));
            }
            read_capped(response, cap, &n, "referrers index")
                .await
                .map(Some)
        })
    }

    /// Deletes the manifest `digest` from `image`'s repository.
    pub fn delete_manifest(&self, image: &ImageRef, digest: &Digest) -> Result<()> {
        self.check_host(image)?;
        let url = format!(
            "{}://{}/v2/{}/manifests/{}",
            self.scheme,
            self.host,
            image.repository(),
            digest
        );
        let name = format!("{}@{digest}", image.repository_ref());
        let request = self.authorized(image, RegistryOperation::Push, &name)?;
        let http = self.http.clone();
        let n = name.clone();
        self.run(&name, async move {
            let mut req = http.delete(&url);
            if let Some(h) = request {
                req = req.header(reqwest::header::AUTHORIZATION, h);
            }
            let response = req.send().await.map_err(|e| transport(e, &n))?;
            let status = response.status();
            if status.is_success() {
                Ok(())
            } else {
                Err(status_error(status, &n))
            }
        })
    }

    /// The `Authorization` header for a raw request: the bearer token the
    /// client obtained, or basic credentials, or none.
    fn authorized(
        &self,
        image: &ImageRef,
        operation: RegistryOperation,
        name: &str,
    ) -> Result<Option<String>> {
        let client = self.client.clone();
        let auth = self.auth();
        let reference = image.as_client().clone();
        let n = name.to_owned();
        let limit = self.options.request_timeout.as_secs();
        let token = self.run(name, async move {
            client
                .auth(&reference, &auth, operation)
                .await
                .map_err(|e| map_error(e, &n, limit))
        })?;
        Ok(match (token, &self.options.credentials) {
            (Some(t), _) => Some(format!("Bearer {t}")),
            (None, Credentials::Basic { username, password }) => {
                use base64::Engine as _;
                let raw = format!("{username}:{password}");
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw)
                ))
            }
            (None, Credentials::Bearer(t)) => Some(format!("Bearer {t}")),
            (None, Credentials::Anonymous) => None,
        })
    }
}

async fn read_capped(
    mut response: reqwest::Response,
    cap: u64,
    name: &str,
    what: &'static str,
) -> Result<Vec<u8>> {
    if response.content_length().is_some_and(|l| l > cap) {
        return Err(OciError::TooLarge {
            reference: name.to_owned(),
            what,
            limit: cap,
        });
    }
    let mut out = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport(e, name))? {
        if (out.len() + chunk.len()) as u64 > cap {
            return Err(OciError::TooLarge {
                reference: name.to_owned(),
                what,
                limit: cap,
            });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

fn status_error(status: reqwest::StatusCode, name: &str) -> OciError {
    match status.as_u16() {
        404 => OciError::NotFound {
            reference: name.to_owned(),
        },
        401 | 403 => OciError::Denied {
            reference: name.to_owned(),
            detail: format!("HTTP {status}"),
        },
        _ => OciError::Registry {
            reference: name.to_owned(),
            detail: format!("HTTP {status}"),
        },
    }
}

fn transport(e: reqwest::Error, name: &str) -> OciError {
    OciError::Transport {
        reference: name.to_owned(),
        detail: error_chain(&e),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 300 {
        let mut s: String = one_line.chars().take(300).collect();
        s.push('…');
        s
    } else {
        one_line
    }
}

/// Maps the client's error to ours, naming the reference.
fn map_error(e: OciDistributionError, name: &str, timeout_secs: u64) -> OciError {
    let reference = name.to_owned();
    match e {
        OciDistributionError::UnauthorizedError { .. } => OciError::Denied {
            reference,
            detail: "HTTP 401 Unauthorized".to_owned(),
        },
        OciDistributionError::AuthenticationFailure(detail) => OciError::Denied {
            reference,
            detail: format!("token request refused: {}", shorten(&detail)),
        },
        OciDistributionError::RegistryError { envelope, .. } => {
            let codes: Vec<&OciErrorCode> = envelope.errors.iter().map(|e| &e.code).collect();
            let detail = shorten(
                &envelope
                    .errors
                    .iter()
                    .map(|e| format!("{:?}: {}", e.code, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            if codes.iter().any(|c| {
                matches!(
                    c,
                    OciErrorCode::ManifestUnknown
                        | OciErrorCode::BlobUnknown
                        | OciErrorCode::NameUnknown
                        | OciErrorCode::NotFound
                )
            }) {
                OciError::NotFound { reference }
            } else if codes
                .iter()
                .any(|c| matches!(c, OciErrorCode::Unauthorized | OciErrorCode::Denied))
            {
                OciError::Denied { reference, detail }
            } else {
                OciError::Registry { reference, detail }
            }
        }
        OciDistributionError::ServerError { code, message, .. } => match code {
            404 => OciError::NotFound { reference },
            401 | 403 => OciError::Denied {
                reference,
                detail: format!("HTTP {code}"),
            },
            _ => OciError::Registry {
                reference,
                detail: format!("HTTP {code}: {}", shorten(&message)),
            },
        },
        OciDistributionError::ImageManifestNotFoundError(_) => OciError::NotFound { reference },
        OciDistributionError::DigestError(d) => match d {
            oci_client::errors::DigestError::VerificationError { expected, actual } => {
                OciError::DigestMismatch {
                    reference,
                    expected,
                    actual,
                }
            }
            other => OciError::Malformed {
                reference,
                what: "digest header",
                reason: other.to_string(),
            },
        },
        OciDistributionError::RequestError(r) => {
            if r.is_timeout() {
                OciError::Timeout {
                    reference,
                    seconds: timeout_secs,
                }
            } else {
                OciError::Transport {
                    reference,
                    detail: shorten(&error_chain(&r)),
                }
            }
        }
        OciDistributionError::ManifestParsingError(m)
        | OciDistributionError::VersionedParsingError(m)
        | OciDistributionError::SpecViolationError(m) => OciError::Malformed {
            reference,
            what: "manifest",
            reason: shorten(&m),
        },
        OciDistributionError::UnsupportedMediaTypeError(m) => OciError::Malformed {
            reference,
            what: "manifest",
            reason: format!("unsupported media type {}", shorten(&m)),
        },
        OciDistributionError::UnsupportedSchemaVersionError(v) => OciError::Malformed {
            reference,
            what: "manifest",
            reason: format!("schemaVersion {v}"),
        },
        other => OciError::Registry {
            reference,
            detail: shorten(&other.to_string()),
        },
    }
}
