"""Stage train: fit a random forest on data/prepared/train.csv into models/model.pkl."""
import os
import pickle

from sklearn.ensemble import RandomForestClassifier

from common import load_rows, params

p = params("train")
X, y = load_rows(os.path.join("data", "prepared", "train.csv"))
model = RandomForestClassifier(n_estimators=p["n_estimators"], max_depth=p["max_depth"],
                               random_state=p["seed"], n_jobs=1).fit(X, y)
os.makedirs("models", exist_ok=True)
with open(os.path.join("models", "model.pkl"), "wb") as f:
    pickle.dump(model, f, protocol=4)
print(f"train: {p['n_estimators']} trees, max_depth {p['max_depth']}")
