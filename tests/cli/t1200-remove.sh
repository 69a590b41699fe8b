#!/bin/sh
# t1200-remove: cairn remove untracks outputs (pointer and .gitignore entry);
# --outs deletes the data only when it is exactly what the pointer records
# and all of it is in the cache; every path is checked before anything goes.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1
echo keep >other-ignored && printf '/other-ignored\n' >.gitignore
echo one >f && mkdir -p d/sub && echo a >d/a && echo b >d/sub/b && echo g >g
cairn -q add f d g || exit 1

expect_success 'remove by pointer file: pointer and ignore entry go, data stays' '
	cairn remove f.cairn >out &&
	grep_q "^removed f.cairn$" out &&
	path_is_missing f.cairn && path_is_file f && test "$(cat f)" = one &&
	no_grep "^/f$" .gitignore && grep_q "^/other-ignored$" .gitignore &&
	git check-ignore -q other-ignored && ! git check-ignore -q f
'

expect_success 'a removed output is no longer in status' '
	cairn status >out && no_grep "f$" out && grep_q "up to date: 2 tracked outputs" out
'

expect_success 'remove by output path works for folders too' '
	cp -r d d.saved && cairn -q add d &&
	cairn remove d >out && grep_q "^removed d.cairn$" out &&
	path_is_missing d.cairn && path_is_dir d && diff -r d d.saved &&
	cairn -q add d
'

expect_success 'the hint names the files to stage in git' '
	echo h >h && cairn -q add h && cairn remove h 2>err >/dev/null &&
	grep_q "^cairn: hint: .*git add -A -- .h.cairn. .\.gitignore." err
'

expect_success '--outs deletes clean, cached data' '
	echo x >x && cairn -q add x && obj=$(ptr_sha x.cairn) &&
	cairn remove --outs x >out && grep_q "^removed x.cairn and its data$" out &&
	path_is_missing x && path_is_missing x.cairn &&
	path_is_file .cairn/cache/sha256/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-)
'

expect_success '--outs deletes a tracked folder that is clean' '
	cp -r d d2 && cairn -q add d2 && cairn remove --outs d2.cairn &&
	path_is_missing d2 && path_is_missing d2.cairn
'

expect_success '--outs refuses modified data (exit 1) and changes nothing' '
	echo y >y && cairn -q add y && echo changed >y &&
	must_fail --code=1 cairn remove --outs g y 2>err &&
	grep_q "^cairn: error: .y. holds data that is not in the cache" err &&
	grep_q "^cairn: hint: .*--force" err &&
	path_is_file y.cairn && test "$(cat y)" = changed && path_is_file g.cairn
'

expect_success '--outs refuses a modified file inside a tracked folder' '
	cp -r d d3 && cairn -q add d3 && echo new >d3/sub/b &&
	must_fail cairn remove --outs d3 2>err && grep_q "d3" err &&
	path_is_file d3.cairn && test "$(cat d3/sub/b)" = new
'

expect_success '--outs refuses an extra untracked file in a tracked folder' '
	cp -r d d4 && cairn -q add d4 && echo extra >d4/extra &&
	must_fail cairn remove --outs d4 && path_is_file d4/extra && path_is_file d4.cairn
'

expect_success '--outs refuses data whose objects left the cache' '
	echo z >z && cairn -q add z && obj=$(ptr_sha z.cairn) &&
	rm -f .cairn/cache/sha256/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-) &&
	must_fail cairn remove --outs z && path_is_file z && path_is_file z.cairn
'

expect_success '--outs --force deletes modified data' '
	cairn remove --outs --force y && path_is_missing y && path_is_missing y.cairn &&
	cairn remove --outs -f d3 d4 z && path_is_missing d3 && path_is_missing d4 && path_is_missing z
'

expect_success '--outs with the data already gone only untracks' '
	echo w >w && cairn -q add w && rm w && cairn remove --outs w >out &&
	grep_q "^removed w.cairn$" out && path_is_missing w.cairn
'

expect_success '--outs removes a checked-out symlink into the cache' '
	echo s >s && cairn -q add s && rm s &&
	CAIRN_CACHE_TYPE=symlink cairn -q checkout s && path_is_link s &&
	cairn remove --outs s && path_is_missing s && path_is_missing s.cairn
'

expect_success 'naming one output twice is fine' '
	echo t >t && cairn -q add t && cairn remove t t.cairn >out &&
	test $(wc -l <out) = 1 && path_is_missing t.cairn
'

expect_success 'a path that is not tracked is an error; nothing is removed' '
	echo u >u && must_fail --code=1 cairn remove g u 2>err &&
	grep_q "^cairn: error: .u. is not tracked by cairn" err && path_is_file g.cairn
'

expect_success 'a path inside a tracked folder is refused with a hint' '
	must_fail cairn remove d/a 2>err &&
	grep_q "inside tracked folder .d." err && grep_q "^cairn: hint:" err
'

expect_success 'a missing path is an error' '
	must_fail --code=1 cairn remove nothing-here 2>err && grep_q "not tracked" err
'

expect_success 'usage errors exit 2' '
	must_fail --code=2 cairn remove 2>err && grep_q "too few arguments" err &&
	must_fail --code=2 cairn remove --bogus g 2>err && grep_q "unknown option" err &&
	path_is_file g.cairn
'

expect_success 'gc collects what a removed output no longer keeps' '
	echo v >v && cairn -q add v && obj=$(ptr_sha v.cairn) && cairn -q remove --outs v &&
	CAIRN_GC_GRACE=0 cairn gc -w >out && grep_q "^removed $obj" out
'

expect_success '-q prints nothing' '
	echo q >q && cairn -q add q && cairn remove -q q >out 2>&1 && test ! -s out
'

test_done
