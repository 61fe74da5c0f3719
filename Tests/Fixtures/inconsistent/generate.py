"""Writes model files whose parts disagree with one another, for Augur's load checks.

Each is a real fitted scikit-learn model with one attribute changed by hand, the way a
damaged or doctored file would look. scikit-learn itself would fail or answer nonsense on
them; Augur must refuse each at load, naming the attribute. Two files are valid but
unusual: `uint64_classes.pkl` (its outputs are recorded) and
`canonically_equivalent_names.pkl`.

Usage: python generate.py OUTDIR   (needs scikit-learn and numpy)
"""

import copy
import json
import os
import pickle
import sys

import numpy as np
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.tree._tree import Tree

X, y = make_classification(n_samples=120, n_features=4, n_informative=3, n_redundant=0,
                           random_state=1)
Xr, yr = make_regression(n_samples=120, n_features=4, random_state=1)


class PickledTree:
    """Pickles as a `sklearn.tree._tree.Tree` with the given arguments and state."""

    def __init__(self, arguments, state):
        self.arguments, self.state = arguments, state

    def __reduce__(self):
        return Tree, self.arguments, self.state


def with_tree(estimator, change_state, arguments=None):
    _, original_arguments, state = estimator.tree_.__reduce__()
    state = copy.deepcopy(state)
    change_state(state)
    doctored = copy.deepcopy(estimator)
    doctored.__dict__["tree_"] = PickledTree(arguments or original_arguments, state)
    return doctored


def split_on(feature):
    return lambda state: state["nodes"]["feature"].__setitem__(0, feature)


def models():
    forest = RandomForestRegressor(n_estimators=3, max_depth=3, random_state=0).fit(Xr, yr)
    doctored = copy.deepcopy(forest)
    doctored.estimators_[0] = with_tree(forest.estimators_[0], split_on(9), (10, np.array([1]), 1))
    yield "forest_tree_wider_than_forest", doctored

    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    yield "tree_wider_than_estimator", with_tree(tree, split_on(9), (10, np.array([2]), 1))
    yield "tree_child_beyond_32_bits", with_tree(
        tree, lambda state: state["nodes"]["left_child"].__setitem__(0, 2**32 + 1)
    )

    logistic = LogisticRegression().fit(X, y)
    doctored = copy.deepcopy(logistic)
    doctored.n_features_in_ = 9
    yield "declared_width_differs", doctored
    doctored = copy.deepcopy(logistic)
    doctored.coef_ = np.zeros((1, 7))
    yield "coef_wider_than_declared", doctored
    doctored = copy.deepcopy(logistic)
    doctored.classes_ = np.array([1, 1])
    yield "repeated_classes", doctored
    doctored = copy.deepcopy(logistic)
    doctored.classes_ = np.array([0.5, np.nan])
    yield "nan_class", doctored

    # Valid but not served yet: one forest predicting two outputs (classes_ is a list).
    from sklearn.ensemble import RandomForestClassifier

    yield "multi_output_forest", RandomForestClassifier(n_estimators=3, random_state=0).fit(
        X, np.c_[y, 1 - y]
    )

    pipeline = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    doctored = copy.deepcopy(pipeline)
    doctored.steps = [("scale", StandardScaler().fit(X))]
    yield "pipeline_without_predictor", doctored
    doctored = copy.deepcopy(pipeline)
    doctored.steps = [("scale", doctored.steps[0][1]), ("again", doctored)]
    yield "pipeline_containing_itself", doctored


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, model in models():
        with open(os.path.join(outdir, name + ".pkl"), "wb") as handle:
            pickle.dump(model, handle, protocol=4)
        print(name)

    # Valid: two feature names that differ only in Unicode normalisation (NFC and NFD
    # "é"); scikit-learn tells them apart, so must Augur. Prediction = 1 * first + 10 * second.
    from sklearn.linear_model import LinearRegression

    model = LinearRegression()
    model.coef_ = np.array([1.0, 10.0])
    model.intercept_ = 0.0
    model.n_features_in_ = 2
    model.feature_names_in_ = np.array(["\u00e9", "e\u0301"], dtype=object)
    with open(os.path.join(outdir, "canonically_equivalent_names.pkl"), "wb") as handle:
        pickle.dump(model, handle, protocol=4)
    print("canonically_equivalent_names")

    # Valid: uint64 labels, one beyond Int64's range.
    labels = np.array([2**64 - 1, 5], dtype=np.uint64)
    model = LogisticRegression().fit(X, labels[y])
    with open(os.path.join(outdir, "uint64_classes.pkl"), "wb") as handle:
        pickle.dump(model, handle, protocol=4)
    rows = X[:6]
    # Floats as .17g text, which parses back to the exact double.
    row_text = ", ".join("[" + ", ".join(format(v, ".17g") for v in row) + "]" for row in rows)
    predictions = json.dumps([int(label) for label in model.predict(rows)])
    classes = json.dumps([int(label) for label in model.classes_])
    with open(os.path.join(outdir, "uint64_classes.json"), "w") as handle:
        handle.write(f'{{"rows": [{row_text}], "predict": {predictions}, "classes": {classes}}}\n')
    print("uint64_classes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
