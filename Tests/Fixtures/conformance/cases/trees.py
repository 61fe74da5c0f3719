"""Decision trees and extra trees, of one output and several."""

import numpy as np
from generate import Case
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)


def nan_rows(kit, X, accepts):
    """Rows with NaN: recorded where the fitted model takes them, else refused."""
    rows = np.array(X[:3], dtype=float)
    rows[0, 0] = np.nan
    rows[1, 2] = np.nan
    rows[2, :] = np.nan
    if accepts:
        return rows, []
    return None, [list(row) for row in rows]


def with_nan(kit, X, model, accepts, huge=False):
    rows = kit.awkward(X, huge=huge)
    extra, refused = nan_rows(kit, X, accepts)
    if extra is not None:
        rows = np.vstack([rows, extra])
    return rows, refused


def tree_takes_nan(kit, extra):
    if not kit.at_least(1, 3):
        return False
    if kit.at_least(1, 6):
        return True
    return not extra


def cases(kit):
    X, y = kit.iris_X, kit.iris_y
    rows = kit.awkward(X, huge=False)
    yield Case(
        "trees-classifier",
        DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y),
        rows,
        exact=True,
    )
    yield Case(
        "trees-regressor",
        DecisionTreeRegressor(max_depth=5, random_state=0).fit(kit.diabetes_X, kit.diabetes_y),
        kit.awkward(kit.diabetes_X, huge=False),
        exact=True,
    )
    # String labels, entropy, and NaN where the version takes it.
    accepts = tree_takes_nan(kit, extra=False)
    model = DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0)
    Xn = X.copy()
    if accepts:
        Xn[::7, 1] = np.nan
    model.fit(Xn, kit.iris_names)
    rows, refused = with_nan(kit, X, model, accepts)
    yield Case("trees-classifier-strings-nan", model, rows, refused=refused, exact=True)

    model = DecisionTreeRegressor(max_depth=4, min_samples_leaf=3, random_state=0)
    Xd = kit.diabetes_X.copy()
    if accepts:
        Xd[::5, 2] = np.nan
    model.fit(Xd, kit.diabetes_y)
    rows, refused = with_nan(kit, kit.diabetes_X, model, accepts)
    yield Case("trees-regressor-nan", model, rows, refused=refused, exact=True)

    # Extra trees: the random splitter.
    accepts = tree_takes_nan(kit, extra=True)
    model = ExtraTreeClassifier(max_depth=5, random_state=1).fit(kit.binary_X, kit.binary_y)
    rows, refused = with_nan(kit, kit.binary_X, model, accepts)
    yield Case("trees-extra-classifier", model, rows, refused=refused, exact=True)
    model = ExtraTreeRegressor(max_depth=6, random_state=2).fit(kit.diabetes_X, kit.diabetes_y)
    rows, refused = with_nan(kit, kit.diabetes_X, model, accepts)
    yield Case("trees-extra-regressor", model, rows, refused=refused, exact=True)

    # Multi-output: a 2-D y.
    # Outputs with equally many classes: the generator stores predict_proba as one array.
    Y = np.column_stack([y, np.digitize(X[:, 0], [5.4, 6.2]) * 3 + 1])
    yield Case(
        "trees-multioutput-classifier",
        DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, Y),
        rows_for(kit, X),
        exact=True,
    )
    Yr = np.column_stack([kit.diabetes_y, kit.diabetes_X[:, 0] * 100])
    yield Case(
        "trees-multioutput-regressor",
        DecisionTreeRegressor(max_depth=4, random_state=0).fit(kit.diabetes_X, Yr),
        rows_for(kit, kit.diabetes_X),
        exact=True,
    )
    Ys = np.column_stack(
        [kit.iris_names, np.array(["narrow", "mid", "wide"])[np.digitize(X[:, 3], [0.8, 1.6])]]
    )
    yield Case(
        "trees-extra-multioutput-strings",
        ExtraTreeClassifier(max_depth=6, random_state=0).fit(X, Ys),
        rows_for(kit, X),
        exact=True,
    )


def rows_for(kit, X):
    return kit.awkward(X, huge=False)
