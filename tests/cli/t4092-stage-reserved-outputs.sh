#!/bin/sh
# t4092-stage-reserved-outputs: no stage may produce a file cairn itself
# writes (cairn.yaml, cairn.lock, a pointer file, a .gitignore): stage add
# refuses it, and a cairn.yaml that declares one (hand-edited, or from a
# clone) is an error with file:line:col before anything runs, so repro
# never deletes the pipeline file before running the stage.
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

new_repo r && cd r
echo 1 >in

expect_success 'stage add refuses outputs and metrics cairn writes itself' '
	for o in cairn.yaml cairn.lock data.cairn sub/.gitignore; do
		must_fail --code=1 cairn stage add -n a -o $o true 2>err &&
		grep_q "output .$o. is" err &&
		must_fail --code=1 cairn stage add -n a -m $o true 2>err &&
		grep_q "metric .$o. is" err || exit 1
	done && path_is_missing cairn.yaml
'

expect_success 'other files of those names elsewhere are fine' '
	cairn stage add -n a -o sub/cairn.yaml -o cairn.yaml.bak "mkdir -p sub; echo >sub/cairn.yaml; echo >cairn.yaml.bak" >/dev/null &&
	cairn repro -q && path_is_file sub/cairn.yaml
'

expect_success 'a cairn.yaml declaring cairn.yaml as an output: refused, never deleted' '
	cat >cairn.yaml <<-EOT &&
	stages:
	  a:
	    cmd: "true"
	    deps: [in]
	    outs: [cairn.yaml]
	EOT
	cp cairn.yaml ../want &&
	for c in repro status dag; do
		must_fail cairn $c 2>err && grep_q "cairn.yaml:5:12: output .cairn.yaml. is cairn.s own file" err || exit 1
	done && echo 2 >in && must_fail cairn repro -f 2>err && cmp_expected ../want cairn.yaml
'

test_done
