#!/bin/sh
# t9704-status-cloud-names: cairn status -c prints one line per output and
# per missing object, whatever the names hold: a newline or control
# character is spelled \xNN as plain status does, and the JSON keeps the
# name itself. A file named "new<LF>line" in a tracked folder split the
# "missing:" listing over two lines.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
nl='
'

expect_success 'a folder with a newline and an escape in its names, a local remote' '
	mkdir d && echo a >"d/new${nl}line" && printf "\033[31m" >"d/esc$(printf "\033")x" &&
	cairn -q add d && cairn -q remote add origin ../rem && cairn -q remote default origin
'

expect_success 'to push: the JSON names the folder; exit 1' '
	must_fail --code=1 cairn status -c --json >out &&
	python3 -c "
import json
j = json.load(open(\"out\"))
assert j[\"remote_complete\"] is False and j[\"outputs\"][0][\"path\"] == \"d\", j
"
'

expect_success 'missing objects: one line each, names escaped' '
	chmod -R u+w .cairn/cache &&
	for f in d/*; do
		h=$(sha256sum <"$f" | cut -c1-64) &&
		rm .cairn/cache/sha256/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-) || exit 1
	done &&
	must_fail --code=1 cairn status -c >out &&
	grep_q "^to push: d (1 object, " out &&
	grep_q "^missing: d (2 objects in neither the cache nor .origin.)$" out &&
	grep_q "^    d/new\\\\x0aline (object [0-9a-f]*)$" out &&
	grep_q "^    d/esc\\\\x1bx (object [0-9a-f]*)$" out &&
	test $(wc -l <out) = 4
'

expect_success 'the JSON has the exact names' '
	must_fail --code=1 cairn status -c --json >out &&
	python3 -c "
import json
j = json.load(open(\"out\"))
names = sorted(m[\"path\"] for m in j[\"outputs\"][0][\"missing_objects\"])
assert names == [\"d/esc\x1bx\", \"d/new\nline\"], names
"
'

test_done
