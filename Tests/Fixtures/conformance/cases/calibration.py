"""Calibration: CalibratedClassifierCV (sigmoid and isotonic, ensemble or not, prefit)
and IsotonicRegression."""

import numpy as np
from generate import Case
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import RandomForestClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier

NAN_ROW_IRIS = [float("nan"), 1.0, 1.0, 1.0]
NAN_ROW_BINARY = [0.0, 0.0, float("nan"), 0.0, 0.0]


def estimator_keyword(kit):
    """The base estimator's parameter was `base_estimator` before 1.2."""
    return "estimator" if kit.at_least(1, 2) else "base_estimator"


def prefit(kit, fitted, method):
    """A calibrator of an already fitted classifier: cv='prefit' before 1.6, a
    FrozenEstimator after."""
    key = estimator_keyword(kit)
    if kit.at_least(1, 6):
        from sklearn.frozen import FrozenEstimator

        return CalibratedClassifierCV(**{key: FrozenEstimator(fitted)}, method=method)
    return CalibratedClassifierCV(**{key: fitted}, cv="prefit", method=method)


def calibrated(kit):
    """(name, estimator, X) for CalibratedClassifierCV."""
    key = estimator_keyword(kit)
    iris, names, target = kit.iris_X, kit.iris_names, kit.iris_y
    bX, by = kit.binary_X, kit.binary_y
    svc = LinearSVC(random_state=0, max_iter=5000)
    for method in ["sigmoid", "isotonic"]:
        yield f"svc-{method}", CalibratedClassifierCV(
            **{key: svc}, method=method, cv=3
        ).fit(iris, names), iris
        yield f"svc-binary-{method}", CalibratedClassifierCV(
            **{key: svc}, method=method, cv=3
        ).fit(bX, by), bX
        yield f"logistic-{method}-no-ensemble", CalibratedClassifierCV(
            **{key: LogisticRegression(max_iter=500)}, method=method, cv=3, ensemble=False
        ).fit(iris, target), iris
        yield f"tree-{method}", CalibratedClassifierCV(
            **{key: DecisionTreeClassifier(max_depth=3, random_state=0)}, method=method, cv=2
        ).fit(bX, np.array(["no", "yes"])[by]), bX
        forest = RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0)
        yield f"forest-{method}", CalibratedClassifierCV(
            **{key: forest}, method=method, cv=3
        ).fit(iris, names), iris
        yield f"rbf-svc-{method}", CalibratedClassifierCV(
            **{key: SVC(C=2.0)}, method=method, cv=3
        ).fit(iris, names), iris
        yield f"rbf-svc-binary-{method}", CalibratedClassifierCV(
            **{key: SVC(kernel="poly", degree=2)}, method=method, cv=2
        ).fit(bX, by), bX
        yield f"naive-bayes-{method}", CalibratedClassifierCV(
            **{key: GaussianNB()}, method=method, cv=3
        ).fit(iris, names), iris
        fitted = LogisticRegression(max_iter=500).fit(bX[:60], by[:60])
        yield f"prefit-{method}", prefit(kit, fitted, method).fit(bX[60:], by[60:]), bX
    yield "pipeline-sigmoid", CalibratedClassifierCV(
        **{key: make_pipeline(StandardScaler(), svc)}, cv=2
    ).fit(iris, target), iris
    if kit.at_least(1, 8):
        yield "svc-temperature", CalibratedClassifierCV(
            svc, method="temperature", cv=3
        ).fit(iris, names), iris
        yield "logistic-binary-temperature", CalibratedClassifierCV(
            LogisticRegression(), method="temperature", cv=3
        ).fit(bX, by), bX
        yield "forest-temperature", CalibratedClassifierCV(
            RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0),
            method="temperature",
            cv=3,
        ).fit(iris, target), iris
        yield "tree-temperature", CalibratedClassifierCV(
            DecisionTreeClassifier(max_depth=3, random_state=0), method="temperature", cv=2
        ).fit(bX, by), bX
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(iris[::2], target[::2])
    yield "prefit-tree-isotonic", prefit(kit, tree, "isotonic").fit(iris[1::2], target[1::2]), iris


def isotonic(kit):
    """(name, estimator, X) for IsotonicRegression on one column."""
    x = kit.diabetes_X[:, 2]
    y = kit.diabetes_y
    rows = np.r_[x[:6], [0.0, -x[0], x.min() - 1, x.max() + 1, x.min(), x.max(), 1e300]]
    yield "isotonic", IsotonicRegression().fit(x, y), rows
    yield "isotonic-clip", IsotonicRegression(out_of_bounds="clip").fit(x, y), rows
    yield "isotonic-decreasing", IsotonicRegression(increasing=False).fit(x, -y), rows
    yield "isotonic-auto", IsotonicRegression(increasing="auto", y_min=50, y_max=250).fit(
        x, y
    ), rows
    inside = np.r_[x[:6], [x.min(), x.max(), 0.0]]
    yield "isotonic-raise", IsotonicRegression(out_of_bounds="raise").fit(x, y), inside


def cases(kit):
    import pandas as pd

    names = ["sepal length", "sepal width", "petal length", "petal width"]
    frame = pd.DataFrame(kit.iris_X, columns=names)
    yield Case(
        "calibration-dataframe",
        CalibratedClassifierCV(
            **{estimator_keyword(kit): LogisticRegression(max_iter=500)}, cv=3
        ).fit(frame, kit.iris_names),
        pd.DataFrame(kit.awkward(kit.iris_X), columns=names),
        refused=[pd.DataFrame([NAN_ROW_IRIS], columns=names)],
    )
    for name, estimator, data in calibrated(kit):
        refused = [NAN_ROW_IRIS if data.shape[1] == 4 else NAN_ROW_BINARY]
        if "tree" in name and kit.at_least(1, 3) or "forest" in name and kit.at_least(1, 4):
            refused = []  # trees take missing values from 1.3 on, forests from 1.4
        rows = kit.awkward(data, huge=False)
        if not refused:
            rows = np.vstack([rows, NAN_ROW_IRIS if data.shape[1] == 4 else NAN_ROW_BINARY])
        if "tree" not in name and "forest" not in name:
            # A 1e300 row: refused where the isotonic calibrator meets a non-finite
            # decision value, answered elsewhere.
            huge = np.full(data.shape[1], 1e300)
            try:
                estimator.predict_proba([huge])
                rows = np.vstack([rows, huge])
            except ValueError:
                refused.append(list(huge))
        yield Case(f"calibration-{name}", estimator, rows, refused=refused)
    for name, estimator, rows in isotonic(kit):
        refused = [[float("nan")]]
        if name == "isotonic-raise":
            refused.append([1e300])
        yield Case(
            f"calibration-{name}",
            estimator,
            rows.reshape(-1, 1),
            refused=refused,
        )
