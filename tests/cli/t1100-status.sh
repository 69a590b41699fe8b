#!/bin/sh
# t1100-status: cairn status: up to date, modified (with the files that
# differ), missing, not in cache; -q and its exit code; --json parsed by
# python3 (and jq when installed); paths; a path tracked by git too (C30,
# the status part); the state database (C13).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r
cd r

objpath() { echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"; }

expect_success 'no tracked outputs' '
	cairn status >out && grep_q "^no tracked outputs$" out && cairn status -q
'

expect_success 'everything up to date: one summary line, exit 0' '
	echo v1 >f && mkdir -p d/sub && echo a >d/a && echo b >d/sub/b && ln -s a d/l &&
	printf "#!/bin/sh\n" >d/x && chmod +x d/x && cairn -q add f d &&
	cairn status >out 2>err && printf "up to date: 2 tracked outputs\n" >want &&
	cmp_expected want out && test ! -s err && cairn status -q >out && test ! -s out
'

expect_success 'a modified file; -q prints nothing and exits 1' '
	echo v2 >f && cairn status >out && printf "modified: f\n" >want && cmp_expected want out &&
	must_fail --code=1 cairn status -q >out 2>err && test ! -s out && test ! -s err &&
	must_fail --code=1 cairn -q status
'

expect_success 'a folder lists the files that differ, relative to the root' '
	echo A >d/a && rm d/sub/b && echo new >d/sub/new && chmod -x d/x && ln -sfn sub d/l && mkdir d/e &&
	cairn status d >out && printf "modified: d\n    added     d/e\n    modified  d/a\n    modified  d/l\n    added     d/sub/new\n    deleted   d/sub/b\n    modified  d/x\n" >want0 &&
	sort want0 >want && sort out >got && cmp_expected want got
'

expect_success 'from a subfolder, every output is shown with root-relative paths' '
	(cd d/sub && cairn status >../../out2) && sort out2 >got2 && grep_q "^modified: d$" got2 &&
	grep_q "^modified: f$" got2 && grep_q "d/sub/new$" got2
'

expect_success 'missing and not in cache' '
	cairn -q add f d && rm f && cairn status >out && grep_q "^missing: f$" out &&
	h=$(ptr_sha d.cairn) && mv "$(objpath $h)" ../root.saved && cairn status d >out &&
	grep_q "^not in cache: d$" out && mv "$(objpath $(ptr_sha f.cairn))" ../f.saved &&
	cairn status f >out && grep_q "^missing: f (not in cache)$" out &&
	mv ../root.saved "$(objpath $h)" && mv ../f.saved "$(objpath $(ptr_sha f.cairn))" && cairn -q checkout f
'

expect_success '--json is valid JSON with every output' '
	echo changed >d/a && cairn status --json >out.json && python3 -m json.tool out.json >/dev/null &&
	python3 - out.json <<-PY
	import json, sys
	j = json.load(open(sys.argv[1]))
	assert j["clean"] is False, j
	o = {x["path"]: x for x in j["outputs"]}
	assert o["f"]["status"] == "up to date" and o["f"]["type"] == "file" and o["f"]["changes"] == [], o
	assert o["d"]["status"] == "modified" and o["d"]["pointer"] == "d.cairn" and o["d"]["in_cache"] is True, o
	assert {"path": "d/a", "change": "modified"} in o["d"]["changes"], o
	PY
'

expect_success '--json when clean, and through jq when installed' '
	cairn -q add d && cairn status --json >out.json && python3 -c "import json,sys; j=json.load(open(\"out.json\")); sys.exit(0 if j[\"clean\"] and len(j[\"outputs\"]) == 2 else 1)" &&
	if command -v jq >/dev/null; then jq -e ".clean == true" out.json >/dev/null; fi
'

expect_success '--json -q: JSON printed, exit code as with -q' '
	echo x >>f && must_fail --code=1 cairn status --json -q >out.json &&
	python3 -m json.tool out.json >/dev/null && cairn -q add f
'

expect_success 'paths: an output, its pointer, a folder of outputs' '
	mkdir -p grp && echo 1 >grp/one && echo 2 >grp/two && cairn -q add grp/one grp/two &&
	cairn status f >out && grep_q "up to date: 1 tracked output$" out &&
	cairn status f.cairn >out && grep_q "up to date: 1 tracked output$" out &&
	cairn status grp >out && grep_q "up to date: 2 tracked outputs$" out &&
	cairn status -- f grp >out && grep_q "up to date: 3 tracked outputs$" out
'

expect_success 'paths not tracked, inside a tracked folder, outside: exit 1' '
	must_fail --code=1 cairn status nope 2>err && grep_q ".nope. is not tracked by cairn" err &&
	must_fail --code=1 cairn status d/a 2>err && grep_q "inside tracked folder .d." err &&
	must_fail --code=1 cairn status /etc 2>err && grep_q "outside the repository" err
'

expect_success 'an output tracked by git too: a warning naming git rm --cached, exit 0 (C30)' '
	git add f.cairn .gitignore && git commit -qm f && git add -f f && git commit -qm oops &&
	cairn status f >out 2>err && grep_q "^cairn: warning: .f. is tracked by both git and cairn; run: git rm --cached .f.$" err &&
	cairn status --json f >out.json && python3 -c "import json; j=json.load(open(\"out.json\")); assert j[\"outputs\"][0][\"also_in_git\"] is True" &&
	cairn checkout f 2>err && grep_q "^cairn: warning: .f. is tracked by both git and cairn" err &&
	git rm -q --cached f && git commit -qm fix && cairn status f >out 2>err && test ! -s err
'

expect_success 'same size and mtime, new content: modified (C13)' '
	printf foo >c && cairn -q add c && touch -d "2024-01-01 00:00:00" c && cairn status c >out &&
	grep_q "up to date" out && printf bar >c && touch -d "2024-01-01 00:00:00" c &&
	cairn status c >out && grep_q "^modified: c$" out
'

expect_success 'a replaced folder and a special file are modified' '
	rm -rf grp/one && mkdir grp/one && cairn status grp/one >out && grep_q "^modified: grp/one$" out &&
	rmdir grp/one && cairn -q checkout grp/one && mkfifo d/pipe && cairn status d >out &&
	grep_q "^modified: d$" out && rm d/pipe
'

expect_success 'a new file whose name is not UTF-8 is shown escaped, also in JSON (with its bytes in base64)' '
	: >"d/$(printf "bad\377")" && cairn status d >out && grep_q "^    added     d/bad\\\\xff$" out &&
	cairn status --json d >out.json && python3 -c "import json; j=json.load(open(\"out.json\")); assert {\"path\": \"d/bad\\\\xff\", \"path_base64\": \"ZC9iYWT/\", \"change\": \"added\"} in j[\"outputs\"][0][\"changes\"], j" &&
	rm "d/$(printf "bad\377")"
'

expect_success 'bad flags: exit 2 with the usage' '
	must_fail --code=2 cairn status --jsn 2>err && grep_q "^usage: cairn status \[-q\] \[--json\] .*\[PATH...\]" err
'

test_done
