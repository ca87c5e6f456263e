#!/usr/bin/env bash
# Validates the GitHub Actions workflows, the composite action and the
# workflows docs/github-actions.md shows, against GitHub's JSON schemas
# (PyPI check-jsonschema's built-in vendor.github-workflows and
# vendor.github-actions: offline). check-jsonschema comes from the judges
# venv (scripts/judges.sh); without it the check is skipped, except under
# CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
exe="${APOSTILLE_JUDGES:-target/judges}/bin/check-jsonschema"
if [ ! -x "$exe" ]; then
  msg="check-workflows: $exe not found: run \`make judges\`"
  if [ "${CI:-}" = true ]; then echo "$msg" >&2; exit 1; fi
  echo "$msg; workflows NOT validated"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every ```yaml block of the docs that is a whole workflow (it begins with
# a `# .github/workflows/NAME` comment line).
python3 - "$tmp" docs/*.md <<'PY'
import re, sys, pathlib
out = pathlib.Path(sys.argv[1])
n = 0
for doc in sys.argv[2:]:
    text = pathlib.Path(doc).read_text()
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        if block.startswith("# .github/workflows/"):
            n += 1
            (out / f"{pathlib.Path(doc).stem}-{n}.yml").write_text(block)
print(f"check-workflows: {n} workflow(s) in the docs")
PY
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml "$tmp"/*.yml)
"$exe" --builtin-schema vendor.github-workflows "${workflows[@]}"
"$exe" --builtin-schema vendor.github-actions action.yml
echo "check-workflows: ${#workflows[@]} workflow(s) and action.yml valid"
