#!/bin/sh
# t5001-exp-sync: cairn exp push|pull: experiments' refs go to a bare Git
# repository through libgit2, their data through the default cairn remote;
# a clone pulls them, lists them and applies one with its outputs.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

STORE=$TRASH/store
git init -q --bare bare.git

new_repo a && cd a
cairn remote add -d origin "$STORE" >/dev/null
printf 'size: 3\n' >params.yaml
cairn stage add -n gen -p size -o gen.out -m m.json \
	"n=\$(sed -n 's/^size: //p' params.yaml); head -c \$n /dev/zero | tr '\\\\0' x >gen.out; echo \"{\\\"n\\\": \$n}\" >m.json" >/dev/null
cairn repro -q && git add -A && git commit -qm base && cairn -q push
git remote add origin ../bare.git && git push -q origin main
cairn exp run -q -j 2 -n e -S size=4,6
cd "$TRASH"

expect_success 'exp push sends the refs to the bare repository and the data to the remote' '
	cd a && cairn exp push origin >out && grep_q "pushed 2 experiments to .origin." out &&
	grep_q "^sent" out &&
	git -C ../bare.git for-each-ref refs/cairn/exps >refs && test $(wc -l <refs) = 2
'

expect_success 'a clone pulls the experiments and lists them' '
	git clone -q bare.git b && cd b && cairn exp pull origin >out &&
	grep_q "pulled 2 experiments from .origin." out &&
	cairn exp show >show && grep_q "^e-1  *[0-9a-f]\{7\}  *done  *4  *4$" show &&
	grep_q "^e-2  *[0-9a-f]\{7\}  *done  *6  *6$" show
'

expect_success 'an experiment pulled into the clone applies with its outputs' '
	cd b && cairn exp apply e-2 && test $(wc -c <gen.out) = 6 && grep_q "size: 6" params.yaml
'

expect_success 'push and pull of named experiments; unknown names are errors' '
	git clone -q bare.git c && cd c && cairn exp pull origin e-1 >out &&
	grep_q "pulled 1 experiment" out && cairn exp show >show && no_grep "^e-2" show &&
	must_fail cairn exp pull origin nosuch 2>err && grep_q "no experiment .nosuch. on .origin." err &&
	cd ../a && must_fail cairn exp push origin nosuch 2>err && grep_q "no experiment .nosuch." err &&
	must_fail cairn exp push "$TRASH/no-such.git" e-1 2>err && grep_q "push experiments" err &&
	must_fail --code=2 cairn exp push 2>err && grep_q "too few" err
'

expect_success 'without a default cairn remote only the refs move, with a warning' '
	cd a && cairn config --unset core.remote 2>/dev/null || git config -f .cairn/config --unset core.remote;
	cairn exp push origin e-1 >out 2>err && grep_q "only the experiments. refs moved" err
'

test_done
