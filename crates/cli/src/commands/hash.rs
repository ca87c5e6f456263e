//! `apostille hash`: digests on standard output.

use std::os::unix::ffi::OsStrExt;

use anyhow::bail;
use apostille_digest::checksum::{format_bsd, format_gnu};
use apostille_digest::{AlgorithmSet, Engine, Input, ReadKey, ReadPlan};

use super::expand;
use crate::Outcome;
use crate::cli::{HashArgs, HashFormat};
use crate::output::{Out, warn};

pub fn run(engine: &Engine, args: &HashArgs, quiet: bool) -> anyhow::Result<Outcome> {
    if args.check {
        bail!(
            "hash makes digests; to check a checksum list (sha256sum -c), run `apostille verify checksums {}`",
            args.files
                .first()
                .map_or_else(|| "FILE".to_string(), |f| f.display().to_string())
        );
    }
    let algs = AlgorithmSet::parse_list(&args.algo)?;
    if algs.is_empty() {
        bail!("--algo names no algorithm");
    }
    let format = match args.format {
        Some(f) => f,
        None if algs.len() == 1 => HashFormat::Gnu,
        None => HashFormat::Bsd,
    };
    if format == HashFormat::Gnu && algs.len() > 1 {
        bail!(
            "--format gnu lines carry no algorithm name: use --format bsd or json for several algorithms"
        );
    }
    let mut outcome = Outcome::Ok;
    let found = if args.files.is_empty() {
        vec![super::Found {
            input: Input::Stdin,
            root: None,
        }]
    } else {
        expand(&args.files, args.follow_symlinks, quiet, &mut outcome)
    };
    // One read per file: a file named twice is read once and printed
    // twice, under each of its names, in the order given.
    let mut reads = ReadPlan::new();
    let keys: Vec<ReadKey> = found
        .iter()
        .map(|f| reads.want_input(f.input.clone(), algs, Vec::new()))
        .collect();
    let results = reads.run(engine);
    let mut out = Out::new();
    let mut json = Vec::new();
    for (f, k) in found.iter().zip(&keys) {
        let name = f.input.display_path().as_os_str().as_bytes();
        let hashed = match results.by_key(k) {
            Some(Ok(h)) => h,
            Some(Err(e)) => {
                out.flush()?;
                warn(e);
                outcome = Outcome::Error;
                continue;
            }
            None => {
                out.flush()?;
                warn(format_args!(
                    "{}: not read",
                    f.input.display_path().display()
                ));
                outcome = Outcome::Error;
                continue;
            }
        };
        match format {
            HashFormat::Gnu | HashFormat::Bsd => {
                for d in hashed.digests.iter() {
                    let line = if format == HashFormat::Gnu {
                        format_gnu(d, name, false)
                    } else {
                        format_bsd(d, name)
                    };
                    out.bytes(&line)?;
                }
            }
            HashFormat::Json => {
                let mut obj = serde_json::Map::new();
                obj.insert(
                    "path".into(),
                    String::from_utf8_lossy(name).into_owned().into(),
                );
                obj.insert("size".into(), hashed.size.into());
                for d in hashed.digests.iter() {
                    obj.insert(d.algorithm().name().into(), d.to_hex().into());
                }
                json.push(serde_json::Value::Object(obj));
            }
        }
    }
    if format == HashFormat::Json {
        let mut text = serde_json::to_string_pretty(&json)?;
        text.push('\n');
        out.bytes(text.as_bytes())?;
    }
    out.flush()?;
    Ok(outcome)
}
