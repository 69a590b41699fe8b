#!/bin/sh
# t9700-exp-show-csv: cairn exp show --csv quotes every cell a CSV reader
# would split: commas, double quotes, line feeds and carriage returns. A
# metric holding a bare CR was written unquoted, and Python's csv module
# (and other RFC 4180 readers) then failed on "new-line character seen in
# unquoted field".
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r

expect_success 'a committed baseline with awkward metric values' '
	cat >cairn.yaml <<-\EOT &&
	stages:
	  s:
	    cmd: "true"
	    metrics: [metrics.json]
	EOT
	printf "{\"cr\": \"a\\\\rb\", \"comma\": \"x,y\", \"quote\": \"say \\\\\"hi\\\\\"\", \"lf\": \"1\\\\n2\", \"n\": 3}\n" >metrics.json &&
	git add -A && git commit -qm baseline
'

expect_success 'every cell with a comma, quote, CR or LF is quoted' '
	cairn exp show --csv >out.csv &&
	printf "baseline,%s,baseline,\"a\rb\",\"x,y\",\"say \"\"hi\"\"\",\"1\n2\",3\n" \
		"$(git rev-parse --short=7 HEAD)" >want &&
	sed -n "2,\$p" out.csv >got && cmp_expected want got
'

expect_success 'a CSV reader reads back the values' '
	python3 -c "
import csv, sys
rows = list(csv.reader(open(\"out.csv\", newline=\"\")))
assert rows[1][3:] == [\"a\rb\", \"x,y\", \"say \\\"hi\\\"\", \"1\n2\", \"3\"], rows
"
'

expect_success '--json and --csv together: a usage error, nothing on stdout' '
	must_fail --code=2 cairn exp show --json --csv >out 2>err && test ! -s out &&
	grep_q "^cairn: error: --json and --csv cannot be used together$" err
'

test_done
