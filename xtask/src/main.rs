//! `cargo xtask …`: chores as Rust code.
//!
//! * `tidy`: house rules a compiler does not check (every Rust file opens
//!   with a `//!` block; no machine paths in tracked files).
//! * `bench-peers [--quick] [--dir DIR] [--runs N] [--bin PATH] [--always-warm-up]`:
//!   times `apostille hash`
//!   against sha256sum, sha512sum, sha1sum, md5sum, `openssl dgst`, b3sum
//!   and rhash on the same data in one run and prints medians and ratios.
//! * `bench-sbom [--size-mib N] [--runs N] [--dir DIR]`: `apostille sbom
//!   archive` of a multi-GB `.tar.gz` against `gzip -dc`, and the workspace
//!   SBOM's time.
//! * `sbom-golden`: rebuilds the SBOM tarball fixture and golden files.

mod bench_peers;
mod bench_sbom;
mod sbom_golden;
mod tidy;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("tidy") => tidy::run(),
        Some("bench-peers") => bench_peers::run(&args[1..]),
        Some("bench-sbom") => bench_sbom::run(&args[1..]),
        Some("sbom-golden") => sbom_golden::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <tidy | bench-peers [--quick] [--dir DIR] [--runs N] [--bin PATH] [--always-warm-up] | bench-sbom [--size-mib N] [--runs N] [--dir DIR] | sbom-golden>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}
