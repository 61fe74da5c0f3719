"""Linear models."""

from generate import Case
from sklearn.linear_model import LinearRegression, LogisticRegression


def cases(kit):
    X, y = kit.diabetes_X, kit.diabetes_y
    yield Case("linear-regression", LinearRegression().fit(X, y), kit.awkward(X))
    yield Case(
        "linear-logistic-multinomial",
        LogisticRegression(max_iter=1000).fit(kit.iris_X, kit.iris_names),
        kit.awkward(kit.iris_X),
        refused=[[float("nan"), 1.0, 1.0, 1.0]],
    )
