//! in-toto Statements v1 and SLSA Provenance v1 predicates.
//!
//! Subjects carry the SHA-256 and SHA-512 the digest engine computed in its
//! single pass; nothing here reads an artifact. The provenance is filled
//! from the CI environment — GitHub Actions (the build type GitHub's own
//! `attest-build-provenance` writes), GitLab CI — or from explicit values.
//! Times come only from `SOURCE_DATE_EPOCH`, so that the same inputs give
//! the same bytes.

use apostille_digest::value::Digest;
use serde::Serialize;
use serde_json::{Value, json};

/// The in-toto Statement v1 type.
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";
/// The DSSE payload type of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// SLSA Provenance v1.
pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// The predicate type `cosign verify-attestation --type spdxjson` matches.
pub const SPDX_DOCUMENT: &str = "https://spdx.dev/Document";
/// GitHub Actions workflows' build type (GitHub's own provenance).
pub const GITHUB_BUILD_TYPE: &str = "https://actions.github.io/buildtypes/workflow/v1";
/// The build type apostille writes for GitLab CI jobs.
pub const GITLAB_BUILD_TYPE: &str =
    "https://github.com/apostille-dev/apostille/blob/main/docs/attest.md#gitlab-ci-v1";
/// The build type apostille writes when the build is described by flags.
pub const GENERIC_BUILD_TYPE: &str =
    "https://github.com/apostille-dev/apostille/blob/main/docs/attest.md#generic-v1";

/// One subject: a file name and its digests.
#[derive(Clone, Debug)]
pub struct Subject {
    /// The name (the artifact's file name).
    pub name: String,
    /// Its SHA-256.
    pub sha256: Digest,
    /// Its SHA-512, when the pass computed it.
    pub sha512: Option<Digest>,
}

#[derive(Serialize)]
struct SubjectJson<'a> {
    name: &'a str,
    digest: std::collections::BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct StatementJson<'a> {
    #[serde(rename = "_type")]
    statement_type: &'static str,
    subject: Vec<SubjectJson<'a>>,
    #[serde(rename = "predicateType")]
    predicate_type: &'a str,
    predicate: &'a Value,
}

/// The statement's JSON bytes (compact, keys in a fixed order).
pub fn statement(subjects: &[Subject], predicate_type: &str, predicate: &Value) -> Vec<u8> {
    let subject = subjects
        .iter()
        .map(|s| {
            let mut digest = std::collections::BTreeMap::new();
            digest.insert("sha256", s.sha256.to_hex());
            if let Some(d) = &s.sha512 {
                digest.insert("sha512", d.to_hex());
            }
            SubjectJson {
                name: &s.name,
                digest,
            }
        })
        .collect();
    let st = StatementJson {
        statement_type: STATEMENT_V1,
        subject,
        predicate_type,
        predicate,
    };
    serde_json::to_vec(&st).unwrap_or_default()
}

/// Why a build cannot be described.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    /// The environment lacks what the chosen CI mode needs.
    #[error("{ci}: missing {missing}")]
    MissingEnv {
        /// GitHub Actions or GitLab CI.
        ci: &'static str,
        /// The variables that are not set.
        missing: String,
    },
    /// No CI detected and no explicit description.
    #[error(
        "no CI environment found (GITHUB_ACTIONS or GITLAB_CI) and no --builder-id/--source-uri given: say how the build ran with --provenance generic and those flags"
    )]
    Undetected,
    /// A generic description lacks a required value.
    #[error("generic provenance needs {0}")]
    MissingFlag(&'static str),
}

/// Where a build ran, as the provenance records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Build {
    /// A GitHub Actions workflow run.
    GitHub(GitHubRun),
    /// A GitLab CI job.
    GitLab(GitLabJob),
    /// Described by flags.
    Generic(GenericBuild),
}

