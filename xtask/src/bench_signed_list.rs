//! `cargo xtask bench-release`, second scenario: a signed `SHA256SUMS` of
//! 10,000 small artifacts (16 KiB each; 1,000 with `--quick`), the way
//! Ubuntu, Debian and GoReleaser publish, verified through the chain
//! `SHA256SUMS` line ← `SHA256SUMS.asc` good signature by a key in KEYS.
//!
//! * `apostille verify --quiet dist --keys KEYS` (checked once before timing:
//!   exit 0, `verdict: VERIFIED`, every artifact verified, and exactly one
//!   OpenPGP signature check in `--json`'s `other_checks`);
//! * `apostille hash --algo sha256 dist`, the fused pass of the digest it
//!   needs;
//! * the peer: `sha256sum -c --quiet SHA256SUMS` in the folder, then `gpg
//!   --batch --verify SHA256SUMS.asc SHA256SUMS` with KEYS imported in a
//!   temporary GNUPGHOME.
//!
//! Targets: verify at most 1.10× the fused pass (one signature check plus
//! one pass); the peer ÷ verify ratio is reported against 1.0. The data
//! (`dist/` under the bench dir) are cached; `SHA256SUMS` is written by
//! `sha256sum` and signed by `gpg --armor --detach-sign` with the test-only
//! demo key, in a temporary GNUPGHOME, whenever an artifact was (re)written.

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_peers::{
    Cmd, Pinned, clock, free_bytes, load_average, shell_quote, size_label, sync_fs,
};
use crate::timing::{BenchArgs, Target, fill_file, report, round_robin};

const EACH: u64 = 16 << 10;

/// Runs the scenario with bench-release's options; `keys` is
/// `testdata/demo-keys`.
pub(crate) fn run(args: &BenchArgs, keys: &Path, started: &Instant) -> anyhow::Result<()> {
    let count: usize = if args.quick { 1_000 } else { 10_000 };
    let runs = args.runs;
    let load_before = load_average();
    let work = args
        .dir
        .join(format!("signed-list-{count}x{}", size_label(EACH)));
    let dist = work.join("dist");
    fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;
    let names: Vec<String> = (0..count)
        .map(|i| format!("bench-1.0-{i:05}.bin"))
        .collect();
    let files: Vec<PathBuf> = names.iter().map(|n| dist.join(n)).collect();
    let sums = dist.join("SHA256SUMS");
    let asc = dist.join("SHA256SUMS.asc");
    let kring = keys.join("KEYS");

    let wrote = ensure_files(&dist, &names, &files, started)?;
    if wrote || !sums.is_file() || !asc.is_file() {
        write_sums(&work, &dist, &names, &sums, started)?;
        sign(keys, &sums, &asc, started)?;
    } else {
        eprintln!(
            "[{}] {count} artifacts, SHA256SUMS and SHA256SUMS.asc reused from {}",
            clock(started),
            dist.display()
        );
    }
    // The user's gpg home: KEYS imported, nothing else.
    let user_home = gpg_home("apostille-bench-user-")?;
    gpg_import(user_home.path(), &kring)?;

    let n_pgp = check_verify(&args.bin, &work, &kring, count)?;
    eprintln!(
        "[{}] verify checked: {count} artifacts VERIFIED, {n_pgp} OpenPGP signature check",
        clock(started)
    );

    // As a user runs them: in the folder holding `dist`, KEYS outside it
    // (verify resolves every path it is given, one lookup per component).
    let q = |p: &Path| shell_quote(&p.display().to_string());
    let cd = format!("cd {}", q(&work));
    let apostille = |label: &str, words: &str| {
        let mut c = Cmd::sh(
            label,
            &format!("{cd} && exec {} {words}", q(&args.bin)),
            &[],
        );
        c.sample_anon = true;
        c
    };
    let fused = apostille("apostille hash --algo sha256", "hash --algo sha256 dist");
    let verify = apostille(
        "apostille verify --quiet (SHA256SUMS ← .asc)",
        &format!("verify --quiet dist --keys {}", q(&kring)),
    );
    let peer = Cmd::sh(
        "sha256sum -c; gpg --verify",
        &format!(
            "{cd} && export GNUPGHOME={} && (cd dist && sha256sum -c --quiet SHA256SUMS) && \
             gpg --batch --verify dist/SHA256SUMS.asc dist/SHA256SUMS",
            q(user_home.path())
        ),
        &[],
    );
    let cmds: Vec<&Cmd> = vec![&fused, &verify, &peer];
    let mut pin_files = files.clone();
    pin_files.extend([sums.clone(), asc.clone()]);
    let pinned = match Pinned::new(&pin_files) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!(
                "  warning: cannot lock the artifacts in memory ({e}); they may be re-read from disk"
            );
            None
        }
    };
    let stats = round_robin(&cmds, runs, started, &work.join(".last-stderr"))?;
    drop(pinned);
    kill_agent(user_home.path());
    let (t_fused, t_verify, t_peer) = (stats[0].median, stats[1].median, stats[2].median);
    let targets = [
        Target::at_most(
            "verify ÷ fused SHA-256 pass (one signature check plus one pass)",
            t_verify / t_fused,
            1.10,
        ),
        Target::at_least(
            "peer (sha256sum -c; gpg --verify) ÷ verify",
            t_peer / t_verify,
            1.0,
        ),
    ];
    let labels: Vec<&str> = cmds.iter().map(|c| c.label.as_str()).collect();
    let out = args.target.join("bench-release-signed-list.json");
    report(
        "release-signed-list",
        &format!(
            "verify of a signed SHA256SUMS, {count} × {} artifacts, {runs} runs (median, min–max; ratio to the fused SHA-256 pass)",
            size_label(EACH)
        ),
        "× fused",
        &labels,
        &stats,
        t_fused,
        &targets,
        &[
            ("artifacts", count.to_string()),
            ("total_bytes", (EACH * count as u64).to_string()),
            ("runs", runs.to_string()),
            ("signature_checks", n_pgp.to_string()),
        ],
        &out,
        load_before,
    )?;
    println!("  signature checks (kind pgp in verify --json's other_checks): {n_pgp}");
    eprintln!(
        "[{}] signed-list scenario done; results also in {}",
        clock(started),
        out.display()
    );
    Ok(())
}

