#!/bin/sh
# t9703-path-order: status (the files of a modified folder), ls -R and diff
# list paths in the same order, byte order of the whole path (what
# "LC_ALL=C sort" gives, and what comm and join need). status and ls -R
# walked folder by folder, so "d/a/x" came before "d/a b", "d/a-b" and
# "d/a.csv" (' ', '-' and '.' sort before '/'), while diff sorted by path.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'a tracked folder whose names sort around a sub-folder' '
	mkdir -p d/a d/a0 && echo 1 >d/a/x && echo 2 >"d/a b" && echo 3 >d/a.csv &&
	echo 4 >d/a-b && echo 5 >d/B && echo 6 >d/a0/y && echo 7 >d/ab &&
	cairn -q add d && git add -A && git commit -qm one &&
	for f in d/a/x "d/a b" d/a.csv d/a-b d/B d/a0/y d/ab; do echo z >>"$f"; done &&
	printf "%s\n" d/B "d/a b" d/a-b d/a.csv d/a/x d/a0/y d/ab >want &&
	LC_ALL=C sort want >sorted && cmp_expected sorted want
'

expect_success 'status --json: the changes in byte order' '
	cairn status --json >out &&
	python3 -c "
import json
for o in json.load(open(\"out\"))[\"outputs\"]:
    for c in o[\"changes\"]:
        print(c[\"path\"])
" >got && cmp_expected want got
'

expect_success 'status: the same order' '
	cairn status | sed -n "s/^    modified  //p" >got && cmp_expected want got
'

expect_success 'ls -R and ls -R --json: the same order' '
	cairn ls -R >got && cmp_expected want got &&
	cairn ls -R --json >out &&
	python3 -c "
import json
for e in json.load(open(\"out\")):
    print(e[\"path\"])
" >got && cmp_expected want got &&
	cairn ls -R --rev HEAD >got && cmp_expected want got
'

expect_success 'diff: the same order' '
	cairn diff | sed -n "s/^modified: *//p" >got && cmp_expected want got
'

test_done
