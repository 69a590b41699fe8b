#!/bin/sh
# examples/demo.sh: cairn's main job on real data, end to end. In a new Git
# repository in a temporary folder: track the CSV datasets that Debian's
# python3-sklearn ships (a folder of them, plus one larger single file),
# commit the pointers, delete the data, restore it with cairn checkout,
# prove with sha256sum that every byte came back, then change one file and
# show cairn status reporting it. Prints each step; exits non-zero on any
# mismatch. quickstart.sh runs it; tests/cli/t1190-demo.sh runs it with the
# built binary.
#   CAIRN=path    the cairn binary (default: cairn on PATH)
#   DATA_DIR=dir  take the *.csv and *.csv.gz files from dir instead
#   KEEP=1        keep the temporary folder
set -eu

CAIRN=${CAIRN:-cairn}
step() { printf '\n==> %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
fail() { printf 'demo: FAILED: %s\n' "$*" >&2; exit 1; }

command -v "$CAIRN" >/dev/null 2>&1 || fail "no cairn binary ('$CAIRN'); build and install it first"
command -v git >/dev/null 2>&1 || fail "git is not installed"

# the datasets: every CSV (plain or gzipped) of python3-sklearn
if [ -n "${DATA_DIR:-}" ]; then
	csvs=$(find "$DATA_DIR" -maxdepth 1 \( -name '*.csv' -o -name '*.csv.gz' \) -type f | sort)
else
	csvs=$({ dpkg -L python3-sklearn 2>/dev/null || true; } | grep -E '\.csv(\.gz)?$' | sort || true)
fi
[ -n "$csvs" ] || fail "no CSV datasets found (install python3-sklearn, or set DATA_DIR)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cairn-demo.XXXXXX")
cleanup() { if [ -n "${KEEP:-}" ]; then echo "(kept $tmp)"; else chmod -R u+w "$tmp"; rm -rf "$tmp"; fi; }
trap cleanup EXIT
repo=$tmp/project
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-cairn demo} GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-demo@example.com}
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-cairn demo} GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-demo@example.com}

step "a new Git repository with cairn in it: $repo"
git init -q "$repo"
cd "$repo"
run "$CAIRN" init
run git add .cairn/config .cairn/.gitignore
git commit -q -m "cairn init"

step "the data: python3-sklearn's CSV datasets in data/, and one larger file, digits.csv"
mkdir data
for f in $csvs; do cp "$f" data/; done
single=
for f in $csvs; do case $f in */digits.csv.gz) single=$f ;; esac; done
if [ -n "$single" ]; then
	gzip -dc "$single" >digits.csv
else
	cat data/* >digits.csv # any larger file will do
fi
ls -l data digits.csv
(find data -type f -print0 | xargs -0 sha256sum; sha256sum digits.csv) | sort -k2 >"$tmp/SHA256SUMS"
nfiles=$(wc -l <"$tmp/SHA256SUMS")
nbytes=$(find data digits.csv -type f -exec cat {} + | wc -c)

step "track them: objects into the cache, pointer files for Git"
run "$CAIRN" add data digits.csv
run cat data.cairn
run cat .gitignore
run git add data.cairn digits.csv.cairn .gitignore
git commit -q -m "track the sklearn datasets with cairn"
run git log --oneline
run git status --short
[ -z "$(git status --porcelain)" ] || fail "git sees untracked data"

step "everything is up to date"
run "$CAIRN" status
"$CAIRN" status -q || fail "cairn status -q says something changed"

step "delete the data"
run rm -rf data digits.csv
run "$CAIRN" status

step "restore it from the cache"
run "$CAIRN" checkout

step "verify every byte with sha256sum"
sha256sum -c --quiet "$tmp/SHA256SUMS" || fail "restored data differs from the original"
echo "all $nfiles files match their original SHA-256"
run "$CAIRN" status
"$CAIRN" status -q || fail "cairn status is not clean after checkout"

step "change one file: cairn status reports it"
echo '$ echo "1,2,3" >>data/wine_data.csv'
echo "1,2,3" >>data/wine_data.csv
run "$CAIRN" status || true
if "$CAIRN" status -q; then fail "cairn status -q did not notice the change"; fi
"$CAIRN" status >"$tmp/status"
grep -q '^modified: data$' "$tmp/status" || fail "data is not reported as modified"
grep -q 'modified  *data/wine_data.csv$' "$tmp/status" || fail "the changed file is not named"
[ "$(grep -c '^    ' "$tmp/status")" = 1 ] || fail "more than the one changed file is reported"

step "summary"
nobj=$(find .cairn/cache/sha256 -type f | wc -l)
echo "tracked $nfiles files ($nbytes bytes) from python3-sklearn with cairn:"
echo "  2 pointer files in Git, $nobj objects in .cairn/cache (files and folder manifests),"
echo "  deleted, restored byte for byte (sha256sum), and one edit detected by cairn status."
echo "demo: OK"
