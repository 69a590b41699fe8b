#!/bin/sh
# t3010-fetch-pull: cairn fetch and cairn pull from a local folder remote:
# a clone gets its data back; manifests come level by level; a flipped byte
# on the remote is detected and never enters the cache; a missing object
# leaves the workspace as it was (C04); uncommitted data is kept unless
# --force; zero-byte objects (C48) and awkward names (C38) round-trip.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

# objpath DIR ID: where an object lives under a cache or remote folder
objpath() {
	echo "$1/sha256/$(echo "$2" | cut -c1-2)/$(echo "$2" | cut -c3-)"
}

new_repo a && cd a
cairn remote add -d origin "$STORE" >/dev/null
mkdir -p data/l1/l2/l3 && echo top >data/top && echo deep >data/l1/l2/l3/deep &&
	echo mid >data/l1/mid && : >data/l1/zero && ln -s top data/link && echo m >model.bin
cairn -q add data model.bin && cairn -q push
git add -A && git commit -qm v1
cd "$TRASH"

expect_success 'a clone fetches into the cache without touching the workspace' '
	git clone -q a b && cd b && cairn fetch >out && grep_q "^fetched" out &&
	path_is_missing data && path_is_missing model.bin &&
	path_is_file "$(objpath .cairn/cache "$(sha256 ../a/data/l1/l2/l3/deep)")" &&
	cairn fetch >out && grep_q "^everything is in the cache already" out
'

expect_success 'pull restores files, folders, symlinks and empty files' '
	cd b && cairn pull >out && grep_q "^restored data" out && grep_q "^restored model.bin" out &&
	diff -r ../a/data data && cmp ../a/model.bin model.bin && path_is_link data/link &&
	test ! -s data/l1/zero && cairn status >out && grep_q "^up to date" out
'

expect_success 'a fresh clone pulls with an empty cache (manifests level by level)' '
	git clone -q a c && cd c && cairn pull data >out && diff -r ../a/data data &&
	path_is_missing model.bin
'

expect_success 'pull of what is already there changes nothing' '
	cd b && cairn pull >out && no_grep restored out
'

expect_success 'a flipped byte on the remote is detected and never enters the cache' '
	git clone -q a d && cd d &&
	id=$(sha256 ../a/data/l1/mid) && f=$(objpath "$STORE" $id) &&
	chmod u+w "$f" && printf "MID\n" >"$f" &&
	must_fail --code=1 cairn pull 2>err &&
	grep_q "^cairn: error: .data/l1/mid.: object $id on remote .origin. is corrupt" err &&
	path_is_missing "$(objpath .cairn/cache $id)" && path_is_missing data &&
	test -z "$(find .cairn/cache/tmp -type f)" &&
	printf "mid\n" >"$f" && chmod a-w "$f" &&
	cairn pull >out && diff -r ../a/data data
'

expect_success 'a corrupt manifest on the remote is refused too' '
	git clone -q a e && cd e && id=$(ptr_sha data.cairn) && f=$(objpath "$STORE" $id) &&
	cp "$f" ../saved && chmod u+w "$f" && sed -i s/top/pot/ "$f" &&
	must_fail --code=1 cairn pull data 2>err; rc=$?
	cp ../saved "$f" && chmod a-w "$f" && test $rc = 0 &&
	grep_q "corrupt" err && path_is_missing "$(objpath .cairn/cache $id)"
'

expect_success 'a symlink planted under an object name is not followed' '
	git clone -q a f && cd f && id=$(ptr_sha model.bin.cairn) && o=$(objpath "$STORE" $id) &&
	mv "$o" ../held && ln -s ../held "$o" &&
	must_fail --code=1 cairn pull model.bin 2>err; rc=$?
	rm "$o" && mv ../held "$o" && test $rc = 0 &&
	grep_q "not a regular file" err && path_is_missing model.bin
'

expect_success 'a missing object leaves the workspace exactly as it was (C04)' '
	git clone -q a g && (cd g && cairn -q pull) &&
	(cd b && echo v2 >data/l1/mid && cairn -q add data && git commit -qam v2 && git push -q origin HEAD:v2) &&
	cd g && git fetch -q origin v2 && git merge -q --ff-only FETCH_HEAD &&
	must_fail --code=1 cairn pull 2>err &&
	grep_q "^cairn: error: not on remote .origin.: .data. (object $(ptr_sha data.cairn | cut -c1-12))" err &&
	grep_q "left as it was: .data." err && grep_q "^cairn: hint:" err &&
	echo mid >want && cmp_expected want data/l1/mid && diff -r ../a/data data &&
	cairn status >out && grep_q "^modified: data" out
'

expect_success 'other outputs are still pulled when one is incomplete' '
	cd g && rm -f model.bin && must_fail --code=1 cairn pull 2>err && path_is_file model.bin &&
	grep_q "data" err
'

expect_success 'once pushed, the pull completes' '
	(cd b && cairn -q push) && cd g && cairn pull >out && echo v2 >want &&
	cmp_expected want data/l1/mid
'

expect_success 'pull refuses to overwrite uncommitted data; --force does' '
	cd b && chmod u+w data/top 2>/dev/null; rm -f data/top && echo local-edit >data/top &&
	must_fail --code=1 cairn pull data 2>err && grep_q "would overwrite" err &&
	echo local-edit >want && cmp_expected want data/top &&
	cairn pull --force data >out && echo top >want && cmp_expected want data/top
'

expect_success 'zero-byte objects are made locally when the remote lacks them (C48)' '
	git clone -q a h && cd h && z=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 &&
	mv "$(objpath "$STORE" $z)" ../zero.held &&
	cairn pull data >out; rc=$?
	mv ../zero.held "$(objpath "$STORE" $z)" && test $rc = 0 &&
	test -f data/l1/zero && test ! -s data/l1/zero && cairn status data >out &&
	grep_q "^up to date" out
'

expect_success 'awkward names round-trip (C38)' '
	cd a && mkdir -p "odd/sub dir" &&
	for n in "0:0" "a b.txt" "55MiB[1].test" "#Files" "x=y" "100%" "q?.bin" "star*.dat" "plus+sign" "ünïcødé"; do
		printf "%s\n" "$n" >"odd/sub dir/$n"
	done &&
	cairn -q add odd && cairn -q push odd && cp -r odd ../odd.want && git add -A && git commit -qm odd &&
	cd .. && git clone -q a i && cd i && cairn pull odd >out && diff -r ../odd.want odd
'

expect_success 'with everything cached, pull does not need the remote' '
	cd b && cairn remote add gone /no/such/place && cairn pull -r gone >out
'

expect_success 'an unreachable remote folder: one error, workspace untouched' '
	git clone -q a k && cd k && cairn remote add gone /no/such/place &&
	echo mine >model.bin && must_fail --code=1 cairn pull -r gone 2>err &&
	grep_q "cannot reach folder" err && test $(grep -c "^cairn: error:" err) = 1 &&
	echo mine >want && cmp_expected want model.bin && path_is_missing data
'

expect_success 'a remote folder not written yet holds nothing' '
	cd b && mkdir -p ../empty && cairn remote add empty ../empty/store &&
	rm -rf ../j && git clone -q ../a ../j && cd ../j && cairn remote add empty ../empty/store &&
	must_fail --code=1 cairn fetch -r empty model.bin 2>err && grep_q "not on remote .empty." err
'

expect_success 'usage errors exit 2' '
	cd b && must_fail --code=2 cairn pull -j x && must_fail --code=2 cairn fetch --force &&
	must_fail --code=2 cairn pull --bogus
'

test_done
