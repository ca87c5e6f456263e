//! Sigstore bundles (`*.sigstore.json`) verified offline: a message
//! signature over a blob or a DSSE envelope over an in-toto statement,
//! checked against a trusted root and a signer policy.
//!
//! * [`Bundle::parse`] reads bundles v0.1, v0.2 and v0.3 in every media-type
//!   spelling; anything else is a [`BundleError::Malformed`] naming the file,
//!   and a bare DSSE envelope is [`BundleError::NeedsLogLookup`].
//!   [`parse_file`] reads a file of one bundle or of JSON lines of them.
//! * [`TrustedRoot::public_good`], [`TrustedRoot::staging`] and
//!   [`TrustedRoot::github`] are embedded at build time: nothing is fetched.
//!   [`TrustedRoot::parse`] takes a private instance's. A root without a
//!   transparency log (GitHub's) makes an RFC 3161 timestamp the evidence.
//! * [`Policy`] says who must have signed: a certificate identity (exact or
//!   a regular expression, matched against the e-mail, URI or Fulcio
//!   username SAN) issued by one OIDC issuer, or one public key.
//! * [`Verifier::verify`] decides from the artifact's digests alone
//!   ([`Bundle::artifact_algorithms`] says which: SHA-256, or SHA-512 for
//!   npm's subjects), which come from the digest engine's single pass (or
//!   from a `sha256:`/`sha512:` argument, [`digest_argument`]): this module
//!   never opens the artifact. It returns a [`Verdict`]: who signed, or a
//!   [`Failure`] with a [`Reason`] category.
//!
//! The cryptography (certificate chain, SCTs, Rekor v1/v2 inclusion proofs,
//! checkpoints and SETs, RFC 3161 timestamps) is sigstore-rust's
//! `sigstore-verify`, chosen by running it and sigstore-rs over the
//! sigstore-conformance vectors (`docs/verify-bundle.md`). Its types stay
//! inside this module so that the engine behind it can be swapped.
//!
//! What it will not do: go online (a bare envelope's log entry is
//! [`crate::log_lookup`]'s, on request), read the artifact, or accept a
//! bundle without a signer policy.

use std::fmt;
use std::path::{Path, PathBuf};

use apostille_digest::Algorithm;
use apostille_digest::value::Digest;
use sigstore_verify::error::{CertificateError, TimestampError, TransparencyLogError};
use sigstore_verify::types::DerPublicKey;
use sigstore_verify::{PublicKeyVerificationPolicy, VerificationPolicy};

/// The public-good instance's `trusted_root.json`, as sigstore-python ships
/// it (copied from sigstore-conformance `test/assets/trusted_root.production.json`,
/// which is public data of the Sigstore project, Apache-2.0).
pub(crate) const PUBLIC_GOOD_ROOT: &[u8] = include_bytes!("../data/trusted_root.production.json");
/// The staging instance's `trusted_root.json`, from the same source
/// (`test/assets/trusted_root.staging.json`).
pub(crate) const STAGING_ROOT: &[u8] = include_bytes!("../data/trusted_root.staging.json");

/// The largest bundle or trusted root this module parses (real ones are a
/// few KiB; attestations with large predicates stay far below).
pub const MAX_DOCUMENT_LEN: usize = 16 << 20;

/// Why a check failed, in the five categories a user acts on differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A cryptographic signature did not verify: over the artifact or the
    /// DSSE payload, the certificate chain to the trusted root, the SCT; or
    /// the bundle does not cover this artifact.
    Signature,
    /// Transparency-log evidence failed: inclusion proof, checkpoint,
    /// signed entry timestamp (SET), an unknown log, or a log entry that
    /// does not describe this bundle.
    Proof,
    /// The signer is not the one the policy asks for (certificate identity,
    /// OIDC issuer, or public key).
    Identity,
    /// A time check failed: the signing time is outside the certificate's
    /// or an authority's validity, in the future, or cannot be established
    /// from a trusted timestamp.
    Time,
    /// The bundle (or trusted root, or key) cannot be read as what it
    /// claims to be, or uses a form this verifier does not support.
    Malformed,
    /// The signature is good but the attestation does not say what the
    /// policy requires: predicate type, source repository or ref, builder
    /// ([`crate::provenance`]).
    Policy,
}

impl Reason {
    /// The category's name, as printed: `signature`, `proof`, `identity`,
    /// `time`, `malformed` or `policy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Signature => "signature",
            Reason::Proof => "proof",
            Reason::Identity => "identity",
            Reason::Time => "time",
            Reason::Malformed => "malformed",
            Reason::Policy => "policy",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed verification: its category and what exactly went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The category.
    pub reason: Reason,
    /// A human-readable description.
    pub detail: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.detail)
    }
}

/// A document that cannot be used, naming the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The bundle, trusted root or key is not valid (bad JSON, unknown
    /// media type, bad base64, missing fields, unusable key material).
    #[error("{}: {problem}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The bundle cannot be read because its transparency-log evidence (a
    /// checkpoint) is not well formed.
    #[error("{}: {problem}", path.display())]
    BadProof {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The document is larger than [`MAX_DOCUMENT_LEN`].
    #[error("{}: {len} bytes, more than the {MAX_DOCUMENT_LEN} a Sigstore document may have", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its length.
        len: usize,
    },
    /// A bare DSSE envelope (`.intoto.jsonl` of slsa-github-generator
    /// before v2.1): its signature's certificate and log entry are not
    /// with it, so it cannot be verified offline.
    #[error("{}: a bare DSSE envelope, not a Sigstore bundle: it carries no transparency-log entry, so it cannot be verified offline; it needs a transparency-log lookup (`verify attestation --rekor-url URL` makes one)", path.display())]
    NeedsLogLookup {
        /// The file.
        path: PathBuf,
    },
    /// An identity regular expression that does not compile.
    #[error("bad certificate identity regexp {pattern:?}: {problem}")]
    BadRegexp {
        /// The expression.
        pattern: String,
        /// The compiler's complaint.
        problem: String,
    },
}

impl BundleError {
    /// The failure this error is, as a verdict: [`Reason::Proof`] for a
    /// malformed checkpoint, [`Reason::Malformed`] for everything else.
    pub fn to_failure(&self) -> Failure {
        let reason = match self {
            BundleError::BadProof { .. } | BundleError::NeedsLogLookup { .. } => Reason::Proof,
            _ => Reason::Malformed,
        };
        Failure {
            reason,
            detail: self.to_string(),
        }
    }
}

