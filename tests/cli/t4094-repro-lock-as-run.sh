#!/bin/sh
# t4094-repro-lock-as-run: the stage's record in cairn.lock counts as a run
# of the run cache. The run cache is local (.cairn/cache/runs/), so in a
# clone that pulled the outputs, an output deleted by hand made repro run
# the stage again (a training of hours) although cairn.lock records that
# exact run and the cache holds its outputs; now they are restored. A
# changed dependency still runs, and so does --force or --no-run-cache.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
cairn remote add -d origin "$TRASH/store" >/dev/null
echo raw >raw.txt && cairn -q add raw.txt
cat >cairn.yaml <<EOT
stages:
  train:
    cmd: echo ran >>$TRASH/runs && cat raw.txt raw.txt >model.bin
    deps: [raw.txt]
    outs: [model.bin]
EOT
cairn -q repro && git add -A && git commit -qm one && cairn -q push || exit 1
: >"$TRASH/runs"
git clone -q . ../c && cd ../c && cairn -q pull || exit 1

expect_success 'a clone: the deleted output comes back from the cache, the command does not run' '
	rm model.bin && cairn repro >out &&
	grep_q "^restored stage .train. from the run cache$" out && test ! -s "$TRASH/runs" &&
	cmp_expected ../r/model.bin model.bin && cairn status >st && grep_q "up to date" st &&
	git diff --quiet -- cairn.lock
'

expect_success 'the output missing from the cache too: the stage runs' '
	rm model.bin && rm -rf .cairn/cache && cairn -q pull raw.txt &&
	cairn repro >out && grep_q "^running stage .train." out && test -s "$TRASH/runs" &&
	cmp_expected ../r/model.bin model.bin
'

expect_success 'a changed dependency runs the stage' '
	: >"$TRASH/runs" && chmod u+w raw.txt 2>/dev/null; echo new >raw.txt && cairn -q add raw.txt &&
	cairn repro >out && grep_q "^running stage .train." out && test -s "$TRASH/runs"
'

expect_success '--no-run-cache and --force run it' '
	: >"$TRASH/runs" && rm model.bin && cairn repro --no-run-cache >out &&
	grep_q "^running stage .train." out && test -s "$TRASH/runs" &&
	: >"$TRASH/runs" && cairn repro --force >out && grep_q "^running stage .train." out &&
	test -s "$TRASH/runs"
'

test_done
