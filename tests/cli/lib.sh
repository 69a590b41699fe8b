# tests/cli/lib.sh: the shared harness of the CLI tests (tests/cli/tNNNN-*.sh).
#
# A test script sources this file, then runs checks and ends with test_done:
#
#   . "${CAIRN_SRCDIR:-.}/tests/cli/lib.sh"
#   new_repo r && cd r
#   expect_success 'add a file' '
#       echo hi >f && cairn add f && path_is_file f.cairn
#   '
#   test_done
#
# Each script runs in a private trash folder ($TRASH, the current folder at
# start) with HOME pointed into it, fixed Git identity and dates, LC_ALL=C,
# and no system or user configuration (Git's or cairn's). `cairn` and
# `git-cairn` on PATH are the binary under test ($CAIRN).
#
# A check body runs in a subshell with `set -e` (variables it sets do not
# survive it; files do) from the folder the script is in at that moment.
# Helpers: must_fail [--code=N] CMD... (fails on success, on a signal and on
# a sanitizer report), cmp_expected WANT GOT, path_is_file/_dir/_missing,
# new_repo DIR, objects_ok DIR, skip_all REASON, require_s3.
# test_done checks that every object store under $TRASH (caches and local
# remotes: any sha256/xx/yyyy... layout) holds only objects whose SHA-256 is
# their name, prints the TAP plan, and removes the trash unless a check
# failed (its path is printed then).
#
# CAIRN_TEST_RUN=PATTERN runs only the checks whose title matches the
# shell pattern (e.g. '*symlink*'); CAIRN_TEST_VERBOSE=1 shows each body's
# output; CAIRN_TEST_KEEP=1 keeps the trash folder.

set -u

: "${CAIRN:?CAIRN must name the cairn binary under test (run through make check)}"
: "${CAIRN_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CAIRN_BUILDDIR:=$(dirname "$CAIRN")}"
export CAIRN CAIRN_SRCDIR CAIRN_BUILDDIR

test_name=$(basename "$0" .sh)
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/cairn-$test_name.XXXXXX") || exit 99
TRASH=$(cd "$TRASH" && pwd -P)
export TRASH

# a clean, fixed environment
export LC_ALL=C LANG=C TZ=UTC
export HOME="$TRASH/home" XDG_CONFIG_HOME="$TRASH/home/.config"
mkdir -p "$HOME" "$TRASH/bin"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
export GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL='author@example.com'
export GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL='committer@example.com'
export GIT_AUTHOR_DATE='2026-01-01 00:00:00 +0000' GIT_COMMITTER_DATE='2026-01-01 00:00:00 +0000'
export GIT_TERMINAL_PROMPT=0 GIT_PAGER=cat PAGER=cat EDITOR=: GIT_EDITOR=:
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE CDPATH
for v in $(env | sed -n 's/^\(CAIRN_[A-Z0-9_]*\)=.*/\1/p'); do
	case $v in
	CAIRN|CAIRN_SRCDIR|CAIRN_BUILDDIR|CAIRN_TEST_*) ;;
	*) unset "$v" ;;
	esac