fn check_len(bytes: &[u8], path: &Path) -> Result<(), BundleError> {
    if bytes.len() > MAX_DOCUMENT_LEN {
        return Err(BundleError::TooLarge {
            path: path.to_path_buf(),
            len: bytes.len(),
        });
    }
    Ok(())
}

fn malformed(path: &Path, problem: impl fmt::Display) -> BundleError {
    BundleError::Malformed {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    }
}

/// The format version of a bundle, from its media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BundleVersion {
    /// `application/vnd.dev.sigstore.bundle+json;version=0.1`: may carry
    /// only a signed entry timestamp.
    V0_1,
    /// `…;version=0.2`: must carry an inclusion proof.
    V0_2,
    /// `application/vnd.dev.sigstore.bundle.v0.3+json` (or `…;version=0.3`):
    /// a single leaf certificate.
    V0_3,
}

/// What a bundle signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// A signature over the artifact's digest (`cosign sign-blob`).
    MessageSignature,
    /// A DSSE envelope, usually an in-toto statement naming the artifact as
    /// a subject (`cosign attest-blob`, GitHub attestations).
    DsseEnvelope,
}

/// A parsed Sigstore bundle.
#[derive(Debug)]
pub struct Bundle {
    inner: sigstore_verify::types::Bundle,
    path: PathBuf,
    version: BundleVersion,
    content: ContentKind,
}

impl Bundle {
    /// Parses a bundle read from `path` (used in error messages only).
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Bundle, BundleError> {
        check_len(bytes, path)?;
        let text = std::str::from_utf8(bytes).map_err(|e| malformed(path, e))?;
        check_top_level(text, path)?;
        let inner = match sigstore_verify::types::Bundle::from_json(text) {
            Ok(b) => b,
            Err(e) => match unwrapped_base64(text) {
                Some(b) => b,
                None => {
                    let problem = format!("not a Sigstore bundle: {e}");
                    return Err(if problem.contains("checkpoint") {
                        BundleError::BadProof {
                            path: path.to_path_buf(),
                            problem,
                        }
                    } else {
                        malformed(path, problem)
                    });
                }
            },
        };
        use sigstore_verify::types::{MediaType, SignatureContent};
        let version = match inner.media_type() {
            MediaType::Bundle0_1 => BundleVersion::V0_1,
            MediaType::Bundle0_2 => BundleVersion::V0_2,
            MediaType::Bundle0_3 => BundleVersion::V0_3,
            _ => return Err(malformed(path, "unsupported bundle media type")),
        };
        let content = match inner.content {
            SignatureContent::MessageSignature(_) => ContentKind::MessageSignature,
            SignatureContent::DsseEnvelope(_) => ContentKind::DsseEnvelope,
            _ => return Err(malformed(path, "unsupported bundle content")),
        };
        Ok(Bundle {
            inner,
            path: path.to_path_buf(),
            version,
            content,
        })
    }

    /// Structural rules sigstore-verify does not enforce first: a
    /// certificate chain must hold a certificate and no self-signed (root)
    /// one, since trust anchors come from the trusted root only. One
    /// exception, for what older clients wrote (npm before 2023,
    /// slsa-github-generator's container builder, sigstore-js's
    /// `bundleV01-full-cert-chain`): in a v0.1 or v0.2 bundle, a root *last*
    /// in the chain that is byte for byte a CA certificate of the trusted
    /// root adds nothing and is dropped. Returns the bundle to verify: this
    /// one, or a copy without that root.
    fn check_chain(
        &self,
        root: &TrustedRoot,
    ) -> Result<Option<sigstore_verify::types::Bundle>, Failure> {
        use sigstore_verify::types::bundle::VerificationMaterialContent as C;
        use x509_cert::der::Decode;
        let C::X509CertificateChain { certificates } = &self.inner.verification_material.content
        else {
            return Ok(None);
        };
        if certificates.is_empty() {
            return Err(Failure {
                reason: Reason::Malformed,
                detail: "the certificate chain is empty".into(),
            });
        }
        let mut drop_last = false;
        for (i, c) in certificates.iter().enumerate() {
            let cert =
                x509_cert::Certificate::from_der(c.raw_bytes.as_bytes()).map_err(|e| Failure {
                    reason: Reason::Malformed,
                    detail: format!("a certificate of the chain cannot be parsed: {e}"),
                })?;
            if cert.tbs_certificate.subject == cert.tbs_certificate.issuer {
                let last = i > 0 && i + 1 == certificates.len();
                let old_version = matches!(self.version, BundleVersion::V0_1 | BundleVersion::V0_2);
                let trusted = root
                    .ca_certs
                    .iter()
                    .any(|t| t.as_slice() == c.raw_bytes.as_bytes());
                if last && old_version && trusted {
                    drop_last = true;
                    continue;
                }
                let why = if !trusted {
                    "it is not a CA of the trusted root"
                } else if !last {
                    "only the last certificate of a chain may be a root"
                } else {
                    "a v0.3 bundle carries its leaf certificate alone"
                };
                return Err(Failure {
                    reason: Reason::Malformed,
                    detail: format!(
                        "the certificate chain holds a root certificate ({}), and {why}: roots come from the trusted root only",
                        cert.tbs_certificate.subject
                    ),
                });
            }
        }
        if !drop_last {
            return Ok(None);
        }
        let mut copy = self.inner.clone();
        if let C::X509CertificateChain { certificates } = &mut copy.verification_material.content {
            certificates.pop();
        }
        Ok(Some(copy))
    }

    fn has_public_key_hint(&self) -> bool {
        matches!(
            self.inner.verification_material.content,
            sigstore_verify::types::bundle::VerificationMaterialContent::PublicKey(_)
        )
    }

    /// The file the bundle was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bundle's format version.
    pub fn version(&self) -> BundleVersion {
        self.version
    }

    /// What the bundle signs.
    pub fn content(&self) -> ContentKind {
        self.content
    }

    /// The DSSE envelope's payload type and payload (an in-toto statement,
    /// usually), when the bundle carries one. Trust it only after
    /// [`Verifier::verify`] said the bundle verified.
    pub fn dsse_payload(&self) -> Option<(&str, &[u8])> {
        match &self.inner.content {
            sigstore_verify::types::SignatureContent::DsseEnvelope(env) => {
                Some((env.payload_type.as_str(), env.payload.as_bytes()))
            }
            _ => None,
        }
    }

    /// The signing (leaf) certificate, DER, of a keyless bundle.
    pub fn certificate_der(&self) -> Option<&[u8]> {
        self.inner.signing_certificate().map(|c| c.as_bytes())
    }

