//! `apostille sign blob`, `apostille attest`, `apostille keys generate
//! --sigstore`: key-based Sigstore bundles from the engine's single pass.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use apostille_digest::{Algorithm, AlgorithmSet, Engine, Hashed, ReadKey, ReadPlan, ReadResults};
use apostille_sign::atomic::{write_atomic, write_atomic_mode};
use apostille_sign::keyless::{KeylessOptions, KeylessSigner};
use apostille_sign::sigstore::statement::{PAYLOAD_TYPE, SLSA_PROVENANCE_V1};
use apostille_sign::sigstore::{Build, GenericBuild, ReleaseInfo, SigningKey, Subject, statement};

use crate::Outcome;
use crate::cli::{
    AttestArgs, BuildArgs, ConformanceSignArgs, KeylessArgs, KeysGenerateArgs, ProvenanceSource,
    SignBlobArgs, SigstoreKeyArgs,
};

/// The password of a cosign key: `COSIGN_PASSWORD` (empty allowed, as in
/// cosign), else asked on the terminal.
fn password(path: &Path, confirm: bool) -> Result<String, String> {
    if let Ok(p) = std::env::var("COSIGN_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err("set COSIGN_PASSWORD (no terminal to ask for the password)".into());
    }
    let p = rpassword::prompt_password(format!("Password for {}: ", path.display()))
        .map_err(|e| format!("cannot read the password: {e}"))?;
    if confirm {
        let again = rpassword::prompt_password("Again: ")
            .map_err(|e| format!("cannot read the password: {e}"))?;
        if again != p {
            return Err("the passwords differ".into());
        }
    }
    Ok(p)
}

/// A Sigstore signing key from a file (cosign's format or PKCS#8).
pub fn load_key(path: &Path) -> anyhow::Result<SigningKey> {
    let bytes = apostille_digest::input::read_input(path)?;
    Ok(SigningKey::from_pem(&bytes, path, || {
        password(path, false)
    })?)
}

/// The signer the options name: a key file, or a keyless session (one
/// Fulcio certificate for every signature of the run). The key's path is
/// kept to name it in errors.
pub struct Signer {
    inner: apostille_sign::sigstore::Signer,
    label: String,
}

impl Signer {
    pub fn from_args(a: &SigstoreKeyArgs) -> anyhow::Result<Signer> {
        Signer::from_parts(a.key.as_deref(), &a.keyless)
    }

    /// A key file's signer, else a keyless session.
    pub fn from_parts(key: Option<&Path>, a: &KeylessArgs) -> anyhow::Result<Signer> {
        match key {
            Some(k) => Ok(Signer {
                inner: apostille_sign::sigstore::Signer::Key(load_key(k)?),
                label: k.display().to_string(),
            }),
            None => {
                let o = KeylessOptions {
                    identity_token: a.identity_token.clone(),
                    signing_config: a.signing_config.clone(),
                    fulcio_url: a.fulcio_url.clone(),
                    rekor_url: a.rekor_url.clone(),
                    timestamp_server_url: a.timestamp_server_url.clone(),
                    no_timestamp: a.no_timestamp,
                    ..KeylessOptions::default()
                };
                Ok(Signer {
                    inner: apostille_sign::sigstore::Signer::Keyless(o.signer()?),
                    label: "keyless".into(),
                })
            }
        }
    }

    /// The library signer.
    pub fn into_inner(self) -> apostille_sign::sigstore::Signer {
        self.inner
    }

    /// A message-signature bundle over `sha256`.
    pub fn blob(&self, sha256: &[u8; 32]) -> anyhow::Result<String> {
        self.inner.blob(sha256).with_context(|| self.label.clone())
    }

    /// A DSSE bundle around an in-toto statement.
    pub fn dsse(&self, payload: &[u8]) -> anyhow::Result<String> {
        self.inner
            .dsse(PAYLOAD_TYPE, payload)
            .with_context(|| self.label.clone())
    }
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn refuse_existing(outputs: &[PathBuf], force: bool) -> anyhow::Result<()> {
    if force {
        return Ok(());
    }
    for o in outputs {
        if o.exists() {
            bail!(
                "{}: exists; not replaced (--force replaces it)",
                o.display()
            );
        }
    }
    Ok(())
}

/// The read of `path` planned under `key`: its error as the engine gave
/// it (each caller of a shared read gets a copy).
pub fn read_result<'r>(
    results: &'r ReadResults,
    key: &ReadKey,
    path: &Path,
) -> anyhow::Result<&'r Hashed> {
    match results.by_key(key) {
        Some(Ok(h)) => Ok(h),
        Some(Err(e)) => Err(e.duplicate().into()),
        None => bail!("{}: not read", path.display()),
    }
}

