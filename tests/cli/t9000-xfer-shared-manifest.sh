#!/bin/sh
# t9000-xfer-shared-manifest: the same bytes can be a tracked file's content
# and a folder's manifest (a copy of a cache object tracked as a file). The
# transfer plan met the file first and never read the manifest, so push
# left the folder's objects off the remote while saying all was there, and
# a clone could not pull it.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

# objpath DIR ID: where an object lives under a cache or remote folder
objpath() {
	echo "$1/sha256/$(echo "$2" | cut -c1-2)/$(echo "$2" | cut -c3-)"
}

new_repo a && cd a
cairn remote add -d origin "$TRASH/store" >/dev/null
mkdir -p data/sub && echo deep >data/sub/f && echo top >data/t && cairn -q add data
# a/m holds the bytes of data/sub's manifest; "a" sorts before "data"
sub=$(sed 's/.*"name":"sub","nfiles":1,"sha256":"\([0-9a-f]*\)".*/\1/' \
	"$(objpath .cairn/cache "$(ptr_sha data.cairn)")")
mkdir a && cp "$(objpath .cairn/cache "$sub")" a/m && chmod u+w a/m && cairn -q add a
git add -A && git commit -qm v1
cd "$TRASH"

expect_success 'push sends the objects under a manifest that is also a file' '
	cd a && cairn push >out && grep_q "^pushed 5 objects" out &&
	path_is_file "$(objpath "$TRASH/store" "$(sha256 data/sub/f)")" &&
	cairn status -c >out && grep_q "^up to date" out
'

expect_success 'a clone pulls both outputs whole' '
	git clone -q a b && cd b && cairn pull >out && diff -r ../a/data data && cmp ../a/a/m a/m
'

expect_success 'status -c of a fresh clone counts the folder files to pull' '
	git clone -q a c && cd c && cairn status -c --json data >out &&
	grep_q "\"objects\": 4" out && grep_q "\"to_pull\": 2" out &&
	grep_q "\"remote_complete\": true" out
'

test_done
