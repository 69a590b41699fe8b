#!/bin/sh
# t2030-lock: commands that write take the repository lock (C36): a second
# writer waits up to core.lockTimeout seconds, then fails naming the
# holder's pid; a dead holder's lock is taken over at once; readers never
# wait. The first process holds the lock through the lock-held fault point.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1
echo one >f && echo two >g && cairn -q add f || exit 1

# hold MS: a cairn add of f holds the repository lock for MS ms (lib.sh lock_hold)
hold() { lock_hold "$1" f; }

expect_success 'a second writer gives up after core.lockTimeout, naming the holder' '
	hold 4000 && pid=$(cat "$TRASH/holder") &&
	must_fail --code=1 env CAIRN_CORE_LOCKTIMEOUT=1 cairn add g 2>err &&
	grep_q "^cairn: waiting for the lock held by pid $pid$" err &&
	grep_q "^cairn: error: another cairn process (pid $pid) holds the lock$" err &&
	grep_q "core.lockTimeout" err && path_is_missing g.cairn; rc=$?
	kill -9 $(cat "$TRASH/holder") 2>/dev/null; wait; exit $rc
'

expect_success 'readers do not wait for the lock' '
	hold 4000 && cairn status >out 2>err && grep_q "up to date" out && no_grep "waiting" err &&
	cairn fsck >/dev/null 2>err && no_grep "waiting" err; rc=$?
	kill -9 $(cat "$TRASH/holder") 2>/dev/null; wait; exit $rc
'

expect_success 'a writer that waits long enough gets the lock' '
	hold 1000 && CAIRN_CORE_LOCKTIMEOUT=30 cairn add g >out 2>err &&
	grep_q "waiting for the lock" err && path_is_file g.cairn; rc=$?
	wait; exit $rc
'

expect_success 'the lock of a killed process is taken over at once' '
	hold 10000 && kill -9 $(cat "$TRASH/holder") && wait;
	test "$(cat .cairn/tmp/lock)" = "$(cat "$TRASH/holder")" &&
	echo three >h && CAIRN_CORE_LOCKTIMEOUT=0 cairn add h 2>err && no_grep "waiting" err &&
	path_is_file h.cairn
'

expect_success 'the lock file is released and emptied after a command' '
	cairn -q add h && test ! -s .cairn/tmp/lock && flock -n .cairn/tmp/lock true
'

expect_success 'C36: eight adds at once all succeed; fsck is clean' '
	for i in 1 2 3 4 5 6 7 8; do echo "file $i" >p$i; done &&
	for i in 1 2 3 4 5 6 7 8; do (CAIRN_CORE_LOCKTIMEOUT=60 cairn -q add p$i; echo $? >rc$i) & done;
	wait && for i in 1 2 3 4 5 6 7 8; do test "$(cat rc$i)" = 0 && path_is_file p$i.cairn || exit 1; done &&
	for i in 1 2 3 4 5 6 7 8; do grep_q "^/p$i$" .gitignore || exit 1; done &&
	cairn fsck >/dev/null && cairn status >out && grep_q "up to date: 11" out &&
	find .cairn/cache/tmp -type f >left && test ! -s left
'

expect_success 'a bad core.lockTimeout is an error' '
	must_fail --code=1 env CAIRN_CORE_LOCKTIMEOUT=soon cairn add h 2>err &&
	grep_q "core.locktimeout\|core.lockTimeout" err
'

test_done
