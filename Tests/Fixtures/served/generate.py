"""Writes the models of ../shared/cases.md that the serving tests use, with scikit-learn's
own outputs for the requests those cases send.

Run by scripts/generate-served-fixtures in the pinned sklearn-1.5.2 environment (the
cases' E-np1: numpy 1.26.4, joblib 1.4.2); the numpy-2 copy of the C01 pipeline comes from
the sklearn-1.9.1 environment (numpy 2.4.6). Each model gets a folder:

    served/NAME/model.joblib     joblib.dump of the model
    served/NAME/expected.json    {"estimator", "requests": [{"rows", "feature_names",
                                  "predict", "predict_proba"?, "classes"?}]}

Rows are given to scikit-learn as a DataFrame when `feature_names` is set. A null in rows
is NaN. Floats are written with 17 significant digits. Only for generating test fixtures.
"""

import os
import sys

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.datasets import load_iris

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from fixturejson import write_json  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))


def hand_linear(coef, intercept):
    """A LinearRegression with attributes set directly, as cases.md's L4, ECHO and S1."""
    model = LinearRegression()
    model.coef_ = np.array(coef, dtype=np.float64)
    model.intercept_ = float(intercept)
    model.n_features_in_ = len(coef)
    return model


def record(model, rows, feature_names=None):
    """scikit-learn's answers for rows (None = NaN), as a DataFrame when names are given."""
    array = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=object)
    if feature_names is not None:
        X = pd.DataFrame(list(array), columns=feature_names)
        for name in feature_names:
            if all(not isinstance(v, str) for v in X[name]):
                X[name] = X[name].astype(np.float64)
    elif any(isinstance(v, str) for row in rows for v in row):
        X = array
    else:
        X = array.astype(np.float64)
    entry = {"rows": rows, "feature_names": feature_names, "predict": model.predict(X)}
    if hasattr(model, "predict_proba"):
        try:
            entry["predict_proba"] = model.predict_proba(X)
            entry["classes"] = model.classes_
        except AttributeError:
            pass
    return entry


def save(name, model, requests):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    joblib.dump(model, os.path.join(folder, "model.joblib"))
    estimator = type(model).__name__
    write_json(os.path.join(folder, "expected.json"),
               {"estimator": estimator, "sklearn": sklearn.__version__,
                "numpy": np.__version__, "requests": requests})


