#!/bin/sh
# t9702-size-range: a size or file count in a pointer file or cairn.lock is
# at most 2^63-1 (the largest file offset, and the largest integer the JSON
# outputs hold). A cloned pointer saying 'size: 18446744073709551615' was
# taken, and cairn ls --json printed "size": -1 (2^63 gave a large negative
# number); now it is a malformed pointer, as a negative size is.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'a tracked file' '
	echo data >f && cairn -q add f &&
	grep_q "^  size: 5$" f.cairn
'

expect_success 'size 2^63-1 is read and printed as it is' '
	sed "s/^  size: 5$/  size: 9223372036854775807/" f.cairn >p && mv p f.cairn &&
	cairn ls --json >out &&
	grep_q "\"size\": 9223372036854775807," out
'

for big in 9223372036854775808 18446744073709551615 18446744073709551616; do
	expect_success "a pointer with size $big is malformed" "
		sed 's/^  size: .*/  size: $big/' f.cairn >p && mv p f.cairn &&
		must_fail --code=1 cairn ls --json >out 2>err && test ! -s out &&
		grep_q \"malformed pointer 'f.cairn' line 5: 'size'\" err &&
		must_fail --code=1 cairn status --json >out 2>err && test ! -s out &&
		grep_q \"malformed pointer 'f.cairn'\" err
	"
done

expect_success 'nfiles above 2^63-1 is malformed too' '
	mkdir d && echo a >d/a && cairn -q add d &&
	sed "s/^  nfiles: 1$/  nfiles: 9223372036854775808/" d.cairn >p && mv p d.cairn &&
	must_fail --code=1 cairn ls --json d 2>err &&
	grep_q "malformed pointer .d.cairn.*nfiles" err &&
	rm d.cairn
'

expect_success 'a cairn.lock size above 2^63-1 is malformed' '
	rm f.cairn &&
	cairn stage add -n s -d f -o out "cp f out" >/dev/null 2>&1 &&
	cairn -q repro && grep_q "size: 5" cairn.lock &&
	sed "s/size: 5$/size: 9223372036854775808/" cairn.lock >l && mv l cairn.lock &&
	must_fail --code=1 cairn ls --json >out 2>err && test ! -s out &&
	grep_q "cairn.lock.*size" err
'

expect_success 'a folder holding two outputs of 2^63-1 each: its sum stays 2^63-1' '
	rm -f cairn.yaml cairn.lock && mkdir -p big && echo a >big/a && echo b >big/b &&
	cairn -q add big/a big/b &&
	for p in big/a.cairn big/b.cairn; do
		sed "s/^  size: 2$/  size: 9223372036854775807/" $p >p && mv p $p || exit 1
	done &&
	cairn ls --json >out && grep_q "\"size\": 9223372036854775807" out && no_grep "\"size\": -" out
'

test_done
