#!/bin/sh
# t6030-pre-commit-framework: the hook ids of .pre-commit-hooks.yaml work
# under the real pre-commit framework (Debian package pre-commit): the
# pre-commit check stops a bad commit, and post-checkout (whose arguments
# the framework passes in environment variables) checks out the data.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

command -v pre-commit >/dev/null 2>&1 || skip_all "the pre-commit framework is not installed"

# a hooks repository holding this tree's .pre-commit-hooks.yaml, by path
git init -q hooks && cp "$CAIRN_SRCDIR/.pre-commit-hooks.yaml" hooks/ &&
(cd hooks && git add -A && git commit -qm hooks) || exit 99
rev=$(git -C hooks rev-parse HEAD)

new_repo r && cd r

expect_success 'pre-commit installs the hook ids' '
	cat >.pre-commit-config.yaml <<-EOF &&
	repos:
	- repo: $TRASH/hooks
	  rev: $rev
	  hooks:
	  - id: cairn-pre-commit
	  - id: cairn-pre-push
	  - id: cairn-post-checkout
	  - id: cairn-post-merge
	  - id: cairn-post-rewrite
	EOF
	pre-commit install -t pre-commit -t pre-push -t post-checkout -t post-merge -t post-rewrite >"$TRASH/out" &&
	grep_q "installed at .git/hooks/post-checkout" "$TRASH/out" &&
	echo v1 >f && cairn add -q f && git add -A && git commit -qm v1 >"$TRASH/out" 2>&1 &&
	test "$(git log -1 --format=%s)" = v1
'

expect_success 'cairn-pre-commit stops a commit of changed data' '
	chmod u+w f && echo v2 >f && echo x >x && git add x &&
	must_fail git commit -qm x >"$TRASH/out" 2>&1 &&
	grep_q "differs from its staged pointer .f.cairn." "$TRASH/out" &&
	cairn add -q f && git add f.cairn && git commit -qm v2 >"$TRASH/out" 2>&1 &&
	test "$(git log -1 --format=%s)" = v2
'

expect_success 'cairn-post-checkout checks out the data of the new HEAD' '
	git checkout -q HEAD~1 >"$TRASH/out" 2>&1 && echo v1 >"$TRASH/want" && cmp_expected "$TRASH/want" f &&
	git checkout -q - >"$TRASH/out" 2>&1 && echo v2 >"$TRASH/want" && cmp_expected "$TRASH/want" f
'

expect_success 'cairn-post-checkout keeps modified data' '
	chmod u+w f && echo mine >f && git checkout -q HEAD~1 >"$TRASH/out" 2>&1 &&
	grep_q "kept the modified data of .f." "$TRASH/out" && echo mine >"$TRASH/want" && cmp_expected "$TRASH/want" f
'

expect_success 'cairn-pre-push sends the data of the pushed commits' '
	git checkout -q -f - && cairn checkout -q --force &&
	git init -q --bare ../git.git && git remote add origin ../git.git &&
	git config -f .cairn/config.local remote.store.url "$TRASH/store" &&
	git config -f .cairn/config.local core.remote store &&
	git push -q origin HEAD:refs/heads/main >"$TRASH/out" 2>&1 &&
	for v in v1 v2; do
		h=$(echo $v | sha256sum | cut -c1-64) &&
		test -f "$TRASH/store/sha256/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-)" || exit 1
	done
'

test_done
