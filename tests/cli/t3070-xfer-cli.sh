#!/bin/sh
# t3070-xfer-cli: the command lines of push, fetch, pull and status -c
# side by side: every flag and its exit code, -j values, paths given as
# data, as pointer, as a folder above outputs, from a subfolder and with -C,
# an output named several ways counted once, paths that are not tracked,
# and the global -q.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
cairn remote add -d origin "$TRASH/store" >/dev/null
cairn remote add second "$TRASH/store2" >/dev/null
mkdir -p sub/deep && echo 1 >sub/deep/x && echo 2 >sub/y && mkdir d && echo 3 >d/z &&
	echo 4 >top
cairn -q add sub/deep/x sub/y d top
git add -A && git commit -qm v1
cd "$TRASH"

expect_success 'bad -j values are usage errors (exit 2) for every command' '
	cd r &&
	for c in push fetch pull "status -c"; do
		for j in 0 -1 abc 257 3x "" 99999999999999999999; do
			must_fail --code=2 cairn $c -j "$j" 2>err &&
			grep_q "^cairn: error: --jobs: .* is not a number from 1 to 256" err || exit 1
		done
		must_fail --code=2 cairn $c -j 2>err && grep_q "needs an argument" err || exit 1
		must_fail --code=2 cairn $c -r 2>err || exit 1
		must_fail --code=2 cairn $c --bogus 2>err && grep_q "^usage: cairn " err || exit 1
	done &&
	path_is_missing "$TRASH/store"
'

expect_success 'add and fsck parse -j with the same words (their limit is 1024)' '
	cd r && must_fail --code=2 cairn add -j 0 top 2>err &&
	grep_q "^cairn: error: --jobs: .0. is not a number from 1 to 1024$" err &&
	must_fail --code=2 cairn fsck -j 1025 2>err &&
	grep_q "^cairn: error: --jobs: .1025. is not a number from 1 to 1024$" err &&
	cairn -q add -j 1024 top && cairn -q fsck -j 1
'

expect_success 'repro, exp run and exp push parse -j the same way (a bad one never runs)' '
	cd r && must_fail --code=2 cairn repro -j 3x 2>err &&
	grep_q "^cairn: error: --jobs: .3x. is not a number from 1 to 256$" err &&
	must_fail --code=2 cairn exp run -j 65 2>err &&
	grep_q "^cairn: error: --jobs: .65. is not a number from 1 to 64$" err &&
	must_fail --code=2 cairn exp push -j abc origin 2>err &&
	grep_q "^cairn: error: --jobs: .abc. is not a number from 1 to 256$" err
'

expect_success 'good -j values, short and long, and -r/--remote' '
	cd r && cairn push -j 1 -r second top >out && grep_q "^pushed 1 object" out &&
	cairn push --jobs=256 --remote=second sub/y >out && grep_q "^pushed 1 object" out &&
	cairn push -j2 -rsecond top >out && grep_q "^everything is on .second." out &&
	cairn fetch -j 3 -r second top >out && grep_q "^everything is in the cache" out &&
	cairn status -c -j 4 -r second top >out && grep_q "^up to date with .second." out
'

expect_success 'remote.NAME.jobs is checked alike: when set (exit 2) and when read (exit 1)' '
	cd r && must_fail --code=2 cairn remote modify second jobs 257 2>err &&
	grep_q "^cairn: error: jobs: .257. is not a number from 1 to 256$" err &&
	cairn config remote.second.jobs 999 && must_fail --code=1 cairn push -r second 2>err &&
	grep_q "^cairn: error: remote.second.jobs: .999. is not a number from 1 to 256$" err &&
	cairn remote modify second jobs 256 && cairn push -r second top >out
'

expect_success 'an unknown remote is exit 1 for every command' '
	cd r && for c in push fetch pull "status -c"; do
		must_fail --code=1 cairn $c -r nosuch 2>err && grep_q "^cairn: error: no remote .nosuch." err ||
			exit 1
	done
'

expect_success 'data path, pointer path, folder and dot name the same outputs' '
	cd r/sub && cairn push deep/x >out && grep_q "^pushed 1 object" out &&
	cairn push deep/x.cairn >out && grep_q "^everything is on .origin. already (1 object)" out &&
	cairn push . >out && grep_q "^pushed 1 object" out &&
	cairn -C .. push sub >out && grep_q "^everything is on .origin. already (2 objects)" out
'

expect_success 'an output named several ways counts once' '
	cd r && cairn push >/dev/null &&
	cairn push top top.cairn ./top top >out &&
	grep_q "^everything is on .origin. already (1 object)$" out &&
	cairn status -c --json d d/ d.cairn . >out &&
	test "$(grep -c "\"path\": \"d\"" out)" = 1 &&
	test "$(grep -c "\"path\":" out)" = 4
'

expect_success 'paths that are not tracked: one error line naming them, exit 1' '
	cd r && for c in push fetch pull "status -c"; do
		must_fail --code=1 cairn $c nothere 2>err &&
		grep_q "^cairn: error: .nothere. is not tracked by cairn$" err &&
		must_fail --code=1 cairn $c d/z 2>err &&
		grep_q "^cairn: error: .d/z. is inside tracked folder .d.$" err &&
		must_fail --code=1 cairn $c .git 2>err || exit 1
	done
'

expect_success 'paths outside the repository and empty paths are errors' '
	cd r && for c in push fetch pull "status -c"; do
		must_fail cairn $c /tmp 2>err && grep_q "^cairn: error: ./tmp. is outside the repository" err &&
		must_fail --code=2 cairn $c "" 2>err && grep_q "^cairn: error: empty path" err || exit 1
	done
'

expect_success 'push with nothing tracked says so' '
	new_repo empty && cd empty && cairn remote add -d o "$TRASH/s3" >/dev/null &&
	cairn push >out && grep_q "^no tracked outputs" out &&
	cairn fetch >out && grep_q "^no tracked outputs" out && cairn pull >out &&
	cairn status -c >out && grep_q "up to date" out
'

expect_success 'status -c: exit 1 while something is only local, 0 once pushed' '
	cd r && echo 7 >later && cairn -q add later &&
	must_fail --code=1 cairn status -c >out && grep_q "^to push: later" out &&
	cairn push >/dev/null && cairn status -c >out && grep_q "^up to date with .origin.: 5" out
'

expect_success 'the global -q silences push, fetch, pull and status -c, exit codes kept' '
	cd r && echo 5 >new && cairn -q add new &&
	cairn -q push >out 2>&1 && test ! -s out &&
	cairn -q fetch >out 2>&1 && test ! -s out && cairn -q pull >out 2>&1 && test ! -s out &&
	cairn -q status -c >out 2>&1 && test ! -s out &&
	echo 6 >newer && cairn -q add newer &&
	must_fail --code=1 cairn -q status -c >out && test ! -s out &&
	must_fail --code=1 cairn status -c -q >out && test ! -s out
'

expect_success 'pull -f and --force take no value; pull PATH restores just that' '
	git clone -q r c && cd c && must_fail --code=2 cairn pull --force=yes &&
	cairn pull -f top >out && grep_q "^restored top" out && path_is_missing d &&
	cairn pull --force d sub >out && grep_q "^restored d" out && grep_q "^restored sub/y" out
'

test_done
