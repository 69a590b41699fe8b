#!/bin/sh
# t1080-commit: cairn commit records the workspace content of tracked
# outputs: pointer and cache updated, unchanged ones left alone, untracked
# paths and missing data refused, unknown pointer keys kept; C41 (a retry
# after a failed add of several paths).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r

objpath() { echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"; }

expect_success 'nothing changed: nothing to commit, pointers untouched' '
	echo v1 >f && mkdir d && echo a >d/a && cairn -q add f d && git add -A && git commit -qm v1 &&
	cairn commit >out && grep_q "^nothing to commit$" out && git diff --quiet
'

expect_success 'a changed file: pointer and cache updated' '
	echo v2 >f && cairn commit >out && grep_q "^committed f$" out &&
	test "$(ptr_sha f.cairn)" = "$(sha256 f)" && cmp_expected f "$(objpath $(sha256 f))" &&
	git diff --name-only >changed && printf "f.cairn\n" >want && cmp_expected want changed &&
	cairn status >out && grep_q "^up to date: 2" out
'

expect_success 'a changed folder: a new root manifest, new file object' '
	old=$(ptr_sha d.cairn) && echo b >d/b && cairn commit d >out && grep_q "^committed d$" out &&
	test "$(ptr_sha d.cairn)" != "$old" && grep_q "^  nfiles: 2$" d.cairn &&
	path_is_file "$(objpath $(sha256 d/b))" && path_is_file "$(objpath $(ptr_sha d.cairn))"
'

expect_success 'commit names outputs by path, pointer or folder, from a subfolder' '
	mkdir -p sub && echo s >sub/s && cairn -q add sub/s && echo s2 >sub/s &&
	(cd sub && cairn commit s >../out) && grep_q "^committed sub/s$" out &&
	echo s3 >sub/s && cairn commit sub/s.cairn >out && grep_q "^committed sub/s$" out &&
	echo s4 >sub/s && cairn commit sub >out && grep_q "^committed sub/s$" out
'

expect_success 'unknown pointer keys are kept' '
	printf "  desc: keep me\n" >>f.cairn && echo v3 >f && cairn -q commit f &&
	grep_q "^  desc: keep me$" f.cairn && test "$(ptr_sha f.cairn)" = "$(sha256 f)"
'

expect_success 'an untracked path: exit 1, nothing tracked' '
	echo n >new && must_fail --code=1 cairn commit new 2>err &&
	grep_q "^cairn: error: .new. is not tracked by cairn$" err && path_is_missing new.cairn
'

expect_success 'missing data: exit 1 with a hint, the pointer kept' '
	cp f.cairn ../f.before && mv f ../f.saved && must_fail --code=1 cairn commit f 2>err &&
	grep_q "^cairn: error: .f. is missing from the workspace$" err &&
	grep_q "^cairn: hint: restore it with .cairn checkout." err && cmp_expected ../f.before f.cairn &&
	mv ../f.saved f
'

expect_success 'data that cannot be stored: exit 1, the pointer kept' '
	cp d.cairn ../d.before && ln -s /etc/passwd d/abs && must_fail --code=1 cairn commit d 2>err &&
	grep_q "d/abs" err && cmp_expected ../d.before d.cairn && rm d/abs
'

expect_success 'a malformed pointer: an error naming the file and the line' '
	printf "outs:\n- path: f\n  size: what\n" >bad.cairn && must_fail --code=1 cairn commit 2>err &&
	grep_q "^cairn: error: malformed pointer .bad.cairn. line 3" err && rm bad.cairn
'

expect_success 'bad flags: exit 2 with the usage' '
	must_fail --code=2 cairn commit --force 2>err && grep_q "^usage: cairn commit" err
'

expect_success 'after a failed add of several paths, a retry works (C41)' '
	mkdir c41 && echo A >c41/A.txt && ln -s /nonexistent c41/broken && echo B >c41/B.txt &&
	must_fail --code=1 cairn add c41/A.txt c41/broken c41/B.txt 2>err && grep_q "c41/broken" err &&
	path_is_file c41/A.txt && path_is_file c41/B.txt && path_is_missing c41/A.txt.cairn &&
	rm c41/broken && cairn -q add c41/A.txt c41/B.txt && test "$(cat c41/A.txt c41/B.txt)" = "$(printf "A\nB")" &&
	echo A2 >c41/A.txt && cairn commit c41 >out && grep_q "^committed c41/A.txt$" out &&
	cairn status >out && grep_q "^up to date" out
'

test_done
