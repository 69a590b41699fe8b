#!/bin/sh
# t5093-exp-concurrent: two `cairn exp run` of the same name on the same
# baseline, from two linked worktrees of one repository (or one), do not
# both report success while one silently replaces the other: the second is
# refused while the first runs, records nothing and leaves the first's log
# alone. A run killed with SIGKILL leaves no claim behind (C19).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo a && cd a
printf 'lr: 1\n' >params.yaml
# waits (bounded) for $TRASH/go when it exists as $TRASH/hold
cairn stage add -n train -p lr -o model -m metrics.json \
	"if [ -e $TRASH/hold ]; then echo started >$TRASH/started; i=0; while [ ! -e $TRASH/go ] && [ \$i -lt 400 ]; do sleep 0.05; i=\$((i+1)); done; fi; grep lr params.yaml >model; echo '{\"acc\": 1}' >metrics.json" >/dev/null
cairn repro -q && git add -A && git commit -qm base
git worktree add -q ../b
cd "$TRASH"

wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; test -e "$1"; }

expect_success 'the same name from another worktree while it runs: refused, nothing lost' '
	rm -f hold go started && touch hold
	(cd b && cairn exp run -q -n same -S lr=7 >../b.out 2>&1; echo $? >../b.rc) &
	wait_for started && cd a &&
	must_fail --code=1 cairn exp run -q -n same -S lr=2 2>err &&
	grep_q "experiment .same. is already running" err &&
	touch ../go && wait_for ../b.rc && test "$(cat ../b.rc)" = 0 &&
	cairn exp show >show && grep_q "^same  *[0-9a-f]\{7\}  *done  *7 " show && no_grep failed show &&
	git for-each-ref refs/cairn/exps >refs && test $(wc -l <refs) = 1
'

expect_success 'a run killed with SIGKILL leaves no claim: the name can run again' '
	rm -f hold go started b.rc && touch hold && cd a
	(cairn exp run -q -n again -S lr=3 >/dev/null 2>&1 & echo $! >../pid; wait) &
	wait_for ../started && kill -9 $(cat ../pid) && sleep 0.5 && touch ../go && sleep 0.5 &&
	rm -f ../hold && cairn exp run -q -n again -S lr=3 && cairn exp show >show &&
	grep_q "^again  *[0-9a-f]\{7\}  *done  *3 " show
'

test_done
