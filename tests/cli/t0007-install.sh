#!/bin/sh
# t0007-install: make install DESTDIR=... puts cairn, the git-cairn link,
# every manual page and the bash completion in place, and `git cairn ...`
# then runs cairn through git.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

[ -f "$CAIRN_BUILDDIR/Makefile" ] || skip_all "no build folder with a Makefile"
command -v make >/dev/null || skip_all "make is not installed"

inst=$TRASH/inst
# a make of its own, not a job of the make running the tests
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$CAIRN_BUILDDIR" install \
	DESTDIR="$inst" prefix=/usr/local >"$TRASH/install.log" 2>&1
install_rc=$?
bindir=$inst/usr/local/bin
mandir=$inst/usr/local/share/man

expect_success 'make install DESTDIR=... succeeds' '
	test $install_rc = 0 || { cat "$TRASH/install.log"; exit 1; }
'

expect_success 'it installs cairn and a git-cairn link to it' '
	test -x "$bindir/cairn" && path_is_link "$bindir/git-cairn" &&
	test "$(readlink "$bindir/git-cairn")" = cairn
'

expect_success 'it installs every manual page' '
	for p in "$CAIRN_SRCDIR"/man/*.[1-8]; do
		b=$(basename "$p"); s=${b##*.}
		cmp_expected "$p" "$mandir/man$s/$b" || exit 1
	done
'

expect_success 'man finds the installed pages' '
	command -v man >/dev/null || exit 0
	MANWIDTH=80 man -M "$mandir" cairn-add >page 2>err </dev/null && grep_q "cairn-add" page
'

expect_success 'it installs the bash completion' '
	path_is_file "$inst/usr/local/share/bash-completion/completions/cairn"
'

expect_success 'git cairn runs the installed cairn' '
	git init -q r && cd r &&
	PATH="$bindir:/usr/bin:/bin" git cairn init >../out && path_is_dir .cairn &&
	echo data >f && PATH="$bindir:/usr/bin:/bin" git cairn add f >../out &&
	grep_q "^added f " ../out && path_is_file f.cairn &&
	PATH="$bindir:/usr/bin:/bin" git cairn status >../out && grep_q "up to date" ../out
'

expect_success 'git cairn passes errors and exit codes through' '
	cd r && PATH="$bindir:/usr/bin:/bin" must_fail --code=1 git cairn add nothere 2>../err &&
	grep_q "^cairn: error: .nothere. does not exist" ../err &&
	PATH="$bindir:/usr/bin:/bin" must_fail --code=2 git cairn add --bogus 2>../err &&
	grep_q "^usage: cairn add" ../err
'

test_done
