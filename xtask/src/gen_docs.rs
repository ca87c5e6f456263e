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
    // `help` is clap's own subcommand: no page of its own, so not listed.
    let page = cmd
        .clone()
        .display_name(name.to_string())
        .bin_name(invocation.to_string())
        .disable_help_subcommand(true);
    let (exit_status, examples) = sections(cmd.get_after_long_help().map(|h| h.to_string()));
    let man = clap_mangen::Man::new(page.clone())
        .title(name.to_uppercase())
        .section("1")
        .source(format!("apostille {}", env!("CARGO_PKG_VERSION")))
        .manual("apostille manual");
    let mut buf = Vec::new();
    let context = || format!("rendering the man page of {name}");
    man.render_title(&mut buf).with_context(context)?;
    man.render_name_section(&mut buf).with_context(context)?;
    man.render_synopsis_section(&mut buf)
        .with_context(context)?;
    man.render_description_section(&mut buf)
        .with_context(context)?;
    if page.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf).with_context(context)?;
    }
    if page.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut buf)
            .with_context(context)?;
    }
    roff_section(&mut buf, "EXIT STATUS", &exit_status);
    if !examples.is_empty() {
        roff_section(&mut buf, "EXAMPLES", &examples);
    }
    if page.get_version().is_some() || page.get_long_version().is_some() {
        man.render_version_section(&mut buf).with_context(context)?;
    }
    files.insert(
        Path::new("docs/man").join(format!("{name}.1")),
        ascii_roff(&buf),
    );
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

/// What every command's exit status means, unless its `after_long_help`
/// says more (`main.rs` maps outcomes to these codes).
const EXIT_STATUS: &str = "0  everything asked for was done and checked out\n\
1  a check failed (a verification, an audit finding, a refused repository)\n\
2  an error: bad usage, a file that cannot be read or written";

/// Splits a command's `after_long_help` into its `Exit status:` and
/// `Examples:` blocks (each a heading line, then indented lines); the exit
/// status defaults to [`EXIT_STATUS`].
fn sections(after: Option<String>) -> (Vec<String>, Vec<String>) {
    let mut exit = Vec::new();
    let mut examples = Vec::new();
    let mut current: Option<&mut Vec<String>> = None;
    let text = after.unwrap_or_default();
    for line in text.lines() {
        match line.trim() {
            "Exit status:" => current = Some(&mut exit),
            "Examples:" => current = Some(&mut examples),
            "" => {}
            l => {
                if let Some(c) = current.as_mut() {
                    c.push(l.to_string());
                }
            }
        }
    }
    if exit.is_empty() {
        exit = EXIT_STATUS.lines().map(str::to_string).collect();
    }
    (exit, examples)
}

/// A section of lines, each kept as its own line, literal (`\&` guards a
/// leading dot or quote; backslashes and dashes escaped).
fn roff_section(buf: &mut Vec<u8>, heading: &str, lines: &[String]) {
    buf.extend_from_slice(format!(".SH \"{heading}\"\n.nf\n").as_bytes());
    for l in lines {
        let escaped = l.replace('\\', "\\e").replace('-', "\\-");
        buf.extend_from_slice(format!("\\&{escaped}\n").as_bytes());
    }
    buf.extend_from_slice(b".fi\n");
}

/// The page with every character outside ASCII written as a groff escape
/// (`\[u2014]`), so that it renders without warnings whatever the
/// formatter's input encoding.
fn ascii_roff(page: &[u8]) -> Vec<u8> {
    // Each section rendered alone repeats clap_mangen's preamble: keep one.
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let whole = String::from_utf8_lossy(page);
    let text = match whole.strip_prefix(PREAMBLE) {
        Some(rest) => format!("{PREAMBLE}{}", rest.replace(PREAMBLE, "")),
        None => whole.into_owned(),
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out.into_bytes()
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
