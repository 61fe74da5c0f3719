"""Linear models with one attribute doctored, which Augur must refuse at load.

Usage: python generate.py (from this folder, with any scikit-learn of the four
environments; the files here were written with 1.9.1). Test fixtures only.
"""

import pickle

import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression, RidgeClassifier
from sklearn.linear_model import TweedieRegressor

X, y = load_iris(return_X_y=True)


def save(name, estimator):
    with open(name + ".pkl", "wb") as out:
        pickle.dump(estimator, out, protocol=4)


model = LogisticRegression(max_iter=500).fit(X, y)
model.coef_, model.intercept_ = model.coef_[:2], model.intercept_[:2]
save("logistic_coef_rows_short", model)

model = LogisticRegression(max_iter=500).fit(X, y)
model.intercept_ = model.intercept_[:2]
save("logistic_intercept_count_wrong", model)

model = LinearRegression().fit(X[:, :2], X[:, 3])
model.coef_ = model.coef_.reshape(1, 1, 2)
save("regression_coef_three_dimensional", model)

model = TweedieRegressor(power=1.0).fit(X, y + 1)
model.link = "logit"
save("tweedie_unknown_link", model)

model = RidgeClassifier().fit(X, np.c_[y == 0, y == 1, y == 2])
model.coef_, model.intercept_ = model.coef_[:2], model.intercept_[:2]
save("ridge_classifier_multilabel_coef_rows_short", model)
