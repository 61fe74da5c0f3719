"""Numeric preprocessing, feature selection and decomposition: steps that `transform`."""

import numpy as np
from generate import Case
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_selection import (
    RFE,
    RFECV,
    GenericUnivariateSelect,
    SelectFdr,
    SelectFpr,
    SelectFromModel,
    SelectFwe,
    SelectKBest,
    SelectPercentile,
    VarianceThreshold,
    f_classif,
    f_regression,
)
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.tree import DecisionTreeRegressor
from sklearn.preprocessing import (
    Binarizer,
    FunctionTransformer,
    KBinsDiscretizer,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    PolynomialFeatures,
    PowerTransformer,
    QuantileTransformer,
    RobustScaler,
    SplineTransformer,
    StandardScaler,
)

NAN = float("nan")


def with_nan_rows(rows):
    """The rows, then one with a NaN in the first column and one all NaN."""
    rows = np.asarray(rows, dtype=float)
    first = rows[0].copy()
    first[0] = NAN
    return np.vstack([rows, first, np.full(rows.shape[1], NAN)])


def nan_row(width):
    row = [1.0] * width
    row[0] = NAN
    return row


def holey(X, rng, fraction=0.15):
    """X with about `fraction` of its cells missing (never a whole column)."""
    X = np.array(X, dtype=float)
    mask = rng.rand(*X.shape) < fraction
    mask[0] = False
    X[mask] = NAN
    return X


def cases(kit):
    yield from scalers(kit)
    yield from shapers(kit)
    yield from imputers(kit)
    yield from selectors(kit)
    yield from decompositions(kit)
    yield from distributions(kit)
    yield from splines(kit)
    yield from pipelines(kit)


def scalers(kit):
    X = kit.diabetes_X
    rows = with_nan_rows(kit.awkward(X))
    for name, scaler in [
        ("standard", StandardScaler()),
        ("standard-no-mean", StandardScaler(with_mean=False)),
        ("standard-no-std", StandardScaler(with_std=False)),
        ("minmax", MinMaxScaler()),
        ("minmax-range", MinMaxScaler(feature_range=(-2, 3))),
        ("minmax-clip", MinMaxScaler(feature_range=(-1, 1), clip=True)),
        ("maxabs", MaxAbsScaler()),
        ("robust", RobustScaler()),
        ("robust-no-centering", RobustScaler(with_centering=False)),
        ("robust-no-scaling", RobustScaler(with_scaling=False, quantile_range=(10, 90))),
    ]:
        yield Case(f"preprocessing-{name}", scaler.fit(X), rows)
    # A constant column: scale 1, as scikit-learn's _handle_zeros_in_scale makes it.
    constant = np.hstack([X[:, :3], np.full((len(X), 1), 2.5)])
    for name, scaler in [
        ("standard-constant", StandardScaler()),
        ("minmax-constant", MinMaxScaler()),
        ("maxabs-constant", MaxAbsScaler()),
    ]:
        yield Case(f"preprocessing-{name}", scaler.fit(constant), kit.awkward(constant))


