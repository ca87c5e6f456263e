//! in-toto attestations and SLSA provenance, judged after their bundle
//! verified: what the statement claims, and whether that is what the user
//! requires — the checks of `slsa-verifier verify-artifact` and the
//! `--type` filter of `cosign verify-attestation`.
//!
//! * [`Statement::parse`] reads an in-toto Statement (v1, and the v0.1 that
//!   older SLSA generators still write) from a DSSE payload.
//! * [`Provenance::of`] extracts the facts a policy is about — builder,
//!   build type, source repository, ref and commit — from SLSA Provenance
//!   v1 (GitHub's `actions.github.io` build type, generic builders through
//!   `resolvedDependencies`) and v0.2 (`invocation.configSource`).
//! * [`CertificateClaims::from_der`] reads the same facts from a Fulcio
//!   certificate's extensions (OIDs `1.3.6.1.4.1.57264.1.*`), which the CI
//!   system vouched for, unlike the statement, which the build wrote.
//! * [`AttestationPolicy::check`] compares them: predicate type, artifact
//!   among the subjects, source URI, tag or branch, builder ID; a required
//!   source must be what both the statement and (keyless) the certificate
//!   say. A mismatch is a
//!   [`Reason::Policy`] failure naming what was required and what was found.
//!
//! Nothing here checks signatures: that is [`crate::bundle`]'s job, and a
//! statement is only judged after its bundle verified.

use std::collections::BTreeMap;

use apostille_digest::Algorithm;
use apostille_digest::value::Digest;
use serde_json::Value;

use crate::bundle::{Failure, Reason};

/// The payload type of an in-toto statement in a DSSE envelope.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// SLSA Provenance v1's predicate type.
pub const SLSA_V1: &str = "https://slsa.dev/provenance/v1";
/// SLSA Provenance v0.2's predicate type.
pub const SLSA_V02: &str = "https://slsa.dev/provenance/v0.2";
/// The SPDX document predicate type `cosign verify-attestation --type
/// spdxjson` matches.
pub const SPDX_DOCUMENT: &str = "https://spdx.dev/Document";
/// The build type of GitHub Actions workflows (GitHub's own provenance).
pub const GITHUB_WORKFLOW_BUILD_TYPE: &str = "https://actions.github.io/buildtypes/workflow/v1";

/// Maps cosign's `--type` shorthands to predicate types; anything else is
/// taken as a predicate type URI.
pub fn predicate_type_for(name: &str) -> String {
    match name {
        // As cosign: the bare name is v0.2, for compatibility with old
        // attestations.
        "slsaprovenance1" => SLSA_V1.into(),
        "slsaprovenance" | "slsaprovenance02" => SLSA_V02.into(),
        "spdxjson" | "spdx" => SPDX_DOCUMENT.into(),
        "cyclonedx" => "https://cyclonedx.org/bom".into(),
        "vuln" => "https://cosign.sigstore.dev/attestation/vuln/v1".into(),
        "custom" => "https://cosign.sigstore.dev/attestation/v1".into(),
        other => other.into(),
    }
}

/// The predicate type of a SLSA Verification Summary Attestation.
pub const VSA_V1: &str = "https://slsa.dev/verification_summary/v1";

/// What a verification summary (a release candidate's promotion) says:
/// the artifacts it names passed verification as the release at
/// `source_ref` of `repository`, on the evidence of the input attestations
/// (by SHA-256 of their files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promotion {
    /// The repository of `resourceUri`, normalised ([`normalize_source`]).
    pub repository: String,
    /// The ref of `resourceUri` (`refs/tags/v1.3.0`).
    pub source_ref: String,
    /// `inputAttestations[].digest.sha256`, lower-case hex.
    pub inputs: Vec<String>,
}

