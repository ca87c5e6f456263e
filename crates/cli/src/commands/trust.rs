//! `apostille trust update`: the trusted roots refreshed through TUF.

use anyhow::Context;
use apostille_sign::atomic::write_atomic;
use apostille_verify::trust_update::{Cache, Instance, Source, TrustError, fetch};

use crate::Outcome;
use crate::cli::TrustUpdateArgs;
use crate::output::Out;

/// How long one request to the TUF repository may take.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Which instance the flags name.
pub fn instance(staging: bool, github: bool) -> Instance {
    match (staging, github) {
        (true, _) => Instance::Staging,
        (_, true) => Instance::GitHub,
        _ => Instance::PublicGood,
    }
}

/// Fetches, verifies and stores the root; prints where from, where to and
/// what changed. A repository TUF refuses (rollback, expired metadata, bad
/// signatures, unreachable) is a failed check (exit 1) and leaves the cache
/// as it was.
pub fn update(args: &TrustUpdateArgs) -> anyhow::Result<Outcome> {
    let instance = instance(args.staging, args.github);
    let source = match (&args.tuf_url, &args.tuf_root) {
        (Some(url), Some(root)) => Source {
            url: url.clone(),
            tuf_root: apostille_digest::input::read_input(root)
                .with_context(|| "cannot read the TUF root")?,
        },
        _ => Source::of(instance),
    };
    let cache = Cache::from_env()?;
    let fetched = match fetch(&cache, instance, &source, TIMEOUT) {
        Ok(f) => f,
        Err(e @ (TrustError::Tuf { .. } | TrustError::Unusable { .. })) => {
            let mut out = Out::new();
            out.bytes(
                format!(
                    "{} trusted root: FAILED: {e}; the root in use is unchanged\n",
                    instance.name()
                )
                .as_bytes(),
            )?;
            out.flush()?;
            return Ok(Outcome::CheckFailed);
        }
        Err(e) => return Err(e.into()),
    };
    let path = cache.root_path(instance);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_atomic(&path, &fetched.json)?;
    let mut text = format!(
        "{} trusted root: verified through TUF from {}, stored in {}; {}\n",
        instance.name(),
        source.url,
        path.display(),
        if fetched.changes.is_empty() {
            "unchanged".to_string()
        } else {
            format!("{} change(s):", fetched.changes.len())
        }
    );
    for c in &fetched.changes {
        text.push_str(&format!("  {c}\n"));
    }
    let mut out = Out::new();
    out.bytes(text.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Ok)
}
