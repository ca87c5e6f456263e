#!/usr/bin/env bash
# `make corpus`: apostille against real upstream release signatures.
#
# Debian source packages often carry the upstream tarball's detached
# signature (PKG_VER.orig.tar.*.asc) and the upstream signing key
# (debian/upstream/signing-key.asc). This script downloads a broad,
# deterministic sample of them with a private apt configuration (no root, no
# change to the system's apt), runs `apostille verify pgp`, `apostille
# verify DIR`, gpg and sqv on every one, and prints how far they agree.
#
#   bash scripts/corpus.sh PATH/TO/apostille
#
# Environment:
#   APOSTILLE_CORPUS   where all data goes (default: ../corpus from the repo root)
#   CORPUS_SIZE        how many packages to sample (default 200)
#   CORPUS_PACKAGES    "a b c": exactly these packages instead of the sample
#   CORPUS_MAX_MB      skip upstream tarballs larger than this (default 40)
#   CORPUS_JOBS        parallel downloads / verifications (default 3)
#   CORPUS_SUITE       Debian suite (default bookworm)
#   CORPUS_MIRROR      Debian mirror (default http://deb.debian.org/debian)
#
# Re-runs are incremental: downloaded packages are kept, only the missing
# ones are fetched; the verifications always run again.
set -u
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