/// The GitHub Actions variables provenance uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitHubRun {
    /// `GITHUB_SERVER_URL` (default `https://github.com`).
    pub server: String,
    /// `GITHUB_REPOSITORY` (`owner/repo`).
    pub repository: String,
    /// `GITHUB_REF`.
    pub git_ref: String,
    /// `GITHUB_SHA`.
    pub sha: String,
    /// `GITHUB_WORKFLOW_REF` (`owner/repo/.github/workflows/x.yml@ref`).
    pub workflow_ref: String,
    /// `GITHUB_RUN_ID`.
    pub run_id: String,
    /// `GITHUB_RUN_ATTEMPT`.
    pub run_attempt: String,
    /// `RUNNER_ENVIRONMENT` (`github-hosted`, `self-hosted`).
    pub runner_environment: Option<String>,
    /// `GITHUB_EVENT_NAME`.
    pub event_name: Option<String>,
    /// `GITHUB_REPOSITORY_ID`.
    pub repository_id: Option<String>,
    /// `GITHUB_REPOSITORY_OWNER_ID`.
    pub repository_owner_id: Option<String>,
}

/// The GitLab CI variables provenance uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitLabJob {
    /// `CI_SERVER_URL`.
    pub server: String,
    /// `CI_PROJECT_URL`.
    pub project_url: String,
    /// `CI_PROJECT_PATH`.
    pub project_path: String,
    /// `CI_COMMIT_SHA`.
    pub sha: String,
    /// `refs/tags/CI_COMMIT_TAG` or `refs/heads/CI_COMMIT_REF_NAME`.
    pub git_ref: String,
    /// `CI_JOB_URL`.
    pub job_url: String,
    /// `CI_PIPELINE_ID`.
    pub pipeline_id: String,
    /// `CI_RUNNER_ID`.
    pub runner_id: Option<String>,
    /// `CI_PIPELINE_SOURCE`.
    pub pipeline_source: Option<String>,
}

/// A build described by flags.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GenericBuild {
    /// `--builder-id`.
    pub builder_id: String,
    /// `--source-uri` (`git+https://…`, or any URI).
    pub source_uri: String,
    /// `--source-ref` (`refs/tags/v1.0`).
    pub source_ref: Option<String>,
    /// `--source-digest` (a git commit).
    pub source_digest: Option<String>,
    /// `--build-type`.
    pub build_type: Option<String>,
}

/// The source a build names: repository, ref and commit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildSource {
    /// The repository's URL or URI.
    pub repository: String,
    /// Its owner (GitHub owner, GitLab group), when the CI names it.
    pub owner: Option<String>,
    /// Its short name (`repo` of `owner/repo`).
    pub name: Option<String>,
    /// The ref built (`refs/tags/v1.4.0`).
    pub git_ref: Option<String>,
    /// The commit built.
    pub commit: Option<String>,
}

/// Release metadata recorded in the provenance (the version and series a
/// release pipeline takes from its tag).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseInfo {
    /// The release version (`1.2.0`).
    pub version: Option<String>,
    /// The release series (`1.2`).
    pub series: Option<String>,
}

fn need(
    env: &dyn Fn(&str) -> Option<String>,
    ci: &'static str,
    names: &[&str],
) -> Result<Vec<String>, ProvenanceError> {
    let vals: Vec<Option<String>> = names
        .iter()
        .map(|n| env(n).filter(|v| !v.is_empty()))
        .collect();
    let missing: Vec<&str> = names
        .iter()
        .zip(&vals)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(ProvenanceError::MissingEnv {
            ci,
            missing: missing.join(", "),
        });
    }
    Ok(vals.into_iter().flatten().collect())
}

