#!/bin/sh
# t1510-ls: cairn ls of the workspace's pointers and of revisions: folders
# holding outputs, files inside tracked folders, -R, --size, --hash, --json
# (checked with Python's JSON parser), and the failure paths.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

json_check() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("json_check failed:", sys.argv[2]); print(json.dumps(d, indent=1)); sys.exit(1)' "$1" "$2"
}

new_repo r && cd r

expect_success 'nothing tracked: nothing listed' '
	cairn ls >out && test ! -s out && cairn ls -R >out && test ! -s out
'

expect_success 'the top level: outputs and the folders holding them' '
	mkdir -p data/sub/deep models/v1 && echo a >data/a && echo bb >data/sub/b &&
	echo ccc >data/sub/deep/c && mkdir data/empty && ln -s a data/link &&
	echo m >models/v1/m.bin && chmod +x models/v1/m.bin && echo f >f &&
	cairn add -q data models/v1/m.bin f && git add -A && git commit -qm v1 && git tag v1 &&
	cairn ls >out &&
	printf "data/\nf\nmodels/\n" >want && cmp_expected want out
'

expect_success 'a tracked folder lists its entries from the manifest' '
	cairn ls data >out &&
	printf "data/a\ndata/empty/\ndata/link -> a\ndata/sub/\n" >want && cmp_expected want out &&
	cairn ls data.cairn >out2 && cmp_expected want out2
'

expect_success 'a path inside a tracked folder, and a single file' '
	cairn ls data/sub >out && printf "data/sub/b\ndata/sub/deep/\n" >want && cmp_expected want out &&
	cairn ls data/sub/deep/c >out && echo data/sub/deep/c >want && cmp_expected want out &&
	cairn ls models >out && echo models/v1/ >want && cmp_expected want out
'

expect_success '-R lists every file, symlink and empty folder below' '
	cairn ls -R >out &&
	cat >want <<-EOF &&
	data/a
	data/empty/
	data/link -> a
	data/sub/b
	data/sub/deep/c
	f
	models/v1/m.bin
	EOF
	cmp_expected want out &&
	cairn ls --recursive data/sub >out && printf "data/sub/b\ndata/sub/deep/c\n" >want &&
	cmp_expected want out
'

expect_success 'paths are taken from the current folder' '
	(cd data/sub && cairn ls -R . >../../out) &&
	printf "data/sub/b\ndata/sub/deep/c\n" >want && cmp_expected want out &&
	(cd models && cairn ls v1/m.bin >../out) && echo models/v1/m.bin >want && cmp_expected want out
'

expect_success '--size and --hash' '
	cairn ls --size --hash data/sub >out &&
	b=$(sha256 data/sub/b) &&
	grep_q "^$b  *3 B  data/sub/b$" out &&
	grep_q "^[0-9a-f]\{64\}  *4 B  data/sub/deep/$" out &&
	cairn ls --hash >out && grep_q "^-  *models/$" out &&
	grep_q "^$(ptr_sha data.cairn)  data/$" out &&
	cairn ls --size >out && grep_q "^ *9 B  data/$" out && grep_q "^ *2 B  models/$" out
'

expect_success '--json is a valid array describing each entry' '
	cairn ls --json -R >out.json &&
	json_check out.json "[e[\"path\"] for e in d] == [\"data/a\", \"data/empty\", \"data/link\", \"data/sub/b\", \"data/sub/deep/c\", \"f\", \"models/v1/m.bin\"]" &&
	json_check out.json "d[0] == {\"path\": \"data/a\", \"type\": \"file\", \"size\": 2, \"sha256\": \"$(sha256 data/a)\"}" &&
	json_check out.json "d[1][\"type\"] == \"dir\" and d[1][\"nfiles\"] == 0" &&
	json_check out.json "d[2] == {\"path\": \"data/link\", \"type\": \"symlink\", \"target\": \"a\"}" &&
	json_check out.json "d[6][\"exec\"] is True and \"exec\" not in d[0]" &&
	cairn ls --json >top.json &&
	json_check top.json "d[2] == {\"path\": \"models\", \"type\": \"dir\", \"size\": 2, \"nfiles\": 1}" &&
	json_check top.json "d[0][\"sha256\"] == \"$(ptr_sha data.cairn)\" and d[0][\"nfiles\"] == 4"
'

expect_success '--rev lists a revision without checking it out' '
	chmod -R u+w data && rm data/a && echo new >data/new && cairn add -q data &&
	git rm -q -r --cached f.cairn && rm f.cairn f &&
	git add -A && git commit -qm v2 &&
	cairn ls --rev v1 data >out &&
	printf "data/a\ndata/empty/\ndata/link -> a\ndata/sub/\n" >want && cmp_expected want out &&
	cairn ls --rev v1 f >out && echo f >want && cmp_expected want out &&
	cairn ls >out && printf "data/\nmodels/\n" >want && cmp_expected want out &&
	cairn ls --rev HEAD data >out && grep_q "^data/new$" out
'

expect_success 'the workspace listing follows the pointers, not the data' '
	chmod -R u+w data && echo extra >data/extra &&
	cairn ls data >out && no_grep extra out
'

expect_success 'nothing tracked at a path: error naming it' '
	must_fail --code=1 cairn ls nowhere 2>err &&
	grep_q "^cairn: error: nothing is tracked at .nowhere." err &&
	must_fail --code=1 cairn ls data/sub/nope 2>err && grep_q "data/sub/nope" err &&
	must_fail --code=1 cairn ls --rev v1 data/new 2>err && grep_q "at .v1." err &&
	must_fail --code=1 cairn ls f/inside 2>err && grep_q "nothing is tracked" err
'

expect_success 'unknown revision, bad flags, too many paths' '
	must_fail --code=1 cairn ls --rev no-such 2>err &&
	grep_q "unknown revision .no-such." err &&
	must_fail --code=2 cairn ls --no-such 2>err && grep_q "unknown option" err &&
	must_fail --code=2 cairn ls a b 2>err && grep_q "too many arguments" err &&
	must_fail --code=2 cairn ls --rev 2>err && grep_q "needs an argument" err
'

expect_success 'a manifest missing from the cache: error and hint' '
	m=$(cairn ls --hash data | sed -n "s|^\([0-9a-f]*\)  data/sub/$|\1|p") &&
	p=.cairn/cache/sha256/$(echo $m | cut -c1-2)/$(echo $m | cut -c3-) &&
	mv $p saved && must_fail --code=1 cairn ls -R data 2>err &&
	grep_q "^cairn: error: .*data/sub.*not in the cache" err && grep_q "^cairn: hint: .*cairn fetch" err &&
	cairn ls data >out && grep_q "^data/sub/$" out &&
	mv saved $p
'

expect_success '-q prints nothing' '
	cairn ls -q -R >out && test ! -s out
'

test_done
