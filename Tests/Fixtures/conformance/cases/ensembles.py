"""Tree ensembles: forests, gradient boosting, and the rest."""

import numpy as np
from generate import Case
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    BaggingClassifier,
    BaggingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    IsolationForest,
    RandomForestClassifier,
    RandomForestRegressor,
)


def nan_case_rows(kit, X, accepts):
    rows = kit.awkward(X, huge=False)
    bad = np.array(X[:3], dtype=float)
    bad[0, 0] = np.nan
    bad[1, 1] = np.nan
    bad[2, :] = np.nan
    if accepts:
        return np.vstack([rows, bad]), []
    return rows, [list(row) for row in bad]


def forest_takes_nan(kit, extra):
    if extra:
        return kit.at_least(1, 6)
    return kit.at_least(1, 4)


def forests(kit):
    X, y = kit.iris_X, kit.iris_y
    Xb, yb = kit.binary_X, kit.binary_y
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    for extra, Classifier, Regressor, tag in [
        (False, RandomForestClassifier, RandomForestRegressor, "rf"),
        (True, ExtraTreesClassifier, ExtraTreesRegressor, "et"),
    ]:
        accepts = forest_takes_nan(kit, extra)
        model = Classifier(n_estimators=5, max_depth=4, random_state=0).fit(Xb, yb)
        rows, refused = nan_case_rows(kit, Xb, accepts)
        yield Case(f"ensembles-{tag}-classifier", model, rows, refused=refused, exact=True)

        model = Classifier(
            n_estimators=4, max_depth=3, criterion="entropy", max_features=None, random_state=3
        ).fit(X, kit.iris_names)
        yield Case(
            f"ensembles-{tag}-classifier-strings", model, kit.awkward(X, huge=False), exact=True
        )

        model = Regressor(n_estimators=4, max_depth=4, random_state=0).fit(Xd, yd)
        rows, refused = nan_case_rows(kit, Xd, accepts)
        yield Case(f"ensembles-{tag}-regressor", model, rows, refused=refused, exact=True)

        # Multi-output.
        # Outputs with equally many classes: the generator stores predict_proba as one array.
        Y = np.column_stack([y, np.digitize(X[:, 0], [5.4, 6.2])])
        model = Classifier(n_estimators=3, max_depth=3, random_state=0).fit(X, Y)
        yield Case(
            f"ensembles-{tag}-multioutput-classifier",
            model,
            kit.awkward(X, huge=False),
            exact=True,
        )
        Yr = np.column_stack([yd, Xd[:, 1] * 50, -yd])
        model = Regressor(n_estimators=3, max_depth=3, random_state=0).fit(Xd, Yr)
        yield Case(
            f"ensembles-{tag}-multioutput-regressor",
            model,
            kit.awkward(Xd, huge=False),
            exact=True,
        )

    # A forest fitted on NaN, where the version takes it.
    if kit.at_least(1, 4):
        Xn = Xb.copy()
        Xn[::6, 0] = np.nan
        Xn[::9, 3] = np.nan
        model = RandomForestClassifier(n_estimators=4, max_depth=4, random_state=0).fit(Xn, yb)
        rows, _ = nan_case_rows(kit, Xb, True)
        yield Case("ensembles-rf-classifier-fitted-nan", model, rows, exact=True)


def many_classes():
    from sklearn.datasets import make_classification

    return make_classification(
        n_samples=180, n_features=6, n_informative=5, n_redundant=0, n_classes=9,
        n_clusters_per_class=1, random_state=0,
    )


