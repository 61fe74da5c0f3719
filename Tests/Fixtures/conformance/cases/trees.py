"""Decision trees."""

from generate import Case
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor


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
