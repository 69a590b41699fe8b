#!/bin/sh
# t9401-push-gc-cloud-reuse: a push that finds an object already on a local
# remote, written there long ago, sends nothing; the commit naming it comes
# after. A gc --cloud in another clone meanwhile (its roots cannot see that
# commit) must keep the object for gc.grace, as it keeps the objects the
# push sends: the push renews the age of old objects it relies on. Before,
# it deleted them and the committed data was nowhere once the cache went.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

export CAIRN_GC_GRACE=1h
STORE=$TRASH/store
id() { echo "$1" | sha256sum | cut -c1-64; }
obj() { echo "$STORE/sha256/$(id $1 | cut -c1-2)/$(id $1 | cut -c3-)"; }

new_repo a && cd a && cairn remote add -d origin "$STORE" >/dev/null &&
	echo v1 >f && cairn -q add f && cairn -q push && git add -A && git commit -qm v1 &&
	touch -d '-2 days' "$(obj v1)" &&
	chmod u+w f && echo v2 >f && cairn -q add f && cairn -q push && git commit -qam v2
cd "$TRASH" && git clone -q a b

expect_success 'a push that reuses an old remote object renews its age' '
	cd a && touch -d "-1 hour" "$TRASH/mark" && chmod u+w f && echo v1 >f && cairn -q add f &&
	cairn push >out && grep_q "^everything is on .origin. already (1 object)$" out &&
	test -n "$(find "$(obj v1)" -newer "$TRASH/mark")"
'

expect_success 'a gc --cloud elsewhere keeps it for gc.grace' '
	cd b && cairn gc --cloud -w --force >out &&
	grep_q "^kept 1 unreferenced object on .origin. younger than gc.grace$" out &&
	path_is_file "$(obj v1)"
'

expect_success 'the commit made after the push pulls into an empty cache' '
	cd a && git commit -qam "v1 again" && rm -rf .cairn/cache f &&
	cairn pull >out && grep_q "^fetched 1 object" out && test "$(cat f)" = v1
'

expect_success 'a young object is not touched: a second push writes nothing' '
	cd a && touch "$TRASH/mark2" && sleep 1 && cairn -q push &&
	test -z "$(find "$STORE" -newer "$TRASH/mark2")"
'

test_done