def main(numpy2_only=False):
    # C01: the same scaler + KMeans pipeline under numpy 1 and numpy 2.
    km = make_pipeline(StandardScaler(), KMeans(n_clusters=2, n_init=10, random_state=0))
    km.fit(np.array([[0, 0], [0, 1], [10, 10], [10, 11]], dtype=np.float64))
    suffix = "np2" if np.__version__.startswith("2") else "np1"
    save(f"c01_kmeans_{suffix}", km, [record(km, [[0, 0.5], [10, 10.5]])])
    if numpy2_only:
        return

    l4 = hand_linear([1.0, 2.0, 0.0, 0.0], 0.5)
    save("l4", l4, [record(l4, [[1, 1, 0, 0], [2, 0, 0, 0]])])
    echo = hand_linear([1.0, 0.0], 0.0)
    save("echo", echo, [record(echo, [[3.25, 7], [-1, 0]])])
    s1 = hand_linear([2.0], 1.0)
    save("s1", s1, [record(s1, [[1], [2], [3]])])

    # C14: named (DataFrame) and unnamed fits of the same data.
    identity = np.eye(4)
    y = np.array([1, 10, 100, 1000], dtype=np.float64)
    named = LinearRegression(fit_intercept=False).fit(
        pd.DataFrame(identity, columns=list("abcd")), y)
    save("c14_named", named, [record(named, [[1, 2, 3, 4]], list("abcd"))])
    unnamed = LinearRegression(fit_intercept=False).fit(identity, y)
    save("c14_unnamed", unnamed, [record(unnamed, [[1, 2, 3, 4]])])

    # C16: a column per input, one of them strings.
    frame = pd.DataFrame({"x": [0.0, 1.0, 0.0, 1.0], "color": ["red", "red", "blue", "blue"]})
    columns = make_pipeline(
        ColumnTransformer([("num", "passthrough", ["x"]), ("cat", OneHotEncoder(), ["color"])]),
        DecisionTreeClassifier(random_state=0))
    columns.fit(frame, ["no", "no", "yes", "yes"])
    save("c16_columns", columns,
         [record(columns, [[0.3, "red"], [0.7, "blue"]], ["x", "color"])])

    # C17: unseen categories, ignored or refused.
    colors = np.array([["red"], ["green"], ["blue"]], dtype=object)
    for name, handle in (("c17_ignore", "ignore"), ("c17_error", "error")):
        model = make_pipeline(OneHotEncoder(handle_unknown=handle, sparse_output=False),
                              LinearRegression()).fit(colors, [1, 2, 3])
        rows = [["red"], ["green"], ["blue"]] + ([["purple"]] if handle == "ignore" else [])
        save(name, model, [record(model, rows)])

    # C18: missing values.
    imputer = make_pipeline(SimpleImputer(strategy="mean"), LinearRegression())
    imputer.fit([[1.0], [3.0]], [2.0, 6.0])
    save("c18_imputer", imputer, [record(imputer, [[None], [1]])])
    iris = load_iris()
    logistic = LogisticRegression(max_iter=1000).fit(iris.data, iris.target)
    save("c18_logistic", logistic, [record(logistic, [[5.1, 3.5, 1.4, 0.2]])])
    tree_nan = DecisionTreeClassifier(random_state=0).fit([[0], [1], [np.nan], [np.nan]],
                                                          [0, 1, 1, 1])
    save("c18_tree_nan", tree_nan, [record(tree_nan, [[None], [0.2], [0.7]])])
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    X[rng.rand(60, 3) < 0.2] = np.nan
    yb = (np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) > 0).astype(np.int64)
    hgb = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, yb)
    save("c18_hgb_nan", hgb,
         [record(hgb, [[None, 0.5, -1], [0.2, None, None], [None, None, None], [1, 1, 1]])])

    # C20: integer labels of several widths.
    for name, dtype in (("c20_int64", np.int64), ("c20_uint8", np.uint8)):
        model = DecisionTreeClassifier(random_state=0).fit(
            [[0], [1], [2]], np.array([0, 1, 2], dtype=dtype))
        save(name, model, [record(model, [[0], [2]])])

    # C21: floats that must round-trip exactly.
    point = hand_linear([0.1, 0.2], 0.0)
    save("c21_point", point, [record(point, [[1, 1]])])
    f32 = LinearRegression().fit(np.array([[0], [1], [2]], dtype=np.float32),
                                 np.array([0, 2, 4], dtype=np.float32))
    save("c21_float32", f32, [record(f32, [[1.5]])])
    third = DecisionTreeRegressor(random_state=0).fit([[0], [1], [2]], [0.1, 0.2, 1 / 3])
    save("c21_tree", third, [record(third, [[2]])])

    # C22 and C24: string labels and probability column order.
    species = DecisionTreeClassifier(random_state=0).fit(
        [[0], [1], [2], [3]], ["setosa", "setosa", "virginica", "virginica"])
    save("c22_species", species, [record(species, [[0.5], [2.5]])])
    p3 = DecisionTreeClassifier(random_state=0).fit([[0], [1], [2]], ["spam", "ham", "eggs"])
    save("c24_p3", p3, [record(p3, [[0], [1], [2]])])
    p2 = DecisionTreeClassifier(random_state=0).fit([[0], [1]], [1, -1])
    save("c24_p2", p2, [record(p2, [[0]])])

    # C31: a wide probability output.
    fifty = DecisionTreeClassifier(random_state=0).fit([[i] for i in range(50)], list(range(50)))
    save("c31_fifty", fifty, [record(fifty, [[0], [25.4], [49]])])


if __name__ == "__main__":
    main(numpy2_only="--numpy2-only" in sys.argv)
