//! `cargo xtask bench-oci [--count N] [--bin PATH]`: the attach + verify
//! round trip of N Sigstore bundles on one image, against Debian's
//! `docker-registry` on a loopback port (issue: OCI registries). Times one
//! `apostille oci attach` with N `--bundle`s and one `apostille oci verify`
//! that fetches and verifies all N, and prints the time per attestation.
//!
//! The bundles are key-based signatures of the image manifest made with
//! `apostille sign blob --key` (the test-only demo key), so every one of
//! them is fetched, parsed and verified.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use apostille_oci::testing::LocalRegistry;
use apostille_oci::{ImageRef, Registry, RegistryOptions};

const USAGE: &str = "usage: cargo xtask bench-oci [--count N] [--bin PATH]";

/// Runs the benchmark.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    let mut count = 100usize;
    let mut bin = root.join("target/release/apostille");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--count" => {
                let v = it.next().context(USAGE)?;
                count = v
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .with_context(|| format!("--count wants a whole number ≥ 1, not {v:?}"))?;
            }
            "--bin" => bin = PathBuf::from(it.next().context(USAGE)?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    if !bin.is_file() {
        bail!(
            "{}: no apostille binary (cargo build --release -p apostille-cli, or --bin)",
            bin.display()
        );
    }
    let local = LocalRegistry::start(None).map_err(anyhow::Error::msg)?;
    let image_name = format!("{}/bench/app:v1", local.host());
    let image = ImageRef::parse(&image_name)?;
    let registry = Registry::for_image(&image, RegistryOptions::default())?;
    registry.push_image(
        &image,
        br#"{"os":"linux","architecture":"amd64"}"#,
        &[b"bench layer"],
    )?;
    let manifest = registry.manifest(&image)?;
    let tmp = tempfile::tempdir()?;
    let manifest_path = tmp.path().join("manifest.json");
    std::fs::write(&manifest_path, &manifest.bytes)?;

    let (bundles, policy, how) = make_bundles(&bin, &root, tmp.path(), &manifest_path, count)?;
    println!(
        "bench-oci: {count} bundles ({how}) on {image_name}@{}",
        manifest.digest
    );

    let mut attach = Command::new(&bin);
    attach.args(["oci", "attach", &image_name]);
    for b in &bundles {
        attach.arg("--bundle").arg(b);
    }
    let start = Instant::now();
    let out = attach.output().context("running apostille oci attach")?;
    let attach_time = start.elapsed();
    if !out.status.success() {
        bail!(
            "oci attach failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let start = Instant::now();
    let out = Command::new(&bin)
        .args(["oci", "verify", &image_name])
        .args(&policy)
        .output()
        .context("running apostille oci verify")?;
    let verify_time = start.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    let verified = text.matches(": VERIFIED ").count();
    let failed = text.matches(": FAILED (").count();
    if verified != count {
        bail!(
            "oci verify verified {verified} of {count} bundles ({failed} failed): {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let per = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / count as f64;
    println!(
        "attach: {:.2} s total, {:.2} ms per attestation",
        attach_time.as_secs_f64(),
        per(attach_time)
    );
    println!(
        "verify: {:.2} s total, {:.2} ms per attestation ({verified} verified, {failed} failed)",
        verify_time.as_secs_f64(),
        per(verify_time)
    );
    println!(
        "round trip: {:.2} ms per attestation",
        per(attach_time + verify_time)
    );
    Ok(())
}

/// The bundles, the policy arguments for `oci verify`, and how they were
/// made: `count` key-based signatures of the image manifest (`sign blob
/// --key` over the manifest's bytes: the signed digest is the manifest
/// digest), each distinct (ECDSA signatures are randomised), by the
/// test-only demo key.
fn make_bundles(
    bin: &Path,
    root: &Path,
    dir: &Path,
    manifest: &Path,
    count: usize,
) -> anyhow::Result<(Vec<PathBuf>, Vec<String>, &'static str)> {
    let keys = root.join("testdata/demo-keys");
    let mut bundles = Vec::with_capacity(count);
    for i in 0..count {
        let path = dir.join(format!("b{i}.sigstore.json"));
        let st = Command::new(bin)
            .env("COSIGN_PASSWORD", "")
            .args(["-q", "sign", "blob", "--key"])
            .arg(keys.join("TEST-ONLY-cosign.key"))
            .arg("--bundle")
            .arg(&path)
            .arg(manifest)
            .status()
            .context("running apostille sign blob")?;
        if !st.success() {
            bail!("apostille sign blob failed for bundle {i}");
        }
        bundles.push(path);
    }
    let policy = vec![
        "--key".to_owned(),
        keys.join("TEST-ONLY-cosign.pub").display().to_string(),
        "--insecure-ignore-tlog".to_owned(),
    ];
    Ok((
        bundles,
        policy,
        "key-based signatures of the image manifest, each verified",
    ))
}
