//! The signing session: ephemeral key, Fulcio certificate, signatures,
//! Rekor entries and timestamps.

use super::{Endpoints, IdentityToken, KeylessError, Service};
use sigstore_crypto::KeyPair;
use sigstore_types::{
    DerCertificate, DsseEnvelope, KindVersion, Sha256Hash, SignatureBytes, TransparencyLogEntry,
};
use std::time::Duration;

/// What was signed: a SHA-256 digest or a DSSE envelope's PAE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// A `messageSignature` over an artifact's SHA-256 digest.
    MessageDigest,
    /// A DSSE signature over `PAE(payloadType, payload)`.
    Dsse,
}

/// One keyless signature and the evidence a bundle carries with it.
#[derive(Debug, Clone)]
pub struct KeylessSignature {
    /// What the signature is over.
    pub signed: Signed,
    /// The ECDSA P-256 signature (ASN.1 DER).
    pub signature: Vec<u8>,
    /// The Fulcio certificate chain, DER, leaf first (a v0.3 bundle carries
    /// the leaf only).
    pub certificate_chain: Vec<Vec<u8>>,
    /// The Rekor entry as a bundle carries it (canonicalized body, kind and
    /// version, inclusion proof with checkpoint, signed entry timestamp).
    pub tlog_entry: TransparencyLogEntry,
    /// An RFC 3161 `TimeStampResp` (DER) over the signature bytes, when a
    /// timestamp authority was used.
    pub rfc3161_timestamp: Option<Vec<u8>>,
}

/// A keyless signing session: one ephemeral key and its certificate, used
/// for any number of signatures.
pub struct KeylessSigner {
    endpoints: Endpoints,
    timeout: Duration,
    key: KeyPair,
    chain: Vec<DerCertificate>,
    identity: String,
    issuer: String,
}

