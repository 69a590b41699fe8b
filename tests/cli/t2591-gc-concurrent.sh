#!/bin/sh
# t2591-gc-concurrent: gc against commands adding objects at the same time
# from another work tree of the same repository, which has its own
# repository lock but shares the cache. Writers hold the cache lock shared
# from before their first object until their pointers are written; gc holds
# it exclusively from reading its roots to the end of the sweep. So even with
# gc.grace = 0 an object added but not yet named is never taken, and a
# writer waits for a gc (or fails after core.lockTimeout, saying why).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r && echo base >b && cairn add -q b && git add -A && git commit -qm base &&
git worktree add -q ../wt2 && (cd ../wt2 && cairn checkout -q) || exit 1

obj() {
	id=$(printf '%s\n' "$1" | sha256sum | cut -c1-64)
	echo "$TRASH/r/.cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)"
}

# wait_for FILE: until it exists (bounded)
wait_for() {
	for i in $(seq 1 250); do test -e "$1" && return 0; sleep 0.02; done
	echo "never appeared: $1"; return 1
}

expect_success 'an object added but not yet named survives a gc with gc.grace 0' '
	(cd ../wt2 && echo fresh >f &&
	 CAIRN_TEST_FAULT=add-pointer:1:sleep=3000 cairn -q add f; echo $? >"$TRASH/add.rc") &
	wait_for "$(obj fresh)" && path_is_missing ../wt2/f.cairn &&
	CAIRN_GC_GRACE=0 CAIRN_CORE_LOCKTIMEOUT=30 cairn gc -w >out 2>err; rc=$?; wait
	path_is_file "$(obj fresh)" && test $rc = 0 && test "$(cat "$TRASH/add.rc")" = 0 &&
	grep_q "waiting for the cache lock held by other cairn processes" err &&
	path_is_file ../wt2/f.cairn &&
	(cd ../wt2 && cairn status >st && grep_q "up to date" st)
'

expect_success 'a gc that cannot get the cache says who holds it' '
	(cd ../wt2 && echo fresh2 >f2 && CAIRN_TEST_FAULT=add-pointer:1:sleep=3000 cairn -q add f2) &
	wait_for "$(obj fresh2)" && rc=0 &&
	{ CAIRN_GC_GRACE=0 CAIRN_CORE_LOCKTIMEOUT=0 cairn gc -w 2>err || rc=$?; }; wait
	test $rc = 1 && path_is_file "$(obj fresh2)" &&
	grep_q "^cairn: error: cache .*: another cairn process holds the lock" err &&
	grep_q "^cairn: hint: other cairn commands are adding objects to it" err
'

expect_success 'a writer waits for a running gc, or says that gc holds the cache' '
	(CAIRN_GC_GRACE=0 CAIRN_TEST_FAULT=gc-sweep:1:sleep=3000 cairn gc -q -w; echo $? >"$TRASH/gc.rc") &
	for i in $(seq 1 250); do test -s .cairn/cache/lock && break; sleep 0.02; done &&
	(cd ../wt2 && echo w1 >w1 && rc=0 && { CAIRN_CORE_LOCKTIMEOUT=0 cairn add w1 2>"$TRASH/err" || rc=$?; } &&
	 test $rc = 1) &&
	grep_q "^cairn: error: cache .*: another cairn process (pid [0-9]*) holds the lock" "$TRASH/err" &&
	grep_q "^cairn: hint: cairn gc is collecting it" "$TRASH/err" &&
	(cd ../wt2 && CAIRN_CORE_LOCKTIMEOUT=30 cairn add w1 2>"$TRASH/err") && wait &&
	test "$(cat "$TRASH/gc.rc")" = 0 && grep_q "waiting for the cache lock held by pid" "$TRASH/err" &&
	path_is_file "$(obj w1)"
'

expect_success 'readers take no cache lock: status and diff run during a gc' '
	(CAIRN_GC_GRACE=0 CAIRN_TEST_FAULT=gc-sweep:1:sleep=2000 cairn gc -q -w) &
	for i in $(seq 1 250); do test -s .cairn/cache/lock && break; sleep 0.02; done &&
	(cd ../wt2 && CAIRN_CORE_LOCKTIMEOUT=0 cairn status >/dev/null && CAIRN_CORE_LOCKTIMEOUT=0 cairn diff >/dev/null); rc=$?; wait
	test $rc = 0
'

test_done
