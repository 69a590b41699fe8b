#!/bin/sh
# t4002-repro-cases: scenarios of CASES.md for repro: C08 (a changed param is
# never served from a stale run), C47 (stages without dependencies run once;
# always_changed runs every time; downstream stages whose inputs did not
# change are skipped and cairn.lock stays as it was), C46 (a dependency
# outside the repository is hashed by its absolute path and is not "always
# changed"), params in JSON files and whole params files, and the run cache.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'C08: a changed param re-runs; going back restores from the run cache' '
	printf "size: 30\n" >params.yaml &&
	cairn stage add -n gen -p size -o out.txt \
		"n=\$(sed -n \"s/^size: //p\" params.yaml); head -c \$n /dev/zero | tr \"\\\\0\" x >out.txt" &&
	cairn repro >/dev/null && test $(wc -c <out.txt) = 30 && grep_q "size: 30" cairn.lock &&
	sed -i s/30/40/ params.yaml &&
	cairn status >st && grep_q "param changed: params.yaml:size (30 -> 40)" st &&
	cairn repro >out && grep_q "running stage .gen. (param changed" out &&
	test $(wc -c <out.txt) = 40 && grep_q "size: 40" cairn.lock &&
	sed -i s/40/30/ params.yaml && cairn repro >out &&
	grep_q "restored stage .gen. from the run cache" out &&
	test $(wc -c <out.txt) = 30 && grep_q "size: 30" cairn.lock
'

expect_success 'the run cache is not used with --no-run-cache' '
	sed -i s/30/40/ params.yaml && cairn repro --no-run-cache >out &&
	grep_q "running stage .gen." out && test $(wc -c <out.txt) = 40
'

expect_success 'params from JSON files by dotted key, and whole params files' '
	printf "{\"train\": {\"lr\": 0.5, \"name.x\": \"a\"}}\n" >conf.json &&
	printf "a: 1\nb: [1, 2]\n" >all.yaml &&
	cairn stage add -n js -p conf.json:train.lr,train.name.x -p all.yaml: -o js.out "cat conf.json all.yaml >js.out" &&
	cairn repro js >/dev/null && grep_q "train.lr: 0.5" cairn.lock &&
	grep_q "train.name.x: a" cairn.lock && grep_q "b:" cairn.lock &&
	printf "{\"train\": {\"lr\": 0.25, \"name.x\": \"a\"}}\n" >conf.json &&
	cairn status >st && grep_q "param changed: conf.json:train.lr (0.5 -> 0.25)" st &&
	printf "a: 1\nb: [1, 3]\n" >all.yaml &&
	cairn status >st && grep_q "param changed: all.yaml:b" st &&
	printf "a: 1\n" >all.yaml && cairn status >st && grep_q "param removed: all.yaml:b" st
'

expect_success 'a param missing from its file is an error when the stage runs' '
	printf "{\"train\": {}}\n" >conf.json &&
	cairn status >st && grep_q "param missing: conf.json:train.lr" st &&
	must_fail cairn repro js 2>err && grep_q "param .train.lr. of stage .js. is not in .conf.json." err
'

new_repo c47 && cd c47

expect_success 'C47: stages without dependencies run once; merge is not re-run' '
	cairn stage add -n hello -o hello.txt "yes Hello | head -10 > hello.txt" &&
	cairn stage add -n world -o world.txt "yes World | head -10 > world.txt" &&
	cairn stage add -n merge -d hello.txt -d world.txt -o hw.txt "paste hello.txt world.txt > hw.txt" &&
	cairn repro merge >log1 && test $(grep -c running log1) = 3 &&
	git add -A && git commit -qm one &&
	cairn repro merge >log2 && no_grep running log2 && grep_q "stage .merge. is up to date" log2 &&
	git diff --exit-code cairn.lock &&
	cairn status >st && no_grep "always changed" st
'

expect_success 'C47: always_changed runs on every repro, without re-running merge' '
	cairn stage add -f --always-changed -n hello -o hello.txt "yes Hello | head -10 > hello.txt" &&
	grep_q "always_changed: true" cairn.yaml &&
	cairn repro merge >/dev/null && git add -A && git commit -qm two &&
	cairn status >st && grep_q "stage hello: always changed" st &&
	cairn repro merge >log3 && grep_q "running stage .hello. (always changed)" log3 &&
	grep_q "stage .merge. is up to date" log3 && git diff --exit-code cairn.lock
'

expect_success 'frozen stages never run' '
	printf "stages:\n  f:\n    cmd: touch ran\n    outs: [f.out]\n    frozen: true\n" >cairn.yaml &&
	cairn repro >out && grep_q "stage .f. is frozen" out && path_is_missing ran
'

new_repo c46 && cd c46
ext=$TRASH/ext
mkdir -p "$ext/in" && echo 1 >"$ext/in/a" && echo 2 >"$ext/f.txt"

expect_success 'C46: an external dependency is recorded by its absolute path and is stable' '
	cairn stage add -n s -d "$ext/in" -d "$ext/f.txt" -d ../c46/local.txt -o res "cat $ext/in/a > res" 2>err ||
		grep_q "local.txt" err &&
	echo l >local.txt &&
	cairn stage add -f -n s -d "$ext/in" -d "$ext/f.txt" -d local.txt -o res "cat $ext/in/a > res" &&
	cairn repro >/dev/null && grep_q "path: $ext/in$" cairn.lock && grep_q "path: local.txt" cairn.lock &&
	no_grep "path: $TRASH/c46" cairn.lock &&
	cairn status >st && no_grep "stage s" st &&
	cairn repro >out && grep_q "is up to date" out
'

expect_success 'C46: a change outside re-runs the stage once' '
	echo 3 >"$ext/in/a" && cairn status >st && grep_q "dependency modified: $ext/in" st &&
	cairn repro >out && grep_q "running stage .s." out && grep_q 3 res &&
	cairn status >st && no_grep "stage s" st
'

expect_success 'a missing external dependency is an error that runs nothing' '
	rm "$ext/f.txt" && must_fail cairn repro 2>err &&
	grep_q "external dependency .$ext/f.txt. of stage .s. does not exist" err
'

test_done