impl Promotion {
    /// The promotion a VSA statement makes; an error for another
    /// predicate type, a result other than `PASSED`, or a `resourceUri`
    /// that is not `REPOSITORY@REF`.
    pub fn of(statement: &Statement) -> Result<Promotion, Failure> {
        if statement.predicate_type != VSA_V1 {
            return Err(malformed(format!(
                "predicate type is {}, not a verification summary",
                statement.predicate_type
            )));
        }
        let p = &statement.predicate;
        let result = p["verificationResult"].as_str().unwrap_or("not stated");
        if result != "PASSED" {
            return Err(policy(format!(
                "verification result is {result}, not PASSED"
            )));
        }
        let uri = p["resourceUri"].as_str().unwrap_or_default();
        let (repo, r) = uri
            .rsplit_once('@')
            .filter(|(repo, r)| !repo.is_empty() && r.starts_with("refs/"))
            .ok_or_else(|| malformed(format!("resourceUri {uri:?} is not REPOSITORY@refs/…")))?;
        let inputs = p["inputAttestations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i.pointer("/digest/sha256").and_then(Value::as_str))
            .map(str::to_ascii_lowercase)
            .collect();
        Ok(Promotion {
            repository: normalize_source(repo),
            source_ref: r.to_string(),
            inputs,
        })
    }
}

/// Whether `predicate_type` is SLSA provenance (v1 or v0.2).
pub fn is_slsa_provenance(predicate_type: &str) -> bool {
    [SLSA_V1, SLSA_V02].contains(&predicate_type)
}

fn malformed(detail: impl Into<String>) -> Failure {
    Failure {
        reason: Reason::Malformed,
        detail: detail.into(),
    }
}

fn policy(detail: impl Into<String>) -> Failure {
    Failure {
        reason: Reason::Policy,
        detail: detail.into(),
    }
}

/// One subject of a statement: a name and its digests by algorithm name
/// (`sha256`, `sha512`, …), hex as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The subject's name (a file name, usually).
    pub name: String,
    /// Digests by in-toto algorithm name.
    pub digest: BTreeMap<String, String>,
}

/// An in-toto statement.
#[derive(Clone, Debug)]
pub struct Statement {
    /// `_type`.
    pub statement_type: String,
    /// What it is about.
    pub subjects: Vec<Subject>,
    /// What kind of claim it makes.
    pub predicate_type: String,
    /// The claim itself.
    pub predicate: Value,
}

