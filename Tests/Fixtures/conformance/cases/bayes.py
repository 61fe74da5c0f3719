"""Naive Bayes: Gaussian, multinomial, complement, Bernoulli and categorical.

Every one of them validates rows as finite numbers, so a NaN row is refused. The discrete
ones take negative counts at predict time (only fit checks them); CategoricalNB casts rows
to integers and refuses negative and unseen category indices."""

import numpy as np
from generate import Case
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.ensemble import VotingClassifier
from sklearn.naive_bayes import BernoulliNB, CategoricalNB, ComplementNB, GaussianNB, MultinomialNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, OrdinalEncoder


def nan_row(width):
    return [float("nan")] + [1.0] * (width - 1)


def counts(kit):
    """Word-count-like rows: 8 features, 3 classes whose counts differ in level."""
    rng = np.random.RandomState(1)
    y = np.repeat([0, 1, 2], 20)
    X = rng.poisson(lam=1.0 + y[:, None] * np.linspace(0.2, 1.5, 8)[None, :] % 3.0)
    return X.astype(float), y


def categories(kit):
    """Three categorical features with 3, 2 and 4 categories."""
    rng = np.random.RandomState(2)
    y = np.repeat([0, 1, 2], 15)
    X = np.c_[
        (rng.randint(0, 3, 45) + y) % 3,
        rng.randint(0, 2, 45),
        (rng.randint(0, 3, 45) + 2 * y) % 4,
    ]
    return X.astype(float), y


def gaussian(kit):
    iris, names, labels = kit.iris_X, kit.iris_names, kit.iris_y
    yield "gaussian-iris-strings", GaussianNB().fit(iris, names), iris
    yield "gaussian-binary", GaussianNB().fit(kit.binary_X, kit.binary_y), kit.binary_X
    yield "gaussian-priors", GaussianNB(priors=[0.2, 0.3, 0.5]).fit(iris, labels), iris
    yield "gaussian-var-smoothing", GaussianNB(var_smoothing=1e-3).fit(iris, labels), iris
    weights = np.linspace(0.2, 3.0, len(labels))
    yield "gaussian-weighted", GaussianNB().fit(iris, labels, sample_weight=weights), iris
    yield "gaussian-one-class", GaussianNB().fit(iris[:50], labels[:50]), iris


def discrete(kit):
    X, y = counts(kit)
    strings = np.array(["ham", "spam", "eggs"])[y]
    iris, labels = kit.iris_X, kit.iris_y
    yield "multinomial-counts", MultinomialNB().fit(X, y), X
    yield "multinomial-alpha", MultinomialNB(alpha=0.1, fit_prior=False).fit(X, strings), X
    yield "multinomial-class-prior", MultinomialNB(class_prior=[0.5, 0.2, 0.3]).fit(X, y), X
    yield "multinomial-alpha-per-feature", MultinomialNB(
        alpha=np.linspace(0.1, 2.0, X.shape[1])
    ).fit(X, y), X
    yield "multinomial-iris", MultinomialNB(alpha=0.5).fit(iris, labels), iris
    yield "multinomial-binary", MultinomialNB().fit(X[:40], y[:40]), X
    yield "multinomial-one-class", MultinomialNB().fit(X[:20], y[:20]), X
    yield "complement-counts", ComplementNB().fit(X, y), X
    yield "complement-norm", ComplementNB(norm=True, alpha=0.3).fit(X, strings), X
    yield "complement-binary", ComplementNB().fit(X[20:], y[20:]), X
    yield "complement-one-class", ComplementNB().fit(X[:20], y[:20]), X
    bX, by = kit.binary_X, kit.binary_y
    yield "bernoulli-default", BernoulliNB().fit(bX, by), bX
    yield "bernoulli-threshold", BernoulliNB(binarize=2.5, alpha=0.5).fit(iris, labels), iris
    binary = (X > 1).astype(float)
    yield "bernoulli-prebinarized", BernoulliNB(binarize=None).fit(binary, strings), np.vstack(
        [binary[:4], X[:3]]
    )
    yield "bernoulli-no-fit-prior", BernoulliNB(fit_prior=False).fit(X, y), X
    yield "bernoulli-class-prior", BernoulliNB(class_prior=[0.6, 0.4]).fit(bX, by), bX


