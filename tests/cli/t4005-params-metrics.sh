#!/bin/sh
# t4005-params-metrics: cairn params diff and cairn metrics show|diff between
# revisions and the workspace (read from Git objects, the workspace left
# alone), tables and --json, YAML and JSON files, and their errors; before
# the first commit the implicit HEAD holds nothing.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'before the first commit HEAD holds nothing: every value is new, as diff does' '
	printf "lr: 0.1\n" >params.yaml &&
	cairn params diff --json >out && grep_q "\"new\": 0.1" out && no_grep "\"old\"" out &&
	cairn params diff >out && grep_q "^params.yaml  *lr  *-  *0.1$" out &&
	cairn metrics diff && must_fail --code=1 cairn params diff HEAD 2>err &&
	grep_q "unknown revision .HEAD." err && rm params.yaml
'

expect_success 'setup: a pipeline with params and metrics, committed' '
	printf "train:\n  lr: 0.5\n  depth: 4\nname: a\n" >params.yaml &&
	printf "{\"k\": 1}\n" >conf.json &&
	cairn stage add -n t -p train.lr -p conf.json:k -m m.json -m sub/m.yaml \
		"mkdir -p sub; echo \"{\\\"acc\\\": 0.5, \\\"n\\\": 10}\" >m.json; printf \"loss: 2\\n\" >sub/m.yaml" >/dev/null &&
	cairn repro -q && git add -A && git commit -qm one
'

expect_success 'metrics show lists every metric of the workspace' '
	cairn metrics show >out &&
	grep_q "^m.json  *acc  *0.5$" out && grep_q "^m.json  *n  *10$" out &&
	grep_q "^sub/m.yaml  *loss  *2$" out &&
	cairn metrics show --json >js && grep_q "\"acc\": 0.5" js
'

expect_success 'params diff: nothing changed prints nothing; changes show old and new' '
	cairn params diff >out && test ! -s out &&
	sed -i "s/lr: 0.5/lr: 0.25/" params.yaml && printf "{\"k\": 2, \"new\": true}\n" >conf.json &&
	cairn params diff >out &&
	grep_q "^file  *param  *HEAD  *workspace$" out &&
	grep_q "^params.yaml  *train.lr  *0.5  *0.25$" out &&
	grep_q "^conf.json  *k  *1  *2$" out && grep_q "^conf.json  *new  *-  *true$" out &&
	no_grep depth out &&
	cairn params diff --all >out && grep_q "train.depth  *4  *4" out &&
	cairn params diff --json >js && grep_q "\"new\": 0.25" js
'

expect_success 'metrics diff between two commits and with the workspace' '
	cairn stage add -f -n t -p train.lr -p conf.json:k -m m.json -m sub/m.yaml \
		"mkdir -p sub; echo \"{\\\"acc\\\": 0.75, \\\"n\\\": 10}\" >m.json; printf \"loss: 1\\n\" >sub/m.yaml" >/dev/null &&
	cairn repro -q && cairn metrics diff >out &&
	grep_q "^m.json  *acc  *0.5  *0.75  *+0.25$" out && grep_q "sub/m.yaml  *loss  *2  *1  *-1$" out &&
	no_grep "  n  " out &&
	git add -A && git commit -qm two &&
	cairn metrics diff HEAD~1 HEAD >out2 && grep_q "^file  *metric  *HEAD~1  *HEAD  *change$" out2 &&
	grep_q "acc  *0.5  *0.75" out2 &&
	cairn metrics show HEAD~1 >old && grep_q "acc  *0.5$" old &&
	grep_q "0.75" m.json &&
	cairn params diff HEAD~1 HEAD --json >js && grep_q "\"key\": \"train.lr\"" js &&
	cairn metrics diff HEAD~1 HEAD --json >js &&
	python3 -c "
import json
rows = {r[\"key\"]: r for r in json.load(open(\"js\"))}
assert rows[\"loss\"][\"change\"] == -1 and isinstance(rows[\"loss\"][\"change\"], int), rows
assert abs(rows[\"acc\"][\"change\"] - 0.25) < 1e-9 and isinstance(rows[\"acc\"][\"change\"], float), rows
"
'

expect_success 'errors: unknown revision, malformed file, bad flags' '
	must_fail cairn params diff nosuchrev 2>err && grep_q "unknown revision .nosuchrev." err &&
	echo "{" >m.json && must_fail cairn metrics show 2>err && grep_q "m.json:" err &&
	git checkout -q m.json &&
	must_fail --code=2 cairn metrics frob 2>err && grep_q "unknown subcommand" err &&
	must_fail --code=2 cairn params diff a b c 2>err &&
	must_fail --code=2 cairn metrics show --nope 2>err && grep_q "unknown option" err
'

test_done
