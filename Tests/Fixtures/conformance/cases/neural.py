"""Neural networks (MLPClassifier, MLPRegressor) and FastICA."""

import numpy as np
from generate import Case
from sklearn.decomposition import NMF, FastICA
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

NAN_ROW_IRIS = [float("nan"), 1.0, 1.0, 1.0]
NAN_ROW_BINARY = [0.0, 0.0, float("nan"), 0.0, 0.0]
NAN_ROW_DIABETES = [float("nan")] + [0.0] * 9


def classifiers(kit):
    """(name, estimator, X) for MLPClassifier: every hidden activation, binary and
    multiclass, integer, string and boolean labels, several layers."""
    iris, names, target = kit.iris_X, kit.iris_names, kit.iris_y
    bX, by = kit.binary_X, kit.binary_y
    small = dict(max_iter=60, random_state=0)
    for activation in ["identity", "logistic", "tanh", "relu"]:
        yield f"mlp-classifier-{activation}", MLPClassifier(
            hidden_layer_sizes=(6,), activation=activation, **small
        ).fit(iris, names), iris
        yield f"mlp-classifier-binary-{activation}", MLPClassifier(
            hidden_layer_sizes=(5,), activation=activation, **small
        ).fit(bX, by), bX
    yield "mlp-classifier-two-layers", MLPClassifier(
        hidden_layer_sizes=(5, 4), solver="lbfgs", max_iter=80, random_state=0
    ).fit(iris, target), iris
    yield "mlp-classifier-three-layers-sgd", MLPClassifier(
        hidden_layer_sizes=(4, 3, 3), solver="sgd", activation="tanh", **small
    ).fit(iris, target), iris
    yield "mlp-classifier-binary-strings", MLPClassifier(
        hidden_layer_sizes=(4,), activation="tanh", **small
    ).fit(bX, np.array(["no", "yes"])[by]), bX
    yield "mlp-classifier-binary-booleans", MLPClassifier(
        hidden_layer_sizes=(3, 3), **small
    ).fit(bX, by.astype(bool)), bX
    yield "mlp-classifier-pipeline", make_pipeline(
        StandardScaler(), MLPClassifier(hidden_layer_sizes=(5,), **small)
    ).fit(iris, names), iris
    yield "mlp-classifier-float-labels", MLPClassifier(
        hidden_layer_sizes=(4,), activation="logistic", **small
    ).fit(iris, target * 2.0 - 1.0), iris


def multilabel_classifiers(kit):
    """(name, estimator) for MLPClassifier fitted on a label indicator matrix: every
    hidden activation (the output is always logistic), and the default solver."""
    X, Y = kit.iris_X, kit.iris_indicator
    lbfgs = dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=300, random_state=0)
    for activation in ["identity", "logistic", "tanh", "relu"]:
        yield f"mlp-classifier-multilabel-{activation}", MLPClassifier(
            activation=activation, **lbfgs
        ).fit(X, Y)
    yield "mlp-classifier-multilabel-adam", MLPClassifier(
        hidden_layer_sizes=(5, 4), max_iter=300, random_state=0
    ).fit(X, Y)
    yield "mlp-classifier-multilabel-pipeline", make_pipeline(
        StandardScaler(), MLPClassifier(hidden_layer_sizes=(6,), max_iter=300, random_state=0)
    ).fit(X, Y)


def regressors(kit):
    """(name, estimator) for MLPRegressor on the diabetes data."""
    X, y = kit.diabetes_X, kit.diabetes_y
    two = np.c_[y, np.sqrt(y) * 10 - X[:, 0] * 50]
    small = dict(max_iter=80, random_state=0)
    for activation in ["identity", "logistic", "tanh", "relu"]:
        yield f"mlp-regressor-{activation}", MLPRegressor(
            hidden_layer_sizes=(6,), activation=activation, **small
        ).fit(X, y)
    yield "mlp-regressor-two-targets", MLPRegressor(
        hidden_layer_sizes=(5, 3), solver="lbfgs", **small
    ).fit(X, two)
    yield "mlp-regressor-column-target", MLPRegressor(
        hidden_layer_sizes=(4,), activation="tanh", **small
    ).fit(X, y[:, None])
    yield "mlp-regressor-sgd", MLPRegressor(
        hidden_layer_sizes=(4, 4), solver="sgd", learning_rate_init=1e-4, **small
    ).fit(X, y)
    if kit.at_least(1, 7):
        yield "mlp-regressor-poisson", MLPRegressor(
            hidden_layer_sizes=(4,), loss="poisson", **small
        ).fit(X, y)


