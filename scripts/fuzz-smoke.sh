#!/usr/bin/env bash
# A short smoke run of every fuzz target (FUZZ_SECONDS each, default 30).
# Uses a nightly toolchain when one is installed, otherwise stable with
# RUSTC_BOOTSTRAP=1 (cargo-fuzz needs unstable sanitizer flags). Installs
# cargo-fuzz from crates.io when it is missing. Seeds: fuzz/seeds/<target>,
# plus the Debian .dsc files of the shared test vectors when present.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-30}
if cargo +nightly --version >/dev/null 2>&1; then
  toolchain=(+nightly)
else
  toolchain=()
  export RUSTC_BOOTSTRAP=1
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in $(cargo "${toolchain[@]}" fuzz list); do
  corpus="corpus/$target"
  mkdir -p "$corpus"
  cp seeds/"$target"/* "$corpus"/ 2>/dev/null || true
  if [ "$target" = checksum_parse ]; then
    cp ../../shared/vectors/openpgp/*/*.dsc "$corpus"/ 2>/dev/null || true
  fi
  echo "fuzz: $target for ${seconds}s"
  cargo "${toolchain[@]}" fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=8192
done
