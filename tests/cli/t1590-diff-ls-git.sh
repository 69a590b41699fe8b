#!/bin/sh
# t1590-diff-ls-git: cairn diff and ls against what a real workspace holds:
# a single tracked file changed on disk shows in diff (HEAD vs the
# workspace); the stage outputs cairn.lock records are listed and compared
# like pointer files' outputs, in the workspace and at revisions; --json of
# diff, ls and status stays valid JSON when a path is not valid UTF-8, the
# same way in every command (the text as printed, the bytes in base64).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

# json_check FILE PYTHON-EXPR: the expression (over the parsed document d) must be true.
json_check() {
	python3 -c 'import base64, json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("json_check failed:", sys.argv[2]); print(json.dumps(d, indent=1)); sys.exit(1)' "$1" "$2"
}

new_repo r && cd r && echo one >f && mkdir dir && echo a >dir/a && cairn add -q f dir &&
git add -A && git commit -qm one || exit 1

expect_success 'diff sees a tracked file changed in the workspace' '
	chmod u+w f && echo two >f && cairn diff >out && echo "modified: f" >want &&
	cmp_expected want out && cairn diff --json >out.json &&
	json_check out.json "[(c[\"change\"], c[\"path\"]) for c in d[\"changes\"]] == [(\"modified\", \"f\")]" &&
	json_check out.json "d[\"changes\"][0][\"new\"][\"sha256\"] != d[\"changes\"][0][\"old\"][\"sha256\"]" &&
	cairn diff HEAD -- f >out && cmp_expected want out &&
	echo one >f && cairn diff >out && test ! -s out
'

expect_success 'a file made executable is a modification too' '
	chmod +x f && cairn diff >out && echo "modified: f" >want && cmp_expected want out &&
	chmod -x f && cairn diff >out && test ! -s out
'

expect_success 'stage outputs recorded in cairn.lock are listed and diffed' '
	cat >cairn.yaml <<-\EOF &&
	stages:
	  train:
	    cmd: mkdir -p model && cat f >model/w && cat f >score
	    deps: [f]
	    outs: [model, score]
	EOF
	cairn repro -q && cairn ls >out && printf "dir/\nf\nmodel/\nscore\n" >want && cmp_expected want out &&
	cairn ls -R model >out && echo model/w >want && cmp_expected want out &&
	cairn diff >out && printf "added:    model/w\nadded:    score\n" >want && cmp_expected want out &&
	git add -A && git commit -qm train && cairn ls --rev HEAD --json >ls.json &&
	json_check ls.json "[e[\"path\"] for e in d] == [\"dir\", \"f\", \"model\", \"score\"]" &&
	chmod u+w f && echo three >f && cairn repro -q && cairn diff HEAD~1 HEAD >out &&
	printf "added:    model/w\nadded:    score\n" >want && cmp_expected want out &&
	cairn diff HEAD >out && printf "modified: f\nmodified: model/w\nmodified: score\n" >want &&
	cmp_expected want out && cairn diff HEAD -- score >out && echo "modified: score" >want &&
	cmp_expected want out
'

expect_success 'setup: a tracked folder under a name that is not UTF-8' '
	cairn add -q f && git add -A && git commit -qm three && mkdir sub && echo x >sub/d && cairn add -q sub/d &&
	git add -A && git commit -qm sub && mv sub "$(printf "caf\351")" && git add -A &&
	git commit -qm moved && chmod -R u+w dir && echo b >"dir/$(printf "b\351")"
'

expect_success 'ls, diff and status --json stay valid JSON, with the bytes in base64' '
	cairn ls --json >ls.json &&
	json_check ls.json "[e[\"path\"] for e in d][0] == \"caf\\\\xe9\"" &&
	json_check ls.json "base64.b64decode(d[0][\"path_base64\"]) == b\"caf\\xe9\"" &&
	json_check ls.json "\"path_base64\" not in d[1]" &&
	cairn ls caf* >out && printf "caf\\\\xe9/d\n" >want && cmp_expected want out &&
	cairn diff HEAD~1 HEAD --json >diff.json &&
	json_check diff.json "[(c[\"change\"], c[\"old_path\"], c[\"path\"]) for c in d[\"changes\"]] == [(\"renamed\", \"sub/d\", \"caf\\\\xe9/d\")]" &&
	json_check diff.json "base64.b64decode(d[\"changes\"][0][\"path_base64\"]) == b\"caf\\xe9/d\"" &&
	cairn diff --json >wd.json &&
	json_check wd.json "[c[\"path\"] for c in d[\"changes\"]] == [\"dir/b\\\\xe9\"]" &&
	json_check wd.json "base64.b64decode(d[\"changes\"][0][\"path_base64\"]) == b\"dir/b\\xe9\"" &&
	cairn status --json >st.json &&
	json_check st.json "[o[\"path\"] for o in d[\"outputs\"]][0] == \"caf\\\\xe9/d\"" &&
	json_check st.json "base64.b64decode(d[\"outputs\"][0][\"pointer_base64\"]) == b\"caf\\xe9/d.cairn\"" &&
	json_check st.json "[c for o in d[\"outputs\"] for c in o[\"changes\"]] == [{\"change\": \"added\", \"path\": \"dir/b\\\\xe9\", \"path_base64\": \"ZGlyL2Lp\"}]"
'

test_done
