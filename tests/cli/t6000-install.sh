#!/bin/sh
# t6000-install: cairn install / uninstall: where the shims go (the hooks
# folder, core.hooksPath, a linked worktree: scenario C12, a submodule),
# mode 0755 and the marker, chaining a foreign hook (which still runs, with
# its arguments and standard input), refusals without --force, removal of
# only cairn's own files, and what a shim does when cairn is not on PATH.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

HOOKS="pre-commit pre-push post-checkout post-merge post-rewrite"

# a PATH with git and the tools the shims use, but no cairn
mkdir nocairn
for t in git sh dirname cat; do ln -s "$(command -v $t)" nocairn/$t; done
NOCAIRN="$TRASH/nocairn"

new_repo r && cd r && git commit -q --allow-empty -m init

expect_success 'install writes every shim, executable, with the marker' '
	cairn install >out &&
	for h in $HOOKS; do
		grep_q "^installed $h$" out &&
		test -x .git/hooks/$h &&
		test "$(stat -c %a .git/hooks/$h)" = 755 &&
		sed -n 2p .git/hooks/$h | grep -q "^# cairn-hook-shim 1" &&
		sh -n .git/hooks/$h || exit 1
	done &&
	grep_q "^hooks are in $TRASH/r/.git/hooks$" out &&
	ls .git/hooks | grep -v "\.sample$" | sort >got &&
	printf "%s\n" $HOOKS | sort >want && cmp_expected want got
'

expect_success 'installing again changes nothing' '
	cp .git/hooks/pre-commit before && cairn install >out &&
	grep_q "^pre-commit is up to date$" out && cmp_expected before .git/hooks/pre-commit
'

expect_success 'an edited shim of ours is rewritten' '
	echo "# edited" >>.git/hooks/post-merge && chmod 644 .git/hooks/post-merge &&
	cairn install >out && grep_q "^updated post-merge$" out &&
	test "$(stat -c %a .git/hooks/post-merge)" = 755 && no_grep edited .git/hooks/post-merge
'

expect_success 'uninstall removes exactly the shims' '
	cairn uninstall >out &&
	for h in $HOOKS; do grep_q "^removed $h$" out && path_is_missing .git/hooks/$h || exit 1; done &&
	cairn uninstall >out && test ! -s out
'

expect_success 'a foreign hook is chained: kept, run first with its arguments' '
	printf "#!/bin/sh\necho \"user hook \$*\" >>\"\$(git rev-parse --show-toplevel)/ran\"\n" \
		>.git/hooks/post-checkout && chmod +x .git/hooks/post-checkout &&
	cp .git/hooks/post-checkout user-hook &&
	cairn install >out &&
	grep_q "^installed post-checkout (the existing hook runs first, kept as post-checkout.pre-cairn)$" out &&
	cmp_expected user-hook .git/hooks/post-checkout.pre-cairn &&
	git checkout -q -b b1 && grep_q "^user hook [0-9a-f]\{40\} [0-9a-f]\{40\} 1$" ran
'

expect_success 'a failing chained pre-commit hook stops the commit' '
	printf "#!/bin/sh\necho no >&2\nexit 3\n" >.git/hooks/pre-commit.pre-cairn &&
	chmod +x .git/hooks/pre-commit.pre-cairn &&
	echo x >x && git add x && must_fail git commit -qm x 2>err && grep_q "^no$" err &&
	rm .git/hooks/pre-commit.pre-cairn && git commit -qm x
'

expect_success 'a chained hook reading standard input gets it' '
	printf "#!/bin/sh\ncat >\"\$(git rev-parse --show-toplevel)/rewritten\"\n" \
		>.git/hooks/post-rewrite.pre-cairn && chmod +x .git/hooks/post-rewrite.pre-cairn &&
	git commit -q --amend -m amended && grep_q "^[0-9a-f]\{40\} [0-9a-f]\{40\}$" rewritten &&
	rm .git/hooks/post-rewrite.pre-cairn
'

expect_success 'a foreign hook that cannot be chained: refused, nothing changed' '
	cairn uninstall >out && grep_q "post-checkout (the hook kept as post-checkout.pre-cairn is back)" out &&
	cmp_expected user-hook .git/hooks/post-checkout &&
	echo "#!/bin/sh" >.git/hooks/post-checkout.pre-cairn &&
	ls .git/hooks >before &&
	must_fail --code=1 cairn install 2>err &&
	grep_q "^cairn: error: the post-checkout hook is not cairn.s and .post-checkout.pre-cairn. is taken" err &&
	grep_q "^cairn: hint: .*--force" err &&
	ls .git/hooks >after && cmp_expected before after && cmp_expected user-hook .git/hooks/post-checkout
'

expect_success '--force overwrites it' '
	cairn install --force >out &&
	grep_q "^installed post-checkout (the foreign hook was overwritten)$" out &&
	sed -n 2p .git/hooks/post-checkout | grep -q "^# cairn-hook-shim" &&
	cairn uninstall >/dev/null && echo "#!/bin/sh" >want &&
	cmp_expected want .git/hooks/post-checkout && rm .git/hooks/post-checkout &&
	path_is_missing .git/hooks/post-checkout.pre-cairn
'

