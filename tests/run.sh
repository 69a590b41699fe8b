#!/bin/sh
# tests/run.sh: the README's second command: run the whole test suite of the
# build in BUILDDIR (default _build, made by quickstart.sh) with the local S3
# test server started for it when its packages are installed, and end with one
# line "N passed, N failed". Exit 0 only when nothing failed.
#   CAIRN_TEST_REQUIRE_S3=1   fail (not skip) the S3 tests when no server starts
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
build=${1:-_build}
[ -f "$build/Makefile" ] || { echo "tests/run.sh: no build in '$build' (run ./quickstart.sh first)" >&2; exit 2; }
build=$(cd "$build" && pwd)

s3dir=
cleanup() { [ -n "$s3dir" ] && sh "$src/tests/s3-server.sh" stop "$s3dir" >/dev/null 2>&1; [ -n "$s3dir" ] && rm -rf "$s3dir"; }
trap cleanup EXIT INT TERM
if [ -z "${CAIRN_TEST_S3_ENDPOINT:-}" ] && command -v swift-proxy-server >/dev/null 2>&1; then
	s3dir=$(mktemp -d /tmp/cairn-s3.XXXXXX)
	if sh tests/s3-server.sh start "$s3dir"; then
		. "$s3dir/env"
		export CAIRN_TEST_S3_ENDPOINT CAIRN_TEST_S3_ACCESS_KEY CAIRN_TEST_S3_SECRET_KEY \
			CAIRN_TEST_S3_REGION CAIRN_TEST_S3_AWS_CONFIG
	else
		echo "tests/run.sh: the S3 test server did not start; S3 tests will skip" >&2
	fi
fi

make -C "$build" -j"$(nproc)" check >"$build/check.out" 2>&1
rc=$?
grep -E '^(FAIL|ERROR|XPASS)' "$build/check.out" || true
log="$build/test-suite.log"
num() { sed -n "s/^# $1: *\([0-9]*\)$/\1/p" "$log" | head -n 1; }
if [ ! -f "$log" ]; then
	tail -n 40 "$build/check.out"
	echo "0 passed, 1 failed"
	exit 1
fi
pass=$(num PASS) fail=$(num FAIL) err=$(num ERROR) xpass=$(num XPASS) skip=$(num SKIP)
failed=$(( ${fail:-0} + ${err:-0} + ${xpass:-0} ))
[ $rc != 0 ] && [ $failed = 0 ] && failed=1
echo "(${skip:-0} skipped; details in $log)"
echo "${pass:-0} passed, $failed failed"
[ "$failed" = 0 ]
