#!/bin/sh
# t0008-suite-lists: the suite runs every test there is. Makefile.am's
# UNIT_TESTS and CLI_TESTS, read as make reads them (a line continues only
# after a backslash), name every tests/unit/*.c and tests/cli/t*.sh: a merge
# once dropped one backslash and nine scripts silently stopped running.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
MK=$CAIRN_SRCDIR/Makefile.am

# the words of variable $1 in Makefile.am, one per line
make_var() {
	awk -v v="$1" '
		$1 == v && $2 == "=" { f = 1; sub(/^[^=]*=/, "") }
		f { l = $0; more = sub(/\\$/, "", l); n = split(l, w, /[ \t]+/)
		    for (i = 1; i <= n; i++) if (w[i] != "") print w[i]
		    if (!more) f = 0 }' "$MK" | sort
}

expect_success 'CLI_TESTS lists every tests/cli/t*.sh' '
	make_var CLI_TESTS >listed && test -s listed &&
	(cd "$CAIRN_SRCDIR" && ls tests/cli/t*.sh) | sort >all && cmp_expected all listed
'

expect_success 'UNIT_TESTS lists every tests/unit/*.c' '
	make_var UNIT_TESTS >listed && test -s listed &&
	(cd "$CAIRN_SRCDIR" && ls tests/unit/*.c) | sed "s/\.c\$//" | sort >all && cmp_expected all listed
'

expect_success 'the reader is strict: a missing backslash is seen' '
	sed "/tests\/cli\/t0002-init.sh/s/ \\\\\$//" "$MK" >mk && test "$(wc -l <mk)" = "$(wc -l <"$MK")" &&
	MK=mk make_var CLI_TESTS >listed && ! grep_q t0003 listed && grep_q t0002 listed
'

test_done
