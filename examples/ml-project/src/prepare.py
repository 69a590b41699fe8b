"""Stage prepare: split the dataset params.yaml names (data/<dataset>.csv) into
data/prepared/{train,test}.csv."""
import os

import numpy as np

from common import load_sklearn_csv, params, save_rows

p = params("prepare")
X, y = load_sklearn_csv(os.path.join("data", p["dataset"] + ".csv"))
order = np.random.RandomState(p["seed"]).permutation(len(y))
n_test = int(round(len(y) * p["test_size"]))
test, train = order[:n_test], order[n_test:]
os.makedirs(os.path.join("data", "prepared"), exist_ok=True)
save_rows(os.path.join("data", "prepared", "train.csv"), X[train], y[train])
save_rows(os.path.join("data", "prepared", "test.csv"), X[test], y[test])
print(f"prepare: {len(train)} training rows, {len(test)} test rows from {p['dataset']}")