impl Build {
    /// GitHub Actions, from its variables.
    pub fn github(env: &dyn Fn(&str) -> Option<String>) -> Result<Build, ProvenanceError> {
        let v = need(
            env,
            "GitHub Actions",
            &[
                "GITHUB_REPOSITORY",
                "GITHUB_REF",
                "GITHUB_SHA",
                "GITHUB_WORKFLOW_REF",
                "GITHUB_RUN_ID",
                "GITHUB_RUN_ATTEMPT",
            ],
        )?;
        Ok(Build::GitHub(GitHubRun {
            server: env("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
            repository: v[0].clone(),
            git_ref: v[1].clone(),
            sha: v[2].clone(),
            workflow_ref: v[3].clone(),
            run_id: v[4].clone(),
            run_attempt: v[5].clone(),
            runner_environment: env("RUNNER_ENVIRONMENT"),
            event_name: env("GITHUB_EVENT_NAME"),
            repository_id: env("GITHUB_REPOSITORY_ID"),
            repository_owner_id: env("GITHUB_REPOSITORY_OWNER_ID"),
        }))
    }

    /// GitLab CI, from its variables.
    pub fn gitlab(env: &dyn Fn(&str) -> Option<String>) -> Result<Build, ProvenanceError> {
        let v = need(
            env,
            "GitLab CI",
            &[
                "CI_SERVER_URL",
                "CI_PROJECT_URL",
                "CI_PROJECT_PATH",
                "CI_COMMIT_SHA",
                "CI_JOB_URL",
                "CI_PIPELINE_ID",
            ],
        )?;
        let git_ref = match env("CI_COMMIT_TAG").filter(|t| !t.is_empty()) {
            Some(t) => format!("refs/tags/{t}"),
            None => format!(
                "refs/heads/{}",
                env("CI_COMMIT_REF_NAME").unwrap_or_default()
            ),
        };
        Ok(Build::GitLab(GitLabJob {
            server: v[0].clone(),
            project_url: v[1].clone(),
            project_path: v[2].clone(),
            sha: v[3].clone(),
            git_ref,
            job_url: v[4].clone(),
            pipeline_id: v[5].clone(),
            runner_id: env("CI_RUNNER_ID"),
            pipeline_source: env("CI_PIPELINE_SOURCE"),
        }))
    }

    /// The CI system the environment shows (`GITHUB_ACTIONS=true`,
    /// `GITLAB_CI=true`).
    pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> Result<Build, ProvenanceError> {
        if env("GITHUB_ACTIONS").as_deref() == Some("true") {
            Build::github(env)
        } else if env("GITLAB_CI").as_deref() == Some("true") {
            Build::gitlab(env)
        } else {
            Err(ProvenanceError::Undetected)
        }
    }

    /// A build described by flags; builder ID and source URI are required.
    pub fn generic(g: GenericBuild) -> Result<Build, ProvenanceError> {
        if g.builder_id.is_empty() {
            return Err(ProvenanceError::MissingFlag("--builder-id"));
        }
        if g.source_uri.is_empty() {
            return Err(ProvenanceError::MissingFlag("--source-uri"));
        }
        Ok(Build::Generic(g))
    }

    /// Where the built source came from, as the provenance records it.
    pub fn source(&self) -> BuildSource {
        match self {
            Build::GitHub(g) => BuildSource {
                repository: format!("{}/{}", g.server, g.repository),
                owner: g.repository.split_once('/').map(|(o, _)| o.to_string()),
                name: g.repository.rsplit('/').next().map(str::to_string),
                git_ref: Some(g.git_ref.clone()),
                commit: Some(g.sha.clone()),
            },
            Build::GitLab(g) => BuildSource {
                repository: g.project_url.clone(),
                owner: g.project_path.rsplit_once('/').map(|(o, _)| o.to_string()),
                name: g.project_path.rsplit('/').next().map(str::to_string),
                git_ref: Some(g.git_ref.clone()),
                commit: Some(g.sha.clone()),
            },
            Build::Generic(g) => {
                let last = g
                    .source_uri
                    .trim_end_matches('/')
                    .rsplit(['/', ':'])
                    .next()
                    .map(|n| n.trim_end_matches(".git").to_string())
                    .filter(|n| !n.is_empty());
                BuildSource {
                    repository: g.source_uri.clone(),
                    owner: None,
                    name: last,
                    git_ref: g.source_ref.clone(),
                    commit: g.source_digest.clone(),
                }
            }
        }
    }

    /// The SLSA Provenance v1 predicate. `epoch` (SOURCE_DATE_EPOCH, in
    /// seconds) gives `startedOn`/`finishedOn`; without it no time is
    /// written, so the output stays reproducible.
    pub fn predicate(&self, release: &ReleaseInfo, epoch: Option<i64>) -> Value {
        let mut p = match self {
            Build::GitHub(g) => {
                let repo_url = format!("{}/{}", g.server, g.repository);
                let path = g
                    .workflow_ref
                    .split_once('@')
                    .map(|(p, _)| p)
                    .unwrap_or(&g.workflow_ref)
                    .strip_prefix(&format!("{}/", g.repository))
                    .unwrap_or_default()
                    .to_string();
                let mut internal = serde_json::Map::new();
                for (k, v) in [
                    ("event_name", &g.event_name),
                    ("repository_id", &g.repository_id),
                    ("repository_owner_id", &g.repository_owner_id),
                    ("runner_environment", &g.runner_environment),
                ] {
                    if let Some(v) = v {
                        internal.insert(k.into(), json!(v));
                    }
                }
                json!({
                    "buildDefinition": {
                        "buildType": GITHUB_BUILD_TYPE,
                        "externalParameters": {"workflow": {
                            "ref": g.git_ref, "repository": repo_url, "path": path}},
                        "internalParameters": {"github": internal},
                        "resolvedDependencies": [{
                            "uri": format!("git+{repo_url}@{}", g.git_ref),
                            "digest": {"gitCommit": g.sha}}]
                    },
                    "runDetails": {
                        "builder": {"id": format!("{}/{}", g.server, g.workflow_ref)},
                        "metadata": {"invocationId": format!(
                            "{repo_url}/actions/runs/{}/attempts/{}", g.run_id, g.run_attempt)}
                    }
                })
            }
            Build::GitLab(g) => {
                let builder = match &g.runner_id {
                    Some(r) => format!("{}/{}/-/runners/{r}", g.server, g.project_path),
                    None => format!("{}/{}/-/runners", g.server, g.project_path),
                };
                let mut internal = serde_json::Map::new();
                internal.insert("pipeline_id".into(), json!(g.pipeline_id));
                if let Some(s) = &g.pipeline_source {
                    internal.insert("pipeline_source".into(), json!(s));
                }
                json!({
                    "buildDefinition": {
                        "buildType": GITLAB_BUILD_TYPE,
                        "externalParameters": {"source": {
                            "repository": g.project_url, "ref": g.git_ref}},
                        "internalParameters": {"gitlab": internal},
                        "resolvedDependencies": [{
                            "uri": format!("git+{}@{}", g.project_url, g.git_ref),
                            "digest": {"gitCommit": g.sha}}]
                    },
                    "runDetails": {
                        "builder": {"id": builder},
                        "metadata": {"invocationId": g.job_url}
                    }
                })
            }
            Build::Generic(g) => {
                let uri = if g.source_uri.starts_with("git+") {
                    g.source_uri.clone()
                } else {
                    format!("git+{}", g.source_uri)
                };
                let mut dep = json!({"uri": match &g.source_ref {
                    Some(r) => format!("{uri}@{r}"),
                    None => uri.clone(),
                }});
                if let Some(d) = &g.source_digest {
                    dep["digest"] = json!({"gitCommit": d});
                }
                let mut source = json!({"repository": g.source_uri});
                if let Some(r) = &g.source_ref {
                    source["ref"] = json!(r);
                }
                json!({
                    "buildDefinition": {
                        "buildType": g.build_type.as_deref().unwrap_or(GENERIC_BUILD_TYPE),
                        "externalParameters": {"source": source},
                        "resolvedDependencies": [dep]
                    },
                    "runDetails": {"builder": {"id": g.builder_id}}
                })
            }
        };
        if release.version.is_some() || release.series.is_some() {
            let mut r = serde_json::Map::new();
            if let Some(v) = &release.version {
                r.insert("version".into(), json!(v));
            }
            if let Some(s) = &release.series {
                r.insert("series".into(), json!(s));
            }
            p["buildDefinition"]["externalParameters"]["release"] = Value::Object(r);
        }
        if let Some(t) = epoch.and_then(|e| jiff::Timestamp::from_second(e).ok()) {
            let t = t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            p["runDetails"]["metadata"]["startedOn"] = json!(t);
            p["runDetails"]["metadata"]["finishedOn"] = json!(t);
        }
        p
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use apostille_digest::Algorithm;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    const GITHUB: &[(&str, &str)] = &[
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_REPOSITORY", "o/r"),
        ("GITHUB_REF", "refs/tags/v1.0"),
        ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
        (
            "GITHUB_WORKFLOW_REF",
            "o/r/.github/workflows/release.yml@refs/tags/v1.0",
        ),
        ("GITHUB_RUN_ID", "42"),
        ("GITHUB_RUN_ATTEMPT", "1"),
        ("RUNNER_ENVIRONMENT", "github-hosted"),
        ("GITHUB_EVENT_NAME", "push"),
    ];

    #[test]
    fn github_actions_provenance_is_what_github_writes() {
        let b = Build::detect(&env(GITHUB)).unwrap();
        let p = b.predicate(&ReleaseInfo::default(), Some(1_700_000_000));
        assert_eq!(p["buildDefinition"]["buildType"], GITHUB_BUILD_TYPE);
        let wf = &p["buildDefinition"]["externalParameters"]["workflow"];
        assert_eq!(wf["repository"], "https://github.com/o/r");
        assert_eq!(wf["path"], ".github/workflows/release.yml");
        assert_eq!(wf["ref"], "refs/tags/v1.0");
        assert_eq!(
            p["buildDefinition"]["resolvedDependencies"][0]["uri"],
            "git+https://github.com/o/r@refs/tags/v1.0"
        );
        assert_eq!(
            p["runDetails"]["builder"]["id"],
            "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.0"
        );
        assert_eq!(
            p["runDetails"]["metadata"]["invocationId"],
            "https://github.com/o/r/actions/runs/42/attempts/1"
        );
        assert_eq!(
            p["runDetails"]["metadata"]["startedOn"],
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            p["buildDefinition"]["internalParameters"]["github"]["runner_environment"],
            "github-hosted"
        );
    }

    #[test]
    fn gitlab_and_missing_variables() {
        let b = Build::detect(&env(&[
            ("GITLAB_CI", "true"),
            ("CI_SERVER_URL", "https://gitlab.com"),
            ("CI_PROJECT_URL", "https://gitlab.com/g/p"),
            ("CI_PROJECT_PATH", "g/p"),
            ("CI_COMMIT_SHA", "abc"),
            ("CI_COMMIT_TAG", "v2"),
            ("CI_JOB_URL", "https://gitlab.com/g/p/-/jobs/7"),
            ("CI_PIPELINE_ID", "9"),
            ("CI_RUNNER_ID", "3"),
        ]))
        .unwrap();
        let p = b.predicate(&ReleaseInfo::default(), None);
        assert_eq!(
            p["buildDefinition"]["resolvedDependencies"][0]["uri"],
            "git+https://gitlab.com/g/p@refs/tags/v2"
        );
        assert_eq!(
            p["runDetails"]["builder"]["id"],
            "https://gitlab.com/g/p/-/runners/3"
        );
        assert!(p["runDetails"]["metadata"].get("startedOn").is_none());
        let e = Build::detect(&env(&[("GITHUB_ACTIONS", "true"), ("GITHUB_SHA", "x")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("GITHUB_REPOSITORY") && e.contains("GITHUB_RUN_ID"),
            "{e}"
        );
        assert!(matches!(
            Build::detect(&env(&[])),
            Err(ProvenanceError::Undetected)
        ));
    }

    #[test]
    fn statements_are_deterministic_and_carry_both_digests() {
        let s = Subject {
            name: "a.tar.gz".into(),
            sha256: Digest::from_hex(Algorithm::Sha256, &"ab".repeat(32)).unwrap(),
            sha512: Some(Digest::from_hex(Algorithm::Sha512, &"cd".repeat(64)).unwrap()),
        };
        let g = Build::generic(GenericBuild {
            builder_id: "https://ci.example/b".into(),
            source_uri: "https://git.example/r".into(),
            source_ref: Some("refs/tags/v1".into()),
            ..GenericBuild::default()
        })
        .unwrap();
        let rel = ReleaseInfo {
            version: Some("1.0".into()),
            series: Some("1".into()),
        };
        let a = statement(
            std::slice::from_ref(&s),
            SLSA_PROVENANCE_V1,
            &g.predicate(&rel, Some(0)),
        );
        let b = statement(&[s], SLSA_PROVENANCE_V1, &g.predicate(&rel, Some(0)));
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert!(text.starts_with(r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.tar.gz","digest":{"sha256":"abab"#), "{text}");
        assert!(text.contains(r#""sha512":"cdcd"#));
        assert!(
            text.contains(r#""release":{"series":"1","version":"1.0"}"#),
            "{text}"
        );
        assert!(text.contains("git+https://git.example/r@refs/tags/v1"));
    }
}
