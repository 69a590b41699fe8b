#!/bin/sh
# t3000-push: cairn push to a local folder remote: what it sends (file
# objects, manifests), that a second push sends nothing, presence asked of
# the remote (C26), remotes by name and default, unreachable and unwritable
# folders, corrupt and missing cache objects, a damaged object on the remote
# replaced (C42, as far as a local remote allows), push --verify reading
# every object back and replacing a damaged one (C42), zero-byte objects (C48)
# and awkward names (C38).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
cairn remote add -d origin "$TRASH/store" >/dev/null
mkdir -p data/sub/deeper && echo one >data/a && echo two >data/sub/b &&
	echo three >data/sub/deeper/c && : >data/zero && echo model >model.bin
cairn -q add data model.bin

# objects_in DIR: the object names of a remote folder, sorted, as hex ids
objects_in() {
	(cd "$1" && find sha256 -type f 2>/dev/null) | sed 's|sha256/\(..\)/|\1|' | sort
}

expect_success 'push sends every file object and manifest' '
	cairn push >out && grep_q "^pushed 8 objects" out &&
	objects_in "$TRASH/store" >got && test $(wc -l <got) = 8 &&
	grep_q "$(ptr_sha data.cairn)" got && grep_q "$(ptr_sha model.bin.cairn)" got &&
	grep_q "$(sha256 data/sub/deeper/c)" got &&
	grep_q "^e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855$" got
'

expect_success 'objects on the remote are read-only and no temp file is left' '
	test -z "$(find "$TRASH/store/sha256" -type f -perm /222)" &&
	test -z "$(ls "$TRASH/store/tmp")"
'

expect_success 'a second push sends nothing' '
	touch "$TRASH/mark" && sleep 0.01 &&
	cairn push >out && grep_q "^everything is on .origin. already (8 objects)" out &&
	test -z "$(find "$TRASH/store" -newer "$TRASH/mark" -type f)"
'

expect_success 'presence is asked of the remote, not remembered (C26)' '
	rm -rf "$TRASH/store/sha256" &&
	cairn push >out && grep_q "^pushed 8 objects" out &&
	objects_in "$TRASH/store" >got && test $(wc -l <got) = 8 &&
	cairn status -c >out && grep_q "up to date with .origin." out
'

expect_success 'push PATH sends only that output' '
	cairn remote add other "$TRASH/other" &&
	cairn push -r other model.bin >out && grep_q "^pushed 1 object " out &&
	objects_in "$TRASH/other" >got && echo "$(ptr_sha model.bin.cairn)" >want &&
	cmp_expected want got
'

expect_success 'push by pointer name and from a subfolder (relative URL from the root)' '
	cairn remote add rel ../relstore && mkdir -p data2 && cd data &&
	cairn push -r rel ../model.bin.cairn >../out && cd .. &&
	grep_q "^pushed 1 object" out && path_is_dir ../relstore/sha256 && path_is_missing data/../relstore
'

expect_success 'a file:// URL names the same folder' '
	cairn remote add furl "file://$TRASH/store" &&
	cairn push -r furl >out && grep_q "everything is on .furl. already" out
'

expect_success 'an unknown remote: one error line, exit 1, nothing written' '
	must_fail --code=1 cairn push -r nope 2>err && grep_q "^cairn: error: no remote .nope." err &&
	test $(grep -c "^cairn: error:" err) = 1
'

expect_success 'no default remote: a clear error with a hint' '
	git init -q ../nodef && (cd ../nodef && cairn -q init && echo x >x && cairn -q add x &&
		must_fail --code=1 cairn push 2>../err) &&
	grep_q "^cairn: error: no default remote" ../err && grep_q "^cairn: hint: .*remote default" ../err
'

expect_success 'an unreachable folder (its parent is missing) is an error, not an empty remote' '
	cairn remote add gone "$TRASH/no/such/place" &&
	must_fail --code=1 cairn push -r gone 2>err && grep_q "cannot reach folder" err &&
	path_is_missing "$TRASH/no" &&
	must_fail --code=1 cairn status -c -r gone 2>err && grep_q "cannot reach folder" err
