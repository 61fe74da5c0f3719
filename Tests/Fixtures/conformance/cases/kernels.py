"""Kernel methods: kernel ridge, Gaussian processes and kernel PCA, with kernels named by
string (pairwise_kernels) and Gaussian process kernel objects."""

import numpy as np
from generate import Case
from sklearn.decomposition import KernelPCA
from sklearn.gaussian_process import GaussianProcessClassifier, GaussianProcessRegressor
from sklearn.gaussian_process.kernels import (
    RBF,
    ConstantKernel,
    DotProduct,
    ExpSineSquared,
    Matern,
    PairwiseKernel,
    RationalQuadratic,
    WhiteKernel,
)
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

NAN = float("nan")


def cases(kit):
    yield from kernel_ridge(kit)
    yield from regressors(kit)
    yield from classifiers(kit)
    yield from kernel_pca(kit)


def nan_row(width):
    row = [1.0] * width
    row[0] = NAN
    return row


def regression_data(kit, count=60, width=4):
    X = kit.diabetes_X[:count, :width] * 10
    y = (kit.diabetes_y[:count] - 150) / 75
    return X, y


def balanced_iris(per_class):
    """The first `per_class` rows of each iris class."""
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    index = np.concatenate([np.flatnonzero(y == c)[:per_class] for c in range(3)])
    return X[index], y[index]


def kernel_ridge(kit):
    X, y = regression_data(kit)
    rows = kit.awkward(X)
    for name, model in [
        ("linear", KernelRidge(kernel="linear", alpha=0.5)),
        ("poly", KernelRidge(kernel="poly", degree=2, gamma=0.5, coef0=1.0)),
        ("polynomial-default", KernelRidge(kernel="polynomial")),
        ("rbf-default", KernelRidge(kernel="rbf")),
        ("rbf", KernelRidge(kernel="rbf", gamma=0.3, alpha=0.1)),
        ("laplacian", KernelRidge(kernel="laplacian", gamma=0.2)),
        ("sigmoid", KernelRidge(kernel="sigmoid", gamma=0.05, coef0=0.2)),
        ("cosine", KernelRidge(kernel="cosine", alpha=0.3)),
        ("gp-rbf-white", KernelRidge(kernel=RBF(1.5) + WhiteKernel(0.5))),
        ("gp-matern", KernelRidge(kernel=Matern(length_scale=2.0, nu=1.5))),
        ("gp-matern-general", KernelRidge(kernel=Matern(length_scale=2.0, nu=3.3))),
        ("gp-dot", KernelRidge(kernel=DotProduct(sigma_0=0.5) ** 2)),
        ("gp-anisotropic", KernelRidge(kernel=RBF([1.0, 2.0, 0.5, 3.0]))),
    ]:
        yield Case(f"kernels-kernel-ridge-{name}", model.fit(X, y), rows, refused=[nan_row(4)])
    # A 2-D y: a 2-D prediction.
    targets = np.column_stack([y, y**2])
    yield Case(
        "kernels-kernel-ridge-multi-target",
        KernelRidge(kernel="rbf", gamma=0.5).fit(X, targets),
        rows,
    )
    # The chi-squared kernels take no negative values.
    iris_X = kit.iris_X[::3]
    iris_y = kit.iris_y[::3].astype(float)
    for name, model in [
        ("chi2", KernelRidge(kernel="chi2", gamma=0.5)),
        ("additive-chi2", KernelRidge(kernel="additive_chi2", alpha=2.0)),
    ]:
        yield Case(
            f"kernels-kernel-ridge-{name}",
            model.fit(iris_X, iris_y),
            kit.awkward(iris_X, negative=False),
            refused=[-iris_X[0], nan_row(4)],
        )


def regressors(kit):
    X, y = regression_data(kit, count=40)
    rows = kit.awkward(X)
    for name, model in [
        ("default", GaussianProcessRegressor(alpha=1e-2)),
        (
            "rbf-white",
            GaussianProcessRegressor(
                kernel=ConstantKernel(1.0) * RBF(1.0) + WhiteKernel(0.1), random_state=0
            ),
        ),
        (
            "rbf-white-normalized",
            GaussianProcessRegressor(
                kernel=ConstantKernel(1.0) * RBF(1.0) + WhiteKernel(0.1),
                normalize_y=True,
                random_state=0,
            ),
        ),
        (
            "anisotropic",
            GaussianProcessRegressor(
                kernel=RBF([1.0, 1.0, 1.0, 1.0]) + WhiteKernel(0.1), random_state=0
            ),
        ),
        ("matern-half", GaussianProcessRegressor(kernel=Matern(nu=0.5), alpha=0.1)),
        ("matern-five-halves", GaussianProcessRegressor(kernel=Matern(nu=2.5), alpha=0.1)),
        # Any other nu takes the modified Bessel function of the second kind.
        (
            "matern-general",
            GaussianProcessRegressor(kernel=Matern(nu=0.75), alpha=0.1, optimizer=None),
        ),
        (
            "matern-general-anisotropic",
            GaussianProcessRegressor(
                kernel=Matern(length_scale=[1.0, 2.0, 1.5, 0.7], nu=1.2), alpha=0.1
            ),
        ),
        (
            "matern-inf",
            GaussianProcessRegressor(kernel=Matern(nu=np.inf), alpha=0.1, optimizer=None),
        ),
        (
            "rational-quadratic",
            GaussianProcessRegressor(kernel=RationalQuadratic(), alpha=0.1, normalize_y=True),
        ),
        (
            "dot-product",
            GaussianProcessRegressor(kernel=DotProduct() + WhiteKernel(), random_state=0),
        ),
        (
            "power",
            GaussianProcessRegressor(kernel=RBF(2.0) ** 1.5, alpha=0.1, optimizer=None),
        ),
        (
            "pairwise-laplacian",
            GaussianProcessRegressor(
                kernel=PairwiseKernel(gamma=0.5, metric="laplacian"), alpha=0.1, optimizer=None
            ),
        ),
    ]:
        # A fixed random_state (the unused restarts' generator) keeps reruns byte-identical.
        model.set_params(random_state=0)
        yield Case(f"kernels-gpr-{name}", model.fit(X, y), rows, refused=[nan_row(4)])
    # A periodic kernel is positive definite on one feature.
    yield Case(
        "kernels-gpr-exp-sine-squared",
        GaussianProcessRegressor(
            kernel=ExpSineSquared(length_scale=1.0, periodicity=3.0),
            alpha=0.1,
            optimizer=None,
            random_state=0,
        ).fit(X[:, :1], y),
        kit.awkward(X[:, :1]),
        refused=[[NAN]],
    )
    targets = np.column_stack([y, 2 * y + 1])
    yield Case(
        "kernels-gpr-multi-target",
        GaussianProcessRegressor(
            kernel=ConstantKernel(1.0) * RBF(1.0) + WhiteKernel(0.1),
            normalize_y=True,
            random_state=0,
        ).fit(X, targets),
        rows,
    )


