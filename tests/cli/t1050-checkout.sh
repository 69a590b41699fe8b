#!/bin/sh
# t1050-checkout: cairn checkout restores files, folders, exec bits,
# symlinks and empty folders (C27); refuses to lose data without --force
# (C02 extra files at any depth, C03 modified files) and never prompts;
# acts relative to the root from any folder (C11); reports missing objects.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r

expect_success 'restore a deleted file and a deleted folder' '
	echo foo >f && mkdir -p d/sub d/empty && echo 1 >d/a && echo 2 >d/sub/b &&
	printf "#!/bin/sh\n" >d/run && chmod 755 d/run && ln -s a d/link &&
	cairn -q add f d && git add -A && git commit -qm data &&
	cp -a d d.orig && rm -rf f d && cairn checkout >out 2>err && test ! -s err &&
	grep_q "^restored d$" out && grep_q "^restored f$" out && test "$(cat f)" = foo &&
	diff -r d d.orig && test -x d/run && test ! -x d/a && path_is_link d/link &&
	test "$(readlink d/link)" = a && path_is_dir d/empty && cairn status >out &&
	grep_q "^up to date: 2" out
'

expect_success 'checkout of what is already there writes nothing' '
	cairn checkout >out && test ! -s out && stat -c %i f >i1 && cairn checkout f && stat -c %i f >i2 &&
	cmp_expected i1 i2
'

expect_success 'a lost exec bit is fixed in place' '
	chmod -x d/run && cairn status d >out && grep_q "modified  *d/run" out &&
	cairn checkout d >out && grep_q "^restored d$" out && test -x d/run
'

expect_success 'a modified file is refused without --force, never prompting (C03)' '
	echo bar >f && must_fail --code=1 cairn checkout f 2>err </dev/null &&
	grep_q "^cairn: error: checkout would overwrite or delete data that is not in the cache: .f. (modified)$" err &&
	grep_q "^cairn: hint: .*--force" err && test "$(cat f)" = bar &&
	cairn checkout --force f && test "$(cat f)" = foo
'

expect_success 'a modified file whose content is in the cache is replaced without --force' '
	cp d/a f && cairn checkout f && test "$(cat f)" = foo
'

expect_success 'an extra file at the top of a tracked folder is refused (C02)' '
	echo new2 >d/b && must_fail --code=1 cairn checkout d 2>err &&
	grep_q "d/b. (not tracked)" err && test "$(cat d/b)" = new2 &&
	cairn status d >out && grep_q "^modified: d$" out && grep_q "added  *d/b$" out
'

expect_success 'an extra file deep inside is refused the same way (C02)' '
	echo new3 >d/sub/new && must_fail --code=1 cairn checkout d 2>err &&
	grep_q "d/sub/new. (not tracked)" err && grep_q "d/b. (not tracked)" err &&
	test "$(cat d/sub/new)" = new3
'

expect_success '--force removes extra files; status is clean after (C02)' '
	cairn checkout --force d && path_is_missing d/b && path_is_missing d/sub/new &&
	cairn status >out && grep_q "^up to date: 2" out
'

expect_success 'an extra empty folder and an extra copy of a cached file are removed without --force' '
	mkdir d/extra && cp d/a d/copy && cairn checkout d && path_is_missing d/extra &&
	path_is_missing d/copy
'

expect_success 'an extra symlink or a non-empty folder is refused' '
	ln -s a d/mylink && must_fail cairn checkout d 2>err && grep_q "d/mylink" err &&
	rm d/mylink && mkdir d/keep && echo k >d/keep/k && must_fail cairn checkout d 2>err &&
	grep_q "d/keep/k" err && rm -r d/keep
'

expect_success 'a changed symlink target and a file replaced by a folder' '
	ln -sfn sub d/link && must_fail cairn checkout d 2>err && grep_q "d/link. (modified)" err &&
	cairn checkout -f d && test "$(readlink d/link)" = a &&
	rm d/a && mkdir d/a && cairn checkout d && path_is_file d/a && test "$(cat d/a)" = 1
'

expect_success 'a tracked folder replaced by a file, and the reverse' '
	rm -rf d && echo notdir >d && must_fail cairn checkout d 2>err && test "$(cat d)" = notdir &&
	cairn checkout --force d && path_is_dir d && rm f && mkdir f && cairn checkout f &&
	path_is_file f
'

