//! `apostille sbom …`: build the document with `apostille-sbom`, write it
//! atomically (or to standard output).

use anyhow::Context;
use apostille_digest::{Engine, Input};
use apostille_sbom::archive::ArchiveOptions;
use apostille_sbom::artifacts::{Artifact, ArtifactOptions};
use apostille_sbom::spdx_rs::models::SPDX;
use apostille_sbom::workspace::WorkspaceOptions;
use apostille_sbom::{DocOptions, Format};
use apostille_sign::atomic::write_atomic;

use crate::Outcome;
use crate::cli::{
    SbomArchiveArgs, SbomArtifactsArgs, SbomFormat, SbomOutputArgs, SbomWorkspaceArgs,
};
use crate::output::Out;

fn doc_options(out: &SbomOutputArgs) -> DocOptions {
    DocOptions {
        name: out.name.clone(),
        namespace: out.namespace.clone(),
        creators: out.creators.clone(),
        ..DocOptions::from_env()
    }
}

fn emit(doc: &SPDX, out: &SbomOutputArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let format = match out.format {
        SbomFormat::SpdxJson => Format::SpdxJson,
        SbomFormat::SpdxTv => Format::SpdxTagValue,
        SbomFormat::Spdx3 => Format::Spdx3,
        SbomFormat::CyclonedxJson => Format::CycloneDxJson,
    };
    let bytes = apostille_sbom::write(doc, format)?;
    match &out.output {
        Some(path) => {
            write_atomic(path, &bytes)?;
            if !quiet {
                eprintln!(
                    "wrote {} ({} packages, {} files)",
                    path.display(),
                    doc.package_information.len(),
                    doc.file_information.len()
                );
            }
        }
        None => {
            let mut o = Out::new();
            o.bytes(&bytes)?;
            o.flush()?;
        }
    }
    Ok(Outcome::Ok)
}

/// `apostille sbom workspace`.
pub fn workspace(args: &SbomWorkspaceArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let opts = WorkspaceOptions {
        manifest_path: args.manifest_path.clone(),
        target: args.target.clone(),
        cargo: None,
    };
    let doc = apostille_sbom::workspace::build(&opts, &doc_options(&args.out))?;
    emit(&doc, &args.out, quiet)
}

/// `apostille sbom artifacts`: each file read once by the engine.
pub fn artifacts(
    engine: &Engine,
    args: &SbomArtifactsArgs,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::Ok;
    let found = super::expand(&args.paths, args.follow_symlinks, quiet, &mut outcome);
    if outcome != Outcome::Ok {
        anyhow::bail!("no SBOM written: some artifacts could not be listed");
    }
    let mut files = Vec::new();
    for f in found {
        let Input::Path(p) = f.input else {
            anyhow::bail!("standard input has no name to put in an SBOM");
        };
        files.push(match &f.root {
            Some(root) => Artifact::under(root, p),
            None => Artifact::new(p),
        });
    }
    let popts = ArtifactOptions {
        package_name: args.package.package_name.clone(),
        package_version: args.package.package_version.clone(),
        supplier: args.package.supplier.clone(),
    };
    let doc = apostille_sbom::artifacts::build(engine, &files, &popts, &doc_options(&args.out))
        .context("no SBOM written")?;
    emit(&doc, &args.out, quiet)
}

/// `apostille sbom archive`: one streaming pass over the archive.
pub fn archive(engine: &Engine, args: &SbomArchiveArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let aopts = ArchiveOptions {
        package_name: args.package.package_name.clone(),
        package_version: args.package.package_version.clone(),
        supplier: args.package.supplier.clone(),
        ..ArchiveOptions::default()
    };
    let doc =
        apostille_sbom::archive::build(engine, &args.archive, &aopts, &doc_options(&args.out))
            .context("no SBOM written")?;
    emit(&doc, &args.out, quiet)
}
