"""Nearest neighbors: k-neighbors and radius-neighbors classifiers and regressors, and
nearest centroids, with every search algorithm (brute force, KD tree, ball tree).

Besides iris and diabetes, a small integer grid with duplicated points puts many
training points at exactly equal distances from the rows asked about, so that which
of the tied points a search keeps (scikit-learn's heap and tree order) decides the
answer."""

import numpy as np
from generate import Case
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import (
    BallTree,
    KNeighborsClassifier,
    KNeighborsRegressor,
    NearestCentroid,
    RadiusNeighborsClassifier,
    RadiusNeighborsRegressor,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ALGORITHMS = ("brute", "kd_tree", "ball_tree")


def grid(kit):
    """Integer points on a 4x4 grid, each listed twice or three times with different
    labels, and rows on grid points, between them and beyond."""
    points = np.array([[x, y] for x in range(4) for y in range(4)], dtype=float)
    X = np.vstack([points, points[::2], points[::3]])
    labels = (np.arange(len(X)) * 7) % 3
    targets = (np.arange(len(X)) * 13 % 11).astype(float)
    rows = np.array(
        [[x / 2, y / 2] for x in range(-1, 8) for y in range(-1, 8)], dtype=float
    )
    return X, labels, targets, rows


def nan_rows(X):
    """Rows with a missing value, which every neighbors estimator refuses."""
    rows = [list(X[0]), list(X[1])]
    rows[0][0] = np.nan
    rows[1][-1] = np.nan
    return rows


def split_huge(model, rows):
    """Rows without the row of 1e300s, and that row among the refused ones when
    scikit-learn refuses it: with 'distance' weights a tree search finds every point
    infinitely far, which leaves a classifier no weight at all."""
    huge = np.full((1, rows.shape[1]), 1e300)
    kept = np.array([row for row in rows if not (row == 1e300).all()])
    try:
        model.predict(huge)
    except ValueError:
        return kept, [list(huge[0])]
    return np.vstack([kept, huge]), []


def cases(kit):
    X, y, names = kit.iris_X, kit.iris_y, kit.iris_names
    rows = kit.awkward(X)
    # Training rows themselves: distance zero, the 'distance' weights' special rule.
    rows = np.vstack([rows, X[[10, 60, 101, 142]]])
    Xg, yg, tg, grid_rows = grid(kit)

    for algorithm in ALGORITHMS:
        short = algorithm.replace("_", "")
        yield Case(
            f"neighbors-kclassifier-{short}",
            KNeighborsClassifier(n_neighbors=5, algorithm=algorithm).fit(X, y),
            rows,
            refused=nan_rows(X),
        )
        model = KNeighborsClassifier(n_neighbors=7, weights="distance", algorithm=algorithm)
        model.fit(X, names)
        kept, refused = split_huge(model, rows)
        yield Case(f"neighbors-kclassifier-distance-{short}", model, kept, refused=refused)
        for k in (1, 3, 4, 6):
            yield Case(
                f"neighbors-kclassifier-ties-k{k}-{short}",
                KNeighborsClassifier(n_neighbors=k, algorithm=algorithm, leaf_size=3).fit(
                    Xg, yg
                ),
                grid_rows,
            )
        yield Case(
            f"neighbors-kregressor-ties-{short}",
            KNeighborsRegressor(n_neighbors=4, algorithm=algorithm, leaf_size=2).fit(Xg, tg),
            grid_rows,
        )
        for metric, params in (
            ("manhattan", {}),
            ("chebyshev", {}),
            ("minkowski", {"p": 3}),
            ("minkowski", {"p": 1.5}),
        ):
            label = metric if metric != "minkowski" else f"p{params['p']}".replace(".", "_")
            yield Case(
                f"neighbors-kclassifier-{label}-{short}",
                KNeighborsClassifier(
                    n_neighbors=4, algorithm=algorithm, metric=metric, leaf_size=5, **params
                ).fit(X, y),
                rows,
            )
            yield Case(
                f"neighbors-kclassifier-ties-{label}-{short}",
                KNeighborsClassifier(
                    n_neighbors=3, algorithm=algorithm, metric=metric, leaf_size=2, **params
                ).fit(Xg, yg),
                grid_rows,
            )
            yield Case(
                f"neighbors-kregressor-{label}-{short}",
                KNeighborsRegressor(
                    n_neighbors=5,
                    weights="distance",
                    algorithm=algorithm,
                    metric=metric,
                    **params,
                ).fit(kit.diabetes_X, kit.diabetes_y),
                kit.awkward(kit.diabetes_X),
            )
        yield Case(
            f"neighbors-kregressor-{short}",
            KNeighborsRegressor(n_neighbors=5, algorithm=algorithm).fit(
                kit.diabetes_X, kit.diabetes_y
            ),
            kit.awkward(kit.diabetes_X),
        )
        yield Case(
            f"neighbors-kregressor-distance-multioutput-{short}",
            KNeighborsRegressor(n_neighbors=6, weights="distance", algorithm=algorithm).fit(
                kit.diabetes_X, np.c_[kit.diabetes_y, kit.diabetes_X[:, 0] * 100]
            ),
            np.vstack([kit.awkward(kit.diabetes_X), kit.diabetes_X[[3, 40]]]),
        )
        yield Case(
            f"neighbors-kclassifier-multioutput-{short}",
            KNeighborsClassifier(n_neighbors=5, algorithm=algorithm).fit(X, np.c_[y, y % 2]),
            rows,
        )
        if algorithm != "kd_tree":
            weights = np.array([1.0, 0.5, 2.0, 0.25])
            yield Case(
                f"neighbors-kclassifier-weighted-minkowski-{short}",
                KNeighborsClassifier(
                    n_neighbors=5,
                    algorithm=algorithm,
                    metric="minkowski",
                    p=3,
                    metric_params={"w": weights},
                ).fit(X, y),
                rows,
            )

        # Radius neighbors.
        far = [[30.0, 30.0, 30.0, 30.0]]
        yield Case(
            f"neighbors-rclassifier-{short}",
            RadiusNeighborsClassifier(radius=1.0, algorithm=algorithm).fit(X, y),
            X[:6],
            refused=far + [list(-X[0]), [0.0, 0.0, 0.0, 0.0]],
        )
        yield Case(
            f"neighbors-rclassifier-outliers-{short}",
            RadiusNeighborsClassifier(
                radius=0.8, weights="distance", algorithm=algorithm, outlier_label="most_frequent"
            ).fit(X, names),
            rows,
        )
        yield Case(
            f"neighbors-rclassifier-outlier-label-{short}",
            RadiusNeighborsClassifier(radius=1.2, algorithm=algorithm, outlier_label=2).fit(X, y),
            rows,
        )
        yield Case(
            f"neighbors-rclassifier-ties-{short}",
            RadiusNeighborsClassifier(
                radius=1.0, algorithm=algorithm, outlier_label=0, leaf_size=2
            ).fit(Xg, yg),
            grid_rows,
        )
        yield Case(
            f"neighbors-rregressor-{short}",
            RadiusNeighborsRegressor(radius=0.08, algorithm=algorithm).fit(
                kit.diabetes_X, kit.diabetes_y
            ),
            kit.awkward(kit.diabetes_X),
        )
        yield Case(
            f"neighbors-rregressor-distance-ties-{short}",
            RadiusNeighborsRegressor(
                radius=1.5, weights="distance", algorithm=algorithm, leaf_size=2
            ).fit(Xg, np.c_[tg, -tg]),
            grid_rows,
        )
        yield Case(
            f"neighbors-rregressor-manhattan-{short}",
            RadiusNeighborsRegressor(radius=2.0, metric="manhattan", algorithm=algorithm).fit(
                Xg, tg
            ),
            grid_rows,
        )

    # Radius classifiers that scikit-learn 1.4 and later answer with its class-mode
    # reduction (uniform weights, brute force, not euclidean), which matches the
    # outlier_label parameter against class positions rather than labels.
    yield Case(
        "neighbors-rclassifier-classmode-positions",
        RadiusNeighborsClassifier(
            radius=1.0, metric="manhattan", algorithm="brute", outlier_label=2
        ).fit(X, y + 1),
        rows,
    )
    if not kit.at_least(1, 3) or kit.at_least(1, 8):
        # From 1.3 (k-neighbors) and 1.4 (radius) to 1.7, the class-mode reductions cast
        # classes_ to integers, so scikit-learn cannot predict string labels this way.
        yield Case(
            "neighbors-rclassifier-classmode-strings",
            RadiusNeighborsClassifier(
                radius=0.9, metric="chebyshev", algorithm="brute", outlier_label="most_frequent"
            ).fit(X, names),
            rows,
        )
        yield Case(
            "neighbors-kclassifier-classmode-strings",
            KNeighborsClassifier(n_neighbors=3, metric="manhattan", algorithm="brute").fit(
                X, names
            ),
            rows,
        )
    # 'l2' is euclidean computed exactly, not by the expanded form.
    yield Case(
        "neighbors-kclassifier-l2-brute",
        KNeighborsClassifier(n_neighbors=4, metric="l2", algorithm="brute", weights="distance").fit(
            X, y
        ),
        rows,
    )
    # More training rows than one chunk of scikit-learn's brute-force reductions (256).
    wide_X = kit.rng.uniform(-3, 3, size=(600, 3))
    wide_y = wide_X @ np.array([1.0, -2.0, 0.5]) + kit.rng.normal(size=600)
    for algorithm in ALGORITHMS:
        yield Case(
            f"neighbors-kregressor-chunks-{algorithm.replace('_', '')}",
            KNeighborsRegressor(n_neighbors=5, weights="distance", algorithm=algorithm).fit(
                wide_X, wide_y
            ),
            np.vstack([kit.awkward(wide_X), wide_X[[5, 300, 599]]]),
        )

    # Metrics with parameters of their own, and the sphere.
    variances = X.var(axis=0)
    inverse = np.linalg.inv(np.cov(X.T))
    radians = np.c_[X[:, 0] / 8 - 0.5, X[:, 1] / 4]
    for algorithm in ("brute", "ball_tree"):
        short = algorithm.replace("_", "")
        yield Case(
            f"neighbors-kclassifier-seuclidean-{short}",
            KNeighborsClassifier(
                n_neighbors=5,
                metric="seuclidean",
                metric_params={"V": variances},
                algorithm=algorithm,
                leaf_size=4,
            ).fit(X, y),
            rows,
        )
        yield Case(
            f"neighbors-kclassifier-ties-seuclidean-{short}",
            KNeighborsClassifier(
                n_neighbors=3,
                metric="seuclidean",
                metric_params={"V": np.array([1.0, 4.0])},
                algorithm=algorithm,
                leaf_size=2,
            ).fit(Xg, yg),
            grid_rows,
        )
        yield Case(
            f"neighbors-kregressor-haversine-{short}",
            KNeighborsRegressor(
                n_neighbors=4, metric="haversine", weights="distance", algorithm=algorithm
            ).fit(radians, kit.diabetes_y[:150]),
            np.vstack([radians[:8], [[0.0, 0.0], [-1.0, 3.0]]]),
        )
        yield Case(
            f"neighbors-rclassifier-haversine-{short}",
            RadiusNeighborsClassifier(
                radius=0.05, metric="haversine", algorithm=algorithm, outlier_label=1, leaf_size=5
            ).fit(radians, y),
            np.vstack([radians[:8], [[0.0, 0.0], [-1.0, 3.0]]]),
        )
    yield Case(
        "neighbors-kclassifier-mahalanobis-balltree",
        KNeighborsClassifier(
            n_neighbors=5,
            metric="mahalanobis",
            metric_params={"VI": inverse},
            algorithm="ball_tree",
            leaf_size=6,
        ).fit(X, y),
        rows,
    )
    yield Case(
        "neighbors-rregressor-mahalanobis-balltree",
        RadiusNeighborsRegressor(
            radius=1.5, metric="mahalanobis", metric_params={"V": np.cov(X.T)}, algorithm="ball_tree"
        ).fit(X, X[:, 3]),
        rows,
    )

    yield from more_metrics(kit)
    yield from matrix_metrics(kit)
    yield from undefined_distances()
    yield from list_metric_params(kit)

    # As users fit them: scaled features, and a search over k and the weights.
    yield Case(
        "neighbors-pipeline-scaler-kclassifier",
        make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7)).fit(X, names),
        kit.awkward(X, huge=False),
        refused=nan_rows(X),
    )
    yield Case(
        "neighbors-grid-search-kregressor",
        GridSearchCV(
            KNeighborsRegressor(),
            {"n_neighbors": [3, 8], "weights": ["uniform", "distance"]},
            cv=3,
        ).fit(kit.diabetes_X, kit.diabetes_y),
        kit.awkward(kit.diabetes_X),
    )

    # Nearest centroids.
    for metric in ("euclidean", "manhattan"):
        yield Case(
            f"neighbors-centroid-{metric}",
            NearestCentroid(metric=metric).fit(X, names),
            kit.awkward(X),
            refused=nan_rows(X),
        )
        yield Case(
            f"neighbors-centroid-shrunk-{metric}",
            NearestCentroid(metric=metric, shrink_threshold=0.3).fit(X, y),
            kit.awkward(X),
        )
    yield Case(
        "neighbors-centroid-ties", NearestCentroid().fit(Xg, yg), grid_rows
    )
    if kit.at_least(1, 6):
        yield Case(
            "neighbors-centroid-empirical-priors",
            NearestCentroid(priors="empirical").fit(X[20:], y[20:]),
            kit.awkward(X, huge=False),
        )
        yield Case(
            "neighbors-centroid-binary",
            NearestCentroid().fit(kit.binary_X, kit.binary_y),
            kit.awkward(kit.binary_X, huge=False),
        )


