#!/bin/sh
# t3080-remote-concurrent: two clones pushing to one local remote at the
# same time (both succeed, nothing is corrupt, a third clone pulls it all);
# two pushes of one clone at once (push takes no lock); a fetch killed with
# SIGKILL or interrupted with SIGINT part-way, then run again (exit 130 for
# SIGINT, nothing half-written in the cache, the rerun completes); a push
# interrupted with SIGINT (no temp file left on the remote). The points
# come from CAIRN_TEST_FAULT=remote-get:N and remote-put:N (the N-th MiB).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

new_repo a && cd a
cairn remote add -d origin "$STORE" >/dev/null
mkdir many && i=0 && while [ $i -lt 300 ]; do echo "file $i" >many/$i; i=$((i + 1)); done
head -c 24000000 /dev/urandom >big
cairn -q add many big
git add -A && git commit -qm v1
cd "$TRASH"
git clone -q a b
rm -rf b/.cairn/cache && cp -R a/.cairn/cache b/.cairn/cache
(cd b && echo b-only >bfile && cairn -q add bfile && git add -A && git commit -qm b)

expect_success 'two clones push the same data to one remote at once' '
	(cd a && { cairn push >../pa 2>&1 || echo $? >../ra; }) &
	(cd b && { cairn push >../pb 2>&1 || echo $? >../rb; }) &
	wait &&
	path_is_missing ra && path_is_missing rb && grep_q "^pushed" pa && grep_q "^pushed" pb &&
	test -z "$(ls "$STORE/tmp")" && objects_ok "$STORE" &&
	(cd a && cairn status -c >../out) && grep_q "^up to date" out &&
	git clone -q b c && cd c && cairn pull >/dev/null && cmp ../a/big big && diff -r ../a/many many &&
	cmp ../b/bfile bfile
'

expect_success 'two pushes of one clone at once both succeed' '
	cd a && echo more >more && cairn -q add more
	{ cairn push >../p1 2>&1 || echo $? >../r1; } &
	{ cairn push >../p2 2>&1 || echo $? >../r2; } &
	wait && path_is_missing ../r1 && path_is_missing ../r2 &&
	cairn status -c >out && grep_q "^up to date" out
'

expect_success 'a fetch killed with SIGKILL part-way: the rerun completes' '
	git clone -q a k && cd k
	rc=0 && CAIRN_TEST_FAULT=remote-get:12 cairn fetch -j 1 >out 2>&1 || rc=$?
	test $rc = 137 && objects_ok .cairn/cache &&
	cairn fetch >out && grep_q "^fetched" out && cairn pull >out && cmp ../a/big big &&
	diff -r ../a/many many && cairn status >out && grep_q "^up to date" out
'

expect_success 'a fetch interrupted with SIGINT: exit 130, no temp file, the rerun completes' '
	git clone -q a i && cd i
	rc=0 && CAIRN_TEST_FAULT=remote-get:12:int cairn fetch -j 1 >out 2>err || rc=$?
	test $rc = 130 && grep_q "^cairn: error: interrupted$" err &&
	test -z "$(find .cairn/cache/tmp -type f)" && objects_ok .cairn/cache &&
	cairn pull >out && cmp ../a/big big && diff -r ../a/many many
'

expect_success 'a pull interrupted with SIGINT leaves the workspace as it was' '
	git clone -q a p && cd p && echo keep >many && mkdir -p x
	rc=0 && CAIRN_TEST_FAULT=remote-get:12:int cairn pull -j 1 >out 2>err || rc=$?
	test $rc = 130 && echo keep >want && cmp want many && path_is_missing big
'

expect_success 'a push interrupted with SIGINT leaves no temp file on the remote; the rerun completes' '
	cd a && head -c 24000000 /dev/urandom >big2 && cairn -q add big2
	rc=0 && CAIRN_TEST_FAULT=remote-put:12:int cairn push -j 1 >out 2>err || rc=$?
	test $rc = 130 && grep_q "^cairn: error: interrupted$" err &&
	test -z "$(ls "$STORE/tmp")" && objects_ok "$STORE" &&
	must_fail --code=1 cairn status -c >out && grep_q "^to push: big2" out &&
	cairn push >out && grep_q "^pushed 1 object" out &&
	cairn status -c >out && grep_q "^up to date" out
'

test_done
