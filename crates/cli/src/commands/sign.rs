//! `apostille sign …`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use apostille_digest::{Algorithm, AlgorithmSet, Engine, ReadPlan};
use apostille_sign::atomic::write_atomic;
use apostille_sign::checksums::{Style, sidecar_path, write_sidecar};
use apostille_sign::pgp::{PgpError, SigningKey};
use apostille_verify::pgp::Keyring;
use sequoia_openpgp::types::HashAlgorithm;

use crate::Outcome;
use crate::cli::SignPgpArgs;
use crate::output::warn;

/// `apostille sign pgp`: every file read once by the engine, which feeds
/// each signature's hash context; then each `.asc` written atomically.
pub fn pgp(engine: &Engine, args: &SignPgpArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let mut key = load_key(&KeySource {
        key: args.key.as_deref(),
        agent: args.agent.as_deref(),
        cert: args.cert.as_deref(),
        gnupg_home: args.gnupg_home.as_deref(),
        passphrase_file: args.passphrase_file.as_deref(),
        passphrase_env: args.passphrase_env.as_deref(),
        hash: &args.hash,
    })?
    .context("give --key KEY.asc or --agent FINGERPRINT")?;

    let outputs: Vec<PathBuf> = args
        .files
        .iter()
        .map(|f| {
            let mut s = f.as_os_str().to_owned();
            s.push(".asc");
            PathBuf::from(s)
        })
        .collect();
    let mut sidecar_algs = AlgorithmSet::empty();
    for a in &args.checksums {
        let alg: Algorithm = a.parse()?;
        if alg.is_weak() {
            warn(format_args!(
                "warning: {alg} sidecars are legacy: the Apache release policy asks for SHA-256 or SHA-512"
            ));
        }
        sidecar_algs.insert(alg);
    }
    let sidecars: Vec<PathBuf> = args
        .files
        .iter()
        .flat_map(|f| sidecar_algs.iter().map(move |a| sidecar_path(f, a)))
        .collect();
    if !args.force
        && let Some(existing) = outputs.iter().chain(&sidecars).find(|o| o.exists())
    {
        bail!("{}: exists; --force replaces it", existing.display());
    }
    let mut pending = Vec::new();
    let mut reads = ReadPlan::new();
    let mut keys = Vec::new();
    for f in &args.files {
        let p = key.prepare()?;
        // A v4 signature continues from the engine's own hasher: with
        // `--checksums sha512` the file is hashed by SHA-512 once, for both.
        let algs = sidecar_algs.union(p.algorithms());
        keys.push(reads.want(f, algs, p.sink().into_iter().collect()));
        pending.push(p);
    }
    let results = reads.run(engine);
    let mut hashed = Vec::new();
    let mut failed = false;
    for (f, k) in args.files.iter().zip(&keys) {
        match results.by_key(k) {
            Some(Ok(h)) => hashed.push((f, h)),
            Some(Err(e)) => {
                warn(e);
                failed = true;
            }
            None => {
                warn(format_args!("{}: not read", f.display()));
                failed = true;
            }
        }
    }
    if failed {
        bail!("nothing signed: some files could not be read");
    }
    // Every signature is made before any is written: an agent that refuses
    // (wrong passphrase, card removed) leaves no partial set behind.
    let signatures = pending
        .iter()
        .zip(&hashed)
        .map(|(p, (_, h))| key.finish(p, h))
        .collect::<Result<Vec<_>, _>>()?;
    for (f, h) in &hashed {
        for d in h
            .digests
            .iter()
            .filter(|d| sidecar_algs.contains(d.algorithm()))
        {
            let path = write_sidecar(f, d, Style::Gnu)?;
            if !quiet {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    for (armored, out) in signatures.iter().zip(&outputs) {
        write_atomic(out, armored)?;
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

/// Where an OpenPGP signing key comes from (`sign pgp` and `release`
/// spell the flags differently).
pub struct KeySource<'a> {
    pub key: Option<&'a Path>,
    pub agent: Option<&'a str>,
    pub cert: Option<&'a Path>,
    pub gnupg_home: Option<&'a Path>,
    pub passphrase_file: Option<&'a Path>,
    pub passphrase_env: Option<&'a str>,
    pub hash: &'a str,
}

/// The signing key `src` names (`None` when it names none), set to sign
/// with its hash.
pub fn load_key(src: &KeySource<'_>) -> anyhow::Result<Option<SigningKey>> {
    let hash = match src.hash.to_ascii_lowercase().replace('-', "").as_str() {
        "sha512" => HashAlgorithm::SHA512,
        "sha384" => HashAlgorithm::SHA384,
        "sha256" => HashAlgorithm::SHA256,
        other => bail!("OpenPGP hash {other}: use sha512, sha384 or sha256"),
    };
    if src.key.is_none() && src.agent.is_none() {
        return Ok(None);
    }
    let passphrase = read_passphrase(src.passphrase_file, src.passphrase_env)?;
    let key = match (src.key, src.agent) {
        (Some(path), _) => key_from_file(path, passphrase)?,
        (None, Some(fpr)) => key_from_agent(fpr, src.cert, src.gnupg_home, passphrase)?,
        (None, None) => return Ok(None),
    };
    Ok(Some(key.with_hash(hash)?))
}

/// A secret key file, unlocked with `passphrase`; when the key is
/// protected and no passphrase was given, asks on the terminal (three tries,
/// like gpg), and only when standard input is one.
fn key_from_file(path: &Path, passphrase: Option<Vec<u8>>) -> anyhow::Result<SigningKey> {
    let data = apostille_digest::input::read_input(path)?;
    if passphrase.is_none() && SigningKey::is_locked(&data) && std::io::stdin().is_terminal() {
        let mut last = None;
        for _ in 0..3 {
            let pw = rpassword::prompt_password(format!("Passphrase for {}: ", path.display()))
                .with_context(|| format!("{}: cannot read the passphrase", path.display()))?;
            match SigningKey::from_bytes(&data, Some(pw.as_bytes())) {
                Ok(k) => return Ok(k),
                Err(e @ PgpError::Locked(_)) => {
                    eprintln!("{}: {e}", path.display());
                    last = Some(e);
                }
                Err(e) => return Err(e).with_context(|| format!("{}", path.display())),
            }
        }
        if let Some(e) = last {
            return Err(e).with_context(|| format!("{}", path.display()));
        }
    }
    SigningKey::from_bytes(&data, passphrase.as_deref())
        .with_context(|| format!("{}", path.display()))
}

/// A key held by gpg-agent: its certificate from `--cert` (a certificate
/// or a KEYS file) or from `gpg --export`.
fn key_from_agent(
    fpr: &str,
    cert: Option<&Path>,
    gnupg_home: Option<&Path>,
    passphrase: Option<Vec<u8>>,
) -> anyhow::Result<SigningKey> {
    let want = fpr.replace(' ', "").to_ascii_uppercase();
    if want.len() < 16 || !want.chars().all(|c| c.is_ascii_hexdigit()) {
        bail!("--agent {fpr}: give the key's fingerprint (hex)");
    }
    let (data, source) = match cert {
        Some(path) => (
            apostille_digest::input::read_input(path)?,
            path.display().to_string(),
        ),
        None => (gpg_export(&want, gnupg_home)?, "gpg --export".into()),
    };
    let keyring = Keyring::from_keys_file(&data);
    let cert = keyring
        .certs
        .into_iter()
        .find(|c| {
            c.keys()
                .any(|k| k.key().fingerprint().to_hex().ends_with(&want))
        })
        .with_context(|| format!("{source}: no certificate with key {want}"))?;
    let home = gnupg_home
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("GNUPGHOME").map(PathBuf::from));
    SigningKey::from_agent(cert, home.as_deref(), passphrase.as_deref())
        .with_context(|| format!("--agent {fpr}"))
}

/// The public certificate of `fpr` from the user's GnuPG keyring.
fn gpg_export(fpr: &str, home: Option<&Path>) -> anyhow::Result<Vec<u8>> {
    let mut cmd = std::process::Command::new("gpg");
    if let Some(h) = home {
        cmd.env("GNUPGHOME", h);
    }
    let out = cmd
        .args(["--batch", "--no-tty", "--export", fpr])
        .stdin(std::process::Stdio::null())
        .output()
        .context("cannot run `gpg --export` to find the certificate; give --cert FILE")?;
    if !out.status.success() || out.stdout.is_empty() {
        bail!("`gpg --export {fpr}` found no certificate; give --cert FILE");
    }
    Ok(out.stdout)
}

/// A passphrase from a file (its first line) or an environment variable;
/// never from the command line, where other users could read it.
pub fn read_passphrase(
    file: Option<&std::path::Path>,
    env: Option<&str>,
) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(match (file, env) {
        (Some(f), _) => {
            let text = apostille_digest::input::read_input(f)?;
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
