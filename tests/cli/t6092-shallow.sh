#!/bin/sh
# t6092-shallow: a shallow clone (git clone --depth, as CI checks out) has
# commits whose parents are not there. Walking the history stops at them:
# gc -A, gc --rev -n, push --all-commits and the pre-push hook of a new
# branch (which reads the whole history of what is pushed) work, and read
# what the clone has.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

git init -q --bare up.git && git init -q src && cd src && cairn init -q &&
cairn remote add -q -d store "$TRASH/store" && git remote add origin ../up.git &&
for i in 1 2 3; do echo "v$i" >d && cairn add -q d && git add -A && git commit -qm "c$i" &&
	chmod u+w d; done && cairn push -q && git push -q origin main && cd .. || exit 1

expect_success 'setup: a clone of depth 1 with the data of its commit' '
	git clone -q --depth 1 "file://$TRASH/up.git" c && cd c && test -f .git/shallow &&
	cairn pull -q && echo v3 >want && cmp_expected want d
'

expect_success 'gc -A and gc --rev -n in a shallow clone' '
	cd c && echo junk >j && cairn add -q j && rm -f j j.cairn && sed -i "/^\/j$/d" .gitignore &&
	CAIRN_GC_GRACE=0 cairn gc -A >out && grep_q "^kept: all commits (1 pointer, " out &&
	grep_q "^removed 1 object" out && cairn gc -q --rev HEAD -n 5 -d && cairn status >st &&
	grep_q "up to date" st
'

expect_success 'push --all-commits sends what the clone has' '
	cd c && cairn push -q --all-commits -r store
'

expect_success 'the pre-push hook of a new branch reads the shallow history' '
	cd c && cairn install -q && git checkout -q -b topic && chmod u+w d && echo v4 >d &&
	cairn add -q d && git commit -qam c4 && git push -q origin topic 2>err &&
	grep_q "pushed 1 object" err && git ls-remote ../up.git >refs && grep_q "refs/heads/topic" refs
'

test_done
