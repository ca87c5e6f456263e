#!/usr/bin/env bash
# Prints, after `make test`, what the tests skipped and why: cargo captures
# each test's output, so the SKIPPED lines of tests whose material or judge
# was missing would otherwise never be seen. The tests append one line per
# skip (kind TAB what TAB remedy) to $APOSTILLE_SKIP_LOG
# (apostille_testkit::material).
#   usage: scripts/test-summary.sh SKIP_LOG
set -euo pipefail
log="${1:?usage: test-summary.sh SKIP_LOG}"
if [ ! -s "$log" ]; then
  echo "make test: nothing skipped (all test material and judges present)"
  exit 0
fi
total=$(wc -l < "$log")
echo "make test: passed, but $total test(s) skipped for want of material or judges:"
# One line per missing thing, with how many tests it cost and the remedy.
sort "$log" | uniq -c | sort -rn | awk -F'\t' '{
  n = $1; sub(/^ */, "", n); split(n, a, " "); count = a[1]; kind = substr(n, length(count) + 2)
  printf "  %s: %s (%d test(s))\n      -> %s\n", kind, $2, count, $3
}'
echo "make test: under CI=true each of these is a failure."
