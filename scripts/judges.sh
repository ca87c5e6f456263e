#!/usr/bin/env bash
# Creates the Python virtual environment with the independent judges the
# tests run: pyspdxtools (PyPI spdx-tools, SPDX 2.3 validation), sbomcheck
# (PyPI ntia-conformance-checker, NTIA minimum elements, and its SPDX 3
# reader) and sigstore (PyPI sigstore 4.x, sigstore-python: the verifier of
# the keyless signing tests, run offline with --trust-config; its dependency
# python-tuf, the TUF reference implementation, makes the TUF repositories of
# the `trust update` tests with scripts/tuf-repo.py), cyclonedx-python-lib
# (the CycloneDX project's strict JSON schema validator for 1.6, run by
# scripts/cdx-validate.py) and check-jsonschema
# (GitHub's workflow and action schemas, for `make lint`). Done once: a
# stamp records a complete install, so later runs (and offline machines)
# reuse the venv.
#   usage: scripts/judges.sh [VENV_DIR]   (default: target/judges)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-target/judges}"
stamp="$venv/.installed"
packages=(spdx-tools ntia-conformance-checker "sigstore>=4,<5" check-jsonschema
  "cyclonedx-python-lib[json-validation]>=8,<12")
if [ -f "$stamp" ] && [ -x "$venv/bin/pyspdxtools" ] && [ -x "$venv/bin/sbomcheck" ] \
  && [ -x "$venv/bin/sigstore" ] && [ -x "$venv/bin/check-jsonschema" ] \
  && "$venv/bin/python" -c 'import cyclonedx.validation.json' 2>/dev/null; then
  echo "setup: judges present in $venv"
  exit 0
fi
command -v python3 >/dev/null || { echo "setup: python3 is needed for the judges" >&2; exit 1; }
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "setup: python3 has no venv/ensurepip module; install python3-venv" >&2
  exit 1
fi
echo "setup: creating $venv with ${packages[*]}"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
"$venv/bin/pyspdxtools" --help >/dev/null
"$venv/bin/sbomcheck" --help >/dev/null
"$venv/bin/sigstore" --version >/dev/null
"$venv/bin/check-jsonschema" --version >/dev/null
"$venv/bin/python" -c 'import cyclonedx.validation.json'
touch "$stamp"