def cases(kit):
    for name, model, data in list(gaussian(kit)) + list(discrete(kit)):
        yield Case(
            f"bayes-{name}",
            model,
            kit.awkward(data),
            refused=[nan_row(data.shape[1])],
        )
    X, y = kit.iris_X, kit.iris_names
    yield Case(
        "bayes-pipeline-scaled-multinomial",
        make_pipeline(MinMaxScaler(), MultinomialNB()).fit(X, y),
        kit.awkward(X),
        refused=[nan_row(4)],
    )
    yield Case(
        "bayes-voting-soft",
        VotingClassifier(
            [("nb", GaussianNB()), ("lda", LDA()), ("multinomial", MultinomialNB())],
            voting="soft",
        ).fit(X, y),
        kit.awkward(X),
        refused=[nan_row(4)],
    )
    yield from categorical(kit)
    yield from encoded_categorical(kit)


def categorical(kit):
    X, y = categories(kit)
    # Categories as fitted, fractions (cast to int by truncation, as numpy does), a
    # fraction above -1 (cast to 0) and zeros.
    rows = np.vstack(
        [X[:6], [[1.7, 0.9, 3.2], [-0.5, 0.0, 0.99], [0.0, 0.0, 0.0], [2.0, 1.0, 3.0]]]
    )
    refused = [
        [-1.0, 0.0, 0.0],  # negative
        [3.0, 0.0, 0.0],  # category 3 of a feature fitted with 3
        [0.0, 0.0, 1e300],  # cast to the smallest int64: negative
        [0.0, 2.0, 0.0],
        nan_row(3),
    ]
    strings = np.array(["red", "green", "blue"])[y]
    models = [
        ("categorical", CategoricalNB(), y),
        ("categorical-strings-alpha", CategoricalNB(alpha=0.2, fit_prior=False), strings),
        ("categorical-class-prior", CategoricalNB(class_prior=[0.1, 0.3, 0.6]), y),
        ("categorical-binary", CategoricalNB(), y % 2),
    ]
    for name, model, labels in models:
        yield Case(f"bayes-{name}", model.fit(X, labels), rows, refused=refused)
    # min_categories makes room for categories never seen in fit: 5 for every feature,
    # or one count per feature.
    for name, minimum in [("min-categories", 5), ("min-categories-per-feature", [3, 4, 6])]:
        model = CategoricalNB(min_categories=minimum).fit(X, y)
        limits = model.n_categories_
        # The last category of every feature, never seen in fit.
        wider = np.vstack([rows, limits - 1.0])
        yield Case(
            f"bayes-categorical-{name}",
            model,
            wider,
            refused=[[float(limits[0]), 0.0, 0.0], [0.0, 0.0, -3.0], nan_row(3)],
        )


def encoded_categorical(kit):
    """CategoricalNB behind an OrdinalEncoder, as text categories are usually fed to it: an
    unknown category encoded as -1 reaches CategoricalNB, which refuses it."""
    rng = np.random.RandomState(3)
    y = np.repeat([0, 1], 20)
    colours = np.array(["red", "green", "blue"])[(rng.randint(0, 3, 40) + y) % 3]
    sizes = np.array(["S", "M", "L", "XL"])[(rng.randint(0, 4, 40) + 2 * y) % 4]
    X = np.c_[colours, sizes].astype(object)
    rows = np.array([X[i] for i in range(6)] + [["blue", "XL"], ["red", "S"]], dtype=object)
    for name, encoder in [
        ("unknown-refused", OrdinalEncoder()),
        (
            "unknown-encoded",
            OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
        ),
    ]:
        model = make_pipeline(encoder, CategoricalNB()).fit(X, y)
        yield Case(
            f"bayes-pipeline-ordinal-categorical-{name}",
            model,
            rows,
            refused=[["purple", "S"], ["red", "XXL"]],
        )
