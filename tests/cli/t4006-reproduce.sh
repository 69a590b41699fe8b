#!/bin/sh
# t4006-reproduce: cairn reproduce [REV] [--keep]: a revision's pipeline run
# again in a temporary worktree that shares the cache, each recorded output
# reported identical or differs, exit 0 only when all are identical, and the
# workspace never touched.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
echo raw >raw.txt && cairn add -q raw.txt
printf 'size: 3\n' >params.yaml
cairn stage add -n gen -d raw.txt -p size -o gen.out \
	"n=\$(sed -n 's/^size: //p' params.yaml); cat raw.txt >gen.out; head -c \$n /dev/zero | tr '\\\\0' x >>gen.out" >/dev/null
cairn stage add -n sum -d gen.out -o sum.dir -m m.json \
	"mkdir -p sum.dir && wc -c <gen.out >sum.dir/count && echo '{\"n\":1}' >m.json" >/dev/null
cairn repro -q && git add -A && git commit -qm one
printf 'size: 5\n' >params.yaml && cairn repro -q && git add -A && git commit -qm two

expect_success 'reproduce an older commit: every output identical, workspace untouched' '
	cp gen.out ../gen.before &&
	cairn reproduce HEAD~1 >../out 2>../err &&
	grep_q "^identical gen.out (stage gen)$" ../out && grep_q "^identical sum.dir (stage sum)$" ../out &&
	grep_q "^identical m.json (stage sum)$" ../out &&
	grep_q "reproduced [0-9a-f]\{7\}: all 3 outputs identical" ../out &&
	grep_q "running stage .gen. (forced)" ../err &&
	cmp_expected ../gen.before gen.out && git status --porcelain >../st && test ! -s ../st &&
	test -z "$(ls .cairn/tmp/wt)" && git worktree list >../wt && test $(wc -l <../wt) = 1
'

expect_success 'reproduce HEAD (the default) with -q prints nothing when identical' '
	cairn reproduce -q >../out 2>../err && test ! -s ../out
'

expect_success 'a stage that is not deterministic differs: exit 1, the output named' '
	cairn stage add -f -n sum -d gen.out -o sum.dir -m m.json \
		"mkdir -p sum.dir && date +%s%N >sum.dir/count && echo \"{\\\"n\\\":1}\" >m.json" >/dev/null &&
	cairn repro -q && git add -A && git commit -qm three &&
	must_fail cairn reproduce >../out 2>../err &&
	grep_q "^differs   sum.dir (stage sum)$" ../out && grep_q "^identical gen.out" ../out &&
	grep_q "1 of 3 outputs of [0-9a-f]\{7\} differ from the record" ../err
'

expect_success '--keep keeps the worktree of the run and says where' '
	must_fail cairn reproduce --keep >../out 2>../err &&
	wt=$(sed -n "s/^cairn: the run is kept in //p" ../err) && test -n "$wt" &&
	path_is_dir "$wt" && path_is_file "$wt/sum.dir/count" &&
	git worktree remove --force "$wt"
'

expect_success 'a failing pipeline and missing data are reported, the workspace untouched' '
	git checkout -q HEAD~1 &&
	sha=$(ptr_sha raw.txt.cairn) && chmod -R u+w .cairn/cache &&
	mv .cairn/cache/sha256/$(echo $sha | cut -c1-2)/$(echo $sha | cut -c3-) ../raw.obj &&
	must_fail cairn reproduce >../out 2>../err && grep_q "did not run to its end" ../err &&
	mv ../raw.obj .cairn/cache/sha256/$(echo $sha | cut -c1-2)/$(echo $sha | cut -c3-) &&
	test -z "$(ls .cairn/tmp/wt)" && git checkout -q main
'

expect_success 'errors: an unknown revision, a revision without cairn.lock, bad flags' '
	must_fail cairn reproduce nosuch 2>../err && grep_q "unknown revision .nosuch." ../err &&
	git checkout -q --orphan empty && git rm -rqf . && git commit -q --allow-empty -m empty &&
	must_fail cairn reproduce 2>../err && grep_q "no recorded run in cairn.lock" ../err &&
	git checkout -q -f main &&
	must_fail --code=2 cairn reproduce --nope 2>../err && grep_q "unknown option" ../err
'

test_done
