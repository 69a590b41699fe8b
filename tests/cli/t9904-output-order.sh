#!/bin/sh
# t9904-output-order: with stdout and stderr going to the same file (a log,
# a CI job, the demo), every "cairn: hint:" and "cairn: ..." note on stderr
# follows the results printed before it. cairn init printed its hint before
# "initialised cairn in ...": stdout was still in its buffer. Found by the
# end-to-end demo (examples/demo.sh), which shows each command's output.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

mkdir r && cd r && git init -q

expect_success 'init: the result line, then the hint' '
	cairn init >../log 2>&1 &&
	sed -n 1p ../log | grep -q "^initialised cairn in " &&
	sed -n 2p ../log | grep -q "^cairn: hint: record it in git"
'

expect_success 'add: every added line, then the hint' '
	echo a >a && echo b >b && cairn add a b >../log 2>&1 &&
	printf "added a (2 B)\nadded b (2 B)\n" >want && sed -n 1,2p ../log >got && cmp_expected want got &&
	sed -n 3p ../log | grep -q "^cairn: hint: record the change in git"
'

expect_success 'repro: the stage lines, then the hint' '
	cairn stage add -n s -d a -o out "cat a >out" >/dev/null &&
	cairn repro >../log 2>&1 && tail -n 1 ../log | grep -q "^cairn: hint: record the run in git" &&
	sed -n 1p ../log | grep -q "^running stage .s."
'

expect_success 'reproduce --keep: the verdicts, then where the run is kept' '
	git add -A && git commit -qm one &&
	cairn reproduce --keep >../log 2>&1 &&
	grep -n "^identical out (stage s)$" ../log | cut -d: -f1 >a &&
	grep -n "^cairn: the run is kept in " ../log | cut -d: -f1 >b &&
	test -s a && test -s b && test "$(cat a)" -lt "$(cat b)" &&
	git worktree remove --force "$(sed -n "s/^cairn: the run is kept in //p" ../log)"
'

expect_success 'a credential note goes to stderr, nothing to stdout' '
	cairn remote add s3 s3://bucket/p &&
	cairn remote modify s3 access_key_id KEY >../out 2>../err && test ! -s ../out &&
	grep_q "^cairn: .access_key_id. is a credential: written to .cairn/config.local$" ../err
'

test_done