    /// The digests of the artifact this bundle is decided from, for the
    /// engine's single read: SHA-256 for a message signature; for a DSSE
    /// statement, each subject's first of SHA-256, SHA-512 and SHA-384 (so
    /// that npm's SHA-512-only subjects cost one SHA-512, and statements
    /// naming both cost one SHA-256). A statement that cannot be read asks
    /// for SHA-256, and fails when verified.
    pub fn artifact_algorithms(&self) -> Vec<Algorithm> {
        let Some((ty, payload)) = self.dsse_payload() else {
            return vec![Algorithm::Sha256];
        };
        let Ok(st) = crate::provenance::Statement::parse(ty, payload) else {
            return vec![Algorithm::Sha256];
        };
        let mut out = Vec::new();
        for s in &st.subjects {
            let first = [
                (Algorithm::Sha256, "sha256"),
                (Algorithm::Sha512, "sha512"),
                (Algorithm::Sha384, "sha384"),
            ]
            .into_iter()
            .find(|(_, n)| s.digest.contains_key(*n));
            if let Some((a, _)) = first
                && !out.contains(&a)
            {
                out.push(a);
            }
        }
        if out.is_empty() {
            out.push(Algorithm::Sha256);
        }
        out.sort_by_key(|a| match a {
            Algorithm::Sha256 => 0,
            Algorithm::Sha512 => 1,
            _ => 2,
        });
        out
    }

    /// The one digest of `artifact` the bundle is bound by: SHA-256 for a
    /// message signature; for a statement, the first of `artifact` that a
    /// subject names (else the first usable one, so that the mismatch is
    /// reported as the library reports it).
    fn binding_digest(&self, artifact: &[Digest]) -> Result<Digest, Failure> {
        let usable = |d: &&Digest| matches!(d.algorithm(), Algorithm::Sha256 | Algorithm::Sha512);
        let Some((ty, payload)) = self.dsse_payload() else {
            return artifact
                .iter()
                .find(|d| d.algorithm() == Algorithm::Sha256)
                .copied()
                .ok_or_else(|| Failure {
                    reason: Reason::Malformed,
                    detail: format!(
                        "a message signature is bound by the artifact's SHA-256, and only its {} was given",
                        names(artifact)
                    ),
                });
        };
        let st = crate::provenance::Statement::parse(ty, payload)?;
        if let Some(d) = artifact
            .iter()
            .filter(usable)
            .find(|d| st.subject_for(d).is_some())
        {
            return Ok(*d);
        }
        if let Some(d) = artifact.iter().find(|d| st.subject_for(d).is_some()) {
            return Err(Failure {
                reason: Reason::Malformed,
                detail: format!(
                    "the statement names the artifact by {} only; Sigstore verification binds an attestation by SHA-256 or SHA-512",
                    d.algorithm().name()
                ),
            });
        }
        artifact
            .iter()
            .find(usable)
            .copied()
            .ok_or_else(|| Failure {
                reason: Reason::Signature,
                detail: format!(
                    "the statement does not name the artifact ({}) among its {} subject(s)",
                    names(artifact),
                    st.subjects.len()
                ),
            })
    }
}

