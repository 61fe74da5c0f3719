"""skops files: one fitted model of each kind, saved with skops.io.dump beside the .joblib.

Each case's .skops file must be read into the same model as its .joblib and give the same
answers. The kinds cover every node type a scikit-learn model makes in skops' schema:
objects and dicts (linear models, scalers; dicts keyed by numpy scalars in
LogisticRegressionCV), numpy arrays of numbers, strings and records
(tree nodes), object arrays (string labels, feature names), Tree and loss nodes,
RandomState and Generator nodes (gradient and histogram boosting), functions and
functools.partial (the categorical preprocessing of histogram boosting), types (an
encoder's dtype), and pipelines with a ColumnTransformer. skops is installed only in the
newest environment, so the other environments have no case here.
"""

import numpy as np
from generate import Case

NAN = float("nan")


def saved_as_skops(deflated=True):
    """skops stores members uncompressed by default; the larger models are deflated, which
    keeps the fixtures small and covers both kinds of member."""
    import zipfile

    import skops.io

    compression = zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED

    def write(estimator, path):
        skops.io.dump(estimator, path, compression=compression)

    return {".skops": (write, None)}


def cases(kit):
    try:
        import skops.io  # noqa: F401
    except ImportError:
        return
    yield from linear(kit)
    yield from trees(kit)
    yield from boosting(kit)
    yield from composed(kit)
    yield from others(kit)


def linear(kit):
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV, Ridge

    X, names = kit.iris_X, kit.iris_names
    yield Case(
        "skops-logistic-string-labels",
        LogisticRegression(max_iter=1000).fit(X, names),
        kit.awkward(X),
        refused=[[NAN, 1.0, 1.0, 1.0]],
        also_saved_as=saved_as_skops(deflated=False),
    )
    # scores_ is a dict keyed by the classes: numpy.str_ keys in the schema.
    yield Case(
        "skops-logistic-cv-string-labels",
        LogisticRegressionCV(Cs=3, cv=3, max_iter=500).fit(X, names),
        kit.awkward(X),
        also_saved_as=saved_as_skops(),
    )
    Xb, yb = kit.binary_X, kit.binary_y
    yield Case(
        "skops-logistic-cv-binary",
        LogisticRegressionCV(Cs=3, cv=3).fit(Xb, yb),
        kit.awkward(Xb),
        also_saved_as=saved_as_skops(),
    )
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    yield Case(
        "skops-ridge",
        Ridge(alpha=0.5).fit(Xd, yd),
        kit.awkward(Xd),
        also_saved_as=saved_as_skops(deflated=False),
    )


def trees(kit):
    from sklearn.ensemble import ExtraTreesClassifier, IsolationForest, RandomForestRegressor
    from sklearn.tree import DecisionTreeClassifier

    X, y = kit.iris_X, kit.iris_y
    yield Case(
        "skops-decision-tree",
        DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y),
        kit.awkward(X, huge=False),
        exact=True,
        also_saved_as=saved_as_skops(deflated=False),
    )
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    Xn = np.array(Xd, dtype=float)
    Xn[::6, 1] = np.nan
    rows = np.vstack([kit.awkward(Xd, huge=False), Xn[:6]])
    yield Case(
        "skops-random-forest-nan",
        RandomForestRegressor(n_estimators=3, max_depth=4, random_state=0).fit(Xn, yd),
        rows,
        exact=True,
        also_saved_as=saved_as_skops(),
    )
    yield Case(
        "skops-extra-trees",
        ExtraTreesClassifier(n_estimators=3, max_depth=3, random_state=0).fit(X, kit.iris_names),
        kit.awkward(X, huge=False),
        exact=True,
        also_saved_as=saved_as_skops(),
    )
    yield Case(
        "skops-isolation-forest",
        IsolationForest(n_estimators=3, max_samples=32, random_state=0).fit(X),
        kit.awkward(X, huge=False),
        exact=True,
        also_saved_as=saved_as_skops(),
    )


