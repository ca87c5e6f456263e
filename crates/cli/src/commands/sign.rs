//! `apostille sign …`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use apostille_digest::{AlgorithmSet, Engine, Input, Job};
use apostille_sign::atomic::write_atomic;
use apostille_sign::pgp::SigningKey;
use sequoia_openpgp::types::HashAlgorithm;

use crate::Outcome;
use crate::cli::SignPgpArgs;
use crate::output::warn;

/// `apostille sign pgp`: every file read once by the engine, which feeds
/// each signature's hash context; then each `.asc` written atomically.
pub fn pgp(engine: &Engine, args: &SignPgpArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let hash = match args.hash.to_ascii_lowercase().replace('-', "").as_str() {
        "sha512" => HashAlgorithm::SHA512,
        "sha384" => HashAlgorithm::SHA384,
        "sha256" => HashAlgorithm::SHA256,
        other => bail!("--hash {other}: use sha512, sha384 or sha256"),
    };
    let passphrase = read_passphrase(
        args.passphrase_file.as_deref(),
        args.passphrase_env.as_deref(),
    )?;
    let key_data = std::fs::read(&args.key)
        .with_context(|| format!("{}: cannot read key", args.key.display()))?;
    let mut key = SigningKey::from_bytes(&key_data, passphrase.as_deref())
        .and_then(|k| k.with_hash(hash))
        .with_context(|| format!("{}", args.key.display()))?;

    let outputs: Vec<PathBuf> = args
        .files
        .iter()
        .map(|f| {
            let mut s = f.as_os_str().to_owned();
            s.push(".asc");
            PathBuf::from(s)
        })
        .collect();
    if !args.force
        && let Some(existing) = outputs.iter().find(|o| o.exists())
    {
        bail!("{}: exists; --force replaces it", existing.display());
    }
    let mut pending = Vec::new();
    let mut jobs = Vec::new();
    for f in &args.files {
        let p = key.prepare()?;
        jobs.push(Job::new(Input::Path(f.clone()), AlgorithmSet::empty()).with_sink(p.sink()));
        pending.push(p);
    }
    let mut failed = false;
    for r in engine.hash_all(jobs) {
        if let Err(e) = r {
            warn(e);
            failed = true;
        }
    }
    if failed {
        bail!("nothing signed: some files could not be read");
    }
    for (p, out) in pending.iter().zip(&outputs) {
        let armored = key.finish(p)?;
        write_atomic(out, &armored)?;
        if !quiet {
            eprintln!(
                "wrote {} (key {}, signing key {})",
                out.display(),
                key.fingerprint(),
                key.signing_key_fingerprint()
            );
        }
    }
    Ok(Outcome::Ok)
}

/// A passphrase from a file (its first line) or an environment variable;
/// never from the command line, where other users could read it.
pub fn read_passphrase(
    file: Option<&std::path::Path>,
    env: Option<&str>,
) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(match (file, env) {
        (Some(f), _) => {
            let text = std::fs::read(f).with_context(|| format!("{}: cannot read", f.display()))?;
            let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
            Some(line.strip_suffix(b"\r").unwrap_or(line).to_vec())
        }
        (None, Some(var)) => Some(
            std::env::var_os(var)
                .with_context(|| format!("--passphrase-env {var}: the variable is not set"))?
                .into_encoded_bytes(),
        ),
        (None, None) => None,
    })
}
