"""Stage evaluate: score models/model.pkl on the test split into metrics.json."""
import json
import os
import pickle

from sklearn.metrics import accuracy_score, f1_score

from common import load_rows

X, y = load_rows(os.path.join("data", "prepared", "test.csv"))
with open(os.path.join("models", "model.pkl"), "rb") as f:
    model = pickle.load(f)
pred = model.predict(X)
metrics = {"accuracy": round(float(accuracy_score(y, pred)), 4),
           "f1": round(float(f1_score(y, pred, average="macro")), 4)}
with open("metrics.json", "w") as f:
    json.dump(metrics, f, indent=2, sort_keys=True)
    f.write("\n")
print(f"evaluate: accuracy {metrics['accuracy']}, f1 {metrics['f1']}")
