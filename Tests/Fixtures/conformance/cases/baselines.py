"""Dummy estimators: baselines that predict without looking at the rows.

Dummy estimators of scikit-learn 1.3 and before do not record n_features_in_, which
Augur needs to check a row's width, so their cases are only written where it is."""

import numpy as np
from generate import Case
from sklearn.dummy import DummyClassifier, DummyRegressor


def nan_rows(X):
    """Awkward rows, then rows with NaN: a dummy never reads them, so it takes them."""
    rows = np.array(X[:2], dtype=float)
    rows[0, 0] = np.nan
    rows[1, :] = np.nan
    return rows


def cases(kit):
    X, y = kit.iris_X, kit.iris_y
    rows = np.vstack([kit.awkward(X), nan_rows(X)])
    # Uneven classes, so that prior and most_frequent differ from uniform.
    kept = np.r_[0:50, 50:80, 100:150]
    Xu, uneven, uneven_names = X[kept], y[kept], kit.iris_names[kept]
    models = [
        ("classifier-prior", DummyClassifier(strategy="prior"), Xu, uneven),
        ("classifier-most-frequent", DummyClassifier(strategy="most_frequent"), Xu, uneven),
        ("classifier-constant", DummyClassifier(strategy="constant", constant=1), Xu, uneven),
        (
            "classifier-strings",
            DummyClassifier(strategy="constant", constant="virginica"),
            X,
            kit.iris_names,
        ),
        ("classifier-strings-prior", DummyClassifier(strategy="prior"), Xu, uneven_names),
        # A tie between classes: predict takes the first of them.
        ("classifier-tie", DummyClassifier(strategy="most_frequent"), X, y),
        (
            "classifier-binary-weighted",
            DummyClassifier(strategy="prior"),
            kit.binary_X,
            kit.binary_y,
        ),
        (
            "classifier-multi-output",
            DummyClassifier(strategy="prior"),
            Xu,
            np.c_[uneven, uneven % 2],
        ),
        (
            "classifier-multi-output-constant",
            DummyClassifier(strategy="constant", constant=[2, 0]),
            Xu,
            np.c_[uneven, uneven % 2],
        ),
    ]
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    drows = np.vstack([kit.awkward(Xd), nan_rows(Xd)])
    models += [
        ("regressor-mean", DummyRegressor(strategy="mean"), Xd, yd),
        ("regressor-median", DummyRegressor(strategy="median"), Xd, yd),
        ("regressor-quantile", DummyRegressor(strategy="quantile", quantile=0.3), Xd, yd),
        ("regressor-constant", DummyRegressor(strategy="constant", constant=12.5), Xd, yd),
        (
            "regressor-multi-output",
            DummyRegressor(strategy="median"),
            Xd,
            np.c_[yd, np.sqrt(yd)],
        ),
    ]
    for name, model, fit_X, fit_y in models:
        if name == "classifier-binary-weighted":
            weights = np.linspace(0.5, 2.0, len(fit_y))
            model.fit(fit_X, fit_y, sample_weight=weights)
        else:
            model.fit(fit_X, fit_y)
        if "n_features_in_" not in vars(model):
            continue
        case_rows = drows if name.startswith("regressor") else rows
        if name == "classifier-binary-weighted":
            case_rows = np.vstack([kit.awkward(fit_X), nan_rows(fit_X)])
        yield Case("baselines-" + name, model, case_rows)
