#!/bin/sh
# t1220-unprotect: cairn unprotect replaces read-only links into the cache
# (cache.type hardlink or symlink) by writable copies with the same content,
# so editing them never touches the cache.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

obj_path() { # obj_path SHA: the cache path of an object
	echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}

new_repo r && cd r || exit 1
git config -f .cairn/config cache.type hardlink,copy
echo one >f && mkdir -p d/sub && echo a >d/a && echo b >d/sub/b && echo c >d/c
cairn -q add f d || exit 1

expect_success 'hardlinked files are read-only links to the cache object' '
	o=$(obj_path $(ptr_sha f.cairn)) &&
	test "$(stat -c %i f)" = "$(stat -c %i $o)" && test "$(stat -c %a f)" = 444
'

expect_success 'unprotect gives a writable private copy with the same content' '
	o=$(obj_path $(ptr_sha f.cairn)) &&
	cairn unprotect f >out && grep_q "^unprotected f (1 file copied" out &&
	path_is_file f && test "$(stat -c %h f)" = 1 && test "$(stat -c %i f)" != "$(stat -c %i $o)" &&
	test "$(stat -c %a f)" != 444 && test "$(cat f)" = one &&
	echo edited >f && test "$(cat $o)" = one && cairn status >st && grep_q "modified: f" st
'

expect_success 'the edit is recorded by commit, which links the file again' '
	cairn -q commit f && test "$(stat -c %a f)" = 444 && test "$(cat f)" = edited
'

expect_success 'unprotect a whole tracked folder' '
	cairn unprotect d >out && grep_q "(3 files copied" out &&
	for x in d/a d/sub/b d/c; do test "$(stat -c %h $x)" = 1 || exit 1; done &&
	cairn status d >st && grep_q "up to date" st
'

expect_success 'unprotect one file inside a tracked folder' '
	cairn -q checkout --relink d && test "$(stat -c %h d/a)" -ge 2 &&
	cairn unprotect d/sub/b >out && grep_q "(1 file copied" out &&
	test "$(stat -c %h d/sub/b)" = 1 && test "$(stat -c %h d/a)" -ge 2
'

expect_success 'symlinks into the cache become writable copies' '
	git config -f .cairn/config cache.type symlink && cairn -q checkout --relink f &&
	path_is_link f && cairn unprotect f >out && grep_q "(1 file copied" out &&
	path_is_file f && test "$(cat f)" = edited
'

expect_success 'a second unprotect has nothing to do' '
	cairn unprotect f >out && grep_q "(0 files copied, 0 made writable)" out
'

expect_success 'read-only copies are made writable' '
	echo ro >ro && git config -f .cairn/config cache.type copy && cairn -q add ro &&
	chmod 444 ro && cairn unprotect ro >out && grep_q "1 made writable" out &&
	test "$(stat -c %a ro)" = 644
'

expect_success 'the user'"'"'s own symlinks in a tracked folder stay' '
	mkdir e && echo t >e/t && ln -s t e/l && cairn -q add e && cairn unprotect e &&
	path_is_link e/l && test "$(readlink e/l)" = t
'

expect_success 'an untracked path is an error (exit 1)' '
	echo u >u && must_fail --code=1 cairn unprotect u 2>err &&
	grep_q "^cairn: error: .u. is not tracked by cairn" err
'

expect_success 'a tracked output missing from the workspace is an error' '
	echo m >m && cairn -q add m && rm m &&
	must_fail --code=1 cairn unprotect m 2>err && grep_q "not in the workspace" err
'

expect_success 'a path inside a tracked folder that does not exist is an error' '
	must_fail cairn unprotect d/nope 2>err && grep_q "not in the workspace" err
'

expect_success 'usage errors exit 2' '
	must_fail --code=2 cairn unprotect 2>err && grep_q "too few" err &&
	must_fail --code=2 cairn unprotect --nope f && path_is_file f
'

expect_success 'no temp files are left in .cairn/tmp' '
	ls .cairn/tmp >tmpls && no_grep "^co-" tmpls
'

test_done
