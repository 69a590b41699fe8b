#!/bin/sh
# t0001-docs: the manual pages agree with the binary: every command has
# man/cairn-CMD.1 naming each of its long options and its short letters in the
# SYNOPSIS, cairn(1) links every command page, and mandoc -Tlint is clean.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
MAN=$CAIRN_SRCDIR/man

cairn help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' >commands

expect_success 'cairn help lists commands' '
	test -s commands
'

while read -r c; do
	expect_success "cairn-$c(1) exists and documents every option" '
		page="$MAN/cairn-$c.1"
		test -f "$page" || { echo "missing $page"; exit 1; }
		cairn '"$c"' --help >help
		sed -n "s/.*--\([a-z][a-z0-9-]*\).*/\1/p" help | grep -v "^help$" >longs || true
		while read -r o; do
			grep -E "Fl .*(^| )-$o( |$)|Fl -$o$" "$page" >/dev/null ||
				{ echo "--$o of cairn '"$c"' is not in $page"; exit 1; }
		done <longs
		sed -n "/^\.Sh SYNOPSIS/,/^\.Sh/p" "$page" >syn
		sed -n "s/^  -\([a-zA-Z]\),.*/\1/p" help | grep -v "^h$" >shorts || true
		while read -r l; do
			grep -E "Fl ([^ ]* )*$l( |$)|Fl [a-zA-Z]*$l[a-zA-Z]*( |$)" syn >/dev/null ||
				{ echo "-$l of cairn '"$c"' is not in the SYNOPSIS of $page"; exit 1; }
		done <shorts
	'
	expect_success "cairn(1) links cairn-$c(1)" '
		grep_q "^\.Xr cairn-'"$c"' 1" "$MAN/cairn.1"
	'
done <commands

if command -v mandoc >/dev/null 2>&1; then
	expect_success 'mandoc -Tlint finds nothing in man/' '
		mandoc -Tlint -W warning "$MAN"/*.[1-8] >lint 2>&1 || true
		test ! -s lint || { cat lint; exit 1; }
	'
elif [ -n "${CAIRN_TEST_REQUIRE_MANDOC:-}" ]; then
	expect_success 'mandoc is installed (required)' 'false'
else
	skip_test 'mandoc -Tlint finds nothing in man/' 'mandoc is not installed'
fi

test_done
