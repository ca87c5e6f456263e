//! `apostille keys …`.

use anyhow::{Context, bail};
use apostille_sign::atomic::{write_atomic, write_atomic_mode};
use apostille_sign::keys::{KeyAlgorithm, KeyVersion, add_to_keys, generate as generate_key};

use super::sign::read_passphrase;
use crate::Outcome;
use crate::cli::{KeysAddArgs, KeysCheckArgs, KeysGenerateArgs};
use crate::output::warn;

/// `apostille keys generate`.
pub fn generate(args: &KeysGenerateArgs, quiet: bool) -> anyhow::Result<Outcome> {
    if args.sigstore {
        return super::sigstore::generate_key(args, quiet);
    }
    let (Some(uid), Some(output)) = (&args.uid, &args.output) else {
        bail!("--uid and -o PREFIX are needed for an OpenPGP key");
    };
    let algo = match args
        .algo
        .as_deref()
        .unwrap_or("rsa4096")
        .to_ascii_lowercase()
        .as_str()
    {
        "rsa4096" | "rsa" => KeyAlgorithm::Rsa4096,
        "ed25519" | "cv25519" => {
            warn(
                "warning: the Apache release policy asks for RSA keys (4096 bits for new keys); ed25519 keys may be refused by projects that follow it",
            );
            KeyAlgorithm::Ed25519
        }
        other => bail!("--algo {other}: use rsa4096 or ed25519"),
    };
    let passphrase = match read_passphrase(
        args.passphrase_file.as_deref(),
        args.passphrase_env.as_deref(),
    )? {
        Some(p) => Some(p),
        None if args.no_passphrase => {
            if !quiet {
                warn("warning: the secret key is written unprotected (--no-passphrase)");
            }
            None
        }
        None => Some(ask_new_passphrase(output)?),
    };
    let version = if args.v6 {
        warn(
            "warning: v6 keys (RFC 9580) are not read by GnuPG or sqv 1.x; most downstream users cannot verify their signatures yet",
        );
        KeyVersion::V6
    } else {
        KeyVersion::V4
    };
    let key = generate_key(uid, algo, version, passphrase.as_deref())?;
    let prefix = output.as_os_str().to_owned();
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

/// A new key's passphrase typed twice on the terminal, as gpg asks for
/// it: three tries; an empty one is refused (`--no-passphrase` is the way
/// to an unprotected key). Without a terminal it fails with what to pass.
fn ask_new_passphrase(prefix: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use std::io::IsTerminal as _;
    if !std::io::stdin().is_terminal() {
        bail!(
            "{}: no passphrase given and no terminal to ask for one: pass --passphrase-file \
             or --passphrase-env, or --no-passphrase for an unprotected key",
            prefix.display()
        );
    }
    for _ in 0..3 {
        let first = rpassword::prompt_password("Passphrase for the new key: ")
            .context("cannot read the passphrase from the terminal")?;
        if first.is_empty() {
            eprintln!(
                "an empty passphrase protects nothing (use --no-passphrase for an unprotected key)"
            );
            continue;
        }
        let again = rpassword::prompt_password("Repeat the passphrase: ")
            .context("cannot read the passphrase from the terminal")?;
        if first == again {
            return Ok(first.into_bytes());
        }
        eprintln!("the passphrases differ; again");
    }
    bail!(
        "{}: no passphrase agreed on after three tries; no key written",
        prefix.display()
    )
}

/// `apostille keys add`.
pub fn add(args: &KeysAddArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let existing = match apostille_digest::input::read_input(&args.keys) {
        Ok(b) => b,
        Err(apostille_digest::input::InputError::Io { reason: source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let cert = apostille_digest::input::read_input(&args.cert)?;
    let (fpr, updated) =
        add_to_keys(&existing, &cert).with_context(|| format!("{}", args.cert.display()))?;
    write_atomic(&args.keys, &updated)?;
    if !quiet {
        eprintln!("added {fpr} to {}", args.keys.display());
    }
    Ok(Outcome::Ok)
}

/// `apostille keys check`: one block per certificate, skipped blocks with
/// their reason; exit 1 when a key still in use breaks a MUST.
pub fn check(args: &KeysCheckArgs) -> anyhow::Result<Outcome> {
    use apostille_verify::keys::{Level, audit};
    use apostille_verify::pgp::{Keyring, StandardPolicy};

    let data = apostille_digest::input::read_input(&args.keys)?;
    let ring = Keyring::from_keys_file(&data);
    let audits = audit(&ring, &StandardPolicy::new(), std::time::SystemTime::now());
    let mut out = String::new();
    let mut failed = false;
    for a in &audits {
        out.push_str(&format!(
            "{} {} {}\n",
            a.fingerprint, a.algorithm, a.user_id
        ));
        for f in &a.findings {
            let tag = match f.level {
                Level::Fail => {
                    failed = true;
                    "FAIL"
                }
                Level::Warn => "WARN",
                Level::Info => "info",
            };
            out.push_str(&format!("  {tag}  {}\n", f.message));
        }
        if a.findings.iter().all(|f| f.level == Level::Info) {
            out.push_str("  ok    meets the Apache release policy\n");
        }
    }
    for s in &ring.skipped {
        out.push_str(&format!(
            "{}:{}: skipped: {}\n",
            args.keys.display(),
            s.line,
            s.reason
        ));
    }
    out.push_str(&format!(
        "{} certificate(s), {} skipped block(s)\n",
        audits.len(),
        ring.skipped.len()
    ));
    print!("{out}");
    if audits.is_empty() {
        bail!("{}: no usable certificate", args.keys.display());
    }
    Ok(if failed {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}
