"""Composition: column routing, unions, target transforms, searches and meta-estimators."""

import numpy as np
import pandas as pd
from generate import Case
from sklearn.compose import (
    ColumnTransformer,
    TransformedTargetRegressor,
    make_column_selector,
)
from sklearn.decomposition import PCA
from sklearn.ensemble import (
    RandomForestClassifier,
    RandomForestRegressor,
    StackingClassifier,
    StackingRegressor,
    VotingClassifier,
    VotingRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.multiclass import OneVsOneClassifier, OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier, MultiOutputRegressor
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

NAN = float("nan")


def frame(rows):
    return pd.DataFrame(rows, columns=["color", "size", "weight", "height"]).astype(
        {"weight": float, "height": float}
    )


def people(kit):
    """A small DataFrame with two string columns and two numbers, and a target."""
    rng = np.random.RandomState(1)
    n = 40
    data = frame(
        {
            "color": rng.choice(["red", "green", "blue"], n),
            "size": rng.choice(["S", "M", "L"], n),
            "weight": rng.normal(70, 10, n).round(1),
            "height": rng.normal(170, 8, n).round(1),
        }
    )
    label = np.where(
        (data["color"] == "red") | (data["weight"] > 72), "buy", "skip"
    ).astype(object)
    label[::7] = "later"
    amount = 0.5 * data["weight"] + (data["size"] == "L") * 10 + rng.normal(0, 1, n)
    return data, label, amount.to_numpy()


def people_rows():
    return frame(
        [
            ["red", "S", 70.0, 170.0],
            ["blue", "L", 55.5, 160.2],
            ["green", "M", 0.0, 0.0],
            ["green", "S", -80.0, 190.0],
        ]
    )


def cases(kit):
    yield from column_transformers(kit)
    yield from unions_and_targets(kit)
    yield from searches(kit)
    yield from voting_and_stacking(kit)
    yield from multi(kit)
    yield from frames(kit)


def column_transformers(kit):
    data, label, amount = people(kit)
    named = Pipeline(
        [
            (
                "columns",
                ColumnTransformer(
                    [
                        ("categories", OneHotEncoder(), ["color", "size"]),
                        ("scaled", StandardScaler(), ["weight"]),
                    ],
                    remainder="passthrough",
                ),
            ),
            ("model", LogisticRegression(max_iter=1000)),
        ]
    ).fit(data, label)
    yield Case(
        "compose-columns-by-name",
        named,
        people_rows(),
        refused=[frame([["purple", "S", 70.0, 170.0]]), frame([["red", "S", NAN, 170.0]])],
    )
    yield Case(
        "compose-columns-selector",
        Pipeline(
            [
                (
                    "columns",
                    ColumnTransformer(
                        [
                            (
                                "text",
                                OrdinalEncoder(
                                    handle_unknown="use_encoded_value", unknown_value=-1
                                ),
                                make_column_selector(dtype_include=object),
                            ),
                            ("numbers", "passthrough", make_column_selector(pattern="ght$")),
                        ]
                    ),
                ),
                ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
            ]
        ).fit(data, label),
        pd.concat([people_rows(), frame([["purple", "XL", 71.0, 150.0]])]),
        refused=[frame([["red", "S", 1e300, 150.0]])],
        exact=True,
    )
    numbers = kit.diabetes_X[:, :5]
    yield Case(
        "compose-columns-by-index",
        Pipeline(
            [
                (
                    "columns",
                    ColumnTransformer(
                        [("scaled", StandardScaler(), [0, 2]), ("dropped", "drop", [1])],
                        remainder=StandardScaler(with_std=False),
                    ),
                ),
                ("model", LinearRegression()),
            ]
        ).fit(numbers, kit.diabetes_y),
        kit.awkward(numbers),
    )
    yield Case(
        "compose-columns-mask-slice-weights",
        ColumnTransformer(
            [
                ("first", StandardScaler(), slice(0, 2)),
                ("masked", "passthrough", [True, False, False, True, False]),
                ("step", StandardScaler(with_std=False), slice(1, 5, 2)),
            ],
            transformer_weights={"first": 2.0, "masked": 0.5},
        ).fit(numbers),
        kit.awkward(numbers),
    )
    small = np.column_stack([numbers[:, 0], (numbers[:, 1] > 0).astype(float) + 1])
    yield Case(
        "compose-columns-sparse",
        ColumnTransformer(
            [("onehot", OneHotEncoder(), [1]), ("scaled", StandardScaler(), [0])],
            sparse_threshold=1.0,
        ).fit(small),
        np.array([[0.03, 1.0], [0.0, 2.0], [-1.0, 2.0], [1e300, 1.0]]),
        refused=[[0.0, 3.0]],
    )


def unions_and_targets(kit):
    X = kit.diabetes_X[:, :4]
    counts = np.round(np.abs(X[:, [1]]) * 20) % 3
    Xc = np.column_stack([X, counts])
    union = FeatureUnion(
        [
            ("scaled", StandardScaler()),
            (
                "onehot",
                ColumnTransformer([("code", OneHotEncoder(handle_unknown="ignore"), [4])]),
            ),
        ],
        transformer_weights={"onehot": 0.5},
    )
    yield Case(
        "compose-feature-union",
        Pipeline([("union", union), ("model", LinearRegression())]).fit(Xc, kit.diabetes_y),
        np.vstack([kit.awkward(Xc, huge=False), [[0.1, 0.0, 0.0, 0.0, 7.0]]]),
    )
    yield Case(
        "compose-feature-union-transform",
        FeatureUnion([("a", StandardScaler()), ("b", StandardScaler(with_std=False))]).fit(X),
        kit.awkward(X),
    )
    y = kit.diabetes_y
    yield Case(
        "compose-target-log1p",
        TransformedTargetRegressor(
            regressor=LinearRegression(), func=np.log1p, inverse_func=np.expm1
        ).fit(X, y),
        kit.awkward(X, huge=False),
    )
    yield Case(
        "compose-target-exp",
        TransformedTargetRegressor(
            regressor=DecisionTreeRegressor(max_depth=3, random_state=0),
            func=np.log,
            inverse_func=np.exp,
        ).fit(X, y),
        kit.awkward(X, huge=False),
    )
    yield Case(
        "compose-target-scaler",
        TransformedTargetRegressor(regressor=LinearRegression(), transformer=StandardScaler()).fit(
            X, y
        ),
        kit.awkward(X),
    )
    yield Case(
        "compose-target-identity",
        TransformedTargetRegressor(regressor=LinearRegression()).fit(X, y),
        kit.awkward(X),
    )


def searches(kit):
    yield Case(
        "compose-grid-search",
        GridSearchCV(LogisticRegression(max_iter=1000), {"C": [0.1, 1.0]}, cv=3).fit(
            kit.iris_X, kit.iris_names
        ),
        kit.awkward(kit.iris_X),
    )
    yield Case(
        "compose-randomized-search",
        RandomizedSearchCV(
            DecisionTreeRegressor(random_state=0),
            {"max_depth": [2, 3, 4], "min_samples_leaf": [1, 5]},
            n_iter=3,
            cv=3,
            random_state=0,
        ).fit(kit.diabetes_X, kit.diabetes_y),
        kit.awkward(kit.diabetes_X, huge=False),
        exact=True,
    )
    data, label, _ = people(kit)
    yield Case(
        "compose-grid-search-frame",
        GridSearchCV(
            Pipeline(
                [
                    (
                        "columns",
                        ColumnTransformer(
                            [("categories", OneHotEncoder(), ["color", "size"])],
                            remainder=StandardScaler(),
                        ),
                    ),
                    ("model", LogisticRegression(max_iter=1000)),
                ]
            ),
            {"model__C": [0.5, 2.0]},
            cv=3,
        ).fit(data, label),
        people_rows(),
        refused=[frame([["red", "XL", 70.0, 170.0]])],
    )
    yield Case(
        "compose-grid-search-pca",
        GridSearchCV(PCA(), {"n_components": [2, 3]}, cv=3).fit(kit.diabetes_X),
        kit.awkward(kit.diabetes_X, huge=False),
        refused=[[NAN] + [0.0] * 9],
    )


def voting_and_stacking(kit):
    X, y = kit.iris_X, kit.iris_names
    members = [
        ("logistic", LogisticRegression(max_iter=1000)),
        ("tree", DecisionTreeClassifier(max_depth=2, random_state=0)),
        ("forest", RandomForestClassifier(n_estimators=3, max_depth=2, random_state=0)),
    ]
    rows = kit.awkward(X, huge=False)
    yield Case(
        "compose-voting-soft",
        VotingClassifier(members, voting="soft").fit(X, y),
        rows,
        refused=[[NAN, 3.0, 1.0, 0.2], [1e300, 3.0, 1.0, 0.2]],
    )
    yield Case(
        "compose-voting-soft-weights",
        VotingClassifier(members, voting="soft", weights=[1, 2, 0.5]).fit(X, kit.iris_y),
        rows,
    )
    yield Case(
        "compose-voting-hard",
        VotingClassifier(members, voting="hard", weights=[2, 1, 1]).fit(X, y),
        rows,
    )
    yield Case(
        "compose-voting-hard-drop",
        VotingClassifier(members[:1] + [("none", "drop")] + members[1:], voting="hard").fit(
            X, y
        ),
        rows,
    )
    D, t = kit.diabetes_X[:, :4], kit.diabetes_y
    regressors = [
        ("linear", LinearRegression()),
        ("tree", DecisionTreeRegressor(max_depth=3, random_state=0)),
        ("forest", RandomForestRegressor(n_estimators=3, max_depth=2, random_state=0)),
    ]
    yield Case(
        "compose-voting-regressor",
        VotingRegressor(regressors, weights=[1, 2, 3]).fit(D, t),
        kit.awkward(D, huge=False),
    )
    yield Case(
        "compose-stacking-classifier",
        StackingClassifier(members[:2], final_estimator=LogisticRegression(), cv=3).fit(X, y),
        rows,
    )
    yield Case(
        "compose-stacking-decision-function",
        StackingClassifier(
            [("logistic", LogisticRegression(max_iter=1000))],
            final_estimator=LogisticRegression(),
            stack_method="decision_function",
            cv=3,
        ).fit(X, y),
        kit.awkward(X),
        refused=[[1.0, NAN, 1.0, 0.2]],
    )
    yield Case(
        "compose-stacking-classifier-passthrough",
        StackingClassifier(
            [("tree", DecisionTreeClassifier(max_depth=2, random_state=0))],
            final_estimator=LogisticRegression(),
            stack_method="predict",
            passthrough=True,
            cv=3,
        ).fit(kit.binary_X, kit.binary_y),
        kit.awkward(kit.binary_X, huge=False),
    )
    yield Case(
        "compose-stacking-binary",
        StackingClassifier(
            [
                ("logistic", LogisticRegression()),
                ("tree", DecisionTreeClassifier(max_depth=2, random_state=0)),
            ],
            final_estimator=LogisticRegression(),
            cv=3,
        ).fit(kit.binary_X, kit.binary_y),
        kit.awkward(kit.binary_X, huge=False),
    )
    yield Case(
        "compose-stacking-regressor",
        StackingRegressor(regressors[:2], final_estimator=LinearRegression(), cv=3).fit(D, t),
        kit.awkward(D, huge=False),
    )
    yield Case(
        "compose-stacking-regressor-passthrough",
        StackingRegressor(
            regressors[:1], final_estimator=LinearRegression(), passthrough=True, cv=3
        ).fit(D, t),
        kit.awkward(D),
    )


def multi(kit):
    X = kit.iris_X
    two = np.column_stack([kit.iris_y, np.digitize(X[:, 0], [5.4, 6.2]) * 10])
    yield Case(
        "compose-multioutput-classifier",
        MultiOutputClassifier(LogisticRegression(max_iter=1000)).fit(X, two),
        kit.awkward(X),
    )
    targets = np.column_stack([kit.diabetes_y, kit.diabetes_X[:, 0] * 100])
    yield Case(
        "compose-multioutput-regressor",
        MultiOutputRegressor(LinearRegression()).fit(kit.diabetes_X, targets),
        kit.awkward(kit.diabetes_X),
    )
    yield Case(
        "compose-one-vs-rest",
        OneVsRestClassifier(LogisticRegression()).fit(X, kit.iris_names),
        kit.awkward(X),
        refused=[[1.0, 1.0, NAN, 0.2]],
    )
    yield Case(
        "compose-one-vs-rest-binary",
        OneVsRestClassifier(LogisticRegression()).fit(kit.binary_X, kit.binary_y),
        kit.awkward(kit.binary_X),
    )
    yield Case(
        "compose-one-vs-rest-tree",
        OneVsRestClassifier(DecisionTreeClassifier(max_depth=2, random_state=0)).fit(
            X, kit.iris_y
        ),
        kit.awkward(X, huge=False),
        refused=[[1.0, 1e300, 1.0, 1.0]],
    )
    # Multilabel: one member per column of a label indicator matrix.
    Y, rows = kit.iris_indicator, kit.multilabel_rows
    yield Case(
        "compose-one-vs-rest-multilabel",
        OneVsRestClassifier(LogisticRegression(max_iter=500)).fit(X, Y),
        rows,
        refused=[[1.0, 1.0, NAN, 0.2]],
    )
    yield Case(
        "compose-one-vs-rest-multilabel-tree",
        OneVsRestClassifier(DecisionTreeClassifier(max_depth=3, random_state=0)).fit(X, Y),
        rows[:-1],
    )
    yield Case(
        "compose-one-vs-rest-multilabel-svc",
        OneVsRestClassifier(LinearSVC(random_state=0, max_iter=5000)).fit(X, Y),
        rows,
    )
    # A label constant in training gets a _ConstantPredictor member; coming first, it also
    # sets the threshold of every member (0.5, as it is no classifier).
    constant = np.c_[np.zeros(len(Y), dtype=int), Y[:, :2], np.ones(len(Y), dtype=int)]
    yield Case(
        "compose-one-vs-rest-multilabel-constant",
        OneVsRestClassifier(LogisticRegression(max_iter=500)).fit(X, constant),
        rows,
        refused=[[1.0, 1.0, NAN, 0.2]],
    )
    yield Case(
        "compose-one-vs-rest-multilabel-constant-last",
        OneVsRestClassifier(LinearSVC(random_state=0, max_iter=5000)).fit(X, constant[:, 1:]),
        rows,
    )
    yield Case(
        "compose-one-vs-one",
        OneVsOneClassifier(LogisticRegression()).fit(X, kit.iris_names),
        kit.awkward(X),
    )
    yield Case(
        "compose-one-vs-one-tree",
        OneVsOneClassifier(DecisionTreeClassifier(max_depth=1, random_state=0)).fit(
            X, kit.iris_y
        ),
        kit.awkward(X, huge=False),
    )


def text_pipeline(final):
    """Categories one-hot encoded (unknown ones ignored), numbers scaled, then `final`."""
    return Pipeline(
        [
            (
                "columns",
                ColumnTransformer(
                    [
                        ("categories", OneHotEncoder(handle_unknown="ignore"), ["color", "size"]),
                        ("numbers", StandardScaler(), ["weight", "height"]),
                    ]
                ),
            ),
            ("model", final),
        ]
    )


def frames(kit):
    """Meta-estimators over pipelines fitted on a DataFrame with string columns."""
    data, label, amount = people(kit)
    rows = pd.concat([people_rows(), frame([["purple", "XL", 71.0, 150.0]])])
    yield Case(
        "compose-frame-voting",
        VotingClassifier(
            [
                ("logistic", text_pipeline(LogisticRegression(max_iter=1000))),
                ("tree", text_pipeline(DecisionTreeClassifier(max_depth=3, random_state=0))),
            ],
            voting="soft",
        ).fit(data, label),
        rows,
    )
    yield Case(
        "compose-frame-stacking",
        StackingRegressor(
            [("linear", text_pipeline(LinearRegression()))],
            final_estimator=LinearRegression(),
            cv=3,
        ).fit(data, amount),
        rows,
    )
    yield Case(
        "compose-frame-target",
        TransformedTargetRegressor(
            regressor=text_pipeline(LinearRegression()), func=np.log, inverse_func=np.exp
        ).fit(data, amount),
        rows,
    )
    # Three classes per output: scikit-learn's list of probability arrays is recorded as
    # one 3-D array.
    sizes = data["size"].map({"S": "small", "M": "medium", "L": "large"}).to_numpy()
    pair = np.column_stack([label, sizes])
    yield Case(
        "compose-frame-multioutput",
        text_pipeline(MultiOutputClassifier(LogisticRegression(max_iter=1000))).fit(data, pair),
        rows,
    )
    yield Case(
        "compose-frame-ordinal-pipeline-member",
        ColumnTransformer(
            [
                (
                    "codes",
                    Pipeline(
                        [
                            (
                                "ordinal",
                                OrdinalEncoder(
                                    handle_unknown="use_encoded_value", unknown_value=-1
                                ),
                            ),
                            ("scaled", StandardScaler()),
                        ]
                    ),
                    ["size", "color"],
                ),
            ],
            remainder="passthrough",
        ).fit(data),
        rows,
    )