/// `sha256, sha512` of the digests given.
fn names(ds: &[Digest]) -> String {
    if ds.is_empty() {
        return "no digest".into();
    }
    ds.iter()
        .map(|d| d.algorithm().name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One bundle of a bundle file: the line it is on (JSON lines) and the
/// bundle, or why it cannot be read.
#[derive(Debug)]
pub struct BundleLine {
    /// 1-based line number, for a file of JSON lines; `None` for a file
    /// holding one JSON document.
    pub line: Option<usize>,
    /// Where in the file it is (the whole file, or the line).
    pub span: std::ops::Range<usize>,
    /// The bundle.
    pub parsed: Result<Bundle, BundleError>,
}

/// Reads a bundle file: one JSON document (`*.sigstore.json`), or JSON
/// lines with one bundle per line, as `gh attestation download` writes
/// (`sha256:HEX.jsonl`) and slsa-github-generator's `*.intoto.jsonl`. A
/// file that is one JSON value over several lines is one bundle, whatever
/// its name; lines are numbered in a file named as JSON lines.
pub fn parse_file(bytes: &[u8], path: &Path) -> Vec<BundleLine> {
    use std::os::unix::ffi::OsStrExt as _;
    let named_lines = apostille_formats::layout::is_bundle_lines(
        path.file_name().map(|n| n.as_bytes()).unwrap_or_default(),
    );
    let mut lines: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut start = 0;
    for (i, l) in bytes.split(|&b| b == b'\n').enumerate() {
        if !l.iter().all(u8::is_ascii_whitespace) {
            lines.push((i + 1, start..start + l.len()));
        }
        start += l.len() + 1;
    }
    // A JSON-lines name (`*.jsonl`) is read by lines, unless the file is one
    // JSON value laid out over several; any other name is one bundle
    // unless it is not one JSON value but several lines.
    let one = bytes.len() > MAX_DOCUMENT_LEN
        || (!named_lines || lines.len() > 1)
            && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
    if one || (!named_lines && lines.len() < 2) || lines.is_empty() {
        return vec![BundleLine {
            line: None,
            span: 0..bytes.len(),
            parsed: Bundle::parse(bytes, path),
        }];
    }
    lines
        .into_iter()
        .map(|(n, span)| BundleLine {
            line: Some(n),
            parsed: Bundle::parse(&bytes[span.clone()], path),
            span,
        })
        .collect()
}

/// A Sigstore trusted root: the certificate authorities, transparency logs,
/// CT logs and timestamp authorities to believe, with their validity windows.
pub struct TrustedRoot {
    verifier: sigstore_verify::Verifier,
    origin: String,
    /// Every certificate of every Fulcio CA chain, DER: a root a bundle
    /// carries is accepted only when it is one of these.
    ca_certs: Vec<Vec<u8>>,
    /// Whether the root lists transparency logs: GitHub's instance for
    /// private repositories has none, and its bundles no log entry.
    has_tlogs: bool,
    /// Whether it lists CT logs (GitHub's certificates carry no SCT).
    has_ctlogs: bool,
}

impl fmt::Debug for TrustedRoot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustedRoot")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl TrustedRoot {
    /// The Sigstore public-good instance, embedded in this build.
    pub fn public_good() -> Result<TrustedRoot, BundleError> {
        Self::parse_named(
            PUBLIC_GOOD_ROOT,
            Path::new("(embedded public-good trusted root)"),
        )
    }

    /// The Sigstore staging instance, embedded in this build.
    pub fn staging() -> Result<TrustedRoot, BundleError> {
        Self::parse_named(STAGING_ROOT, Path::new("(embedded staging trusted root)"))
    }

    /// GitHub's own Sigstore instance (`fulcio.githubapp.com`,
    /// `timestamp.githubapp.com`: artifact attestations of private
    /// repositories), as sigstore-rust's `sigstore-trust-root` embeds it
    /// from GitHub's TUF repository (<https://tuf-repo.github.com>). It has
    /// no transparency log: its bundles carry an RFC 3161 timestamp instead.
    pub fn github() -> Result<TrustedRoot, BundleError> {
        Self::parse_named(
            sigstore_verify::trust_root::SIGSTORE_GITHUB_TRUSTED_ROOT.as_bytes(),
            Path::new("(embedded GitHub trusted root)"),
        )
    }

    /// Parses a `trusted_root.json` read from `path`.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<TrustedRoot, BundleError> {
        Self::parse_named(bytes, path)
    }

    /// Parses `bytes` and names it `origin` (an embedded root, a cache).
    pub fn parse_as(bytes: &[u8], origin: &str) -> Result<TrustedRoot, BundleError> {
        Self::parse_named(bytes, Path::new(origin))
    }

    fn parse_named(bytes: &[u8], path: &Path) -> Result<TrustedRoot, BundleError> {
        check_len(bytes, path)?;
        let text = std::str::from_utf8(bytes).map_err(|e| malformed(path, e))?;
        let root = sigstore_verify::trust_root::TrustedRoot::from_json(text)
            .map_err(|e| malformed(path, format!("not a trusted root: {e}")))?;
        let verifier = sigstore_verify::Verifier::new(&root)
            .map_err(|e| malformed(path, format!("unusable trusted root: {e}")))?;
        Ok(TrustedRoot {
            verifier,
            origin: path.display().to_string(),
            ca_certs: root
                .fulcio_certs()
                .iter()
                .map(|c| c.as_bytes().to_vec())
                .collect(),
            has_tlogs: !root.tlogs.is_empty(),
            has_ctlogs: !root.ctlogs.is_empty(),
        })
    }

    /// Whether the root lists a transparency log. Without one (GitHub's
    /// private-repository instance), bundles are verified from their RFC
    /// 3161 timestamp and the verdict says the log was not checked.
    pub fn has_transparency_log(&self) -> bool {
        self.has_tlogs
    }

    /// Where the root came from: a file name, or which embedded root.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// How the certificate's identity (its SAN: a workflow URI, an email
/// address) must look.
#[derive(Clone, Debug)]
pub enum IdentityRule {
    /// Equal to this string.
    Exact(String),
    /// Matched by this regular expression, unanchored as in cosign's
    /// `--certificate-identity-regexp` (write `^…$` to match it whole).
    Regexp(regex::Regex),
}

impl IdentityRule {
    /// Compiles a regular expression rule.
    pub fn regexp(pattern: &str) -> Result<IdentityRule, BundleError> {
        regex::Regex::new(pattern)
            .map(IdentityRule::Regexp)
            .map_err(|e| BundleError::BadRegexp {
                pattern: pattern.to_string(),
                problem: e.to_string(),
            })
    }

    fn matches(&self, identity: &str) -> bool {
        match self {
            IdentityRule::Exact(s) => s == identity,
            IdentityRule::Regexp(r) => r.is_match(identity),
        }
    }
}

impl fmt::Display for IdentityRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityRule::Exact(s) => write!(f, "{s:?}"),
            IdentityRule::Regexp(r) => write!(f, "matching /{}/", r.as_str()),
        }
    }
}

/// A public key for key-based (managed-key) bundles.
#[derive(Clone, Debug)]
pub struct PublicKey {
    der: DerPublicKey,
    fingerprint: String,
}

impl PublicKey {
    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) read from `path`,
    /// as `cosign generate-key-pair` writes it.
    pub fn from_pem(bytes: &[u8], path: &Path) -> Result<PublicKey, BundleError> {
        check_len(bytes, path)?;
        let text = std::str::from_utf8(bytes).map_err(|e| malformed(path, e))?;
        let der = DerPublicKey::from_pem(text)
            .map_err(|e| malformed(path, format!("not a PEM public key: {e}")))?;
        let fingerprint = apostille_digest::Hasher::digest(Algorithm::Sha256, der.as_bytes())
            .map(|d| d.to_hex())
            .unwrap_or_default();
        Ok(PublicKey { der, fingerprint })
    }

    /// `sha256:` and the hex SHA-256 of the key's DER SubjectPublicKeyInfo.
    pub fn fingerprint(&self) -> String {
        format!("sha256:{}", self.fingerprint)
    }
}

/// Who must have signed.
#[derive(Clone, Debug)]
pub enum Policy {
    /// A Fulcio certificate for this identity, issued on a token of this
    /// OIDC issuer (compared exactly).
    Certificate {
        /// The identity rule.
        identity: IdentityRule,
        /// The OIDC issuer URL.
        issuer: String,
    },
    /// This key (the bundle carries a public-key hint, no certificate).
    Key(PublicKey),
    /// This key, and a bundle without a transparency-log entry is accepted
    /// (a key-based bundle made offline; cosign's
    /// `--insecure-ignore-tlog`). The verdict says the log was not checked.
    KeyWithoutLog(PublicKey),
}

/// Who signed a bundle that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    /// A keyless signature: the certificate's identity and OIDC issuer.
    Certificate {
        /// The SAN (URI or email address).
        identity: String,
        /// The OIDC issuer.
        issuer: String,
    },
    /// A key-based signature, by the key with this fingerprint
    /// ([`PublicKey::fingerprint`]).
    Key {
        /// `sha256:HEX` of the key.
        fingerprint: String,
    },
}

impl fmt::Display for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Signer::Certificate { identity, issuer } => {
                write!(f, "{identity} (issuer {issuer})")
            }
            Signer::Key { fingerprint } => write!(f, "key {fingerprint}"),
        }
    }
}

/// A bundle that verified: who signed, and what was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Who signed.
    pub signer: Signer,
    /// What the bundle signs.
    pub content: ContentKind,
    /// Whether transparency-log inclusion (proof and checkpoint, or SET)
    /// was verified; always true today, kept so that a verdict never hides
    /// a skipped check.
    pub tlog_verified: bool,
    /// The signing time established from the log or a timestamp authority,
    /// as RFC 3339, when one was.
    pub signed_at: Option<String>,
    /// What to say beside the log verdict: why it was not checked (a
    /// trusted root without a log), or where the entry was found (a bare
    /// envelope looked up with [`crate::log_lookup`]).
    pub log_note: Option<String>,
}

