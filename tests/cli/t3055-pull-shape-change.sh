#!/bin/sh
# t3055-pull-shape-change: pull where an output changed shape between
# commits (a folder became a file, a file became a folder): the new shape
# replaces the old one when the old one is safe in the cache; data that is
# not in the cache stops it unless --force; and when the new version's
# objects are missing on the remote the old shape stays exactly as it was
# (C04 through a change of shape).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo a && cd a
cairn remote add -d origin "$TRASH/store" >/dev/null
mkdir d && echo 1 >d/x && echo 2 >d/y && cairn -q add d && cairn -q push
git add -A && git commit -qm "d is a folder" && git tag dir
rm -rf d && echo now-a-file >d && cairn -q add d && cairn -q push
git add -A && git commit -qm "d is a file" && git tag file
cd "$TRASH"

expect_success 'a folder becomes a file' '
	git clone -q -b dir a b && cd b && cairn -q pull && path_is_dir d &&
	git checkout -q file && cairn pull >out && grep_q "^restored d" out && path_is_file d &&
	test "$(cat d)" = now-a-file && cairn status >out && grep_q "^up to date" out
'

expect_success 'a file becomes a folder' '
	cd b && git checkout -q dir && cairn pull >out && grep_q "^restored d" out &&
	path_is_dir d && test "$(cat d/x)" = 1 && cairn status >out && grep_q "^up to date" out
'

expect_success 'an untracked file in the folder stops it without --force; --force replaces' '
	cd b && echo precious >d/new && git checkout -q file &&
	must_fail --code=1 cairn pull 2>err && grep_q "d/new. (not tracked)" err &&
	test "$(cat d/new)" = precious && cairn pull --force >out && path_is_file d
'

expect_success 'a modified file stops the change to a folder without --force' '
	cd b && chmod u+w d 2>/dev/null; echo edited >d && git checkout -q dir &&
	must_fail --code=1 cairn pull 2>err && grep_q "^cairn: error: checkout would overwrite .* .d. (" err &&
	test "$(cat d)" = edited && cairn pull -f >out && path_is_dir d
'

expect_success 'new shape not on the remote: the old one stays as it was (C04)' '
	(cd a && git checkout -q file && rm -f d && mkdir d && echo unpushed >d/z && cairn -q add d &&
		git add -A && git commit -qm "d is a folder again, not pushed" && git tag unpushed) &&
	git clone -q -b file a c && cd c && cairn -q pull && git checkout -q unpushed &&
	must_fail --code=1 cairn pull 2>err && grep_q "^cairn: error: not on remote .origin.: .d." err &&
	grep_q "left as it was: .d." err && path_is_file d && test "$(cat d)" = now-a-file &&
	must_fail --code=1 cairn pull --force && path_is_file d && test "$(cat d)" = now-a-file
'

test_done
