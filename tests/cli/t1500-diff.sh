#!/bin/sh
# t1500-diff: cairn diff between revisions and the workspace: nested folders,
# added/modified/deleted/renamed files, path filters, --json (checked with
# Python's JSON parser), only the manifests on changed paths are read, and
# the failure paths (unknown revisions, ambiguous arguments, missing
# manifests, malformed pointers in a revision).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

# json_check FILE PYTHON-EXPR: the expression (over the parsed document d) must be true.
json_check() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("json_check failed:", sys.argv[2]); print(json.dumps(d, indent=1)); sys.exit(1)' "$1" "$2"
}

# obj_path ID: where the cache keeps object ID
obj_path() {
	echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"
}

new_repo r && cd r

expect_success 'before the first commit every tracked file is added' '
	mkdir -p data/sub/deep data/other && echo a >data/a && echo b >data/sub/b &&
	echo c >data/sub/deep/c && echo o >data/other/o && echo f >f &&
	cairn add -q data f &&
	cairn diff >out &&
	cat >want <<-EOF &&
	added:    data/a
	added:    data/other/o
	added:    data/sub/b
	added:    data/sub/deep/c
	added:    f
	EOF
	cmp_expected want out
'

expect_success 'nothing changed: no output, exit 0' '
	git add -A && git commit -qm v1 && git tag v1 &&
	cairn diff >out && test ! -s out &&
	cairn diff HEAD HEAD >out && test ! -s out
'

expect_success 'HEAD against the workspace, down into nested folders' '
	chmod -R u+w data &&
	echo changed >data/sub/deep/c && echo new >data/sub/new && rm data/a &&
	cairn diff >out &&
	cat >want <<-EOF &&
	deleted:  data/a
	modified: data/sub/deep/c
	added:    data/sub/new
	EOF
	cmp_expected want out &&
	cairn diff HEAD >out2 && cmp_expected want out2
'

expect_success '--json is valid JSON with both sides of each change' '
	cairn diff --json >out.json &&
	json_check out.json "d[\"a\"] == \"HEAD\" and d[\"b\"] == \"workspace\"" &&
	json_check out.json "[c[\"change\"] for c in d[\"changes\"]] == [\"deleted\", \"modified\", \"added\"]" &&
	json_check out.json "[c[\"path\"] for c in d[\"changes\"]] == [\"data/a\", \"data/sub/deep/c\", \"data/sub/new\"]" &&
	c_old=$(printf "c\n" | sha256sum | cut -c1-64) &&
	c_new=$(printf "changed\n" | sha256sum | cut -c1-64) &&
	json_check out.json "d[\"changes\"][1][\"old\"] == {\"type\": \"file\", \"sha256\": \"$c_old\", \"size\": 2}" &&
	json_check out.json "d[\"changes\"][1][\"new\"][\"sha256\"] == \"$c_new\"" &&
	json_check out.json "\"new\" not in d[\"changes\"][0] and \"old\" not in d[\"changes\"][2]"
'

expect_success 'two revisions: the same changes once committed' '
	cairn add -q data && git add -A && git commit -qm v2 && git tag v2 &&
	cairn diff v1 v2 >out &&
	cat >want <<-EOF &&
	deleted:  data/a
	modified: data/sub/deep/c
	added:    data/sub/new
	EOF
	cmp_expected want out &&
	cairn diff v2 v1 >back &&
	grep_q "^added:    data/a$" back && grep_q "^deleted:  data/sub/new$" back
'

expect_success 'a moved file is a rename; a moved folder renames each file' '
	mkdir data/moved && mv data/sub/deep/c data/moved/c &&
	mv data/other data/other2 &&
	cairn add -q data && git add -A && git commit -qm v3 && git tag v3 &&
	cairn diff v2 v3 >out &&
	cat >want <<-EOF &&
	renamed:  data/sub/deep/c -> data/moved/c
	renamed:  data/other/o -> data/other2/o
	EOF
	cmp_expected want out &&
	cairn diff --json v2 v3 >out.json &&
	json_check out.json "d[\"changes\"][0][\"change\"] == \"renamed\" and d[\"changes\"][0][\"old_path\"] == \"data/sub/deep/c\"" &&
	json_check out.json "d[\"changes\"][0][\"old\"][\"sha256\"] == d[\"changes\"][0][\"new\"][\"sha256\"]"
'

expect_success 'renaming a whole output, and a same-content file elsewhere' '
	mv f g && sed "s/path: f/path: g/" f.cairn >g.cairn && rm f.cairn &&
	echo /g >>.gitignore &&
	cairn diff >out &&
	echo "renamed:  f -> g" >want && cmp_expected want out
'

expect_success 'two identical files deleted and one added: one rename, one delete' '
	git checkout -q -- . && rm -f g g.cairn && cairn checkout -q f &&
	mkdir dup && echo same >dup/x && echo same >dup/y && cairn add -q dup &&
	git add -A && git commit -qm dup && git tag d1 &&
	chmod -R u+w dup && rm dup/x dup/y && echo same >dup/z && cairn add -q dup &&
	cairn diff dup >out &&
	cat >want <<-EOF &&
	deleted:  dup/y
	renamed:  dup/x -> dup/z
	EOF
	cmp_expected want out
'