/// The outcome of verifying one bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed.
    Verified(Verified),
    /// A check failed.
    Failed(Failure),
}

impl Verdict {
    /// Whether every check passed.
    pub fn is_verified(&self) -> bool {
        matches!(self, Verdict::Verified(_))
    }

    /// The failure's category, if it failed.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Verdict::Verified(_) => None,
            Verdict::Failed(f) => Some(f.reason),
        }
    }
}

/// Parses a `sha256:HEX` artifact argument (64 hex digits, either case):
/// `None` when it is not one, as the sigstore-conformance protocol says
/// (the caller then treats the argument as a path).
pub fn sha256_argument(arg: &str) -> Option<Digest> {
    let hex = arg.strip_prefix("sha256:")?;
    Digest::from_hex(Algorithm::Sha256, hex)
}

/// Parses a `sha256:HEX`, `sha384:HEX` or `sha512:HEX` artifact argument
/// (the digest's full length, either case); `None` when it is not one.
pub fn digest_argument(arg: &str) -> Option<Digest> {
    let (name, hex) = arg.split_once(':')?;
    let algorithm = match name {
        "sha256" => Algorithm::Sha256,
        "sha384" => Algorithm::Sha384,
        "sha512" => Algorithm::Sha512,
        _ => return None,
    };
    Digest::from_hex(algorithm, hex)
}

/// Verifies bundles against one trusted root.
#[derive(Debug)]
pub struct Verifier<'r> {
    root: &'r TrustedRoot,
}