/// Writes the artifacts that are missing or of the wrong size; whether any
/// was written. Fails on a file in `dist` that is not bench data (verify
/// would call it an artifact nobody vouches for).
fn ensure_files(
    dist: &Path,
    names: &[String],
    files: &[PathBuf],
    started: &Instant,
) -> anyhow::Result<bool> {
    let mut expected: HashSet<&str> = names.iter().map(String::as_str).collect();
    expected.extend(["SHA256SUMS", "SHA256SUMS.asc"]);
    for entry in fs::read_dir(dist)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".tmp") {
            // Left by an interrupted write.
            fs::remove_file(entry.path())?;
        } else if !expected.contains(name.as_ref()) {
            bail!(
                "{} holds {name:?}, which is not bench data: remove it (verify would report it as an artifact)",
                dist.display()
            );
        }
    }
    let missing: Vec<usize> = (0..files.len())
        .filter(|&i| fs::metadata(&files[i]).map_or(true, |m| !m.is_file() || m.len() != EACH))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let need = EACH * missing.len() as u64;
    if let Some(free) = free_bytes(dist)
        && free < need + (256 << 20)
    {
        bail!("{} needs {} free", dist.display(), size_label(need));
    }
    eprintln!(
        "[{}] writing {} artifacts of {} to {}",
        clock(started),
        missing.len(),
        size_label(EACH),
        dist.display()
    );
    for &i in &missing {
        fill_file(&files[i], EACH, ((i as u64) << 32) ^ 0x5e1f_0000)?;
    }
    sync_fs(dist)?;
    Ok(true)
}

/// `sha256sum NAMES… > SHA256SUMS` in `dist` (GNU format), through a
/// temporary file outside it.
fn write_sums(
    work: &Path,
    dist: &Path,
    names: &[String],
    sums: &Path,
    started: &Instant,
) -> anyhow::Result<()> {
    eprintln!("[{}] sha256sum > {}", clock(started), sums.display());
    let tmp = work.join("SHA256SUMS.tmp");
    let out = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let st = Command::new("sha256sum")
        .arg("--")
        .args(names)
        .current_dir(dist)
        .stdout(out)
        .status()
        .context("running sha256sum")?;
    if !st.success() {
        bail!("sha256sum in {} failed", dist.display());
    }
    fs::rename(&tmp, sums).with_context(|| format!("renaming to {}", sums.display()))?;
    Ok(())
}

