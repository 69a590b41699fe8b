#!/bin/sh
# t0005-version: cairn version and --version, the library versions with -v,
# anywhere, and its usage errors.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

expect_success 'version prints one line "cairn X.Y.Z"' '
	cairn version >out 2>err && test ! -s err && test $(wc -l <out) = 1 &&
	grep_q "^cairn [0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*$" out
'

expect_success 'cairn --version prints the same' '
	cairn version >a && cairn --version >b && cmp_expected a b
'

expect_success 'the version matches the build (configure.ac)' '
	v=$(sed -n "s/^AC_INIT(\[cairn\], \[\([^]]*\)\].*/\1/p" "$CAIRN_SRCDIR/configure.ac") &&
	test -n "$v" && echo "cairn $v" >want && cairn version >got && cmp_expected want got
'

expect_success 'version -v and cairn -v version list the libraries' '
	cairn version -v >a && cairn -v version >b && cmp_expected a b &&
	for lib in libgit2 libcurl OpenSSL libyaml jansson sqlite zlib; do
		grep -qi "^$lib" a || { echo "no $lib in:"; cat a; exit 1; }
	done
'

expect_success 'version works outside a git repository' '
	mkdir plain && (cd plain && cairn version >../out) && grep_q "^cairn " out
'

expect_success 'version takes no argument (exit 2, usage)' '
	must_fail --code=2 cairn version extra 2>err &&
	grep_q "^cairn: error: too many arguments" err && grep_q "^usage: cairn version" err
'

expect_success 'version with an unknown option: exit 2' '
	must_fail --code=2 cairn version --bogus 2>err && grep_q "^cairn: error: unknown option" err
'

test_done