def shapers(kit):
    X = kit.diabetes_X[:, :4]
    rows = kit.awkward(X)
    for norm in ["l1", "l2", "max"]:
        yield Case(
            f"preprocessing-normalizer-{norm}",
            Normalizer(norm=norm).fit(X),
            rows,
            refused=[nan_row(4)],
        )
    for threshold in [0.0, 0.02]:
        yield Case(
            f"preprocessing-binarizer-{threshold}",
            Binarizer(threshold=threshold).fit(X),
            kit.awkward(X),
            refused=[nan_row(4)],
        )
    small = kit.iris_X[:, :3]
    for name, options in [
        ("2", dict(degree=2)),
        ("3-interaction", dict(degree=3, interaction_only=True)),
        ("2-no-bias", dict(degree=2, include_bias=False)),
    ]:
        yield Case(
            f"preprocessing-polynomial-{name}",
            PolynomialFeatures(**options).fit(small),
            kit.awkward(small, huge=False),
            refused=[nan_row(3)],
        )
    yield Case(
        "preprocessing-polynomial-range",
        PolynomialFeatures(degree=(2, 3)).fit(small),
        kit.awkward(small, huge=False),
    )
    positive = kit.iris_X
    # Before 1.2 a FunctionTransformer with validate=False kept no n_features_in_: it takes
    # any width, and Augur refuses it standing alone (the any-width cases below serve it
    # inside composites).
    unchecked = [] if not kit.at_least(1, 2) else [
        ("log1p", FunctionTransformer(np.log1p)),
        ("expm1", FunctionTransformer(np.expm1, inverse_func=np.log1p)),
        ("sqrt", FunctionTransformer(np.sqrt)),
        ("abs", FunctionTransformer(np.abs)),
        ("identity", FunctionTransformer()),
    ]
    for name, transformer in unchecked:
        yield Case(
            f"preprocessing-function-{name}",
            transformer.fit(positive),
            with_nan_rows(kit.awkward(positive, huge=False)),
        )
    if not kit.at_least(1, 2):
        yield from any_width_functions(kit, positive)
    yield Case(
        "preprocessing-function-validate",
        FunctionTransformer(np.log, validate=True).fit(positive),
        kit.awkward(positive, huge=False, negative=False),
        refused=[nan_row(4)],
    )


def any_width_functions(kit, positive):
    """FunctionTransformers fitted before 1.2 with validate=False record no width: inside a
    composite the steps beside them, or the columns routed to them, fix it."""
    def log1p():
        return FunctionTransformer(np.log1p)

    def sqrt():
        return FunctionTransformer(np.sqrt)

    for name, model, takes_nan in [
        ("first", make_pipeline(log1p(), StandardScaler()), True),
        (
            "between",
            make_pipeline(StandardScaler(), FunctionTransformer(np.tanh), PCA(n_components=2)),
            False,
        ),
        ("last", make_pipeline(MinMaxScaler(), sqrt()), True),
        ("leading-pair", make_pipeline(sqrt(), FunctionTransformer(), StandardScaler()), True),
        (
            "columns",
            ColumnTransformer([("log", log1p(), [0, 2]), ("scale", StandardScaler(), [1, 3])]),
            True,
        ),
        (
            "column-pipeline",
            ColumnTransformer([("log", make_pipeline(log1p(), sqrt()), [0, 1])]),
            True,
        ),
        ("union", FeatureUnion([("log", log1p()), ("pca", PCA(n_components=2))]), False),
    ]:
        rows = kit.awkward(positive, huge=False)
        yield Case(
            f"preprocessing-function-any-width-{name}",
            model.fit(positive),
            with_nan_rows(rows) if takes_nan else rows,
            refused=[] if takes_nan else [nan_row(4)],
        )


def imputers(kit):
    rng = np.random.RandomState(1)
    X = holey(kit.diabetes_X[:60, :5], rng)
    X[:, 4] = np.round(X[:, 4] * 50)  # repeated values, for most_frequent
    rows = with_nan_rows(kit.awkward(X[:6][~np.isnan(X[:6]).any(axis=1)], count=3))
    rows = np.vstack([rows, X[:8]])
    for strategy in ["mean", "median", "most_frequent"]:
        yield Case(
            f"preprocessing-imputer-{strategy}",
            SimpleImputer(strategy=strategy).fit(X),
            rows,
        )
    yield Case(
        "preprocessing-imputer-constant",
        SimpleImputer(strategy="constant", fill_value=-7.5).fit(X),
        rows,
    )
    yield Case(
        "preprocessing-imputer-indicator",
        SimpleImputer(strategy="median", add_indicator=True).fit(X),
        rows,
    )
    # A column never observed: dropped, as scikit-learn drops it.
    empty = X.copy()
    empty[:, 2] = NAN
    yield Case("preprocessing-imputer-empty-column", SimpleImputer().fit(empty), rows)
    # A number as the missing marker: NaN is then refused.
    marked = np.where(np.isnan(X), -1.0, X)
    yield Case(
        "preprocessing-imputer-marker",
        SimpleImputer(missing_values=-1.0, strategy="mean", add_indicator=True).fit(marked),
        np.where(np.isnan(rows), -1.0, rows),
        refused=[nan_row(5)],
    )
    partial = X.copy()
    partial[:, 1] = kit.diabetes_X[:60, 1]  # column 1 never missing
    yield Case(
        "preprocessing-indicator-missing-only",
        MissingIndicator(error_on_new=False).fit(partial),
        rows,
    )
    yield Case(
        "preprocessing-indicator-error-on-new",
        MissingIndicator().fit(partial),
        np.vstack([rows[:3], partial[:8]]),
        refused=[[0.1, NAN, 0.2, 0.3, 0.4]],
    )
    yield Case(
        "preprocessing-indicator-all",
        MissingIndicator(features="all").fit(partial),
        rows,
    )