/// `apostille sign blob`: every file read once (SHA-256), every bundle made
/// before any is written, each written atomically.
pub fn sign_blob(engine: &Engine, args: &SignBlobArgs, quiet: bool) -> anyhow::Result<Outcome> {
    if args.bundle.is_some() && args.files.len() > 1 {
        bail!("--bundle names one output: sign one file with it, or several without it");
    }
    let outputs: Vec<PathBuf> = match &args.bundle {
        Some(b) => vec![b.clone()],
        None => args
            .files
            .iter()
            .map(|f| with_suffix(f, ".sigstore.json"))
            .collect(),
    };
    refuse_existing(&outputs, args.force)?;
    let signer = Signer::from_args(&args.key)?;
    let mut reads = ReadPlan::new();
    let keys: Vec<ReadKey> = args
        .files
        .iter()
        .map(|f| reads.want(f, AlgorithmSet::from_iter([Algorithm::Sha256]), Vec::new()))
        .collect();
    let results = reads.run(engine);
    let mut bundles = Vec::new();
    for (f, k) in args.files.iter().zip(&keys) {
        let hashed = read_result(&results, k, f)?;
        let d = hashed
            .digests
            .get(Algorithm::Sha256)
            .context("the engine returned no SHA-256")?;
        let mut sha = [0u8; 32];
        sha.copy_from_slice(d.as_bytes());
        let json = signer
            .blob(&sha)
            .with_context(|| format!("{}", f.display()))?;
        bundles.push(json);
    }
    for (o, json) in outputs.iter().zip(&bundles) {
        write_atomic(o, json.as_bytes())?;
        if !quiet {
            eprintln!("wrote {}", o.display());
        }
    }
    Ok(Outcome::Ok)
}

/// `apostille attest`: one statement naming every file (SHA-256 and
/// SHA-512 from one read each), in a DSSE envelope, in a bundle.
pub fn attest(engine: &Engine, args: &AttestArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| with_suffix(&args.files[0], ".intoto.sigstore.json"));
    refuse_existing(std::slice::from_ref(&output), args.force)?;
    let (predicate_type, predicate) = predicate(
        args.predicate.as_deref(),
        args.predicate_type.as_deref(),
        &args.build,
        args.release_version.as_deref(),
    )?;
    let mut algorithms = AlgorithmSet::from_iter([Algorithm::Sha256]);
    for d in &args.subject_digests {
        match d.trim().to_ascii_lowercase().as_str() {
            "sha256" => {}
            "sha512" => algorithms.insert(Algorithm::Sha512),
            other => bail!("--subject-digests {other}: use sha256 or sha512"),
        }
    }
    let signer = Signer::from_args(&args.key)?;
    let mut reads = ReadPlan::new();
    let keys: Vec<ReadKey> = args
        .files
        .iter()
        .map(|f| reads.want(f, algorithms, Vec::new()))
        .collect();
    let results = reads.run(engine);
    let mut subjects = Vec::new();
    for (f, k) in args.files.iter().zip(&keys) {
        let hashed = read_result(&results, k, f)?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| f.display().to_string());
        subjects.push(Subject {
            name,
            sha256: *hashed
                .digests
                .get(Algorithm::Sha256)
                .context("the engine returned no SHA-256")?,
            sha512: hashed.digests.get(Algorithm::Sha512).copied(),
        });
    }
    let payload = statement(&subjects, &predicate_type, &predicate);
    let json = signer.dsse(&payload)?;
    write_atomic(&output, json.as_bytes())?;
    if !quiet {
        eprintln!(
            "wrote {} ({predicate_type}, {} subject(s))",
            output.display(),
            subjects.len()
        );
    }
    Ok(Outcome::Ok)
}