/// `gpg --armor --detach-sign` of `sums` by the demo release manager's key,
/// imported into a temporary GNUPGHOME.
fn sign(keys: &Path, sums: &Path, asc: &Path, started: &Instant) -> anyhow::Result<()> {
    eprintln!("[{}] gpg --detach-sign {}", clock(started), sums.display());
    let home = gpg_home("apostille-bench-rm-")?;
    gpg_import(home.path(), &keys.join("TEST-ONLY-release-manager.sec.asc"))?;
    let _ = fs::remove_file(asc);
    let st = Command::new("gpg")
        .env("GNUPGHOME", home.path())
        .args([
            "--batch",
            "--yes",
            "--quiet",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--armor",
            "--detach-sign",
            "--output",
        ])
        .arg(asc)
        .arg(sums)
        .status()
        .context("running gpg --detach-sign");
    kill_agent(home.path());
    if !st?.success() {
        bail!("gpg --detach-sign {} failed", sums.display());
    }
    Ok(())
}

fn gpg_home(prefix: &str) -> anyhow::Result<tempfile::TempDir> {
    use std::os::unix::fs::PermissionsExt;
    // In the system's temporary folder: gpg-agent's socket path must stay
    // short. Private, or gpg warns about it.
    let home = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .context("creating a temporary GNUPGHOME")?;
    fs::set_permissions(home.path(), fs::Permissions::from_mode(0o700))?;
    Ok(home)
}

fn gpg_import(home: &Path, file: &Path) -> anyhow::Result<()> {
    let st = Command::new("gpg")
        .env("GNUPGHOME", home)
        .args(["--batch", "--quiet", "--import"])
        .arg(file)
        .status()
        .context("running gpg --import")?;
    if !st.success() {
        bail!("gpg --import {} failed", file.display());
    }
    Ok(())
}

