"""What a step inside a pipeline gets from the steps before it: scikit-learn validates each
step's input, so a row that an earlier step turns infinite (or NaN) is refused there."""

import numpy as np
from generate import Case
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, StandardScaler


def cases(kit):
    X = np.random.RandomState(0).normal(size=(50, 2))
    y = X[:, 0] + X[:, 1] ** 2
    rows = kit.awkward(X, huge=False)
    yield Case(
        "steps-polynomial-logistic",
        make_pipeline(PolynomialFeatures(2), LogisticRegression()).fit(X, y > 1),
        rows,
        # 1e200 squared overflows to infinity between the steps.
        refused=[[1e200, 0.0], [-1e300, 1e300], [1e155, 1.0]],
    )
    yield Case(
        "steps-polynomial-linear",
        make_pipeline(PolynomialFeatures(2), LinearRegression()).fit(X, y),
        rows,
        refused=[[1e200, 0.0]],
    )
    positive = np.abs(kit.diabetes_X) * 10
    yield Case(
        "steps-log1p-linear",
        make_pipeline(FunctionTransformer(np.log1p), LinearRegression()).fit(
            positive, kit.diabetes_y
        ),
        kit.awkward(positive, negative=False),
        # log1p(-1) is -inf and log1p(-2) NaN: LinearRegression refuses both.
        refused=[[-1.0] + [0.0] * 9, [-2.0] + [0.0] * 9],
    )
    yield Case(
        "steps-polynomial-scaler-logistic",
        make_pipeline(PolynomialFeatures(2), StandardScaler(), LogisticRegression()).fit(
            X, y > 1
        ),
        rows,
        # StandardScaler takes NaN but not infinity.
        refused=[[1e200, 0.0]],
    )
