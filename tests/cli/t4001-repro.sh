#!/bin/sh
# t4001-repro: cairn repro on pipelines with a diamond and parallel branches:
# dependency order, -j, every cause of staleness (command, dependency,
# param (C08), output missing or modified, metrics, always_changed (C47)),
# the run cache, --dry-run, --force, --single, targets, external
# dependencies (C46), and stage outputs restored by checkout and seen by
# status.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

# a -> b, a -> c, (b, c) -> d; while the file par exists, b and c each wait
# for the other to have started, so they only succeed when they really run at
# the same time (a bounded wait, not a timing assertion).
cat >cairn.yaml <<'EOT'
stages:
  a:
    cmd: cut -c1 in.txt >a.out && echo run >>log
    deps: [in.txt]
    outs: [a.out]
  b:
    cmd: if [ -e par ]; then touch b.started; i=0; while [ ! -e c.started ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; test -e c.started; fi && cat a.out >b.out && echo b >>b.out
    deps: [a.out]
    outs: [b.out]
  c:
    cmd: if [ -e par ]; then touch c.started; i=0; while [ ! -e b.started ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; test -e b.started; fi && mkdir -p c.dir && cat a.out >c.dir/x && echo c >c.dir/y
    deps: [a.out]
    outs: [c.dir]
  d:
    cmd: cat b.out c.dir/x c.dir/y >d.out && echo '{"score":1}' >metrics.json
    deps: [b.out, c.dir]
    outs: [d.out]
    metrics: [metrics.json]
EOT
echo in >in.txt
git add -A && git commit -qm pipeline

expect_success 'a diamond runs in order, its branches in parallel with -j 2' '
	touch par && cairn repro -j 2 >out && rm par b.started c.started &&
	grep_q "running stage .a. (never run)" out && grep_q "running stage .d." out &&
	printf "i\nb\ni\nc\n" >want && cmp_expected want d.out &&
	for s in a b c d; do grep_q "^  $s:" cairn.lock || exit 1; done &&
	grep_q "commit: $(git rev-parse HEAD)" cairn.lock && grep_q "dirty: false" cairn.lock &&
	grep_q "nfiles: 2" cairn.lock && grep_q "path: metrics.json" cairn.lock &&
	grep_q "^/a.out$" .gitignore && grep_q "^/c.dir$" .gitignore && no_grep metrics .gitignore
'

expect_success 'outputs are in the cache; metrics stay for git' '
	sha=$(sha256 d.out) && test -f .cairn/cache/sha256/$(echo $sha | cut -c1-2)/$(echo $sha | cut -c3-) &&
	git add -A && git commit -qm run && git status --porcelain >../st && test ! -s ../st
'

expect_success 'a second repro runs nothing and leaves cairn.lock as it was' '
	cairn repro >out && test $(grep -c "is up to date" out) = 4 && no_grep running out &&
	git diff --exit-code cairn.lock &&
	cairn status >st && grep_q "up to date" st
'

expect_success 'a modified dependency re-runs its stage and what follows, only as needed' '
	echo in2 >in.txt && cairn status >st &&
	grep_q "stage a: changed" st && grep_q "dependency modified: in.txt" st &&
	grep_q "upstream stage .a. is stale" st &&
	cairn repro >out && grep_q "running stage .a. (dependency modified: in.txt)" out &&
	grep_q "stage .b. is up to date" out && grep_q "stage .d. is up to date" out &&
	test $(wc -l <log) = 2
'

expect_success 'a changed command re-runs the stage' '
	sed -i "s/cut -c1 in.txt/cut -c1-2 in.txt/" cairn.yaml &&
	cairn repro >out && grep_q "running stage .a. (command changed)" out &&
	grep_q "running stage .d." out && grep_q "^in$" d.out
'

expect_success 'a missing output is restored; a modified one re-runs its stage with --force' '
	rm -f d.out && cairn status >st && grep_q "output missing: d.out" st &&
	cairn repro d >out && grep_q "restored stage .d. from the run cache" out && path_is_file d.out &&
	chmod u+w b.out && echo junk >>b.out && cairn status >st && grep_q "output modified: b.out" st &&
	must_fail cairn repro >out 2>err && grep_q "would overwrite an output changed since" err &&
	grep_q junk b.out &&
	cairn repro --force --single b >out && grep_q "running stage .b. (output modified: b.out)" out &&
	no_grep junk b.out
'

expect_success 'a modified metrics file re-runs its stage' '
	echo "{}" >metrics.json && cairn status >st && grep_q "metric modified: metrics.json" st &&
	must_fail cairn repro 2>err && grep_q "overwrite an output changed.*metrics.json" err &&
	cairn repro --force --single d >out && grep_q "running stage .d." out && grep_q score metrics.json
'

expect_success '--dry-run says what would run and changes nothing' '
	echo in3 >in.txt && cp cairn.lock lock.before && cp d.out d.before &&
	cairn repro --dry-run >out &&
	grep_q "would run stage .a. (dependency modified: in.txt)" out &&
	grep_q "would run stage .b. (upstream stage .a. would run)" out &&
	cmp_expected lock.before cairn.lock && cmp_expected d.before d.out && test $(wc -l <log) = 3
'

expect_success 'targets: repro STAGE runs only it and what it depends on; --single only it' '
	echo xy >in.txt && cairn repro a >out && grep_q "running stage .a." out &&
	no_grep "stage .[bcd]." out &&
	cairn status >st && grep_q "stage b: changed" st && grep_q "dependency modified: a.out" st &&
	echo zz >in.txt && cairn repro --single b >out && no_grep "stage .a." out &&
	grep_q "running stage .b." out && no_grep "stage .c." out &&
	cairn status >st && grep_q "stage a: changed" st && grep_q "stage c: changed" st &&
	must_fail cairn repro nosuch 2>err && grep_q "no stage .nosuch." err
'

expect_success '--force runs up-to-date stages again' '
	cairn repro -j 2 >/dev/null && cairn repro -j 2 --force >out &&
	test $(grep -c "running stage" out) = 4 && grep_q "(forced)" out
'

expect_success 'checkout restores stage outputs from cairn.lock; status sees them' '
	rm -rf d.out c.dir && cairn status >st && grep_q "missing: d.out" st && grep_q "missing: c.dir" st &&
	cairn checkout >out && grep_q "restored d.out" out && grep_q "restored c.dir" out &&
	printf "zz\nb\nzz\nc\n" >want && cmp_expected want d.out &&
	rm c.dir/y && cairn checkout c.dir && path_is_file c.dir/y &&
	cairn status d.out >st && grep_q "up to date: 1" st
'

expect_success 'checkout refuses to overwrite a modified stage output without --force' '
	chmod u+w d.out && echo mine >d.out &&
	must_fail cairn checkout d.out 2>err && grep_q "mine" d.out &&
	cairn checkout --force d.out && no_grep mine d.out
'

expect_success 'gc keeps the stage outputs cairn.lock records (workspace, index and branch tips), drops the rest' '
	cairn checkout --force -q &&
	find .cairn/cache/sha256 -type f -exec touch -h -d "-2 hours" {} + &&
	echo other >other.txt && cairn add -q other.txt && rm other.txt.cairn other.txt &&
	find .cairn/cache/sha256 -type f -exec touch -h -d "-2 hours" {} + &&
	cairn gc -w -d >out && no_grep "d.out" out &&
	git rm -q --cached cairn.lock &&
	must_fail cairn gc -w 2>err && grep_q "branches and tags still name data" err &&
	grep_q "d.out. of HEAD" err && git reset -q -- cairn.lock &&
	cairn gc -w -a >out && grep_q "removed" out &&
	d=$(sha256 d.out) && path_is_file .cairn/cache/sha256/$(echo $d | cut -c1-2)/$(echo $d | cut -c3-) &&
	o=$(echo other | sha256sum | cut -c1-64) &&
	path_is_missing .cairn/cache/sha256/$(echo $o | cut -c1-2)/$(echo $o | cut -c3-) &&
	rm -rf d.out c.dir && cairn checkout -q && path_is_file d.out && path_is_file c.dir/x
'

test_done
