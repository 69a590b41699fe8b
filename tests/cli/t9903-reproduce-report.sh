#!/bin/sh
# t9903-reproduce-report: what cairn reproduce says. It no longer passes on
# the run's "cairn: hint: record the run in git: git add cairn.lock" (meant for
# a work tree the user commits in, not the temporary worktree), and a pipeline
# that fails half-way never lists a stage that did not run as "identical"
# (its record compared with itself): it is "missing". Every stage runs
# "(forced)", not "(never run)". Found by the end-to-end demo (examples/demo.sh).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
echo raw >raw.txt && cairn add -q raw.txt
cat >cairn.yaml <<EOT
stages:
  first:
    cmd: cat raw.txt >first.out
    deps: [raw.txt]
    outs: [first.out]
  second:
    cmd: test ! -e $TRASH/break && cat first.out first.out >second.out
    deps: [first.out]
    outs: [second.out]
EOT
cairn repro -q && git add -A && git commit -qm one || exit 1

expect_success 'identical: the verdicts and the run, without a hint to git add' '
	cairn reproduce >../out 2>../err &&
	grep_q "^identical first.out (stage first)$" ../out &&
	grep_q "^identical second.out (stage second)$" ../out &&
	grep_q "^reproduced [0-9a-f]\{7\}: all 2 outputs identical$" ../out &&
	grep_q "running stage .first. (forced)" ../err &&
	! grep "cairn: hint" ../err
'

expect_success 'repro in the user work tree still gives the hint' '
	cairn repro --force >../out 2>../err && grep_q "^cairn: hint: record the run in git" ../err &&
	git checkout -q -- cairn.lock
'

expect_success 'a pipeline failing half-way: what ran is compared, what did not is missing, exit 1' '
	: >"$TRASH/break" && must_fail cairn reproduce >../out 2>../err; rc=$?; rm -f "$TRASH/break" && test $rc = 0 &&
	grep_q "^identical first.out (stage first)$" ../out &&
	grep_q "^missing *second.out (stage second)$" ../out &&
	! grep_q "^identical second.out" ../out &&
	grep_q "did not run to its end" ../err && ! grep "cairn: hint" ../err &&
	test -z "$(ls .cairn/tmp/wt)"
'

test_done