def independent_components(kit):
    """(name, estimator) for FastICA with each whitening option of the version."""
    X = kit.iris_X
    yield "fastica-unit-variance", FastICA(
        n_components=3, whiten="unit-variance", random_state=0, max_iter=400
    ).fit(X)
    yield "fastica-arbitrary-variance", FastICA(
        n_components=2, whiten="arbitrary-variance", random_state=0, max_iter=400
    ).fit(X)
    yield "fastica-no-whitening", FastICA(whiten=False, random_state=0, max_iter=400).fit(X)
    yield "fastica-cube", FastICA(fun="cube", random_state=0, max_iter=400).fit(X)
    if not kit.at_least(1, 3):
        yield "fastica-whiten-true", FastICA(whiten=True, random_state=0, max_iter=400).fit(X)


def factorizations(kit):
    """(name, estimator) for NMF with each solver and loss, and MiniBatchNMF."""
    X = kit.iris_X
    cd = dict(n_components=2, init="nndsvda", max_iter=300, random_state=0)
    yield "nmf-cd", NMF(**cd).fit(X)
    yield "nmf-cd-three", NMF(
        n_components=3, init="nndsvd", max_iter=300, random_state=0
    ).fit(X)
    yield "nmf-cd-l1", NMF(alpha_W=0.01, l1_ratio=0.5, **cd).fit(X)
    yield "nmf-cd-l2", NMF(alpha_W=0.02, alpha_H=0.0, **cd).fit(X)
    yield "nmf-cd-tight", NMF(tol=1e-8, **cd).fit(X)
    mu = dict(cd, solver="mu")
    yield "nmf-mu", NMF(**mu).fit(X)
    yield "nmf-mu-l1-l2", NMF(alpha_W=0.01, l1_ratio=0.3, **mu).fit(X)
    yield "nmf-mu-kl", NMF(beta_loss="kullback-leibler", **mu).fit(X)
    yield "nmf-mu-kl-l1", NMF(
        beta_loss="kullback-leibler", alpha_W=0.001, l1_ratio=1.0, **mu
    ).fit(X)
    yield "nmf-mu-kl-l2", NMF(beta_loss="kullback-leibler", alpha_W=0.001, **mu).fit(X)
    yield "nmf-mu-itakura-saito", NMF(beta_loss="itakura-saito", **mu).fit(X)
    yield "nmf-mu-beta-1.5", NMF(beta_loss=1.5, **mu).fit(X)
    yield "nmf-mu-beta-3", NMF(beta_loss=3.0, **mu).fit(X)
    if not kit.at_least(1, 2):
        yield "nmf-cd-alpha", NMF(alpha=0.1, regularization="both", **cd).fit(X)
    if kit.at_least(1, 1):
        from sklearn.decomposition import MiniBatchNMF

        batch = dict(n_components=2, batch_size=50, max_iter=30, random_state=0)
        yield "minibatch-nmf", MiniBatchNMF(**batch).fit(X)
        yield "minibatch-nmf-kl", MiniBatchNMF(
            beta_loss="kullback-leibler", alpha_W=0.001, **batch
        ).fit(X)


def cases(kit):
    for name, estimator, data in classifiers(kit):
        refused = [NAN_ROW_IRIS if data.shape[1] == 4 else NAN_ROW_BINARY]
        yield Case(f"neural-{name}", estimator, kit.awkward(data), refused=refused)
    for name, estimator in multilabel_classifiers(kit):
        yield Case(f"neural-{name}", estimator, kit.multilabel_rows, refused=[NAN_ROW_IRIS])
    for name, estimator in regressors(kit):
        yield Case(
            f"neural-{name}",
            estimator,
            kit.awkward(kit.diabetes_X, huge=not name.endswith("poisson")),
            refused=[NAN_ROW_DIABETES],
        )
    for name, estimator in independent_components(kit):
        yield Case(f"neural-{name}", estimator, kit.awkward(kit.iris_X), refused=[NAN_ROW_IRIS])
    for name, estimator in factorizations(kit):
        # Overflowing rows make inf and NaN in an order the BLAS decides; NMF refuses
        # negative values, and zeros with a beta loss of 0 or less.
        rows = kit.awkward(kit.iris_X, huge=False, negative=False)
        refused = [NAN_ROW_IRIS]
        if not name.startswith("minibatch"):
            refused.append(list(-kit.iris_X[0]))
        if name.endswith("itakura-saito"):
            rows = rows[:-1]
            refused.append([0.0, 1.0, 1.0, 1.0])
        yield Case(f"neural-{name}", estimator, rows, refused=refused)
