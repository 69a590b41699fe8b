#!/bin/sh
# t9810-stage-out-folder-gone: a stage output recorded in cairn.lock whose
# folder is gone (rm -rf models, or a fresh clone where the folder's
# .gitignore was never committed) is 'missing' for status, and checkout,
# pull and a clone's CI job put it back, creating the folder; before, every
# one of them stopped with "open folder 'models': No such file or directory".
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r || exit 1

expect_success 'setup: a stage writing models/model.txt, run and committed without its .gitignore' '
	echo in >in.txt &&
	cairn -q stage add -n train -d in.txt -o models/model.txt \
		"mkdir -p models && cat in.txt >models/model.txt" &&
	cairn -q repro && test -f models/.gitignore &&
	cairn -q remote add -d store "$TRASH/store" && cairn -q push &&
	git add .cairn/config .cairn/.gitignore cairn.yaml cairn.lock in.txt && git commit -qm train
'

expect_success 'status: the output is missing, not an error' '
	rm -rf models &&
	cairn status >out && grep_q "^missing: models/model.txt$" out &&
	cairn status --json >out.json && grep_q "\"status\": \"missing\"" out.json &&
	must_fail --code=1 cairn status -q
'

expect_success 'checkout creates the folder and restores the output' '
	rm -rf models && cairn checkout >out && grep_q "^restored models/model.txt$" out &&
	test "$(cat models/model.txt)" = in && cairn status -q
'

expect_success 'a fresh clone: status, pull, status' '
	git clone -q . ../c && cd ../c && path_is_missing models &&
	cairn status >out && grep_q "^missing: models/model.txt (not in cache)$" out &&
	cairn pull >out && grep_q "^restored models/model.txt$" out &&
	test "$(cat models/model.txt)" = in && cairn status -q
'

test_done