expect_success 'uninstall leaves a foreign hook alone' '
	printf "#!/bin/sh\nexit 0\n" >.git/hooks/post-merge && chmod +x .git/hooks/post-merge &&
	cp .git/hooks/post-merge foreign && cairn install >/dev/null &&
	cairn uninstall >/dev/null && cmp_expected foreign .git/hooks/post-merge &&
	cairn install >/dev/null &&
	cp foreign .git/hooks/post-merge && cairn uninstall >out &&
	grep_q "^left post-merge: not written by cairn$" out && cmp_expected foreign .git/hooks/post-merge &&
	rm .git/hooks/post-merge .git/hooks/post-merge.pre-cairn
'

expect_success 'a symlinked hook is moved aside, not followed' '
	printf "#!/bin/sh\nexit 0\n" >../shared-hook && chmod +x ../shared-hook &&
	ln -s ../../../shared-hook .git/hooks/pre-commit && cp ../shared-hook keep &&
	cairn install >/dev/null && path_is_link .git/hooks/pre-commit.pre-cairn &&
	cmp_expected keep ../shared-hook && path_is_file .git/hooks/pre-commit &&
	cairn uninstall >/dev/null && path_is_link .git/hooks/pre-commit && rm .git/hooks/pre-commit
'

expect_success 'core.hooksPath, relative and absolute, is honoured' '
	git config core.hooksPath my-hooks && cairn install >out &&
	test "$(cd "$(git rev-parse --git-path hooks)" && pwd)" = "$TRASH/r/my-hooks" &&
	path_is_file my-hooks/pre-commit && path_is_missing .git/hooks/pre-commit &&
	cairn uninstall >/dev/null && path_is_missing my-hooks/pre-commit &&
	git config core.hooksPath "$TRASH/abs-hooks" && cairn install >/dev/null &&
	path_is_file "$TRASH/abs-hooks/post-merge" && cairn uninstall >/dev/null &&
	git config --unset core.hooksPath
'

expect_success 'C12: install inside a linked worktree writes where git reads hooks' '
	git worktree add -q ../wt -b wt &&
	(cd ../wt && cairn install >../out) &&
	hooks=$(cd ../wt && cd "$(git rev-parse --git-path hooks)" && pwd) &&
	test "$hooks" = "$TRASH/r/.git/hooks" &&
	for h in $HOOKS; do path_is_file "$hooks/$h" || exit 1; done &&
	path_is_missing .git/worktrees/wt/hooks &&
	(cd ../wt && cairn uninstall >/dev/null) && path_is_missing .git/hooks/pre-commit
'

expect_success 'cairn missing from PATH: post-* hooks warn and exit 0' '
	cairn install >/dev/null &&
	PATH=$NOCAIRN git checkout -q -b nobin 2>err && grep_q "cairn: warning: .cairn. is not on PATH; the post-checkout hook did nothing" err &&
	echo y >y && git add y && PATH=$NOCAIRN git commit -qm y 2>err &&
	grep_q "the pre-commit hook did nothing" err &&
	git checkout -q main 2>/dev/null &&
	PATH=$NOCAIRN git merge -q --no-edit nobin 2>err && grep_q "post-merge hook did nothing" err
'

expect_success 'cairn missing from PATH: pre-push fails closed' '
	git init -q --bare ../bare.git && git remote add origin ../bare.git &&
	PATH=$NOCAIRN must_fail git push -q origin main 2>err &&
	grep_q "cairn: error: .cairn. is not on PATH; the push is stopped" err &&
	grep_q "cairn: hint: install cairn" err &&
	! git --git-dir=../bare.git rev-parse -q --verify refs/heads/main
'

expect_success 'a chained hook still runs without cairn, and its failure counts' '
	printf "#!/bin/sh\nexit 5\n" >.git/hooks/post-checkout.pre-cairn &&
	chmod +x .git/hooks/post-checkout.pre-cairn &&
	PATH=$NOCAIRN must_fail --code=5 sh .git/hooks/post-checkout 0 0 1 2>/dev/null &&
	rm .git/hooks/post-checkout.pre-cairn
'

expect_success 'install in a submodule writes the submodule hooks' '
	new_repo ../sub && (cd ../sub && git commit -q --allow-empty -m s) &&
	git init -q ../super && cd ../super && git commit -q --allow-empty -m s &&
	git -c protocol.file.allow=always submodule -q add ../sub sub &&
	(cd sub && cairn install >/dev/null && cd "$(git rev-parse --git-path hooks)" && pwd >"$TRASH/where") &&
	grep_q "^$TRASH/super/.git/modules/sub/hooks$" "$TRASH/where" &&
	path_is_file .git/modules/sub/hooks/post-checkout && path_is_missing .git/hooks/post-checkout
'

expect_success 'usage errors' '
	must_fail --code=2 cairn install extra 2>err && grep_q "too many arguments" err &&
	must_fail --code=2 cairn install --bogus 2>err && grep_q "unknown option" err &&
	must_fail --code=2 cairn uninstall -f 2>err && grep_q "unknown option" err &&
	must_fail --code=2 cairn hook no-such-hook 2>err && grep_q "unknown hook .no-such-hook." err &&
	must_fail --code=2 cairn hook 2>err && grep_q "too few arguments" err
'

expect_success 'outside a git repository: a clear error' '
	mkdir -p "$TRASH/plain" && cd "$TRASH/plain" &&
	must_fail --code=1 cairn install 2>err && grep_q "not inside a git repository" err
'

test_done
