#!/bin/sh
# t1520-rev-xfer: the revision options of push, fetch and pull (--rev,
# -a/--all-branches, -T/--all-tags, -A/--all-commits): the data of other
# revisions moves, read from Git objects without a checkout; PATH filters
# them (also a path only a revision has); pull checks out the workspace
# only; unknown revisions are errors.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

REMOTE="$TRASH/store"
rcount() { find "$REMOTE" -type f -path "*/sha256/*" 2>/dev/null | wc -l | tr -d " "; }
rhas() { test -f "$REMOTE/sha256/$(echo $1 | cut -c1-2)/$(echo $1 | cut -c3-)"; }
chas() { test -f ".cairn/cache/sha256/$(echo $1 | cut -c1-2)/$(echo $1 | cut -c3-)"; }
id() { echo "$1" | sha256sum | cut -c1-64; }

new_repo r && cd r && cairn remote add -d origin "$REMOTE"

expect_success 'setup: a history of two branches, a tag and an old commit' '
	mkdir d && echo d1 >d/x && echo v1 >f && cairn add -q d f && git add -A && git commit -qm 1 &&
	git tag t1 && chmod -R u+w d f &&
	echo v2 >f && cairn add -q f && git commit -qam 2 &&
	echo v3 >f && echo only >o && cairn add -q f o && git add -A && git commit -qm 3 &&
	git checkout -qb side HEAD~1 && chmod u+w f && echo vs >f && cairn add -q f &&
	git commit -qam s && git checkout -q main && cairn checkout -q --force &&
	git rm -q o.cairn && git commit -qm "rm o" && rm -f o
'

expect_success 'push without options: the workspace only' '
	cairn push -q && test $(rcount) = 3 && rhas $(id v3) && rhas $(id d1)
'

expect_success 'push --rev, -T, -a, -A add exactly their data' '
	cairn push -q --rev main~1 && rhas $(id only) && test $(rcount) = 4 &&
	cairn push -q -T && rhas $(id v1) && test $(rcount) = 5 &&
	cairn push -q -a && rhas $(id vs) && test $(rcount) = 6 &&
	cairn push -A >out && rhas $(id v2) && test $(rcount) = 7 &&
	grep_q "^pushed 1 object" out &&
	cairn push -A >out && grep_q "^everything is on .origin. already" out
'

expect_success 'fetch --rev into an empty cache: the workspace and that revision' '
	chmod -R u+w .cairn/cache && rm -rf .cairn/cache &&
	cairn fetch -q --rev t1 && chas $(id v1) && chas $(id d1) && chas $(id v3) && ! chas $(id v2) &&
	cairn fetch -q --all-branches && chas $(id vs) && ! chas $(id v2) &&
	cairn fetch -q --all-commits && chas $(id v2) && chas $(id only)
'

expect_success 'a path filters the revisions too, even one only they have' '
	chmod -R u+w .cairn/cache && rm -rf .cairn/cache &&
	cairn fetch -q -A o && chas $(id only) && ! chas $(id v1) && ! chas $(id d1) &&
	cairn fetch -q --rev t1 -- d && chas $(id d1) && ! chas $(id v1)
'

expect_success 'pull -a fetches every branch but checks out the workspace only' '
	chmod -R u+w .cairn/cache && rm -rf .cairn/cache && rm -rf f d &&
	cairn pull -a >out && chas $(id vs) && echo v3 >want && cmp_expected want f &&
	path_is_missing o && grep_q "^restored f" out && no_grep "restored o" out
'

expect_success 'data of a revision that is nowhere: named, exit 1' '
	git checkout -qb gone && echo lost >l && cairn add -q l && git add -A && git commit -qm l &&
	git checkout -q main && rm -f l &&
	lid=$(id lost) && chmod u+w .cairn/cache/sha256/$(echo $lid | cut -c1-2) &&
	rm .cairn/cache/sha256/$(echo $lid | cut -c1-2)/$(echo $lid | cut -c3-) &&
	must_fail --code=1 cairn push -a 2>err && grep_q "not in the cache, not pushed: .l." err &&
	must_fail --code=1 cairn pull -a 2>err && grep_q "not on remote .origin.: .l." err &&
	echo v3 >want && cmp_expected want f
'

expect_success 'unknown revision and bad options' '
	must_fail --code=1 cairn push --rev no-such 2>err && grep_q "unknown revision .no-such." err &&
	must_fail --code=1 cairn fetch --rev no-such 2>err && grep_q "unknown revision" err &&
	must_fail --code=2 cairn pull --rev 2>err && grep_q "needs an argument" err &&
	must_fail --code=2 cairn push --all-nothing 2>err && grep_q "unknown option" err
'

test_done