impl<'r> Verifier<'r> {
    /// A verifier that believes `root`.
    pub fn new(root: &'r TrustedRoot) -> Verifier<'r> {
        Verifier { root }
    }

    /// Verifies `bundle` for the artifact whose digests are `artifact`
    /// (from one read: the algorithms [`Bundle::artifact_algorithms`]
    /// names, or a `sha256:`/`sha512:` argument), signed as `policy`
    /// demands. A message signature is bound by the artifact's SHA-256; a
    /// DSSE statement by any subject digest among `artifact` (npm
    /// provenance names SHA-512 only).
    pub fn verify(&self, bundle: &Bundle, artifact: &[Digest], policy: &Policy) -> Verdict {
        match self.check(bundle, artifact, policy) {
            Ok(v) => Verdict::Verified(v),
            Err(f) => Verdict::Failed(f),
        }
    }

    fn check(
        &self,
        bundle: &Bundle,
        artifact: &[Digest],
        policy: &Policy,
    ) -> Result<Verified, Failure> {
        let chosen = bundle.binding_digest(artifact)?;
        let stripped = bundle.check_chain(self.root)?;
        let inner_bundle = stripped.as_ref().unwrap_or(&bundle.inner);
        if matches!(policy, Policy::Certificate { .. }) && bundle.has_public_key_hint() {
            return Err(Failure {
                reason: Reason::Identity,
                detail: "a certificate identity was required, but the bundle is signed with a key (verify it with --key)".into(),
            });
        }
        let lib_digest = to_artifact_digest(&chosen)?;
        let inner = &self.root.verifier;
        // A trust domain without a transparency log (GitHub's instance for
        // private repositories) vouches for signing time through its TSA
        // alone; the verdict then says the log was not checked.
        let no_log = !self.root.has_tlogs;
        let result = match policy {
            Policy::Certificate { identity, issuer } => {
                // The identity is matched here, not by sigstore-verify,
                // which reads only e-mail and URI SANs: Fulcio also issues
                // otherName SANs (OID 1.3.6.1.4.1.57264.1.7, `user!host`).
                let mut lib_policy = VerificationPolicy::any_identity().require_issuer(issuer);
                if no_log {
                    lib_policy = lib_policy.skip_tlog_unsafe();
                }
                if !self.root.has_ctlogs {
                    lib_policy = lib_policy.skip_sct();
                }
                let r = inner
                    .verify(lib_digest, inner_bundle, &lib_policy)
                    .map_err(classify)?;
                let found = bundle
                    .certificate_der()
                    .map(certificate_identity)
                    .transpose()?
                    .flatten();
                let Some(found) = found.filter(|s| identity.matches(s)) else {
                    return Err(Failure {
                        reason: Reason::Identity,
                        detail: format!(
                            "identity mismatch: expected {identity}, got {}",
                            bundle
                                .certificate_der()
                                .and_then(|d| certificate_identity(d).ok().flatten())
                                .as_deref()
                                .unwrap_or("none")
                        ),
                    });
                };
                let signer = Signer::Certificate {
                    identity: found,
                    issuer: r.issuer().unwrap_or(issuer).to_string(),
                };
                (r, signer)
            }
            Policy::Key(key) | Policy::KeyWithoutLog(key) => {
                if bundle.inner.signing_certificate().is_some() {
                    return Err(Failure {
                        reason: Reason::Identity,
                        detail: "a key was required, but the bundle is signed with a certificate"
                            .into(),
                    });
                }
                // Entries that are there are always checked; only their
                // absence is tolerated, and only when asked.
                let vm = &bundle.inner.verification_material;
                let offline = vm.tlog_entries.is_empty()
                    && vm.timestamp_verification_data.rfc3161_timestamps.is_empty();
                if offline && matches!(policy, Policy::KeyWithoutLog(_)) {
                    return offline_key(bundle, artifact, key);
                }
                if offline && !no_log {
                    return Err(Failure {
                        reason: Reason::Proof,
                        detail: "the bundle carries no transparency-log entry and no timestamp (a key-based bundle made offline); if that is expected, verify it with --insecure-ignore-tlog (as cosign does), which checks the signature against the key alone".into(),
                    });
                }
                let mut lib_policy = PublicKeyVerificationPolicy::new(key.der.clone());
                if no_log {
                    lib_policy = lib_policy.skip_tlog_unsafe();
                }
                let r = inner
                    .verify(lib_digest, inner_bundle, &lib_policy)
                    .map_err(classify)?;
                let signer = Signer::Key {
                    fingerprint: key.fingerprint(),
                };
                (r, signer)
            }
        };
        let (r, signer) = result;
        let signed_at = r
            .integrated_time()
            .or_else(|| r.verified_timestamps().first().copied())
            .map(|t| t.to_string());
        Ok(Verified {
            signer,
            content: bundle.content(),
            tlog_verified: r.tlog_verified() && !no_log,
            signed_at,
            log_note: no_log.then(|| {
                "the trusted root has no transparency log; the signing time is an RFC 3161 timestamp's"
                    .to_string()
            }),
        })
    }
}

/// The library's form of one of our digests (SHA-256, SHA-384, SHA-512).
fn to_artifact_digest(d: &Digest) -> Result<sigstore_verify::types::ArtifactDigest, Failure> {
    use sigstore_verify::types::HashAlgorithm as H;
    let algorithm = match d.algorithm() {
        Algorithm::Sha256 => H::Sha2256,
        Algorithm::Sha384 => H::Sha2384,
        Algorithm::Sha512 => H::Sha2512,
        other => {
            return Err(Failure {
                reason: Reason::Malformed,
                detail: format!(
                    "the artifact is given by {}; Sigstore bundles need its SHA-256 (or, for an attestation, SHA-512)",
                    other.name()
                ),
            });
        }
    };
    sigstore_verify::types::ArtifactDigest::new(algorithm, d.as_bytes().to_vec()).map_err(|e| {
        Failure {
            reason: Reason::Malformed,
            detail: format!("unusable artifact digest: {e}"),
        }
    })
}

/// The identity of a certificate's SAN ([`apostille_formats::fulcio`]:
/// e-mail, URI, or Fulcio's username otherName), as a failure when the
/// certificate cannot be read.
fn certificate_identity(der: &[u8]) -> Result<Option<String>, Failure> {
    apostille_formats::fulcio::san_identity(der).map_err(|e| Failure {
        reason: Reason::Malformed,
        detail: e.to_string(),
    })
}

/// Checks a cosign blob signature (`cosign sign-blob --key`: base64 of a
/// signature over the artifact, here from its SHA-256) with `key`. There
/// is no log entry to check, so, as `cosign verify-blob
/// --insecure-ignore-tlog` does, only the signature is.
pub fn verify_blob_signature(key: &PublicKey, sha256: &Digest, sig: &[u8]) -> Result<(), Failure> {
    use aws_lc_rs::signature::{self as s, ParsedPublicKey};
    use base64::Engine as _;
    let bad = |detail: &str| Failure {
        reason: Reason::Signature,
        detail: detail.into(),
    };
    let text: Vec<u8> = sig
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&text)
        .map_err(|_| Failure {
            reason: Reason::Malformed,
            detail: "the signature is not base64".into(),
        })?;
    let algorithms: [&'static dyn s::VerificationAlgorithm; 2] =
        [&s::ECDSA_P256_SHA256_ASN1, &s::RSA_PKCS1_2048_8192_SHA256];
    let parsed = algorithms
        .iter()
        .find_map(|a| ParsedPublicKey::new(*a, &key.der).ok())
        .ok_or_else(|| Failure {
            reason: Reason::Malformed,
            detail: "the public key is not ECDSA P-256 or RSA".into(),
        })?;
    if sha256.algorithm() != Algorithm::Sha256 {
        return Err(bad(
            "a blob signature is checked from the artifact's SHA-256",
        ));
    }
    let digest =
        aws_lc_rs::digest::Digest::import_less_safe(sha256.as_bytes(), &aws_lc_rs::digest::SHA256)
            .map_err(|_| bad("cannot use the artifact's digest"))?;
    parsed
        .verify_digest_sig(&digest, &raw)
        .map_err(|_| bad("the signature does not verify with the key over the artifact's SHA-256"))
}

/// A key-based bundle made offline: no log entry, no timestamp, so there is
/// no signing time and nothing but the signature to check. sigstore-verify
/// refuses such bundles outright, so the signature is checked here, from
/// the artifact's SHA-256 (message signature) or over the DSSE PAE, and an
/// in-toto statement must name the artifact.
fn offline_key(bundle: &Bundle, artifact: &[Digest], key: &PublicKey) -> Result<Verified, Failure> {
    use aws_lc_rs::signature::{self as sig, ParsedPublicKey};
    use sigstore_verify::types::SignatureContent;
    let bad = |detail: String| Failure {
        reason: Reason::Signature,
        detail,
    };
    let algorithms: [&'static dyn sig::VerificationAlgorithm; 3] = [
        &sig::ECDSA_P256_SHA256_ASN1,
        &sig::ED25519,
        &sig::RSA_PKCS1_2048_8192_SHA256,
    ];
    let parsed = algorithms
        .iter()
        .find_map(|a| ParsedPublicKey::new(*a, &key.der).ok())
        .ok_or_else(|| Failure {
            reason: Reason::Malformed,
            detail: "the public key is not ECDSA P-256, Ed25519 or RSA".into(),
        })?;
    match &bundle.inner.content {
        SignatureContent::MessageSignature(ms) => {
            let sha256 = bundle.binding_digest(artifact)?;
            let sha256 = sha256.as_bytes();
            if let Some(md) = &ms.message_digest
                && md.digest.as_bytes() != sha256
            {
                return Err(bad(
                    "the bundle's message digest is not the artifact's SHA-256".into(),
                ));
            }
            let digest =
                aws_lc_rs::digest::Digest::import_less_safe(sha256, &aws_lc_rs::digest::SHA256)
                    .map_err(|_| bad("cannot use the artifact's digest".into()))?;
            parsed
                .verify_digest_sig(&digest, ms.signature.as_bytes())
                .map_err(|_| {
                    bad("the signature does not verify with the key over the artifact's SHA-256 (an Ed25519 key signs whole artifacts, which this check cannot do)".into())
                })?;
        }
        SignatureContent::DsseEnvelope(env) => {
            let pae = sigstore_verify::types::dsse::pae(&env.payload_type, env.payload.as_bytes());
            parsed
                .verify_sig(&pae, env.signature.sig.as_bytes())
                .map_err(|_| bad("the DSSE signature does not verify with the key".into()))?;
            let statement =
                crate::provenance::Statement::parse(&env.payload_type, env.payload.as_bytes())?;
            if !artifact.iter().any(|d| statement.subject_for(d).is_some()) {
                return Err(bad(
                    "the statement does not name the artifact among its subjects".into(),
                ));
            }
        }
        _ => {
            return Err(Failure {
                reason: Reason::Malformed,
                detail: "unsupported bundle content".into(),
            });
        }
    }
    Ok(Verified {
        signer: Signer::Key {
            fingerprint: key.fingerprint(),
        },
        content: bundle.content(),
        tlog_verified: false,
        signed_at: None,
        log_note: None,
    })
}

/// The media types a bundle may declare (every spelling of v0.1 to v0.3).
const MEDIA_TYPES: [&str; 4] = [
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
];

/// Rules checked on the raw JSON object before sigstore-verify reads it,
/// since its serde model is lenient where a parser differential hides:
/// it defaults a missing `mediaType`, and of `messageSignature` and
/// `dsseEnvelope` both present it silently keeps one. So the top level
/// must be an object without duplicate keys, with a known `mediaType`
/// string, and with exactly one of the two contents.
fn check_top_level(text: &str, path: &Path) -> Result<(), BundleError> {
    use serde::de::{Deserializer as _, MapAccess, Visitor};

    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Result<Vec<(String, serde_json::Value)>, String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<(String, serde_json::Value)> = Vec::new();
            let mut dup = None;
            while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                if dup.is_none() && out.iter().any(|(seen, _)| *seen == k) {
                    dup = Some(k.clone());
                }
                out.push((k, v));
            }
            Ok(match dup {
                Some(k) => Err(k),
                None => Ok(out),
            })
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    // Not JSON, or not an object: let the full parser say what is wrong.
    let Ok(fields) = de.deserialize_map(Keys) else {
        return Ok(());
    };
    let show = |s: &str| apostille_digest::display::terminal_safe(s.as_bytes()).to_string();
    let fields = fields.map_err(|k| {
        malformed(
            path,
            format!(
                "not a Sigstore bundle: duplicate top-level key `{}`",
                show(&k)
            ),
        )
    })?;
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    match get("mediaType") {
        None if get("payloadType").is_some() && get("signatures").is_some() => {
            return Err(BundleError::NeedsLogLookup {
                path: path.to_path_buf(),
            });
        }
        None => return Err(malformed(path, "not a Sigstore bundle: no mediaType")),
        Some(serde_json::Value::String(mt)) if MEDIA_TYPES.contains(&mt.as_str()) => {}
        Some(serde_json::Value::String(mt)) => {
            return Err(malformed(
                path,
                format!("unsupported bundle media type `{}`", show(mt)),
            ));
        }
        Some(_) => {
            return Err(malformed(
                path,
                "not a Sigstore bundle: mediaType is not a string",
            ));
        }
    }
    match (get("messageSignature"), get("dsseEnvelope")) {
        (Some(_), Some(_)) => Err(malformed(
            path,
            "not a Sigstore bundle: it holds both a messageSignature and a dsseEnvelope",
        )),
        (None, None) => Err(malformed(
            path,
            "not a Sigstore bundle: it holds neither a messageSignature nor a dsseEnvelope",
        )),
        _ => Ok(()),
    }
}

