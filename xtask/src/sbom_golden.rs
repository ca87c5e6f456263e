//! `cargo xtask sbom-golden`: rebuilds `testdata/sbom/demo-1.0.tar.gz`
//! deterministically (GNU tar with fixed order, times, owners and modes;
//! gzip without name or time), then regenerates the SBOM golden files by
//! running the golden test of `apostille-sbom` in update mode (which also
//! refreshes the workspace's `cargo metadata` snapshot).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

fn check(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

/// Regenerates the fixture and the goldens.
pub fn run(_args: &[String]) -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    let out = root.join("testdata/sbom");
    std::fs::create_dir_all(out.join("workspace"))?;
    let tmp = std::env::temp_dir().join(format!("apostille-sbom-golden-{}", std::process::id()));
    let src = tmp.join("demo-1.0");
    std::fs::create_dir_all(src.join("src"))?;
    std::fs::write(
        src.join("README"),
        "demo release for the SBOM golden files\n",
    )?;
    std::fs::write(
        src.join("src/main.c"),
        "#include <stdio.h>\nint main(void) { puts(\"demo\"); return 0; }\n",
    )?;
    std::fs::write(src.join("COPYING"), "Demo license text.\n".repeat(200))?;
    std::fs::write(src.join("src/with space.txt"), "a name with a space\n")?;
    let tar = tmp.join("demo-1.0.tar");
    check(
        Command::new("tar")
            .current_dir(&tmp)
            .args([
                "--sort=name",
                "--mtime=@0",
                "--owner=0",
                "--group=0",
                "--numeric-owner",
                "--mode=u=rwX,go=rX",
                "--format=gnu",
                "-cf",
            ])
            .arg(&tar)
            .arg("demo-1.0"),
    )?;
    check(Command::new("gzip").args(["-n", "-9", "-f"]).arg(&tar))?;
    std::fs::copy(tmp.join("demo-1.0.tar.gz"), out.join("demo-1.0.tar.gz"))?;
    std::fs::remove_dir_all(&tmp)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    check(
        Command::new(cargo)
            .current_dir(&root)
            .env("APOSTILLE_UPDATE_GOLDEN", "1")
            .args([
                "test",
                "--quiet",
                "-p",
                "apostille-sbom",
                "--test",
                "golden",
            ]),
    )?;
    println!("sbom-golden: regenerated {}", out.display());
    Ok(())
}
