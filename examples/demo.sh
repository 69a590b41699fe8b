#!/bin/sh
# examples/demo.sh: cairn's main job on real data, end to end, as a data
# scientist would do it. In a temporary folder:
#   1. a new project (git init, cairn init) with the example pipeline
#      examples/ml-project; the real datasets Debian's python3-sklearn ships
#      (breast_cancer.csv, wine_data.csv, and a folder of digits.csv.gz and
#      the sample images) tracked with cairn add; cairn repro runs prepare ->
#      train -> evaluate; git commit; cairn push to a local folder remote, and
#      to the local S3 server when one is reachable (CAIRN_TEST_S3_* as
#      tests/s3-server.sh writes them), checked from a clean clone;
#   2. on "another machine" (a fresh git clone): cairn pull, every byte
#      checked with sha256sum; the dataset changes (cairn status, repro,
#      metrics diff, commit) and cairn diff names what changed; the older
#      commit's data comes back with git checkout + cairn checkout; cairn
#      reproduce runs the older commit again and finds every output identical;
#      two experiments with other hyperparameters (cairn exp run, exp show).
# Every command is printed with its real output; the script checks what it
# claims (sha256sum, the reproduce verdict, the experiment table, the diff),
# ends with a summary and "demo: OK", and exits non-zero on any failure.
# Deterministic: fixed Git dates, seeded splits and models.
#   CAIRN=path             the cairn binary (default: cairn on PATH)
#   KEEP=1                 keep the temporary folder
#   CAIRN_TEST_S3_*        the S3 server to push to (else S3 is skipped)
#   CAIRN_DEMO_S3_BUCKET   use this existing bucket instead of making one
#   CAIRN_TEST_REQUIRE_S3  fail instead of skipping S3 when it is unreachable
set -eu

CAIRN=${CAIRN:-cairn}
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(dirname "$here")
example=$here/ml-project

step_name="starting"
step() { step_name=$*; printf '\n==> %s\n' "$*"; }
note() { printf '    (%s)\n' "$*"; }
fail() { printf 'demo: FAILED: %s\n' "$*" >&2; exit 1; }
# cairn as the user types it, whatever binary CAIRN names ("command": not
# this function again when CAIRN is plain "cairn")
cairn() { command "$CAIRN" "$@"; }
# run 'COMMAND': print it, run it, show its output (stdout and stderr, in
# order) and keep it in $tmp/out; stop the demo when it fails
run() {
	printf '$ %s\n' "$1"
	rc=0
	eval "$1" >"$tmp/out" 2>&1 || rc=$?
	cat "$tmp/out"
	[ "$rc" = 0 ] || fail "'$1' exited with $rc"
}
# the same for a command that must fail with exit code 1
run_exit1() {
	printf '$ %s\n' "$1"
	rc=0
	eval "$1" >"$tmp/out" 2>&1 || rc=$?
	cat "$tmp/out"
	[ "$rc" = 1 ] || fail "'$1' exited with $rc, not 1"
}
has() { grep -q -- "$1" "$tmp/out" || fail "${2:-no '$1' in the output}"; }

command -v "$CAIRN" >/dev/null 2>&1 || fail "no cairn binary ('$CAIRN'); build and install it first"
command -v git >/dev/null 2>&1 || fail "git is not installed"
command -v sha256sum >/dev/null 2>&1 || fail "sha256sum is not installed"

# the datasets python3-sklearn ships
skl=$({ dpkg -L python3-sklearn 2>/dev/null || true; } | sed -n 's|/datasets/data/breast_cancer\.csv$||p' | head -n 1)
[ -n "$skl" ] && [ -f "$skl/datasets/data/breast_cancer.csv" ] ||
	fail "python3-sklearn's datasets are not installed (apt-get install python3-sklearn)"
