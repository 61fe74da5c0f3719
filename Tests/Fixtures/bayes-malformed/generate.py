"""Naive Bayes and discriminant analysis models that Augur must refuse at load: one
attribute doctored, an option it does not serve, or (scikit-learn 1.8 and later) float32
attributes whose arithmetic numpy does in float32.

Usage: python generate.py (from this folder, with scikit-learn 1.9.1 of the four
environments, which keeps float32 attributes). Test fixtures only.
"""

import pickle

import numpy as np
from sklearn.datasets import load_iris
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis as QDA
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import CategoricalNB, GaussianNB, MultinomialNB
from sklearn.pipeline import Pipeline

X, y = load_iris(return_X_y=True)


def save(name, estimator):
    with open(name + ".pkl", "wb") as out:
        pickle.dump(estimator, out, protocol=4)


save("gaussian_float32", GaussianNB().fit(X.astype(np.float32), y))
save("qda_float32", QDA().fit(X.astype(np.float32), y))

model = GaussianNB().fit(X, y)
model.var_ = model.var_[:, :3]
save("gaussian_var_narrow", model)

model = MultinomialNB().fit(X, y)
model.class_log_prior_ = model.class_log_prior_[:2]
save("multinomial_prior_count_wrong", model)

model = CategoricalNB().fit(X.astype(int), y)
model.feature_log_prob_[1] = model.feature_log_prob_[1][:2]
save("categorical_class_rows_differ", model)

model = LDA().fit(X, y)
model.solver = "cholesky"
save("lda_unknown_solver", model)

model = LDA().fit(X, y)
model.scalings_ = model.scalings_[:2]
save("lda_scalings_rows_wrong", model)

model = QDA().fit(X, y)
model.rotations_[0] = model.rotations_[0][:2]
save("qda_rotation_rows_wrong", model)

# An lsqr LDA has no transform, so it cannot be a pipeline's middle step; scikit-learn
# could not fit such a pipeline, so it is put together from fitted parts.
lsqr = LDA(solver="lsqr").fit(X, y)
final = LogisticRegression(max_iter=500).fit(LDA().fit(X, y).transform(X), y)
save("pipeline_lsqr_middle", Pipeline([("lda", lsqr), ("logistic", final)]))
