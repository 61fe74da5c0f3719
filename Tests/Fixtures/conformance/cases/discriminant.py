"""Linear and quadratic discriminant analysis, every solver.

Both validate rows as finite numbers, so a NaN row is refused. LDA's transform exists
for the svd and eigen solvers only (lsqr raises NotImplementedError, so none is recorded).
"""

import numpy as np
from generate import Case
from sklearn.covariance import OAS
from sklearn.discriminant_analysis import (
    LinearDiscriminantAnalysis as LDA,
    QuadraticDiscriminantAnalysis as QDA,
)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def nan_row(width):
    return [1.0] * (width - 1) + [float("nan")]


def linear(kit):
    iris, names, labels = kit.iris_X, kit.iris_names, kit.iris_y
    bX, by = kit.binary_X, kit.binary_y
    yield "lda-svd-iris-strings", LDA().fit(iris, names), iris
    yield "lda-svd-binary", LDA().fit(bX, by), bX
    yield "lda-svd-one-component", LDA(n_components=1).fit(iris, labels), iris
    yield "lda-svd-priors", LDA(priors=[0.5, 0.3, 0.2], store_covariance=True).fit(
        iris, labels
    ), iris
    # Four classes in five features: three components.
    four = np.r_[by, by[:40] + 2]
    X4 = np.vstack([bX, bX[:40] + 1.5])
    yield "lda-svd-four-classes", LDA().fit(X4, four), X4
    # Fitted on float32 rows, LDA keeps float32 weights; numpy widens them to float64
    # when it multiplies them with float64 rows.
    yield "lda-svd-float32", LDA().fit(iris.astype(np.float32), labels), iris
    yield "lda-lsqr-iris", LDA(solver="lsqr").fit(iris, names), iris
    yield "lda-lsqr-shrinkage-auto", LDA(solver="lsqr", shrinkage="auto").fit(iris, labels), iris
    yield "lda-lsqr-shrinkage-binary", LDA(solver="lsqr", shrinkage=0.3).fit(bX, by), bX
    yield "lda-lsqr-oas", LDA(solver="lsqr", covariance_estimator=OAS()).fit(iris, labels), iris
    yield "lda-eigen-iris", LDA(solver="eigen").fit(iris, names), iris
    yield "lda-eigen-shrinkage", LDA(solver="eigen", shrinkage=0.1).fit(iris, labels), iris
    yield "lda-eigen-binary", LDA(solver="eigen").fit(bX, by), bX
    yield "lda-eigen-one-component", LDA(solver="eigen", n_components=1).fit(
        iris, labels
    ), iris


def quadratic(kit):
    iris, names, labels = kit.iris_X, kit.iris_names, kit.iris_y
    bX, by = kit.binary_X, kit.binary_y
    yield "qda-iris-strings", QDA().fit(iris, names), iris
    # binary_X has redundant (collinear) features, which QDA refuses from 1.8 unless
    # regularised: versicolor against virginica instead.
    yield "qda-binary", QDA().fit(iris[50:], labels[50:]), iris
    yield "qda-binary-reg-param", QDA(reg_param=0.05).fit(bX, by), bX
    yield "qda-reg-param", QDA(reg_param=0.1).fit(iris, labels), iris
    yield "qda-priors", QDA(priors=[0.2, 0.3, 0.5], store_covariance=True).fit(
        iris, labels
    ), iris
    if "solver" in QDA().get_params():
        yield "qda-eigen", QDA(solver="eigen").fit(iris, labels), iris
        yield "qda-eigen-shrinkage", QDA(solver="eigen", shrinkage=0.2).fit(bX, by), bX


def cases(kit):
    for name, model, data in list(linear(kit)) + list(quadratic(kit)):
        yield Case(
            f"discriminant-{name}",
            model,
            kit.awkward(data),
            refused=[nan_row(data.shape[1])],
        )
    X, y = kit.iris_X, kit.iris_names
    yield Case(
        "discriminant-pipeline-lda-logistic",
        make_pipeline(StandardScaler(), LDA(n_components=2), LogisticRegression()).fit(X, y),
        kit.awkward(X),
        refused=[nan_row(4)],
    )
