#!/bin/sh
# t2060-progress: add, commit, checkout and fsck draw a progress line on
# stderr only when it is a terminal (a pty from script(1) here), not with
# -q, not when CI is set, and at most 10 times a second. A fault point
# slows the command down so that the line is drawn at all (nothing is
# drawn in the first half second).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

command -v script >/dev/null || skip_all "script(1) is not installed"
unset CI

new_repo r && cd r || exit 1
mkdir d && for i in $(seq 1 40); do echo "$i" >d/f$i; done
head -c 24000000 /dev/zero >big

# on_tty FILE CMD...: run CMD with stdout and stderr on a pty, output in FILE
on_tty() {
	out=$1; shift
	script -qec "$*" /dev/null >"$out" </dev/null
}

expect_success 'add draws a progress line on a terminal' '
	on_tty out "CAIRN_TEST_FAULT=cache-write:10:sleep=700 cairn add -j 1 d" &&
	grep_q "d: [0-9]*/40 files" out && grep_q "added d (40 files" out &&
	tr "\r" "\n" <out | grep -q "^d: "
'

expect_success 'no progress with -q' '
	rm -f d.cairn && on_tty out "CAIRN_TEST_FAULT=cache-write:10:sleep=700 cairn add -q -j 1 d" &&
	no_grep "files" out && path_is_file d.cairn
'

expect_success 'no progress when CI is set' '
	rm -f d.cairn && on_tty out "CI=true CAIRN_TEST_FAULT=cache-write:10:sleep=700 cairn add -j 1 d" &&
	no_grep "/40 files" out && grep_q "added d" out
'

expect_success 'no progress when stderr is not a terminal' '
	rm -f d.cairn && on_tty out "CAIRN_TEST_FAULT=cache-write:10:sleep=700 cairn add -j 1 d 2>err.txt" &&
	no_grep "/40 files" out && no_grep "/40 files" err.txt
'

expect_success 'redrawn at most 10 times a second' '
	start=$(date +%s%N) &&
	on_tty out "CAIRN_TEST_FAULT=cache-write:1:sleep=600 cairn add -j 1 big" &&
	end=$(date +%s%N) && draws=$(tr "\r" "\n" <out | grep -c "^big: ") &&
	test "$draws" -ge 1 && test "$draws" -le $(( (end - start) / 100000000 + 2 ))
'

expect_success 'checkout draws progress too' '
	on_tty out "CAIRN_TEST_FAULT=checkout-file:1:sleep=700 cairn checkout --relink d" &&
	grep_q "d: [0-9]*/40 files" out && grep_q "restored d" out
'

expect_success 'fsck draws progress too' '
	on_tty out "CAIRN_TEST_FAULT=fsck-object:1:sleep=700 cairn fsck -j 1" &&
	grep_q "fsck: [0-9]*/[0-9]* objects" out && tr "\r" "\n" <out >lines &&
	grep_q "^checked " lines
'

test_done
