#!/bin/sh
# t2500-gc-scopes: what cairn gc keeps, read from Git: -w, --rev R -n N,
# -a, -T, -A, --all-experiments, and always the workspace (uncommitted adds,
# a4 and s2, are nowhere else), the index, every stash entry
# (C24) and the workspace and index of every other worktree (C49), on a
# history of several branches, a tag, a stash, a second worktree, staged-only
# and workspace-only pointers: exactly the unreferenced objects go. Data that
# branches and tags name is not taken without --force; unrelated settings
# change nothing (C49); the summary names every scope kept.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

export CAIRN_GC_GRACE=0

# name_of ID: the content name whose object is ID (from the table "ids")
# gone LIST: the objects "cairn gc ... -d" would remove, as sorted names
gone() {
	sed -n 's/^would remove \([0-9a-f]\{64\}\) (.*/\1/p' "$1" | while read -r id; do
		grep "^$id " "$TRASH/ids" | cut -d" " -f2
	done | sort | tr '\n' ' ' | sed 's/ $//'
}
present() {
	for v in "$@"; do
		id=$(grep " $v\$" "$TRASH/ids" | cut -d" " -f1)
		test -f "$TRASH/r/.cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" ||
			{ echo "object of $v is gone"; return 1; }
	done
}
absent() {
	for v in "$@"; do
		id=$(grep " $v\$" "$TRASH/ids" | cut -d" " -f1)
		test ! -f "$TRASH/r/.cairn/cache/sha256/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)" ||
			{ echo "object of $v is still there"; return 1; }
	done
}

for v in a1 a2 a3 a4 af b3 bstash s1 s2 w1 w2 e1 g1 x1; do
	echo "$(echo $v | sha256sum | cut -c1-64) $v"
done >ids

new_repo r && cd r

expect_success 'setup: branches, a tag, an experiment, a stash, a worktree, staged-only data' '
	mkdir d && echo x1 >d/x && echo a1 >a && cairn add -q a d && git add -A &&
	git commit -qm c1 && git tag v1 &&
	chmod u+w a && echo a2 >a && cairn add -q a && git commit -qam c2 &&
	git checkout -qb feat && chmod u+w a && echo af >a && cairn add -q a && git commit -qam f1 &&
	git checkout -q main && chmod u+w a && echo a3 >a && echo b3 >b && cairn add -q a b &&
	git add -A && git commit -qm c3 &&
	git checkout -qb exp && echo e1 >e && cairn add -q e && git add -A && git commit -qm e1 &&
	git update-ref refs/cairn/exps/e1 HEAD && git checkout -q main && git branch -qD exp &&
	rm -f e &&
	chmod u+w b && echo bstash >b && cairn add -q b && git stash -q && cairn checkout -q --force b &&
	echo s1 >s && cairn add -q s && git add s.cairn .gitignore && chmod u+w s && echo s2 >s &&
	cairn add -q s && chmod u+w a && echo a4 >a && cairn add -q a &&
	git worktree add -q ../wt2 feat && (cd ../wt2 && cairn checkout -q && echo w1 >w &&
		cairn add -q w && git add w.cairn .gitignore && chmod u+w w && echo w2 >w && cairn add -q w) &&
	echo g1 >g && cairn add -q g && rm -f g g.cairn && sed -i "/^\/g$/d" .gitignore &&
	present a1 a2 a3 a4 af b3 bstash s1 s2 w1 w2 e1 g1 x1
'

expect_success 'no scope: a usage error that lists them' '
	must_fail --code=2 cairn gc 2>err && grep_q "say what to keep" err &&
	grep_q "^cairn: hint: .*-w.*--rev.*-a.*-T.*-A.*--all-experiments" err &&
	must_fail --code=2 cairn gc -n 2 2>err && grep_q "needs --rev" err &&
	must_fail --code=2 cairn gc --rev main -n 0 2>err && grep_q "not a positive number" err &&
	must_fail --code=2 cairn gc -w -r origin 2>err && grep_q "needs --cloud" err
'

expect_success '-w: the summary names every scope that is always kept (C24, C49)' '
	cairn gc -w -d >out &&
	grep_q "^kept: workspace (4 pointers, " out && grep_q "^kept: index (4 pointers, " out &&
	grep_q "^kept: stash (" out && grep_q "^kept: worktree $TRASH/wt2 (" out &&
	test "$(gone out)" = "a1 a2 e1 g1"
'

expect_success 'each scope keeps exactly what it names' '
	check() { want=$1; shift; cairn gc "$@" -d >out && got=$(gone out) &&
		{ test "$got" = "$want" || { echo "gc $*: got [$got], want [$want]"; return 1; }; }; } &&
	check "a1 a2 e1 g1" -w -a &&
	check "a2 e1 g1" -w -a -T &&
	check "a2 g1" -w -a -T --all-experiments &&
	check "a1 a2 g1" -w --all-experiments &&
	check "g1" -A &&
	check "a1 e1 g1" --rev main -n 2 &&
	check "a1 e1 g1" --rev main --num 2 &&
	check "a1 a2 e1 g1" --rev main &&
	check "a2 e1 g1" --rev v1 &&
	check "a2 e1 g1" -T &&
	check "g1" --rev v1~0 --rev main -n 2 --all-experiments &&
	grep_q "^kept: rev main and 1 first parents (" out
