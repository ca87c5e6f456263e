//! Verifies every case of sigstore-conformance's `bundle-verify` vectors in
//! one process, with the artifact hashed by the digest engine (path mode)
//! and with its SHA-256 given (digest mode), and prints the time taken and
//! how many verdicts were right. Run by `cargo xtask bench-bundle`.
//!
//! Usage: `conformance_bench CONFORMANCE_DIR [ROUNDS]`, where
//! CONFORMANCE_DIR holds `bundle-verify/` and `trusted_root.production.json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use apostille_digest::{Algorithm, AlgorithmSet, Engine, EngineConfig, Input, Job};
use apostille_verify::bundle::{
    Bundle, BundleError, IdentityRule, Policy, PublicKey, TrustedRoot, Verdict, Verifier,
};

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

struct Case {
    name: String,
    dir: PathBuf,
    artifact: PathBuf,
}

fn read_trimmed(p: &Path) -> Option<String> {
    std::fs::read_to_string(p)
        .ok()
        .map(|s| s.trim().to_string())
}

/// Everything a case needs, read from disk (timed as part of the run).
fn verify_case(
    engine: &Engine,
    case: &Case,
    digest_mode: bool,
    sha256: Option<apostille_digest::value::Digest>,
) -> Result<Verdict, String> {
    let bundle_path = case.dir.join("bundle.sigstore.json");
    let root_path = case.dir.join("trusted_root.json");
    let digest = match (digest_mode, sha256) {
        (true, Some(d)) => d,
        _ => {
            let algs: AlgorithmSet = [Algorithm::Sha256].into_iter().collect();
            let h = engine
                .hash(Job::new(Input::Path(case.artifact.clone()), algs))
                .map_err(|e| e.to_string())?;
            *h.digests.get(Algorithm::Sha256).ok_or("no SHA-256")?
        }
    };
    let decide = || -> Result<Verdict, BundleError> {
        let bundle = Bundle::parse(
            &std::fs::read(&bundle_path).unwrap_or_default(),
            &bundle_path,
        )?;
        let root = if root_path.exists() {
            TrustedRoot::parse(&std::fs::read(&root_path).unwrap_or_default(), &root_path)?
        } else {
            TrustedRoot::public_good()?
        };
        let key_path = case.dir.join("key.pub");
        let policy = if key_path.exists() {
            Policy::Key(PublicKey::from_pem(
                &std::fs::read(&key_path).unwrap_or_default(),
                &key_path,
            )?)
        } else {
            Policy::Certificate {
                identity: IdentityRule::Exact(
                    read_trimmed(&case.dir.join("identity")).unwrap_or_else(|| IDENTITY.into()),
                ),
                issuer: read_trimmed(&case.dir.join("issuer")).unwrap_or_else(|| ISSUER.into()),
            }
        };
        Ok(Verifier::new(&root).verify(&bundle, std::slice::from_ref(&digest), &policy))
    };
    Ok(decide().unwrap_or_else(|e| Verdict::Failed(e.to_failure())))
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(base) = args.next().map(PathBuf::from) else {
        eprintln!("usage: conformance_bench CONFORMANCE_DIR [ROUNDS]");
        return ExitCode::from(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let vectors = base.join("bundle-verify");
    let Ok(entries) = std::fs::read_dir(&vectors) else {
        eprintln!("{}: cannot read", vectors.display());
        return ExitCode::from(2);
    };
    let mut cases: Vec<Case> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .map(|dir| Case {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            artifact: Some(dir.join("artifact"))
                .filter(|p| p.exists())
                .unwrap_or_else(|| vectors.join("a.txt")),
            dir,
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    let engine = match Engine::new(EngineConfig::default()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // The digests given in digest mode, computed up front (a user of
    // `sha256:HEX` brings them along).
    let algs: AlgorithmSet = [Algorithm::Sha256].into_iter().collect();
    let digests: Vec<_> = cases
        .iter()
        .map(|c| {
            engine
                .hash(Job::new(Input::Path(c.artifact.clone()), algs))
                .ok()
                .and_then(|h| h.digests.get(Algorithm::Sha256).copied())
        })
        .collect();
    let mut times = Vec::new();
    let mut wrong = Vec::new();
    let mut verdicts = 0;
    for round in 0..rounds {
        let start = Instant::now();
        for (case, digest) in cases.iter().zip(&digests) {
            for digest_mode in [false, true] {
                let v = verify_case(&engine, case, digest_mode, *digest);
                let ok = match &v {
                    Ok(v) => v.is_verified() != case.name.ends_with("_fail"),
                    Err(_) => false,
                };
                if round == 0 {
                    verdicts += 1;
                    if !ok {
                        wrong.push(format!("{} ({}): {v:?}", case.name, digest_mode));
                    }
                }
            }
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let min = times.first().copied().unwrap_or(0.0);
    println!(
        "{} cases, {verdicts} verdicts, {} right, {} wrong; {rounds} rounds: median {median:.3} s, best {min:.3} s per round of {verdicts}",
        cases.len(),
        verdicts - wrong.len(),
        wrong.len()
    );
    for w in &wrong {
        println!("WRONG {w}");
    }
    if wrong.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
