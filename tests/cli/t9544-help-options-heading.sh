#!/bin/sh
# t9544-help-options-heading: every --help lists its options under an
# "options:" heading after a blank line, also for commands whose only options
# are the common -q and -h (init, uninstall, exp branch, ...), which printed
# them glued to the summary line.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

check_help() {
	cairn "$@" --help >out || { echo "cairn $* --help failed" >&2; return 1; }
	# the two lines above the first option line: a blank one, then the heading
	awk '/^  +-/ { print prev2; print prev; exit } { prev2 = prev; prev = $0 }' out >head
	printf '\noptions:\n' >want
	cmp_expected want head || { echo "in: cairn $* --help" >&2; return 1; }
	grep_q "^  -h, --help  *show this help$" out
}

expect_success 'commands without options of their own have the heading' '
	check_help init && check_help uninstall && check_help help
'

expect_success 'every command has it' '
	cairn help | sed -n "s/^  \([a-z]*\) .*/\1/p" >cmds && test -s cmds &&
	while read -r c; do check_help "$c" || exit 1; done <cmds
'

expect_success 'every subcommand has it' '
	for s in "exp run" "exp show" "exp apply" "exp branch" "exp remove" "exp push" "exp pull" \
		"stage add" "stage list" "params diff" "metrics show" "metrics diff"; do
		check_help $s || exit 1
	done
'

test_done