/// Stops the gpg-agent this bench may have started for `home`, before the
/// folder goes.
fn kill_agent(home: &Path) {
    let _ = Command::new("gpgconf")
        .env("GNUPGHOME", home)
        .args(["--kill", "gpg-agent"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Runs verify once as the user would (`--quiet`, then `--json`, on `dist`
/// in `work`) and insists on the trust chain: exit 0, last line `verdict:
/// VERIFIED`, all `count` artifacts verified. Returns the number of OpenPGP
/// signature checks in `other_checks`, which must be exactly 1.
fn check_verify(bin: &Path, work: &Path, kring: &Path, count: usize) -> anyhow::Result<usize> {
    let run = |extra: &str| -> anyhow::Result<String> {
        let out = Command::new(bin)
            .args(["verify", extra, "dist", "--keys"])
            .arg(kring)
            .current_dir(work)
            .stdin(Stdio::null())
            .output()
            .context("running apostille verify")?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            let tail: Vec<&str> = text.lines().rev().take(5).collect();
            bail!(
                "apostille verify {extra} dist --keys {} in {} exited with {}: {}{}",
                kring.display(),
                work.display(),
                out.status,
                tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(text)
    };
    let text = run("--quiet")?;
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let want = format!("{count} artifact(s): {count} verified,");
    if !last.starts_with("verdict: VERIFIED") || !last.contains(&want) {
        bail!("apostille verify --quiet: expected `verdict: VERIFIED — {want} …`, got {last:?}");
    }
    let json = run("--json")?;
    let doc = Json::parse(&json).context("parsing apostille verify --json")?;
    if doc.get("verified") != Some(&Json::Bool(true)) {
        bail!("apostille verify --json: \"verified\" is not true");
    }
    let artifacts = doc.get("artifacts").and_then(Json::array).unwrap_or(&[]);
    let verified = artifacts
        .iter()
        .filter(|a| a.get("verified") == Some(&Json::Bool(true)))
        .count();
    if artifacts.len() != count || verified != count {
        bail!(
            "apostille verify --json: {verified} of {} artifacts verified, expected all {count}",
            artifacts.len()
        );
    }
    let pgp = doc
        .get("other_checks")
        .and_then(Json::array)
        .unwrap_or(&[])
        .iter()
        .filter(|c| c.get("kind").and_then(Json::str) == Some("pgp"))
        .count();
    if pgp != 1 {
        bail!("apostille verify --json: {pgp} signature checks of kind pgp, expected exactly 1");
    }
    Ok(pgp)
}

/// Just enough JSON to read verify's report (xtask has no JSON crate).
#[derive(Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num,
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn parse(text: &str) -> anyhow::Result<Json> {
        let b = text.as_bytes();
        let mut pos = 0;
        let v = Json::value(b, &mut pos)?;
        skip_ws(b, &mut pos);
        if pos != b.len() {
            bail!("trailing data at byte {pos}");
        }
        Ok(v)
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(a) => Some(a),
            _ => None,
        }
    }

    fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    fn value(b: &[u8], pos: &mut usize) -> anyhow::Result<Json> {
        skip_ws(b, pos);
        let Some(&c) = b.get(*pos) else {
            bail!("unexpected end");
        };
        match c {
            b'{' => {
                *pos += 1;
                let mut m = Vec::new();
                loop {
                    skip_ws(b, pos);
                    if b.get(*pos) == Some(&b'}') {
                        *pos += 1;
                        return Ok(Json::Obj(m));
                    }
                    if !m.is_empty() {
                        expect(b, pos, b',')?;
                        skip_ws(b, pos);
                    }
                    let k = string(b, pos)?;
                    skip_ws(b, pos);
                    expect(b, pos, b':')?;
                    m.push((k, Json::value(b, pos)?));
                }
            }
            b'[' => {
                *pos += 1;
                let mut a = Vec::new();
                loop {
                    skip_ws(b, pos);
                    if b.get(*pos) == Some(&b']') {
                        *pos += 1;
                        return Ok(Json::Arr(a));
                    }
                    if !a.is_empty() {
                        expect(b, pos, b',')?;
                    }
                    a.push(Json::value(b, pos)?);
                }
            }
            b'"' => Ok(Json::Str(string(b, pos)?)),
            _ => {
                let start = *pos;
                while *pos < b.len() && !b",]} \t\r\n".contains(&b[*pos]) {
                    *pos += 1;
                }
                match &b[start..*pos] {
                    b"null" => Ok(Json::Null),
                    b"true" => Ok(Json::Bool(true)),
                    b"false" => Ok(Json::Bool(false)),
                    w if !w.is_empty()
                        && w.iter().all(|c| c.is_ascii_digit() || b"+-.eE".contains(c)) =>
                    {
                        Ok(Json::Num)
                    }
                    _ => bail!("unexpected token at byte {start}"),
                }
            }
        }
    }
}

fn skip_ws(b: &[u8], pos: &mut usize) {
    while b.get(*pos).is_some_and(u8::is_ascii_whitespace) {
        *pos += 1;
    }
}

fn expect(b: &[u8], pos: &mut usize, c: u8) -> anyhow::Result<()> {
    if b.get(*pos) != Some(&c) {
        bail!("expected {:?} at byte {pos}", c as char);
    }
    *pos += 1;
    Ok(())
}

/// A JSON string at `pos`; escapes other than `\uXXXX` pairs are decoded,
/// `\uXXXX` becomes U+FFFD when it is not a whole character (enough to
/// compare kinds and flags).
fn string(b: &[u8], pos: &mut usize) -> anyhow::Result<String> {
    expect(b, pos, b'"')?;
    let mut out = Vec::new();
    loop {
        let Some(&c) = b.get(*pos) else {
            bail!("unterminated string");
        };
        *pos += 1;
        match c {
            b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
            b'\\' => {
                let Some(&e) = b.get(*pos) else {
                    bail!("unterminated string");
                };
                *pos += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'u' => {
                        let hex = b.get(*pos..*pos + 4).context("short \\u escape")?;
                        *pos += 4;
                        let cp = u32::from_str_radix(std::str::from_utf8(hex)?, 16)?;
                        let ch = char::from_u32(cp).unwrap_or('\u{fffd}');
                        out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use anyhow::Context;

    use super::Json;

    #[test]
    fn reads_verify_report_shape() -> anyhow::Result<()> {
        let doc = Json::parse(
            r#"{"verified": true, "counts": {"verified": 2, "x": -1.5e3},
                "artifacts": [{"verified": true}, {"verified": false}],
                "other_checks": [{"kind": "pgp", "line": null, "detail": "a \"q\" \u00e9"},
                                 {"kind": "checksum"}], "key_material": []}"#,
        )?;
        assert_eq!(doc.get("verified"), Some(&Json::Bool(true)));
        let checks = doc
            .get("other_checks")
            .and_then(Json::array)
            .context("other_checks")?;
        assert_eq!(checks[0].get("kind").and_then(Json::str), Some("pgp"));
        assert_eq!(
            checks[0].get("detail").and_then(Json::str),
            Some("a \"q\" é")
        );
        let artifacts = doc
            .get("artifacts")
            .and_then(Json::array)
            .context("artifacts")?;
        assert_eq!(artifacts.len(), 2);
        assert!(Json::parse("{\"a\": 1} x").is_err());
        assert!(Json::parse("[1,").is_err());
        Ok(())
    }
}
