#!/bin/sh
# t5091-exp-sync-diverged: an experiment of the same name and baseline made
# in two clones is two different commits. exp push does not replace the
# remote's, nor exp pull the local one, without -f; nothing moves then (no
# ref, no data). With -f the other side's is replaced; a same or newer one
# moves as before.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

git init -q --bare bare.git
new_repo a && cd a
printf 'size: 3\n' >params.yaml
cairn stage add -n gen -p size -o gen.out -m m.json \
	"n=\$(sed -n 's/^size: //p' params.yaml); head -c \$n /dev/zero | tr '\\\\0' x >gen.out; echo \"{\\\"n\\\": \$n}\" >m.json" >/dev/null
cairn repro -q && git add -A && git commit -qm base
git remote add origin ../bare.git && git push -q origin main
cd "$TRASH"
git clone -q bare.git b && (cd b && cairn checkout -q 2>/dev/null; cairn exp run -q -n e -S size=4)
(cd a && cairn exp run -q -n e -S size=5 && cairn exp push -q origin 2>/dev/null)

ref() { git -C "$1" for-each-ref --format='%(objectname)' refs/cairn/exps; }

expect_success 'exp push does not replace a different experiment on the remote' '
	before=$(ref bare.git) && cd b &&
	must_fail --code=1 cairn exp push origin 2>err &&
	grep_q "experiment .e. on .origin. differs from the local one" err && grep_q "use --force" err &&
	test "$(ref ../bare.git)" = "$before"
'

expect_success 'exp pull does not replace a different local experiment' '
	cd b && before=$(ref .) &&
	must_fail --code=1 cairn exp pull origin e 2>err &&
	grep_q "local experiment .e. differs from the one on .origin." err &&
	test "$(ref .)" = "$before" && cairn exp show >show && grep_q "^e .* 4 " show
'

expect_success 'pushing or pulling the same experiment again is fine' '
	cd a && cairn exp push -q origin && cairn exp pull -q origin
'

expect_success 'exp pull -f replaces the local one' '
	cd b && cairn exp pull -q -f origin e && test "$(ref .)" = "$(ref ../bare.git)" &&
	cairn exp show >show && grep_q "^e .* 5 " show
'

expect_success 'exp push -f replaces the remote one' '
	cd a && cairn exp remove e >/dev/null && cairn exp run -q -n e -S size=6 &&
	must_fail cairn exp push origin e 2>err && grep_q "differs" err &&
	cairn exp push -q -f origin e && test "$(ref ../bare.git)" = "$(ref .)"
'

test_done
