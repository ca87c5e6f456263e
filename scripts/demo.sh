#!/usr/bin/env bash
# The main job on the embedded demo release: `apostille release` attests it
# in one read of each artifact (checksums, OpenPGP signatures checked
# against KEYS, SPDX SBOM, signed SLSA provenance, manifest), then
# `apostille verify` checks the result the way a downstream user would, the
# peers agree, and a tampered artifact is caught. Works on a copy; the demo
# release itself is never modified. The keys in testdata/demo-keys are for
# this demo and the tests only: never trust them.
set -euo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
keys=$(realpath "${3:-testdata/demo-keys}")
work=$(mktemp -d "${TMPDIR:-/tmp}/apostille-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
rel="$work/demo-1.4.0"
cp -r "$src" "$rel"
cd "$work"
# Reproducible outputs, and no CI variables of the calling machine.
export SOURCE_DATE_EPOCH=1700000000
export COSIGN_PASSWORD=
unset GITHUB_ACTIONS GITHUB_REF GITHUB_REF_TYPE GITHUB_REF_NAME GITLAB_CI CI_COMMIT_TAG

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "apostille release: every attestation, one read of each artifact"
"$bin" release demo-1.4.0 --tag v1.4.0 \
  --pgp-key "$keys/TEST-ONLY-release-manager.sec.asc" --keys "$keys/KEYS" \
  --sigstore-key "$keys/TEST-ONLY-cosign.key" \
  --builder-id https://ci.example.org/demo-release-builder \
  --source-uri git+https://git.example.org/demo.git

step "apostille verify: what a downstream user runs on the download"
"$bin" verify demo-1.4.0 --keys "$keys/KEYS" \
  --key "$keys/TEST-ONLY-cosign.pub" --insecure-ignore-tlog \
  --source-uri git.example.org/demo --source-tag v1.4.0 \
  --require checksum,pgp,provenance,sbom

step "the peers agree: sha256sum -c, sha512sum -c, gpg --verify with KEYS imported"
(cd demo-1.4.0 && sha256sum -c SHA256SUMS && sha512sum -c demo-1.4.0-src.tar.gz.sha512)
if command -v gpg >/dev/null; then
  export GNUPGHOME="$work/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --import "$keys/KEYS" 2>/dev/null
  gpg --batch --verify demo-1.4.0/demo-1.4.0-src.tar.gz.asc demo-1.4.0/demo-1.4.0-src.tar.gz
else
  echo "(gpg not installed: skipped)"
fi

step "a tampered artifact is caught (exit status 1 expected)"
printf 'X' | dd of=demo-1.4.0/demo-1.4.0-x86_64-linux.bin bs=1 seek=1000 conv=notrunc status=none
set +e
"$bin" verify demo-1.4.0 --keys "$keys/KEYS" \
  --key "$keys/TEST-ONLY-cosign.pub" --insecure-ignore-tlog
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "demo: expected exit status 1 for the tampered file, got $status" >&2
  exit 1
fi
printf '\ndemo: OK (release verified; tampering detected, exit status %s)\n' "$status"
