#!/bin/sh
# t3020-status-cloud: cairn status -c|--cloud: what is only local (to push),
# only on the remote (to pull) and missing everywhere, in text and JSON, and
# the exit code CI relies on (0 only when the remote holds everything).
# Presence is asked of the remote every time (C26); a truncated object on
# the remote is not counted as present (C05, C42).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store
objpath() {
	echo "$1/sha256/$(echo "$2" | cut -c1-2)/$(echo "$2" | cut -c3-)"
}

new_repo r && cd r
cairn remote add -d origin "$STORE" >/dev/null
mkdir -p d/s && echo 1 >d/one && echo 2 >d/s/two && echo f >f
cairn -q add d f

expect_success 'before a push: everything to push, exit 1' '
	must_fail --code=1 cairn status -c >out &&
	grep_q "^to push: d (4 objects, " out && grep_q "^to push: f (1 object, 2 B)" out
'

expect_success '--json says the same, with remote_complete false' '
	must_fail --code=1 cairn status --cloud --json >out &&
	python3 -c "
import json,sys
j=json.load(open(\"out\"))
assert j[\"remote\"]==\"origin\" and j[\"remote_complete\"] is False
o={x[\"path\"]:x for x in j[\"outputs\"]}
assert o[\"d\"][\"to_push\"]==4 and o[\"d\"][\"objects\"]==4 and o[\"f\"][\"to_pull\"]==0, o
"
'

expect_success 'after a push: up to date, exit 0' '
	cairn -q push && cairn status -c >out && grep_q "^up to date with .origin.: 2 tracked outputs" out
'

expect_success 'with an empty cache: to pull, exit 0 (the remote has everything)' '
	mv .cairn/cache ../cache.saved && cairn status -c >out &&
	grep_q "^to pull: d (2 objects)" out && grep_q "^to pull: f (1 object)" out &&
	rm -rf .cairn/cache && mv ../cache.saved .cairn/cache
'

expect_success 'an object in neither place is missing, named with its path, exit 1' '
	id=$(sha256 d/s/two) && mv "$(objpath "$STORE" $id)" ../held.remote &&
	mv "$(objpath .cairn/cache $id)" ../held.cache &&
	must_fail --code=1 cairn status -c >out; rc=$?
	mv ../held.remote "$(objpath "$STORE" $id)" && mv ../held.cache "$(objpath .cairn/cache $id)" &&
	test $rc = 0 && grep_q "^missing: d (1 object in neither the cache nor .origin.)" out &&
	grep_q "^    d/s/two (object $(echo $id | cut -c1-12))" out
'

expect_success 'deleted on the remote behind our back: asked again, to push (C26)' '
	rm -rf "$STORE/sha256" && must_fail --code=1 cairn status -c >out &&
	grep_q "^to push: d" out && cairn -q push && cairn status -c >/dev/null
'

expect_success 'a truncated object on the remote is not counted as present' '
	id=$(sha256 d/one) && o=$(objpath "$STORE" $id) && chmod u+w "$o" && : >"$o" &&
	must_fail --code=1 cairn status -c d >out && grep_q "^to push: d (1 object, 2 B)" out &&
	cairn -q push && cairn status -c >/dev/null
'

expect_success '-q prints nothing but keeps the exit code' '
	cairn status -c -q >out && test ! -s out &&
	echo g >g && cairn -q add g && must_fail --code=1 cairn status -c -q >out && test ! -s out
'

expect_success 'PATH limits the outputs' '
	cairn status -c d >out && grep_q "^up to date with .origin.: 1 tracked output$" out
'

expect_success '-r names another remote' '
	cairn remote add other "$TRASH/other" && must_fail --code=1 cairn status -c -r other >out &&
	grep_q "^to push: g" out && grep_q "^to push: d" out
'

expect_success 'errors: unknown remote, no default, unreachable folder (exit 1)' '
	must_fail --code=1 cairn status -c -r nope 2>err && grep_q "no remote .nope." err &&
	cairn remote add gone /no/such/dir &&
	must_fail --code=1 cairn status -c -r gone 2>err && grep_q "cannot reach folder" err &&
	git init -q ../n && (cd ../n && cairn -q init && must_fail --code=1 cairn status -c 2>../err) &&
	grep_q "no default remote" ../err
'

expect_success 'usage: -r and -j need --cloud (exit 2)' '
	must_fail --code=2 cairn status -r origin 2>err && grep_q "cloud" err &&
	must_fail --code=2 cairn status -c -j 0
'

test_done
