"""Kernel models with options Augur refuses at load, naming the option.

- kernel_ridge_precomputed.pkl: KernelRidge(kernel='precomputed') fitted on a Gram matrix.
- gpr_matern_large_nu.pkl: GaussianProcessRegressor with Matern(nu=25), beyond the orders
  Augur's modified Bessel function was checked for.
- kernel_pca_float32.pkl: KernelPCA fitted on float32 rows, which keeps X_fit_ in float32
  and computes its kernel in float32.

Usage: python generate.py OUTDIR   (written with scikit-learn 1.9.1:
.venv-versions/sklearn-1.9.1; pickle protocol 4)
"""

import os
import pickle
import sys

import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.decomposition import KernelPCA
from sklearn.gaussian_process.kernels import Matern
from sklearn.kernel_ridge import KernelRidge


def dump(model, outdir, name):
    with open(os.path.join(outdir, name), "wb") as file:
        pickle.dump(model, file, protocol=4)


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.RandomState(0)
    X = rng.rand(6, 2)
    y = X[:, 0] - X[:, 1]
    dump(KernelRidge(kernel="precomputed").fit(X @ X.T, y), outdir, "kernel_ridge_precomputed.pkl")
    process = GaussianProcessRegressor(kernel=Matern(nu=25), optimizer=None).fit(X, y)
    dump(process, outdir, "gpr_matern_large_nu.pkl")
    pca = KernelPCA(n_components=2, kernel="rbf").fit(X.astype(np.float32))
    dump(pca, outdir, "kernel_pca_float32.pkl")


if __name__ == "__main__":
    main(sys.argv[1])
