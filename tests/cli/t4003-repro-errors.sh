#!/bin/sh
# t4003-repro-errors: failures of repro change nothing they should not: a
# failing command (exit code reported, cairn.lock not updated, partial
# outputs not cached), C35 (a declared output not created), a stage killed
# by SIGKILL, cairn itself killed by SIGKILL or interrupted (exit 130),
# outputs already tracked by git or by a pointer file, C20 (merge conflict
# markers in cairn.lock), and C36's repro part (two repro processes at once
# wait for the lock and lose no update).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

in_cache() {
	sha=$(printf "$1" | sha256sum | cut -c1-64)
	test -f ".cairn/cache/sha256/$(echo "$sha" | cut -c1-2)/$(echo "$sha" | cut -c3-)"
}

expect_success 'a failing command: exit code reported, lock untouched, partial output not cached' '
	cairn stage add -n ok -o ok.out "echo fine >ok.out" >/dev/null &&
	cairn stage add -n s -d ok.out -o s.out "echo partial > s.out; exit 3" >/dev/null &&
	must_fail cairn repro 2>err && grep_q "stage .s. failed with exit code 3" err &&
	grep_q "^  ok:" cairn.lock && no_grep "^  s:" cairn.lock &&
	! in_cache "partial\n" && in_cache "fine\n" &&
	cairn status >st && grep_q "stage s: changed" st && grep_q "never run" st
'

expect_success 'after the fix the stage runs normally' '
	sed -i "s/exit 3/exit 0/" cairn.yaml && cairn repro >out &&
	grep_q "running stage .s." out && grep_q "^  s:" cairn.lock && in_cache "partial\n"
'

expect_success 'C35: a command that does not create its output is an error naming both' '
	cairn stage add -n c35 -o out.txt "true" >/dev/null && cp cairn.lock lock.before &&
	must_fail cairn repro c35 2>err &&
	grep_q "stage .c35. did not create its output .out.txt." err && test $(wc -l <err) -le 2 &&
	cmp_expected lock.before cairn.lock &&
	cairn status >st && grep_q "stage c35: changed" st &&
	cairn stage add -f -n c35 -o out.txt "echo x >out.txt" >/dev/null && cairn repro c35 >/dev/null &&
	grep_q "^  c35:" cairn.lock
'

expect_success 'a stage killed by SIGKILL fails with the signal; nothing recorded' '
	cairn stage add -n k -o k.out "echo half >k.out; kill -9 \$\$" >/dev/null &&
	cp cairn.lock lock.before &&
	must_fail cairn repro k 2>err && grep_q "stage .k. failed with signal 9" err &&
	cmp_expected lock.before cairn.lock && ! in_cache "half\n"
'

