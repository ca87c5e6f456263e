//! `apostille verify …`.

use std::path::PathBuf;

use apostille_digest::{Algorithm, Engine};
use apostille_verify::checksums::{
    CheckOptions, CheckPlan, ChecksumSource, Verdict, check, render_line, summary_warnings,
};

use crate::Outcome;
use crate::cli::{VerifyChecksumsArgs, VerifyPgpArgs, VerifySbomArgs};
use crate::output::{Out, utc, warn};

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
    if !args.status {
        print_report(&mut out, &report, quiet)?;
    }
    if !report.empty_sources.is_empty() {
        outcome = Outcome::Error;
    } else if outcome == Outcome::Ok && !report.passed() {
        outcome = Outcome::CheckFailed;
    }
    Ok(outcome)
}

/// Prints a checksum report's lines (`quiet`: failures only), then its
/// summary warnings, as `sha256sum -c` does.
fn print_report(
    out: &mut Out,
    report: &apostille_verify::checksums::Report,
    quiet: bool,
) -> std::io::Result<()> {
    for line in &report.lines {
        if quiet && !line.verdict.is_failure(report.allow_weak) {
            continue;
        }
        if let Verdict::OpenOrRead(reason) | Verdict::NotFound(reason) = &line.verdict {
            out.flush()?;
            warn(reason);
        }
        if let Some(text) = render_line(line, report.allow_weak) {
            out.bytes(&text)?;
        }
    }
    out.flush()?;
    for w in summary_warnings(report) {
        warn(w);
    }
    Ok(())
}