def boosting(kit):
    X, y = kit.iris_X, kit.iris_y
    Xb, yb = kit.binary_X, kit.binary_y
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    log_loss = "log_loss" if kit.at_least(1, 1) else "deviance"
    refused = [list(np.r_[np.nan, Xb[0, 1:]])]
    for loss in [log_loss, "exponential"]:
        for init, tag in [
            (None, "default"),
            ("zero", "zero"),
            (DummyClassifier(strategy="most_frequent"), "most-frequent"),
            (DummyClassifier(strategy="constant", constant=1), "constant"),
        ]:
            model = GradientBoostingClassifier(
                loss=loss, n_estimators=6, max_depth=2, learning_rate=0.3, init=init,
                random_state=0,
            ).fit(Xb, yb)
            yield Case(
                f"ensembles-gb-binary-{loss.replace('_', '-')}-{tag}",
                model,
                kit.awkward(Xb, huge=False),
                refused=refused,
                exact=True,
            )
    if kit.version < (1, 3):
        model = GradientBoostingClassifier(
            loss="deviance", n_estimators=4, max_depth=2, random_state=0
        ).fit(Xb, yb)
        yield Case("ensembles-gb-binary-deviance", model, kit.awkward(Xb, huge=False), exact=True)
    for init, tag in [(None, "default"), ("zero", "zero"), (DummyClassifier(), "prior")]:
        model = GradientBoostingClassifier(
            n_estimators=5, max_depth=2, learning_rate=0.5, subsample=0.8, init=init,
            random_state=0,
        ).fit(X, kit.iris_names)
        yield Case(
            f"ensembles-gb-multiclass-{tag}", model, kit.awkward(X, huge=False), exact=True
        )
    # Early stopping keeps fewer stages than n_estimators.
    model = GradientBoostingClassifier(
        n_estimators=40, max_depth=2, n_iter_no_change=2, validation_fraction=0.3,
        random_state=0,
    )
    yield Case(
        "ensembles-gb-early-stopping", model.fit(Xb, yb), kit.awkward(Xb, huge=False), exact=True
    )
    # Nine classes: numpy sums rows of eight or more values pairwise.
    Xn, yn = many_classes()
    model = GradientBoostingClassifier(n_estimators=2, max_depth=1, random_state=0)
    yield Case("ensembles-gb-nine-classes", model.fit(Xn, yn), Xn[:12], exact=True)
    losses = ["squared_error", "absolute_error", "huber", "quantile"]
    if not kit.at_least(1, 0):
        losses = ["ls", "lad", "huber", "quantile"]
    for loss in losses:
        for init, tag in [
            (None, "default"),
            ("zero", "zero"),
            (DummyRegressor(strategy="median"), "median"),
            (DummyRegressor(strategy="quantile", quantile=0.3), "quantile"),
            (DummyRegressor(strategy="constant", constant=99.5), "constant"),
        ]:
            model = GradientBoostingRegressor(
                loss=loss, n_estimators=6, max_depth=3, learning_rate=0.2, alpha=0.7,
                init=init, random_state=0,
            ).fit(Xd, yd)
            yield Case(
                f"ensembles-gb-regressor-{loss.replace('_', '-')}-{tag}",
                model,
                kit.awkward(Xd, huge=False),
                exact=True,
            )


def isolation(kit):
    X = kit.binary_X
    accepts = kit.at_least(1, 6)
    for params, tag in [
        (dict(n_estimators=5), "default"),
        (dict(n_estimators=6, contamination=0.1, max_samples=32), "contamination"),
        (dict(n_estimators=5, max_features=0.6, bootstrap=True), "features"),
        (dict(n_estimators=4, max_features=2, max_samples=0.5), "two-features"),
    ]:
        model = IsolationForest(random_state=0, **params).fit(X)
        rows, refused = nan_case_rows(kit, X, accepts)
        # Values beyond float32: refused before 1.6, infinities since.
        huge = np.full(X.shape[1], 1e300)
        if accepts:
            rows = np.vstack([rows, huge])
        else:
            refused.append(list(huge))
        yield Case(f"ensembles-iforest-{tag}", model, rows, refused=refused, exact=True)


def with_missing(X, every=5):
    X = np.array(X, dtype=float)
    X[::every, 0] = np.nan
    X[1::every + 2, 2] = np.nan
    return X


def hist_rows(kit, X, categorical=None):
    rows = kit.awkward(X, huge=True)
    extra = np.array(X[:4], dtype=float)
    extra[0, :] = np.nan
    extra[1, 1] = np.nan
    if categorical is not None:
        extra[2, categorical] = 7  # a category never seen
        extra[3, categorical] = 2.6  # not a whole number
    # No infinity: the fixture JSON writes it as a string, which reads back as text.
    return np.vstack([rows, extra])


def hist_categorical_case(kit, name, model, X, y, column):
    return Case(name, model.fit(X, y), hist_rows(kit, X, column), exact=True)