'

expect_success 'an unknown revision is an error; nothing is removed' '
	must_fail --code=1 cairn gc --rev no-such -w 2>err && grep_q "unknown revision .no-such." err &&
	present g1
'

expect_success 'data that branches and tags name is not taken without --force (C49)' '
	must_fail --code=1 cairn gc -w >out 2>err &&
	grep_q "^cairn: error: branches and tags still name data that is not kept: .a. of refs/tags/v1" err &&
	grep_q "^cairn: hint: keep it with -a (branches), -T (tags) or -A" err &&
	present a1 a2 e1 g1 && test ! -s out
'

expect_success 'settings unrelated to retention change nothing (C49)' '
	cairn gc -w -a -T -d >before &&
	git config -f .cairn/config fetch.exclude "*" && git config -f .cairn/config core.remote none &&
	git config -f .cairn/config cache.type copy && git config -f .cairn/config core.autopull true &&
	cairn gc -w -a -T -d >after && cmp_expected before after &&
	git config -f .cairn/config --remove-section fetch && git config -f .cairn/config --unset core.remote &&
	git config -f .cairn/config --unset cache.type && git config -f .cairn/config --unset core.autopull
'

expect_success 'a real run removes exactly what the dry run listed' '
	cairn gc -w -a -T -d >dry && cairn gc -w -a -T >out &&
	sed -n "s/^would remove \([0-9a-f]\{64\}\) .*/removed \1/p" dry >want &&
	grep "^removed [0-9a-f]\{64\} " out | cut -d" " -f1,2 >got && cmp_expected want got &&
	absent a2 e1 g1 && present a1 a3 a4 af b3 bstash s1 s2 w1 w2 x1 &&
	grep_q "^removed 3 objects" out
'

expect_success 'staged-only data is kept by the index scope' '
	git show :s.cairn >staged && grep_q "sha256: $(grep " s1$" ../ids | cut -c1-64)" staged &&
	present s1
'

expect_success 'C24: the stash entry can be popped and checked out after gc' '
	git stash pop -q && cairn checkout -q b && echo bstash >want && cmp_expected want b &&
	git stash push -q -- b.cairn && cairn checkout -q --force b && echo b3 >want &&
	cmp_expected want b && git show :s.cairn >/dev/null
'

expect_success 'C49: the other worktree is restorable; the tag checks out' '
	(cd ../wt2 && cairn status >st && grep_q "^up to date" st &&
	 rm -f w a && cairn checkout -q && echo w2 >want && cmp_expected want w &&
	 echo af >want && cmp_expected want a && git show :w.cairn >idx &&
	 grep_q "sha256: $(grep " w1$" ../ids | cut -c1-64)" idx) &&
	git stash push -q -- a.cairn s.cairn .gitignore && git checkout -q v1 &&
	rm -f a && cairn checkout -q a && echo a1 >want && cmp_expected want a &&
	git checkout -q main && git stash pop -q && cairn checkout -q --force a
'

expect_success '--force takes the data of branches and tags' '
	cairn checkout -q --force && cairn gc -w --force >out &&
	grep_q "^taking data that branches and tags name: .a. of refs/tags/v1" out &&
	absent a1 && present a3 af s1 w1 w2
'

expect_success 'a worktree whose folder is gone stops gc' '
	mv ../wt2 ../wt2.away && must_fail --code=1 cairn gc -w -A 2>err &&
	grep_q "the work tree .wt2. at .*wt2. is missing" err && grep_q "git worktree prune" err &&
	mv ../wt2.away ../wt2 && cairn gc -w -A -d >/dev/null
'

expect_success 'gc from the linked worktree keeps the main work tree' '
	(cd ../wt2 && cairn gc -w -d >../out) &&
	grep_q "^kept: worktree $TRASH/r (" ../out && grep_q "^kept: workspace " ../out
'

expect_success 'C24 as reported: an object only a stash entry names survives gc -w' '
	new_repo "$TRASH/c24" && cd "$TRASH/c24" &&
	echo v1 >f && cairn add -q f && git add -A && git commit -qm v1 &&
	chmod u+w f && echo v2 >f && cairn add -q f && git stash -q &&
	cairn gc --workspace >out && grep_q "^kept: stash (2 pointers, 1 object)" out &&
	git stash pop -q && cairn checkout -q f && echo v2 >want && cmp_expected want f
'

expect_success 'bad flags' '
	must_fail --code=2 cairn gc -w --no-such 2>err && grep_q "unknown option" err &&
	must_fail --code=2 cairn gc -w extra 2>err && grep_q "too many arguments" err
'

test_done
