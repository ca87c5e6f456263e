#!/usr/bin/env bash
# The generated man pages and completions work, not just exist: bash loads
# the completion and completes a command and a flag; zsh and fish check
# their scripts when installed; every man page renders without warnings.
set -euo pipefail
cd "$(dirname "$0")/.."

bash -n completions/apostille.bash
out=$(bash -c '
  source completions/apostille.bash
  COMP_WORDS=(apostille ver); COMP_CWORD=1; COMP_LINE="apostille ver"; COMP_POINT=${#COMP_LINE}
  _apostille apostille ver apostille
  printf "%s\n" "${COMPREPLY[@]}"
  COMP_WORDS=(apostille release --pgp-k); COMP_CWORD=2; COMP_LINE="apostille release --pgp-k"; COMP_POINT=${#COMP_LINE}
  _apostille apostille --pgp-k release
  printf "%s\n" "${COMPREPLY[@]}"')
grep -qx verify <<<"$out" || { echo "bash completion does not offer 'verify' for 'apostille ver'" >&2; exit 1; }
grep -qx -- --pgp-key <<<"$out" || { echo "bash completion does not offer '--pgp-key' for 'apostille release --pgp-k'" >&2; exit 1; }

for sh in zsh fish; do
  if command -v "$sh" >/dev/null; then
    case $sh in
      zsh) zsh -n completions/_apostille ;;
      fish) fish -n completions/apostille.fish ;;
    esac
  else
    echo "check-gen-docs: $sh not installed, its completion script not checked"
  fi
done

# Pages are ASCII (other characters as groff escapes), so no formatter
# needs to guess their encoding.
if LC_ALL=C grep -lP '[^\x00-\x7F]' docs/man/*.1; then
  echo "the man pages above hold characters outside ASCII" >&2
  exit 1
fi
if command -v man >/dev/null; then
  for page in docs/man/*.1; do
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || true)
    if [ -n "$warnings" ]; then
      echo "$page: man --warnings warns:" >&2
      echo "$warnings" >&2
      exit 1
    fi
  done
fi
if command -v groff >/dev/null; then
  for page in docs/man/*.1; do
    warnings=$(groff -k -man -Tutf8 -ww -Wbreak -z "$page" 2>&1 || true)
    if [ -n "$warnings" ]; then
      echo "$page: groff warns:" >&2
      echo "$warnings" >&2
      exit 1
    fi
  done
else
  for page in docs/man/*.1; do
    grep -q '^\.TH ' "$page" && grep -q '^\.SH NAME' "$page" || { echo "$page: no .TH/.SH NAME" >&2; exit 1; }
  done
fi
echo "check-gen-docs: completions and $(ls docs/man/*.1 | wc -l) man pages OK"