def hist_boosting(kit):
    X, y = kit.iris_X, kit.iris_y
    Xb, yb = kit.binary_X, kit.binary_y
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    model = HistGradientBoostingRegressor(max_iter=8, max_leaf_nodes=6, random_state=0)
    yield Case("ensembles-hgb-regressor", model.fit(Xd, yd), hist_rows(kit, Xd), exact=True)
    model = HistGradientBoostingRegressor(
        loss="poisson", max_iter=6, max_depth=3, learning_rate=0.2, random_state=0
    )
    yield Case(
        "ensembles-hgb-regressor-poisson-nan",
        model.fit(with_missing(Xd), yd),
        hist_rows(kit, Xd),
        exact=True,
    )
    if kit.at_least(1, 1):
        model = HistGradientBoostingRegressor(
            loss="absolute_error", max_iter=5, max_bins=16, random_state=0
        )
        yield Case(
            "ensembles-hgb-regressor-absolute", model.fit(Xd, yd), hist_rows(kit, Xd), exact=True
        )
    if kit.at_least(1, 3):
        model = HistGradientBoostingRegressor(loss="gamma", max_iter=5, random_state=0)
        yield Case(
            "ensembles-hgb-regressor-gamma", model.fit(Xd, yd), hist_rows(kit, Xd), exact=True
        )
    if kit.at_least(1, 1):
        model = HistGradientBoostingRegressor(
            loss="quantile", quantile=0.8, max_iter=5, random_state=0
        )
        yield Case(
            "ensembles-hgb-regressor-quantile",
            model.fit(with_missing(Xd), yd),
            hist_rows(kit, Xd),
            exact=True,
        )
    model = HistGradientBoostingClassifier(max_iter=6, max_leaf_nodes=5, random_state=0)
    yield Case(
        "ensembles-hgb-binary-nan", model.fit(with_missing(Xb), yb), hist_rows(kit, Xb), exact=True
    )
    model = HistGradientBoostingClassifier(max_iter=5, max_depth=3, random_state=0)
    yield Case(
        "ensembles-hgb-multiclass", model.fit(X, kit.iris_names), hist_rows(kit, X), exact=True
    )

    Xn, yn = many_classes()
    model = HistGradientBoostingClassifier(max_iter=3, max_depth=2, random_state=0)
    yield Case("ensembles-hgb-nine-classes", model.fit(Xn, yn), hist_rows(kit, Xn), exact=True)

    # A categorical column of small integer codes, given by index.
    rng = np.random.RandomState(3)
    Xc = np.column_stack([Xb[:, 0], rng.randint(0, 5, len(Xb)), Xb[:, 1]]).astype(float)
    Xc[::11, 1] = np.nan
    yc = (yb + (Xc[:, 1] == 2)) % 2
    model = HistGradientBoostingClassifier(
        max_iter=6, max_depth=3, categorical_features=[1], random_state=0
    )
    yield hist_categorical_case(kit, "ensembles-hgb-categorical", model, Xc, yc, 1)
    model = HistGradientBoostingRegressor(
        max_iter=6, categorical_features=[False, True, False], random_state=0
    )
    yc = Xc[:, 0] * 3 + np.nan_to_num(Xc[:, 1])
    yield hist_categorical_case(kit, "ensembles-hgb-categorical-regressor", model, Xc, yc, 1)
    y3 = np.digitize(Xc[:, 0] + np.nan_to_num(Xc[:, 1]) / 2, [0, 1.5])
    model = HistGradientBoostingClassifier(
        max_iter=4, categorical_features=[1], random_state=0
    )
    yield hist_categorical_case(kit, "ensembles-hgb-categorical-multiclass", model, Xc, y3, 1)

    # Categories from a pandas category dtype.
    if kit.at_least(1, 4):
        import pandas as pd

        colours = np.array(["red", "green", "blue", "teal"])[rng.randint(0, 4, len(Xb))]
        frame = pd.DataFrame(
            {"size": Xb[:, 0], "colour": pd.Categorical(colours), "weight": Xb[:, 2]}
        )
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
        yield Case("ensembles-hgb-pandas-category", model, rows, exact=True)


def base(kit, estimator):
    """The weak learner, under the keyword this version names it."""
    return {"estimator" if kit.at_least(1, 2) else "base_estimator": estimator}


