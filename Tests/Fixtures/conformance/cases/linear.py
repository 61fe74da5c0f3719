"""Linear models: regressors, generalised linear models and linear classifiers."""

import itertools

import numpy as np
import sklearn.linear_model as lm
from generate import Case
from sklearn.svm import LinearSVC, LinearSVR

NAN_ROW_DIABETES = [float("nan")] + [0.0] * 9
NAN_ROW_IRIS = [float("nan"), 1.0, 1.0, 1.0]
NAN_ROW_BINARY = [0.0, 0.0, float("nan"), 0.0, 0.0]


def has_multi_class(kit):
    """LogisticRegression kept `multi_class` until 1.8."""
    return "multi_class" in lm.LogisticRegression().get_params()


def regressors(kit):
    X, y = kit.diabetes_X, kit.diabetes_y
    two = np.c_[y, np.sqrt(y) * 10 - X[:, 0] * 50]
    yield "regression", lm.LinearRegression().fit(X, y)
    yield "regression-no-intercept", lm.LinearRegression(fit_intercept=False).fit(X, y)
    yield "regression-two-targets", lm.LinearRegression().fit(X, two)
    yield "regression-column-target", lm.LinearRegression().fit(X, y[:, None])
    yield "regression-two-targets-no-intercept", lm.LinearRegression(
        fit_intercept=False
    ).fit(X, two)
    yield "ridge", lm.Ridge(alpha=0.5).fit(X, y)
    yield "ridge-two-targets", lm.Ridge(alpha=2.0).fit(X, two)
    yield "ridge-no-intercept", lm.Ridge(alpha=0.1, fit_intercept=False).fit(X, y)
    yield "ridge-cv", lm.RidgeCV(alphas=[0.01, 0.1, 1.0]).fit(X, y)
    yield "ridge-cv-per-target", lm.RidgeCV(alphas=[0.01, 1.0], alpha_per_target=True).fit(
        X, two
    )
    yield "lasso", lm.Lasso(alpha=0.1).fit(X, y)
    yield "lasso-two-targets", lm.Lasso(alpha=0.5).fit(X, two)
    yield "lasso-positive", lm.Lasso(alpha=0.05, positive=True).fit(X, y)
    yield "lasso-cv", lm.LassoCV(cv=3, alphas=[0.01, 0.1, 1.0]).fit(X, y)
    yield "elastic-net", lm.ElasticNet(alpha=0.01, l1_ratio=0.3).fit(X, y)
    yield "elastic-net-two-targets", lm.ElasticNet(alpha=0.01, l1_ratio=0.7).fit(X, two)
    yield "elastic-net-cv", lm.ElasticNetCV(cv=3, l1_ratio=[0.2, 0.8]).fit(X, y)
    yield "multi-task-lasso", lm.MultiTaskLasso(alpha=0.5).fit(X, two)
    yield "multi-task-lasso-cv", lm.MultiTaskLassoCV(cv=3, alphas=[0.1, 1.0]).fit(X, two)
    yield "multi-task-elastic-net", lm.MultiTaskElasticNet(alpha=0.05, l1_ratio=0.4).fit(X, two)
    yield "multi-task-elastic-net-cv", lm.MultiTaskElasticNetCV(
        cv=3, alphas=[0.01, 0.1], l1_ratio=[0.3, 0.9]
    ).fit(X, two)
    yield "lars", lm.Lars(n_nonzero_coefs=5).fit(X, y)
    yield "lars-two-targets", lm.Lars(n_nonzero_coefs=4).fit(X, two)
    yield "lars-cv", lm.LarsCV(cv=3).fit(X, y)
    yield "lasso-lars", lm.LassoLars(alpha=0.05).fit(X, y)
    yield "lasso-lars-cv", lm.LassoLarsCV(cv=3).fit(X, y)
    yield "lasso-lars-ic", lm.LassoLarsIC(criterion="bic").fit(X, y)
    yield "omp", lm.OrthogonalMatchingPursuit(n_nonzero_coefs=3).fit(X, y)
    yield "omp-two-targets", lm.OrthogonalMatchingPursuit(n_nonzero_coefs=2).fit(X, two)
    yield "omp-cv", lm.OrthogonalMatchingPursuitCV(cv=3).fit(X, y)
    yield "theil-sen", lm.TheilSenRegressor(max_subpopulation=200, random_state=0).fit(X, y)
    yield "sgd-regressor", lm.SGDRegressor(max_iter=50, tol=None, random_state=0).fit(X, y)
    yield "sgd-regressor-huber", lm.SGDRegressor(
        loss="huber", penalty="elasticnet", max_iter=30, tol=None, random_state=0
    ).fit(X, y)
    yield "sgd-regressor-epsilon", lm.SGDRegressor(
        loss="epsilon_insensitive", fit_intercept=False, max_iter=30, tol=None, random_state=0
    ).fit(X, y)
    yield "linear-svr", LinearSVR(C=10.0, max_iter=5000, random_state=0).fit(X, y)
    yield "linear-svr-squared", LinearSVR(
        loss="squared_epsilon_insensitive", dual=False, random_state=0
    ).fit(X, y)
    if hasattr(lm, "PassiveAggressiveRegressor"):
        yield "passive-aggressive-regressor", lm.PassiveAggressiveRegressor(
            max_iter=50, random_state=0
        ).fit(X, y)
    yield "bayesian-ridge", lm.BayesianRidge().fit(X, y)
    yield "bayesian-ridge-no-intercept", lm.BayesianRidge(fit_intercept=False).fit(X, y)
    yield "ard", lm.ARDRegression().fit(X, y)
    yield "huber", lm.HuberRegressor(epsilon=1.5, max_iter=500).fit(X, y)
    yield "quantile", lm.QuantileRegressor(quantile=0.7, alpha=0.01, solver="highs").fit(X, y)
    yield "quantile-median", lm.QuantileRegressor(alpha=0.0, solver="highs").fit(X, y)
    yield "poisson", lm.PoissonRegressor(alpha=0.01, max_iter=300).fit(X, y)
    yield "gamma", lm.GammaRegressor(alpha=0.1, max_iter=300).fit(X, y)
    yield "tweedie-normal", lm.TweedieRegressor(power=0.0, alpha=0.01).fit(X, y)
    yield "tweedie-compound", lm.TweedieRegressor(power=1.5, alpha=0.01, max_iter=300).fit(
        X, y
    )
    yield "tweedie-normal-log", lm.TweedieRegressor(power=0.0, link="log", alpha=0.01).fit(
        X, y
    )
    yield "tweedie-poisson-no-intercept", lm.TweedieRegressor(
        power=1.0, alpha=0.01, fit_intercept=False, max_iter=300
    ).fit(X * 10, y / 100)


