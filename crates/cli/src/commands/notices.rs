//! `apostille notices` and `apostille notices audit`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use apostille_notices::{BuildOptions, Detector, GraphOptions, Policy, build, markdown, metadata};
use apostille_sign::atomic::write_atomic;

use crate::Outcome;
use crate::cli::{NoticesFormat, NoticesGenerateArgs};
use crate::output::warn;

/// `apostille notices`: writes the notices, then exits 1 when a package
/// breaks the policy (the document is written either way, and shows why).
pub fn generate(args: &NoticesGenerateArgs, quiet: bool) -> anyhow::Result<Outcome> {
    // Load the detection store while cargo metadata runs.
    let detector = Detector::new();
    let graph_opts = GraphOptions {
        manifest_path: args.manifest_path.clone(),
        target: args.target.clone(),
        include_dev: args.dev,
        features: args.features.clone(),
        all_features: args.all_features,
        no_default_features: args.no_default_features,
        offline: args.offline,
        locked: args.locked,
        cargo: None,
    };
    let (graph, store) = std::thread::scope(|s| {
        let store = s.spawn(|| detector.preload());
        let graph = metadata::load(&graph_opts);
        (graph, store.join())
    });
    let graph = graph?;
    match store {
        Ok(r) => r?,
        Err(_) => anyhow::bail!("loading the license detection store failed"),
    }
    let (policy, policy_label) = policy_for(args, &graph.workspace_root)?;
    let notices = build(
        &graph,
        &policy,
        &detector,
        &BuildOptions {
            target: args.target.clone(),
            dev_dependencies: args.dev,
            policy_label,
        },
    )?;
    let doc = match args.format {
        NoticesFormat::Md => markdown::render(&notices),
        NoticesFormat::Json => notices.to_json(),
    };
    match &args.output {
        Some(path) => {
            write_atomic(path, doc.as_bytes())?;
            if !quiet {
                eprintln!(
                    "wrote {} ({} packages, {} distinct texts)",
                    path.display(),
                    notices.packages.len(),
                    notices.texts.len()
                );
            }
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(doc.as_bytes())?;
            out.flush()?;
        }
    }
    let mut failed = false;
    for p in notices.violations() {
        failed = true;
        for v in &p.violations {
            warn(format_args!("{}: policy violation: {v}", p.label()));
        }
    }
    Ok(if failed {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}

/// The policy to apply and how to name it: `--policy`, else
/// `apostille.toml` at the workspace root when it exists, else none.
fn policy_for(
    args: &NoticesGenerateArgs,
    workspace_root: &Path,
) -> anyhow::Result<(Policy, Option<String>)> {
    if args.no_policy {
        return Ok((Policy::default(), None));
    }
    let path: PathBuf = match &args.policy {
        Some(p) => p.clone(),
        None => {
            let p = workspace_root.join("apostille.toml");
            if !p.is_file() {
                return Ok((Policy::default(), None));
            }
            p
        }
    };
    let policy = Policy::load(&path).with_context(|| "reading the policy".to_string())?;
    let label = path
        .strip_prefix(workspace_root)
        .unwrap_or(&path)
        .display()
        .to_string();
    Ok((policy, Some(label)))
}

/// `apostille notices audit`.
pub fn audit(_args: &crate::cli::NoticesAuditArgs, _quiet: bool) -> anyhow::Result<Outcome> {
    anyhow::bail!("not yet")
}