impl Statement {
    /// Reads a statement from a DSSE payload of type `payload_type`.
    pub fn parse(payload_type: &str, payload: &[u8]) -> Result<Statement, Failure> {
        if payload_type != IN_TOTO_PAYLOAD_TYPE {
            return Err(malformed(format!(
                "the DSSE payload is {payload_type:?}, not an in-toto statement ({IN_TOTO_PAYLOAD_TYPE})"
            )));
        }
        let v: Value = serde_json::from_slice(payload)
            .map_err(|e| malformed(format!("the in-toto statement is not JSON: {e}")))?;
        let statement_type = v
            .get("_type")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("the in-toto statement has no _type"))?
            .to_string();
        if !statement_type.starts_with("https://in-toto.io/Statement/") {
            return Err(malformed(format!(
                "unknown statement type {statement_type:?}"
            )));
        }
        let predicate_type = v
            .get("predicateType")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("the in-toto statement has no predicateType"))?
            .to_string();
        let subjects = v
            .get("subject")
            .and_then(Value::as_array)
            .ok_or_else(|| malformed("the in-toto statement has no subject list"))?
            .iter()
            .map(|s| {
                let digest = s
                    .get("digest")
                    .and_then(Value::as_object)
                    .ok_or_else(|| malformed("a subject of the statement has no digest"))?
                    .iter()
                    .map(|(k, v)| {
                        v.as_str()
                            .map(|h| (k.clone(), h.to_ascii_lowercase()))
                            .ok_or_else(|| malformed(format!("subject digest {k} is not a string")))
                    })
                    .collect::<Result<BTreeMap<_, _>, _>>()?;
                Ok(Subject {
                    name: s
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    digest,
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        if subjects.is_empty() {
            return Err(malformed("the in-toto statement has no subjects"));
        }
        Ok(Statement {
            statement_type,
            subjects,
            predicate_type,
            predicate: v.get("predicate").cloned().unwrap_or(Value::Null),
        })
    }

    /// The subject whose digest of `d`'s algorithm equals `d`.
    pub fn subject_for(&self, d: &Digest) -> Option<&Subject> {
        let name = in_toto_algorithm(d.algorithm())?;
        let hex = d.to_hex();
        self.subjects
            .iter()
            .find(|s| s.digest.get(name).is_some_and(|h| *h == hex))
    }
}

/// The in-toto digest-set name of an engine algorithm.
fn in_toto_algorithm(a: Algorithm) -> Option<&'static str> {
    match a {
        Algorithm::Sha256 => Some("sha256"),
        Algorithm::Sha512 => Some("sha512"),
        Algorithm::Sha384 => Some("sha384"),
        Algorithm::Sha1 => Some("sha1"),
        Algorithm::Md5 => Some("md5"),
        _ => None,
    }
}

/// What a provenance predicate says about the build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// `runDetails.builder.id` (v1) or `builder.id` (v0.2).
    pub builder_id: Option<String>,
    /// The build type URI.
    pub build_type: Option<String>,
    /// The source repository, normalised by [`normalize_source`]
    /// (`github.com/o/r`).
    pub source_uri: Option<String>,
    /// The source ref (`refs/tags/v1.0`, `refs/heads/main`).
    pub source_ref: Option<String>,
    /// The source commit (`gitCommit` or `sha1` digest).
    pub source_commit: Option<String>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// Splits `git+https://github.com/o/r@refs/tags/v1` into the normalised
/// repository and the ref.
fn split_git_uri(uri: &str) -> (String, Option<String>) {
    let (repo, r) = match uri.rsplit_once('@') {
        // An `@` in the authority (user@host) is not a ref separator.
        Some((repo, r)) if r.starts_with("refs/") || !r.contains('/') && repo.contains('/') => {
            (repo, Some(r.to_string()))
        }
        _ => (uri, None),
    };
    (normalize_source(repo), r)
}

/// Normalises a source repository for comparison, as slsa-verifier does:
/// `git+https://github.com/o/r.git`, `https://github.com/o/r` and
/// `github.com/o/r` are all `github.com/o/r`.
pub fn normalize_source(uri: &str) -> String {
    let s = uri.trim();
    let s = s.strip_prefix("git+").unwrap_or(s);
    let s = s
        .split_once("://")
        .map_or(s, |(scheme, rest)| if scheme.is_empty() { s } else { rest });
    let s = s.trim_end_matches('/');
    let s = s.strip_suffix(".git").unwrap_or(s);
    s.to_ascii_lowercase()
}

impl Provenance {
    /// The facts of a SLSA provenance statement; `None` when the predicate
    /// type is not SLSA provenance.
    pub fn of(statement: &Statement) -> Option<Provenance> {
        let p = &statement.predicate;
        match statement.predicate_type.as_str() {
            SLSA_V1 => {
                let build_type = str_at(p, &["buildDefinition", "buildType"]).map(String::from);
                let mut out = Provenance {
                    builder_id: str_at(p, &["runDetails", "builder", "id"]).map(String::from),
                    build_type: build_type.clone(),
                    ..Provenance::default()
                };
                let ext = p.pointer("/buildDefinition/externalParameters");
                if let Some(wf) = ext.and_then(|e| e.get("workflow")) {
                    // GitHub's build type (and slsa-github-generator's):
                    // workflow.repository is a URL, workflow.ref the ref.
                    if let Some(repo) = wf.get("repository").and_then(Value::as_str) {
                        out.source_uri = Some(normalize_source(repo));
                    }
                    out.source_ref = wf.get("ref").and_then(Value::as_str).map(String::from);
                }
                // The first git dependency is the source (SLSA v1's
                // convention); it also carries the commit.
                let deps = p
                    .pointer("/buildDefinition/resolvedDependencies")
                    .and_then(Value::as_array);
                if let Some(dep) = deps.into_iter().flatten().find(|d| {
                    d.get("uri")
                        .and_then(Value::as_str)
                        .is_some_and(|u| u.starts_with("git+"))
                }) {
                    let uri = dep.get("uri").and_then(Value::as_str).unwrap_or_default();
                    let (repo, r) = split_git_uri(uri);
                    out.source_uri.get_or_insert(repo);
                    if let Some(r) = r {
                        out.source_ref.get_or_insert(r);
                    }
                    out.source_commit = dep
                        .pointer("/digest/gitCommit")
                        .or_else(|| dep.pointer("/digest/sha1"))
                        .and_then(Value::as_str)
                        .map(String::from);
                }
                Some(out)
            }
            SLSA_V02 => {
                let mut out = Provenance {
                    builder_id: str_at(p, &["builder", "id"]).map(String::from),
                    build_type: str_at(p, &["buildType"]).map(String::from),
                    ..Provenance::default()
                };
                if let Some(uri) = str_at(p, &["invocation", "configSource", "uri"]) {
                    let (repo, r) = split_git_uri(uri);
                    out.source_uri = Some(repo);
                    out.source_ref = r;
                }
                out.source_commit =
                    str_at(p, &["invocation", "configSource", "digest", "sha1"]).map(String::from);
                Some(out)
            }
            _ => None,
        }
    }
}

/// What a Fulcio certificate's extensions say about the workflow that was
/// issued it (GitHub Actions, GitLab CI and other CI issuers fill them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateClaims {
    /// Source Repository URI (1.3.6.1.4.1.57264.1.12), normalised.
    pub source_uri: Option<String>,
    /// Source Repository Digest (…1.13): the commit.
    pub source_commit: Option<String>,
    /// Source Repository Ref (…1.14).
    pub source_ref: Option<String>,
    /// Build Signer URI (…1.9): the workflow file that signed.
    pub build_signer: Option<String>,
}

