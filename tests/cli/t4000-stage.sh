#!/bin/sh
# t4000-stage: cairn stage add|list and cairn dag: writing cairn.yaml, every
# refusal leaving the file unchanged (cycles C33, duplicate and nested
# outputs, paths outside the repository), file:line:column errors, and the
# graph in run order.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'stage add writes a stage that reads back' '
	echo foo >foo &&
	cairn stage add -n s1 -d foo -o bar "cp foo bar" >out &&
	grep_q "added stage .s1." out &&
	grep_q "^  s1:" cairn.yaml && grep_q "cmd: cp foo bar" cairn.yaml &&
	grep_q "deps: \[foo\]" cairn.yaml && grep_q "outs: \[bar\]" cairn.yaml &&
	cairn stage list >list && grep_q "^s1: bar" list
'

expect_success 'stage add keeps comments and appends at the stage indentation' '
	cat >cairn.yaml <<-\EOT &&
	# my pipeline
	stages:
	    s1:   # the first
	        cmd: cp foo bar
	        deps: [foo]
	        outs: [bar]
	EOT
	cairn stage add -n s2 -d bar -o baz -p x.y -p conf.json:a,b -m m.json "cp bar baz && echo {} >m.json" &&
	grep_q "^# my pipeline" cairn.yaml && grep_q "the first" cairn.yaml &&
	grep_q "^    s2:" cairn.yaml &&
	grep_q "params: \[x.y, {conf.json: \[a, b\]}\]" cairn.yaml &&
	cairn stage list >list && grep_q "^s2: baz m.json" list
'

expect_success 'C33: a cycle is refused when the last stage is added, naming it in order' '
	cp cairn.yaml before &&
	must_fail cairn stage add -n s3 -d baz -o foo "cp baz foo" 2>err &&
	grep_q "circular dependency: s1 -> s2 -> s3 -> s1" err &&
	cmp_expected before cairn.yaml
'

expect_success 'C33: a hand-made cycle stops repro, status and dag, which change nothing' '
	cp before cairn.yaml &&
	printf "    s3:\n        cmd: cp baz foo && touch ran\n        deps: [baz]\n        outs: [foo]\n" >>cairn.yaml &&
	cp cairn.yaml cyclic &&
	for c in repro status dag; do
		must_fail cairn $c 2>err && grep_q "circular dependency: s1 -> s2 -> s3 -> s1" err || exit 1
	done &&
	path_is_missing ran && path_is_missing bar && path_is_missing cairn.lock &&
	cmp_expected cyclic cairn.yaml
'

expect_success 'C33: a stage whose dependency is its own output is refused' '
	cp before cairn.yaml &&
	must_fail cairn stage add -n loop -d x -o x "true" 2>err &&
	grep_q "stage .loop. depends on its own output .x." err &&
	cmp_expected before cairn.yaml
'

expect_success 'two stages with one output, and an output inside another, are refused' '
	must_fail cairn stage add -n dup -o bar true 2>err &&
	grep_q "output .bar. is produced by two stages: .s1. and .dup." err &&
	must_fail cairn stage add -n nest -o bar/x true 2>err &&
	grep_q "output .bar/x. of stage .nest. is inside output .bar. of stage .s1." err &&
	cmp_expected before cairn.yaml
'

expect_success 'outputs and relative dependencies outside the repository are refused (exit 1, as add)' '
	must_fail --code=1 cairn stage add -n o -o ../x true 2>err &&
	grep_q "output .../x. is outside the repository" err && ! grep_q "^usage:" err &&
	must_fail --code=1 cairn stage add -n o -d ../x -o y true 2>err &&
	grep_q "dependency .../x. is outside the repository" err &&
	must_fail --code=1 cairn stage add -n o -o .git/x true 2>err &&
	must_fail --code=1 cairn stage add -n o -p ../p.yaml:a -o y true 2>err &&
	grep_q "params file .../p.yaml. is outside the repository" err &&
	must_fail --code=1 cairn stage add -n o -w .. -o y true 2>err &&
	cmp_expected before cairn.yaml
'

expect_success 'a stage name that exists is refused without --force, replaced with it' '
	must_fail cairn stage add -n s1 -o other true 2>err && grep_q "already exists" err &&
	cmp_expected before cairn.yaml &&
	cairn stage add -f -n s1 -d foo -o bar "cp foo bar # again" &&
	grep_q "again" cairn.yaml && cairn stage list >list && grep_q "^s2:" list
'

expect_success 'bad names and flags are usage errors (exit 2)' '
	must_fail --code=2 cairn stage add -n "a b" true &&
	must_fail --code=2 cairn stage add true &&
	must_fail --code=2 cairn stage add -n x &&
	must_fail --code=2 cairn stage add -n x --no-such-flag true &&
	must_fail --code=2 cairn stage frob &&
	must_fail --code=2 cairn stage 2>err && grep_q "subcommand is needed" err
'

expect_success 'cairn.yaml errors name the file, line and column' '
	cp cairn.yaml good &&
	printf "stages:\n  a:\n    cmd: true\n    dep: [x]\n" >cairn.yaml &&
	must_fail cairn dag 2>err && grep_q "cairn.yaml:4:5: unknown key .dep. in stage .a." err &&
	printf "stages:\n  a:\n    cmd: [true\n" >cairn.yaml &&
	must_fail cairn status 2>err && grep_q "cairn.yaml:[0-9]*:[0-9]*: " err &&
	printf "stages:\n  a:\n    outs: [x]\n" >cairn.yaml &&
	must_fail cairn repro 2>err && grep_q "cairn.yaml:2:3: stage .a. has no .cmd." err &&
	printf "stages:\n  a:\n    cmd: true\n    outs: [/etc/x]\n" >cairn.yaml &&
	must_fail cairn repro 2>err && grep_q "cairn.yaml:4:12: output ./etc/x. is outside" err &&
	printf "stages:\n  a:\n    cmd: true\n  a:\n    cmd: false\n" >cairn.yaml &&
	must_fail cairn repro 2>err && grep_q "cairn.yaml:4:3: stage .a. is defined twice" err &&
	cp good cairn.yaml
'

expect_success 'dag prints the stages in run order with what they depend on' '
	cairn stage add -n s0 -o foo2 "echo > foo2" >/dev/null &&
	cairn stage add -n s4 -d baz -d foo2 -o qux "cat baz foo2 >qux" >/dev/null &&
	cairn dag >out &&
	printf "s1\ns2 <- s1\ns0\ns4 <- s2, s0\n" >want && cmp_expected want out &&
	cairn dag --dot >dot && grep_q "\"s2\" -> \"s4\";" dot
'

test_done
