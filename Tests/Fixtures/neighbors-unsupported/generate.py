"""Writes small fitted neighbors models that Augur refuses at load, each for one reason,
for NeighborsLoadTests. The file name says what the model holds and the scikit-learn
version that wrote it.

Usage: python generate.py OUTDIR   (run with .venv-versions/sklearn-1.9.1, then again with
.venv-versions/sklearn-1.5.2, which writes the one file that needs it)
"""

import os
import sys

import joblib
import numpy as np
import scipy.sparse
import scipy.spatial.distance
import sklearn
from sklearn.datasets import load_iris
from sklearn.neighbors import KNeighborsClassifier, RadiusNeighborsClassifier


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    X, y = load_iris(return_X_y=True)
    X, y = X[::5], y[::5]
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    version = ".".join(sklearn.__version__.split(".")[:2])
    if version == "1.5":
        models = {
            # scikit-learn 1.3 to 1.7 fail to predict text labels this way themselves.
            "classmode-strings": KNeighborsClassifier(
                n_neighbors=3, metric="manhattan", algorithm="brute"
            ).fit(X, names),
        }
    else:
        models = {
            # Brute force on float32 rows takes scikit-learn's float32 code paths.
            "float32-brute": KNeighborsClassifier(algorithm="brute").fit(
                X.astype(np.float32), y
            ),
            # Brute force hands only VI to scipy: given V, scikit-learn fails to predict.
            "metric-mahalanobis-brute-without-vi": KNeighborsClassifier(
                metric="mahalanobis",
                metric_params={"V": np.cov(X.T)},
                algorithm="brute",
            ).fit(X, y),
            # Without V, scipy estimates the variances from each request's rows as well.
            "metric-seuclidean-without-v": KNeighborsClassifier(
                metric="seuclidean", algorithm="brute"
            ).fit(X, y),
            # Functions from importable modules, so that the file loads and the estimator
            # itself refuses them (a function of `__main__` is refused by the pickle reader).
            "metric-callable": KNeighborsClassifier(
                metric=scipy.spatial.distance.cityblock, algorithm="brute"
            ).fit(X, y),
            "minkowski-p-below-one": KNeighborsClassifier(p=0.5, algorithm="brute").fit(X, y),
            "weights-callable": KNeighborsClassifier(weights=np.reciprocal).fit(X, y),
            "outlier-label-not-a-class": RadiusNeighborsClassifier(outlier_label=7).fit(X, y),
            "sparse-training-rows": KNeighborsClassifier(n_neighbors=3).fit(
                scipy.sparse.csr_matrix(X), y
            ),
        }
    for name, model in models.items():
        joblib.dump(model, os.path.join(outdir, f"{name}-{version}.joblib"))


if __name__ == "__main__":
    main(sys.argv[1])
