#!/bin/sh
# t9400-pull-hostile-cairn-pointer: a cloned repository commits
# '.cairn.cairn', a pointer whose output is cairn's own folder. add refuses
# to track '.cairn'; pull, checkout and status refuse such a pointer as
# malformed too, so 'pull --force' never replaces the cache (data that is
# nowhere else) and the configuration with the clone's folder.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

new_repo r && cd r && cairn remote add -d origin "$STORE" >/dev/null &&
	mkdir d && echo evil >d/config && cairn -q add d && cairn -q push &&
	sed "s/path: d$/path: .cairn/" d.cairn >.cairn.cairn && rm -rf d d.cairn &&
	git add -A && git commit -qm hostile
cd "$TRASH"

expect_success 'add refuses to track .cairn' '
	cd r && must_fail cairn add .cairn 2>err && grep_q "cannot track" err
'

expect_success 'pull --force refuses the pointer; the cache and config stay' '
	git clone -q r c && cd c &&
	echo local-only >mine && cairn -q add mine &&
	must_fail --code=1 cairn pull --force 2>err &&
	grep_q "^cairn: error: malformed pointer .\.cairn\.cairn.: .\.cairn. cannot be tracked$" err &&
	path_is_file .cairn/config &&
	! grep -q evil .cairn/config &&
	id=$(sha256 mine) &&
	path_is_file ".cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)"
'

expect_success 'checkout --force and status refuse it too, with exit 1' '
	cd c &&
	must_fail --code=1 cairn checkout --force 2>err && grep_q "cannot be tracked" err &&
	must_fail --code=1 cairn status 2>err && grep_q "cannot be tracked" err &&
	path_is_file .cairn/config && test -d .cairn/cache
'

test_done
