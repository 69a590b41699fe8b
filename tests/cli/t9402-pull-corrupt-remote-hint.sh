#!/bin/sh
# t9402-pull-corrupt-remote-hint: a local remote holds, under a valid name,
# an object of the right size whose bytes hash to something else. pull
# refuses it, names it and the path needing it, and its hint gives the way
# out that works: a push from a clone with a good copy does not replace an
# object of the right size, push --verify does. Before, the hint was missing
# (S3 said "push a good copy", which sends nothing).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store
new_repo a && cd a && cairn remote add -d origin "$STORE" >/dev/null &&
	echo good >f && cairn -q add f && cairn -q push && git add -A && git commit -qm f
ID=$(echo good | sha256sum | cut -c1-64)
OBJ=$STORE/sha256/$(echo $ID | cut -c1-2)/$(echo $ID | cut -c3-)
chmod u+w "$OBJ" && echo evil >"$OBJ"
cd "$TRASH"

expect_success 'pull refuses the object, names it and the path; the hint says push --verify' '
	git clone -q a b && cd b &&
	must_fail --code=1 cairn pull 2>err && path_is_missing f &&
	grep_q "^cairn: error: .f.: object $ID on remote .origin. is corrupt" err &&
	grep_q "^cairn: hint: run .cairn push --verify. in a clone that has a good copy: it replaces damaged objects on the remote$" err &&
	test "$(wc -l <err)" = 2
'

expect_success 'a push alone keeps the bad object (same size: present)' '
	cd a && cairn push >out && grep_q "^everything is on .origin. already" out &&
	test "$(cat "$OBJ")" = evil
'

expect_success 'as the hint says: push --verify replaces it, and the clone pulls the good bytes' '
	(cd a && cairn push --verify >out && grep_q "^replaced 1 damaged object" out) &&
	test "$(cat "$OBJ")" = good && cd b && cairn pull >out && test "$(cat f)" = good
'

test_done
