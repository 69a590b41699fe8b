#!/bin/sh
# t5000-exp: cairn exp run|show|apply|branch|remove: experiments in their
# own worktrees (the workspace untouched), recorded as commits under
# refs/cairn/exps/<baseline>/<name>; several at once with -j; C19 (a failed
# experiment leaves no running state, no worktree and no cached partial
# output, keeps its log, and the next run works); interruption; refusals.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
cat >gen.sh <<'EOT'
n=$(sed -n 's/^size: //p' params.yaml)
if [ -n "${PARDIR:-}" ]; then
	touch "$PARDIR/$n"; i=0
	while [ $(ls "$PARDIR" | wc -l) -lt 2 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
	test $(ls "$PARDIR" | wc -l) -ge 2
fi
head -c "$n" /dev/zero | tr '\0' x >out.txt
printf '{"size": %s}\n' "$n" >m.json
EOT
printf 'size: 3\nother: a\n' >params.yaml
cairn stage add -n gen -d gen.sh -p size -o out.txt -m m.json "sh gen.sh" >/dev/null
cairn repro -q && git add -A && git commit -qm base
BASE=$(git rev-parse --short=7 HEAD)

expect_success 'exp run records a commit on the baseline; the workspace is untouched' '
	cairn exp run -n five -S size=5 >../out && grep_q "experiment .five. done" ../out &&
	git rev-parse -q --verify refs/cairn/exps/$BASE/five >/dev/null &&
	test "$(git rev-parse refs/cairn/exps/$BASE/five^)" = "$(git rev-parse HEAD)" &&
	git show refs/cairn/exps/$BASE/five:params.yaml >../p && grep_q "size: 5" ../p &&
	git show refs/cairn/exps/$BASE/five:m.json >../m && grep_q "\"size\": 5" ../m &&
	git show refs/cairn/exps/$BASE/five:cairn.lock >../l && grep_q "size: 5" ../l &&
	git status --porcelain >../st && test ! -s ../st && test $(wc -c <out.txt) = 3 &&
	git worktree list >../wt && test $(wc -l <../wt) = 1
'

expect_success 'exp show lists the experiment with its changed params and metrics' '
	cairn exp show >out &&
	grep_q "^experiment  *rev  *state  *params.yaml:size  *m.json:size$" out &&
	grep_q "^baseline  *[0-9a-f]\{7\}  *baseline  *3  *3$" out &&
	grep_q "^five  *[0-9a-f]\{7\}  *done  *5  *5$" out && no_grep other out &&
	cairn exp show --csv >csv && grep_q "^five,[0-9a-f]*,done,5,5$" csv &&
	cairn exp show --json >js && grep_q "\"state\": \"done\"" js
'

expect_success 'exp run -j 2 runs a grid of experiments at the same time' '
	mkdir ../par && PARDIR=$TRASH/par cairn exp run -j 2 -n grid -S size=6,7 >out &&
	grep_q "experiment .grid-1. done" out && grep_q "experiment .grid-2. done" out &&
	git show refs/cairn/exps/$BASE/grid-1:m.json >m1 && grep_q 6 m1 &&
	git show refs/cairn/exps/$BASE/grid-2:m.json >m2 && grep_q 7 m2 &&
	test -z "$(ls .cairn/tmp/wt)"
'

expect_success 'uncommitted workspace changes go into the experiment, not into HEAD' '
	printf "size: 8\nother: a\n" >params.yaml && echo "# note" >notes.txt &&
	cairn exp run -n ws >../out && grep_q "experiment .ws. done" ../out &&
	git show refs/cairn/exps/$BASE/ws:m.json >../m && grep_q "\"size\": 8" ../m &&
	git show refs/cairn/exps/$BASE/ws:notes.txt >../n && grep_q note ../n &&
	test $(wc -c <out.txt) = 3 && git checkout -q params.yaml && rm notes.txt &&
	cairn exp remove ws >/dev/null
'

expect_success 'exp apply puts the experiment in the workspace, outputs included' '
	cairn exp apply five >out && grep_q "size: 5" params.yaml && test $(wc -c <out.txt) = 5 &&
	grep_q "size: 5" cairn.lock && cairn status >st && no_grep "stage" st &&
	git checkout -q . && cairn checkout -q && test $(wc -c <out.txt) = 3
'

expect_success 'exp apply refuses a dirty workspace without --force' '
	echo "# mine" >>gen.sh && must_fail cairn exp apply five 2>err &&
	grep_q "uncommitted changes" err && grep_q mine gen.sh &&
	cairn exp apply --force five && no_grep mine gen.sh &&
	git checkout -q . && cairn checkout -q
'

expect_success 'exp branch makes a branch; exp remove drops experiments' '
	cairn exp branch five try-five && test "$(git rev-parse try-five)" = "$(git rev-parse refs/cairn/exps/$BASE/five)" &&
	must_fail cairn exp branch five try-five 2>err && grep_q "exists" err &&
	cairn exp remove grid-1 grid-2 && ! git rev-parse -q --verify refs/cairn/exps/$BASE/grid-1 &&
	must_fail cairn exp remove grid-1 2>err && grep_q "no experiment .grid-1." err
'

expect_success 'gc --all-experiments keeps the outputs experiments recorded' '
	git branch -q -D try-five && find .cairn/cache/sha256 -type f -exec touch -h -d "-2 hours" {} + &&
	x5=$(printf xxxxx | sha256sum | cut -c1-64) &&
	path_is_file .cairn/cache/sha256/$(echo $x5 | cut -c1-2)/$(echo $x5 | cut -c3-) &&
	cairn gc -w -a --all-experiments >../out &&
	path_is_file .cairn/cache/sha256/$(echo $x5 | cut -c1-2)/$(echo $x5 | cut -c3-) &&
	cairn gc -w -a >../out &&
	path_is_missing .cairn/cache/sha256/$(echo $x5 | cut -c1-2)/$(echo $x5 | cut -c3-)
'

expect_success 'refusals: an existing name, a bad -S, an unknown experiment or subcommand' '
	must_fail cairn exp run -n five -S size=9 2>err && grep_q "experiment .five. exists" err &&
	must_fail --code=2 cairn exp run -S size 2>err && grep_q "KEY=VALUE" err &&
	must_fail --code=2 cairn exp run -n "a b" 2>err &&
	must_fail cairn exp apply nosuch 2>err && grep_q "no experiment .nosuch." err &&
	must_fail --code=2 cairn exp frob 2>err && grep_q "unknown subcommand" err &&
	must_fail --code=2 cairn exp branch five 2>err && grep_q "too few" err
'

new_repo c19 && cd c19
cairn stage add -n s -o out "sh -c 'echo partial > out; exit 3'" >/dev/null
git add -A && git commit -qm s

expect_success 'C19: a failed experiment fails the command, naming the stage and exit code' '
	must_fail cairn exp run -n bad 2>err &&
	grep_q "experiment .bad. failed: stage .s. failed with exit code 3" err &&
	grep_q "1 of 1 experiment failed" err
'

expect_success 'C19: nothing is left running: no worktree, no lock, no cached partial output' '
	git worktree list >wt && test $(wc -l <wt) = 1 && test -z "$(ls .cairn/tmp/wt)" &&
	path_is_missing .cairn/tmp/lock.held &&
	sha=$(printf "partial\n" | sha256sum | cut -c1-64) &&
	path_is_missing .cairn/cache/sha256/$(echo $sha | cut -c1-2)/$(echo $sha | cut -c3-) &&
	cairn exp show >out && grep_q "^bad  *-  *failed" out &&
	log=$(ls .cairn/tmp/exps/*/bad.log) && grep_q "exit code 3" "$log"
'

expect_success 'C19: after the fix the next experiment runs without any cleanup' '
	sed -i "s/exit 3/exit 0/" cairn.yaml && git commit -qam fix &&
	cairn exp run -n good >out && grep_q "experiment .good. done" out
'

expect_success 'an interrupted exp run exits 130, removes its worktree, lists it as failed' '
	cairn stage add -f -n s -o out "echo \$\$ >$TRASH/s.pid; sleep 30; echo x >out" >/dev/null &&
	git commit -qam slow || exit 1
	cairn exp run -n slow >/dev/null 2>err & pid=$!
	i=0; while [ ! -s "$TRASH/s.pid" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
	kill -INT $pid; rc=0; wait $pid || rc=$?
	test $rc = 130 && ! kill -0 $(cat "$TRASH/s.pid") 2>/dev/null &&
	test -z "$(ls .cairn/tmp/wt)" &&
	cairn exp show >out && grep_q "^slow  *-  *failed" out
'

test_done