def selectors(kit):
    X, y = kit.diabetes_X, kit.diabetes_y
    rows = kit.awkward(X)
    refused = [nan_row(10)]
    spread = X * np.linspace(0.2, 3, X.shape[1])
    yield Case(
        "preprocessing-variance-threshold",
        VarianceThreshold(threshold=0.0025).fit(spread),
        with_nan_rows(kit.awkward(spread)),
    )
    yield Case(
        "preprocessing-select-k-best",
        SelectKBest(f_regression, k=4).fit(X, y),
        rows,
        refused=refused,
    )
    yield Case(
        "preprocessing-select-percentile",
        SelectPercentile(f_classif, percentile=30).fit(kit.iris_X, kit.iris_y),
        kit.awkward(kit.iris_X),
        refused=[nan_row(4)],
    )
    for name, selector in [
        ("select-fpr", SelectFpr(f_regression, alpha=0.2)),
        ("select-fdr", SelectFdr(f_regression, alpha=1e-4)),
        ("select-fwe", SelectFwe(f_regression, alpha=1e-4)),
        ("generic-k-best", GenericUnivariateSelect(f_regression, mode="k_best", param=3)),
        ("generic-fdr", GenericUnivariateSelect(f_regression, mode="fdr", param=0.05)),
        ("generic-percentile", GenericUnivariateSelect(f_regression, param=25)),
    ]:
        yield Case(f"preprocessing-{name}", selector.fit(X, y), rows, refused=refused)
    # Repeated columns tie on their scores: ties go as scikit-learn breaks them.
    twins = np.hstack([kit.iris_X, kit.iris_X[:, 2:], kit.iris_X[:, :1]])
    for name, selector in [
        ("select-k-best-ties", SelectKBest(f_classif, k=3)),
        ("select-percentile-ties", SelectPercentile(f_classif, percentile=40)),
        ("select-percentile-ties-low", SelectPercentile(f_classif, percentile=10)),
    ]:
        yield Case(
            f"preprocessing-{name}",
            selector.fit(twins, kit.iris_y),
            kit.awkward(twins),
        )
    yield Case(
        "preprocessing-select-from-model-lasso",
        SelectFromModel(Lasso(alpha=0.5)).fit(X, y),
        rows,
        refused=refused,
    )
    yield Case(
        "preprocessing-select-from-model-median",
        SelectFromModel(LinearRegression(), threshold="median").fit(X, y),
        rows,
        refused=refused,
    )
    yield Case(
        "preprocessing-select-from-model-max-features",
        SelectFromModel(
            LogisticRegression(max_iter=1000), threshold=-np.inf, max_features=2
        ).fit(kit.iris_X, kit.iris_y),
        kit.awkward(kit.iris_X),
    )
    yield Case(
        "preprocessing-select-from-model-scaled-mean",
        SelectFromModel(LogisticRegression(max_iter=1000), threshold="0.5*mean").fit(
            kit.iris_X, kit.iris_y
        ),
        kit.awkward(kit.iris_X),
    )
    yield Case(
        "preprocessing-select-from-model-forest",
        SelectFromModel(RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0)).fit(
            kit.iris_X, kit.iris_y
        ),
        kit.awkward(kit.iris_X, huge=False),
    )
    yield Case(
        "preprocessing-select-from-model-tree",
        SelectFromModel(
            DecisionTreeRegressor(max_depth=4, random_state=0), threshold="1.5*median"
        ).fit(X, y),
        rows,
    )
    yield Case(
        "preprocessing-rfe-regression",
        RFE(LinearRegression(), n_features_to_select=4).fit(X, y),
        rows,
        refused=refused,
    )
    yield Case(
        "preprocessing-rfe-classifier",
        RFE(LogisticRegression(max_iter=1000), n_features_to_select=2).fit(
            kit.iris_X, kit.iris_names
        ),
        kit.awkward(kit.iris_X),
        refused=[nan_row(4)],
    )
    yield Case(
        "preprocessing-rfecv",
        RFECV(LogisticRegression(max_iter=1000), cv=3).fit(kit.binary_X, kit.binary_y),
        kit.awkward(kit.binary_X),
        refused=[nan_row(5)],
    )


