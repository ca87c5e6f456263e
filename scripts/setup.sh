#!/usr/bin/env bash
# Installs the system packages apostille's build and tests need, and only
# those missing. Debian/Ubuntu (apt-get); run as root or with sudo.
#   pkg-config, libssl-dev   build: OpenSSL's SHA-512/MD5 assembly
#   libclang-dev             build: bindgen, which Sequoia's OpenSSL backend
#                            (ossl) asks openssl-sys to run
#   coreutils, b3sum, rhash  tests and benches: checksum peers
#   capnproto                build: Sequoia's gpg-agent client (capnp schemas)
#   gnupg, sqv               tests: `gpg --print-md` blocks, OpenPGP interop
#   python3, python3-venv    tests: the SPDX judges' venv (scripts/judges.sh)
#   tar, gzip                tests and benches: archive fixtures
#   docker-registry          tests and benches: a real OCI registry (distribution 2.8) on loopback
#   debian-keyring           tests: Debian maintainers' keys for the clear-signed .dsc vectors
set -euo pipefail
packages=(pkg-config libssl-dev libclang-dev capnproto coreutils b3sum rhash gnupg sqv openssl python3 python3-venv tar gzip docker-registry debian-keyring)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: system packages present (${packages[*]})"
  exit 0
fi
echo "setup: installing missing system packages with apt-get: ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
