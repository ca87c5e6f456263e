//! `apostille keys …`.

use anyhow::{Context, bail};
use apostille_sign::atomic::{write_atomic, write_atomic_mode};
use apostille_sign::keys::{KeyAlgorithm, add_to_keys, generate as generate_key};

use super::sign::read_passphrase;
use crate::Outcome;
use crate::cli::{KeysAddArgs, KeysGenerateArgs};
use crate::output::warn;

/// `apostille keys generate`.
pub fn generate(args: &KeysGenerateArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let algo = match args.algo.to_ascii_lowercase().as_str() {
        "rsa4096" | "rsa" => KeyAlgorithm::Rsa4096,
        "ed25519" | "cv25519" => {
            warn(
                "warning: the Apache release policy asks for RSA keys (4096 bits for new keys); ed25519 keys may be refused by projects that follow it",
            );
            KeyAlgorithm::Ed25519
        }
        other => bail!("--algo {other}: use rsa4096 or ed25519"),
    };
    let passphrase = read_passphrase(
        args.passphrase_file.as_deref(),
        args.passphrase_env.as_deref(),
    )?;
    if passphrase.is_none() && !quiet {
        warn(
            "warning: the secret key is not passphrase-protected (--passphrase-file or --passphrase-env protects it)",
        );
    }
    let key = generate_key(&args.uid, algo, passphrase.as_deref())?;
    let prefix = args.output.as_os_str().to_owned();
    let path = |ext: &str| {
        let mut p = prefix.clone();
        p.push(ext);
        std::path::PathBuf::from(p)
    };
    let (sec, public) = (path(".sec.asc"), path(".pub.asc"));
    for p in [&sec, &public] {
        if p.exists() {
            bail!("{}: exists; not replaced", p.display());
        }
    }
    write_atomic_mode(&sec, &key.secret, 0o600)?;
    write_atomic(&public, &key.public)?;
    println!("{}", key.fingerprint);
    if !quiet {
        eprintln!("wrote {} and {}", sec.display(), public.display());
    }
    Ok(Outcome::Ok)
}

/// `apostille keys add`.
pub fn add(args: &KeysAddArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let existing = match std::fs::read(&args.keys) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("{}: cannot read", args.keys.display())),
    };
    let cert = std::fs::read(&args.cert)
        .with_context(|| format!("{}: cannot read", args.cert.display()))?;
    let (fpr, updated) =
        add_to_keys(&existing, &cert).with_context(|| format!("{}", args.cert.display()))?;
    write_atomic(&args.keys, &updated)?;
    if !quiet {
        eprintln!("added {fpr} to {}", args.keys.display());
    }
    Ok(Outcome::Ok)
}
