//! One module per command, mirroring `cli.rs`.

mod bundle;
mod checksums;
mod download;
mod hash;
mod keys;
mod notices;
mod oci;
mod promote;
mod release;
mod sbom;
mod sign;
mod sigstore;
mod trust;
mod verify;

use std::path::PathBuf;

use anyhow::Context;
use apostille_digest::{Engine, EngineConfig, Input, ReadMode, WalkOptions, walk};

use crate::Outcome;
use crate::cli::{
    Cli, Command, ConformanceCommand, EngineArgs, KeysCommand, NoticesCommand, OciCommand,
    SbomCommand, SignCommand, TrustCommand, VerifyCommand,
};
use crate::output::warn;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let engine = engine(&cli.engine)?;
    match &cli.command {
        Command::Release(a) => release::run(&engine, a, cli.engine.quiet),
        Command::Promote(a) => promote::run(&engine, a, cli.engine.quiet),
        Command::Hash(a) => hash::run(&engine, a, cli.engine.quiet),
        Command::Checksums(a) => checksums::run(&engine, a, cli.engine.quiet),
        Command::Sign(SignCommand::Pgp(a)) => sign::pgp(&engine, a, cli.engine.quiet),
        Command::Sign(SignCommand::Blob(a)) => sigstore::sign_blob(&engine, a, cli.engine.quiet),
        Command::Attest(a) => sigstore::attest(&engine, a, cli.engine.quiet),
        Command::Keys(KeysCommand::Generate(a)) => keys::generate(a, cli.engine.quiet),
        Command::Keys(KeysCommand::Add(a)) => keys::add(a, cli.engine.quiet),
        Command::Keys(KeysCommand::Check(a)) => keys::check(a),
        Command::Verify(v) => match &v.command {
            None => download::verify(&engine, &v.all, cli.engine.quiet),
            Some(VerifyCommand::Checksums(a)) => verify::checksums(&engine, a, cli.engine.quiet),
            Some(VerifyCommand::Pgp(a)) => verify::pgp(&engine, a, cli.engine.quiet),
            Some(VerifyCommand::Bundle(a)) => bundle::verify(&engine, a),
            Some(VerifyCommand::Attestation(a)) => bundle::attestation(&engine, a),
            Some(VerifyCommand::Sbom(a)) => verify::sbom(&engine, a, cli.engine.quiet),
        },
        Command::Trust(TrustCommand::Update(a)) => trust::update(a),
        Command::Conformance(ConformanceCommand::VerifyBundle(a)) => bundle::verify(&engine, a),
        Command::Conformance(ConformanceCommand::SignBundle(a)) => {
            sigstore::conformance_sign(&engine, a)
        }
        Command::Notices(n) => match &n.command {
            None => notices::generate(&n.generate, cli.engine.quiet),
            Some(NoticesCommand::Audit(a)) => notices::audit(a, cli.engine.quiet),
        },
        Command::Sbom(SbomCommand::Workspace(a)) => sbom::workspace(a, cli.engine.quiet),
        Command::Sbom(SbomCommand::Artifacts(a)) => sbom::artifacts(&engine, a, cli.engine.quiet),
        Command::Sbom(SbomCommand::Archive(a)) => sbom::archive(&engine, a, cli.engine.quiet),
        Command::Oci(OciCommand::Resolve(a)) => oci::resolve(a),
        Command::Oci(OciCommand::Payload(a)) => oci::payload(a),
        Command::Oci(OciCommand::Attach(a)) => oci::attach(a),
        Command::Oci(OciCommand::Sign(a)) => oci::sign(a),
        Command::Oci(OciCommand::Attest(a)) => oci::attest(a),
        Command::Oci(OciCommand::Fetch(a)) => oci::fetch(a),
        Command::Oci(OciCommand::Verify(a)) => oci::verify(a),
        Command::Oci(OciCommand::Detach(a)) => oci::detach(a),
    }
}

fn engine(args: &EngineArgs) -> anyhow::Result<Engine> {
    let config = EngineConfig {
        threads: args.threads.unwrap_or(0),
        read_mode: if args.no_mmap {
            ReadMode::Stream
        } else {
            ReadMode::Auto
        },
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(config).context("starting the hashing engine")?;
    if let Some(p) = crate::progress::for_terminal(args.quiet) {
        engine = engine.with_progress(p);
    }
    Ok(engine)
}

/// One input to hash, with the folder it was found under (for walked files).
pub struct Found {
    pub input: Input,
    pub root: Option<PathBuf>,
}

/// Expands the paths given on the command line: `-` is standard input,
/// folders are walked in sorted order. Problems are reported and make the
/// outcome an error; the remaining inputs are still returned.
pub fn expand(
    paths: &[PathBuf],
    follow_symlinks: bool,
    quiet: bool,
    outcome: &mut Outcome,
) -> Vec<Found> {
    let mut found = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            found.push(Found {
                input: Input::Stdin,
                root: None,
            });
            continue;
        }
        if !p.is_dir() {
            found.push(Found {
                input: Input::Path(p.clone()),
                root: None,
            });
            continue;
        }
        let w = walk(std::slice::from_ref(p), WalkOptions { follow_symlinks });
        if !quiet {
            for (s, why) in &w.skipped {
                warn(format_args!("{}: skipped ({why})", s.display()));
            }
        }
        for e in &w.errors {
            warn(e);
            *outcome = Outcome::Error;
        }
        found.extend(w.files.into_iter().map(|f| Found {
            input: Input::Path(f),
            root: Some(p.clone()),
        }));
    }
    found
}
