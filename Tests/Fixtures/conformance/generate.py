"""Conformance fixtures: every supported estimator, fitted and asked by scikit-learn itself.

Usage: python generate.py OUTDIR [FAMILY ...]

Each module in cases/ (one per estimator family) has a function `cases(kit)` that
yields Case objects: a fitted estimator, the rows to ask it about (awkward ones
included) and, optionally, rows that scikit-learn refuses. For each case this writes
OUTDIR/<case>.joblib and OUTDIR/<case>.json with the rows and every output the
estimator has (predict, predict_proba, decision_function, transform, score_samples)
as scikit-learn returned them for those rows, with 17 significant digits. A case
whose estimator this scikit-learn lacks is skipped (its module checks the version).

With FAMILY arguments only those modules run, and only their files are replaced.
Only for generating test fixtures: the server never runs Python.
"""

import importlib
import importlib.metadata
import math
import os
import pkgutil
import platform
import subprocess
import sys
import warnings
from dataclasses import dataclass, field

# numpy 2 breaks ties in argpartition and argsort with SIMD sorting code (x86-simd-sort)
# wherever the processor has AVX2 or AVX-512, and picks other equal values than numpy 1's
# introselect; numpy 1.x, and numpy 2 on processors without those features, pick alike.
# Augur reproduces the latter, so the families below (brute-force neighbors choose the k
# nearest with argpartition) are generated, under numpy 2 only, in a process of their own
# with those dispatch targets disabled. The variable must be set before numpy is imported,
# and numpy 1 rejects the names, hence the check of the installed version.
NUMPY1_TIE_FAMILIES = ("neighbors",)
NUMPY1_TIES = {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"}
NUMPY_2 = int(importlib.metadata.version("numpy").split(".")[0]) >= 2

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import sklearn.base  # noqa: E402

# The JSON writer is shared with the other fixture generators, one folder up.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixturejson import write_json  # noqa: E402

OUTPUTS = ("predict", "predict_proba", "decision_function", "transform", "score_samples")


@dataclass
class Case:
    """One fitted estimator and the rows to record its outputs for.

    rows: a 2-D list or numpy array, or a pandas DataFrame for models fitted on one
      (the JSON then records the column names, and rows in that column order), or a 1-D
      list of strings for a text model (one document per row, recorded as a JSON string).
    refused: rows scikit-learn must refuse (NaN where unsupported, unknown categories
      with handle_unknown='error'); each is checked to raise, and recorded.
    exact: outputs must match bit for bit (trees and tree ensembles).
    outputs: the methods to record; by default every one the estimator has.
    also_saved_as: other files holding the same fitted model, each to answer exactly as
      the .joblib does: {suffix: (write(estimator, path), class name Augur reports for
      that file, or None for the estimator's own)}, e.g. XGBoost's native `.xgb.json`.
    """

    name: str
    estimator: object
    rows: object
    refused: list = field(default_factory=list)
    exact: bool = False
    outputs: tuple = None
    also_saved_as: dict = field(default_factory=dict)


class Kit:
    """Shared data and helpers handed to every cases module."""

    def __init__(self):
        self.version = tuple(int(p) for p in sklearn.__version__.split(".")[:2])
        rng = np.random.RandomState(0)
        self.rng = rng
        from sklearn.datasets import load_diabetes, load_iris, make_classification

        iris = load_iris()
        self.iris_X, self.iris_y = iris.data, iris.target
        self.iris_names = np.array(["setosa", "versicolor", "virginica"])[iris.target]
        diabetes = load_diabetes()
        self.diabetes_X, self.diabetes_y = diabetes.data[:150], diabetes.target[:150]
        self.binary_X, self.binary_y = make_classification(
            n_samples=120, n_features=5, n_informative=3, random_state=0
        )
        # Multilabel targets: a label indicator matrix of four overlapping iris labels, so
        # that some flowers have none of them and some have all.
        X = self.iris_X
        self.iris_indicator = np.c_[
            X[:, 2] > 4.0, X[:, 0] > 5.8, X[:, 1] < 3.0, iris.target == 2
        ].astype(int)
        # Flowers with no label (the first two), one, three and all four.
        self.multilabel_rows = self.awkward(X[[0, 20, 60, 100, 118, 130, 134]], count=7)

    def at_least(self, major, minor):
        return self.version >= (major, minor)

    @staticmethod
    def awkward(X, count=6, huge=True, negative=True):
        """The first `count` rows of X, then a zero row, a negated row and (with `huge`)
        a row of 1e300s: values a served model will meet that fitting data rarely has."""
        X = np.asarray(X, dtype=float)
        rows = [X[i] for i in range(min(count, len(X)))]
        rows.append(np.zeros(X.shape[1]))
        if negative:
            rows.append(-X[0])
        if huge:
            rows.append(np.full(X.shape[1], 1e300))
        return np.array(rows)


def cell(value):
    """A request cell: a number, a string, or None for a missing value."""
    if value is None:
        return None
    if isinstance(value, (str, np.str_)):
        return str(value)
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    return float(value)


def table(rows):
    """Rows as lists of cells, and the column names when rows is a DataFrame. A 1-D list
    (one text document per row, for the text vectorizers) gives one cell per row."""
    if hasattr(rows, "columns"):
        names = [str(c) for c in rows.columns]
        return [[cell(v) for v in row] for row in rows.itertuples(index=False)], names
    array = np.asarray(rows, dtype=object)
    if array.ndim == 1:
        return [cell(v) for v in array], None
    return [[cell(v) for v in row] for row in array], None


def one_row(rows, index):
    return rows.iloc[[index]] if hasattr(rows, "iloc") else np.asarray(rows)[[index]]


# ---------------------------------------------------------------- recording


def record(case, outdir):
    estimator = case.estimator
    listed, names = table(case.rows)
    outputs = {}
    for method in case.outputs or OUTPUTS:
        if not hasattr(estimator, method):
            continue
        try:
            result = getattr(estimator, method)(case.rows)
        except (AttributeError, NotImplementedError):
            continue  # e.g. predict_proba of a hinge-loss SGDClassifier
        if hasattr(result, "toarray"):
            result = result.toarray()
        # A multi-output predict_proba is a list of arrays, one per output, whose widths
        # differ when the outputs have different numbers of classes.
        outputs[method] = list(result) if isinstance(result, list) else np.asarray(result)
    assert outputs, f"{case.name}: no output recorded"
    refused = []
    for row in case.refused:
        frame = row if hasattr(row, "columns") else np.asarray([row], dtype=object)
        method = next(iter(outputs))
        try:
            getattr(estimator, method)(frame)
        except Exception as error:  # scikit-learn raises ValueError subclasses
            refused.append({"row": table(frame)[0][0], "error": str(error).splitlines()[0]})
            continue
        raise AssertionError(f"{case.name}: scikit-learn accepted refused row {row!r}")
    document = {
        "case": case.name,
        "estimator": type(estimator).__name__,
        "module": type(estimator).__module__,
        "sklearn": sklearn.__version__,
        "exact": case.exact,
        "feature_names": names,
        "rows": listed,
        "outputs": {k: v for k, v in outputs.items()},
        "refused": refused,
    }
    # Only a classifier's classes_ are labels; TargetEncoder has classes_ of its target.
    if hasattr(estimator, "classes_") and sklearn.base.is_classifier(estimator):
        if isinstance(estimator.classes_, list):  # multi-output: one array per output
            document["classes_per_output"] = [np.asarray(c) for c in estimator.classes_]
        else:
            document["classes"] = np.asarray(estimator.classes_)
    joblib.dump(estimator, os.path.join(outdir, case.name + ".joblib"))
    if case.also_saved_as:
        own_class = document["module"] + "." + document["estimator"]
        files = [{"file": case.name + ".joblib", "class": own_class}]
        for suffix, (write, class_name) in sorted(case.also_saved_as.items()):
            write(estimator, os.path.join(outdir, case.name + suffix))
            files.append({"file": case.name + suffix, "class": class_name or own_class})
        document["model_files"] = files
    write_json(os.path.join(outdir, case.name + ".json"), document, non_finite=True)


def numpy1_ties_set():
    """Whether this process runs with numpy's SIMD sorting disabled (NUMPY1_TIES)."""
    return all(os.environ.get(name) == value for name, value in NUMPY1_TIES.items())


def main():
    outdir = sys.argv[1]
    families = sys.argv[2:]
    os.makedirs(outdir, exist_ok=True)
    warnings.simplefilter("ignore")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import cases

    kit = Kit()
    names = [m.name for m in pkgutil.iter_modules(cases.__path__)]
    for family in families or names:
        if family in NUMPY1_TIE_FAMILIES and NUMPY_2 and not numpy1_ties_set():
            environment = dict(os.environ, **NUMPY1_TIES)
            command = [sys.executable, os.path.abspath(__file__), outdir, family]
            subprocess.run(command, env=environment, check=True)
            continue
        module = importlib.import_module(f"cases.{family}")
        for case in module.cases(kit):
            assert "/" not in case.name and case.name.startswith(family + "-"), case.name
            record(case, outdir)
    write_json(
        os.path.join(outdir, "manifest.json"),
        {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "joblib": joblib.__version__,
        },
    )


if __name__ == "__main__":
    main()