def logistic(kit):
    """(name, estimator, X) for logistic regression in every configuration."""
    iris, names = kit.iris_X, kit.iris_names
    bX, by = kit.binary_X, kit.binary_y
    yield "logistic-multinomial", lm.LogisticRegression(max_iter=1000).fit(iris, names), iris
    yield "logistic-binary", lm.LogisticRegression().fit(bX, by), bX
    yield "logistic-binary-strings", lm.LogisticRegression(C=0.1).fit(
        bX, np.array(["no", "yes"])[by]
    ), bX
    yield "logistic-binary-booleans", lm.LogisticRegression(fit_intercept=False).fit(
        bX, by.astype(bool)
    ), bX
    solvers = ["lbfgs", "liblinear", "newton-cg", "sag", "saga"]
    if kit.at_least(1, 2):
        solvers.append("newton-cholesky")
    for solver in solvers:
        yield f"logistic-binary-{solver}", lm.LogisticRegression(
            solver=solver, max_iter=300
        ).fit(bX, by), bX
        if solver != "liblinear" or has_multi_class(kit):
            yield f"logistic-iris-{solver}", lm.LogisticRegression(
                solver=solver, max_iter=300
            ).fit(iris, kit.iris_y), iris
    yield "logistic-l1-saga", lm.LogisticRegression(
        penalty="l1", solver="saga", C=0.5, max_iter=300
    ).fit(iris, names), iris
    if has_multi_class(kit):
        yield "logistic-ovr", lm.LogisticRegression(multi_class="ovr", max_iter=500).fit(
            iris, names
        ), iris
        yield "logistic-ovr-binary", lm.LogisticRegression(multi_class="ovr").fit(bX, by), bX
        yield "logistic-multinomial-binary", lm.LogisticRegression(
            multi_class="multinomial"
        ).fit(bX, by), bX
        yield "logistic-multinomial-newton-cg", lm.LogisticRegression(
            multi_class="multinomial", solver="newton-cg"
        ).fit(iris, kit.iris_y), iris
    yield "logistic-cv-binary", lm.LogisticRegressionCV(Cs=3, cv=3).fit(bX, by), bX
    yield "logistic-cv-iris", lm.LogisticRegressionCV(Cs=3, cv=3, max_iter=500).fit(
        iris, names
    ), iris
    if has_multi_class(kit):
        yield "logistic-cv-ovr", lm.LogisticRegressionCV(
            Cs=3, cv=3, multi_class="ovr", max_iter=500
        ).fit(iris, names), iris


