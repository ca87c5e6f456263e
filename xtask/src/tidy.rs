//! House rules: every Rust source file starts with a `//!` block saying what
//! it is for, and no tracked file names a path of the machine it was
//! written on.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// Checks every tracked file; lists all violations before failing.
pub fn run() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output()
        .context("running git ls-files")?;
    let files: Vec<PathBuf> = out
        .stdout
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| root.join(String::from_utf8_lossy(s).as_ref()))
        .collect();
    let mut problems = Vec::new();
    for f in &files {
        let is_rust = f.extension().is_some_and(|e| e == "rs");
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        if is_rust && !text.trim_start().starts_with("//!") {
            problems.push(format!("{}: does not start with a //! block", f.display()));
        }
        let forbidden: Vec<String> = ["work", "home", "root"]
            .iter()
            .map(|d| format!("/{d}/"))
            .collect();
        if !f.ends_with("Cargo.lock") && f.extension().is_some_and(|e| e != "lock") {
            for (n, line) in text.lines().enumerate() {
                if forbidden.iter().any(|p| line.contains(p.as_str()))
                    && !line.contains("tidy: allow")
                {
                    problems.push(format!("{}:{}: machine path", f.display(), n + 1));
                }
            }
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}");
        }
        bail!("{} house-rule violations", problems.len());
    }
    println!("tidy: {} tracked files ok", files.len());
    Ok(())
}
