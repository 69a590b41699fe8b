#!/bin/sh
# t4090-repro-hand-edits: repro never overwrites an output changed by hand
# since its stage's last run (content in neither cairn.lock nor the cache)
# without --force; outputs a failed or interrupted run left behind, and
# outputs whose content the cache holds, are not protected.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

echo 1 >in
cairn stage add -n gen -d in -o out.txt -o dir 'cat in >out.txt; mkdir -p dir; cat in >dir/a' >/dev/null
cairn repro -q

expect_success 'a hand-edited output file is refused, named, and left alone' '
	cp cairn.lock lock.before && echo "my edit" >out.txt && echo 2 >in &&
	must_fail --code=1 cairn repro >out 2>err &&
	grep_q "stage .gen. would overwrite an output changed since its last run: .out.txt." err &&
	grep_q "use --force" err && no_grep "running stage" out &&
	grep_q "my edit" out.txt && cmp_expected lock.before cairn.lock
'

expect_success 'so is a file added by hand to an output folder' '
	echo 1 >in && cairn checkout -q -f out.txt && cairn status >st && no_grep "out.txt" st &&
	echo mine >dir/extra && echo 3 >in && must_fail cairn repro 2>err &&
	grep_q "changed since its last run: .dir." err && path_is_file dir/extra
'

expect_success 'several at once are all named' '
	echo "my edit" >out.txt && must_fail cairn repro 2>err &&
	grep_q "outputs changed since its last run: .out.txt., .dir." err
'

expect_success '--force runs the stage over them' '
	cairn repro --force >out && grep_q "running stage .gen." out &&
	echo 3 >want && cmp_expected want out.txt && path_is_missing dir/extra
'

expect_success 'an output whose content is in the cache is not protected' '
	cp out.txt keep && echo 4 >in && cairn repro -q && chmod u+w out.txt && cp keep out.txt &&
	echo 5 >in && cairn repro >out && grep_q "running stage .gen." out &&
	echo 5 >want && cmp_expected want out.txt
'

expect_success 'partial outputs of a failed run do not block the next run' '
	cairn stage add -f -n gen -d in -o out.txt -o dir "echo partial >out.txt; exit 3" >/dev/null &&
	must_fail cairn repro 2>err && grep_q "exit code 3" err && grep_q partial out.txt &&
	cairn stage add -f -n gen -d in -o out.txt -o dir "cat in >out.txt; mkdir -p dir; cat in >dir/a" >/dev/null &&
	cairn repro >out && grep_q "running stage .gen." out && echo 5 >want && cmp_expected want out.txt &&
	cairn status >st && grep_q "up to date" st
'

expect_success 'nor do those of an interrupted run (SIGINT)' '
	cairn stage add -f -n gen -d in -o out.txt -o dir "echo half >out.txt; echo \$\$ >pid; sleep 30" >/dev/null &&
	(cairn repro >/dev/null 2>&1 & echo $! >cairn.pid; wait) &
	i=0; while [ ! -s pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done &&
	kill -INT $(cat cairn.pid) && wait; grep_q half out.txt &&
	cairn stage add -f -n gen -d in -o out.txt -o dir "cat in >out.txt; mkdir -p dir; cat in >dir/a" >/dev/null &&
	cairn repro >out && grep_q "running stage .gen." out && echo 5 >want && cmp_expected want out.txt
'

test_done