def classifiers(kit):
    """(name, estimator, X) for the other linear classifiers."""
    iris, names, target = kit.iris_X, kit.iris_names, kit.iris_y
    bX, by = kit.binary_X, kit.binary_y
    sgd = dict(max_iter=30, tol=None, random_state=0)
    yield "sgd-hinge", lm.SGDClassifier(**sgd).fit(iris, names), iris
    yield "sgd-hinge-binary", lm.SGDClassifier(**sgd).fit(bX, by), bX
    log = "log_loss" if kit.at_least(1, 1) else "log"
    yield "sgd-log-loss", lm.SGDClassifier(loss=log, **sgd).fit(iris, names), iris
    yield "sgd-log-loss-binary", lm.SGDClassifier(loss=log, **sgd).fit(bX, by), bX
    if not kit.at_least(1, 3):
        yield "sgd-log", lm.SGDClassifier(loss="log", **sgd).fit(iris, target), iris
    yield "sgd-modified-huber", lm.SGDClassifier(loss="modified_huber", **sgd).fit(
        iris, names
    ), iris
    yield "sgd-modified-huber-binary", lm.SGDClassifier(loss="modified_huber", **sgd).fit(
        bX, by
    ), bX
    yield "sgd-squared-hinge", lm.SGDClassifier(
        loss="squared_hinge", penalty="l1", **sgd
    ).fit(iris, target), iris
    yield "linear-svc", LinearSVC(random_state=0, max_iter=5000).fit(iris, names), iris
    yield "linear-svc-binary", LinearSVC(C=0.5, random_state=0).fit(bX, by), bX
    yield "linear-svc-no-intercept", LinearSVC(
        fit_intercept=False, random_state=0, max_iter=5000
    ).fit(iris, target), iris
    yield "linear-svc-crammer-singer", LinearSVC(
        multi_class="crammer_singer", random_state=0, max_iter=5000
    ).fit(iris, target), iris
    yield "linear-svc-l1", LinearSVC(penalty="l1", dual=False, random_state=0).fit(bX, by), bX
    yield "perceptron", lm.Perceptron(random_state=0).fit(iris, names), iris
    yield "perceptron-booleans", lm.Perceptron(penalty="l2", alpha=0.01, random_state=0).fit(
        bX, by.astype(bool)
    ), bX
    if hasattr(lm, "PassiveAggressiveClassifier"):
        yield "passive-aggressive", lm.PassiveAggressiveClassifier(random_state=0).fit(
            iris, names
        ), iris
        yield "passive-aggressive-binary", lm.PassiveAggressiveClassifier(
            loss="squared_hinge", random_state=0
        ).fit(bX, by), bX
    yield "ridge-classifier", lm.RidgeClassifier().fit(iris, names), iris
    yield "ridge-classifier-binary", lm.RidgeClassifier(alpha=0.1).fit(bX, by), bX
    yield "ridge-classifier-cv", lm.RidgeClassifierCV(alphas=[0.1, 1.0, 10.0]).fit(
        iris, target
    ), iris
    yield "ridge-classifier-cv-binary", lm.RidgeClassifierCV().fit(
        bX, np.array(["no", "yes"])[by]
    ), bX


def all_scores_negative(estimator, width):
    """A row far out where every class's decision value is below -1000 (every sigmoid
    underflows to 0, every modified-Huber score clips to -1), when one exists."""
    for signs in itertools.product([-1.0, 0.0, 1.0], repeat=width):
        row = np.array([signs]) * 1e4
        scores = estimator.decision_function(row)
        if scores.ndim == 2 and np.all(scores < -1000):
            return row
    return None


# The weights of these are so large that a 1e300 row overflows each product to an
# infinity of either sign; OpenBLAS's matrix product then gives inf or NaN depending on
# how many rows the batch has, which no fixed summation order reproduces.
NO_HUGE_ROW = {"sgd-squared-hinge"}


def cases(kit):
    import pandas as pd

    X = kit.diabetes_X
    for name, estimator in regressors(kit):
        yield Case(f"linear-{name}", estimator, kit.awkward(X), refused=[NAN_ROW_DIABETES])
    names = ["sepal length", "sepal width", "petal length", "petal width"]
    frame = pd.DataFrame(kit.iris_X, columns=names)
    rows = pd.DataFrame(kit.awkward(kit.iris_X), columns=names)
    yield Case(
        "linear-logistic-dataframe",
        lm.LogisticRegression(max_iter=500).fit(frame, kit.iris_names),
        rows,
        refused=[pd.DataFrame([NAN_ROW_IRIS], columns=names)],
    )
    yield Case(
        "linear-ridge-dataframe",
        lm.Ridge().fit(frame.iloc[:, :3], kit.iris_X[:, 3]),
        rows.iloc[:, :3],
        refused=[pd.DataFrame([NAN_ROW_IRIS[:3]], columns=names[:3])],
    )
    # Multilabel: fitted on a label indicator matrix, predict gives one 0/1 per label.
    Y = kit.iris_indicator
    for name, estimator in [
        ("ridge-classifier-multilabel", lm.RidgeClassifier(alpha=0.5).fit(kit.iris_X, Y)),
        ("ridge-classifier-cv-multilabel", lm.RidgeClassifierCV().fit(kit.iris_X, Y)),
    ]:
        yield Case(f"linear-{name}", estimator, kit.multilabel_rows, refused=[NAN_ROW_IRIS])
    for name, estimator, data in list(logistic(kit)) + list(classifiers(kit)):
        refused = [NAN_ROW_IRIS if data.shape[1] == 4 else NAN_ROW_BINARY]
        rows = kit.awkward(data, huge=name not in NO_HUGE_ROW)
        far = all_scores_negative(estimator, data.shape[1])
        if far is not None:
            rows = np.vstack([rows, far])
        yield Case(f"linear-{name}", estimator, rows, refused=refused)
