#!/bin/sh
# t2510-gc-shared: C23: projects sharing one cache (cache.dir). Each
# whose cache.dir is set registers itself in <cache>/projects/ when it opens
# the cache (the owner of a default cache is known from its path); gc in one
# keeps what the others' workspaces, indexes, stashes and worktrees use and
# does not take what their branches and tags name without --force. A
# registered project that is gone stops gc (what it used cannot be known);
# one that moved to another cache is forgotten.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

export CAIRN_GC_GRACE=0
mkdir shared

for p in A B; do
	git init -q $p && (cd $p && cairn -q init && git config -f .cairn/config cache.dir ../../shared)
done

same=$(echo same | sha256sum | cut -c1-64)
obj() { echo "$TRASH/shared/sha256/$(echo $1 | cut -c1-2)/$(echo $1 | cut -c3-)"; }

expect_success 'both projects register in the shared cache' '
	(cd A && echo same >x && cairn add -q x && git add -A && git commit -qm x) &&
	(cd B && echo same >y && cairn add -q y && git add -A && git commit -qm y) &&
	ls shared/projects >regs && test $(wc -l <regs) = 2 &&
	cat shared/projects/* | sort >roots && printf "%s\n" "$TRASH/A" "$TRASH/B" >want &&
	cmp_expected want roots
'

expect_success 'C23: gc in A keeps what B still uses' '
	cd A && git rm -q x.cairn && git commit -qm rm && rm -f x &&
	cairn gc --workspace >../out && cd .. &&
	grep_q "^kept: project $TRASH/B: workspace (1 pointer, 1 object)" out &&
	path_is_file "$(obj $same)" &&
	(cd B && cairn status >st && grep_q "^up to date" st && cat y >got && echo same >want &&
	 cmp_expected want got && cairn checkout -q --force y && cmp_expected want y)
'

expect_success 'B stashed data and branches are kept too' '
	(cd B && chmod u+w y && echo stashed >y && cairn add -q y && git stash -q &&
	 cairn checkout -q --force y && git checkout -qb side && echo side >z && cairn add -q z &&
	 git add -A && git commit -qm side && git checkout -q - && rm -f z) &&
	(cd A && cairn gc -w >../out 2>../err; echo $? >../rc) &&
	test "$(cat rc)" = 1 && grep_q "branches and tags still name data that is not kept: .z. of refs/heads/side" err &&
	(cd A && cairn gc -w -a >../out) &&
	path_is_file "$(obj $(echo stashed | sha256sum | cut -c1-64))" &&
	path_is_file "$(obj $(echo side | sha256sum | cut -c1-64))" &&
	grep_q "^kept: project $TRASH/B: stash (" out
'

expect_success 'only unreferenced objects go' '
	(cd A && echo junk >j && cairn add -q j && rm -f j j.cairn) &&
	path_is_file "$(obj $(echo junk | sha256sum | cut -c1-64))" &&
	(cd A && cairn gc -w -a >../out) &&
	path_is_missing "$(obj $(echo junk | sha256sum | cut -c1-64))" &&
	grep_q "^removed 1 object" out
'

expect_success 'a registered project that is gone stops gc, with the way out' '
	mv B B.away &&
	(cd A && must_fail --code=1 cairn gc -w -a 2>../err) &&
	grep_q "^cairn: error: the project .$TRASH/B. that shares the cache is gone" err &&
	grep_q "^cairn: hint: .*rm .$TRASH/shared/projects/" err &&
	mv B.away B && (cd A && cairn gc -w -a -d >/dev/null)
'

expect_success 'a project that moved to another cache is forgotten' '
	(cd B && git config -f .cairn/config cache.dir ../../other && cairn status >/dev/null) &&
	(cd A && cairn gc -w -a >../out) && no_grep "project $TRASH/B" out &&
	test $(ls shared/projects | wc -l) = 1 &&
	path_is_missing "$(obj $same)"
'

expect_success 'linked worktrees register the main work tree, not themselves' '
	(cd A && git commit -q --allow-empty -m e && git worktree add -q ../A-wt &&
	 cd ../A-wt && cairn status >/dev/null) &&
	test $(ls shared/projects | wc -l) = 1 && grep_q "^$TRASH/A$" shared/projects/*
'

expect_success 'a project using another one.s default cache keeps what the owner uses' '
	new_repo C && (cd C && echo owned >o && cairn add -q o && git add -A && git commit -qm o) &&
	git init -q D && (cd D && cairn -q init && git config -f .cairn/config cache.dir ../../C/.cairn/cache &&
	 echo junk2 >j && cairn add -q j && rm -f j j.cairn && cairn gc -w >../out) &&
	grep_q "^kept: project $TRASH/C: workspace (1 pointer, 1 object)" out &&
	path_is_file C/.cairn/cache/sha256/$(echo owned | sha256sum | cut -c1-2)/$(echo owned | sha256sum | cut -c3-64) &&
	path_is_missing C/.cairn/cache/sha256/$(echo junk2 | sha256sum | cut -c1-2)/$(echo junk2 | sha256sum | cut -c3-64) &&
	(cd C && cairn gc -w >../out) && grep_q "^kept: project $TRASH/D: workspace" out
'

expect_success 'a malformed registration is an error naming it' '
	printf "relative/path\n" >shared/projects/$(printf "%064d" 0) &&
	(cd A && must_fail --code=1 cairn gc -w -a 2>../err) &&
	grep_q "does not name a project" err && rm shared/projects/$(printf "%064d" 0)
'

test_done
