#!/bin/sh
# t1052-checkout-corrupt: a corrupt cache object is never placed in the
# workspace (C21, the checkout part): checkout exits 1 naming the path and
# the object, writes nothing for that output (a folder: not one file),
# moves the object to .cairn/tmp/quarantine/, and a good copy restores it.
# With cache.verify, corruption that keeps the size is caught too.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r

objpath() { echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"; }
corrupt() { # OBJPATH TEXT: replace an object's bytes, keeping it read-only
	chmod u+w "$1" && printf '%s' "$2" >"$1" && chmod 444 "$1"
}

expect_success 'an object with bytes appended: exit 1, nothing written, quarantined (C21)' '
	echo data >f && cairn -q add f && h=$(ptr_sha f.cairn) && cp "$(objpath $h)" ../good &&
	rm f && corrupt "$(objpath $h)" "data
break
" && must_fail --code=1 cairn checkout f 2>err &&
	grep_q "^cairn: error: .f.: cache object $h is corrupt" err && grep_q "quarantine/$h" err &&
	path_is_missing f && path_is_missing "$(objpath $h)" && path_is_file .cairn/tmp/quarantine/$h
'

expect_success 'status then says the data is missing and not in the cache (C21)' '
	cairn status f >out && grep_q "^missing: f (not in cache)$" out
'

expect_success 'a good copy back in the cache restores the file (C21)' '
	h=$(ptr_sha f.cairn) && mkdir -p "$(dirname "$(objpath $h)")" && cp ../good "$(objpath $h)" &&
	chmod 444 "$(objpath $h)" && cairn checkout f && test "$(cat f)" = data &&
	cairn status >out && grep_q "^up to date" out
'

expect_success 'a corrupt object in a folder: not one file of the folder is written' '
	mkdir d && echo 1 >d/a && echo 22 >d/b && echo 333 >d/c && cairn -q add d && h=$(sha256 d/b) &&
	cp "$(objpath $h)" ../goodb && rm -rf d && corrupt "$(objpath $h)" "2" &&
	must_fail --code=1 cairn checkout d 2>err && grep_q "^cairn: error: .d/b.: cache object $h is corrupt" err &&
	path_is_missing d && path_is_file .cairn/tmp/quarantine/$h
'

expect_success 'a corrupt file in a folder that is present: the folder is left as it was' '
	h=$(sha256 ../goodb) && cp ../goodb "$(objpath $h)" && chmod 444 "$(objpath $h)" &&
	cairn -q checkout d && echo 1 >d/a.new && rm d/a && mv d/a.new d/a && rm d/b &&
	corrupt "$(objpath $h)" "x" && ls -li d >before && must_fail --code=1 cairn checkout d 2>err &&
	ls -li d >after && cmp_expected before after
'

expect_success 'same-size corruption is caught with cache.verify, whatever the link type' '
	h=$(sha256 ../goodb) && cp ../goodb "$(objpath $h)" && chmod 444 "$(objpath $h)" && cairn -q checkout d &&
	echo same >s && cairn -q add s && hs=$(ptr_sha s.cairn) && rm s && corrupt "$(objpath $hs)" "SAME
" && for t in copy reflink,copy hardlink,copy symlink,copy; do
		git config -f .cairn/config cache.type $t
		CAIRN_CACHE_VERIFY=true must_fail --code=1 cairn checkout s 2>err || exit 1
		grep_q "cache object $hs is corrupt" err && path_is_missing s || exit 1
		mkdir -p "$(dirname "$(objpath $hs)")" && mv .cairn/tmp/quarantine/$hs "$(objpath $hs)"
	done
	git config -f .cairn/config --unset cache.type && rm -f "$(objpath $hs)" && echo same >s &&
	cairn -q add s && cairn -q checkout
'

expect_success 'a manifest naming a good object with a wrong size: an error, the object kept' '
	e=$(sha256 f) && m="{\"entries\":[{\"name\":\"x\",\"sha256\":\"$e\",\"size\":3,\"type\":\"file\"}],\"version\":1}" &&
	printf "%s" "$m" >m.json && root=$(sha256 m.json) && mkdir -p "$(dirname "$(objpath $root)")" &&
	mv m.json "$(objpath $root)" &&
	printf "outs:\n- path: liar\n  hash: sha256\n  sha256: %s\n  size: 3\n  nfiles: 1\n  type: dir\n" $root >liar.cairn &&
	must_fail --code=1 cairn checkout liar 2>err && grep_q "but 3 are recorded" err &&
	path_is_missing liar && path_is_file "$(objpath $e)" && rm liar.cairn
'

test_done
