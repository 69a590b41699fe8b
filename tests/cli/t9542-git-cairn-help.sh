#!/bin/sh
# t9542-git-cairn-help: git turns `git cairn --help` into `man git-cairn`,
# so make install puts a git-cairn.1 link to cairn.1 beside the pages, and
# make uninstall removes it with the rest.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

[ -f "$CAIRN_BUILDDIR/Makefile" ] || skip_all "no build folder with a Makefile"
command -v make >/dev/null || skip_all "make is not installed"

inst=$TRASH/inst
bindir=$inst/usr/local/bin
mandir=$inst/usr/local/share/man
# a make of its own, not a job of the make running the tests
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$CAIRN_BUILDDIR" "$@" \
		DESTDIR="$inst" prefix=/usr/local >>"$TRASH/make.log" 2>&1
}

expect_success 'make install links git-cairn.1 to cairn.1' '
	mk install || { cat "$TRASH/make.log"; exit 1; }
	path_is_link "$mandir/man1/git-cairn.1" &&
	test "$(readlink "$mandir/man1/git-cairn.1")" = cairn.1
'

expect_success 'git cairn --help shows the cairn(1) page' '
	command -v man >/dev/null || exit 0
	git init -q r && cd r &&
	PATH="$bindir:/usr/bin:/bin" MANPATH="$mandir" MANPAGER=cat MANWIDTH=80 \
		git cairn --help >../page 2>../err </dev/null &&
	grep_q "CAIRN(1)" ../page
'

expect_success 'make install twice keeps the link' '
	mk install && test "$(readlink "$mandir/man1/git-cairn.1")" = cairn.1
'

expect_success 'make uninstall removes it' '
	mk uninstall && path_is_missing "$mandir/man1/git-cairn.1" &&
	path_is_missing "$mandir/man1/cairn.1" && path_is_missing "$bindir/git-cairn"
'

test_done
