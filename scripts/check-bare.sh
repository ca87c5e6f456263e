#!/usr/bin/env bash
# Runs the test suite as a bare clone would (the shared vectors absent, CI
# unset) and checks that it passes and that the summary names the missing
# vectors: the promise of the README's `make test` on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
log="$PWD/target/test-skips-bare.log"
rm -f "$log"
env -u CI APOSTILLE_VECTORS=/nonexistent/apostille-vectors APOSTILLE_SKIP_LOG="$log" \
  ${CARGO:-cargo} test --workspace --all-targets --quiet
summary=$(bash scripts/test-summary.sh "$log")
echo "$summary"
grep -q "vectors: " <<<"$summary" || {
  echo "check-bare: the summary does not name the missing vectors" >&2
  exit 1
}
grep -q "APOSTILLE_VECTORS" <<<"$summary" || {
  echo "check-bare: the summary does not say what to set" >&2
  exit 1
}
echo "check-bare: the suite passes without the vectors and says what it skipped"
