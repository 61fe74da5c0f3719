"""Fit real scikit-learn models and record scikit-learn's own outputs.

Usage: python generate.py OUTDIR

For every case this writes OUTDIR/<case>/ with the fitted model saved four ways
(model.joblib, model.p2.pkl, model.p4.pkl, model.p5.pkl), the exact input rows
(input.json) and what the model itself returned for them (expected.json), plus
OUTDIR/manifest.json with the versions that did the work. Everything is seeded,
so running it again in the same environment gives the same files.

Only for generating test fixtures: the server never runs Python.
"""

import os
import pickle
import platform
import sys

import joblib
import numpy as np
import pandas as pd
import scipy
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from fixturejson import write_json

IRIS_COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])
PICKLE_PROTOCOLS = (2, 4, 5)
REAL_ROWS = 17  # real dataset rows per case; a few out-of-distribution rows follow


# ---------------------------------------------------------------- rows


def every_kth(X, count=REAL_ROWS):
    """A spread of real rows: every k-th sample, starting at 0."""
    k = max(1, len(X) // count)
    return [np.asarray(X[i], dtype=np.float64) for i in range(0, len(X), k)][:count]


def out_of_distribution(X):
    """A zero row, a large row, a negative row and a mixed-sign row."""
    X = np.asarray(X, dtype=np.float64)
    top = np.abs(X).max(axis=0)
    signs = np.where(np.arange(X.shape[1]) % 2 == 0, 1.0, -1.0)
    return [
        np.zeros(X.shape[1]),
        top * 10.0,
        -top * 10.0,
        np.full(X.shape[1], 1.0e6) * signs,
    ]


def threshold_values(t):
    """Values at and around a split threshold, as doubles.

    A tree compares float32(x) <= threshold (a double). So: the threshold
    itself, the float32 neighbours that bracket it (lo <= t < hi), and one
    float32 ulp beyond each of those.
    """
    t = float(t)
    t32 = np.float32(t)
    if float(t32) <= t:
        lo = t32
        hi = np.nextafter(t32, np.float32(np.inf))
    else:
        hi = t32
        lo = np.nextafter(t32, np.float32(-np.inf))
    values = [
        t,
        float(lo),
        float(hi),
        float(np.nextafter(lo, np.float32(-np.inf))),
        float(np.nextafter(hi, np.float32(np.inf))),
    ]
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def threshold_rows(tree_estimators, X, nodes_per_tree):
    """Rows that reach a split node, with that node's feature set to values
    at and around its threshold."""
    X = np.asarray(X, dtype=np.float64)
    rows = []
    for est, count in zip(tree_estimators, nodes_per_tree):
        tree = est.tree_
        internal = [n for n in range(tree.node_count) if tree.children_left[n] != -1]
        paths = est.decision_path(X.astype(np.float32)).tocsc()
        for node in internal[:count]:
            reaching = paths[:, node].nonzero()[0]
            base = X[reaching[0]] if len(reaching) else X[0]
            feature = int(tree.feature[node])
            for value in threshold_values(tree.threshold[node]):
                row = base.copy()
                row[feature] = value
                rows.append(row)
    return rows


# ---------------------------------------------------------------- cases


def iris():
    data = load_iris()
    return data.data, data.target


def diabetes():
    data = load_diabetes()
    return data.data, data.target


def breast_cancer():
    data = load_breast_cancer()
    return data.data, data.target


def case_logistic_regression_binary():
    X, y = breast_cancer()
    model = LogisticRegression(max_iter=5000).fit(X, y)
    return model, every_kth(X) + out_of_distribution(X), None


def case_logistic_regression_multiclass():
    X, y = iris()
    model = LogisticRegression(max_iter=1000).fit(X, y)
    return model, every_kth(X) + out_of_distribution(X), None


def case_logistic_regression_string_labels():
    X, y = iris()
    model = LogisticRegression(max_iter=1000).fit(X, IRIS_NAMES[y])
    return model, every_kth(X) + out_of_distribution(X), None


def case_linear_regression():
    X, y = diabetes()
    model = LinearRegression().fit(X, y)
    return model, every_kth(X) + out_of_distribution(X), None


def case_pipeline_scaler_logreg():
    X, y = iris()
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    return model, every_kth(X) + out_of_distribution(X), None


def case_decision_tree_classifier():
    X, y = iris()
    model = DecisionTreeClassifier(random_state=0).fit(X, y)
    rows = every_kth(X) + out_of_distribution(X) + threshold_rows([model], X, [4])
    return model, rows, None


def case_decision_tree_regressor():
    X, y = diabetes()
    model = DecisionTreeRegressor(max_depth=8, random_state=0).fit(X, y)
    rows = every_kth(X) + out_of_distribution(X) + threshold_rows([model], X, [4])
    return model, rows, None


def case_random_forest_classifier():
    X, y = breast_cancer()
    model = RandomForestClassifier(n_estimators=25, max_depth=8, random_state=0).fit(X, y)
    rows = every_kth(X) + out_of_distribution(X)
    rows += threshold_rows(model.estimators_[:2], X, [2, 2])
    return model, rows, None


def case_logistic_regression_named_features():
    X, y = iris()
    frame = pd.DataFrame(X, columns=IRIS_COLUMNS)
    model = LogisticRegression(max_iter=1000).fit(frame, y)
    return model, every_kth(X) + out_of_distribution(X), IRIS_COLUMNS


CASES = {
    "logistic_regression_binary": case_logistic_regression_binary,
    "logistic_regression_multiclass": case_logistic_regression_multiclass,
    "logistic_regression_string_labels": case_logistic_regression_string_labels,
    "linear_regression": case_linear_regression,
    "pipeline_scaler_logreg": case_pipeline_scaler_logreg,
    "decision_tree_classifier": case_decision_tree_classifier,
    "decision_tree_regressor": case_decision_tree_regressor,
    "random_forest_classifier": case_random_forest_classifier,
    "logistic_regression_named_features": case_logistic_regression_named_features,
}


# ---------------------------------------------------------------- recording


def labels(values):
    """Class labels in their own type: ints stay ints, strings stay strings."""
    out = []
    for v in values:
        if isinstance(v, (str, np.str_)):
            out.append(str(v))
        elif isinstance(v, (int, np.integer)):
            out.append(int(v))
        else:
            raise TypeError(f"unexpected class label type {type(v).__name__}")
    return out


def floats(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def record(name, model, rows, columns, outdir):
    folder = os.path.join(outdir, name)
    os.makedirs(folder, exist_ok=True)

    matrix = np.asarray(rows, dtype=np.float64)
    if columns is not None:
        features = pd.DataFrame(matrix, columns=columns)
        names = [str(c) for c in model.feature_names_in_]
        assert names == list(columns)
    else:
        features = matrix
        assert not hasattr(model, "feature_names_in_")
        names = None

    expected = {
        "estimator": type(model).__name__,
        "n_features": int(model.n_features_in_),
    }
    prediction = model.predict(features)
    is_classifier = hasattr(model, "classes_")
    if is_classifier:
        expected["predict"] = labels(prediction)
        expected["predict_proba"] = [floats(p) for p in model.predict_proba(features)]
        expected["classes"] = labels(model.classes_)
    else:
        expected["predict"] = floats(prediction)
    assert len(expected["predict"]) == len(rows)

    write_json(
        os.path.join(folder, "input.json"),
        {"rows": [floats(r) for r in matrix], "feature_names": names},
    )
    write_json(os.path.join(folder, "expected.json"), expected)

    joblib.dump(model, os.path.join(folder, "model.joblib"))
    for protocol in PICKLE_PROTOCOLS:
        with open(os.path.join(folder, f"model.p{protocol}.pkl"), "wb") as f:
            pickle.dump(model, f, protocol=protocol)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: python generate.py OUTDIR\n")
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    write_json(
        os.path.join(outdir, "manifest.json"),
        {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "joblib": joblib.__version__,
            "pandas": pd.__version__,
        },
    )
    for name, make in CASES.items():
        model, rows, columns = make()
        record(name, model, rows, columns, outdir)
        print(f"{name}: {type(model).__name__}, {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
