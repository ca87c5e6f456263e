//! `apostille notices` and `apostille notices audit`.

use anyhow::Context;
use apostille_notices::audit::excludes::Patterns;
use apostille_notices::audit::{AuditOptions, AuditReport};
use apostille_notices::{Detector, GraphOptions, Policy, PolicySource, markdown};
use apostille_sign::atomic::write_atomic;

use crate::Outcome;
use crate::cli::{AuditFormat, NoticesAuditArgs, NoticesFormat, NoticesGenerateArgs};
use crate::output::warn;

/// `apostille notices`: writes the notices, then exits 1 when a package
/// breaks the policy (the document is written either way, and shows why).
pub fn generate(args: &NoticesGenerateArgs, quiet: bool) -> anyhow::Result<Outcome> {
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
    let policy = match (&args.policy, args.no_policy) {
        (_, true) => PolicySource::None,
        (Some(p), false) => PolicySource::File(p.clone()),
        (None, false) => PolicySource::WorkspaceDefault,
    };
    let notices = apostille_notices::generate(&graph_opts, &policy)?;
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
    if !quiet {
        // What a reader of the document should look at, in one line.
        use apostille_notices::report::Flag;
        let count = |f: Flag| {
            notices
                .packages
                .iter()
                .filter(|p| p.flags.contains(&f))
                .count()
        };
        let parts: Vec<String> = [
            (Flag::Copyleft, "copyleft"),
            (Flag::NoLicenseFile, "no license file"),
            (Flag::NotCovered, "not covered"),
            (Flag::Unrecognised, "unrecognised license file"),
            (Flag::NoSpdxExpression, "no SPDX expression"),
            (Flag::Notice, "NOTICE to pass on"),
        ]
        .into_iter()
        .filter_map(|(f, what)| {
            let n = count(f);
            (n > 0).then(|| format!("{n} {what}"))
        })
        .collect();
        if !parts.is_empty() {
            warn(format_args!("flagged packages: {}", parts.join(", ")));
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

/// `apostille notices audit`: prints the report (or writes it with
/// `-o`); exit 1 when there are findings.
pub fn audit(args: &NoticesAuditArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let policy = match &args.policy {
        Some(p) => Policy::load(p)?,
        None => Policy::default(),
    };
    let mut excludes: Vec<(&str, String)> = Vec::new();
    for g in &args.exclude {
        excludes.push((g.as_str(), "--exclude".to_string()));
    }
    for g in &policy.audit.exclude {
        excludes.push((g.as_str(), "[audit] exclude".to_string()));
    }
    let file_text;
    if let Some(f) = &args.excludes_file {
        file_text =
            std::fs::read_to_string(f).with_context(|| format!("{}: cannot read", f.display()))?;
        let origin = f.display().to_string();
        excludes.extend(apostille_notices::audit::excludes::file_lines(
            &file_text, &origin,
        ));
    }
    let mut allow: Vec<(&str, String)> = Vec::new();
    for g in &args.allow_binary {
        allow.push((g.as_str(), "--allow-binary".to_string()));
    }
    for g in &policy.audit.allow_binary {
        allow.push((g.as_str(), "[audit] allow-binary".to_string()));
    }
    let opts = AuditOptions {
        incubating: args.incubating || policy.audit.incubating,
        exclude: Patterns::new(excludes)?,
        allow_binary: Patterns::new(allow)?,
    };
    let mut tree = apostille_notices::audit::open(&args.release);
    let report = apostille_notices::audit::audit(tree.as_mut(), &opts, &Detector::new())?;
    let doc = match args.format {
        AuditFormat::Text => render_audit(&report),
        AuditFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
    };
    match &args.output {
        Some(path) => {
            write_atomic(path, doc.as_bytes())?;
            if !quiet {
                eprintln!(
                    "wrote {} ({} findings)",
                    path.display(),
                    report.findings.len()
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
    Ok(if report.findings.is_empty() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

/// The text report: the release, its root files, one line per finding,
/// the header categories like RAT's summary, and a last summary line.
fn render_audit(r: &AuditReport) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "release: {}{}{}",
        r.artifact,
        r.top_folder
            .as_deref()
            .map(|t| format!(" (top folder {t}/)"))
            .unwrap_or_default(),
        if r.incubating { ", incubating" } else { "" }
    );
    for f in &r.root_files {
        let what = match &f.detection {
            Some(d) => d.summary(),
            None if f.utf8 => "present".to_string(),
            None => "present, not UTF-8".to_string(),
        };
        let _ = writeln!(o, "root file: {}: {what}", f.name);
    }
    for f in &r.findings {
        let check = serde_json::to_value(f.check)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        match &f.path {
            Some(p) => {
                let _ = writeln!(o, "FAIL {check}: {p}: {}", f.message);
            }
            None => {
                let _ = writeln!(o, "FAIL {check}: {}", f.message);
            }
        }
    }
    let mut categories: std::collections::BTreeMap<&str, usize> = Default::default();
    for h in &r.headers {
        if let Some(c) = &h.category {
            *categories.entry(c.as_str()).or_default() += 1;
        }
    }
    if !categories.is_empty() {
        let _ = writeln!(o, "headers by license:");
        for (c, n) in &categories {
            let _ = writeln!(o, "  {n:6}  {c}");
        }
    }
    let excluded = r.headers.iter().filter(|h| h.excluded).count();
    let approved = r.headers.iter().filter(|h| h.category.is_some()).count();
    let allowed = r.binaries.iter().filter(|b| b.allowed).count();
    let _ = writeln!(
        o,
        "summary: {} files ({} bytes); {} source files: {} with a recognised header, {} unapproved, {} excluded; {} binary files ({} allowed); {} findings",
        r.files,
        r.bytes,
        r.headers.len(),
        approved,
        r.unapproved().count(),
        excluded,
        r.binaries.len(),
        allowed,
        r.findings.len()
    );
    o
}