expect_success 'cairn killed by SIGKILL mid-run: nothing recorded, the next run repairs' '
	cairn stage add -f -n k -o k.out "echo \$\$ >k.pid; echo half >k.out; sleep 30; echo whole >k.out" >/dev/null &&
	cp cairn.lock lock.before &&
	(cairn repro k >/dev/null 2>&1 & echo $! >cairn.pid; wait) &
	i=0; while [ ! -s k.pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done &&
	kill -9 $(cat cairn.pid) && sleep 0.2 && kill -9 -$(cat k.pid) 2>/dev/null; wait
	cmp_expected lock.before cairn.lock && ! in_cache "half\n" &&
	cairn stage add -f -n k -o k.out "echo whole >k.out" >/dev/null &&
	cairn repro k >/dev/null && grep_q "^  k:" cairn.lock &&
	find .cairn -name "*.tmp*" >tmps && test ! -s tmps
'

expect_success 'an interrupted repro stops the command, exits 130 and records nothing' '
	rm -f k.pid && cairn stage add -f -n k -o k.out "echo \$\$ >k.pid; echo half >k.out; sleep 30" >/dev/null &&
	cp cairn.lock lock.before || exit 1
	cairn repro k >/dev/null 2>err & pid=$!
	i=0; while [ ! -s k.pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
	kill -INT $pid; rc=0; wait $pid || rc=$?
	test $rc = 130 && grep_q "interrupted" err &&
	! kill -0 $(cat k.pid) 2>/dev/null &&
	cmp_expected lock.before cairn.lock && ! in_cache "half\n"
'

expect_success 'outputs tracked by git or by a pointer file are refused before running' '
	echo g >g.out && git add g.out && cairn stage add -n g -o g.out "touch ran; echo g >g.out" >/dev/null &&
	must_fail cairn repro g 2>err && grep_q "output .g.out. of stage .g. is tracked by git" err &&
	path_is_missing ran && git rm -q --cached g.out && rm g.out &&
	echo p >p.out && cairn add -q p.out &&
	cairn stage add -n p -o p.out "touch ran; echo p >p.out" >/dev/null &&
	must_fail cairn repro p 2>err && grep_q "output .p.out. of stage .p. is also tracked by .p.out.cairn." err &&
	path_is_missing ran
'

new_repo c20 && cd c20

expect_success 'C20: conflict markers in cairn.lock stop every command that reads it' '
	echo 0 >base && cairn stage add -n s -d base -o s.out "cat base >s.out" >/dev/null &&
	cairn stage add -n t -d base -o t.out "cat base >t.out" >/dev/null &&
	cairn repro >/dev/null && git add -A && git commit -qm base &&
	git checkout -qb a && echo 1 >base && cairn repro >/dev/null && git add -A && git commit -qm a &&
	git checkout -q main && git checkout -qb b && echo 2 >base &&
	cairn repro >/dev/null && git add -A && git commit -qm b &&
	! git merge -q a >/dev/null 2>&1 && grep_q "^<<<<<<<" cairn.lock && cp cairn.lock ../conflicted &&
	for c in status repro checkout; do
		must_fail cairn $c 2>err &&
		grep_q "cairn.lock. contains merge conflict markers" err || exit 1
	done &&
	cmp_expected ../conflicted cairn.lock
'

expect_success 'C20: conflict markers in cairn.yaml are named the same way' '
	cp cairn.yaml ../good.yaml &&
	printf "<<<<<<< HEAD\nstages: {}\n=======\n>>>>>>> a\n" >cairn.yaml &&
	must_fail cairn dag 2>err && grep_q "cairn.yaml. contains merge conflict markers" err &&
	cp ../good.yaml cairn.yaml
'

expect_success 'C20: with the data resolved, repro rebuilds the lock from the run cache' '
	echo 1 >base && git checkout -q --theirs cairn.lock &&
	cairn repro >out && no_grep "running" out &&
	cairn status >st && no_grep "stage" st && no_grep "<<<<" cairn.lock &&
	echo 3 >base && rm cairn.lock && cairn repro >out && grep_q "running stage .s." out &&
	grep_q "running stage .t." out && grep_q "^  t:" cairn.lock
'

new_repo c36 && cd c36

expect_success 'C36: two repro processes at once both succeed, and the lock has both stages' '
	echo in >dep.txt && cairn add -q dep.txt &&
	cairn stage add -n a -d dep.txt -o a.out "sleep 1; cat dep.txt >a.out" >/dev/null &&
	cairn stage add -n b -d dep.txt -o b.out "sleep 1; cat dep.txt >b.out" >/dev/null || exit 1
	cairn repro a >la 2>&1 & pa=$!
	cairn repro b >lb 2>&1 & pb=$!
	ra=0; rb=0; wait $pa || ra=$?; wait $pb || rb=$?
	test $ra = 0 && test $rb = 0 && grep_q "^  a:" cairn.lock && grep_q "^  b:" cairn.lock &&
	path_is_file a.out && path_is_file b.out && cairn status >st && no_grep stage st
'

test_done
