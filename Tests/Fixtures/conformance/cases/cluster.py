"""Clustering: KMeans, MiniBatchKMeans and BisectingKMeans, whose predict gives the
nearest center (for BisectingKMeans, the leaf its tree of bisections leads to) and whose
transform gives the distance to each center.

Besides the awkward rows, each case asks about the centers themselves (a distance of zero
that cancellation would turn into noise) and the midpoint of the first two centers (a tie,
which goes to the lower index)."""

import numpy as np
from generate import Case
from sklearn.cluster import BisectingKMeans, KMeans, MiniBatchKMeans
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

NAN = float("nan")


def nan_row(width):
    row = [1.0] * width
    row[0] = NAN
    return row


def with_centers(rows, centers):
    """The rows, then every center and the midpoint of the first two centers."""
    centers = np.asarray(centers)
    midpoint = (centers[0] + centers[1]) / 2
    return np.vstack([np.asarray(rows, dtype=centers.dtype), centers, midpoint[None, :]])


def cases(kit):
    yield from kmeans(kit)
    yield from minibatch(kit)
    yield from bisecting(kit)
    yield from single_rows(kit)
    yield from shapes(kit)


def kmeans(kit):
    iris, diabetes, binary = kit.iris_X, kit.diabetes_X[:, :6], kit.binary_X
    for name, model, X in [
        ("kmeans-iris-3", KMeans(n_clusters=3, n_init=3, random_state=0), iris),
        (
            "kmeans-iris-random-6",
            KMeans(n_clusters=6, init="random", n_init=2, random_state=1),
            iris,
        ),
        (
            "kmeans-diabetes-elkan-5",
            KMeans(n_clusters=5, algorithm="elkan", n_init=2, random_state=0),
            diabetes,
        ),
        ("kmeans-binary-2", KMeans(n_clusters=2, n_init=3, random_state=0), binary),
    ]:
        model.fit(X)
        rows = with_centers(kit.awkward(X), model.cluster_centers_)
        yield Case(f"cluster-{name}", model, rows, refused=[nan_row(X.shape[1])])

    # Fitted on float32: float32 centers, and predict takes only float32 rows.
    X = iris.astype(np.float32)
    model = KMeans(n_clusters=4, n_init=2, random_state=0).fit(X)
    rows = with_centers(kit.awkward(X, huge=False), model.cluster_centers_)
    yield Case("cluster-kmeans-float32", model, rows.astype(np.float32), refused=[nan_row(4)])

    # Behind a scaler, as the served case C01 is.
    model = make_pipeline(
        StandardScaler(), KMeans(n_clusters=3, n_init=10, random_state=0)
    ).fit(diabetes[:, :4])
    yield Case(
        "cluster-kmeans-pipeline",
        model,
        kit.awkward(diabetes[:, :4]),
        refused=[nan_row(4)],
    )

    import pandas as pd

    names = ["sepal length", "sepal width", "petal length", "petal width"]
    model = KMeans(n_clusters=3, n_init=3, random_state=2).fit(pd.DataFrame(iris, columns=names))
    rows = with_centers(kit.awkward(iris), model.cluster_centers_)
    yield Case(
        "cluster-kmeans-dataframe",
        model,
        pd.DataFrame(rows, columns=names),
        refused=[pd.DataFrame([nan_row(4)], columns=names)],
    )


def minibatch(kit):
    iris, diabetes = kit.iris_X, kit.diabetes_X[:, :5]
    for name, model, X in [
        (
            "minibatch-iris-3",
            MiniBatchKMeans(n_clusters=3, batch_size=32, n_init=3, random_state=0),
            iris,
        ),
        (
            "minibatch-diabetes-4",
            MiniBatchKMeans(n_clusters=4, batch_size=20, n_init=2, random_state=3),
            diabetes,
        ),
    ]:
        model.fit(X)
        rows = with_centers(kit.awkward(X), model.cluster_centers_)
        yield Case(f"cluster-{name}", model, rows, refused=[nan_row(X.shape[1])])

    X = diabetes.astype(np.float32)
    model = MiniBatchKMeans(n_clusters=3, batch_size=25, n_init=2, random_state=0).fit(X)
    rows = with_centers(kit.awkward(X, huge=False), model.cluster_centers_)
    yield Case("cluster-minibatch-float32", model, rows.astype(np.float32), refused=[nan_row(5)])