# Boolean metrics; kulsinski and matching only where scipy and scikit-learn still have them.
BOOLEAN_METRICS = (
    "jaccard",
    "dice",
    "kulsinski",
    "matching",
    "rogerstanimoto",
    "russellrao",
    "sokalmichener",
    "sokalsneath",
    "yule",
)


def boolean_data():
    """Rows of six 0/1 features, many repeated with different labels, none all zero (dice
    and sokal-sneath divide by zero between two all-zero rows); the rows asked about
    include every training pattern and a few new ones, and non-binary rows, which the
    metrics read as booleans."""
    patterns = np.array(
        [
            [1, 0, 0, 0, 0, 0],
            [1, 1, 0, 0, 0, 0],
            [0, 1, 1, 0, 1, 0],
            [1, 1, 1, 1, 0, 0],
            [0, 0, 0, 1, 1, 1],
            [1, 0, 1, 0, 1, 0],
            [0, 1, 0, 1, 0, 1],
            [1, 1, 1, 1, 1, 1],
        ],
        dtype=float,
    )
    X = np.vstack([patterns, patterns[::2], patterns[1::3], patterns[:3]])
    labels = (np.arange(len(X)) * 5) % 3
    targets = (np.arange(len(X)) * 7 % 10).astype(float)
    rows = np.vstack(
        [
            patterns,
            [[0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [1, 1, 0, 1, 1, 0], [0, 1, 1, 1, 1, 1]],
            [[2, 0, -1, 0, 0.5, 0], [0, 3, 0, 0, 0, 7]],
        ]
    )
    return X, labels, targets, rows


def correlation_data():
    """Rows of four features whose correlations tie: patterns, their doubles (exactly the
    same correlations), their shifts and triples (the same up to rounding, near-ties),
    and rows asked about that include a constant row (distance NaN to every row)."""
    patterns = np.array(
        [
            [1, 2, 3, 4],
            [4, 3, 2, 1],
            [1, 3, 2, 4],
            [2, 1, 4, 3],
            [0, 0, 1, 5],
            [3, 0, 0, 3],
        ],
        dtype=float,
    )
    X = np.vstack([patterns, patterns * 2, patterns[::2] + 0.1, patterns[1::2] * 3])
    labels = (np.arange(len(X)) * 5) % 3
    targets = (np.arange(len(X)) * 7 % 10).astype(float)
    rows = np.vstack(
        [
            patterns,
            patterns[:3] + 1.7,
            [[1, 2, 3, 5], [0.5, -1, 2, 0], [7, 7, 7, 7], [1e3, 1e-3, 1e3, -1e3]],
        ]
    )
    return X, labels, targets, rows


def metric_models(kit, metric, algorithm, X, labels, targets, radius, **extra):
    """The four neighbors estimators, both weights, on one metric and algorithm."""
    yield "kclassifier", KNeighborsClassifier(
        n_neighbors=3, metric=metric, algorithm=algorithm, leaf_size=2, **extra
    ).fit(X, labels)
    yield "kclassifier-distance", KNeighborsClassifier(
        n_neighbors=4, metric=metric, algorithm=algorithm, weights="distance", leaf_size=3,
        **extra,
    ).fit(X, labels)
    yield "kregressor-distance", KNeighborsRegressor(
        n_neighbors=5, metric=metric, algorithm=algorithm, weights="distance", leaf_size=2,
        **extra,
    ).fit(X, np.c_[targets, -targets])
    yield "kregressor", KNeighborsRegressor(
        n_neighbors=2, metric=metric, algorithm=algorithm, **extra
    ).fit(X, targets)
    yield "rclassifier", RadiusNeighborsClassifier(
        radius=radius, metric=metric, algorithm=algorithm, outlier_label=int(labels[0]),
        leaf_size=2, **extra,
    ).fit(X, labels)
    yield "rclassifier-distance", RadiusNeighborsClassifier(
        radius=radius, metric=metric, algorithm=algorithm, weights="distance",
        outlier_label="most_frequent", **extra,
    ).fit(X, labels)
    yield "rregressor-distance", RadiusNeighborsRegressor(
        radius=radius, metric=metric, algorithm=algorithm, weights="distance", leaf_size=3,
        **extra,
    ).fit(X, targets)


def more_metrics(kit):
    """The metrics beyond the Minkowski family, with ties: integer points on the grid for
    the real-valued ones, repeated boolean rows for the boolean ones. Radii sit exactly
    on distances that occur, so membership at the boundary is tested too."""
    Xg, yg, tg, grid_rows = grid(kit)
    Xb, yb, tb, boolean_rows = boolean_data()
    shifted = Xg + 1.0
    shifted_rows = np.vstack([grid_rows + 1.0, [[-1.0, 2.0], [0.0, 0.0]]])
    ball = BallTree.valid_metrics
    ball = ball() if callable(ball) else ball
    from sklearn.neighbors._base import VALID_METRICS

    real = (
        ("hamming", Xg, yg, tg, grid_rows, 0.5),
        ("canberra", shifted, yg, tg, shifted_rows, 0.5),
        ("braycurtis", shifted, yg, tg, shifted_rows, 0.2),
        ("sqeuclidean", Xg, yg, tg, grid_rows, 2.0),
    )
    booleans = tuple(
        (metric, Xb, yb, tb, boolean_rows, 0.5)
        for metric in BOOLEAN_METRICS
        if metric in VALID_METRICS["brute"] or metric in ball
    )
    for metric, X, labels, targets, rows, radius in real + booleans:
        for algorithm in ("brute", "ball_tree"):
            if algorithm == "ball_tree" and metric not in ball:
                continue
            if algorithm == "brute" and metric not in VALID_METRICS["brute"]:
                continue
            for kind, model in metric_models(kit, metric, algorithm, X, labels, targets, radius):
                short = algorithm.replace("_", "")
                yield Case(f"neighbors-metric-{metric}-{kind}-{short}", model, rows)

    # Rows of distances to the training rows: the grid's own manhattan distances.
    train = np.abs(Xg[:, None, :] - Xg[None, :, :]).sum(axis=2)
    asked = np.abs(grid_rows[:, None, :] - Xg[None, :, :]).sum(axis=2)
    negative = asked[:1].copy()
    negative[0, 3] = -1.0
    for kind, model in metric_models(kit, "precomputed", "brute", train, yg, tg, 1.0):
        yield Case(
            f"neighbors-metric-precomputed-{kind}", model, asked, refused=negative.tolist()
        )

    # Many equal distances and k past introselect's first steps: which of the equal rows
    # argpartition keeps decides the answer.
    for metric, X, labels, targets, rows in (
        ("hamming", Xg, yg, tg, grid_rows),
        ("jaccard", Xb, yb, tb, boolean_rows),
    ):
        yield Case(
            f"neighbors-metric-{metric}-kclassifier-ties-brute",
            KNeighborsClassifier(n_neighbors=9, metric=metric, algorithm="brute").fit(X, labels),
            rows,
        )
        yield Case(
            f"neighbors-metric-{metric}-kregressor-ties-brute",
            KNeighborsRegressor(
                n_neighbors=7, metric=metric, algorithm="brute", weights="distance"
            ).fit(X, targets),
            rows,
        )

    # Correlation, which brute force hands to scipy: ties and near-ties between shifted and
    # scaled copies, and the boundary of a radius at zero correlation.
    Xc, yc, tc, correlation_rows = correlation_data()
    for kind, model in metric_models(kit, "correlation", "brute", Xc, yc, tc, 1.0):
        yield Case(f"neighbors-metric-correlation-{kind}-brute", model, correlation_rows)
    yield Case(
        "neighbors-metric-correlation-kclassifier-ties-brute",
        KNeighborsClassifier(n_neighbors=7, metric="correlation", algorithm="brute").fit(Xc, yc),
        correlation_rows,
    )

    # Shifted and scaled copies of a few patterns, asked about with more copies: every
    # copy of a pattern is at a correlation distance of zero up to rounding, so which
    # copy is nearest, and how much it weighs, is decided by the rounding of each step.
    rng = np.random.RandomState(3)
    patterns = rng.randn(12, 6)

    def copies(count):
        which = rng.randint(0, len(patterns), count)
        scale = rng.uniform(0.1, 10, (count, 1))
        shift = rng.uniform(-5, 5, (count, 1))
        return patterns[which] * scale + shift

    train, asked = copies(240), copies(150)
    labels = rng.randint(0, 4, len(train))
    yield Case(
        "neighbors-metric-correlation-kclassifier-near-ties-brute",
        KNeighborsClassifier(n_neighbors=1, metric="correlation", algorithm="brute").fit(
            train, labels
        ),
        asked,
    )
    yield Case(
        "neighbors-metric-correlation-kregressor-near-ties-brute",
        KNeighborsRegressor(
            n_neighbors=3, metric="correlation", algorithm="brute", weights="distance"
        ).fit(train, labels.astype(float)),
        asked,
    )


def separated(distances, radius, nearest=6, gap=1e-9):
    """Whether each row's distances leave no near-tie where the answers are decided: the
    `nearest` smallest, and the one after them, are equal or apart by more than `gap`
    relative, and none lies within `gap` of the radius (NaN, no shared coordinate, aside)."""
    for row in distances:
        finite = np.sort(row[~np.isnan(row)])[: nearest + 1]
        steps = np.diff(finite)
        if np.any((steps > 0) & (steps <= gap * np.maximum(finite[1:], 1e-300))):
            return False
        if np.any(np.abs(row[~np.isnan(row)] - radius) <= gap * radius):
            return False
    return True


def matrix_metrics(kit):
    """cosine, nan_euclidean and brute-force mahalanobis. scikit-learn computes the first
    two with numpy matrix products, whose last bits depend on how many rows are asked
    together and on the processor's BLAS kernel; Augur computes each row alone and agrees
    to about 1e-15 relative. So the data are random and continuous, checked to hold no
    near-ties (neighbors or radius boundaries within 1e-9) that such rounding could
    decide, and the answers compare within the usual tolerance, labels exactly. Training
    rows repeated with other labels and targets put exact ties among the neighbors; rows
    asked about include copies of training rows (distance zero up to rounding)."""
    from sklearn.metrics import pairwise_distances

    rng = np.random.RandomState(11)
    base = rng.uniform(-2, 2, size=(36, 4))
    X = np.vstack([base, base[:6], base[10:13]])
    labels = rng.randint(0, 3, len(X))
    targets = rng.uniform(0, 10, len(X))
    asked = np.vstack([rng.uniform(-2, 2, size=(14, 4)), base[[0, 4, 11, 20]]])
    inverse = np.linalg.inv(np.cov(base.T))

    metrics = (
        ("cosine", {}, 0.15),
        ("mahalanobis", {"VI": inverse}, 1.1),
    )
    for metric, params, radius in metrics:
        distances = pairwise_distances(asked, X, metric=metric, **params)
        assert separated(distances, radius), metric
        extra = {"metric_params": params} if params else {}
        for kind, model in metric_models(
            kit, metric, "brute", X, labels, targets, radius, **extra
        ):
            yield Case(f"neighbors-metric-{metric}-{kind}-brute", model, asked)

    # nan_euclidean: scikit-learn 1.6 and later accept missing values in the rows asked
    # about and in the training rows; earlier versions refuse both.
    missing = kit.at_least(1, 6)
    train = X.copy()
    if missing:
        train[[2, 7, 30], [0, 3, 1]] = np.nan
        train[40, [0, 1]] = np.nan
    rows_nan = asked[:6].copy()
    rows_nan[0, 1] = np.nan
    rows_nan[1, [1, 2]] = np.nan
    rows_nan[2, 3] = np.nan
    rows_nan[3, :3] = np.nan
    # A row sharing no coordinate with any training row.
    rows_nan[4, :] = np.nan
    if missing:
        nan_asked = np.vstack([asked, rows_nan])
        refused = []
    else:
        nan_asked = asked
        refused = [list(rows_nan[0])]
    distances = pairwise_distances(nan_asked, train, metric="nan_euclidean")
    radius = 1.3
    assert separated(distances, radius), "nan_euclidean"
    for kind, model in metric_models(
        kit, "nan_euclidean", "brute", train, labels, targets, radius
    ):
        yield Case(
            f"neighbors-metric-nan_euclidean-{kind}-brute", model, nan_asked, refused=refused
        )


def undefined_distances():
    """dice and sokalsneath between two all-zero rows are 0/0: NaN, which a tree's heap
    keeps (no comparison with it holds), so a distance-weighted answer is NaN."""
    X = np.array(
        [[1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 1, 1], [1, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
        dtype=float,
    )
    targets = np.arange(1, len(X) + 1, dtype=float)
    labels = np.array([0, 1, 0, 1, 1, 0])
    rows = np.array([[0, 0, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1]], dtype=float)
    for metric in ["dice", "sokalsneath"]:
        for k in [3, 6]:
            for weights in ["uniform", "distance"]:
                yield Case(
                    f"neighbors-metric-{metric}-zero-rows-k{k}-{weights}-balltree",
                    KNeighborsRegressor(
                        n_neighbors=k, metric=metric, weights=weights, algorithm="ball_tree"
                    ).fit(X, targets),
                    rows,
                )
        yield Case(
            f"neighbors-metric-{metric}-zero-rows-kclassifier-balltree",
            KNeighborsClassifier(
                n_neighbors=3, metric=metric, weights="distance", algorithm="ball_tree"
            ).fit(X, labels),
            rows,
        )


def list_metric_params(kit):
    """metric_params given as Python lists (a nested list for a matrix), which scikit-learn
    keeps as they are in the fitted model and reads as arrays."""
    X, y = kit.iris_X[::3, :3], kit.iris_y[::3]
    rows = kit.iris_X[1::7, :3]
    VI = np.linalg.inv(np.cov(X.T))
    models = {
        "minkowski-w": dict(metric="minkowski", p=3, metric_params={"w": [1.0, 2, 0.5]}),
        "seuclidean-v": dict(metric="seuclidean", metric_params={"V": [0.5, 2.0, 1.5]}),
        "mahalanobis-vi": dict(metric="mahalanobis", metric_params={"VI": VI.tolist()}),
    }
    for name, params in models.items():
        # A ball tree cannot be built with VI as a list (DistanceMetric wants an array).
        algorithms = ["brute"] if name == "mahalanobis-vi" else ["brute", "ball_tree"]
        for algorithm in algorithms:
            model = KNeighborsClassifier(n_neighbors=5, algorithm=algorithm, **params)
            yield Case(
                f"neighbors-metric-params-list-{name}-{algorithm.replace('_', '')}",
                model.fit(X, y),
                rows,
            )