def decompositions(kit):
    X = kit.diabetes_X
    rows = kit.awkward(X, huge=False)
    refused = [nan_row(10)]
    for name, pca in [
        ("pca", PCA(n_components=3)),
        ("pca-whiten", PCA(n_components=4, whiten=True)),
        ("pca-full", PCA(svd_solver="full")),
    ]:
        yield Case(f"preprocessing-{name}", pca.fit(X), rows, refused=refused)
    yield Case(
        "preprocessing-truncated-svd",
        TruncatedSVD(n_components=3, random_state=0).fit(X),
        rows,
        refused=refused,
    )


def distributions(kit):
    X = kit.diabetes_X[:, :4]
    rows = with_nan_rows(kit.awkward(X, huge=False))
    yield Case("preprocessing-power-yeo-johnson", PowerTransformer().fit(X), rows)
    yield Case(
        "preprocessing-power-yeo-johnson-raw",
        PowerTransformer(standardize=False).fit(X),
        rows,
    )
    positive = kit.iris_X
    yield Case(
        "preprocessing-power-box-cox",
        PowerTransformer(method="box-cox").fit(positive),
        with_nan_rows(kit.awkward(positive, huge=False, negative=False)[:-1]),
        refused=[[0.0, 1.0, 1.0, 1.0], [-1.0, 1.0, 1.0, 1.0]],
    )
    for name, options in [
        ("uniform", dict(n_quantiles=50)),
        ("normal", dict(n_quantiles=40, output_distribution="normal")),
    ]:
        yield Case(
            f"preprocessing-quantile-{name}",
            QuantileTransformer(**options).fit(X),
            with_nan_rows(np.vstack([kit.awkward(X), X[10:20], X[:, ::-1][:3] * 3])),
        )
    for name, options in [
        ("ordinal-uniform", dict(n_bins=4, encode="ordinal", strategy="uniform")),
        ("ordinal-quantile", dict(n_bins=5, encode="ordinal", strategy="quantile")),
        ("onehot-dense", dict(n_bins=3, encode="onehot-dense", strategy="uniform")),
        ("onehot", dict(n_bins=3, encode="onehot", strategy="quantile")),
    ]:
        if kit.at_least(1, 5) and options["strategy"] == "quantile":
            options["subsample"] = None
        yield Case(
            f"preprocessing-kbins-{name}",
            KBinsDiscretizer(**options).fit(X),
            kit.awkward(X),
            refused=[nan_row(4)],
        )