def adaboost(kit):
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeRegressor

    X, y = kit.iris_X, kit.iris_y
    Xb, yb = kit.binary_X, kit.binary_y
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    refused = [list(np.r_[np.nan, Xb[0, 1:]])]
    has_algorithm = "algorithm" in AdaBoostClassifier().get_params()
    algorithms = ["SAMME"] + (["SAMME.R"] if not kit.at_least(1, 6) else [])
    for algorithm in algorithms:
        tag = algorithm.lower().replace(".", "")
        chosen = {"algorithm": algorithm} if has_algorithm else {}
        model = AdaBoostClassifier(n_estimators=6, random_state=0, **chosen)
        yield Case(
            f"ensembles-adaboost-binary-{tag}",
            model.fit(Xb, yb),
            kit.awkward(Xb, huge=False),
            refused=refused,
            exact=True,
        )
        model = AdaBoostClassifier(
            n_estimators=5,
            learning_rate=0.7,
            **chosen,
            random_state=0,
            **base(kit, DecisionTreeClassifier(max_depth=2)),
        )
        yield Case(
            f"ensembles-adaboost-multiclass-{tag}",
            model.fit(X, kit.iris_names),
            kit.awkward(X, huge=False),
            exact=True,
        )
    for loss in ["linear", "square", "exponential"]:
        model = AdaBoostRegressor(
            n_estimators=7,
            loss=loss,
            random_state=0,
            **base(kit, DecisionTreeRegressor(max_depth=3)),
        )
        yield Case(
            f"ensembles-adaboost-regressor-{loss}",
            model.fit(Xd, yd),
            kit.awkward(Xd, huge=False),
            refused=[list(np.r_[np.nan, Xd[0, 1:]])],
            exact=True,
        )
    model = AdaBoostRegressor(
        n_estimators=5, random_state=1, **base(kit, ExtraTreeRegressor(max_depth=4))
    )
    yield Case(
        "ensembles-adaboost-regressor-extra", model.fit(Xd, yd), kit.awkward(Xd, huge=False),
        exact=True,
    )


def bagging_rows(kit, model, X):
    """A bagging ensemble refuses NaN only in the columns its trees take, so each NaN
    row is recorded where scikit-learn puts it: answered or refused."""
    rows = kit.awkward(X, huge=False)
    bad = np.array(X[:4], dtype=float)
    bad[0, 0] = np.nan
    bad[1, 1] = np.nan
    bad[2, :] = np.nan
    bad[3, -1] = np.nan
    answered, refused = [], []
    for row in bad:
        try:
            model.predict(row[np.newaxis, :])
            answered.append(row)
        except ValueError:
            refused.append(list(row))
    return np.vstack([rows] + answered), refused


def bagging(kit):
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeRegressor

    X = kit.iris_X
    Xb, yb = kit.binary_X, kit.binary_y
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    for params, tag in [
        (dict(n_estimators=5), "default"),
        (dict(n_estimators=4, max_features=0.6, max_samples=0.7), "features"),
        (dict(n_estimators=4, max_features=3, bootstrap_features=True), "bootstrap-features"),
    ]:
        model = BaggingClassifier(
            random_state=0, **params, **base(kit, DecisionTreeClassifier(max_depth=5))
        ).fit(Xb, yb)
        rows, refused = bagging_rows(kit, model, Xb)
        yield Case(f"ensembles-bagging-classifier-{tag}", model, rows, refused=refused, exact=True)
        model = BaggingRegressor(
            random_state=0, **params, **base(kit, DecisionTreeRegressor(max_depth=4))
        ).fit(Xd, yd)
        rows, refused = bagging_rows(kit, model, Xd)
        yield Case(f"ensembles-bagging-regressor-{tag}", model, rows, refused=refused, exact=True)
    # Small samples: some trees miss a class.
    model = BaggingClassifier(
        n_estimators=6, max_samples=12, random_state=2,
        **base(kit, DecisionTreeClassifier(max_depth=3)),
    ).fit(X, kit.iris_names)
    yield Case(
        "ensembles-bagging-classifier-missing-classes", model, kit.awkward(X, huge=False),
        exact=True,
    )
    model = BaggingRegressor(
        n_estimators=3, max_features=0.5, random_state=1,
        **base(kit, ExtraTreeRegressor(max_depth=5)),
    ).fit(Xd, yd)
    rows, refused = bagging_rows(kit, model, Xd)
    yield Case("ensembles-bagging-regressor-extra", model, rows, refused=refused, exact=True)


def cases(kit):
    yield from adaboost(kit)
    yield from bagging(kit)
    yield from hist_boosting(kit)
    yield from forests(kit)
    yield from boosting(kit)
    yield from isolation(kit)
