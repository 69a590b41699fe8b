#!/bin/sh
# t5092-exp-fresh-clone: an experiment in a clone whose cache lacks the
# baseline's stage outputs still runs (repro makes them again); one whose
# tracked input data is missing fails naming it, and leaves no worktree.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo a && cd a
echo raw >raw && cairn add -q raw
printf 'size: 3\n' >params.yaml
cairn stage add -n gen -d raw -p size -o gen.out -m m.json \
	"n=\$(sed -n 's/^size: //p' params.yaml); head -c \$n /dev/zero | tr '\\\\0' x >gen.out; echo \"{\\\"n\\\": \$n}\" >m.json" >/dev/null
cairn repro -q && git add -A && git commit -qm base
cd "$TRASH"

expect_success 'outputs the cache lacks are made again: the experiment runs' '
	git clone -q a b && cd b && cp ../a/raw raw && cairn -q add raw && git status --porcelain >../st &&
	test ! -s ../st && cairn exp run -q -n e -S size=4 && cairn exp show >../show &&
	grep_q "^e  *[0-9a-f]\{7\}  *done  *4  *4$" ../show && test -z "$(ls .cairn/tmp/wt)"
'

expect_success 'input data nobody has: the experiment fails naming it' '
	git clone -q a c && cd c && must_fail cairn exp run -q -n e -S size=4 2>err &&
	grep_q "dependency .raw. of stage .gen. does not exist" err &&
	cairn exp show >show && grep_q "^e  *-  *failed" show && test -z "$(ls .cairn/tmp/wt)"
'

test_done
