#!/bin/sh
# t9701-json-quiet: --json output is printed with -q too (before or after
# the command name), as valid JSON and nothing else on stdout, by every
# command that has --json. cairn ls -q --json printed nothing, while
# status, diff, metrics, params and exp show printed their JSON; a CI job
# running "cairn -q ls --json >x.json" got an empty, unparsable file.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

json_ok() {
	python3 -m json.tool "$1" >/dev/null || { echo "not JSON: $1" >&2; cat "$1" >&2; return 1; }
}

expect_success 'a repository with tracked data, a stage, params and metrics' '
	mkdir d && echo a >d/a && echo b >f && cairn -q add d f &&
	printf "train:\n  lr: 0.1\n" >params.yaml &&
	cat >cairn.yaml <<-\EOT &&
	stages:
	  s:
	    cmd: "true"
	    params: [train.lr]
	    metrics: [m.json]
	EOT
	echo "{\"acc\": 0.5}" >m.json &&
	git add -A && git commit -qm one &&
	echo c >d/a && printf "train:\n  lr: 0.2\n" >params.yaml && echo "{\"acc\": 0.7}" >m.json
'

for cmd in "status --json" "diff --json" "ls --json" "ls -R --json d" \
	"metrics show --json" "metrics diff --json" "params diff --json" "exp show --json"; do
	expect_success "$cmd -q: the JSON, and only it" "
		cairn $cmd -q >out1 2>err1 || test \$? = 1 &&
		json_ok out1 && test ! -s err1 &&
		cairn -q $cmd >out2 2>err2 || test \$? = 1 &&
		json_ok out2 && test ! -s err2 &&
		cairn $cmd >out3 &&
		cmp_expected out3 out1 && cmp_expected out3 out2
	"
done

expect_success 'ls -q --json lists what ls --json lists' '
	cairn ls -q --json >out && grep_q "\"path\": \"d\"" out && grep_q "\"path\": \"f\"" out
'

expect_success 'status -q --json: the JSON, and exit 1 when not up to date' '
	must_fail --code=1 cairn status -q --json >out && json_ok out &&
	grep_q "\"clean\": false" out
'

expect_success 'ls -q without --json still prints nothing' '
	cairn ls -q >out && test ! -s out
'

test_done
