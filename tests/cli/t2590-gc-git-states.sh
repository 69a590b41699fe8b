#!/bin/sh
# t2590-gc-git-states: gc in the middle of real Git workflows. History
# scopes (-a, -T, -A, --rev) always keep the workspace too, so a cairn add
# not yet committed survives them; during a merge conflict the base, ours and
# theirs versions in the index (stages 1-3) are kept, and so are the outputs
# a staged cairn.lock records; a pointer with conflict markers is an error
# that names it and says to resolve the conflict (cairn add of the data
# resolves it, as git add does); a malformed pointer or
# cairn.lock in history is a warning (its ids are kept), not an error that
# no later gc could get past. An unborn HEAD (no commit yet, an orphan
# branch) has no history to walk: -A keeps what the refs name.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

export CAIRN_GC_GRACE=0

# has CONTENT...: the objects of these file contents are in the cache
has() {
	for v in "$@"; do
		id=$(printf '%s\n' "$v" | sha256sum | cut -c1-64)
		test -f "$TRASH/r/.cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" ||
			{ echo "object of '$v' is gone"; return 1; }
	done
}
hasnt() {
	for v in "$@"; do
		id=$(printf '%s\n' "$v" | sha256sum | cut -c1-64)
		test ! -f "$TRASH/r/.cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" ||
			{ echo "object of '$v' is still there"; return 1; }
	done
}

new_repo r && cd r && echo base >d && cairn add -q d && git add -A && git commit -qm base || exit 1

expect_success 'history scopes keep an add that is not committed yet' '
	chmod u+w d && echo uncommitted >d && cairn add -q d && echo junk >j && cairn add -q j &&
	rm -f j j.cairn && sed -i "/^\/j$/d" .gitignore &&
	cairn gc -q -a && has uncommitted base && hasnt junk &&
	cairn gc -q -T && cairn gc -q -A && cairn gc -q --rev HEAD && has uncommitted &&
	cairn status >st && grep_q "up to date" st &&
	cairn checkout -q --force d.cairn && git checkout -q d.cairn && cairn checkout -q --force
'

expect_success 'with symlinked data the workspace itself survives gc -A' '
	git config -f .cairn/config cache.type symlink && echo linked >l && cairn add -q l &&
	cairn gc -q -A && cat l >got && echo linked >want && cmp_expected want got &&
	rm -f l.cairn l && sed -i "/^\/l$/d" .gitignore && git config -f .cairn/config --unset cache.type
'

expect_success 'setup: a merge conflict on a pointer with a commit no ref names' '
	git checkout -q -b side && chmod u+w d && echo theirs >d && cairn add -q d &&
	git commit -qam theirs && git rev-parse HEAD >"$TRASH/theirs" &&
	git checkout -q main && git branch -qD side && cairn checkout -q --force &&
	chmod u+w d && echo ours >d && cairn add -q d && git commit -qam ours &&
	must_fail git merge -q "$(cat "$TRASH/theirs")" >/dev/null &&
	git ls-files -u >stages && test $(wc -l <stages) = 3
'

expect_success 'a pointer with conflict markers: named, with the way out' '
	must_fail --code=1 cairn gc -a 2>err &&
	grep_q "^cairn: error: pointer .d.cairn. contains merge conflict markers$" err &&
	grep_q "^cairn: hint: resolve the conflict first: keep one side with git checkout --ours (or --theirs) -- .d.cairn. and git add it, or add the data again with cairn add; then run cairn checkout$" err &&
	must_fail cairn status 2>err && grep_q "conflict markers" err &&
	must_fail cairn diff 2>err && grep_q "conflict markers" err && has ours theirs base
'

expect_success 'the conflict stages of the index are kept while the conflict lasts' '
	git checkout -q --ours d.cairn && git ls-files -u >stages && test $(wc -l <stages) = 3 &&
	cairn gc -a >out && has ours theirs base &&
	grep_q "^kept: index (3 pointers, 2 objects)$" out &&
	git checkout -q --theirs d.cairn && cairn checkout -q --force d && echo theirs >want &&
	cmp_expected want d && git add d.cairn && git commit -qm merged &&
	cairn gc -q -a && has theirs && hasnt ours base