/// `apostille verify pgp`.
pub fn pgp(engine: &Engine, args: &VerifyPgpArgs, quiet: bool) -> anyhow::Result<Outcome> {
    use apostille_digest::ReadPlan;
    use apostille_verify::pgp::{
        Keyring, PgpCheck, Requirement, SignatureFile, Status, standard_policy,
    };

    let mut keyring = Keyring::default();
    for k in &args.keys {
        let data = apostille_digest::input::read_input(k)?;
        let ring = Keyring::from_keys_file(&data);
        if !quiet {
            for s in &ring.skipped {
                warn(format_args!(
                    "{}:{}: key skipped: {}",
                    k.display(),
                    s.line,
                    s.reason
                ));
            }
        }
        keyring.merge(ring);
    }
    if keyring.certs.is_empty() {
        let named: Vec<String> = args.keys.iter().map(|k| k.display().to_string()).collect();
        anyhow::bail!(
            "{}: no usable certificate in the KEYS file(s)",
            named.join(", ")
        );
    }
    let sig_path = &args.signature;
    let sig_data = apostille_digest::input::read_input(sig_path)?;
    let file = match &args.file {
        Some(f) => f.clone(),
        None => {
            let s = sig_path.to_string_lossy();
            let stem = s.strip_suffix(".asc").or_else(|| s.strip_suffix(".sig"));
            match stem {
                Some(stem) => std::path::PathBuf::from(stem),
                None => anyhow::bail!(
                    "{}: name the signed file (the signature does not end in .asc or .sig)",
                    sig_path.display()
                ),
            }
        }
    };
    let parsed = SignatureFile::parse(&sig_data);
    if parsed.signatures.is_empty() {
        // The file was read but holds no signature: the download is not
        // what it claims, a failed check (1) as in `verify DIR`, not an
        // error running the command (2).
        warn(format_args!(
            "{}: {}",
            apostille_digest::display::terminal_safe(sig_path.as_os_str().as_encoded_bytes()),
            parsed.why_none()
        ));
        return Ok(Outcome::CheckFailed);
    }
    let check = PgpCheck::new(parsed);
    for (line, p) in check.problems() {
        warn(format_args!("{}:{line}: {p}", sig_path.display()));
    }
    // The checksum files given with --checksums are checked from the same
    // pass: the signed file's job carries the signature's hash contexts and
    // the digests its checksum lines need, so it is read once.
    let mut sums = Vec::new();
    for c in &args.checksums {
        sums.push(ChecksumSource::read(c)?);
    }
    let plan = CheckPlan::new(
        &sums,
        &CheckOptions {
            allow_weak: false,
            ..CheckOptions::default()
        },
    );
    // One plan: the signed file's read carries the signature's hash
    // contexts and the digests its checksum lines need, so it is read once.
    let mut reads = ReadPlan::new();
    plan.request(&mut reads);
    let signed_key = check.request(&mut reads, &file);
    let results = reads.run(engine);
    let signed = match results.by_key(&signed_key) {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(e.duplicate().into()),
        None => anyhow::bail!("the engine returned no result for the signed file"),
    };
    let policy = standard_policy(args.allow_sha1_bindings);
    let verdicts = check.finish(signed, &keyring, &policy);
    let report = plan.conclude(&results);
    let name = file.display();
    let mut out = Out::new();
    for v in &verdicts {
        let when = v
            .created
            .map(utc)
            .unwrap_or_else(|| "at an unknown time".into());
        let who = v.signer.as_ref().map_or_else(
            || format!("issuer {}", v.issuers.join(", ")),
            |s| {
                let uid = s
                    .user_ids
                    .first()
                    .map(String::as_str)
                    .unwrap_or("(no user ID)");
                if s.key == s.primary {
                    format!("\"{uid}\" {}", s.primary)
                } else {
                    format!("\"{uid}\" {} (subkey {})", s.primary, s.key)
                }
            },
        );
        let line = match &v.status {
            Status::Good => format!(
                "{name}: GOOD signature by {who}, made {when} with {}\n",
                v.hash
            ),
            Status::Bad(r) => format!("{name}: BAD signature by {who}: {r}\n"),
            Status::Rejected(r) => format!(
                "{name}: REJECTED signature by {who}, made {when} with {}: {r}\n",
                v.hash
            ),
            Status::NoKey => {
                format!("{name}: NO KEY for the signature by {who} (not in the KEYS file)\n")
            }
            Status::Unsupported(r) => format!("{name}: UNSUPPORTED signature by {who}: {r}\n"),
        };
        out.bytes(line.as_bytes())?;
    }
    print_report(&mut out, &report, quiet)?;
    if !report.empty_sources.is_empty() {
        return Ok(Outcome::Error);
    }
    let req = Requirement {
        min_good: args.min_signatures,
        signers: args.signers.clone(),
    };
    Ok(if req.passed(&verdicts) && report.passed() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

/// `apostille verify sbom`: one pass over the artifacts the document names.
pub fn sbom(engine: &Engine, args: &VerifySbomArgs, quiet: bool) -> anyhow::Result<Outcome> {
    use apostille_digest::display::terminal_safe;
    use apostille_verify::sbom::{Artifacts, Verdict, check};

    let safe = |s: &str| terminal_safe(s.as_bytes()).into_owned();
    let sbom_name = terminal_safe(args.sbom.as_os_str().as_encoded_bytes()).into_owned();
    let bytes = apostille_digest::input::read_input(&args.sbom)?;
    let doc = apostille_verify::sbom::read(&args.sbom, &bytes)?;
    let artifacts = match args.artifacts.as_slice() {
        [] => Artifacts::Dir(".".into()),
        [one] if one.is_dir() => Artifacts::Dir(one.clone()),
        many => Artifacts::Files(many.to_vec()),
    };
    let report = check(engine, &doc, &artifacts, args.ignore_missing);
    let mut out = Out::new();
    for item in &report.items {
        let name = safe(&item.name);
        let line = match &item.verdict {
            Verdict::Ok(algs) if !quiet => format!("{}: OK ({})\n", name, algs.join(", ")),
            Verdict::Ok(_) => continue,
            Verdict::Mismatch(algs) => {
                format!("{}: FAILED ({} checksum mismatch)\n", name, algs.join(", "))
            }
            Verdict::WeakOnly => {
                format!("{}: FAILED (only SHA-1/MD5 checksums, not enough)\n", name)
            }
            Verdict::Missing if args.ignore_missing => continue,
            Verdict::Missing => format!("{}: FAILED open or read (missing)\n", name),
            Verdict::Unreadable(e) => format!("{}: FAILED open or read ({})\n", name, safe(e)),
            Verdict::Rejected(why) => format!("{}: FAILED (refused: {})\n", name, safe(why)),
        };
        out.bytes(line.as_bytes())?;
    }
    out.flush()?;
    for (pkg, stated, computed) in &report.bad_codes {
        warn(format_args!(
            "{sbom_name}: package {}: verification code {} does not match its files' SHA-1s ({computed})",
            safe(pkg),
            safe(stated)
        ));
    }
    if !report.noassertion_licenses.is_empty() {
        let n = report.noassertion_licenses.len();
        let shown: Vec<String> = report
            .noassertion_licenses
            .iter()
            .take(10)
            .map(|p| safe(p))
            .collect();
        warn(format_args!(
            "{sbom_name}: {n} package(s) with license NOASSERTION: {}{}",
            shown.join(", "),
            if n > 10 { ", …" } else { "" }
        ));
    }
    for gap in &report.ntia_gaps {
        warn(format_args!(
            "{sbom_name}: NTIA minimum element missing: {}",
            safe(gap)
        ));
    }
    if !quiet {
        for u in &report.unlisted {
            warn(format_args!("{}: not described by the SBOM", u.display()));
        }
    }
    let failed = report
        .items
        .iter()
        .filter(|i| i.verdict.is_failure(args.ignore_missing))
        .count();
    if failed > 0 {
        warn(format_args!(
            "WARNING: {failed} of {} checked item(s) FAILED",
            report.items.len()
        ));
    } else if args.ignore_missing && report.verified() == 0 {
        warn(format_args!(
            "{sbom_name}: no listed file was found (all {} listed item(s) missing, --ignore-missing)",
            report.items.len()
        ));
    }
    Ok(if report.passed() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}
