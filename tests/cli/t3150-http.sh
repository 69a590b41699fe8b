#!/bin/sh
# t3150-http: a read-only HTTP remote: a pushed local folder remote served by
# python3 -m http.server on 127.0.0.1. A clone pulls everything from it
# (HEAD for status -c, GET for objects); push refuses; a missing object is
# named with the path that needs it and the workspace stays as it was (C04);
# a corrupt object never enters the cache; an unreachable server is one
# error line.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"
. "$CAIRN_SRCDIR/tests/cli/lib-s3.sh"

STORE=$TRASH/store
new_repo r && cd r
cairn remote add -d origin "$STORE" >/dev/null
mkdir -p 'd/sub dir' && echo one >'d/sub dir/a b' && echo two >d/c && : >d/zero &&
	head -c 2000000 /dev/urandom >big.bin
cairn -q add d big.bin && cairn -q push
cp -a d ../d.saved && cp big.bin ../big.saved
git add -A && git commit -qm data
start_http "$STORE" || skip_all "cannot start python3 -m http.server"
cairn remote add web "http://127.0.0.1:$http_port/" >/dev/null
git add -A && git commit -qm web
objpath() { echo "$STORE/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"; }

expect_success 'a clone pulls everything over HTTP' '
	git clone -q . ../c1 && cd ../c1 &&
	cairn status -c -r web >out && grep_q "^to pull: " out &&
	cairn pull -r web >out && grep_q "^fetched [0-9]* objects" out &&
	diff -r ../d.saved d && cmp ../big.saved big.bin &&
	cairn status -c -r web >out && grep_q "^up to date with .web." out
'

expect_success 'push and the like refuse: the remote is read-only' '
	echo new >new && cairn -q add new &&
	must_fail --code=1 cairn push -r web 2>err && grep_q "^cairn: error: .*read-only" err &&
	test $(grep -c "^cairn: error: " err) = 1
'

expect_success 'a missing object: named with its path, the workspace kept (C04)' '
	o=$(objpath $(sha256 big.bin)) && mv "$o" ../held &&
	git clone -q . ../c2 && cd ../c2 && echo "local edit" >big.bin &&
	must_fail --code=1 cairn pull -r web big.bin 2>err; rc=$?
	mv ../held "$o" && test $rc = 0 && grep_q "big.bin" err &&
	echo "local edit" >want && cmp_expected want big.bin
'

expect_success 'a corrupt object is refused and never enters the cache' '
	id=$(sha256 d/c) && o=$(objpath $id) && chmod u+w "$o" && cp "$o" ../saved.obj &&
	echo TWO >"$o" && git clone -q . ../c3 && cd ../c3 &&
	must_fail --code=1 cairn pull -r web d 2>err; rc=$?
	cp ../saved.obj "$o" && test $rc = 0 && grep_q "corrupt" err &&
	test ! -e .cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)
'

expect_success 'an unreachable server: one error line, exit 1' '
	cairn remote add gone http://127.0.0.1:1/x >/dev/null && cairn remote modify gone retries 0 &&
	rm -rf .cairn/cache && must_fail --code=1 cairn fetch -r gone 2>err &&
	test $(grep -c "^cairn: error: " err) = 1 && grep_q "127.0.0.1" err
'

stop_proxies
test_done