done
for v in $(env | sed -n 's/^\(AWS_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export AWS_SHARED_CREDENTIALS_FILE="$HOME/.aws/credentials" AWS_CONFIG_FILE="$HOME/.aws/config"
export AWS_EC2_METADATA_DISABLED=true
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global protocol.file.allow always

# sanitizer builds: abort loudly so must_fail can tell a crash from a failure
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=${CAIRN_TEST_LEAKS:-1}:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="exitcode=86"

ln -s "$CAIRN" "$TRASH/bin/cairn"
ln -s "$CAIRN" "$TRASH/bin/git-cairn"
export PATH="$TRASH/bin:$PATH"

cd "$TRASH" || exit 99

test_count=0
test_failures=0
test_skipped=0

say() { printf '# %s\n' "$*"; }

# expect_success TITLE BODY: the body must exit 0.
expect_success() {
	test_run_ "$1" "$2" 0
}

# expect_failure TITLE BODY: the body must exit non-zero (without a crash).
expect_failure() {
	test_run_ "$1" "$2" 1
}

test_run_() {
	title=$1 body=$2 want_fail=$3
	if [ -n "${CAIRN_TEST_RUN:-}" ]; then
		# shellcheck disable=SC2254
		case $title in
		$CAIRN_TEST_RUN) ;;
		*) return 0 ;;
		esac
	fi
	test_count=$((test_count + 1))
	out="$TRASH/.out.$test_count"
	(
		set -e
		eval "$body"
	) >"$out" 2>&1 </dev/null
	rc=$?
	crashed=
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
		-e 'runtime error:' "$out" 2>/dev/null; then
		crashed=yes
	fi
	if [ -z "$crashed" ] && { { [ "$want_fail" = 0 ] && [ $rc = 0 ]; } ||
		{ [ "$want_fail" = 1 ] && [ $rc != 0 ] && [ $rc -lt 128 ]; }; }; then
		echo "ok $test_count - $title"
		[ -n "${CAIRN_TEST_VERBOSE:-}" ] && sed 's/^/#   /' "$out"
	else
		test_failures=$((test_failures + 1))
		echo "not ok $test_count - $title"
		[ -n "$crashed" ] && echo "#   a sanitizer reported an error"
		echo "#   exit code $rc; output:"
		sed 's/^/#   /' "$out" | tail -n 60
		echo "#   body:"
		printf '%s\n' "$body" | sed 's/^/#   /'
	fi
	rm -f "$out"
	return 0
}

