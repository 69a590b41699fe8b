#!/bin/sh
# t9902-diff-ls-stage-outs: cairn diff and cairn ls see the cached outputs
# of stages that cairn.lock records, not only the outputs of pointer files,
# as status, checkout, push and gc already do. After a dataset change and
# cairn repro, `cairn diff v1 v2` named the dataset but not the prepared data
# and the model it changed; `cairn ls` did not list them at all. Found by the
# end-to-end demo (examples/demo.sh).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
cat >cairn.yaml <<'EOT'
stages:
  prep:
    cmd: mkdir -p prepared && sort raw.csv >prepared/sorted.csv && wc -l <raw.csv >prepared/count
    deps: [raw.csv]
    outs: [prepared]
  model:
    cmd: mkdir -p models && cat prepared/sorted.csv prepared/count >models/model.bin && echo {} >metrics.json
    deps: [prepared]
    outs: [models/model.bin]
    metrics: [metrics.json]
EOT
printf 'b\na\n' >raw.csv && echo keep >notes.txt
cairn -q add raw.csv notes.txt && git add -A && git commit -qm pipeline || exit 1

expect_success 'ls lists stage outputs beside pointer outputs, down into folders with -R' '
	cairn -q repro && git add -A && git commit -qm v1 && git tag v1 &&
	cairn ls >out && printf "models/\nnotes.txt\nprepared/\nraw.csv\n" >want && cmp_expected want out &&
	cairn ls -R >out &&
	printf "models/model.bin\nnotes.txt\nprepared/count\nprepared/sorted.csv\nraw.csv\n" >want &&
	cmp_expected want out &&
	cairn ls --rev v1 -R prepared >out && printf "prepared/count\nprepared/sorted.csv\n" >want &&
	cmp_expected want out
'

expect_success 'before the change: nothing differs, stage outputs included' '
	cairn diff >out && test ! -s out && cairn diff v1 HEAD >out && test ! -s out
'

expect_success 'a dataset change and repro: diff names the data and every output it changed' '
	chmod u+w raw.csv && echo c >>raw.csv && cairn -q commit raw.csv &&
	cairn -q repro && git commit -qam v2 && git tag v2 &&
	cairn diff v1 v2 >out &&
	cat >want <<-EOF &&
	modified: models/model.bin
	modified: prepared/count
	modified: prepared/sorted.csv
	modified: raw.csv
	EOF
	cmp_expected want out &&
	cairn diff v1 >out2 && cmp_expected want out2 &&
	cairn diff v1 v2 -- prepared >out && printf "modified: prepared/count\nmodified: prepared/sorted.csv\n" >want &&
	cmp_expected want out
'

expect_success 'the workspace side hashes stage outputs edited by hand' '
	chmod -R u+w prepared && echo x >>prepared/count && cairn diff >out &&
	echo "modified: prepared/count" >want && cmp_expected want out
'

expect_success 'a stage output renamed in cairn.yaml is a rename between revisions' '
	cairn -q checkout --force prepared &&
	sed -i "s/model\.bin/model2.bin/g" cairn.yaml && cairn -q repro && git commit -qam v3 && git tag v3 &&
	cairn diff v2 v3 >out && echo "renamed:  models/model.bin -> models/model2.bin" >want &&
	cmp_expected want out
'

test_done
