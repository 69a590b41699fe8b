#!/bin/sh
# t0004-help: cairn help, help COMMAND and COMMAND --help: generated from
# the option tables, never a pager or a prompt without a terminal, and the
# usage errors around them.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

expect_success 'help lists every command with its summary, on stdout' '
	cairn help >out 2>err && test ! -s err &&
	grep_q "^usage: cairn \[-C DIR\] \[-q\] \[-v\] COMMAND" out &&
	for c in add checkout commit help init status version; do
		grep_q "^  $c  *[a-z]" out || exit 1
	done
'

expect_success 'help works outside a git repository' '
	mkdir plain && (cd plain && cairn help >../out) && grep_q "^  init " out
'

expect_success 'every COMMAND --help prints its usage, summary and options' '
	for c in add checkout commit help init status version; do
		cairn $c --help >out || exit 1
		grep_q "^usage: cairn $c" out && grep_q "^  -h, --help" out &&
			grep_q "See .man cairn-$c." out || exit 1
	done
'

expect_success 'COMMAND -h is the same as --help' '
	cairn status -h >a && cairn status --help >b && cmp_expected a b
'

expect_success '--help lists each option of the table with its argument' '
	cairn add --help >out && grep_q "^  -j, --jobs N  *hash on N threads" out &&
	grep_q "^usage: cairn add \[-q\] \[-j N\] PATH\.\.\.$" out &&
	cairn checkout --help >out && grep_q "^  -f, --force " out && grep_q "^      --relink " out &&
	cairn status --help >out && grep_q "^      --json " out
'

expect_success 'help COMMAND without a terminal prints the --help text' '
	cairn help checkout >a </dev/null && cairn checkout --help >b && cmp_expected a b
'

expect_success 'help --help and help -h describe help itself' '
	cairn help --help >out && grep_q "^usage: cairn help \[COMMAND\]" out &&
	cairn help -h >out2 && cmp_expected out out2
'

expect_success 'help of an unknown command: exit 2, with a hint' '
	must_fail --code=2 cairn help frobnicate 2>err &&
	grep_q "^cairn: error: unknown command .frobnicate." err &&
	grep_q "^cairn: hint: run .cairn help." err
'

expect_success 'help with two commands: exit 2' '
	must_fail --code=2 cairn help add status 2>err && grep_q "^cairn: error: too many arguments" err
'

expect_success 'a command of subcommands without one: the error and one usage line (exit 2)' '
	for c in exp metrics params stage; do
		must_fail --code=2 cairn $c >out 2>err && test ! -s out &&
		grep_q "^cairn: error: a subcommand is needed$" err &&
		grep_q "^usage: cairn $c [a-z|]* " err && test "$(wc -l <err)" = 2 || exit 1
	done
'

expect_success 'the manual pages render (man -l)' '
	command -v man >/dev/null || exit 0
	for p in "$CAIRN_SRCDIR"/man/*.[15]; do
		MANWIDTH=80 man -l "$p" >page 2>err </dev/null || { cat err; exit 1; }
		test -s page || { echo "empty: $p"; exit 1; }
	done
'

test_done