def bisecting(kit):
    iris, diabetes = kit.iris_X, kit.diabetes_X[:, :5]
    for name, model, X in [
        ("bisecting-iris-4", BisectingKMeans(n_clusters=4, random_state=0), iris),
        (
            "bisecting-diabetes-largest-5",
            BisectingKMeans(
                n_clusters=5, bisecting_strategy="largest_cluster", n_init=2, random_state=1
            ),
            diabetes,
        ),
        (
            "bisecting-iris-elkan-3",
            BisectingKMeans(n_clusters=3, algorithm="elkan", init="k-means++", random_state=2),
            iris,
        ),
        ("bisecting-one-cluster", BisectingKMeans(n_clusters=1, random_state=0), iris),
    ]:
        model.fit(X)
        rows = kit.awkward(X)
        if len(model.cluster_centers_) > 1:
            rows = with_centers(rows, model.cluster_centers_)
        yield Case(f"cluster-{name}", model, rows, refused=[nan_row(X.shape[1])])

    X = diabetes.astype(np.float32)
    model = BisectingKMeans(n_clusters=4, random_state=0).fit(X)
    rows = with_centers(kit.awkward(X, huge=False), model.cluster_centers_)
    yield Case("cluster-bisecting-float32", model, rows.astype(np.float32), refused=[nan_row(5)])

    model = make_pipeline(StandardScaler(), BisectingKMeans(n_clusters=3, random_state=0))
    model.fit(iris)
    yield Case("cluster-bisecting-pipeline", model, kit.awkward(iris), refused=[nan_row(4)])


def single_rows(kit):
    """One row at a time and one center: numpy's matmul then sums `x·c` another way (BLAS
    gemv, or its own loop), which shows where a row sits on a center."""
    iris, diabetes = kit.iris_X, kit.diabetes_X[:, :6]
    model = KMeans(n_clusters=3, n_init=3, random_state=0).fit(iris)
    for index in range(3):
        yield Case(f"cluster-kmeans-one-row-{index}", model, model.cluster_centers_[[index]])
    model = KMeans(n_clusters=5, algorithm="elkan", n_init=2, random_state=0).fit(diabetes)
    yield Case("cluster-kmeans-one-row-diabetes", model, model.cluster_centers_[[1]])
    X = iris.astype(np.float32)
    model = KMeans(n_clusters=4, n_init=2, random_state=0).fit(X)
    yield Case("cluster-kmeans-one-row-float32", model, model.cluster_centers_[[2]])
    for width in (2, 3, 5, 7):
        X = kit.diabetes_X[:, :width]
        model = KMeans(n_clusters=1, n_init=1, random_state=0).fit(X)
        rows = np.vstack([X[:5], model.cluster_centers_])
        yield Case(f"cluster-kmeans-one-cluster-{width}", model, rows, refused=[nan_row(width)])
        yield Case(f"cluster-kmeans-one-cluster-one-row-{width}", model, X[[3]])


def shapes(kit):
    """Centers placed by the data: exact ties, repeated centers, one feature."""
    # Two points repeated: the centers are exactly (0, 0) and (2, 0); (1, y) ties.
    X = np.array([[0.0, 0.0], [0.0, 0.0], [2.0, 0.0], [2.0, 0.0]])
    model = KMeans(n_clusters=2, n_init=1, random_state=0).fit(X)
    rows = np.array([[1.0, 0.0], [1.0, 5.0], [1.0, -3.0], [0.0, 0.0], [2.0, 0.0], [-1.0, 0.0]])
    yield Case("cluster-kmeans-ties", model, rows, refused=[nan_row(2)])
    # Three clusters from two distinct points: two centers coincide.
    model = KMeans(n_clusters=3, n_init=1, random_state=0).fit(X)
    yield Case("cluster-kmeans-repeated-centers", model, rows, refused=[nan_row(2)])
    # One feature.
    X = kit.iris_X[:, 2:3]
    model = KMeans(n_clusters=3, n_init=2, random_state=0).fit(X)
    rows = with_centers(kit.awkward(X), model.cluster_centers_)
    yield Case("cluster-kmeans-one-feature", model, rows, refused=[[NAN]])