def splines(kit):
    X = kit.diabetes_X[:, :3]
    inside = np.vstack([X[:6], np.zeros((1, 3)), X.min(axis=0), X.max(axis=0)])
    outside = np.vstack([inside, -X[:2] * 3, X[:2] * 4, np.full((1, 3), -1e300)])
    for name, options in [
        ("constant", dict(n_knots=4, degree=3, extrapolation="constant")),
        ("linear", dict(n_knots=5, degree=2, extrapolation="linear")),
        ("linear-degree-1", dict(n_knots=4, degree=1, extrapolation="linear")),
        ("continue", dict(n_knots=4, degree=3, extrapolation="continue")),
        ("periodic", dict(n_knots=5, degree=3, extrapolation="periodic")),
        ("quantile-no-bias", dict(knots="quantile", include_bias=False)),
    ]:
        rows = outside if name != "continue" else outside[:-1]
        yield Case(
            f"preprocessing-spline-{name}",
            SplineTransformer(**options).fit(X),
            rows,
            refused=[nan_row(3)],
        )
    yield Case(
        "preprocessing-spline-error",
        SplineTransformer(n_knots=4, extrapolation="error").fit(X),
        inside,
        refused=[[1.0, 0.0, 0.0], nan_row(3)],
    )
    if kit.at_least(1, 2):
        for name in ["constant", "periodic", "linear"]:
            yield Case(
                f"preprocessing-spline-sparse-{name}",
                SplineTransformer(n_knots=4, extrapolation=name, sparse_output=True).fit(X),
                outside,
            )
    if "handle_missing" in SplineTransformer().get_params():
        yield Case(
            "preprocessing-spline-missing-zeros",
            SplineTransformer(n_knots=4, handle_missing="zeros").fit(X),
            with_nan_rows(outside),
        )


def pipelines(kit):
    X, y = kit.diabetes_X, kit.diabetes_y
    iris, names = kit.iris_X, kit.iris_names
    for name, step in [
        ("minmax", MinMaxScaler()),
        ("robust", RobustScaler()),
        ("polynomial", PolynomialFeatures(degree=2)),
        ("pca", PCA(n_components=3, whiten=True)),
        ("select-k-best", SelectKBest(f_classif, k=2)),
        ("normalizer", Normalizer()),
        ("power", PowerTransformer()),
        ("quantile", QuantileTransformer(n_quantiles=30)),
        ("kbins", KBinsDiscretizer(n_bins=3, encode="onehot-dense")),
        ("spline", SplineTransformer(n_knots=4, degree=2)),
        ("maxabs", MaxAbsScaler()),
        ("binarizer", Binarizer(threshold=2.0)),
        ("truncated-svd", TruncatedSVD(n_components=2, random_state=0)),
        ("variance-threshold", VarianceThreshold(threshold=0.5)),
        ("select-from-forest", SelectFromModel(
            RandomForestClassifier(n_estimators=4, max_depth=2, random_state=0))),
        ("function", FunctionTransformer(np.log1p)),
    ]:
        yield Case(
            f"preprocessing-pipeline-{name}",
            make_pipeline(step, LogisticRegression(max_iter=2000)).fit(iris, names),
            kit.awkward(iris, huge=False, negative=name != "function"),
        )
    rng = np.random.RandomState(2)
    holes = holey(X, rng)
    yield Case(
        "preprocessing-pipeline-imputer",
        make_pipeline(
            SimpleImputer(add_indicator=True), StandardScaler(), LinearRegression()
        ).fit(holes, y),
        with_nan_rows(kit.awkward(X, huge=False)),
    )
    yield Case(
        "preprocessing-pipeline-scaler-refuses-nan",
        make_pipeline(StandardScaler(), LinearRegression()).fit(X, y),
        kit.awkward(X, huge=False),
        refused=[nan_row(10)],
    )
    yield Case(
        "preprocessing-pipeline-rfe",
        make_pipeline(
            StandardScaler(), RFE(LinearRegression(), n_features_to_select=3), LinearRegression()
        ).fit(X, y),
        kit.awkward(X, huge=False),
    )
    yield Case(
        "preprocessing-pipeline-ending-rfe",
        make_pipeline(
            StandardScaler(), RFE(LogisticRegression(max_iter=1000), n_features_to_select=2)
        ).fit(iris, names),
        kit.awkward(iris),
        refused=[nan_row(4)],
    )
    yield Case(
        "preprocessing-pipeline-ending-pca",
        make_pipeline(StandardScaler(), PCA(n_components=4, whiten=True)).fit(X),
        kit.awkward(X, huge=False),
        refused=[nan_row(10)],
    )
    yield Case(
        "preprocessing-pipeline-select-from-model",
        make_pipeline(
            SelectFromModel(Lasso(alpha=0.5)), VarianceThreshold(), LinearRegression()
        ).fit(X, y),
        kit.awkward(X, huge=False),
    )