die() { echo "corpus: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

[ $# -ge 1 ] || die "usage: bash scripts/corpus.sh PATH/TO/apostille"
[ -x "$1" ] || die "$1: not an executable (build it: cargo build --release -p apostille-cli)"
apostille=$(realpath "$1")

for tool in apt-get gpg sqv python3 tar timeout xargs; do
  command -v "$tool" >/dev/null || die "$tool is needed (Debian packages: apt gnupg sqv python3 tar coreutils findutils)"
done

corpus=${APOSTILLE_CORPUS:-$root/../corpus}
mkdir -p "$corpus" || die "cannot create $corpus"
corpus=$(realpath "$corpus")
size=${CORPUS_SIZE:-200}
max_mb=${CORPUS_MAX_MB:-40}
jobs=${CORPUS_JOBS:-3}
suite=${CORPUS_SUITE:-bookworm}
mirror=${CORPUS_MIRROR:-http://deb.debian.org/debian}
archive_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$archive_keyring" ] || die "$archive_keyring missing (Debian package: debian-archive-keyring)"
table_py="$here/corpus_table.py"
start=$(date +%s)

# --- 1. a private apt configuration --------------------------------------------
step "apt: private configuration in $corpus/apt"
apt_dir="$corpus/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
  "$apt_dir/state" "$apt_dir/empty" "$apt_dir/sources"
cat >"$apt_dir/sources/corpus.sources" <<EOF
Types: deb-src
URIs: $mirror
Suites: $suite
Components: main
Signed-By: $archive_keyring
EOF
# Everything apt would read from /etc/apt is redirected: its own sources,
# lists, cache and state, and empty dirs for the .d parts and preferences.
sandbox=""
[ "$(id -u)" = 0 ] && sandbox='APT::Sandbox::User "root";'
cat >"$apt_dir/apt.conf" <<EOF
Dir::State "$apt_dir/state";
Dir::State::Lists "$apt_dir/lists";
Dir::State::status "/dev/null";
Dir::Cache "$apt_dir/cache";
Dir::Etc::SourceList "$apt_dir/sources/corpus.sources";
Dir::Etc::SourceParts "$apt_dir/empty";
Dir::Etc::Parts "$apt_dir/empty";
Dir::Etc::Preferences "$apt_dir/empty/none";
Dir::Etc::PreferencesParts "$apt_dir/empty";
Dir::Etc::Trusted "$archive_keyring";
Dir::Etc::TrustedParts "$apt_dir/empty";
Acquire::Languages "none";
Acquire::GzipIndexes "false";
Debug::NoLocking "true";
$sandbox
EOF
export APT_CONFIG="$apt_dir/apt.conf"
apt-get -q update >"$apt_dir/update.log" 2>&1 || { cat "$apt_dir/update.log" >&2; die "apt-get update failed (log: $apt_dir/update.log)"; }
tail -n 2 "$apt_dir/update.log"
sources=$(ls "$apt_dir"/lists/*_source_Sources* 2>/dev/null | head -n 1)
[ -n "$sources" ] || die "no Sources index in $apt_dir/lists after apt-get update"
case "$sources" in
  *Sources) ;;
  *) /usr/lib/apt/apt-helper cat-file "$sources" >"$apt_dir/Sources" || die "cannot decompress $sources"
     sources="$apt_dir/Sources" ;;
esac

# --- 2. the sample -------------------------------------------------------------
step "sample: packages with an upstream signature on their orig tarball"
python3 "$table_py" candidates "$sources" "$corpus/candidates.tsv" || die "cannot read $sources"
read -r -a wanted <<<"${CORPUS_PACKAGES:-}"
# The candidates (orig tarball <= CORPUS_MAX_MB) sorted by name, in an order
# whose every prefix is an even stride sample of the whole alphabet: the
# first CORPUS_SIZE that download and carry a signing key are the sample.
python3 "$table_py" sample "$corpus/candidates.tsv" $((max_mb * 1024 * 1024)) "${wanted[@]}" \
  >"$corpus/order.tsv" || die "sampling failed"
if [ ${#wanted[@]} -gt 0 ]; then size=$(wc -l <"$corpus/order.tsv"); fi
n_cand=$(wc -l <"$corpus/order.tsv")
[ "$n_cand" -gt 0 ] || die "no candidate package"
echo "$n_cand candidates with orig tarballs <= $max_mb MB; sample size $size"
head -n "$size" "$corpus/order.tsv" | awk -F'\t' '{ t += $6 } END {
  printf "the first %d of the sample order: %.1f MB to download at most\n", NR, t / 1048576 }'

# --- 3. downloads and 4. signing keys ------------------------------------------
# A package is usable when it downloaded and its Debian tarball carries the
# upstream key (debian/upstream/signing-key.asc|.pgp, or the old
# debian/upstream-signing-key.pgp), copied to pkgs/PKG/signing-key.asc|.pgp.
# Packages whose files the mirror does not have (404) are remembered in
# failed.tsv and not tried again (CORPUS_RETRY_FAILED=1 retries them).
step "download: apt-get source --download-only, $jobs at a time, into $corpus/pkgs"
mkdir -p "$corpus/pkgs"
touch "$corpus/failed.tsv"
[ "${CORPUS_RETRY_FAILED:-0}" = 1 ] && : >"$corpus/failed.tsv"
extract_key() {
  local pkg=$1 dir="$corpus/pkgs/$1" deb member name
  [ -n "$(ls "$dir"/signing-key.asc "$dir"/signing-key.pgp 2>/dev/null)" ] && return 0
  [ -e "$dir/.nokey" ] && return 1
  deb=$(ls "$dir"/*.debian.tar.* 2>/dev/null | grep -v '\.asc$' | head -n 1)
  if [ -z "$deb" ]; then
    # Source format 1.0: the key is a file the .diff.gz adds.
    deb=$(ls "$dir"/*.diff.gz 2>/dev/null | head -n 1)
    if [ -n "$deb" ] && member=$(python3 "$table_py" diffkey "$deb" "$dir/signing-key.asc.tmp"); then
      mv "$dir/signing-key.asc.tmp" "$dir/signing-key.asc"
      echo "$member (in $(basename "$deb"))" >"$dir/signing-key.source"
      return 0
    fi
    rm -f "$dir/signing-key.asc.tmp"
    echo "no debian tarball${deb:+, no key in $(basename "$deb")}" >"$dir/.nokey"; return 1
  fi
  member=$(tar -tf "$deb" 2>/dev/null |
    grep -m1 -E '^(\./)?debian/(upstream/signing-key\.(asc|pgp)|upstream-signing-key\.pgp)$')
  if [ -z "$member" ]; then echo "no debian/upstream/signing-key.*" >"$dir/.nokey"; return 1; fi
  case "$member" in *.asc) name=signing-key.asc ;; *) name=signing-key.pgp ;; esac
  if ! tar -xOf "$deb" "$member" >"$dir/$name.tmp" 2>/dev/null || [ ! -s "$dir/$name.tmp" ]; then
    rm -f "$dir/$name.tmp"; echo "unreadable $member" >"$dir/.nokey"; return 1
  fi
  mv "$dir/$name.tmp" "$dir/$name"
  echo "$member" >"$dir/signing-key.source"
}
download_one() {
  local pkg=$1 ver=$2 dir="$corpus/pkgs/$1" err
  [ -n "$pkg" ] && [ -n "$ver" ] || return 0
  if [ ! -e "$dir/.downloaded" ]; then
    mkdir -p "$dir"
    if (cd "$dir" && timeout 1800 apt-get -q source --download-only "$pkg=$ver") >"$dir/download.log" 2>&1; then
      touch "$dir/.downloaded"
    else
      err=$(grep -m1 -E '^E:' "$dir/download.log" || tail -n 1 "$dir/download.log")
      echo "  FAILED $pkg $ver: $err"
      case "$err" in
        *" 404 "*) printf '%s\t%s\n' "$pkg" "$err" >>"$corpus/failed.tsv" ;;
      esac
      find "$dir" -maxdepth 1 -type f ! -name download.log -delete
      return 0
    fi
  fi
  if extract_key "$pkg"; then
    echo "  ok $pkg $ver ($(cat "$dir/signing-key.source"))"
  else
    echo "  no key: $pkg $ver ($(cat "$dir/.nokey"))"
  fi
  return 0
}
export corpus table_py
export -f download_one extract_key
usable() {
  local dir="$corpus/pkgs/$1"
  [ -e "$dir/.downloaded" ] && [ -n "$(ls "$dir"/signing-key.asc "$dir"/signing-key.pgp 2>/dev/null)" ]
}
# Keys of packages downloaded earlier but not yet looked at.
while IFS=$'\t' read -r pkg _; do
  d="$corpus/pkgs/$pkg"
  [ -e "$d/.downloaded" ] && [ ! -e "$d/.nokey" ] && ! usable "$pkg" && extract_key "$pkg"
done <"$corpus/order.tsv"
# Fetch in rounds, in sample order, until CORPUS_SIZE packages are usable.
next=1
round=0
while :; do
  have=0
  while IFS=$'\t' read -r pkg _; do usable "$pkg" && have=$((have + 1)); done <"$corpus/order.tsv"
  need=$((size - have))
  [ "$need" -gt 0 ] && [ "$next" -le "$n_cand" ] || break
  round=$((round + 1))
  batch=$((need * 3 < jobs ? jobs : need * 3))
  tail -n +"$next" "$corpus/order.tsv" | head -n "$batch" >"$corpus/round.tsv"
  next=$((next + batch))
  # Skip what is done or is known to be missing on the mirror.
  awk -F'\t' 'FILENAME == ARGV[1] { bad[$1] = 1; next } !($1 in bad)' "$corpus/failed.tsv" "$corpus/round.tsv" |
    while IFS=$'\t' read -r pkg ver _ _ _ total; do
      { [ -e "$corpus/pkgs/$pkg/.downloaded" ] && [ -e "$corpus/pkgs/$pkg/signing-key.source" -o -e "$corpus/pkgs/$pkg/.nokey" ]; } ||
        printf '%s\t%s\t%s\n' "$pkg" "$ver" "$total"
    done >"$corpus/round.todo"
  n_todo=$(wc -l <"$corpus/round.todo")
  echo "round $round: $have usable, $need more wanted; trying $n_todo new packages," \
    "$(awk -F'\t' '{ t += $3 } END { printf "%.1f MB", t / 1048576 }' "$corpus/round.todo") at most"
  cut -f1,2 "$corpus/round.todo" | tr '\t' ' ' |
    xargs -r -P "$jobs" -n 2 bash -c 'download_one "$1" "$2"' _
done
rm -f "$corpus/round.tsv" "$corpus/round.todo"

# The sample: the first CORPUS_SIZE usable packages in sample order, sorted.
: >"$corpus/packages.tmp"
n_chosen=0; n_down=0; nokey=(); failed=()
tried=$((next - 1 < n_cand ? next - 1 : n_cand))
while IFS=$'\t' read -r pkg rest; do
  dir="$corpus/pkgs/$pkg"
  if [ -e "$dir/.downloaded" ]; then
    n_down=$((n_down + 1))
    if usable "$pkg"; then
      [ "$n_chosen" -lt "$size" ] && { printf '%s\t%s\n' "$pkg" "$rest" >>"$corpus/packages.tmp"; n_chosen=$((n_chosen + 1)); }
    else
      nokey+=("$pkg")
    fi
  elif [ -d "$dir" ]; then
    failed+=("$pkg")
  fi
done <"$corpus/order.tsv"
sort "$corpus/packages.tmp" >"$corpus/packages.txt"; rm -f "$corpus/packages.tmp"
echo
echo "$n_down downloaded, $n_chosen in the sample (with a signing key): $corpus/packages.txt"
echo "$(du -sh "$corpus/pkgs" | cut -f1) in $corpus/pkgs"
[ "$n_chosen" -ge "$size" ] || echo "warning: only $n_chosen usable packages (wanted $size)"
[ ${#nokey[@]} -eq 0 ] || echo "no key (${#nokey[@]}, excluded): ${nokey[*]}"
[ ${#failed[@]} -eq 0 ] || echo "download failed (${#failed[@]}, see pkgs/PKG/download.log and failed.tsv): ${failed[*]}"

# --- 5. four verifiers ---------------------------------------------------------
step "verify: apostille verify pgp, apostille verify DIR, gpg, sqv ($jobs at a time)"
verify_one() {
  local pkg=$1 orig=$2 sig=$3 dir="$corpus/pkgs/$1" key run tmp t0 t1
  key=$(ls "$dir"/signing-key.asc "$dir"/signing-key.pgp 2>/dev/null | head -n 1)
  [ -n "$key" ] && [ -e "$dir/$orig" ] && [ -e "$dir/$sig" ] || return 0
  run="$dir/run"
  rm -rf "$run"; mkdir -p "$run"
  echo "$sig" >"$run/sig.name"
  tmp=$(mktemp -d "$corpus/tmp/$pkg.XXXXXX")
  # What the key file and the signature are.
  local first
  first=$(head -c 4096 "$key" | tr -d '\r' | grep -a -m1 -E '^-----BEGIN ' || true)
  if [ -n "$first" ]; then
    echo "armored: ${first//-/} ($(grep -a -c -E '^-----BEGIN ' "$key") block(s))" >"$run/key.format"
  else
    echo "binary" >"$run/key.format"
  fi
  mkdir -p -m 700 "$tmp/show"
  # A key file armored as `ARMORED FILE` (gpg --enarmor) is a binary keyring
  # inside: dearmored for the key metadata and for sqv, never for apostille
  # or gpg, which get the file as Debian ships it.
  local plainkey="$key"
  : >"$run/sqv.note"
  if grep -a -q -m1 -- '-----BEGIN PGP ARMORED FILE-----' "$key" &&
    gpg --batch --no-options --homedir "$tmp/show" --dearmor <"$key" >"$tmp/key.gpg" 2>/dev/null; then
    plainkey="$tmp/key.gpg"
    echo "key dearmored with gpg --dearmor (ARMORED FILE)" >"$run/sqv.note"
  fi
  gpg --batch --no-options --homedir "$tmp/show" --show-keys --with-colons "$plainkey" \
    >"$run/showkeys.txt" 2>"$run/showkeys.err" </dev/null
  gpg --batch --no-options --homedir "$tmp/show" --list-packets "$dir/$sig" \
    >"$run/packets.txt" 2>&1 </dev/null
  t0=$(date +%s.%N)
  # apostille verify pgp
  timeout 120 "$apostille" verify pgp -q --keys "$key" "$dir/$sig" "$dir/$orig" \
    >"$run/pgp.out" 2>"$run/pgp.err" </dev/null
  echo $? >"$run/pgp.rc"
  # apostille verify DIR: a folder with just the tarball and its signature
  mkdir -p "$tmp/release"
  ln "$dir/$orig" "$dir/$sig" "$tmp/release/" 2>/dev/null ||
    ln -sf "$dir/$orig" "$dir/$sig" "$tmp/release/"
  timeout 120 "$apostille" verify --keys "$key" "$tmp/release" \
    >"$run/dir.out" 2>"$run/dir.err" </dev/null
  echo $? >"$run/dir.rc"
  # gpg, a fresh home per package
  mkdir -p -m 700 "$tmp/gpg"
  timeout 120 gpg --batch --no-options --homedir "$tmp/gpg" --import "$key" \
    >"$run/gpg-import.out" 2>&1 </dev/null
  timeout 120 gpg --batch --no-options --homedir "$tmp/gpg" --status-fd 1 \
    --verify "$dir/$sig" "$dir/$orig" >"$run/gpg.status" 2>"$run/gpg.err" </dev/null
  echo $? >"$run/gpg.rc"
  # sqv (the dearmored keyring for an `ARMORED FILE` key)
  local sqvkey="$plainkey"
  timeout 120 sqv --keyring "$sqvkey" "$dir/$sig" "$dir/$orig" \
    >"$run/sqv.out" 2>"$run/sqv.err" </dev/null
  echo $? >"$run/sqv.rc"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >"$run/seconds"
  rm -rf "$tmp"
  python3 "$table_py" row "$pkg" "$dir" >"$run/row.tsv" 2>"$run/row.err" ||
    echo "  $pkg: could not summarise (see $run/row.err)"
  return 0
}
export apostille
export -f verify_one
rm -rf "$corpus/tmp"; mkdir -p "$corpus/tmp"
awk -F'\t' '{ print $1; print $3; print $5 }' "$corpus/packages.txt" |
  xargs -r -P "$jobs" -n 3 -d '\n' bash -c 'verify_one "$1" "$2" "$3"' _
rmdir "$corpus/tmp" 2>/dev/null

python3 "$table_py" header x >"$corpus/results.tsv"
n_ver=0
while IFS=$'\t' read -r pkg _; do
  row="$corpus/pkgs/$pkg/run/row.tsv"
  if [ -n "$(ls "$corpus/pkgs/$pkg"/signing-key.asc "$corpus/pkgs/$pkg"/signing-key.pgp 2>/dev/null)" ] && [ -s "$row" ]; then
    cat "$row" >>"$corpus/results.tsv"; n_ver=$((n_ver + 1))
  fi
done <"$corpus/packages.txt"
echo "$n_ver packages verified: $corpus/results.tsv"

# --- 6. the agreement table ----------------------------------------------------
step "agreement"
python3 "$table_py" table "$corpus/results.tsv" >"$corpus/table.md" || die "cannot build the table"
cat "$corpus/table.md"
echo
echo "downloaded $n_down, in the sample (with a key) $n_chosen, verified $n_ver;" \
  "$(du -sh "$corpus/pkgs" | cut -f1) on disk; $(($(date +%s) - start)) s"
echo "table: $corpus/table.md   results: $corpus/results.tsv"
