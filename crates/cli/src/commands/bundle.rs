//! `apostille verify bundle` and `apostille conformance verify-bundle`: one
//! Sigstore bundle, one artifact, one verdict line.

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use apostille_digest::{Algorithm, AlgorithmSet, Engine, ReadPlan};
use apostille_verify::bundle::{
    Bundle, BundleError, ContentKind, Failure, IdentityRule, MAX_DOCUMENT_LEN, Policy, PublicKey,
    Reason, TrustedRoot, Verdict, Verified, Verifier, digest_argument, parse_file,
};
use apostille_verify::log_lookup::LogLookup;
use apostille_verify::provenance::{
    AttestationPolicy, Attested, CertificateClaims, SourceRef, Statement, predicate_type_for,
};
use apostille_verify::trust_update::{Cache, TrustError};

use super::sigstore::read_result;
use crate::Outcome;
use crate::cli::{
    AttestationPolicyArgs, SigstoreTrustArgs, VerifyAttestationArgs, VerifyBundleArgs,
};
use crate::output::Out;

/// How long one request to a transparency log named by `--rekor-url` may
/// take.
const LOG_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Reads a document of at most [`MAX_DOCUMENT_LEN`] bytes (one more, so
/// that the parser can name a larger one); a read failure is an error.
fn read_document(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    let f =
        apostille_digest::input::open_input(path).with_context(|| format!("cannot open {what}"))?;
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
    run(engine, args, None)
}

/// `verify attestation`: the bundle as [`verify`] checks it, then its
/// in-toto statement against the attestation policy.
pub fn attestation(engine: &Engine, args: &VerifyAttestationArgs) -> anyhow::Result<Outcome> {
    run(
        engine,
        &args.bundle,
        Some(&attestation_policy(&args.attestation)),
    )
}

/// The attestation policy the flags describe.
pub fn attestation_policy(a: &AttestationPolicyArgs) -> AttestationPolicy {
    // Both given: the ref must be one of them, as in slsa-verifier.
    let source_refs = a
        .source_tag
        .iter()
        .map(|t| SourceRef::Tag(t.clone()))
        .chain(a.source_branch.iter().map(|b| SourceRef::Branch(b.clone())))
        .collect();
    AttestationPolicy {
        predicate_type: a.predicate_type.as_deref().map(predicate_type_for),
        source_uri: a.source_uri.clone(),
        source_refs,
        builder_id: a.builder_id.clone(),
    }
}

/// Whether any attestation flag was given.
pub fn attestation_requested(a: &AttestationPolicyArgs) -> bool {
    a.predicate_type.is_some()
        || a.source_uri.is_some()
        || a.source_tag.is_some()
        || a.source_branch.is_some()
        || a.builder_id.is_some()
}

/// The bytes of the trusted root and public key files the flags name.
pub type TrustFiles = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The trusted root and public key files the flags name, read (a read
/// failure is an error, exit 2; what they hold is judged later).
pub fn read_trust(t: &SigstoreTrustArgs) -> anyhow::Result<TrustFiles> {
    let root = match &t.trusted_root {
        Some(p) => Some(read_document(p, "trusted root")?),
        None => None,
    };
    let key = match &t.key {
        Some(p) => Some(read_document(p, "public key")?),
        None => None,
    };
    Ok((root, key))
}

/// The trusted root to believe and the signer policy, from the flags and
/// the files [`read_trust`] read.
pub fn trust_policy(
    t: &SigstoreTrustArgs,
    root: Option<Vec<u8>>,
    key: Option<Vec<u8>>,
) -> Result<(TrustedRoot, Policy), BundleError> {
    let root = match (root, &t.trusted_root) {
        (Some(bytes), Some(path)) => TrustedRoot::parse(&bytes, path)?,
        // The root `trust update` refreshed, else the embedded one.
        _ => {
            let instance = super::trust::instance(t.staging, t.github);
            match Cache::from_env() {
                Ok(cache) => cache.root_for(instance).map_err(|e| match e {
                    TrustError::Cached { path, problem } => {
                        BundleError::Malformed { path, problem }
                    }
                    other => BundleError::Malformed {
                        path: cache.root_path(instance),
                        problem: other.to_string(),
                    },
                })?,
                Err(_) => instance.embedded()?,
            }
        }
    };
    let policy = match (key, &t.key) {
        (Some(bytes), Some(path)) if t.insecure_ignore_tlog => {
            Policy::KeyWithoutLog(PublicKey::from_pem(&bytes, path)?)
        }
        (Some(bytes), Some(path)) => Policy::Key(PublicKey::from_pem(&bytes, path)?),
        _ => {
            let identity = match (&t.certificate_identity, &t.certificate_identity_regexp) {
                (Some(i), _) => IdentityRule::Exact(i.clone()),
                (None, Some(r)) => IdentityRule::regexp(r)?,
                (None, None) => IdentityRule::Exact(String::new()),
            };
            Policy::Certificate {
                identity,
                issuer: t.certificate_oidc_issuer.clone().unwrap_or_default(),
            }
        }
    };
    Ok((root, policy))
}

fn run(
    engine: &Engine,
    args: &VerifyBundleArgs,
    attestation: Option<&AttestationPolicy>,
) -> anyhow::Result<Outcome> {
    let bundle_bytes = read_document(&args.bundle, "bundle")?;
    let (root_bytes, key_bytes) = read_trust(&args.trust)?;
    let lines = parse_file(&bundle_bytes, &args.bundle);
    // The protocol's rule: `sha256:` and 64 hex digits that is not a path
    // on disk is a digest (so are `sha512:` and `sha384:` ones); anything
    // else is a file.
    let arg = args.artifact.to_str().unwrap_or_default();
    let (shown, digests) = match digest_argument(arg).filter(|_| !args.artifact.exists()) {
        Some(d) => (arg.to_string(), vec![d]),
        None => {
            // What the bundles are bound by, in one read: SHA-256 for a
            // message signature, the subjects' algorithm for a statement
            // (SHA-512 alone for npm's).
            let mut algorithms: Vec<Algorithm> = Vec::new();
            for l in &lines {
                let wanted = match &l.parsed {
                    Ok(b) => b.artifact_algorithms(),
                    Err(_) => vec![Algorithm::Sha256],
                };
                for a in wanted {
                    if !algorithms.contains(&a) {
                        algorithms.push(a);
                    }
                }
            }
            let mut reads = ReadPlan::new();
            let key = reads.want(
                &args.artifact,
                AlgorithmSet::from_iter(algorithms.iter().copied()),
                Vec::new(),
            );
            let results = reads.run(engine);
            let hashed = read_result(&results, &key, &args.artifact)?;
            let digests = algorithms
                .iter()
                .map(|a| hashed.digests.get(*a).copied())
                .collect::<Option<Vec<_>>>()
                .context("the engine returned fewer digests than asked for")?;
            (args.artifact.display().to_string(), digests)
        }
    };
    let trust = trust_policy(&args.trust, root_bytes, key_bytes);
    let mut failures: Vec<(Option<usize>, Failure)> = Vec::new();
    let mut verified = None;
    let check = |bundle: &Bundle| -> Result<(Verified, Option<Attested>), Failure> {
        let (root, policy) = trust.as_ref().map_err(BundleError::to_failure)?;
        match Verifier::new(root).verify(bundle, &digests, policy) {
            Verdict::Verified(v) => match attestation {
                None => Ok((v, None)),
                Some(a) => judge(bundle, a, &digests).map(|att| (v, Some(att))),
            },
            Verdict::Failed(f) => Err(f),
        }
    };
    for l in lines {
        let outcome = match (&trust, l.parsed) {
            (Err(e), _) => Err(e.to_failure()),
            // A bare DSSE envelope: only with a log named, its entry is
            // searched for; each entry found makes a bundle to verify.
            (_, Err(BundleError::NeedsLogLookup { .. })) if args.rekor_url.is_some() => {
                let url = args.rekor_url.as_deref().unwrap_or_default();
                LogLookup::new(url, LOG_TIMEOUT)
                    .candidates(&bundle_bytes[l.span.clone()], &args.bundle, &digests)
                    .and_then(|found| {
                        let mut last = None;
                        for b in &found {
                            match check(b) {
                                Ok(v) => return Ok(v),
                                Err(f) => last = Some(f),
                            }
                        }
                        Err(last.unwrap_or_else(|| Failure {
                            reason: Reason::Proof,
                            detail: format!("the log at {url} returned no usable entry"),
                        }))
                    })
                    .map(|(mut v, a)| {
                        v.log_note = Some(format!("its entry was found in the log at {url}"));
                        (v, a)
                    })
            }
            (_, Err(e)) => Err(e.to_failure()),
            (Ok(_), Ok(bundle)) => check(&bundle),
        };
        match outcome {
            Ok(v) => {
                verified = Some(v);
                break;
            }
            Err(f) => failures.push((l.line, f)),
        }
        if trust.is_err() {
            break;
        }
    }
    let line = match &verified {
        Some((v, attested)) => format!(
            "{shown}: VERIFIED {}\n",
            verified_summary(v, attested.as_ref())
        ),
        None => failed_line(&shown, &failures),
    };
    let mut out = Out::new();
    out.bytes(line.as_bytes())?;
    out.flush()?;
    Ok(if verified.is_some() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

/// The FAILED line: the one bundle's failure, or, for a file of JSON
/// lines none of which verified, each line's.
fn failed_line(shown: &str, failures: &[(Option<usize>, Failure)]) -> String {
    match failures {
        [] => format!("{shown}: FAILED (malformed): the bundle file holds no bundle\n"),
        [(None, Failure { reason, detail })] => format!("{shown}: FAILED ({reason}): {detail}\n"),
        [(_, first), ..] => {
            let each: Vec<String> = failures
                .iter()
                .map(|(n, f)| match n {
                    Some(n) => format!("line {n}: ({}) {}", f.reason, f.detail),
                    None => format!("({}) {}", f.reason, f.detail),
                })
                .collect();
            // The category of the first line that was a bundle at all.
            let reason = failures
                .iter()
                .map(|(_, f)| f.reason)
                .find(|r| *r != Reason::Malformed)
                .unwrap_or(first.reason);
            format!(
                "{shown}: FAILED ({reason}): no bundle of the {} verified: {}\n",
                failures.len(),
                each.join("; ")
            )
        }
    }
}

/// What was verified, by whom, when, whether the log was checked, and
/// (for provenance) built by whom from what: the tail of a VERIFIED line.
pub fn verified_summary(v: &Verified, attested: Option<&Attested>) -> String {
    let what = match (attested, v.content) {
        (Some(a), _) => format!("attestation {}", a.predicate_type),
        (None, ContentKind::MessageSignature) => "message signature".into(),
        (None, ContentKind::DsseEnvelope) => "DSSE attestation".into(),
    };
    let when = v
        .signed_at
        .as_deref()
        .map(|t| format!(", signed at {t}"))
        .unwrap_or_default();
    let mut log = if v.tlog_verified {
        "transparency log checked".to_string()
    } else {
        "transparency log NOT checked".to_string()
    };
    if let Some(note) = &v.log_note {
        log.push_str(&format!(" ({note})"));
    }
    let built = attested
        .and_then(|a| a.provenance.as_ref())
        .map(|p| {
            let mut s = format!(
                "; built by {} from {}",
                p.builder_id.as_deref().unwrap_or("an unnamed builder"),
                p.source_uri.as_deref().unwrap_or("an unnamed source")
            );
            if let Some(r) = &p.source_ref {
                s.push_str(&format!(" {r}"));
            }
            if let Some(c) = &p.source_commit {
                s.push_str(&format!(" ({c})"));
            }
            s
        })
        .unwrap_or_default();
    format!("{what} by {}{when}; {log}{built}", v.signer)
}

/// The statement of a verified DSSE bundle, judged by `policy`.
pub fn judge(
    bundle: &Bundle,
    policy: &AttestationPolicy,
    digests: &[apostille_digest::value::Digest],
) -> Result<Attested, Failure> {
    let Some((payload_type, payload)) = bundle.dsse_payload() else {
        return Err(Failure {
            reason: Reason::Malformed,
            detail: "the bundle holds a message signature, not an attestation (check it with `verify bundle`)".into(),
        });
    };
    let statement = Statement::parse(payload_type, payload)?;
    let claims = bundle
        .certificate_der()
        .map(CertificateClaims::from_der)
        .transpose()?;
    policy.check(&statement, digests, claims.as_ref())
}
