"""Support vector machine files that the conformance cases cannot make, for Augur's tests.

- `legacy.pkl`: cases.md C05, a linear SVC as scikit-learn 0.20 saved it through
  `sklearn.externals.joblib`: the class under its old module path `sklearn.svm.classes`,
  arrays wrapped by `sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper`, and the
  attribute names of that time (`n_support_`, `probA_`, `probB_`, no `n_features_in_`, no
  `break_ties`). No old scikit-learn is installed to write it: a model fitted by this one
  is saved under those names. `legacy.json` records what the model answers.
- `one_class_at_zero.pkl`: a `OneClassSVM` whose decision value is exactly 0 for one
  row, where libsvm's rule (-1) differs from the `< 0` rule of other outlier detectors;
  `one_class_at_zero.json` records scikit-learn's answers.
- Doctored files, each a fitted model with one attribute changed by hand, that Augur must
  refuse at load naming the attribute (`sparse_fitted.pkl` is a real sparse fit).

Usage: python generate.py OUTDIR   (run with the scikit-learn 1.1.3 venv, whose numpy 1
and pickle protocol 2 are the closest to an old file)
"""

import copy
import json
import os
import pickle
import sys
import types

import joblib
import joblib.numpy_pickle
import numpy as np
import scipy.sparse
from sklearn.datasets import load_iris
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.svm import SVC, SVR, OneClassSVM

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def legacy():
    X = np.array([[0, 0], [1, 1], [2, 2], [3, 3]], dtype=float)
    y = np.array([0, 0, 1, 1])
    model = SVC(kernel="linear", C=1.0).fit(X, y)
    rows = np.array([[0.2, 0.2], [2.8, 2.8], [1.5, 1.5], [-4.0, 10.0]])
    expected = {
        "rows": rows.tolist(),
        "predict": model.predict(rows).tolist(),
        "decision_function": model.decision_function(rows).tolist(),
    }
    state = dict(model.__dict__)
    for new, old in [("_n_support", "n_support_"), ("_probA", "probA_"), ("_probB", "probB_")]:
        state[old] = state.pop(new)
    for gone in ["n_features_in_", "break_ties", "_num_iter", "n_iter_"]:
        state.pop(gone, None)
    state["_sklearn_version"] = "0.20.3"
    old = object.__new__(SVC)
    old.__dict__.update(state)

    # Pickle the class and joblib's wrapper under the module paths of that time.
    classes = types.ModuleType("sklearn.svm.classes")
    classes.SVC = SVC
    externals = types.ModuleType("sklearn.externals.joblib.numpy_pickle")
    externals.NumpyArrayWrapper = joblib.numpy_pickle.NumpyArrayWrapper
    sys.modules["sklearn.svm.classes"] = classes
    sys.modules["sklearn.externals.joblib.numpy_pickle"] = externals
    saved = (SVC.__module__, SVC.__getstate__, joblib.numpy_pickle.NumpyArrayWrapper.__module__)
    SVC.__module__ = "sklearn.svm.classes"
    SVC.__getstate__ = lambda self: dict(self.__dict__)
    joblib.numpy_pickle.NumpyArrayWrapper.__module__ = "sklearn.externals.joblib.numpy_pickle"
    try:
        joblib.dump(old, os.path.join(out, "legacy.pkl"), protocol=2)
    finally:
        SVC.__module__, SVC.__getstate__ = saved[0], saved[1]
        joblib.numpy_pickle.NumpyArrayWrapper.__module__ = saved[2]
    raw = open(os.path.join(out, "legacy.pkl"), "rb").read()
    assert b"sklearn.svm.classes\nSVC" in raw
    assert b"sklearn.externals.joblib.numpy_pickle\nNumpyArrayWrapper" in raw
    with open(os.path.join(out, "legacy.json"), "w") as file:
        json.dump(expected, file, indent=1)
        file.write("\n")


def doctored():
    X, y = load_iris(return_X_y=True)
    model = SVC(gamma=0.5).fit(X, y)

    def save(name, changed):
        with open(os.path.join(out, name), "wb") as file:
            pickle.dump(changed, file, protocol=4)

    changed = copy.deepcopy(model)
    changed._n_support = changed._n_support + np.array([1, 0, 0], dtype=np.int32)
    save("support_counts_disagree.pkl", changed)

    changed = copy.deepcopy(model)
    changed._dual_coef_ = changed._dual_coef_[:, :-1]
    save("dual_coef_short.pkl", changed)

    changed = copy.deepcopy(model)
    changed._intercept_ = changed._intercept_[:2]
    save("intercept_short.pkl", changed)

    changed = copy.deepcopy(model)
    changed.break_ties, changed.decision_function_shape = True, "ovo"
    save("break_ties_ovo.pkl", changed)

    save("precomputed.pkl", SVC(kernel="precomputed").fit(X @ X.T, y))
    save("callable_kernel.pkl", SVR(kernel=rbf_kernel).fit(X[:, :3], X[:, 3]))
    save("sparse_fitted.pkl", SVR().fit(scipy.sparse.csr_matrix(X[:, :3]), X[:, 3]))


def one_class_at_zero():
    """A one-class model whose decision value is exactly 0 for a row of zeros (a linear
    kernel, the intercept set to 0): libsvm calls it an outlier, -1."""
    X, _ = load_iris(return_X_y=True)
    model = OneClassSVM(kernel="linear", nu=0.3).fit(X)
    model._intercept_ = np.zeros(1)
    model.intercept_ = np.zeros(1)
    model.offset_ = np.zeros(1)
    rows = np.array([[0.0, 0.0, 0.0, 0.0], X[0], -X[0]])
    expected = {
        "rows": rows.tolist(),
        "predict": model.predict(rows).tolist(),
        "decision_function": model.decision_function(rows).tolist(),
        "score_samples": model.score_samples(rows).tolist(),
    }
    assert expected["decision_function"][0] == 0 and expected["predict"][0] == -1
    with open(os.path.join(out, "one_class_at_zero.pkl"), "wb") as file:
        pickle.dump(model, file, protocol=4)
    with open(os.path.join(out, "one_class_at_zero.json"), "w") as file:
        json.dump(expected, file, indent=1)
        file.write("\n")


legacy()
doctored()
one_class_at_zero()
