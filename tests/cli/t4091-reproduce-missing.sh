#!/bin/sh
# t4091-reproduce-missing: cairn reproduce reports per output what the new
# run really made. A stage that does not run again (its data is in neither
# the cache nor the remote, or a stage before it fails) has its outputs
# reported missing, never identical to their old record; an output of the
# record that the cache lacks is made again, not checked out first; the
# user's workspace is never touched.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

new_repo r && cd r
echo raw >raw && cairn add -q raw
cairn stage add -n a -d raw -o mid 'cat raw raw >mid' >/dev/null
cairn stage add -n b -d mid -o fin 'cat mid >fin' >/dev/null
cairn repro -q && git add -A && git commit -qm base

obj() { echo ".cairn/cache/sha256/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"; }
RAW=$(obj $(sed -n 's/^ *sha256: //p' raw.cairn))
MID=$(obj $(sha256sum mid | cut -c1-64))

snapshot() {
	{ git status --porcelain; ls -l raw mid fin; cat raw mid fin; cairn status; } >"$1" 2>&1
}

expect_success 'a dependency in neither the cache nor a remote: every output missing, exit 1' '
	snapshot ../before && mv "$RAW" ../raw.obj &&
	must_fail cairn reproduce >../out 2>../err; rc=$?; mv ../raw.obj "$RAW"; test $rc = 0 &&
	grep_q "^missing   mid (stage a)$" ../out && grep_q "^missing   fin (stage b)$" ../out &&
	no_grep identical ../out && grep_q "in neither the cache nor the remote" ../err &&
	snapshot ../after && cmp_expected ../before ../after
'

expect_success 'the same with a default remote that lacks it too' '
	cairn remote add -d origin "$STORE" >/dev/null && mv "$RAW" ../raw.obj &&
	must_fail cairn reproduce >../out 2>../err; rc=$?; mv ../raw.obj "$RAW"; test $rc = 0 &&
	grep_q "^missing   mid (stage a)$" ../out && grep_q "^missing   fin (stage b)$" ../out &&
	no_grep identical ../out && cairn remote remove origin >/dev/null
'

expect_success 'a recorded output the cache lacks is made again, not checked out' '
	snapshot ../before && chmod u+w "$MID" 2>/dev/null; mv "$MID" ../mid.obj &&
	cairn reproduce >../out 2>../err; rc=$?; mv ../mid.obj "$MID"; test $rc = 0 &&
	grep_q "^identical mid (stage a)$" ../out && grep_q "^identical fin (stage b)$" ../out &&
	no_grep "not in the cache" ../err && snapshot ../after && cmp_expected ../before ../after
'

expect_success 'a failing stage: what ran before it is compared, its outputs are missing' '
	cairn stage add -f -n b -d mid -o fin "exit 4" >/dev/null && git commit -qam broken &&
	must_fail cairn reproduce >../out 2>../err &&
	grep_q "^identical mid (stage a)$" ../out && grep_q "^missing   fin (stage b)$" ../out &&
	grep_q "did not run to its end" ../err && git reset -q --hard HEAD~1
'

expect_success 'a frozen stage does not run: its outputs are taken as recorded' '
	sed -i "/cmd: cat raw raw/a\\    frozen: true" cairn.yaml && grep_q frozen cairn.yaml &&
	git commit -qam frozen && cairn reproduce >../out 2>../err &&
	grep_q "^identical mid (stage a)$" ../out && grep_q "^identical fin (stage b)$" ../out &&
	grep_q "running stage .b." ../err && no_grep "running stage .a." ../err
'

test_done