impl CertificateClaims {
    /// Reads the claims of a DER certificate; a certificate without them
    /// (an e-mail identity) gives empty claims.
    pub fn from_der(der: &[u8]) -> Result<CertificateClaims, Failure> {
        use x509_cert::der::{Decode, asn1::Utf8StringRef};
        let cert = x509_cert::Certificate::from_der(der)
            .map_err(|e| malformed(format!("the signing certificate cannot be read: {e}")))?;
        let mut out = CertificateClaims::default();
        for ext in cert.tbs_certificate.extensions.iter().flatten() {
            let oid = ext.extn_id.to_string();
            let Some(arc) = oid.strip_prefix("1.3.6.1.4.1.57264.1.") else {
                continue;
            };
            let value = || -> Option<String> {
                Utf8StringRef::from_der(ext.extn_value.as_bytes())
                    .ok()
                    .map(|s| s.as_str().to_string())
            };
            match arc {
                "12" => out.source_uri = value().map(|v| normalize_source(&v)),
                "13" => out.source_commit = value(),
                "14" => out.source_ref = value(),
                "9" => out.build_signer = value(),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The ref a user requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceRef {
    /// `--source-tag v1.0` (`refs/tags/v1.0`).
    Tag(String),
    /// `--source-branch main` (`refs/heads/main`).
    Branch(String),
}

impl SourceRef {
    fn full(&self) -> String {
        match self {
            SourceRef::Tag(t) => format!("refs/tags/{}", t.trim_start_matches("refs/tags/")),
            SourceRef::Branch(b) => format!("refs/heads/{}", b.trim_start_matches("refs/heads/")),
        }
    }
}

/// What an attestation must say, beyond its signature.
#[derive(Clone, Debug, Default)]
pub struct AttestationPolicy {
    /// The predicate type it must carry (a URI; see [`predicate_type_for`]).
    /// `None`: any, unless a provenance requirement below is set, which
    /// needs SLSA provenance (v1 or v0.2).
    pub predicate_type: Option<String>,
    /// The source repository (`github.com/o/r`, any URL form).
    pub source_uri: Option<String>,
    /// The tags and branches it may have been built from: the source ref
    /// must be one of them (slsa-verifier's `--source-tag` with
    /// `--source-branch`). Empty: any ref.
    pub source_refs: Vec<SourceRef>,
    /// The builder ID; without `@…`, any version of that builder matches.
    pub builder_id: Option<String>,
}

/// What an attestation that passed its policy says.
#[derive(Clone, Debug)]
pub struct Attested {
    /// The predicate type.
    pub predicate_type: String,
    /// The subject that is the artifact.
    pub subject: Subject,
    /// The provenance facts, for SLSA provenance.
    pub provenance: Option<Provenance>,
}

impl AttestationPolicy {
    fn wants_provenance(&self) -> bool {
        self.source_uri.is_some() || !self.source_refs.is_empty() || self.builder_id.is_some()
    }

    /// Whether an attestation of `predicate_type` is one this policy
    /// judges: the predicate type asked for, or SLSA provenance when a
    /// source or builder is required, or any. A verifier that meets
    /// attestations of several types skips the others (cosign's
    /// `verify-attestation --type`); [`AttestationPolicy::check`] fails
    /// them.
    pub fn applies_to(&self, predicate_type: &str) -> bool {
        match &self.predicate_type {
            Some(want) => want == predicate_type,
            None if self.wants_provenance() => is_slsa_provenance(predicate_type),
            None => true,
        }
    }

    /// Judges `statement` for the artifact with digests `artifact` (SHA-256
    /// at least; every further algorithm the subject also lists must match
    /// too), signed with certificate claims `claims` (keyless) or `None`.
    pub fn check(
        &self,
        statement: &Statement,
        artifact: &[Digest],
        claims: Option<&CertificateClaims>,
    ) -> Result<Attested, Failure> {
        self.check_as(statement, artifact, claims, None)
    }

    /// [`AttestationPolicy::check`] for provenance a trusted [`Promotion`]
    /// carries to its final ref: the source ref requirement is met by the
    /// promotion's ref, the repository must be the promotion's too, and
    /// every other requirement is checked as the statement says.
    pub fn check_promoted(
        &self,
        statement: &Statement,
        artifact: &[Digest],
        claims: Option<&CertificateClaims>,
        promotion: &Promotion,
    ) -> Result<Attested, Failure> {
        let p = Provenance::of(statement).unwrap_or_default();
        let stated = p.source_uri.as_deref().map(normalize_source);
        if stated.as_deref() != Some(promotion.repository.as_str()) {
            return Err(policy(format!(
                "the promotion is of {}, the provenance of {}",
                promotion.repository,
                stated.as_deref().unwrap_or("no stated source")
            )));
        }
        self.check_as(statement, artifact, claims, Some(&promotion.source_ref))
    }

    fn check_as(
        &self,
        statement: &Statement,
        artifact: &[Digest],
        claims: Option<&CertificateClaims>,
        promoted_ref: Option<&str>,
    ) -> Result<Attested, Failure> {
        let predicate_type = statement.predicate_type.clone();
        match &self.predicate_type {
            Some(want) if *want != predicate_type => {
                return Err(policy(format!(
                    "predicate type is {predicate_type}, {want} was required"
                )));
            }
            None if self.wants_provenance() && !is_slsa_provenance(&predicate_type) => {
                return Err(policy(format!(
                    "predicate type is {predicate_type}, SLSA provenance was required"
                )));
            }
            _ => {}
        }
        let first = artifact
            .first()
            .ok_or_else(|| malformed("no digest of the artifact was given"))?;
        // Any digest the engine computed may be the one a subject names
        // (npm's name SHA-512 only).
        let found = artifact.iter().find_map(|d| statement.subject_for(d));
        let subject = found.ok_or_else(|| Failure {
            reason: Reason::Signature,
            detail: format!(
                "the statement does not name the artifact ({}:{}) among its {} subject(s)",
                first.algorithm().name(),
                first.to_hex(),
                statement.subjects.len()
            ),
        })?;
        for d in artifact {
            let Some(name) = in_toto_algorithm(d.algorithm()) else {
                continue;
            };
            if let Some(h) = subject.digest.get(name)
                && *h != d.to_hex()
            {
                return Err(Failure {
                    reason: Reason::Signature,
                    detail: format!(
                        "subject {:?}: its {name} digest {h} is not the artifact's {}",
                        subject.name,
                        d.to_hex()
                    ),
                });
            }
        }
        let provenance = Provenance::of(statement);
        if self.wants_provenance() {
            // Checked above: the predicate is SLSA provenance.
            let p = provenance.clone().unwrap_or_default();
            if let Some(want) = &self.source_uri {
                let want = normalize_source(want);
                require(
                    "source",
                    &want,
                    p.source_uri.as_deref(),
                    claims.map(|c| c.source_uri.as_deref()),
                )?;
            }
            if !self.source_refs.is_empty() {
                let wanted: Vec<String> = self.source_refs.iter().map(SourceRef::full).collect();
                // The ref the statement names decides which requirement
                // applies; the certificate must then say the same.
                // A promotion replaces the ref of both the statement and
                // the certificate: it vouches for the bytes as that ref.
                let stated = promoted_ref.or(p.source_ref.as_deref());
                let certified = match promoted_ref {
                    Some(_) => None,
                    None => claims.map(|c| c.source_ref.as_deref()),
                };
                let want = stated
                    .and_then(|r| wanted.iter().find(|w| *w == r))
                    .unwrap_or(&wanted[0]);
                let shown = wanted.join(" or ");
                require_shown("source ref", want, &shown, stated, certified)?;
            }
            if let Some(want) = &self.builder_id {
                let found = p.builder_id.as_deref().unwrap_or_default();
                if !builder_matches(want, found) {
                    return Err(policy(format!(
                        "builder is {}, {want} was required",
                        if found.is_empty() {
                            "not stated"
                        } else {
                            found
                        }
                    )));
                }
            }
        }
        Ok(Attested {
            predicate_type,
            subject: subject.clone(),
            provenance,
        })
    }
}

/// A required `what` must be what the provenance states, and, when the
/// bundle is keyless and its certificate carries the claim, what the
/// certificate says too: the certificate's claims come from the CI system's
/// token, the statement's from whatever ran in the build, so a statement
/// alone cannot satisfy a requirement its certificate contradicts.
fn require(
    what: &str,
    want: &str,
    stated: Option<&str>,
    certified: Option<Option<&str>>,
) -> Result<(), Failure> {
    require_shown(what, want, want, stated, certified)
}

/// [`require`], with the requirement shown as `shown` (several refs, one
/// of which is `want`).
fn require_shown(
    what: &str,
    want: &str,
    shown: &str,
    stated: Option<&str>,
    certified: Option<Option<&str>>,
) -> Result<(), Failure> {
    if stated != Some(want) {
        return Err(policy(format!(
            "{what} is {}, {shown} was required",
            stated.unwrap_or("not stated")
        )));
    }
    if let Some(Some(c)) = certified
        && c != want
    {
        return Err(policy(format!(
            "the provenance states {what} {want}, but the signing certificate says {c}"
        )));
    }
    Ok(())
}

/// Whether builder ID `found` is the builder `want` names, by
/// slsa-verifier's rules: `want` without `@…` matches any version of that
/// builder; `NAME@v2.1.0` matches `NAME@v2.1.0` and `NAME@refs/tags/v2.1.0`
/// (and the other way round), since reusable workflows are named by the
/// ref they were called at and users write the tag.
pub fn builder_matches(want: &str, found: &str) -> bool {
    let (want_name, want_ver) = match want.rsplit_once('@') {
        Some((n, v)) => (n, Some(v)),
        None => (want, None),
    };
    let (found_name, found_ver) = match found.rsplit_once('@') {
        Some((n, v)) => (n, Some(v)),
        None => (found, None),
    };
    if want_name != found_name {
        return false;
    }
    match (want_ver, found_ver) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(w), Some(f)) => {
            w == f
                || f.strip_prefix("refs/tags/") == Some(w)
                || w.strip_prefix("refs/tags/") == Some(f)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sha256(hex: &str) -> Digest {
        Digest::from_hex(Algorithm::Sha256, hex).unwrap()
    }

    const A: &str = "a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";

    fn github_statement(repo: &str, r: &str) -> Vec<u8> {
        serde_json::json!({
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [{"name": "a.txt", "digest": {"sha256": A}}],
            "predicateType": SLSA_V1,
            "predicate": {
                "buildDefinition": {
                    "buildType": GITHUB_WORKFLOW_BUILD_TYPE,
                    "externalParameters": {"workflow": {
                        "ref": r, "repository": repo, "path": ".github/workflows/release.yml"}},
                    "resolvedDependencies": [{
                        "uri": format!("git+{repo}@{r}"),
                        "digest": {"gitCommit": "0123456789abcdef0123456789abcdef01234567"}}]
                },
                "runDetails": {"builder": {"id": format!("{repo}/.github/workflows/release.yml@{r}")}}
            }
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn github_provenance_facts() {
        let s = Statement::parse(
            IN_TOTO_PAYLOAD_TYPE,
            &github_statement("https://github.com/o/r", "refs/tags/v1.0"),
        )
        .unwrap();
        let p = Provenance::of(&s).unwrap();
        assert_eq!(p.source_uri.as_deref(), Some("github.com/o/r"));
        assert_eq!(p.source_ref.as_deref(), Some("refs/tags/v1.0"));
        assert_eq!(
            p.source_commit.as_deref(),
            Some("0123456789abcdef0123456789abcdef01234567")
        );
        let ok = AttestationPolicy {
            source_uri: Some("github.com/O/r".into()),
            source_refs: vec![SourceRef::Tag("v1.0".into())],
            builder_id: Some("https://github.com/o/r/.github/workflows/release.yml".into()),
            ..AttestationPolicy::default()
        };
        ok.check(&s, &[sha256(A)], None).unwrap();
        let wrong_tag = AttestationPolicy {
            source_refs: vec![SourceRef::Tag("v1.1".into())],
            ..AttestationPolicy::default()
        };
        let e = wrong_tag.check(&s, &[sha256(A)], None).unwrap_err();
        assert_eq!(e.reason, Reason::Policy);
        assert!(e.detail.contains("refs/tags/v1.1"), "{}", e.detail);
        let branch = AttestationPolicy {
            source_refs: vec![SourceRef::Branch("v1.0".into())],
            ..AttestationPolicy::default()
        };
        assert_eq!(
            branch.check(&s, &[sha256(A)], None).unwrap_err().reason,
            Reason::Policy
        );
    }

    #[test]
    fn subject_and_type_are_enforced() {
        let s = Statement::parse(
            IN_TOTO_PAYLOAD_TYPE,
            &github_statement("https://github.com/o/r", "refs/heads/main"),
        )
        .unwrap();
        let other = sha256(&"0".repeat(64));
        let e = AttestationPolicy::default()
            .check(&s, &[other], None)
            .unwrap_err();
        assert_eq!(e.reason, Reason::Signature);
        let spdx = AttestationPolicy {
            predicate_type: Some(predicate_type_for("spdxjson")),
            ..AttestationPolicy::default()
        };
        assert_eq!(
            spdx.check(&s, &[sha256(A)], None).unwrap_err().reason,
            Reason::Policy
        );
    }

    #[test]
    fn a_verification_summary_is_read_as_a_promotion() {
        let vsa = |result: &str, uri: &str| Statement {
            statement_type: "https://in-toto.io/Statement/v1".into(),
            subjects: Vec::new(),
            predicate_type: VSA_V1.into(),
            predicate: serde_json::json!({
                "verificationResult": result,
                "resourceUri": uri,
                "inputAttestations": [{"uri": "p.intoto.jsonl", "digest": {"sha256": "AB"}}],
            }),
        };
        let p = Promotion::of(&vsa(
            "PASSED",
            "git+https://github.com/O/r.git@refs/tags/v1.3.0",
        ))
        .unwrap();
        assert_eq!(p.repository, "github.com/o/r");
        assert_eq!(p.source_ref, "refs/tags/v1.3.0");
        assert_eq!(p.inputs, ["ab"]);
        let failed = Promotion::of(&vsa("FAILED", "github.com/o/r@refs/tags/v1")).unwrap_err();
        assert_eq!(failed.reason, Reason::Policy);
        let no_ref = Promotion::of(&vsa("PASSED", "github.com/o/r")).unwrap_err();
        assert_eq!(no_ref.reason, Reason::Malformed);
    }

    #[test]
    fn a_policy_applies_to_the_predicate_types_it_judges() {
        let spdx = predicate_type_for("spdxjson");
        let any = AttestationPolicy::default();
        assert!(any.applies_to(SLSA_V1) && any.applies_to(&spdx));
        let source = AttestationPolicy {
            source_uri: Some("github.com/o/r".into()),
            ..AttestationPolicy::default()
        };
        assert!(source.applies_to(SLSA_V1) && source.applies_to(SLSA_V02));
        assert!(!source.applies_to(&spdx));
        let typed = AttestationPolicy {
            predicate_type: Some(spdx.clone()),
            ..AttestationPolicy::default()
        };
        assert!(typed.applies_to(&spdx) && !typed.applies_to(SLSA_V1));
    }

    #[test]
    fn a_statement_contradicting_its_certificate_fails() {
        let s = Statement::parse(
            IN_TOTO_PAYLOAD_TYPE,
            &github_statement("https://github.com/evil/r", "refs/heads/main"),
        )
        .unwrap();
        let claims = CertificateClaims {
            source_uri: Some("github.com/o/r".into()),
            ..CertificateClaims::default()
        };
        // Without a requirement, nothing is compared.
        AttestationPolicy::default()
            .check(&s, &[sha256(A)], Some(&claims))
            .unwrap();
        let wants_evil = AttestationPolicy {
            source_uri: Some("github.com/evil/r".into()),
            ..AttestationPolicy::default()
        };
        let e = wants_evil
            .check(&s, &[sha256(A)], Some(&claims))
            .unwrap_err();
        assert_eq!(e.reason, Reason::Policy);
        assert!(e.detail.contains("signing certificate"), "{}", e.detail);
    }

    #[test]
    fn malformed_statements_are_named() {
        for (ty, body) in [
            ("text/plain", "{}"),
            (IN_TOTO_PAYLOAD_TYPE, "not json"),
            (IN_TOTO_PAYLOAD_TYPE, r#"{"_type":"x"}"#),
            (
                IN_TOTO_PAYLOAD_TYPE,
                r#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[]}"#,
            ),
        ] {
            let e = Statement::parse(ty, body.as_bytes()).unwrap_err();
            assert_eq!(e.reason, Reason::Malformed, "{ty} {body}");
        }
    }

    /// slsa-verifier's policy table, as its `verify-artifact` tests lay it
    /// out: one provenance (slsa-github-generator's Go builder at v2.1.0,
    /// built from `github.com/o/r` at tag v1.2.3 — v1 with GitHub's
    /// workflow parameters, and v0.2 with `invocation.configSource`) against
    /// source, tag, branch, builder and versioned-builder requirements.
    #[test]
    fn slsa_verifier_policy_table() {
        const GO: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml";
        let v1 = |r: &str| {
            serde_json::json!({
                "_type": "https://in-toto.io/Statement/v1",
                "subject": [{"name": "a", "digest": {"sha256": A}}],
                "predicateType": SLSA_V1,
                "predicate": {
                    "buildDefinition": {
                        "buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
                        "externalParameters": {"workflow": {
                            "ref": r, "repository": "https://github.com/o/r", "path": ".github/workflows/release.yml"}},
                        "resolvedDependencies": [{"uri": format!("git+https://github.com/o/r@{r}"),
                            "digest": {"gitCommit": "0123456789abcdef0123456789abcdef01234567"}}]
                    },
                    "runDetails": {"builder": {"id": format!("{GO}@refs/tags/v2.1.0")}}
                }
            })
        };
        let v02 = |r: &str| {
            serde_json::json!({
                "_type": "https://in-toto.io/Statement/v0.1",
                "subject": [{"name": "a", "digest": {"sha256": A}}],
                "predicateType": SLSA_V02,
                "predicate": {
                    "builder": {"id": format!("{GO}@refs/tags/v2.1.0")},
                    "buildType": "https://github.com/slsa-framework/slsa-github-generator/go@v1",
                    "invocation": {"configSource": {
                        "uri": format!("git+https://github.com/o/r@{r}"),
                        "digest": {"sha1": "0123456789abcdef0123456789abcdef01234567"},
                        "entryPoint": ".github/workflows/release.yml"}}
                }
            })
        };
        struct Row {
            name: &'static str,
            source: Option<&'static str>,
            tag: Option<&'static str>,
            branch: Option<&'static str>,
            builder: Option<String>,
            built_at: &'static str,
            ok: bool,
        }
        let row = |name, source, tag, branch, builder: Option<String>, built_at, ok| Row {
            name,
            source,
            tag,
            branch,
            builder,
            built_at,
            ok,
        };
        let tag = "refs/tags/v1.2.3";
        let main = "refs/heads/main";
        let rows = [
            row("source only", Some("github.com/o/r"), None, None, None, tag, true),
            row("source as URL", Some("https://github.com/o/r"), None, None, None, tag, true),
            row("wrong source", Some("github.com/o/other"), None, None, None, tag, false),
            row("tag", Some("github.com/o/r"), Some("v1.2.3"), None, None, tag, true),
            row("tag as ref", None, Some("refs/tags/v1.2.3"), None, None, tag, true),
            row("wrong tag", None, Some("v1.2.4"), None, None, tag, false),
            row("tag required, built on a branch", None, Some("v1.2.3"), None, None, main, false),
            row("branch", None, None, Some("main"), None, main, true),
            row("wrong branch", None, None, Some("dev"), None, main, false),
            row("tag or branch: the tag", None, Some("v1.2.3"), Some("main"), None, tag, true),
            row("tag or branch: the branch", None, Some("v1.2.3"), Some("main"), None, main, true),
            row("tag or branch: neither", None, Some("v9"), Some("dev"), None, main, false),
            row("bare builder", None, None, None, Some(GO.into()), tag, true),
            row("versioned builder, as users write it", None, None, None, Some(format!("{GO}@v2.1.0")), tag, true),
            row("versioned builder, as a ref", None, None, None, Some(format!("{GO}@refs/tags/v2.1.0")), tag, true),
            row("other builder version", None, None, None, Some(format!("{GO}@v2.0.0")), tag, false),
            row("other builder", None, None, None, Some("https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml".into()), tag, false),
            row("builder name prefix", None, None, None, Some(GO[..GO.len() - 4].to_string()), tag, false),
            row("everything", Some("github.com/o/r"), Some("v1.2.3"), None, Some(format!("{GO}@v2.1.0")), tag, true),
        ];
        for (format, make) in [("v1", &v1 as &dyn Fn(&str) -> Value), ("v0.2", &v02)] {
            for r in &rows {
                let payload = make(r.built_at).to_string();
                let st = Statement::parse(IN_TOTO_PAYLOAD_TYPE, payload.as_bytes()).unwrap();
                let policy = AttestationPolicy {
                    source_uri: r.source.map(String::from),
                    source_refs: r
                        .tag
                        .map(|t| SourceRef::Tag(t.into()))
                        .into_iter()
                        .chain(r.branch.map(|b| SourceRef::Branch(b.into())))
                        .collect(),
                    builder_id: r.builder.clone(),
                    ..AttestationPolicy::default()
                };
                let got = policy.check(&st, &[sha256(A)], None);
                assert_eq!(got.is_ok(), r.ok, "{format} {}: {got:?}", r.name);
                if let Err(e) = got {
                    assert_eq!(e.reason, Reason::Policy, "{format} {}", r.name);
                }
            }
        }
    }

    #[test]
    fn builder_ids_match_loosely_by_ref_as_slsa_verifier_does() {
        let b = "https://github.com/x/y/.github/workflows/b.yml";
        assert!(builder_matches(b, &format!("{b}@refs/tags/v1")));
        assert!(builder_matches(
            &format!("{b}@v1"),
            &format!("{b}@refs/tags/v1")
        ));
        assert!(builder_matches(
            &format!("{b}@refs/tags/v1"),
            &format!("{b}@v1")
        ));
        assert!(builder_matches(&format!("{b}@v1"), &format!("{b}@v1")));
        assert!(!builder_matches(
            &format!("{b}@v1"),
            &format!("{b}@refs/heads/v1")
        ));
        assert!(!builder_matches(&format!("{b}@v1"), b));
        assert!(!builder_matches(b, &format!("{b}x@v1")));
    }

    #[test]
    fn source_normalisation() {
        for s in [
            "git+https://github.com/o/r.git",
            "https://github.com/o/r/",
            "github.com/o/r",
        ] {
            assert_eq!(normalize_source(s), "github.com/o/r");
        }
        assert_eq!(
            split_git_uri("git+https://github.com/o/r@refs/tags/v1"),
            ("github.com/o/r".into(), Some("refs/tags/v1".into()))
        );
    }
}
