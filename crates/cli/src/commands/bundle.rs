//! `apostille verify bundle` and `apostille conformance verify-bundle`: one
//! Sigstore bundle, one artifact, one verdict line.

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use apostille_digest::{Algorithm, AlgorithmSet, Engine, Input, Job};
use apostille_verify::bundle::{
    Bundle, BundleError, ContentKind, Failure, IdentityRule, MAX_DOCUMENT_LEN, Policy, PublicKey,
    TrustedRoot, Verdict, Verifier, sha256_argument,
};

use crate::Outcome;
use crate::cli::VerifyBundleArgs;
use crate::output::Out;

/// Reads a document of at most [`MAX_DOCUMENT_LEN`] bytes (one more, so
/// that the parser can name a larger one); a read failure is an error.
fn read_document(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    let f = std::fs::File::open(path)
        .with_context(|| format!("cannot open {what} {}", path.display()))?;
    let mut buf = Vec::new();
    f.take(MAX_DOCUMENT_LEN as u64 + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    Ok(buf)
}

/// Verifies `args.bundle` for `args.artifact`. Exit status: 0 verified, 1 a
/// check failed (including a bundle, key or trusted root that is not
/// valid), 2 a file could not be read.
pub fn verify(engine: &Engine, args: &VerifyBundleArgs) -> anyhow::Result<Outcome> {
    let bundle_bytes = read_document(&args.bundle, "bundle")?;
    let root_bytes = match &args.trusted_root {
        Some(p) => Some(read_document(p, "trusted root")?),
        None => None,
    };
    let key_bytes = match &args.key {
        Some(p) => Some(read_document(p, "public key")?),
        None => None,
    };
    // The protocol's rule: `sha256:` and 64 hex digits that is not a path
    // on disk is a digest; anything else is a file.
    let arg = args.artifact.to_str().unwrap_or_default();
    let (shown, digest) = match sha256_argument(arg).filter(|_| !args.artifact.exists()) {
        Some(d) => (arg.to_string(), d),
        None => {
            let job = Job::new(
                Input::Path(args.artifact.clone()),
                AlgorithmSet::from_iter([Algorithm::Sha256]),
            );
            let hashed = engine.hash(job)?;
            let d = hashed
                .digests
                .get(Algorithm::Sha256)
                .copied()
                .context("the engine returned no SHA-256")?;
            (args.artifact.display().to_string(), d)
        }
    };
    let verdict = match decide(args, &bundle_bytes, root_bytes, key_bytes, &digest) {
        Ok(v) => v,
        Err(e) => Verdict::Failed(e.to_failure()),
    };
    let line = match &verdict {
        Verdict::Verified(v) => {
            let what = match v.content {
                ContentKind::MessageSignature => "message signature",
                ContentKind::DsseEnvelope => "DSSE attestation",
            };
            let when = v
                .signed_at
                .as_deref()
                .map(|t| format!(", signed at {t}"))
                .unwrap_or_default();
            let log = if v.tlog_verified {
                "transparency log checked"
            } else {
                "transparency log NOT checked"
            };
            format!("{shown}: VERIFIED {what} by {}{when}; {log}\n", v.signer)
        }
        Verdict::Failed(Failure { reason, detail }) => {
            format!("{shown}: FAILED ({reason}): {detail}\n")
        }
    };
    let mut out = Out::new();
    out.bytes(line.as_bytes())?;
    out.flush()?;
    Ok(if verdict.is_verified() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

fn decide(
    args: &VerifyBundleArgs,
    bundle: &[u8],
    root: Option<Vec<u8>>,
    key: Option<Vec<u8>>,
    digest: &apostille_digest::value::Digest,
) -> Result<Verdict, BundleError> {
    let bundle = Bundle::parse(bundle, &args.bundle)?;
    let root = match (root, &args.trusted_root) {
        (Some(bytes), Some(path)) => TrustedRoot::parse(&bytes, path)?,
        _ if args.staging => TrustedRoot::staging()?,
        _ => TrustedRoot::public_good()?,
    };
    let policy = match (key, &args.key) {
        (Some(bytes), Some(path)) => Policy::Key(PublicKey::from_pem(&bytes, path)?),
        _ => {
            let identity = match (
                &args.certificate_identity,
                &args.certificate_identity_regexp,
            ) {
                (Some(i), _) => IdentityRule::Exact(i.clone()),
                (None, Some(r)) => IdentityRule::regexp(r)?,
                (None, None) => IdentityRule::Exact(String::new()),
            };
            Policy::Certificate {
                identity,
                issuer: args.certificate_oidc_issuer.clone().unwrap_or_default(),
            }
        }
    };
    Ok(Verifier::new(&root).verify(&bundle, digest, &policy))
}
