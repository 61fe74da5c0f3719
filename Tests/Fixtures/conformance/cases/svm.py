"""Support vector machines: libsvm's SVC, NuSVC, SVR, NuSVR and OneClassSVM."""

import numpy as np
from generate import Case
from sklearn.datasets import make_classification
from sklearn.svm import SVC, SVR, NuSVC, NuSVR, OneClassSVM


def refused(X):
    """A row with a NaN: no libsvm model takes missing values."""
    row = np.array(X[0], dtype=float)
    row[1] = np.nan
    return [list(row)]


def four_classes():
    return make_classification(
        n_samples=100, n_features=4, n_informative=4, n_redundant=0, n_classes=4,
        n_clusters_per_class=1, random_state=1,
    )


def classifiers(kit):
    X, y = kit.iris_X, kit.iris_y
    Xb, yb = kit.binary_X, kit.binary_y
    X4, y4 = four_classes()
    settings = [
        ("rbf-iris", SVC(), X, y),
        ("rbf-ovo-iris", SVC(C=3.0, gamma=0.5, decision_function_shape="ovo"), X, y),
        ("rbf-auto-strings", SVC(gamma="auto", C=0.7), X, kit.iris_names),
        ("linear-binary", SVC(kernel="linear", C=0.5), Xb, yb),
        ("linear-iris", SVC(kernel="linear", C=2.0), X, y),
        ("poly-iris", SVC(kernel="poly", degree=2, coef0=1.0, gamma="auto"), X, y),
        ("poly-binary", SVC(kernel="poly", degree=3, gamma=0.1, coef0=0.5, C=0.3), Xb, yb),
        ("poly-degree4-ovo", SVC(kernel="poly", degree=4, gamma="scale",
                                 decision_function_shape="ovo"), X4, y4),
        ("sigmoid-binary", SVC(kernel="sigmoid", gamma=0.05, coef0=-0.5), Xb, yb),
        ("sigmoid-four", SVC(kernel="sigmoid", gamma=0.1, coef0=0.2, C=0.5), X4, y4),
        ("break-ties", SVC(break_ties=True, C=0.2, gamma=2.0), X4, y4),
        ("class-weight", SVC(class_weight={0: 3.0, 1: 0.5, 2: 1.0}, gamma=0.3), X, y),
        ("balanced-four", SVC(kernel="linear", class_weight="balanced", C=0.1), X4[:70], y4[:70]),
        ("nu-rbf-iris", NuSVC(nu=0.3), X, y),
        ("nu-linear-ovo", NuSVC(nu=0.2, kernel="linear", decision_function_shape="ovo"), X4, y4),
        ("nu-poly-binary", NuSVC(nu=0.4, kernel="poly", degree=2, gamma="auto"), Xb, yb),
        ("nu-sigmoid-strings", NuSVC(nu=0.5, kernel="sigmoid", gamma=0.02), X, kit.iris_names),
    ]
    for tag, model, Xf, yf in settings:
        model.fit(Xf, yf)
        yield Case(f"svm-svc-{tag}", model, kit.awkward(Xf), refused=refused(Xf))
    # Twenty features: BLAS sums dot products of 16 values or more in SIMD partial sums,
    # which Augur does not mirror bit for bit.
    Xw, yw = make_classification(n_samples=60, n_features=20, n_informative=6, random_state=2)
    for kernel in ["rbf", "linear"]:
        model = SVC(kernel=kernel, probability=True, random_state=0, C=0.5).fit(Xw, yw)
        yield Case(f"svm-svc-wide-{kernel}", model, kit.awkward(Xw), refused=refused(Xw))


