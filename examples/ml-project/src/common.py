"""Small helpers shared by the pipeline stages: params and CSV files."""
import numpy as np
import yaml


def params(section):
    """The given section of params.yaml as a dict."""
    with open("params.yaml") as f:
        return yaml.safe_load(f)[section]


def load_sklearn_csv(path):
    """A dataset CSV as scikit-learn ships it: a header line, then rows of
    features with the integer class label in the last column."""
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def save_rows(path, X, y):
    """Rows of features plus label, written so the bytes depend only on the values."""
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", fmt="%.10g")


def load_rows(path):
    data = np.loadtxt(path, delimiter=",", ndmin=2)
    return data[:, :-1], data[:, -1].astype(int)