'

expect_success 'the remote folder is created when its parent exists' '
	cairn remote add fresh "$TRASH/fresh" && cairn push -r fresh >out &&
	grep_q "^pushed 8 objects" out && path_is_dir "$TRASH/fresh/sha256"
'

expect_success 'an unwritable remote folder is an error naming it' '
	mkdir -p "$TRASH/ro" && : >"$TRASH/ro/sha256" && cairn remote add ro "$TRASH/ro" &&
	must_fail --code=1 cairn push -r ro 2>err && grep_q "remote .ro.: cannot" err &&
	grep_q "$TRASH/ro" err
'

if [ "$(id -u)" != 0 ]; then
	expect_success 'a folder without write permission is an error' '
		mkdir -p "$TRASH/perm" && chmod a-w "$TRASH/perm" && cairn remote add perm "$TRASH/perm" &&
		must_fail --code=1 cairn push -r perm 2>err && grep_q "Permission denied" err
	'
else
	skip_test 'a folder without write permission is an error' 'running as root'
fi

expect_success 'a corrupt cache object is never uploaded; it is quarantined' '
	echo corrupt-me >bad && cairn -q add bad && obj=$(ptr_sha bad.cairn) &&
	f=.cairn/cache/sha256/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-) &&
	chmod u+w $f && echo flipped >$f &&
	must_fail --code=1 cairn push bad 2>err && grep_q "corrupt" err && grep_q "bad" err &&
	path_is_missing "$TRASH/store/sha256/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-)" &&
	path_is_missing $f && ls .cairn/tmp/quarantine | grep -q $obj &&
	rm -rf .cairn/tmp/quarantine bad bad.cairn
'

expect_success 'an object missing from the cache: the rest is pushed, no manifest above it' '
	mkdir -p part/in && echo p1 >part/p1 && echo p2 >part/in/p2 && cairn -q add part &&
	p2=$(sha256 part/in/p2) && rm -f .cairn/cache/sha256/$(echo $p2 | cut -c1-2)/$(echo $p2 | cut -c3-) &&
	cairn remote add part "$TRASH/partstore" &&
	must_fail --code=1 cairn push -r part part 2>err &&
	grep_q "not in the cache, not pushed: .part/in/p2." err &&
	objects_in "$TRASH/partstore" >got && grep_q "$(sha256 part/p1)" got &&
	no_grep "$(ptr_sha part.cairn)" got && test $(wc -l <got) = 1 &&
	rm -rf part part.cairn
'

expect_success 'a damaged object on the remote counts as absent and is replaced (C42)' '
	obj=$(sha256 data/sub/b) && f="$TRASH/store/sha256/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-)" &&
	chmod u+w "$f" && printf t >"$f" &&
	must_fail cairn status -c data >out &&
	grep_q "^to push: data (1 object" out &&
	cairn push data >out && grep_q "^pushed 1 object" out && test "$(sha256 "$f")" = $obj
'

expect_success 'zero-byte files push as a zero-byte object (C48)' '
	: >empty.bin && cairn -q add empty.bin && grep_q "size: 0" empty.bin.cairn &&
	cairn push empty.bin >out &&
	f="$TRASH/store/sha256/e3/b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" &&
	path_is_file "$f" && test ! -s "$f"
'

expect_success 'names with spaces, colons, brackets, %, +, # and unicode push (C38)' '
	mkdir -p "odd/sub dir" &&
	for n in "0:0" "a b.txt" "55MiB[1].test" "#Files" "x=y" "100%" "q?.bin" "star*.dat" "plus+sign" "ünïcødé"; do
		printf "%s\n" "$n" >"odd/sub dir/$n"
	done &&
	cairn -q add odd && cairn push odd >out && grep_q "^pushed 12 objects" out &&
	echo t1 >"top[1].x" && echo t2 >top1.x && cairn -q add "top[1].x" top1.x &&
	cairn push "top[1].x" >out && grep_q "^pushed 1 object " out &&
	must_fail cairn status -c top1.x >out && grep_q "^to push: top1.x" out
