#!/bin/sh
# t9901-diff-file-output: cairn diff against the workspace hashes a tracked
# single file again, so editing data/breast_cancer.csv (tracked by its own
# pointer, not inside a tracked folder) shows as modified. It printed nothing:
# the workspace side kept the recorded id and the file was never read. Found
# by the end-to-end demo (examples/demo.sh).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
mkdir -p data/set && echo a >top.csv && echo b >data/b.csv && echo c >data/set/c &&
	echo s >same.csv && cairn -q add top.csv data/b.csv data/set same.csv &&
	git add -A && git commit -qm v1 || exit 1

expect_success 'an edited file output is modified against HEAD, unchanged ones are not' '
	chmod u+w top.csv data/b.csv data/set/c &&
	echo a2 >>top.csv && echo b2 >>data/b.csv && echo c2 >>data/set/c &&
	cairn diff >out &&
	cat >want <<-EOF &&
	modified: data/b.csv
	modified: data/set/c
	modified: top.csv
	EOF
	cmp_expected want out &&
	cairn diff HEAD -- data/b.csv >out && echo "modified: data/b.csv" >want && cmp_expected want out
'

expect_success '--json gives the new content id and size of the workspace file' '
	cairn diff --json top.csv >out.json &&
	python3 -c "import json, sys
d = json.load(open(\"out.json\"))
c = d[\"changes\"]
assert len(c) == 1 and c[0][\"change\"] == \"modified\", c
assert c[0][\"new\"][\"sha256\"] == sys.argv[1], c
assert c[0][\"new\"][\"size\"] == 5 and c[0][\"old\"][\"size\"] == 2, c" "$(sha256 top.csv)"
'

expect_success 'the executable bit of a file output counts, as in folders' '
	git checkout -q -- . && cairn -q checkout --force && cairn diff >out && test ! -s out &&
	chmod +x same.csv && cairn diff >out && echo "modified: same.csv" >want && cmp_expected want out
'

expect_success 'the same edit committed shows between the two revisions' '
	chmod -x same.csv && echo a3 >>top.csv && cairn -q commit top.csv &&
	git commit -qam v2 && cairn diff HEAD~1 HEAD >out &&
	echo "modified: top.csv" >want && cmp_expected want out
'

test_done
