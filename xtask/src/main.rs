//! `cargo xtask …`: chores as Rust code.
//!
//! * `tidy`: house rules a compiler does not check (every Rust file opens
//!   with a `//!` block; no machine paths in tracked files).
//! * `gen-docs [--check]`: man pages (`docs/man`) and shell completions
//!   (`completions/`) from the CLI definitions; `--check` fails when the
//!   checked-in copies are stale.
//! * `bench-peers [--quick] [--dir DIR] [--runs N] [--bin PATH] [--always-warm-up]`:
//!   times `apostille hash`
//!   against sha256sum, sha512sum, sha1sum, md5sum, `openssl dgst`, b3sum
//!   and rhash on the same data in one run and prints medians and ratios.
//! * `bench-pgp [--quick] [--dir DIR] [--runs N] [--bin PATH]`: signs and
//!   verifies one large file with apostille and with gpg (alone and followed
//!   by `sha512sum`), beside apostille's SHA-512 pass.
//! * `bench-attest [--quick] [--dir DIR] [--runs N] [--bin PATH]`: Sigstore
//!   `sign blob`, `attest` and their verification of one large file, beside
//!   apostille's SHA-256 pass.
//! * `bench-release [--quick] [--dir DIR] [--runs N] [--bin PATH]`: `release`
//!   and `verify` on a 4 GiB release set against the peer pipeline
//!   (sha512sum, sha256sum, gpg, each reading again) and the fused pass;
//!   then `verify` of a signed `SHA256SUMS` of 10,000 small artifacts
//!   against `sha256sum -c` + `gpg --verify` and the SHA-256 pass.
//! * `bench-bundle [--dir CONFORMANCE_DIR] [--rounds N]`: verifies all 140
//!   sigstore-conformance bundle verdicts in one process, timed.
//! * `bench-oci [--count N] [--bin PATH]`: attach + verify round trip of N
//!   Sigstore bundles against a loopback `docker-registry`, per attestation.
//! * `bench-notices [--runs N] [--bin PATH] [--manifest-path M] [--tarball T] [--mib N]`:
//!   times `apostille notices` on a workspace from a warm cache and
//!   `apostille notices audit` of a source tarball against `gzip -dc`.
//! * `bench-sbom [--size-mib N] [--runs N] [--dir DIR]`: `apostille sbom
//!   archive` of a multi-GB `.tar.gz` against `gzip -dc`, and the workspace
//!   SBOM's time.
//! * `sbom-golden`: rebuilds the SBOM tarball fixture and golden files.

mod bench_attest;
mod bench_bundle;
mod bench_contents;
mod bench_notices;
mod bench_oci;
mod bench_peers;
mod bench_pgp;
mod bench_release;
mod bench_sbom;
mod bench_signed_list;
mod gen_docs;
mod sbom_golden;
mod tidy;
mod timing;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("tidy") => tidy::run(),
        Some("gen-docs") => gen_docs::run(&args[1..]),
        Some("bench-peers") => bench_peers::run(&args[1..]),
        Some("bench-pgp") => bench_pgp::run(&args[1..]),
        Some("bench-bundle") => bench_bundle::run(&args[1..]),
        Some("bench-attest") => bench_attest::run(&args[1..]),
        Some("bench-oci") => bench_oci::run(&args[1..]),
        Some("bench-notices") => bench_notices::run(&args[1..]),
        Some("bench-sbom") => bench_sbom::run(&args[1..]),
        Some("bench-release") => bench_release::run(&args[1..]),
        Some("sbom-golden") => sbom_golden::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <tidy | gen-docs [--check] | bench-peers [--quick] [--dir DIR] [--runs N] [--bin PATH] [--always-warm-up] | bench-pgp [--quick] [--dir DIR] [--runs N] [--bin PATH] | bench-notices [--runs N] [--bin PATH] [--manifest-path M] [--tarball T] [--mib N] [--dir DIR] | bench-sbom [--size-mib N] [--runs N] [--dir DIR] | bench-bundle [--dir DIR] [--rounds N] | bench-attest [--quick] [--dir DIR] [--runs N] [--bin PATH] | bench-release [--quick] [--dir DIR] [--runs N] [--bin PATH] | bench-oci [--count N] [--bin PATH] | sbom-golden>"
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
