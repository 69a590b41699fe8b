#!/bin/sh
# t0002-init: cairn init: from the root, a subfolder or -C; what it writes;
# re-running is harmless; the errors outside a work tree.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

expect_success 'init creates .cairn/config and .cairn/.gitignore' '
	git init -q r && (cd r && cairn init >../out 2>../err) &&
	path_is_dir r/.cairn && path_is_file r/.cairn/config && path_is_file r/.cairn/.gitignore &&
	grep_q "^initialised cairn in .*/r/.cairn$" out &&
	grep_q "^cairn: hint: record it in git: git add .cairn/config .cairn/.gitignore" err &&
	test "$(git config -f r/.cairn/config core.version)" = 1
'

expect_success '.cairn/.gitignore ignores exactly cache/, tmp/ and config.local' '
	printf "/cache/\n/tmp/\n/config.local\n" >want && cmp_expected want r/.cairn/.gitignore &&
	cd r && mkdir -p .cairn/cache .cairn/tmp && : >.cairn/config.local &&
	: >.cairn/cache/x && : >.cairn/tmp/y &&
	git add .cairn && git diff --cached --name-only >../staged &&
	printf ".cairn/.gitignore\n.cairn/config\n" >../want2 && cmp_expected ../want2 ../staged
'

expect_success 'init from a subfolder sets up the work tree root' '
	git init -q r2 && mkdir -p r2/a/b && (cd r2/a/b && cairn -q init) &&
	path_is_dir r2/.cairn && path_is_missing r2/a/b/.cairn && path_is_missing r2/a/.cairn
'

expect_success 'init -C DIR works from anywhere' '
	git init -q r3 && mkdir elsewhere && (cd elsewhere && cairn -C ../r3 init -q) &&
	path_is_file r3/.cairn/config && path_is_missing elsewhere/.cairn
'

expect_success 're-running init is harmless: settings and extra lines are kept' '
	cd r && git config -f .cairn/config cache.type copy &&
	echo "/mine" >>.cairn/.gitignore && cp .cairn/config ../cfg.before &&
	cp .cairn/.gitignore ../gi.before &&
	cairn init >../out && grep_q "already initialised" ../out &&
	cmp_expected ../cfg.before .cairn/config && cmp_expected ../gi.before .cairn/.gitignore
'

expect_success 're-running init restores what is missing, keeping the rest' '
	cd r && printf "/mine\n/tmp/\n" >.cairn/.gitignore && cairn -q init &&
	printf "/mine\n/tmp/\n/cache/\n/config.local\n" >../want && cmp_expected ../want .cairn/.gitignore &&
	rm .cairn/config && cairn -q init && test "$(git config -f .cairn/config core.version)" = 1
'

expect_success 're-running init keeps tracked data working' '
	cd r && echo data >f && cairn -q add f && cairn -q init && cairn status >../out &&
	grep_q "up to date: 1 tracked output" ../out
'

expect_success 'outside a git repository: one error line, exit 1, nothing created' '
	mkdir plain && (cd plain && must_fail --code=1 cairn init 2>../err) &&
	grep_q "^cairn: error: not inside a git repository" err && test $(wc -l <err) = 1 &&
	path_is_missing plain/.cairn
'

expect_success 'a bare repository: a clear error, exit 1' '
	git init -q --bare bare.git && (cd bare.git && must_fail --code=1 cairn init 2>../err) &&
	grep_q "^cairn: error: .*bare" err
'

expect_success 'a file named .cairn: a clear error, nothing replaced' '
	git init -q r4 && echo mine >r4/.cairn && (cd r4 && must_fail --code=1 cairn init 2>../err) &&
	grep_q "^cairn: error: .*\.cairn.* is not a folder" err && grep_q "^mine$" r4/.cairn
'

expect_success 'init takes no argument and no unknown option (exit 2, usage)' '
	cd r && must_fail --code=2 cairn init extra 2>../err &&
	grep_q "^cairn: error: too many arguments" ../err && grep_q "^usage: cairn init" ../err &&
	must_fail --code=2 cairn init --bogus 2>../err && grep_q "^usage: cairn init" ../err
'

expect_success 'other commands before init: a clear error with a hint' '
	git init -q r5 && (cd r5 && must_fail --code=1 cairn status 2>../err) &&
	grep_q "^cairn: error: cairn is not initialised" err && grep_q "^cairn: hint: run .cairn init." err
'

expect_success 'init inside a linked git worktree sets up that work tree' '
	cd r && git commit -q --allow-empty -m init && git worktree add -q ../wt &&
	(cd ../wt && cairn -q init) && path_is_file ../wt/.cairn/config
'

test_done
