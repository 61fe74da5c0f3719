"""Writes model files of supported neural, calibration and decomposition classes fitted
with options Augur refuses at load, each named by the option:

- mlp_multilabel_identity_output.joblib: MLPClassifier on a label indicator matrix whose
  output activation was set to 'identity' (`out_activation_`); scikit-learn fits a
  logistic one.
- nmf_shuffle.joblib: NMF(solver='cd', shuffle=True) (`shuffle`).
- isotonic_float32.joblib: IsotonicRegression fitted on float32 data (`X_thresholds_`).

Usage: python generate.py OUTDIR   (written with .venv-versions/sklearn-1.9.1)
"""

import os
import sys

import joblib
import numpy as np
from sklearn.datasets import load_iris
from sklearn.decomposition import NMF
from sklearn.isotonic import IsotonicRegression
from sklearn.neural_network import MLPClassifier


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    X, y = load_iris(return_X_y=True)
    labels = np.c_[y == 0, y == 1, X[:, 0] > 5.8].astype(int)
    mlp = MLPClassifier(hidden_layer_sizes=(3,), max_iter=20, random_state=0).fit(X, labels)
    mlp.out_activation_ = "identity"
    joblib.dump(mlp, os.path.join(outdir, "mlp_multilabel_identity_output.joblib"))
    nmf = NMF(n_components=2, shuffle=True, random_state=0, max_iter=50).fit(X)
    joblib.dump(nmf, os.path.join(outdir, "nmf_shuffle.joblib"))
    x = X[:, 0].astype(np.float32)
    isotonic = IsotonicRegression().fit(x, X[:, 2].astype(np.float32))
    joblib.dump(isotonic, os.path.join(outdir, "isotonic_float32.joblib"))


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    main(sys.argv[1])
