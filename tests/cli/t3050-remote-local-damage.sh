#!/bin/sh
# t3050-remote-local-damage: a local folder remote found in a bad state.
# A folder, symlink, truncated or empty file under an object's name, a
# fan-out folder or tmp/ that is a symlink or a file, and tmp/ full of junk:
# push never writes through a symlink or outside the remote's folder, names
# what is wrong, repairs what it can (a short object is sent again), and
# status -c never counts a damaged object as present (C05, C42).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

# objpath DIR ID: where an object lives under a cache or remote folder
objpath() {
	echo "$1/sha256/$(echo "$2" | cut -c1-2)/$(echo "$2" | cut -c3-)"
}

new_repo a && cd a
cairn remote add -d origin "$STORE" >/dev/null
echo hello >f && mkdir d && echo one >d/1 && echo two >d/2 && cairn -q add f d
git add -A && git commit -qm v1
F=$(sha256 f)
cd "$TRASH"
mkdir outside

expect_success 'a folder under an object name: push names the object and fails' '
	cd a && mkdir -p "$(objpath "$STORE" $F)" &&
	must_fail --code=1 cairn status -c >out && grep_q "^to push: f (1 object" out &&
	must_fail --code=1 cairn push 2>err &&
	grep_q "^cairn: error: .f.: remote .origin.: cannot write object $F in .*: Is a directory" err &&
	rmdir "$(objpath "$STORE" $F)" && cairn push >out && grep_q "^pushed 2 objects" out
'

expect_success 'a truncated or empty object is not present, and push sends it again' '
	cd a && o=$(objpath "$STORE" $F) &&
	for cut in "head -c 3" ":"; do
		chmod u+w "$o" && $cut <f >"$o.x" && mv -f "$o.x" "$o" &&
		must_fail --code=1 cairn status -c >out && grep_q "^to push: f (1 object" out &&
		cairn push >out && grep_q "^pushed 1 object" out && cmp f "$o" || exit 1
	done &&
	cairn status -c >out && grep_q "^up to date" out
'

expect_success 'a symlink under an object name is replaced, its target left alone' '
	cd a && o=$(objpath "$STORE" $F) && echo mine >"$TRASH/outside/keep" &&
	rm -f "$o" && ln -s "$TRASH/outside/keep" "$o" &&
	must_fail --code=1 cairn status -c >out && grep_q "^to push: f" out &&
	cairn push >out && grep_q "^pushed 1 object" out && path_is_file "$o" && cmp f "$o" &&
	echo mine >want && cmp want "$TRASH/outside/keep"
'

expect_success 'a fan-out folder that is a symlink is refused, nothing written through it' '
	cd a && fan=$(dirname "$(objpath "$STORE" $F)") && rm -rf "$fan" &&
	ln -s "$TRASH/outside" "$fan" &&
	must_fail --code=1 cairn push 2>err &&
	grep_q "sha256/$(echo $F | cut -c1-2). in .* is not a folder" err &&
	must_fail --code=1 cairn status -c 2>err && grep_q "is not a folder" err &&
	test "$(ls "$TRASH/outside")" = keep &&
	rm "$fan" && cairn push >out && grep_q "^pushed 1 object" out
'

expect_success 'a fan-out folder that is a file is refused too' '
	cd a && fan=$(dirname "$(objpath "$STORE" $F)") && rm -rf "$fan" && : >"$fan" &&
	must_fail --code=1 cairn push 2>err && grep_q "is not a folder" err &&
	rm "$fan" && cairn push >/dev/null
'

expect_success 'tmp/ as a symlink or a file is refused; nothing lands outside' '
	cd a && echo new >g && cairn -q add g && rm -rf "$STORE/tmp" &&
	ln -s "$TRASH/outside" "$STORE/tmp" &&
	must_fail --code=1 cairn push 2>err && grep_q "cannot open the tmp folder of" err &&
	test "$(ls "$TRASH/outside")" = keep && rm "$STORE/tmp" && : >"$STORE/tmp" &&
	must_fail --code=1 cairn push 2>err && grep_q "cannot open the tmp folder of" err &&
	rm "$STORE/tmp" && cairn push >out && grep_q "^pushed 1 object" out
'

expect_success 'junk in tmp/ is left alone, but day-old uploads of a killed push are swept' '
	cd a && mkdir -p "$STORE/tmp/junkdir" && echo x >"$STORE/tmp/notes.txt" &&
	echo part >"$STORE/tmp/put-old123" && touch -d "3 days ago" "$STORE/tmp/put-old123" &&
	echo part >"$STORE/tmp/put-new123" && ln -s /nonexistent "$STORE/tmp/put-link" &&
	echo newer >h && cairn -q add h && cairn push >out && grep_q "^pushed 1 object" out &&
	path_is_missing "$STORE/tmp/put-old123" && path_is_file "$STORE/tmp/put-new123" &&
	path_is_dir "$STORE/tmp/junkdir" && path_is_file "$STORE/tmp/notes.txt" &&
	path_is_link "$STORE/tmp/put-link" && rm -rf "$STORE/tmp/"*
'

expect_success 'a remote folder that is a symlink to a folder works' '
	cd a && mv "$STORE" "$TRASH/real" && ln -s real "$STORE" &&
	cairn status -c >out && grep_q "^up to date" out &&
	git clone -q . ../b && cd ../b && cairn pull >out && cmp ../a/f f && diff -r ../a/d d &&
	rm "$STORE" && mv "$TRASH/real" "$STORE"
'

expect_success 'foreign files beside the objects are not taken for objects' '
	cd a && fan=$(dirname "$(objpath "$STORE" $F)") && echo x >"$fan/README" &&
	echo x >"$STORE/sha256/zz" && mkdir -p "$STORE/sha256/00/$(printf %062d 0)" &&
	cairn status -c >out && grep_q "^up to date" out && cairn push >out &&
	grep_q "^everything is on" out && rm -rf "$fan/README" "$STORE/sha256/zz" "$STORE/sha256/00"
'

test_done