# skip_test TITLE REASON: report one check as skipped.
skip_test() {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# skip_all REASON: skip the whole script (only before the first check).
skip_all() {
	echo "1..0 # SKIP $*"
	cd / && rm -rf "$TRASH"
	exit 0
}

# must_fail [--code=N] CMD...: CMD must exit non-zero (N exactly, if given),
# not by a signal (unless N says so) and without a sanitizer report.
must_fail() {
	want=
	case ${1:-} in
	--code=*) want=${1#--code=}; shift ;;
	esac
	mf_n=$((${mf_n:-0} + 1))
	mf_err="$TRASH/.mf.$$.$mf_n"
	rc=0
	"$@" 2>"$mf_err" || rc=$? # never trips set -e, even as a body's last command
	cat "$mf_err" >&2
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$mf_err"; then
		rm -f "$mf_err"
		echo "must_fail: sanitizer error from: $*" >&2
		return 1
	fi
	rm -f "$mf_err"
	if [ $rc = 0 ]; then
		echo "must_fail: succeeded unexpectedly: $*" >&2
		return 1
	fi
	if [ -n "$want" ]; then
		if [ "$rc" != "$want" ]; then
			echo "must_fail: exit code $rc, want $want: $*" >&2
			return 1
		fi
	elif [ $rc -ge 128 ]; then
		echo "must_fail: killed by a signal (exit $rc): $*" >&2
		return 1
	fi
	return 0
}

# cmp_expected WANT GOT: files must be equal; shows diff -u otherwise.
cmp_expected() {
	if ! cmp -s "$1" "$2"; then
		echo "cmp_expected: $1 and $2 differ:" >&2
		diff -u "$1" "$2" >&2
		return 1
	fi
}

# grep_q PATTERN FILE: like grep -q, but shows the file when it does not match.
grep_q() {
	if ! grep -q -e "$1" "$2"; then
		echo "grep_q: '$1' not found in $2:" >&2
		sed 's/^/  | /' "$2" >&2
		return 1
	fi
}

# no_grep PATTERN FILE: the pattern must not occur.
no_grep() {
	if grep -q -e "$1" "$2"; then
		echo "no_grep: '$1' found in $2:" >&2
		sed 's/^/  | /' "$2" >&2
		return 1
	fi
}

path_is_file() {
	[ -f "$1" ] && [ ! -L "$1" ] || { echo "not a regular file: $1" >&2; return 1; }
}
path_is_dir() {
	[ -d "$1" ] && [ ! -L "$1" ] || { echo "not a folder: $1" >&2; return 1; }
}
path_is_missing() {
	[ ! -e "$1" ] && [ ! -L "$1" ] || { echo "exists: $1" >&2; return 1; }
}
path_is_link() {
	[ -L "$1" ] || { echo "not a symlink: $1" >&2; return 1; }
}

# sha256 FILE: the hex SHA-256 of a file.
sha256() {
	sha256sum "$1" | cut -c1-64
}

# ptr_sha FILE.cairn: the sha256 a pointer records.
ptr_sha() {
	sed -n 's/^ *sha256: *\([0-9a-f]\{64\}\).*/\1/p' "$1" | head -n 1
}

# new_repo DIR: a fresh Git repository with cairn initialised.
new_repo() {
	git init -q "$1" && (cd "$1" && cairn -q init)
}

# objects_ok DIR: every file under DIR laid out as sha256/xx/<62 hex>
# (caches and local remotes) hashes to its name.
objects_ok() {
	find "$1" -type f -path '*/sha256/[0-9a-f][0-9a-f]/*' 2>/dev/null |
		grep -E '/sha256/[0-9a-f]{2}/[0-9a-f]{62}$' >"$TRASH/.objs" || true
	[ -s "$TRASH/.objs" ] || return 0
	tr '\n' '\0' <"$TRASH/.objs" | xargs -0 sha256sum | awk '
		{
			path = substr($0, 67) # after "<64 hex>  ": names may hold spaces
			n = split(path, p, "/")
			if ($1 != p[n - 1] p[n]) { print "corrupt object: " path; bad = 1 }
		}
		END { exit bad }' >&2
}

# require_s3: skip the script unless the local S3 server is configured
# (tests/s3-server.sh; .ci/run sets CAIRN_TEST_S3_ENDPOINT and
# CAIRN_TEST_REQUIRE_S3=1, so in CI a missing server fails instead).
require_s3() {
	if [ -z "${CAIRN_TEST_S3_ENDPOINT:-}" ]; then
		if [ -n "${CAIRN_TEST_REQUIRE_S3:-}" ]; then
			echo "1..1"
			echo "not ok 1 - the S3 test server is required (CAIRN_TEST_REQUIRE_S3) but CAIRN_TEST_S3_ENDPOINT is not set"
			exit 1
		fi
		skip_all "no S3 test server (start one: tests/s3-server.sh start DIR; . DIR/env)"
	fi
}

test_done() {
	cd "$TRASH" || exit 99
	if [ -z "${CAIRN_TEST_RUN:-}" ]; then
		test_count=$((test_count + 1))
		if objects_ok "$TRASH" 2>"$TRASH/.fsck"; then
			echo "ok $test_count - every stored object matches its name"
		else
			test_failures=$((test_failures + 1))
			echo "not ok $test_count - every stored object matches its name"
			sed 's/^/#   /' "$TRASH/.fsck"
		fi
	fi
	echo "1..$test_count"
	if [ "$test_failures" -gt 0 ]; then
		echo "# $test_failures of $test_count failed; trash kept in $TRASH"
		exit 1
	fi
	cd /
	if [ -n "${CAIRN_TEST_KEEP:-}" ]; then
		echo "# trash kept in $TRASH"
	else
		chmod -R u+w "$TRASH" 2>/dev/null
		rm -rf "$TRASH"
	fi
	exit 0
}

# lock_hold MS PATH: start "cairn add PATH" in the background holding the
# repository lock for MS ms (the lock-held fault point); its pid goes to
# $TRASH/holder. Returns once the lock file names it (1 after 4 s).
lock_hold() {
	CAIRN_TEST_FAULT=lock-held:1:sleep=$1 cairn -q add "$2" >/dev/null 2>&1 &
	echo $! >"$TRASH/holder"
	for i in $(seq 1 200); do
		test "$(cat .cairn/tmp/lock 2>/dev/null)" = "$(cat "$TRASH/holder")" && return 0
		sleep 0.02
	done
	return 1
}
