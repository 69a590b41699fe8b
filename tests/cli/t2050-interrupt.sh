#!/bin/sh
# t2050-interrupt: Ctrl-C (SIGINT) stops cairn with exit 130 (SIGTERM:
# 143), leaving no partial object, no temp file and no held lock; a rerun
# completes. The interrupt comes from CAIRN_TEST_FAULT (POINT:N:int) at a
# known moment, then from a real signal at a random one.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1
mkdir -p d/sub
for i in $(seq 1 40); do printf 'small file %s\n' "$i" >d/f$i; done
head -c 9000000 /dev/urandom >d/sub/big
cp -r d d.orig

clean_after() { # no temp files, no pointer, the lock free and empty
	find .cairn/cache/tmp -type f >tmps 2>/dev/null; test ! -s tmps &&
	objects_ok .cairn/cache && test ! -s .cairn/tmp/lock && flock -n .cairn/tmp/lock true
}

expect_success 'interrupted while copying small files: exit 130, nothing left' '
	must_fail --code=130 env CAIRN_TEST_FAULT=cache-write:5:int cairn add d 2>err &&
	grep_q "^cairn: error: interrupted$" err && path_is_missing d.cairn && clean_after
'

expect_success 'interrupted inside a big file: exit 130, nothing left' '
	must_fail --code=130 env CAIRN_TEST_FAULT=cache-write:44:int cairn add d 2>err &&
	path_is_missing d.cairn && clean_after
'

expect_success 'interrupted after the copies, before the pointer: exit 130' '
	rm -rf .cairn/cache &&
	must_fail --code=130 env CAIRN_TEST_FAULT=cache-finish:41:int cairn add d &&
	path_is_missing d.cairn && clean_after
'

expect_success 'a second Ctrl-C stops at once, still leaving no temp file of hundreds' '
	mkdir many && for i in $(seq 1 600); do echo "n$i" >many/f$i; done &&
	must_fail --code=130 env CAIRN_TEST_FAULT=cache-finish:500:int2 cairn add many &&
	path_is_missing many.cairn && find .cairn/cache/tmp -type f >tmps && test ! -s tmps &&
	objects_ok .cairn/cache && rm -rf many
'

expect_success 'SIGTERM (kill, a CI timeout) stops the same way with 143 = 128 + 15' '
	must_fail --code=143 env CAIRN_TEST_FAULT=cache-write:5:term cairn add d 2>err &&
	grep_q "^cairn: error: interrupted$" err && path_is_missing d.cairn && clean_after
'

expect_success 'a rerun after an interrupt completes' '
	cairn -q add d && cairn status d >st && grep_q "up to date" st && clean_after
'

expect_success 'interrupted checkout: exit 130, every placed file whole, rerun completes' '
	rm -rf d && must_fail --code=130 env CAIRN_TEST_FAULT=checkout-file:10:int cairn checkout d &&
	for f in d/f* d/sub/*; do test -e "$f" || continue; cmp "$f" "d.orig/${f#d/}" || exit 1; done &&
	ls .cairn/tmp >tmpls && no_grep "^co-" tmpls && test ! -s .cairn/tmp/lock &&
	cairn -q checkout d && diff -r d d.orig
'

expect_success 'interrupted while waiting for the lock: exit 130 at once' '
	( CAIRN_TEST_FAULT=lock-held:1:sleep=5000 cairn -q add d >/dev/null 2>&1 & echo $! >holder; wait ) &
	for i in $(seq 1 200); do test -s .cairn/tmp/lock && break; sleep 0.02; done &&
	( CAIRN_CORE_LOCKTIMEOUT=30 cairn add d >/dev/null 2>err & echo $! >waiter; wait $! && echo 0 >rc || echo $? >rc ) &
	for i in $(seq 1 200); do grep -q waiting err 2>/dev/null && break; sleep 0.02; done &&
	kill -INT $(cat waiter) && for i in $(seq 1 200); do test -s rc && break; sleep 0.02; done &&
	test "$(cat rc)" = 130; rc=$?
	kill -9 $(cat holder) 2>/dev/null; wait; exit $rc
'

expect_success 'a real Ctrl-C at a random moment: 0 or 130, never a partial object' '
	for delay in 0.02 0.05 0.1; do
		rm -rf .cairn/cache d.cairn .cairn/tmp/state*
		cairn -q add d >/dev/null 2>&1 & pid=$!
		sleep $delay; kill -INT $pid 2>/dev/null; wait $pid && rc=0 || rc=$?
		test $rc = 0 || test $rc = 130 || { echo "exit $rc"; exit 1; }
		test $rc = 0 || path_is_missing d.cairn || exit 1
		clean_after || exit 1
	done && cairn -q add d
'

test_done
