#!/usr/bin/env bash
# The main job on the embedded demo release: hash it in one pass, write its
# checksum files, verify them with apostille and with coreutils, and show a
# tampered artifact being caught. Works on a copy; the demo release itself is
# never modified.
set -euo pipefail
bin=$(realpath "$1")
src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/apostille-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
rel="$work/demo-1.4.0"
cp -r "$src" "$rel"
cd "$work"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "digests of every artifact, one read each (SHA-256, SHA-512, BLAKE3)"
"$bin" hash --algo sha256,sha512,blake3 demo-1.4.0

step "checksum files: .sha512 sidecars and SHA256SUMS / SHA512SUMS"
"$bin" checksums --algo sha512 --sidecar demo-1.4.0
"$bin" checksums --algo sha256,sha512 --output-dir demo-1.4.0 demo-1.4.0
cat demo-1.4.0/SHA256SUMS

step "apostille verify checksums"
"$bin" verify checksums demo-1.4.0/SHA256SUMS demo-1.4.0/SHA512SUMS demo-1.4.0/*.sha512

step "the same files checked by coreutils"
(cd demo-1.4.0 && sha256sum -c SHA256SUMS && sha512sum -c demo-1.4.0-src.tar.gz.sha512)

step "a tampered artifact is caught (exit status 1 expected)"
printf 'X' | dd of=demo-1.4.0/demo-1.4.0-x86_64-linux.bin bs=1 seek=1000 conv=notrunc status=none
set +e
"$bin" verify checksums demo-1.4.0/SHA512SUMS
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "demo: expected exit status 1 for the tampered file, got $status" >&2
  exit 1
fi
printf '\ndemo: OK (tampering detected, exit status %s)\n' "$status"