impl std::fmt::Debug for KeylessSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeylessSigner")
            .field("endpoints", &self.endpoints)
            .field("identity", &self.identity)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl KeylessSigner {
    /// Makes an ephemeral ECDSA P-256 key and gets a certificate for it
    /// from Fulcio, proving possession by signing the token's identity.
    pub fn new(
        endpoints: Endpoints,
        token: &IdentityToken,
        timeout: Duration,
    ) -> Result<Self, KeylessError> {
        let key = KeyPair::generate_ecdsa_p256().map_err(|e| KeylessError::Key(e.to_string()))?;
        let err = |reason: String| KeylessError::Service {
            service: Service::Fulcio,
            url: format!("{}/api/v2/signingCert", endpoints.fulcio),
            reason,
        };
        let client = sigstore_fulcio::FulcioClient::builder(endpoints.fulcio.clone())
            .with_http_client(http_client(timeout).map_err(err)?)
            .build()
            .map_err(|e| err(e.to_string()))?;
        let cert = request(
            timeout,
            client.create_signing_certificate(&token.inner, &key),
        )
        .map_err(err)?;
        let chain = match cert {
            sigstore_fulcio::SigningCertificate::EmbeddedSct { chain } => chain,
            // A bundle has no place for a detached SCT.
            _ => {
                return Err(err(
                    "certificate came with a detached SCT; a Sigstore bundle needs it embedded"
                        .into(),
                ));
            }
        };
        // What the certificate says, not what the token said: Fulcio may
        // certify another claim (GitHub's workflow URI, not `sub`).
        let (identity, issuer) = chain
            .first()
            .and_then(|leaf| certified_identity(leaf.as_bytes()))
            .ok_or_else(|| err("certificate names no identity (SAN) or OIDC issuer".into()))?;
        Ok(KeylessSigner {
            endpoints,
            timeout,
            key,
            chain,
            identity,
            issuer,
        })
    }

    /// The identity the certificate binds (its SAN: an email or a URI).
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The OIDC issuer the certificate names (Fulcio's issuer extension).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The certificate chain Fulcio returned, DER, leaf first.
    pub fn certificate_chain(&self) -> Vec<Vec<u8>> {
        self.chain.iter().map(|c| c.as_bytes().to_vec()).collect()
    }

    /// Signs an artifact's SHA-256 digest (computed by the digest engine;
    /// nothing is read here) and logs a `hashedrekord` 0.0.1 entry.
    pub fn sign_digest(&self, sha256: &[u8; 32]) -> Result<KeylessSignature, KeylessError> {
        let hash = Sha256Hash::new(*sha256);
        let signature = self
            .key
            .sign_digest(&hash)
            .map_err(|e| KeylessError::Key(e.to_string()))?;
        let entry = sigstore_rekor::HashedRekord::new(&hash, &signature, self.leaf());
        let (client, err) = self.rekor()?;
        let logged = request(self.timeout, client.create_entry(entry)).map_err(&err)?;
        let tlog_entry = logged
            .to_bundle_entry(KindVersion::HashedRekordV001)
            .map_err(|e| err(format!("log entry does not fit a bundle: {e}")))?;
        self.finish(Signed::MessageDigest, signature, tlog_entry)
    }

    /// Signs `PAE(payload_type, payload)` of a DSSE envelope and logs a
    /// `dsse` 0.0.1 entry.
    pub fn sign_dsse(
        &self,
        payload_type: &str,
        payload: &[u8],
    ) -> Result<KeylessSignature, KeylessError> {
        let pae = sigstore_types::pae(payload_type, payload);
        let signature = self
            .key
            .sign(&pae)
            .map_err(|e| KeylessError::Key(e.to_string()))?;
        let envelope = DsseEnvelope::new(
            payload_type,
            payload.to_vec().into(),
            sigstore_types::DsseSignature::new(signature.clone(), Default::default()),
        );
        let (client, err) = self.rekor()?;
        let entry = sigstore_rekor::DsseEntry::new(&envelope, self.leaf())
            .map_err(|e| err(format!("cannot encode the entry: {e}")))?;
        let logged = request(self.timeout, client.create_dsse_entry(entry)).map_err(&err)?;
        let tlog_entry = logged
            .to_bundle_entry(KindVersion::DsseV001)
            .map_err(|e| err(format!("log entry does not fit a bundle: {e}")))?;
        self.finish(Signed::Dsse, signature, tlog_entry)
    }

    fn leaf(&self) -> &DerCertificate {
        // `new` only keeps chains Fulcio's client parsed as non-empty.
        &self.chain[0]
    }

    #[allow(clippy::type_complexity)]
    fn rekor(
        &self,
    ) -> Result<
        (
            sigstore_rekor::RekorClient,
            impl Fn(String) -> KeylessError + '_,
        ),
        KeylessError,
    > {
        let err = move |reason: String| KeylessError::Service {
            service: Service::Rekor,
            url: format!("{}/api/v1/log/entries", self.endpoints.rekor),
            reason,
        };
        let client = sigstore_rekor::RekorClient::builder(self.endpoints.rekor.clone())
            .with_http_client(http_client(self.timeout).map_err(&err)?)
            .build()
            .map_err(|e| err(e.to_string()))?;
        Ok((client, err))
    }

    fn finish(
        &self,
        signed: Signed,
        signature: SignatureBytes,
        tlog_entry: TransparencyLogEntry,
    ) -> Result<KeylessSignature, KeylessError> {
        let rfc3161_timestamp = match &self.endpoints.tsa {
            None => None,
            Some(url) => {
                let err = |reason: String| KeylessError::Service {
                    service: Service::Tsa,
                    url: url.clone(),
                    reason,
                };
                let client = sigstore_tsa::TimestampClient::builder(url.clone())
                    .with_http_client(http_client(self.timeout).map_err(err)?)
                    .build()
                    .map_err(|e| err(e.to_string()))?;
                let token =
                    request(self.timeout, client.timestamp_signature(&signature)).map_err(err)?;
                Some(token.as_bytes().to_vec())
            }
        };
        Ok(KeylessSignature {
            signed,
            signature: signature.as_bytes().to_vec(),
            certificate_chain: self.certificate_chain(),
            tlog_entry,
            rfc3161_timestamp,
        })
    }
}

/// The SAN (email or URI) and the Fulcio OIDC-issuer extension
/// (1.3.6.1.4.1.57264.1.8, else the older .1.1) of a leaf certificate.
fn certified_identity(leaf_der: &[u8]) -> Option<(String, String)> {
    use x509_cert::der::{Decode, asn1::Utf8StringRef};
    let cert = x509_cert::Certificate::from_der(leaf_der).ok()?;
    let exts = cert.tbs_certificate.extensions.as_deref()?;
    let identity = apostille_formats::fulcio::san_identity(leaf_der).ok()?;
    let mut issuer_v1 = None;
    let mut issuer_v2 = None;
    for ext in exts {
        let value = ext.extn_value.as_bytes();
        match ext.extn_id.to_string().as_str() {
            "1.3.6.1.4.1.57264.1.8" => {
                issuer_v2 = Utf8StringRef::from_der(value).ok().map(|s| s.to_string());
            }
            "1.3.6.1.4.1.57264.1.1" => {
                issuer_v1 = std::str::from_utf8(value).ok().map(str::to_string);
            }
            _ => {}
        }
    }
    Some((identity?, issuer_v2.or(issuer_v1)?))
}

/// An HTTP client with a whole-request timeout, shared by every service.
pub(super) fn http_client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("apostille/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot set up HTTP: {e}"))
}

/// Runs one request on a private single-threaded runtime.
pub(super) fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the I/O runtime: {e}"))?;
    Ok(rt.block_on(future))
}

/// Runs one service call; a failure that took the whole timeout is said to
/// be one (the clients' own messages do not always tell).
fn request<T, E: std::fmt::Display>(
    timeout: Duration,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, String> {
    let started = std::time::Instant::now();
    match block_on(future)? {
        Ok(v) => Ok(v),
        Err(e) if started.elapsed() >= timeout => Err(format!(
            "no answer within {} s ({e})",
            timeout.as_secs_f32()
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// A transport error in words: timeout, connection, or the error itself.
pub(super) fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("timed out ({e})")
    } else if e.is_connect() {
        format!("cannot connect ({e})")
    } else {
        e.to_string()
    }
}
