//! `apostille`: attest a release, verify a download.
//!
//! A thin layer over the library crates: it parses arguments, prints, and
//! maps outcomes to exit codes — 0 everything checked out, 1 a check failed,
//! 2 an error (bad input, unreadable file, bad usage). A closed pipe on
//! standard output ends the program quietly with 0.

mod cli;
mod commands;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

/// Outcome of a command that ran to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything checked out.
    Ok,
    /// A check failed (a digest mismatch, a missing file under check…).
    CheckFailed,
    /// Some input could not be processed; the others were.
    Error,
}

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(args) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Ok(Outcome::Error) => ExitCode::from(2),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("apostille: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, as `{:#}` prints them, but
/// without a cause its error already quotes (most of ours name the
/// operating system's reason in their message and give it as their source
/// too): "X: cannot read: No such file", not that twice.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}