/// Go's and Python's base64 decoders skip line breaks, so bundles exist
/// whose binary fields (an RFC 3161 timestamp made with `base64`, say) are
/// wrapped at 76 columns. When strict parsing fails, retry with line breaks
/// removed from every string that is base64 once they are gone; strings
/// with other characters (checkpoint notes have spaces) are left alone.
fn unwrapped_base64(text: &str) -> Option<sigstore_verify::types::Bundle> {
    fn fix(v: &mut serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) if s.contains(['\n', '\r']) => {
                let t: String = s.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
                let is_b64 = !t.is_empty()
                    && t.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
                    });
                if is_b64 {
                    *s = t;
                }
                is_b64
            }
            serde_json::Value::Array(a) => a.iter_mut().fold(false, |acc, x| fix(x) | acc),
            serde_json::Value::Object(o) => o.values_mut().fold(false, |acc, x| fix(x) | acc),
            _ => false,
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    if !fix(&mut value) {
        return None;
    }
    let fixed = serde_json::to_string(&value).ok()?;
    sigstore_verify::types::Bundle::from_json(&fixed).ok()
}

/// Sorts the library's error into one of our categories.
fn classify(e: sigstore_verify::Error) -> Failure {
    use sigstore_verify::Error as E;
    let reason = match &e {
        E::IdentityMismatch { .. } | E::IssuerMismatch { .. } => Reason::Identity,
        // The log entry records another artifact: the entry does not
        // describe this bundle.
        E::ArtifactMismatch(d) if d.contains("entry") => Reason::Proof,
        E::SignatureInvalid(_) | E::ArtifactMismatch(_) | E::Crypto(_) => Reason::Signature,
        E::Certificate(c) => match c {
            CertificateError::Malformed(_) => Reason::Malformed,
            // webpki reports a signing time outside the leaf's validity as
            // a chain error; it is a time failure.
            CertificateError::ChainInvalid(d)
                if d.contains("CertExpired") || d.contains("CertNotValidYet") =>
            {
                Reason::Time
            }
            CertificateError::ChainInvalid(_) | CertificateError::Sct(_) => Reason::Signature,
            CertificateError::NoValidAuthority { .. }
            | CertificateError::NotYetValid { .. }
            | CertificateError::Expired { .. } => Reason::Time,
            _ => Reason::Signature,
        },
        E::TransparencyLog(t) => match t {
            TransparencyLogError::IntegratedTime(_) => Reason::Time,
            _ => Reason::Proof,
        },
        E::Timestamp(t) => match t {
            TimestampError::Invalid(_)
            | TimestampError::OutsideAuthorityValidity { .. }
            | TimestampError::NoVerifiedTimestamp(_) => Reason::Time,
            _ => Reason::Time,
        },
        E::Bundle(b) => {
            use sigstore_verify::bundle::Error as B;
            match b {
                B::MissingInclusionPromise(_)
                | B::MissingInclusionProof(_)
                | B::MissingCheckpoint
                | B::LogIndexOutOfRange { .. }
                | B::CheckpointRootMismatch => Reason::Proof,
                B::MissingSigningTimeEvidence | B::MissingTimestamp => Reason::Time,
                _ => Reason::Malformed,
            }
        }
        _ => Reason::Malformed,
    };
    Failure {
        reason,
        detail: e.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A well-formed v0.3 message-signature bundle with a public-key hint
    /// (the signature is not checked by these parsing tests).
    fn sample(media_type: &str, signature: &str) -> String {
        format!(
            r#"{{"mediaType": "{media_type}",
 "verificationMaterial": {{"publicKey": {{"hint": "abc"}},
   "tlogEntries": []}},
 "messageSignature": {{"messageDigest": {{"algorithm": "SHA2_256",
   "digest": "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI="}},
   "signature": "{signature}"}}}}"#
        )
    }

    fn parse(text: &str) -> Result<Bundle, BundleError> {
        Bundle::parse(text.as_bytes(), Path::new("dir/x.sigstore.json"))
    }

    fn assert_malformed(text: &str, needle: &str) {
        let e = parse(text).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, BundleError::Malformed { .. }), "{msg}");
        assert!(msg.starts_with("dir/x.sigstore.json: "), "{msg}");
        assert!(msg.contains(needle), "{msg} lacks {needle:?}");
        assert_eq!(e.to_failure().reason, Reason::Malformed);
    }

    #[test]
    fn every_media_type_spelling_parses() {
        for (mt, v) in [
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.1",
                BundleVersion::V0_1,
            ),
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.2",
                BundleVersion::V0_2,
            ),
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.3",
                BundleVersion::V0_3,
            ),
            (
                "application/vnd.dev.sigstore.bundle.v0.3+json",
                BundleVersion::V0_3,
            ),
        ] {
            let b = parse(&sample(mt, "c2ln")).unwrap();
            assert_eq!(b.version(), v, "{mt}");
            assert_eq!(b.content(), ContentKind::MessageSignature);
        }
    }

    #[test]
    fn wrong_media_type_is_malformed() {
        assert_malformed(
            &sample("application/vnd.dev.sigstore.bundle.v0.4+json", "c2ln"),
            "v0.4",
        );
        assert_malformed(&sample("application/json", "c2ln"), "application/json");
    }

    #[test]
    fn bundle_without_media_type_is_refused() {
        let text = sample("application/vnd.dev.sigstore.bundle.v0.3+json", "c2ln").replace(
            r#""mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json","#,
            "",
        );
        assert!(!text.contains("mediaType"));
        assert_malformed(&text, "no mediaType");
        let text = sample("application/vnd.dev.sigstore.bundle.v0.3+json", "c2ln")
            .replace(r#""application/vnd.dev.sigstore.bundle.v0.3+json""#, "3");
        assert_malformed(&text, "mediaType is not a string");
    }

    #[test]
    fn bundle_with_both_contents_is_refused() {
        let base = sample("application/vnd.dev.sigstore.bundle.v0.3+json", "c2ln");
        let both = base.replacen(
            r#""messageSignature""#,
            r#""dsseEnvelope": {"payload": "e30=", "payloadType": "application/vnd.in-toto+json",
   "signatures": [{"sig": "c2ln", "keyid": ""}]},
 "messageSignature""#,
            1,
        );
        assert_malformed(&both, "both a messageSignature and a dsseEnvelope");
        let start = base[..base.find(r#""messageSignature""#).unwrap()]
            .rfind(',')
            .unwrap();
        let neither = format!("{}}}", &base[..start]);
        assert_malformed(&neither, "neither a messageSignature nor a dsseEnvelope");
    }

    #[test]
    fn bundle_with_duplicate_top_level_key_is_refused() {
        let base = sample("application/vnd.dev.sigstore.bundle.v0.3+json", "c2ln");
        let dup = base.replacen(
            r#""verificationMaterial""#,
            r#""mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.1",
 "verificationMaterial""#,
            1,
        );
        assert_malformed(&dup, "duplicate top-level key `mediaType`");
    }

    #[test]
    fn bad_base64_is_malformed() {
        assert_malformed(
            &sample(
                "application/vnd.dev.sigstore.bundle.v0.3+json",
                "!!not base64!!",
            ),
            "",
        );
    }

    #[test]
    fn truncated_json_is_malformed() {
        let full = sample("application/vnd.dev.sigstore.bundle.v0.3+json", "c2ln");
        for cut in [0, 1, full.len() / 2, full.len() - 1] {
            assert_malformed(&full[..cut], "not a Sigstore bundle");
        }
    }

    #[test]
    fn not_utf8_and_too_large_are_errors() {
        assert_malformed("\u{0}\u{1}", "not a Sigstore bundle");
        let e = Bundle::parse(&[0xff, 0xfe], Path::new("b.json")).unwrap_err();
        assert!(e.to_string().starts_with("b.json: "), "{e}");
        let big = vec![b' '; MAX_DOCUMENT_LEN + 1];
        let e = Bundle::parse(&big, Path::new("big.json")).unwrap_err();
        assert!(matches!(e, BundleError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn embedded_roots_load() {
        TrustedRoot::public_good().unwrap();
        TrustedRoot::staging().unwrap();
    }

    #[test]
    fn bad_trusted_root_and_key_name_the_file() {
        let e = TrustedRoot::parse(b"{\"mediaType\": 3", Path::new("tr.json")).unwrap_err();
        assert!(e.to_string().starts_with("tr.json: "), "{e}");
        let e = PublicKey::from_pem(b"-----BEGIN PUBLIC KEY-----\nxx\n", Path::new("k.pub"))
            .unwrap_err();
        assert!(e.to_string().starts_with("k.pub: "), "{e}");
        assert!(IdentityRule::regexp("(").is_err());
    }

    #[test]
    fn sha256_arguments() {
        let hex = "a".repeat(64);
        assert!(sha256_argument(&format!("sha256:{hex}")).is_some());
        assert!(sha256_argument(&format!("sha256:{}", "A".repeat(64))).is_some());
        assert!(sha256_argument(&format!("sha256:{}", "a".repeat(63))).is_none());
        assert!(sha256_argument(&format!("sha512:{hex}")).is_none());
        assert!(sha256_argument(&format!("sha256:{}g", "a".repeat(63))).is_none());
        assert!(sha256_argument("a.txt").is_none());
    }

    #[test]
    fn a_non_sha256_digest_is_refused() {
        let root = TrustedRoot::public_good().unwrap();
        let b = parse(&sample(
            "application/vnd.dev.sigstore.bundle.v0.3+json",
            "c2ln",
        ))
        .unwrap();
        let d = apostille_digest::Hasher::digest(Algorithm::Sha512, b"x").unwrap();
        let key = PublicKey::from_pem(TEST_KEY.as_bytes(), Path::new("k.pub")).unwrap();
        let v = Verifier::new(&root).verify(&b, &[d], &Policy::Key(key));
        assert_eq!(v.reason(), Some(Reason::Malformed));
    }

    /// A P-256 public key made for this test only.
    const TEST_KEY: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfSP2sMkdsYYdN2svc9yjtIalbI0F
3WdGoUIs6XqsCeUnVhFCK+LagemR/Zrik5fc/pFA8y0Fs6sBkLousih/vQ==
-----END PUBLIC KEY-----
";
}