'

expect_success 'outputs that only a staged cairn.lock records are kept' '
	cat >cairn.yaml <<-\EOF &&
	stages:
	  s:
	    cmd: cat p >out
	    deps: [p]
	    outs: [out]
	EOF
	echo run1 >p && cairn repro -q && git add -A && git commit -qm run1 &&
	echo run2 >p && cairn repro -q && git add cairn.lock p &&
	echo run3 >p && cairn repro -q && has run1 run2 run3 &&
	cairn gc -q -w --force && has run2 run3 && hasnt run1 &&
	git commit -qm run2 && cairn gc -q -w && has run2 run3
'

expect_success 'setup: history with a committed conflict in a pointer and in cairn.lock' '
	chmod u+w d && echo histours >d && cairn add -q d && cp d.cairn "$TRASH/ours.cairn" &&
	echo histtheirs >d && cairn add -q d && cp d.cairn "$TRASH/theirs.cairn" &&
	{ echo "<<<<<<< HEAD"; cat "$TRASH/ours.cairn"; echo "======="; cat "$TRASH/theirs.cairn";
	  echo ">>>>>>> other"; } >d.cairn &&
	cp cairn.lock "$TRASH/good.lock" &&
	{ echo "<<<<<<< HEAD"; cat "$TRASH/good.lock"; echo "======="; echo "schema: broken"; echo ">>>>>>> other"; } >cairn.lock &&
	git add d.cairn cairn.lock && git commit -qm "broken merge" && must_fail cairn repro -q &&
	echo fixed >d && cairn add -q d && cp "$TRASH/good.lock" cairn.lock &&
	echo run4 >p && cairn repro -q && git add -A &&
	git commit -qm fixed && echo garbage >g && cairn add -q g && rm -f g g.cairn &&
	sed -i "/^\/g$/d" .gitignore && has histours histtheirs run3 garbage
'

expect_success 'gc -A warns about a malformed historic pointer and cairn.lock, keeps their ids, goes on' '
	cairn gc -A >out 2>err &&
	grep_q "^cairn: warning: pointer .d.cairn (at [0-9a-f]*). contains merge conflict markers; keeping every object it names$" err &&
	grep_q "^cairn: warning: .cairn.lock (at [0-9a-f]*). contains merge conflict markers; keeping every object it names$" err &&
	has histours histtheirs run3 fixed run4 && hasnt garbage &&
	test $(grep -c "d.cairn" err) = 1
'

expect_success 'the branch check reads a malformed tip too' '
	git checkout -q -b broken HEAD~1 && git checkout -q main && git branch -f broken HEAD~1 &&
	cairn checkout -q --force && must_fail cairn gc --rev main 2>err &&
	grep_q "branches and tags still name data that is not kept: .d.cairn. of refs/heads/broken" err &&
	has histours histtheirs
'

expect_success 'a pointer added with git add -N (intent to add) is no malformed pointer' '
	echo ita >i && cairn add -q i && git add -N i.cairn && cairn gc -a >out 2>err &&
	no_grep "i.cairn" err && has ita && git rm -q --cached i.cairn && rm -f i.cairn i &&
	sed -i "/^\/i$/d" .gitignore
'

expect_success 'gc -A and push --all-commits before the first commit and on an orphan branch' '
	new_repo "$TRASH/empty" && cd "$TRASH/empty" && echo e >e && cairn add -q e &&
	cairn remote add -q -d store "$TRASH/store" &&
	cairn gc -A >out && grep_q "^kept: all commits (0 pointers, 0 objects)$" out &&
	cairn push --all-commits >out && path_is_file e.cairn &&
	git add -A && git commit -qm first && git checkout -q --orphan fresh &&
	cairn gc -A -d >out && grep_q "^kept: all commits (1 pointer, " out &&
	cairn push -q --all-commits
'

test_done
