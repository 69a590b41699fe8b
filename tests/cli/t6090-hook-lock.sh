#!/bin/sh
# t6090-hook-lock: hooks and the repository lock. A cairn command that holds
# the lock and runs git (a stage command committing, checking out) does not
# wait for itself in the hooks git runs: CAIRN_LOCK_HELD names the lock for
# its descendants. The read-only hooks (pre-commit, pre-push) take no lock,
# so a commit or push is not stopped by another cairn process writing; the
# checkout hooks still wait for another holder, and a CAIRN_LOCK_HELD that
# no ancestor backs opens nothing.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

git init -q --bare remote.git
git init -q r && cd r && cairn init -q && cairn install -q &&
git remote add origin ../remote.git && cairn remote add -q -d store "$TRASH/store" &&
echo one >f && cairn add -q f && git add -A && git commit -qm one || exit 1

# hold MS: a cairn add of f holds the repository lock for MS ms (lib.sh lock_hold)
hold() { lock_hold "$1" f; }

expect_success 'a stage command that runs git commit does not wait for its own repro' '
	cat >cairn.yaml <<-\EOF &&
	stages:
	  s:
	    cmd: git commit -q --allow-empty -m inner && git checkout -q -b inner && git checkout -q main && echo done >out
	    outs: [out]
	EOF
	start=$(date +%s) && CAIRN_CORE_LOCKTIMEOUT=30 cairn repro >out.txt 2>err &&
	test $(($(date +%s) - start)) -lt 20 && no_grep "waiting for the lock" err &&
	git log --format=%s -1 main >log && echo inner >want && cmp_expected want log &&
	path_is_file out
'

expect_success 'pre-commit takes no lock: a commit goes through while another cairn writes' '
	git add -A && git commit -qm stage && echo two >g && cairn -q add g && git add -A &&
	hold 6000 && rc=0 && { CAIRN_CORE_LOCKTIMEOUT=1 git commit -qm two 2>err || rc=$?; }
	kill -9 $(cat "$TRASH/holder") 2>/dev/null; wait
	test $rc = 0 && no_grep "lock" err && git log -1 --format=%s >log &&
	echo two >want && cmp_expected want log
'

expect_success 'pre-push takes no lock: a push with data goes through while another cairn writes' '
	hold 6000 && rc=0 && { CAIRN_CORE_LOCKTIMEOUT=1 git push -q origin main 2>err || rc=$?; }
	kill -9 $(cat "$TRASH/holder") 2>/dev/null; wait
	test $rc = 0 && no_grep "lock" err && ls "$TRASH/store/sha256" >/dev/null
'

expect_success 'post-checkout still waits for another holder (git checkout exits with its status)' '
	hold 6000 && rc=0 && { CAIRN_CORE_LOCKTIMEOUT=1 git checkout -q -b other 2>err || rc=$?; }
	kill -9 $(cat "$TRASH/holder") 2>/dev/null; wait; git checkout -q main
	test $rc = 1 && grep_q "another cairn process (pid [0-9]*) holds the lock" err
'

expect_success 'CAIRN_LOCK_HELD without a holding ancestor does not open the lock' '
	hold 6000 && echo three >h && rc=0 &&
	{ CAIRN_LOCK_HELD="$PWD/.cairn/tmp/lock" CAIRN_CORE_LOCKTIMEOUT=1 cairn add h 2>err || rc=$?; }
	kill -9 $(cat "$TRASH/holder") 2>/dev/null; wait
	test $rc = 1 && grep_q "holds the lock" err && path_is_missing h.cairn
'

expect_success 'a stage command sees the lock it runs under in CAIRN_LOCK_HELD' '
	cat >cairn.yaml <<-\EOF &&
	stages:
	  s:
	    cmd: echo "$CAIRN_LOCK_HELD" >held
	    outs: [held]
	EOF
	rm -f cairn.lock && cairn -q repro && echo "$PWD/.cairn/tmp/lock" >want && cmp_expected want held
'

test_done
