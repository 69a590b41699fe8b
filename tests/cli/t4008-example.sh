#!/bin/sh
# t4008-example: the example project examples/ml-project (prepare -> train ->
# evaluate, scikit-learn) runs with cairn repro on a dataset scikit-learn
# ships, is up to date afterwards, and reproduces bit for bit. Skipped when
# python3 with scikit-learn and PyYAML is not installed (Debian:
# python3-sklearn python3-yaml; /usr/bin is put first so the system python3
# is the one used).
. "$CAIRN_SRCDIR/tests/cli/lib.sh"

export PATH="$TRASH/bin:/usr/bin:$PATH"
CSV=$(python3 -c 'import os, sklearn.datasets as d, yaml; print(os.path.join(os.path.dirname(d.__file__), "data", "breast_cancer.csv"))' 2>/dev/null)
[ -n "$CSV" ] && [ -f "$CSV" ] || skip_all "python3 with scikit-learn and PyYAML is not installed"

git init -q ml && cp -R "$CAIRN_SRCDIR/examples/ml-project/." ml/ && cd ml && cairn -q init &&
	mkdir -p data && cp "$CSV" "$(dirname "$CSV")/wine_data.csv" data/ &&
	cairn -q add data/breast_cancer.csv data/wine_data.csv &&
	git add -A && git commit -qm example || exit 1

expect_success 'the example pipeline runs in order and records every stage' '
	cairn repro >../out 2>../err && grep_q "running stage .prepare." ../out &&
	grep_q "running stage .evaluate." ../out &&
	for s in prepare train evaluate; do grep_q "^  $s:" cairn.lock || exit 1; done &&
	grep_q "accuracy" metrics.json && path_is_file models/model.pkl &&
	cairn repro >../out && test $(grep -c "is up to date" ../out) = 3
'

expect_success 'a param change re-runs train and evaluate; metrics diff shows it' '
	git add -A && git commit -qm run &&
	sed -i "s/max_depth: 4/max_depth: 2/" params.yaml &&
	cairn status >../st && grep_q "param changed: params.yaml:train.max_depth (4 -> 2)" ../st &&
	cairn repro >../out && grep_q "stage .prepare. is up to date" ../out &&
	grep_q "running stage .train." ../out && cairn metrics diff >../md && grep_q "accuracy" ../md &&
	git checkout -q params.yaml && cairn repro >../out && grep_q "restored stage .train." ../out
'

expect_success 'cairn reproduce makes every output again, bit for bit' '
	cairn reproduce -q >../out 2>../err && test ! -s ../out
'

test_done
