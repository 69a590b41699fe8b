#!/bin/sh
# t0000-basic: the CLI spine: version, help, usage errors and exit codes, -C.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

expect_success 'version prints the version' '
	cairn version >out && grep_q "^cairn [0-9]" out &&
	cairn --version >out2 && cmp_expected out out2
'

expect_success 'help lists every command with one line' '
	cairn help >out &&
	for c in add checkout commit fsck gc help init move remove status unprotect version; do
		grep_q "^  $c " out || exit 1
	done
'

expect_success 'CMD --help prints the usage and options' '
	cairn add --help >out && grep_q "^usage: cairn add" out && grep_q "--jobs" out
'

expect_success 'help CMD works without a terminal' '
	cairn help status >out && grep_q "^usage: cairn status" out
'

expect_success 'an unknown command is a usage error (exit 2)' '
	must_fail --code=2 cairn frobnicate 2>err &&
	grep_q "^cairn: error: unknown command .frobnicate." err
'

expect_success 'an unknown option is a usage error (exit 2)' '
	must_fail --code=2 cairn status --no-such-option 2>err &&
	grep_q "^cairn: error: unknown option" err && grep_q "^usage: cairn status" err
'

expect_success 'too few arguments is a usage error (exit 2)' '
	git init -q r0 && (cd r0 && cairn init -q) &&
	(cd r0 && must_fail --code=2 cairn add 2>../err) &&
	grep_q "^cairn: error: too few arguments" err
'

expect_success 'no command at all is a usage error' '
	must_fail --code=2 cairn 2>err && grep_q "^usage: cairn" err
'

expect_success 'outside a git repository: one clear error, exit 1' '
	mkdir plain && (cd plain && must_fail --code=1 cairn status 2>../err) &&
	grep_q "^cairn: error: not inside a git repository" err &&
	test $(wc -l <err) -le 2
'

expect_success '-C DIR runs as if started in DIR' '
	git init -q r1 && cairn -C r1 init >out && path_is_dir r1/.cairn &&
	cairn -C r1 status >/dev/null
'

expect_success '-C with a missing folder is an error' '
	must_fail cairn -C does-not-exist status 2>err && grep_q "^cairn: error:" err
'

expect_success 'git cairn works through the git-cairn link' '
	(cd r1 && git cairn version >../out) && grep_q "^cairn " out
'

test_done