/// The statement's predicate: the `--predicate` file with its type, else
/// SLSA Provenance v1 of the build the flags (or the CI environment)
/// describe, with the release version.
pub fn predicate(
    file: Option<&Path>,
    predicate_type: Option<&str>,
    build: &BuildArgs,
    release_version: Option<&str>,
) -> anyhow::Result<(String, serde_json::Value)> {
    if let (Some(p), Some(t)) = (file, predicate_type) {
        let bytes = apostille_digest::input::read_input(p).context("cannot read predicate")?;
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .with_context(|| format!("{}: the predicate is not JSON", p.display()))?;
        return Ok((t.to_string(), v));
    }
    let b = build_description(build.provenance, generic_build(build))?;
    let release = ReleaseInfo {
        version: release_version.map(str::to_string),
        series: None,
    };
    Ok((
        SLSA_PROVENANCE_V1.to_string(),
        b.predicate(&release, source_date_epoch()?),
    ))
}

/// `SOURCE_DATE_EPOCH`, when set: the only time written into provenance.
pub fn source_date_epoch() -> anyhow::Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => Ok(Some(v.trim().parse::<i64>().with_context(|| {
            format!("SOURCE_DATE_EPOCH={v:?} is not a whole number of seconds")
        })?)),
        Err(_) => Ok(None),
    }
}

/// The generic build the flags describe.
pub fn generic_build(b: &BuildArgs) -> GenericBuild {
    GenericBuild {
        builder_id: b.builder_id.clone().unwrap_or_default(),
        source_uri: b.source_uri.clone().unwrap_or_default(),
        source_ref: b.source_ref.clone(),
        source_digest: b.source_digest.clone(),
        build_type: b.build_type.clone(),
    }
}

/// The build the provenance describes: the CI system named, else generic
/// when a builder ID or source is given, else the CI system detected.
pub fn build_description(
    source: Option<ProvenanceSource>,
    generic: GenericBuild,
) -> anyhow::Result<Build> {
    let env = |k: &str| std::env::var(k).ok();
    let explicit = !generic.builder_id.is_empty() || !generic.source_uri.is_empty();
    Ok(match source {
        Some(ProvenanceSource::Github) => Build::github(&env)?,
        Some(ProvenanceSource::Gitlab) => Build::gitlab(&env)?,
        Some(ProvenanceSource::Generic) => Build::generic(generic)?,
        None if explicit => Build::generic(generic)?,
        None => Build::detect(&env)?,
    })
}

/// `apostille keys generate --sigstore`: PREFIX.key (cosign's encrypted
/// format, mode 0600) and PREFIX.pub.
pub fn generate_key(args: &KeysGenerateArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let prefix = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("cosign"));
    let (sec, public) = (with_suffix(&prefix, ".key"), with_suffix(&prefix, ".pub"));
    refuse_existing(&[sec.clone(), public.clone()], args.force)?;
    let pw = password(&sec, true).map_err(|e| anyhow::anyhow!("{}: {e}", sec.display()))?;
    let key = SigningKey::generate_p256()?;
    write_atomic_mode(&sec, key.encrypted_pem(&pw)?.as_bytes(), 0o600)?;
    write_atomic(&public, key.public_key_pem().as_bytes())?;
    if !quiet {
        eprintln!("wrote {} and {}", sec.display(), public.display());
    }
    Ok(Outcome::Ok)
}

/// `apostille conformance sign-bundle`: sigstore-conformance's signing
/// entry point, a keyless message signature with the token given as a
/// value.
pub fn conformance_sign(engine: &Engine, args: &ConformanceSignArgs) -> anyhow::Result<Outcome> {
    use apostille_sign::keyless::{IdentityToken, TokenSource};
    if args.staging && args.signing_config.is_none() {
        bail!("--staging: no staging signing config is embedded; pass --signing-config");
    }
    let options = KeylessOptions {
        signing_config: args.signing_config.clone(),
        ..KeylessOptions::default()
    };
    let token = IdentityToken::from_jwt(args.identity_token.trim(), TokenSource::CommandLine)?;
    let signer = KeylessSigner::new(options.endpoints()?, &token, options.timeout)?;
    let mut reads = ReadPlan::new();
    let key = reads.want(
        &args.file,
        AlgorithmSet::from_iter([Algorithm::Sha256]),
        Vec::new(),
    );
    let results = reads.run(engine);
    let hashed = read_result(&results, &key, &args.file)?;
    let d = hashed
        .digests
        .get(Algorithm::Sha256)
        .context("the engine returned no SHA-256")?;
    let mut sha = [0u8; 32];
    sha.copy_from_slice(d.as_bytes());
    let json = Signer {
        inner: apostille_sign::sigstore::Signer::Keyless(signer),
        label: "keyless".into(),
    }
    .blob(&sha)?;
    write_atomic(&args.bundle, json.as_bytes())?;
    Ok(Outcome::Ok)
}