def classifiers(kit):
    X, y = kit.binary_X[:40], kit.binary_y[:40]
    rows = kit.awkward(X)
    for name, model in [
        ("binary-default", GaussianProcessClassifier(random_state=0)),
        ("binary-rbf", GaussianProcessClassifier(1.0 * RBF(1.0), random_state=0)),
    ]:
        yield Case(f"kernels-gpc-{name}", model.fit(X, y), rows, refused=[nan_row(5)])
    # Matern's kernel of a row of 1e300s is inf * 0 (NaN), which predict_proba's solve
    # refuses (predict does not).
    yield Case(
        "kernels-gpc-binary-matern",
        GaussianProcessClassifier(
            Matern(length_scale=2.0, nu=1.5), optimizer=None, random_state=0
        ).fit(X, y),
        kit.awkward(X, huge=False),
        refused=[nan_row(5)],
    )
    iris_X, iris_y = balanced_iris(8)
    names = np.array(["setosa", "versicolor", "virginica"])[iris_y]
    iris_rows = kit.awkward(iris_X)
    yield Case(
        "kernels-gpc-one-vs-rest",
        GaussianProcessClassifier(1.0 * RBF(1.0), random_state=0).fit(iris_X, names),
        iris_rows,
        refused=[nan_row(4)],
    )
    yield Case(
        "kernels-gpc-one-vs-one",
        GaussianProcessClassifier(
            1.0 * RBF(1.0), multi_class="one_vs_one", random_state=0
        ).fit(iris_X, iris_y),
        iris_rows,
        refused=[nan_row(4)],
        outputs=("predict", "decision_function", "transform", "score_samples"),
    )


def kernel_pca(kit):
    X, _ = regression_data(kit, count=50)
    rows = kit.awkward(X)
    huge = np.full(4, 1e300)
    for name, model, overflows in [
        ("rbf", KernelPCA(n_components=3, kernel="rbf"), False),
        ("rbf-gamma", KernelPCA(n_components=2, kernel="rbf", gamma=0.5), False),
        ("poly", KernelPCA(n_components=3, kernel="poly", degree=2), True),
        ("linear", KernelPCA(n_components=2, kernel="linear"), False),
        ("sigmoid", KernelPCA(n_components=2, kernel="sigmoid", gamma=0.1, coef0=0.5), False),
        ("cosine", KernelPCA(n_components=2, kernel="cosine"), False),
        ("gp-kernel", KernelPCA(n_components=2, kernel=RBF(2.0)), False),
        (
            "gp-pairwise-laplacian",
            KernelPCA(n_components=3, kernel=PairwiseKernel(gamma=0.2, metric="laplacian")),
            False,
        ),
    ] + (
        # Later versions take only the kernels that fit in a KernelPCA by name.
        []
        if kit.at_least(1, 3)
        else [("laplacian", KernelPCA(n_components=3, kernel="laplacian", gamma=0.2), False)]
    ):
        yield Case(
            f"kernels-kernel-pca-{name}",
            model.fit(X),
            rows[:-1] if overflows else rows,
            refused=[nan_row(4)] + ([huge] if overflows else []),
        )
    iris_X = kit.iris_X[::3]
    chi2 = "chi2" if not kit.at_least(1, 3) else PairwiseKernel(gamma=0.3, metric="chi2")
    yield Case(
        "kernels-kernel-pca-chi2",
        KernelPCA(n_components=2, kernel=chi2, gamma=0.3).fit(iris_X),
        kit.awkward(iris_X, negative=False),
        refused=[-iris_X[0]],
    )
    yield Case(
        "kernels-kernel-pca-pipeline",
        make_pipeline(
            StandardScaler(), KernelPCA(n_components=3, kernel="rbf"), LogisticRegression()
        ).fit(kit.iris_X, kit.iris_y),
        kit.awkward(kit.iris_X, huge=False),
    )
