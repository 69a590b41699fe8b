#!/bin/sh
# t0006-global: the global options (-C, -q, -v, --version, --help), the
# exit codes (0 ok, 1 error, 2 usage, 130 interrupted) and the shape of
# every error: one line "cairn: error: ...", at most one hint line.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r

expect_success '-C DIR: the work tree and relative paths are taken from DIR' '
	echo data >r/f && cairn -C r add f >out && grep_q "^added f " out && path_is_file r/f.cairn &&
	cairn -C r status f >out && grep_q "up to date: 1 tracked output" out
'

expect_success '-C given twice: each relative DIR from the one before' '
	mkdir -p r/sub && cairn -C r -C sub status >out && grep_q "up to date" out &&
	echo x >r/sub/g && cairn -C r -C sub add g >out && grep_q "^added sub/g " out
'

expect_success '-C with a missing folder or without a folder: errors' '
	must_fail --code=1 cairn -C nowhere status 2>err &&
	grep_q "^cairn: error: cannot change to .nowhere." err &&
	must_fail --code=2 cairn -C 2>err && grep_q "^cairn: error: -C needs a folder" err
'

expect_success '-q before the command is the same as after it' '
	cd r && echo y >h && cairn -q add h >out 2>err && test ! -s out && test ! -s err &&
	echo changed >h && must_fail --code=1 cairn -q status >out && test ! -s out &&
	cairn -q add h && cairn -q status
'

expect_success '--help and -h print the global usage' '
	cairn --help >out && grep_q "^usage: cairn \[-C DIR\]" out && cairn -h >out2 &&
	cmp_expected out out2
'

expect_success 'an unknown global option: exit 2, the error, then the usage' '
	must_fail --code=2 cairn --bogus 2>err && head -n 1 err >first &&
	grep_q "^cairn: error: unknown option .--bogus." first && grep_q "^usage: cairn" err
'

expect_success 'no command: exit 2 with the usage' '
	must_fail --code=2 cairn 2>err && grep_q "^usage: cairn" err &&
	must_fail --code=2 cairn -q 2>err && grep_q "^usage: cairn" err
'

expect_success 'an unknown command: exit 2 and a hint' '
	must_fail --code=2 cairn frob 2>err && grep_q "^cairn: error: unknown command .frob." err &&
	grep_q "^cairn: hint: run .cairn help." err && test $(wc -l <err) = 2
'

expect_success 'a missing option argument: exit 2 with the usage' '
	cd r && must_fail --code=2 cairn add -j 2>../err &&
	grep_q "^cairn: error: option .-j. needs an argument" ../err &&
	grep_q "^usage: cairn add" ../err
'

expect_success 'a bad option value: exit 2' '
	cd r && must_fail --code=2 cairn add -j zero f 2>../err && grep_q "^cairn: error: --jobs: .zero. is not a number from 1 to" ../err &&
	must_fail --code=2 cairn add -j 0 f && must_fail --code=2 cairn add --jobs=-3 f
'

expect_success 'errors that are not usage errors exit 1 with one line, no usage' '
	cd r && for args in "add nothere" "add /etc/passwd" "add .git/config" "checkout nothere" \
		"status nothere" "commit nothere"; do
		must_fail --code=1 cairn $args 2>../err || exit 1
		grep_q "^cairn: error: " ../err && no_grep "^usage:" ../err || exit 1
		test $(grep -c "^cairn: error:" ../err) = 1 || exit 1
		test $(wc -l <../err) -le 2 || { cat ../err; exit 1; }
	done
'

expect_success 'control characters and invalid UTF-8 in a name are escaped in messages' '
	cd r && must_fail --code=1 cairn add "$(printf "x\033[31m\377")" 2>../err &&
	grep_q "x\\\\x1b\[31m\\\\xff" ../err && test $(wc -l <../err) = 1
'

expect_success 'output to a closed pipe is not an error message' '
	cd r && cairn status | true && cairn help | head -n 1 >/dev/null
'

expect_success 'SIGINT stops a command: exit 130, no temp file, no object, no pointer' '
	cd r
	truncate -s 1G big
	{ st=0; cairn add -j 1 big >../out 2>../err || st=$?; echo $st >../rc; } &
	i=0
	while ! ls .cairn/cache/tmp/w*/obj-* >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 3000 ] || { echo "add never started"; exit 1; }
		[ -s ../rc ] && break
		sleep 0.01
	done
	pkill -INT -P $! -x cairn || true
	wait
	rc=$(cat ../rc)
	if [ "$rc" = 0 ]; then echo "# add finished before the signal; nothing to check"; exit 0; fi
	test "$rc" = 130 || { echo "exit $rc"; cat ../err; exit 1; }
	grep_q "^cairn: error: .*interrupted" ../err &&
	path_is_missing big.cairn && test -z "$(find .cairn/cache/tmp -type f)" &&
	no_grep "^/big$" .gitignore && rm big
'

test_done
