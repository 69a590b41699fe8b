#!/bin/sh
# t6020-post-checkout: the post-checkout, post-merge and post-rewrite hooks
# through real git commands (checkout, switch, merge, rebase, worktree add,
# submodule update): the data of the new HEAD is checked out, modified data
# is never overwritten, data missing from the cache is named with a hint,
# file checkouts and amends do nothing, revisions without cairn are left
# alone, and a linked worktree's files are its own (scenario C12).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

obj_path() {
	echo "$TRASH/r/.cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}

git init -q r && cd r && echo readme >README && git add README && git commit -qm plain &&
git tag plain && cairn init -q && cairn install -q

expect_success 'setup: two branches with different data' '
	mkdir -p data/sub && echo a1 >data/a && echo b1 >data/sub/b && echo m1 >m &&
	cairn add -q data m && git add -A && git commit -qm main1 &&
	git checkout -q -b feat && chmod -R u+w data m &&
	echo a2 >data/a && echo new >data/sub/new && echo m2 >m &&
	cairn add -q data m && git add -A && git commit -qm feat1 &&
	echo x >x && cairn add -q x && git add -A && git commit -qm feat2
'

expect_success 'git checkout of a branch checks out its data' '
	git checkout -q main 2>"$TRASH/err" &&
	echo a1 >"$TRASH/want" && cmp_expected "$TRASH/want" data/a && path_is_missing data/sub/new &&
	echo m1 >"$TRASH/want" && cmp_expected "$TRASH/want" m &&
	grep_q "^cairn: restored data$" "$TRASH/err" && grep_q "^cairn: restored m$" "$TRASH/err" &&
	cairn status >"$TRASH/st" && grep_q "^up to date" "$TRASH/st"
'

expect_success 'only outputs whose pointer changed are touched' '
	git checkout -q feat 2>"$TRASH/err" && grep_q "restored data" "$TRASH/err" && grep_q "restored m" "$TRASH/err" &&
	git checkout -q -b feat-copy 2>"$TRASH/err" && test ! -s "$TRASH/err" &&
	git switch -q feat 2>"$TRASH/err" && test ! -s "$TRASH/err"
'

expect_success 'modified data is kept, with a warning; git succeeds' '
	chmod u+w m && echo mine >m &&
	git checkout -q main >"$TRASH/out" 2>"$TRASH/err" &&
	grep_q "^cairn: warning: kept the modified data of .m.; its pointer changed (to replace it: cairn checkout --force m)$" "$TRASH/err" &&
	echo mine >"$TRASH/want" && cmp_expected "$TRASH/want" m &&
	echo a1 >"$TRASH/want" && cmp_expected "$TRASH/want" data/a &&
	cairn checkout -q --force m && echo m1 >"$TRASH/want" && cmp_expected "$TRASH/want" m
'

expect_success 'a file checkout (flag 0) does nothing' '
	git checkout -q feat && chmod u+w m && echo scratch >m &&
	git checkout -q main -- m.cairn 2>"$TRASH/err" && test ! -s "$TRASH/err" &&
	echo scratch >"$TRASH/want" && cmp_expected "$TRASH/want" m &&
	git checkout -q feat -- m.cairn && cairn checkout -q --force m
'

expect_success 'data missing from the cache is named with a hint to pull' '
	git checkout -q main && rm "$(obj_path $(git show feat:x.cairn | sed -n "s/^ *sha256: //p"))" &&
	rm -f x &&
	git checkout -q feat >"$TRASH/out" 2>"$TRASH/err" &&
	grep_q "^cairn: warning: the data of .x. is not in the cache$" "$TRASH/err" &&
	grep_q "^cairn: hint: run .cairn pull. to fetch the missing data$" "$TRASH/err" &&
	path_is_missing x && echo a2 >"$TRASH/want" && cmp_expected "$TRASH/want" data/a &&
	echo x >x && cairn add -q x && git status --short >"$TRASH/st" && test ! -s "$TRASH/st"
'

expect_success 'git merge (fast-forward and true merge) checks out the merged data' '
	git checkout -q main && git checkout -q -b side && chmod -R u+w data &&
	echo side >data/side && cairn add -q data && git add -A && git commit -qm side &&
	git checkout -q main && rm -f x && git merge -q --ff-only feat 2>"$TRASH/err" &&
	echo a2 >"$TRASH/want" && cmp_expected "$TRASH/want" data/a && path_is_file x &&
	grep_q "restored data" "$TRASH/err" &&
	git checkout -q side && git checkout -q -b side2 && echo y >y && cairn add -q y &&
	git add -A && git commit -qm y && git checkout -q side &&
	rm -f y && git merge -q --no-edit side2 2>"$TRASH/err" && echo y >"$TRASH/want" && cmp_expected "$TRASH/want" y
'

expect_success 'git rebase checks out the rebased data (post-rewrite)' '
	git checkout -q -b topic main~2 2>/dev/null && rm -f x &&
	mkdir td && echo topic >td/t && cairn add -q td/t && git add -A && git commit -qm topic &&
	echo a1 >"$TRASH/want" && cmp_expected "$TRASH/want" data/a &&
	git rebase -q main >"$TRASH/out" 2>"$TRASH/err" &&
	path_is_file td/t && echo a2 >"$TRASH/want" && cmp_expected "$TRASH/want" data/a && path_is_file x &&
	cairn status >"$TRASH/st" && grep_q "^up to date" "$TRASH/st"
'

expect_success 'git commit --amend does nothing to the data' '
	chmod u+w m && echo amend-me >m &&
	git commit -q --no-verify --amend -m topic2 2>"$TRASH/err" && no_grep restored "$TRASH/err" &&
	echo amend-me >"$TRASH/want" && cmp_expected "$TRASH/want" m && cairn checkout -q --force m
'

expect_success 'a revision without cairn is left alone; coming back restores' '
	git checkout -q plain >"$TRASH/out" 2>"$TRASH/err" && test ! -s "$TRASH/err" &&
	path_is_missing m.cairn && path_is_file m &&
	git checkout -q main >"$TRASH/out" 2>"$TRASH/err" && test ! -s "$TRASH/err" && cairn status >"$TRASH/st" && grep_q "^up to date" "$TRASH/st"
'

expect_success 'C12: git worktree add checks out the data in the new worktree' '
	git worktree add -q ../wt feat >"$TRASH/out" 2>"$TRASH/err" &&
	echo a2 >"$TRASH/want" && cmp_expected "$TRASH/want" ../wt/data/a && path_is_file ../wt/x &&
	(cd ../wt && cairn status >"$TRASH/st" && grep_q "^up to date" "$TRASH/st")
'

expect_success 'C12: post-checkout in a worktree works on its files, not the main ones' '
	cp m main-m-before &&
	(cd ../wt && git checkout -q -b wt-old main~2 && echo m1 >"$TRASH/want" && cmp_expected "$TRASH/want" m &&
	 echo a1 >"$TRASH/want" && cmp_expected "$TRASH/want" data/a) &&
	cmp_expected main-m-before m && path_is_file x
'

expect_success 'submodules: git submodule update checks out the submodule data' '
	new_repo ../sub && cd ../sub && git config cairn.unused 1 &&
	git -C . config -f .cairn/config cache.dir "$TRASH/shared-cache" &&
	echo s1 >s && cairn add -q s && git add -A && git commit -qm s1 &&
	chmod u+w s && echo s2 >s && cairn add -q s && git commit -qam s2 &&
	git init -q ../super && cd ../super &&
	git -c protocol.file.allow=always submodule -q add ../sub sub && git commit -qm sub &&
	(cd sub && cairn install -q && cairn checkout -q && git checkout -q HEAD~1 &&
	 echo s1 >"$TRASH/want" && cmp_expected "$TRASH/want" s) &&
	git submodule -q update && echo s2 >"$TRASH/want" && cmp_expected "$TRASH/want" sub/s
'

expect_success 'core.autopull fetches what the checkout misses from the default remote' '
	cd "$TRASH/r" && git config -f .cairn/config.local remote.origin.url "$TRASH/store" &&
	git config -f .cairn/config.local core.remote origin && git checkout -q feat &&
	cairn push -q && git checkout -q main && cairn push -q &&
	x=$(git show feat:x.cairn | sed -n "s/^ *sha256: //p") && rm -f "$(obj_path $x)" x &&
	git config -f .cairn/config.local core.autopull true && git checkout -q plain &&
	git checkout -q feat 2>"$TRASH/err" && grep_q "^cairn: fetched 1 object" "$TRASH/err" &&
	no_grep "not in the cache" "$TRASH/err" && echo x >"$TRASH/want" && cmp_expected "$TRASH/want" x
'

expect_success 'core.autopull that cannot fetch warns and names what is missing' '
	x=$(git show feat:x.cairn | sed -n "s/^ *sha256: //p") &&
	git checkout -q plain && rm -f "$(obj_path $x)" x && mv "$TRASH/store" "$TRASH/store.away" &&
	git checkout -q feat 2>"$TRASH/err" &&
	grep_q "^cairn: warning: the data of .x. is not in the cache" "$TRASH/err" &&
	grep_q "^cairn: hint: run .cairn pull." "$TRASH/err" && path_is_missing x &&
	git checkout -q plain && git config -f .cairn/config.local --unset core.remote &&
	git checkout -q feat 2>"$TRASH/err" &&
	grep_q "^cairn: warning: could not fetch the missing data: core.autopull: " "$TRASH/err" &&
	grep_q "^cairn: warning: the data of .x. is not in the cache" "$TRASH/err" &&
	git config -f .cairn/config.local core.remote origin &&
	mv "$TRASH/store.away" "$TRASH/store" && cairn pull -q x && path_is_file x &&
	git config -f .cairn/config.local --unset core.autopull
'

expect_success 'a hook run by hand with the wrong arguments does nothing harmful' '
	cd "$TRASH/r" && cairn hook post-checkout >"$TRASH/out" 2>"$TRASH/err" && test ! -s "$TRASH/out" &&
	cairn hook post-checkout a b 0 >"$TRASH/out" && test ! -s "$TRASH/out" &&
	cairn hook post-rewrite amend </dev/null >"$TRASH/out" && test ! -s "$TRASH/out"
'

test_done