def boosting(kit):
    import pandas as pd
    from sklearn.ensemble import (
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
    )

    X, y = kit.iris_X, kit.iris_y
    Xb, yb = kit.binary_X, kit.binary_y
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    yield Case(
        "skops-gradient-boosting-multiclass",
        GradientBoostingClassifier(n_estimators=3, max_depth=2, random_state=0).fit(X, y),
        kit.awkward(X, huge=False),
        exact=True,
        also_saved_as=saved_as_skops(),
    )
    yield Case(
        "skops-gradient-boosting-regressor",
        GradientBoostingRegressor(
            n_estimators=4, max_depth=2, subsample=0.8, random_state=0
        ).fit(Xd, yd),
        kit.awkward(Xd, huge=False),
        exact=True,
        also_saved_as=saved_as_skops(),
    )
    Xm = np.array(Xb, dtype=float)
    Xm[::5, 0] = np.nan
    rows = np.vstack([kit.awkward(Xb), Xm[:5]])
    yield Case(
        "skops-hgb-binary-nan",
        HistGradientBoostingClassifier(max_iter=5, max_leaf_nodes=5, random_state=0).fit(Xm, yb),
        rows,
        exact=True,
        also_saved_as=saved_as_skops(),
    )
    yield Case(
        "skops-hgb-regressor",
        HistGradientBoostingRegressor(max_iter=5, max_depth=3, random_state=0).fit(Xd, yd),
        kit.awkward(Xd),
        exact=True,
        also_saved_as=saved_as_skops(),
    )
    rng = np.random.RandomState(3)
    colours = np.array(["red", "green", "blue", "teal"])[rng.randint(0, 4, len(Xb))]
    frame = pd.DataFrame({"size": Xb[:, 0], "colour": pd.Categorical(colours), "weight": Xb[:, 2]})
    target = (yb + (colours == "blue")) % 2
    model = HistGradientBoostingClassifier(
        max_iter=5, max_depth=3, categorical_features="from_dtype", random_state=0
    ).fit(frame, target)
    rows = pd.DataFrame(
        {
            "size": [Xb[0, 0], Xb[1, 0], 0.0, -1.0, np.nan, 2.5],
            "colour": pd.Categorical(
                ["red", "blue", "green", "purple", None, "teal"],
                categories=["blue", "green", "purple", "red", "teal"],
            ),
            "weight": [Xb[0, 2], np.nan, 0.0, 1e300, 1.0, -3.0],
        }
    )
    yield Case(
        "skops-hgb-pandas-category", model, rows, exact=True, also_saved_as=saved_as_skops()
    )


def composed(kit):
    import pandas as pd
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.RandomState(1)
    n = 40
    data = pd.DataFrame(
        {
            "color": rng.choice(["red", "green", "blue"], n),
            "size": rng.choice(["S", "M", "L"], n),
            "weight": rng.normal(70, 10, n).round(1),
        }
    )
    label = np.where((data["color"] == "red") | (data["weight"] > 72), "buy", "skip").astype(
        object
    )
    label[::7] = "later"
    model = Pipeline(
        [
            (
                "columns",
                ColumnTransformer(
                    [
                        ("categories", OneHotEncoder(dtype=np.float32), ["color", "size"]),
                        ("scaled", StandardScaler(), ["weight"]),
                    ]
                ),
            ),
            ("model", LogisticRegression(max_iter=1000)),
        ]
    ).fit(data, label)
    rows = pd.DataFrame(
        [["red", "S", 70.0], ["blue", "L", 55.5], ["green", "M", 0.0], ["green", "S", -80.0]],
        columns=["color", "size", "weight"],
    )
    yield Case(
        "skops-pipeline-columns",
        model,
        rows,
        refused=[pd.DataFrame([["purple", "S", 70.0]], columns=["color", "size", "weight"])],
        also_saved_as=saved_as_skops(),
    )
    X, y = kit.diabetes_X[:, :4], kit.diabetes_y
    yield Case(
        "skops-target-log1p",
        TransformedTargetRegressor(
            regressor=LinearRegression(), func=np.log1p, inverse_func=np.expm1
        ).fit(X, y),
        kit.awkward(X, huge=False),
        also_saved_as=saved_as_skops(),
    )


def others(kit):
    from sklearn.cluster import KMeans
    from sklearn.dummy import DummyClassifier
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    X = kit.iris_X
    yield Case(
        "skops-kmeans",
        KMeans(n_clusters=3, n_init=2, random_state=0).fit(X),
        kit.awkward(X),
        also_saved_as=saved_as_skops(deflated=False),
    )
    yield Case(
        "skops-standard-scaler",
        StandardScaler().fit(kit.diabetes_X),
        kit.awkward(kit.diabetes_X),
        also_saved_as=saved_as_skops(deflated=False),
    )
    yield Case(
        "skops-minmax-scaler",
        MinMaxScaler(feature_range=(-1, 2)).fit(X),
        kit.awkward(X),
        also_saved_as=saved_as_skops(deflated=False),
    )
    yield Case(
        "skops-dummy-prior",
        DummyClassifier(strategy="prior").fit(X, kit.iris_names),
        kit.awkward(X),
        also_saved_as=saved_as_skops(deflated=False),
    )