def probability(kit):
    X, y = kit.iris_X, kit.iris_y
    Xb, yb = kit.binary_X, kit.binary_y
    X4, y4 = four_classes()
    settings = [
        ("rbf-iris", SVC(probability=True, random_state=0), X, y),
        ("rbf-binary", SVC(probability=True, C=2.0, random_state=0), Xb, yb),
        ("linear-strings", SVC(kernel="linear", probability=True, random_state=1), X,
         kit.iris_names),
        ("poly-four", SVC(kernel="poly", degree=2, probability=True, random_state=0), X4, y4),
        ("sigmoid-binary", SVC(kernel="sigmoid", gamma=0.05, probability=True,
                               random_state=0), Xb, yb),
        ("ovo-break-ties", SVC(break_ties=True, probability=True, random_state=2), X4, y4),
        ("nu-rbf-iris", NuSVC(nu=0.25, probability=True, random_state=0), X, y),
        ("nu-linear-binary", NuSVC(kernel="linear", probability=True, random_state=0), Xb,
         yb),
    ]
    for tag, model, Xf, yf in settings:
        model.fit(Xf, yf)
        yield Case(f"svm-probability-{tag}", model, kit.awkward(Xf), refused=refused(Xf))


def regressors(kit):
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    X = kit.iris_X
    settings = [
        ("svr-rbf", SVR(C=100.0), Xd, yd),
        ("svr-linear", SVR(kernel="linear", C=500.0, epsilon=5.0), Xd, yd),
        ("svr-poly", SVR(kernel="poly", degree=2, gamma="auto", coef0=1.0, C=50.0), Xd, yd),
        ("svr-sigmoid", SVR(kernel="sigmoid", gamma=0.5, coef0=0.1, C=20.0), Xd, yd),
        ("svr-iris", SVR(gamma=0.2, epsilon=0.05), X[:, :3], X[:, 3]),
        ("nusvr-rbf", NuSVR(nu=0.4, C=50.0, gamma="scale"), Xd, yd),
        ("nusvr-linear", NuSVR(kernel="linear", nu=0.6, C=200.0), Xd, yd),
        ("nusvr-poly", NuSVR(kernel="poly", degree=3, gamma=0.3, C=2.0), X[:, :3], X[:, 3]),
    ]
    for tag, model, Xf, yf in settings:
        model.fit(Xf, yf)
        yield Case(f"svm-{tag}", model, kit.awkward(Xf), refused=refused(Xf))


def one_class(kit):
    X = kit.iris_X
    Xb = kit.binary_X
    settings = [
        ("rbf", OneClassSVM(nu=0.2), X),
        ("rbf-gamma", OneClassSVM(nu=0.1, gamma=0.5), Xb),
        ("linear", OneClassSVM(kernel="linear", nu=0.3), Xb),
        ("poly", OneClassSVM(kernel="poly", degree=2, gamma="auto", coef0=1.0, nu=0.4), X),
        ("sigmoid", OneClassSVM(kernel="sigmoid", gamma=0.01, coef0=0.5, nu=0.3), Xb),
    ]
    for tag, model, Xf in settings:
        model.fit(Xf)
        rows = np.vstack([kit.awkward(Xf), Xf[[10, 20, 30, 40]] * 3])
        yield Case(f"svm-oneclass-{tag}", model, rows, refused=refused(Xf))


def composed(kit):
    """SVMs as the last step of a pipeline and as a grid search's best estimator."""
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = kit.iris_X, kit.iris_y
    Xd, yd = kit.diabetes_X, kit.diabetes_y
    model = make_pipeline(StandardScaler(), SVC(probability=True, random_state=0)).fit(
        X, kit.iris_names
    )
    yield Case("svm-pipeline-scaler-svc", model, kit.awkward(X), refused=refused(X))
    model = make_pipeline(StandardScaler(), SVR(C=30.0)).fit(Xd, yd)
    yield Case("svm-pipeline-scaler-svr", model, kit.awkward(Xd), refused=refused(Xd))
    search = GridSearchCV(
        SVC(), {"C": [0.5, 2.0], "gamma": ["scale", 0.1]}, cv=3
    ).fit(X, y)
    yield Case("svm-grid-search-svc", search, kit.awkward(X), refused=refused(X))


def cases(kit):
    yield from classifiers(kit)
    yield from probability(kit)
    yield from regressors(kit)
    yield from one_class(kit)
    yield from composed(kit)
