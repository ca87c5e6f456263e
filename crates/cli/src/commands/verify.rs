//! `apostille verify …`.

use std::path::PathBuf;

use apostille_digest::{Algorithm, Engine};
use apostille_verify::checksums::{
    CheckOptions, ChecksumSource, Verdict, check, render_line, summary_warnings,
};

use crate::Outcome;
use crate::cli::VerifyChecksumsArgs;
use crate::output::{Out, warn};

/// `apostille verify checksums`.
pub fn checksums(
    engine: &Engine,
    args: &VerifyChecksumsArgs,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let algorithm = match &args.algo {
        Some(a) => Some(a.parse::<Algorithm>()?),
        None => None,
    };
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let mut outcome = Outcome::Ok;
    let mut sources = Vec::new();
    for f in &files {
        let src = if f.as_os_str() == "-" {
            ChecksumSource::stdin()
        } else {
            ChecksumSource::read(f)
        };
        match src {
            Ok(s) => sources.push(s),
            Err(e) => {
                warn(e);
                outcome = Outcome::Error;
            }
        }
    }
    let opts = CheckOptions {
        ignore_missing: args.ignore_missing,
        strict: args.strict,
        allow_weak: args.allow_weak,
        allow_outside: args.allow_outside,
        algorithm,
    };
    let report = check(engine, &sources, &opts);
    let mut out = Out::new();
    if args.warn && !args.status {
        for b in &report.bad_lines {
            warn(format_args!(
                "{}: {}: improperly formatted checksum line ({})",
                b.source.display(),
                b.malformed.line,
                b.malformed.reason
            ));
        }
    }
    for line in &report.lines {
        if args.status || (quiet && !line.verdict.is_failure(report.allow_weak)) {
            continue;
        }
        if let Verdict::OpenOrRead(reason) = &line.verdict {
            out.flush()?;
            warn(reason);
        }
        if let Some(text) = render_line(line, report.allow_weak) {
            out.bytes(&text)?;
        }
    }
    out.flush()?;
    if !args.status {
        for w in summary_warnings(&report) {
            warn(w);
        }
    }
    if !report.empty_sources.is_empty() {
        outcome = Outcome::Error;
    } else if outcome == Outcome::Ok && !report.passed() {
        outcome = Outcome::CheckFailed;
    }
    Ok(outcome)
}
