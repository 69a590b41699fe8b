#!/bin/sh
# t0009-configure: configure in a fresh build folder is quiet and clean.
# Autoconf's exit trap runs "rm -f core", which failed on the build's own
# core/ folder: "rm: cannot remove 'core': Is a directory" on every run, and
# confdefs.h left behind.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

test -x "$CAIRN_SRCDIR/configure" || skip_all "no configure script in the source folder"

expect_success 'configure -q in a new build folder prints nothing and leaves no confdefs.h' '
	mkdir b && (cd b && "$CAIRN_SRCDIR/configure" -q >../out 2>../err) &&
	test ! -s ../err && test -d b/core && test ! -e b/confdefs.h
'

expect_success 'and again in the same folder' '
	(cd b && "$CAIRN_SRCDIR/configure" -q >../out 2>../err) &&
	test ! -s ../err && test ! -e b/confdefs.h
'

test_done