expect_success 'the same name wins when choosing a rename source' '
	chmod -R u+w dup && rm -rf dup/* && mkdir dup/p dup/q && echo same >dup/p/y &&
	cairn add -q dup && git add -A && git commit -qm dup2 && git tag d2 &&
	cairn diff d1 d2 >out &&
	cat >want <<-EOF &&
	renamed:  dup/y -> dup/p/y
	added:    dup/q
	deleted:  dup/x
	EOF
	cmp_expected want out
'

expect_success 'a deleted output lists every file it held' '
	git rm -q dup.cairn && cairn diff HEAD >out &&
	printf "deleted:  dup/p/y\ndeleted:  dup/q\n" >want && cmp_expected want out &&
	git checkout -q HEAD -- dup.cairn
'

expect_success 'empty folders, symlinks and the executable bit' '
	mkdir -p t && echo run >t/run.sh && ln -s run.sh t/link && mkdir t/empty &&
	cairn add -q t && git add -A && git commit -qm t && git tag t1 &&
	chmod -R u+w t && chmod +x t/run.sh && rm t/link && ln -s other t/link &&
	rmdir t/empty && cairn diff -- t >out &&
	cat >want <<-EOF &&
	deleted:  t/empty
	modified: t/link
	modified: t/run.sh
	EOF
	cmp_expected want out &&
	cairn diff --json t >out.json &&
	json_check out.json "d[\"changes\"][1][\"new\"] == {\"type\": \"symlink\", \"target\": \"other\"}" &&
	json_check out.json "d[\"changes\"][2][\"new\"][\"exec\"] is True and \"exec\" not in d[\"changes\"][2][\"old\"]" &&
	json_check out.json "d[\"changes\"][0][\"old\"][\"type\"] == \"dir\""
'

expect_success 'paths filter the changes, relative to the current folder' '
	cairn diff v1 v3 data/sub >out &&
	cat >want <<-EOF &&
	deleted:  data/sub/deep/c
	added:    data/sub/new
	EOF
	cmp_expected want out &&
	(cd data && cairn diff v1 v3 sub/new >../out2) &&
	echo "added:    data/sub/new" >want2 && cmp_expected want2 out2 &&
	cairn diff v1 v3 data.cairn >out3 && test $(wc -l <out3) = 5
'

expect_success 'after --, a path need not exist in the workspace' '
	cairn diff v1 v3 -- data/a >out &&
	echo "deleted:  data/a" >want && cmp_expected want out &&
	must_fail --code=2 cairn diff v1 v3 data/a 2>err &&
	grep_q "neither a revision nor a path" err
'

expect_success 'only the manifests on changed paths are read' '
	other=$(cairn ls --hash --rev v2 data | sed -n "s|^\([0-9a-f]*\)  data/other/$|\1|p") &&
	test -n "$other" &&
	mv "$(obj_path $other)" saved-other &&
	cairn diff v1 v2 >out && test $(wc -l <out) = 3 &&
	cairn diff v1 v2 data/sub >/dev/null &&
	mv saved-other "$(obj_path $other)"
'

expect_success 'a manifest on a changed path missing from the cache: error and hint' '
	sub=$(cairn ls --hash --rev v2 data | sed -n "s|^\([0-9a-f]*\)  data/sub/$|\1|p") &&
	test -n "$sub" &&
	mv "$(obj_path $sub)" saved-sub &&
	must_fail --code=1 cairn diff v1 v2 2>err &&
	grep_q "^cairn: error: .*data/sub.*$sub.* not in the cache" err &&
	grep_q "^cairn: hint: .*cairn fetch --rev v2" err &&
	mv saved-sub "$(obj_path $sub)" && cairn diff v1 v2 >/dev/null
'

expect_success 'unknown revisions and too many revisions' '
	must_fail --code=1 cairn diff no-such-rev -- 2>err &&
	grep_q "unknown revision .no-such-rev." err &&
	must_fail --code=2 cairn diff v1 v2 v3 2>err &&
	grep_q "at most two revisions" err &&
	must_fail --code=2 cairn diff v1 v2 v3 -- 2>err &&
	grep_q "at most two revisions" err &&
	must_fail --code=2 cairn diff --no-such-flag 2>err &&
	grep_q "unknown option" err
'

expect_success 'an argument that is both a revision and a path is ambiguous' '
	git branch data &&
	must_fail --code=2 cairn diff data 2>err && grep_q "ambiguous argument .data." err &&
	grep_q "^cairn: hint: .*--" err &&
	cairn diff data -- >/dev/null && cairn diff -- data >/dev/null &&
	git branch -D -q data
'

expect_success 'a malformed pointer in a revision is an error naming it' '
	git checkout -q -b bad && printf "outs: [\n" >bad.cairn && git add bad.cairn &&
	git commit -qm bad && git checkout -q - &&
	must_fail --code=1 cairn diff bad v3 2>err && grep_q "bad.cairn (at bad)" err &&
	test $(wc -l <err) -le 2
'

expect_success 'control bytes in names are escaped in the listing, kept in JSON' '
	mkdir -p esc && echo e >"esc/a$(printf "\033")b" && cairn add -q esc && cairn diff -- esc >out &&
	grep_q "^added:    esc/a\\\\x1bb$" out &&
	cairn diff --json -- esc >out.json &&
	json_check out.json "d[\"changes\"][0][\"path\"] == \"esc/a\\x1bb\"" &&
	chmod -R u+w esc && rm -rf esc esc.cairn && git checkout -q -- .gitignore
'

expect_success 'outside a cairn repository: a clear error' '
	git init -q ../plain && (cd ../plain && must_fail --code=1 cairn diff 2>../err) &&
	grep_q "not initialised" ../err
'

test_done