for f in data/breast_cancer.csv data/wine_data.csv data/digits.csv.gz images/china.jpg \
	images/flower.jpg images/README.txt; do
	[ -f "$skl/datasets/$f" ] || fail "python3-sklearn has no $f"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cairn-demo.XXXXXX")
tmp=$(cd "$tmp" && pwd -P)
s3dir=
cleanup() {
	rc=$?
	if [ "$rc" != 0 ]; then
		printf 'demo: FAILED (exit %s) in step: %s\n' "$rc" "$step_name" >&2
	fi
	if [ -n "${KEEP:-}" ]; then
		echo "(kept $tmp)"
	else
		chmod -R u+w "$tmp" 2>/dev/null || true
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the pipeline's python3 must have scikit-learn (Debian's does; a pyenv or
# virtualenv python3 first on PATH may not)
mkdir "$tmp/bin"
if ! python3 -c 'import sklearn, yaml' >/dev/null 2>&1; then
	/usr/bin/python3 -c 'import sklearn, yaml' >/dev/null 2>&1 ||
		fail "python3 cannot import sklearn and yaml (apt-get install python3-sklearn python3-yaml)"
	ln -s /usr/bin/python3 "$tmp/bin/python3"
	PATH=$tmp/bin:$PATH
	note "using /usr/bin/python3: the python3 on PATH has no scikit-learn"
fi

# a fixed identity and fixed dates: the same commits on every run
export GIT_AUTHOR_NAME='Ada Data' GIT_AUTHOR_EMAIL='ada@example.com'
export GIT_COMMITTER_NAME='Ada Data' GIT_COMMITTER_EMAIL='ada@example.com'
export GIT_AUTHOR_DATE='2025-01-01T12:00:00Z' GIT_COMMITTER_DATE='2025-01-01T12:00:00Z'
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0
export GIT_ADVICE=0
export LC_ALL=C
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

# S3: the server of tests/s3-server.sh, when its settings are in the environment
s3=
if [ -n "${CAIRN_TEST_S3_ENDPOINT:-}" ]; then
	bucket=${CAIRN_DEMO_S3_BUCKET:-cairn-demo-$$-$(date +%s)}
	if [ -n "${CAIRN_DEMO_S3_BUCKET:-}" ]; then
		s3=yes
	elif [ -f "$srcdir/tests/s3-aws.sh" ] && . "$srcdir/tests/s3-aws.sh" &&
		s3_aws s3 mb "s3://$bucket" >"$tmp/mb.out" 2>&1; then
		s3=made
	elif [ -n "${CAIRN_TEST_REQUIRE_S3:-}" ]; then
		cat "$tmp/mb.out" >&2 2>/dev/null || true
		fail "the S3 server at $CAIRN_TEST_S3_ENDPOINT is not reachable (CAIRN_TEST_REQUIRE_S3)"
	fi
fi

cd "$tmp"
echo "cairn demo in $tmp"
echo "(python3-sklearn's datasets from $skl/datasets)"

# ---------------------------------------------------------------------------
step "1. A new project: Git, cairn and the example pipeline (examples/ml-project)"
run 'git init -q -b main project'
cp -R "$example/." project/
cd project
run 'ls -R cairn.yaml params.yaml src'
run 'cairn init'

step "2. The data: real datasets from python3-sklearn, tracked with cairn add"
mkdir -p data/images
cp "$skl/datasets/data/breast_cancer.csv" "$skl/datasets/data/wine_data.csv" data/
cp "$skl/datasets/data/digits.csv.gz" "$skl/datasets/images/china.jpg" \
	"$skl/datasets/images/flower.jpg" "$skl/datasets/images/README.txt" data/images/
run 'wc -c data/*.csv data/images/*'
run 'cairn add data/breast_cancer.csv data/wine_data.csv data/images'
run 'cat data/breast_cancer.csv.cairn data/images.cairn'
run 'cat data/.gitignore'
ndata=$(find data -type f ! -name '*.cairn' ! -name .gitignore | wc -l)

step "3. The pipeline: prepare -> train -> evaluate (cairn.yaml, params.yaml)"
run 'cat cairn.yaml'
run 'cairn dag'
run 'cairn repro'
has "running stage 'evaluate'" "cairn repro did not run the evaluate stage"
run 'cat metrics.json'
run 'cairn status'
has '^up to date' "cairn status is not clean after repro"
# every byte of data and outputs, to compare on the other machine
find data models metrics.json -type f ! -name '*.cairn' ! -name .gitignore -print | sort |
	xargs sha256sum >"$tmp/v1.sums"

step "4. Remotes: a folder as the default, and S3 when a server is reachable"
run 'cairn remote add -d storage ../storage'
if [ -n "$s3" ]; then
	if [ "$s3" = made ]; then
		note "the bucket was made with awscli: aws --endpoint-url $CAIRN_TEST_S3_ENDPOINT s3 mb s3://$bucket"
	fi
	run "cairn remote add s3 s3://$bucket/ml-project"
	run "cairn remote modify s3 endpoint $CAIRN_TEST_S3_ENDPOINT"
	run "cairn remote modify s3 access_key_id $CAIRN_TEST_S3_ACCESS_KEY"
	run "cairn remote modify s3 secret_access_key $CAIRN_TEST_S3_SECRET_KEY"
fi
run 'cairn remote list'
run 'cat .cairn/config'

step "5. Commit: Git holds the pointers, cairn.yaml, cairn.lock, params, metrics and settings"
run 'git add -A'
run 'git status --short'
run 'git commit -q -m "breast cancer classifier, first version"'
run 'git tag v1'

step "6. Push: the data to the cairn remote, the commits to a Git remote"
run 'cairn push'
has "^pushed [0-9]* objects" "cairn push sent nothing"
run 'cairn status -c'
has "^up to date with 'storage'" "the remote does not hold everything"
run 'git init -q --bare -b main ../origin.git'
run 'git remote add origin ../origin.git'
run 'git push -q origin main v1'

if [ -n "$s3" ]; then
	step "7. Push to S3 too, and pull it back into a clean clone"
	run 'cairn push -r s3'
	has "^pushed [0-9]* objects" "cairn push -r s3 sent nothing"
	run 'cairn status -c -r s3'
	has "^up to date with 's3'" "the S3 remote does not hold everything"
	cd "$tmp"
	run 'git clone -q origin.git s3-check'
	cd s3-check
	note "the S3 keys are private (.cairn/config.local): give them again"
	run "cairn remote modify s3 access_key_id $CAIRN_TEST_S3_ACCESS_KEY"
	run "cairn remote modify s3 secret_access_key $CAIRN_TEST_S3_SECRET_KEY"
	run 'cairn pull -r s3'
	has "^fetched [0-9]* objects" "nothing came from S3"
	run 'sha256sum -c --quiet "$tmp/v1.sums" && echo "every byte came back from S3"'
	cd "$tmp/project"
else
	step "7. S3: skipped"
	note "no S3 server configured: sh tests/s3-server.sh start DIR && . DIR/env, then run the demo again"
fi

# ---------------------------------------------------------------------------
step "8. Another machine: git clone, then cairn pull"
cd "$tmp"
run 'git clone -q origin.git laptop'
cd laptop
run 'ls data models 2>&1 || true'
run 'cairn status'
run 'cairn pull'
has "^fetched [0-9]* objects" "cairn pull fetched nothing"
run 'cairn status'
has '^up to date: 5 tracked outputs' "cairn status is not clean after pull"
run 'sha256sum -c --quiet "$tmp/v1.sums" && echo "all $(wc -l <"$tmp/v1.sums") files identical to the original machine"'

step "9. The dataset changes: keep the first 500 samples of breast_cancer.csv"
run "sed -i '1s/^569,/500,/; 502,\$d' data/breast_cancer.csv"
run 'cairn status'
has '^modified: data/breast_cancer.csv' "cairn status missed the change"
run 'cairn diff'
has '^modified: data/breast_cancer.csv' "cairn diff missed the change"
run 'cairn commit data/breast_cancer.csv'
run 'cairn repro'
has "running stage 'prepare' (dependency modified: data/breast_cancer.csv)"
run 'cairn metrics diff'
run 'git commit -q -am "breast cancer classifier on 500 samples"'
run 'git tag v2'

step "10. cairn diff between the two data versions"
run 'cairn diff v1 v2'
cat >"$tmp/diff.want" <<'EOF'
modified: data/breast_cancer.csv
modified: data/prepared/test.csv
modified: data/prepared/train.csv
modified: models/model.pkl
EOF
cmp -s "$tmp/diff.want" "$tmp/out" || fail "cairn diff v1 v2 did not list exactly the dataset, the split and the model"
run 'cairn metrics diff v1 v2'

step "11. Back to the older data: git checkout v1, cairn checkout"
run 'git checkout -q v1'
run 'cairn checkout'
run 'cairn status'
has '^up to date' "cairn status is not clean at v1"
run 'sha256sum -c --quiet "$tmp/v1.sums" && echo "v1 is back, byte for byte"'
run 'git checkout -q main'
run 'cairn checkout'

step "12. cairn reproduce: run v1 again from scratch and compare every output"
run 'cairn reproduce v1'
has '^reproduced [0-9a-f]*: all 3 outputs identical$' "cairn reproduce did not find every output identical"
[ "$(grep -c '^identical ' "$tmp/out")" = 3 ] || fail "cairn reproduce did not compare the 3 outputs"
! grep -q '^\(differs\|missing\)' "$tmp/out" || fail "cairn reproduce found outputs that are not identical"

step "13. Two experiments: shallower trees (train.max_depth 1 and 2)"
run 'cairn exp run -n depth -S train.max_depth=1,2'
run 'cairn exp show'
for e in baseline depth-1 depth-2; do
	grep -q "^$e " "$tmp/out" || fail "cairn exp show does not list $e"
done
[ "$(grep -c ' done ' "$tmp/out")" = 2 ] || fail "cairn exp show does not list two finished experiments"
cp "$tmp/out" "$tmp/exp.show"
run 'git status --short'
[ ! -s "$tmp/out" ] || fail "the experiments changed the workspace"

step "14. Share the new version: cairn push, git push"
run 'cairn push'
run 'git push -q origin main v2'
run 'cairn status -c'
has "^up to date with 'storage'"

# ---------------------------------------------------------------------------
step "Summary"
nobj=$(find "$tmp/storage/sha256" -type f | wc -l)
nbytes=$(du -sk "$tmp/storage" | cut -f1)
acc1=$(git show v1:metrics.json | sed -n 's/.*"accuracy": \([0-9.]*\).*/\1/p')
acc2=$(sed -n 's/.*"accuracy": \([0-9.]*\).*/\1/p' metrics.json)
echo "- tracked $ndata data files from python3-sklearn (2 CSV files and a folder of 4)"
echo "  with cairn add; Git holds only small pointer files, cairn.yaml and cairn.lock"
echo "- cairn repro ran prepare -> train -> evaluate (accuracy $acc1 on v1, $acc2 on v2)"
echo "- the remote 'storage' holds $nobj objects ($nbytes KiB); a fresh clone got every byte back"
if [ -n "$s3" ]; then
	echo "- the S3 remote (s3://$bucket/ml-project) holds them too: pulled back, byte for byte"
fi
echo "- cairn diff v1 v2 named the changed dataset, split and model"
echo "- git checkout v1 + cairn checkout brought the older data back, byte for byte"
echo "- cairn reproduce v1: all 3 outputs identical on the other machine"
echo "- two experiments, compared with cairn exp show:"
sed 's/^/    /' "$tmp/exp.show"
echo "demo: OK"