'

expect_success 'an http(s) remote is read-only: push refuses before sending anything' '
	cairn remote add web http://127.0.0.1:9/store &&
	must_fail --code=1 cairn push -r web 2>err && grep_q "remote .web. is read-only" err
'

expect_success 'progress is not drawn when stderr is not a terminal' '
	cairn push 2>err >/dev/null && test ! -s err
'

expect_success '-q prints nothing' '
	cairn -q push >out 2>&1 && test ! -s out && cairn push -q >out 2>&1 && test ! -s out
'

expect_success 'usage errors exit 2' '
	must_fail --code=2 cairn push -j 0 2>err && grep_q "jobs" err &&
	must_fail --code=2 cairn push -j lots &&
	must_fail --code=2 cairn push --bogus &&
	must_fail --code=2 cairn push -r
'

expect_success '-j 1 works like the default' '
	rm -rf "$TRASH/store/sha256" && cairn push -j 1 >out && grep_q "^pushed" out
'

expect_success 'a path that is not tracked is an error' '
	must_fail --code=1 cairn push nothing-here 2>err && grep_q "^cairn: error:" err
'

expect_success 'push --verify reads every object back and checks its hash (C42)' '
	cairn push --verify >out && grep_q "^verified 22 objects (.*) on .origin.$" out &&
	id=$(sha256 data/a) && o="$TRASH/store/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" &&
	chmod u+w "$o" && echo ONE >"$o" &&
	cairn push >out && grep_q "^everything is on" out &&
	cairn push --verify >out 2>err &&
	grep_q "^replaced 1 damaged object on .origin. with the cache.s copy$" out &&
	grep_q "^verified 22 objects (.*) on .origin.$" out && cmp_expected data/a "$o" &&
	cairn push --verify >out && ! grep_q "^replaced" out
'

expect_success 'push --verify: damaged objects the cache has are all replaced, one it lacks fails' '
	ida=$(sha256 data/a) && oa="$TRASH/store/sha256/$(echo $ida | cut -c1-2)/$(echo $ida | cut -c3-)" &&
	idb=$(sha256 data/sub/b) && ob="$TRASH/store/sha256/$(echo $idb | cut -c1-2)/$(echo $idb | cut -c3-)" &&
	chmod u+w "$oa" "$ob" && echo ONE >"$oa" && echo TWO >"$ob" &&
	cairn push --verify >out 2>err && grep_q "^replaced 2 damaged objects on .origin. with the cache.s copies$" out &&
	cmp_expected data/a "$oa" && cmp_expected data/sub/b "$ob" &&
	chmod u+w "$oa" && echo ONE >"$oa" && c=".cairn/cache/sha256/$(echo $ida | cut -c1-2)/$(echo $ida | cut -c3-)" &&
	mv "$c" ../kept && rm -f data/a &&
	must_fail --code=1 cairn push --verify >out 2>err &&
	grep_q "^cairn: error: .data/a.: object $ida on remote .origin. is corrupt" err &&
	grep_q "^cairn: hint: the cache has no good copy" err && grep_q "^ONE$" "$oa" &&
	mv ../kept "$c" && cairn checkout -q data && cairn push -q --verify && cmp_expected data/a "$oa"
'

expect_success 'a pointer recording a wrong size is pushed once, not on every push' '
	echo sized >sz && cairn -q add sz && sed -i "s/^  size: 6$/  size: 9/" sz.cairn &&
	grep_q "^  size: 9$" sz.cairn &&
	cairn push sz >out && grep_q "^pushed 1 object (6 B)" out &&
	cairn push sz >out && grep_q "^everything is on .origin. already (1 object)" out
'

test_done
