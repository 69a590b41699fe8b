#!/bin/sh
# t6010-pre-commit: the pre-commit hook through real git commits: a staged
# pointer whose data is not in the cache, workspace data that differs from
# its staged pointer, hooks.precommit = warn, the index git really commits
# (GIT_INDEX_FILE: commit -a, partial commits), pointers unchanged since
# HEAD (a clone without data), and repositories or revisions without cairn.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

obj_path() {
	echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}

new_repo r && cd r && cairn install -q && git add -A && git commit -qm init

expect_success 'a clean staged output commits silently' '
	echo v1 >f && cairn add -q f && git add -A && git commit -qm f 2>err &&
	test ! -s err && test "$(git log -1 --format=%s)" = f
'

expect_success 'data that differs from its staged pointer stops the commit' '
	chmod u+w f && echo v2 >f && echo other >o && git add o &&
	must_fail --code=1 git commit -qm o 2>err &&
	grep_q "^cairn: .f. differs from its staged pointer .f.cairn.$" err &&
	grep_q "^cairn: error: the commit is stopped: 1 staged output has a problem$" err &&
	test "$(grep -c "^cairn: error:" err)" = 1 &&
	grep_q "^cairn: hint: .*cairn add PATH.*git add PATH.cairn.*cairn checkout --force PATH" err &&
	test "$(git log -1 --format=%s)" = f
'

expect_success 'recording the data and staging the pointer lets it through' '
	cairn add -q f && must_fail git commit -qm o 2>err &&
	grep_q "differs from its staged pointer" err &&
	git add f.cairn && git commit -qm o && test "$(git log -1 --format=%s)" = o
'

expect_success 'a new staged pointer whose data is not in the cache stops the commit' '
	echo lost >g && cairn add -q g && git add -A &&
	rm "$(obj_path $(ptr_sha g.cairn))" && rm -f g &&
	must_fail --code=1 git commit -qm g 2>err &&
	grep_q "^cairn: .g.cairn. is staged, but its data is not in the cache$" err &&
	grep_q "^cairn: hint: .*cairn fetch" err &&
	echo lost >g && cairn add -q g && git commit -qm g
'

expect_success 'a folder missing one file of its data stops the commit' '
	mkdir d && echo 1 >d/one && echo 2 >d/two && cairn add -q d && git add -A &&
	rm "$(obj_path $(sha256 d/two))" &&
	must_fail git commit -qm d 2>err && grep_q "^cairn: .d.cairn. is staged, but its data" err &&
	cairn add -q d && path_is_file "$(obj_path $(sha256 d/two))" && git commit -qm d
'

expect_success 'both problems at once are both named' '
	chmod -R u+w d f && echo v3 >f && echo n >n && cairn add -q n && git add n.cairn .gitignore &&
	rm "$(obj_path $(ptr_sha n.cairn))" &&
	must_fail git commit -qm both 2>err &&
	grep_q "n.cairn. is staged, but its data" err && grep_q ".f. differs from" err &&
	grep_q "2 staged outputs have problems" err && test "$(grep -c "^cairn: error:" err)" = 1 &&
	cairn add -q n f && git add -A && git commit -qm both
'

expect_success 'hooks.precommit = warn lets the commit through with warnings' '
	cairn config hooks.precommit warn &&
	chmod u+w f && echo v4 >f && echo w >w && git add w &&
	git commit -qm warned 2>err &&
	grep_q "^cairn: warning: .f. differs from its staged pointer" err && no_grep "error" err &&
	test "$(git log -1 --format=%s)" = warned
'

expect_success 'a bad hooks.precommit value stops the commit with a clear error' '
	git config -f .cairn/config hooks.precommit maybe &&
	echo w2 >w && git add w && must_fail git commit -qm bad 2>err &&
	grep_q "^cairn: error: bad value .maybe. for .hooks.precommit.$" err &&
	git config -f .cairn/config hooks.precommit error && cairn add -q f && git add -A &&
	git commit -qm fixed
'

expect_success 'a credential in the staged .cairn/config stops the commit, even with warn' '
	cairn config hooks.precommit warn && git add .cairn/config && git commit -qm warn-again &&
	git config -f .cairn/config remote.s3.url s3://bucket/p &&
	git config -f .cairn/config remote.s3.secretAccessKey SUPERSECRET && git add .cairn/config &&
	must_fail --code=1 git commit -qm leak 2>err &&
	grep_q "^cairn: .remote.s3.secretaccesskey. is a credential in the staged .cairn/config$" err &&
	grep_q "^cairn: error: the commit is stopped: the staged .cairn/config holds 1 credential" err &&
	grep_q "^cairn: hint: keep credentials in .cairn/config.local" err && no_grep SUPERSECRET err &&
	test "$(git log -1 --format=%s)" = warn-again &&
	git config -f .cairn/config --unset remote.s3.secretAccessKey &&
	must_fail git commit -qm still-staged 2>err &&
	git add .cairn/config && git commit -qm clean && test "$(git log -1 --format=%s)" = clean &&
	cairn config hooks.precommit error && git add .cairn/config && git commit -qm error-again
'

expect_success 'git commit -a checks the index it is about to commit' '
	chmod u+w f && echo v5 >f && cairn add -q f &&
	echo w3 >w && git commit -qam all 2>err &&
	test "$(git log -1 --format=%s)" = all && git diff --quiet HEAD -- f.cairn
'

expect_success 'a partial commit checks only what it commits (GIT_INDEX_FILE)' '
	echo bad >b && cairn add -q b && git add b.cairn .gitignore &&
	rm "$(obj_path $(ptr_sha b.cairn))" && rm b &&
	echo w4 >w && git commit -qm partial w 2>err &&
	test "$(git log -1 --format=%s)" = partial &&
	must_fail git commit -qm rest 2>err && grep_q "b.cairn. is staged" err &&
	git rm -q --cached b.cairn && git checkout -q -- .gitignore
'

expect_success 'pointers unchanged since HEAD are not checked again (a clone without data)' '
	git clone -q . ../clone && cd ../clone && cairn install -q &&
	path_is_missing f && echo code >code.txt && git add code.txt &&
	git commit -qm code 2>err && test ! -s err
'

expect_success 'missing workspace data is no problem when the cache has it' '
	rm -f f && echo w5 >w && git add w && git commit -qm nodata 2>err && test ! -s err
'

expect_success 'a repository without cairn: the hook does nothing' '
	git init -q ../plain && cd ../plain && cairn install -q &&
	echo a >a && git add a && git commit -qm a && test "$(git log -1 --format=%s)" = a &&
	cairn hook pre-commit && test ! -e .cairn
'

test_done
