#!/bin/sh
# t4007-reproduce-remote: stage outputs travel like pointer files' outputs
# (push, pull, a fresh clone), and cairn reproduce of an older commit in a
# fresh clone pulls the recorded data from the default remote first.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store

new_repo a && cd a
cairn remote add -d origin "$STORE" >/dev/null
echo raw >raw.txt && cairn add -q raw.txt
printf 'size: 3\n' >params.yaml
cairn stage add -n gen -d raw.txt -p size -o gen.out \
	"n=\$(sed -n 's/^size: //p' params.yaml); cat raw.txt >gen.out; head -c \$n /dev/zero | tr '\\\\0' x >>gen.out" >/dev/null
cairn repro -q && git add -A && git commit -qm one && cairn -q push
printf 'size: 5\n' >params.yaml && cairn repro -q && git add -A && git commit -qm two && cairn -q push
cd "$TRASH"

expect_success 'push sends stage outputs; a clone pulls them back' '
	git clone -q a b && cd b && cairn pull >out && grep_q "restored gen.out" out &&
	cmp ../a/gen.out gen.out && cairn status >st && grep_q "up to date" st
'

expect_success 'reproduce an older commit in a fresh clone, data pulled from the remote' '
	git clone -q a c && cd c && test -z "$(ls .cairn/cache 2>/dev/null)" &&
	cairn reproduce HEAD~1 >../out 2>../err &&
	grep_q "^identical gen.out (stage gen)$" ../out && grep_q "all 1 outputs identical" ../out &&
	path_is_missing gen.out && path_is_missing raw.txt && git status --porcelain >../st && test ! -s ../st
'

expect_success 'fetch --rev brings the stage outputs of an older revision into the cache' '
	git clone -q a e && cd e &&
	sha=$(git show HEAD~1:cairn.lock | sed -n "s/^ *sha256: //p" | tail -n 1) && test -n "$sha" &&
	cairn fetch --rev HEAD~1 >/dev/null &&
	path_is_file .cairn/cache/sha256/$(echo $sha | cut -c1-2)/$(echo $sha | cut -c3-)
'

expect_success 'without the data anywhere, reproduce fails and says so' '
	git clone -q a d && cd d && rm -rf "$STORE.moved" && mv "$STORE" "$STORE.moved" &&
	must_fail cairn reproduce HEAD~1 >out 2>err; rc=$?
	mv "$STORE.moved" "$STORE" && test $rc = 0 && grep_q "did not run to its end" err
'

test_done