expect_success 'recreates tracked empty folders, status clean (C27)' '
	mkdir -p empty nested/a/b && cairn -q add empty nested && git add -A && git commit -qm e &&
	rmdir empty && rm -rf nested && cairn checkout >out && path_is_dir empty &&
	path_is_dir nested/a/b && cairn status >out && grep_q "^up to date: 4" out
'

expect_success 'an untracked folder is left alone by checkout (C27)' '
	git rm -q nested.cairn && git commit -qm rm && cairn checkout && path_is_dir nested/a/b
'

expect_success 'from a subfolder, paths are resolved from the root (C11)' '
	echo foo2 >foo && cairn -q add foo && git add -A && git commit -qm foo &&
	git rm -q foo.cairn && git commit -qm untrack && mkdir data && echo precious >data/foo &&
	(cd data && cairn checkout) && test "$(cat data/foo)" = precious &&
	(cd data && must_fail --code=1 cairn checkout foo 2>../err) &&
	grep_q "^cairn: error: .data/foo. is not tracked by cairn$" err &&
	test "$(cat data/foo)" = precious && test "$(cat foo)" = foo2
'

expect_success 'named by the pointer, the output or a folder of outputs' '
	rm -rf d f && mkdir -p grp && echo g >grp/g && cairn -q add grp/g && rm grp/g &&
	cairn checkout d.cairn >out && grep_q "^restored d$" out && cairn checkout f >out &&
	grep_q "^restored f$" out && cairn checkout grp >out && grep_q "^restored grp/g$" out
'

expect_success 'a path inside a tracked folder or not tracked: errors' '
	must_fail --code=1 cairn checkout d/a 2>err && grep_q "inside tracked folder .d." err &&
	must_fail --code=1 cairn checkout nope 2>err && grep_q ".nope. is not tracked by cairn" err &&
	mkdir emptydir && must_fail --code=1 cairn checkout emptydir 2>err &&
	grep_q "no tracked outputs under .emptydir." err
'

expect_success 'a missing object: an error naming the path, hint to pull, nothing written' '
	echo lost >lost && cairn -q add lost && h=$(ptr_sha lost.cairn) &&
	rm lost && mv .cairn/cache/sha256/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-) ../saved &&
	must_fail --code=1 cairn checkout lost 2>err && grep_q "not in the cache: .lost." err &&
	grep_q "^cairn: hint: .*cairn pull" err && path_is_missing lost &&
	cairn status lost >out && grep_q "^missing: lost (not in cache)$" out &&
	mv ../saved .cairn/cache/sha256/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-) &&
	cairn checkout lost && test "$(cat lost)" = lost
'

expect_success 'a folder whose file object is missing: nothing of it is written' '
	mkdir -p md && echo m1 >md/one && echo m2 >md/two && cairn -q add md && h=$(sha256 md/two) &&
	rm -rf md && mv .cairn/cache/sha256/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-) ../saved2 &&
	must_fail --code=1 cairn checkout md 2>err && grep_q "md/two" err && path_is_missing md &&
	mv ../saved2 .cairn/cache/sha256/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-) && cairn checkout md
'

expect_success 'one failing output does not stop the others; exit 1' '
	rm -rf d f && echo changed >lost && must_fail --code=1 cairn checkout 2>err >out &&
	grep_q "^restored d$" out && grep_q "^restored f$" out && grep_q "lost" err &&
	test "$(cat lost)" = changed
'

expect_success '--relink places every file again' '
	cairn checkout --force && stat -c %i f >i1 && cairn checkout --relink f >out &&
	grep_q "^restored f$" out && stat -c %i f >i2 && ! cmp -s i1 i2 && test "$(cat f)" = foo
'

expect_success 'cache.type symlink and hardlink: links status and add see as the files they stand for' '
	rm -rf d && CAIRN_CACHE_TYPE=symlink,copy cairn checkout d && path_is_link d/a &&
	path_is_file d/run && test -x d/run &&
	cairn status d >out && grep_q "up to date" out &&
	cairn add d >out && grep_q "^unchanged d " out && rm -rf d &&
	CAIRN_CACHE_TYPE=hardlink,copy cairn checkout d && test "$(stat -c %h d/a)" -ge 2 &&
	test ! -w d/a -o "$(id -u)" = 0 && cairn status d >out && grep_q "up to date" out &&
	cairn checkout --relink d && test "$(stat -c %h d/a)" = 1
'

expect_success 'bad flags: exit 2 with the usage' '
	must_fail --code=2 cairn checkout --bogus 2>err && grep_q "^usage: cairn checkout" err &&
	must_fail --code=2 cairn checkout -z 2>err
'

test_done
