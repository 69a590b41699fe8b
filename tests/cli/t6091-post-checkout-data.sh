#!/bin/sh
# t6091-post-checkout-data: what the checkout hooks do with the data of a
# real workspace: the stage outputs cairn.lock records follow git checkout
# like pointer files' outputs; data modified locally is never overwritten,
# and the warning names the output, the files in a folder that would be
# lost, and a command that can be pasted as it is (quoted, after "--" for a
# name starting with '-'); a pointer staged with conflict markers stops the
# commit with the way out (cairn add of the data resolves it).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

git init -q r && cd r && cairn init -q && cairn install -q || exit 1

expect_success 'setup: two branches with different stage outputs, folders and odd names' '
	cat >cairn.yaml <<-\EOF &&
	stages:
	  s:
	    cmd: cat p >out
	    deps: [p]
	    outs: [out]
	EOF
	echo 1 >p && mkdir d && echo a1 >d/a && echo b1 >d/b && echo o1 >"-odd name" &&
	cairn repro -q && cairn add -q d -- "-odd name" && git add -A && git commit -qm one &&
	git checkout -q -b two && echo 2 >p && cairn repro -q && chmod -R u+w d -- "-odd name" &&
	echo a2 >d/a && echo o2 >"-odd name" && cairn add -q d -- "-odd name" &&
	git add -A && git commit -qm two
'

expect_success 'git checkout restores the stage outputs of cairn.lock' '
	git checkout -q main 2>err && echo 1 >want && cmp_expected want out &&
	grep_q "^cairn: restored out$" err &&
	git checkout -q two 2>err && echo 2 >want && cmp_expected want out &&
	cairn status >st && grep_q "up to date" st
'

expect_success 'a modified stage output is kept, and the warning says its record changed' '
	chmod u+w out && echo mine >out && git checkout -q main 2>err &&
	echo mine >want && cmp_expected want out &&
	grep_q "^cairn: warning: kept the modified data of .out.; its record in cairn.lock changed (to replace it: cairn checkout --force out)$" err &&
	cairn checkout -q --force out && echo 1 >want && cmp_expected want out && git checkout -q two
'

expect_success 'a folder with modified files: the warning names them' '
	echo mine >d/b && echo extra >d/new && git checkout -q main 2>err &&
	grep_q "^cairn: warning: kept the modified data of .d. (.d/b. (modified), .d/new. (not tracked)); its pointer changed" err &&
	echo mine >want && cmp_expected want d/b && echo a2 >want && cmp_expected want d/a &&
	cairn checkout -q --force d && echo a1 >want && cmp_expected want d/a && path_is_missing d/new
'

expect_success 'an odd name: the suggested command works when pasted' '
	git checkout -q two && chmod u+w -- "-odd name" && echo mine >"-odd name" &&
	git checkout -q main 2>err &&
	grep_q "^cairn: warning: kept the modified data of .-odd name.; its pointer changed (to replace it: cairn checkout --force -- .-odd name.)$" err &&
	cmd=$(sed -n "s/.*(to replace it: \(.*\))$/\1/p" err) && sh -c "$cmd" &&
	echo o1 >want && cmp_expected want "./-odd name"
'

expect_success 'git rebase keeps modified data too' '
	git checkout -q two && cairn checkout -q --force && git checkout -q -b three main &&
	echo t >t && git add t && git commit -qm three && chmod u+w d/b && echo mine2 >d/b &&
	git rebase -q two 2>err && echo mine2 >want && cmp_expected want d/b &&
	grep_q "^cairn: warning: kept the modified data of .d. (.d/b. (modified))" err &&
	echo 2 >want && cmp_expected want out
'

expect_success 'pre-commit stops a pointer staged with conflict markers, and says how to resolve it' '
	cairn checkout -q --force && git checkout -q -b c1 main && chmod u+w -- "-odd name" &&
	echo c1 >"-odd name" &&
	cairn add -q -- "-odd name" && git commit -qam c1 && git checkout -q -b c2 main &&
	chmod u+w -- "-odd name" && echo c2 >"-odd name" && cairn add -q -- "-odd name" &&
	git commit -qam c2 && must_fail git merge -q c1 >/dev/null 2>&1 && git add -- "-odd name.cairn" &&
	must_fail git commit -qm merged 2>err &&
	grep_q "^cairn: error: pointer .-odd name.cairn (at the index). contains merge conflict markers$" err &&
	grep_q "^cairn: hint: fix it in the work tree (cairn add writes it again; in a merge conflict, git checkout --ours (or --theirs) -- .-odd name.cairn. keeps one side), then git add it$" err &&
	cairn add -q -- "-odd name" && git add -- "-odd name.cairn" && git commit -qm merged &&
	echo c2 >want && cmp_expected want "./-odd name"
'

expect_success 'a committed conflict can be fixed: HEAD'"'"'s malformed pointer and cairn.lock are no error' '
	git checkout -q -b fixit && cp cairn.lock "$TRASH/good.lock" &&
	printf "<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> o\n" >d.cairn && cp d.cairn cairn.lock &&
	git commit -q --no-verify -am broken && git checkout -q HEAD~1 -- d.cairn &&
	cp "$TRASH/good.lock" cairn.lock && cairn checkout -q --force &&
	git commit -qam fixed 2>err && git log -1 --format=%s >log && echo fixed >want &&
	cmp_expected want log && must_fail git checkout -q HEAD~1 2>err &&
	grep_q "contains merge conflict markers" err && git checkout -q --force fixit 2>err &&
	no_grep "error" err && cairn status >st && grep_q "up to date" st
'

expect_success 'git push of a history with a committed conflict: a warning for the old commit, the tip is sent' '
	git init -q --bare "$TRASH/up.git" && git remote add up "$TRASH/up.git" &&
	cairn remote add -q -d store "$TRASH/store" && git push -q up fixit 2>err &&
	grep_q "^cairn: warning: pointer .d.cairn (at [0-9a-f]*). contains merge conflict markers; an older pushed commit, so its data is not sent$" err &&
	git ls-remote "$TRASH/up.git" >refs && grep_q "refs/heads/fixit" refs &&
	git checkout -q -b tipbroken && printf "<<<<<<< a\n=======\n>>>>>>> b\n" >d.cairn &&
	git commit -q --no-verify -am tipbroken && must_fail git push -q up tipbroken 2>err &&
	grep_q "^cairn: error: the push is stopped" err && git checkout -q --force fixit
'

test_done
