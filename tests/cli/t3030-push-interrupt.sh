#!/bin/sh
# t3030-push-interrupt: scenario C05. A push killed with SIGKILL part-way
# (at a fixed point through CAIRN_TEST_FAULT=remote-put:N, the N-th MiB, and by a real
# kill -9 at whatever point it lands) never leaves a partial object under a
# final name; status --cloud does not count the cut object; the rerun
# completes and a pull into an empty cache restores identical bytes.
# SIGINT ends a push with exit 130 and no temp file.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store
objpath() {
	echo "$1/sha256/$(echo "$2" | cut -c1-2)/$(echo "$2" | cut -c3-)"
}

new_repo r && cd r
cairn remote add -d origin "$STORE" >/dev/null
head -c 24M /dev/urandom >big && mkdir small && for i in 1 2 3 4 5 6 7 8; do
	echo "small $i" >small/$i
done
cairn -q add big small
BIG=$(sha256 big)
sha256 big >big.sum

expect_success 'a push killed after 10 MB of the big file dies by SIGKILL' '
	rc=0 && CAIRN_TEST_FAULT=remote-put:18 cairn push -j 1 >out 2>&1 || rc=$?
	test $rc = 137
'

expect_success 'no partial object under its final name; the cut upload is a temp file' '
	objects_ok "$STORE" && path_is_missing "$(objpath "$STORE" $BIG)" &&
	ls "$STORE/tmp" | grep -q "^put-"
'

expect_success 'status --cloud still counts the cut object as to push' '
	must_fail --code=1 cairn status -c big >out && grep_q "^to push: big (1 object, 24.0 MiB)" out
'

expect_success 'the rerun completes; a pull into an empty cache gives the same bytes' '
	cairn push >out && grep_q "^pushed" out && cairn status -c >/dev/null &&
	test "$(sha256 "$(objpath "$STORE" $BIG)")" = $BIG &&
	rm -rf .cairn/cache big small && cairn pull >out && sha256 big >got &&
	cmp_expected big.sum got && test "$(cat small/3)" = "small 3"
'

expect_success 'real kill -9 at random points: the remote never holds a bad object' '
	for delay in 0.02 0.05 0.1 0.2; do
		rm -rf "$STORE"
		cairn push -j 2 >/dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		objects_ok "$STORE" || exit 1
		cairn push >/dev/null && cairn status -c >/dev/null || exit 1
	done
'

expect_success 'SIGINT stops a push with exit 130 and leaves no temp file' '
	rm -rf "$STORE" && mkdir -p "$STORE" &&
	cairn push -j 1 >/dev/null 2>err &
	pid=$!
	sleep 0.1
	kill -INT $pid 2>/dev/null || true
	rc=0 && wait $pid || rc=$?
	test $rc = 0 || test $rc = 130 &&
	objects_ok "$STORE" && test -z "$(ls "$STORE/tmp")" &&
	{ test $rc = 0 || grep_q "^cairn: error: interrupted" err; }
'

test_done
