//! `cargo xtask gen-docs [--check]`: man pages (`docs/man/*.1`, one per
//! command and subcommand, named as git and cargo name theirs) and shell
//! completions (`completions/apostille.bash`, `_apostille` for zsh,
//! `apostille.fish`), generated from the CLI's own definitions, so they
//! cannot drift from `--help`. `--check` regenerates in memory and fails,
//! naming each stale, missing or extra file, when the checked-in copies
//! differ (`make lint` runs it).
//!
//! The CLI's argument definitions (`crates/cli/src/cli.rs`, which needs only
//! `std` and `clap`) are compiled into this tool as a module.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::CommandFactory;

#[allow(dead_code)]
#[path = "../../crates/cli/src/cli.rs"]
mod cli;

/// Every generated file: path relative to the workspace root → bytes.
fn generate() -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let cmd = cli::Cli::command();
    man_pages(&cmd, "apostille", "apostille", &mut files)?;
    for (shell, name) in [
        (clap_complete::Shell::Bash, "apostille.bash"),
        (clap_complete::Shell::Zsh, "_apostille"),
        (clap_complete::Shell::Fish, "apostille.fish"),
    ] {
        let mut buf = Vec::new();
        let mut c = cli::Cli::command();
        clap_complete::generate(shell, &mut c, "apostille", &mut buf);
        files.insert(Path::new("completions").join(name), buf);
    }
    Ok(files)
}

/// `apostille.1`, `apostille-verify.1`, `apostille-verify-bundle.1`, …
fn man_pages(
    cmd: &clap::Command,
    name: &str,
    invocation: &str,
    files: &mut BTreeMap<PathBuf, Vec<u8>>,
) -> anyhow::Result<()> {
    let page = cmd
        .clone()
        .display_name(name.to_string())
        .bin_name(invocation.to_string());
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .title(name.to_uppercase())
        .section("1")
        .source(format!("apostille {}", env!("CARGO_PKG_VERSION")))
        .manual("apostille manual")
        .render(&mut buf)
        .with_context(|| format!("rendering the man page of {name}"))?;
    files.insert(Path::new("docs/man").join(format!("{name}.1")), buf);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        man_pages(
            sub,
            &format!("{name}-{}", sub.get_name()),
            &format!("{invocation} {}", sub.get_name()),
            files,
        )?;
    }
    Ok(())
}

/// Writes the files, or with `--check` compares them.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let check = match args {
        [] => false,
        [a] if a == "--check" => true,
        _ => bail!("usage: cargo xtask gen-docs [--check]"),
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = generate()?;
    let mut problems = Vec::new();
    for dir in ["docs/man", "completions"] {
        let existing = std::fs::read_dir(root.join(dir))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| Path::new(dir).join(e.file_name()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for f in existing {
            if !files.contains_key(&f) {
                if check {
                    problems.push(format!("{}: extra (no such command)", f.display()));
                } else {
                    std::fs::remove_file(root.join(&f))
                        .with_context(|| format!("removing {}", f.display()))?;
                }
            }
        }
    }
    for (rel, bytes) in &files {
        let path = root.join(rel);
        let current = std::fs::read(&path).ok();
        if current.as_deref() == Some(bytes.as_slice()) {
            continue;
        }
        if check {
            problems.push(format!(
                "{}: {}",
                rel.display(),
                if current.is_some() {
                    "stale"
                } else {
                    "missing"
                }
            ));
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", rel.display()))?;
            eprintln!("wrote {}", rel.display());
        }
    }
    if !problems.is_empty() {
        bail!(
            "man pages and completions differ from the CLI definitions:\n  {}\nrun `cargo xtask gen-docs` and commit the result",
            problems.join("\n  ")
        );
    }
    if check {
        eprintln!(
            "gen-docs: {} man pages and completions match the CLI",
            files.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_and_the_completions_know_it() {
        let files = generate().expect("generate");
        for page in [
            "docs/man/apostille.1",
            "docs/man/apostille-release.1",
            "docs/man/apostille-verify.1",
            "docs/man/apostille-verify-bundle.1",
            "docs/man/apostille-sign-pgp.1",
        ] {
            let roff = String::from_utf8(files[Path::new(page)].clone()).expect("utf8");
            assert!(roff.contains(".TH") && roff.contains(".SH NAME"), "{page}");
        }
        let bash = String::from_utf8(files[Path::new("completions/apostille.bash")].clone())
            .expect("utf8");
        assert!(bash.contains("release") && bash.contains("--pgp-key"));
    }
}
