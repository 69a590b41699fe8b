#!/bin/sh
# t5090-exp-apply-safety: cairn exp apply never overwrites what is not
# committed or cached without --force: an untracked file the experiment
# has too, a hand-edited output, and it checks everything before it
# writes anything (no half-applied experiment); an output the cache lacks
# is refused up front.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
printf 'lr: 1\n' >params.yaml
cairn stage add -n train -p lr -o model -m metrics.json \
	'echo "model $(cat params.yaml)" >model; echo "{\"acc\": 1}" >metrics.json; echo note >notes.txt' >/dev/null
cairn repro -q && rm notes.txt && git add -A && git commit -qm base
cairn exp run -q -S lr=2 -n a

state() { { git status --porcelain; cat params.yaml cairn.lock model metrics.json; } >"$1" 2>&1; }

expect_success 'an untracked file the experiment would replace: refused, nothing changed' '
	echo "my notes" >notes.txt && state ../before &&
	must_fail --code=1 cairn exp apply a 2>../err &&
	grep_q "would overwrite .notes.txt., which is not committed" ../err && grep_q "use --force" ../err &&
	state ../after && cmp_expected ../before ../after && grep_q "my notes" notes.txt
'

expect_success 'a hand-edited output: refused before anything is written' '
	rm notes.txt && chmod u+w model && echo handmade >model && state ../before &&
	must_fail --code=1 cairn exp apply a 2>../err &&
	grep_q "would overwrite data that is not in the cache: .model." ../err &&
	state ../after && cmp_expected ../before ../after
'

expect_success 'an output whose content is cached is replaced without --force' '
	cairn checkout -q -f model && cairn exp apply a >../out && grep_q "applied experiment .a." ../out &&
	grep_q "lr: 2" params.yaml && grep_q "lr: 2" model && grep_q note notes.txt
'

expect_success '--force overwrites both' '
	git checkout -q -- . && rm -f notes.txt && cairn checkout -q -f && echo "my notes" >notes.txt &&
	chmod u+w model && echo handmade >model &&
	cairn exp apply --force a >/dev/null && grep_q note notes.txt && grep_q "lr: 2" model
'

expect_success 'an output missing from the cache is refused before anything is written' '
	git checkout -q -- . && rm -f notes.txt && cairn checkout -q -f &&
	sha=$(git cat-file -p "$(git for-each-ref --format="%(objectname)" refs/cairn/exps):cairn.lock" |
	      sed -n "/path: model/{n;s/^ *sha256: //p}") && test -n "$sha" &&
	obj=.cairn/cache/sha256/$(echo $sha | cut -c1-2)/$(echo $sha | cut -c3-) &&
	mv "$obj" ../obj && state ../before &&
	must_fail cairn exp apply a 2>../err; rc=$?; mv ../obj "$obj"; test $rc = 0 &&
	grep_q "output .model. of experiment .a. is not in the cache" ../err &&
	state ../after && cmp_expected ../before ../after
'

test_done
