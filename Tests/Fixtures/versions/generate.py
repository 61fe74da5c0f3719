"""Small scikit-learn models in every file format, with numpy's view of every array.

Usage: python generate.py OUTDIR

For every case this writes OUTDIR/<case>/ with one fitted model saved ten ways
(pickle protocols 2, 4, 5; joblib plain; joblib with each of its six compressors),
the exact input rows (input.json), what the model returned for them
(expected.json), and arrays.json: every numpy array reachable in the fitted
model, as numpy itself sees it (dtype, shape, CRC-32 of the C-order bytes, and
the values of small arrays). OUTDIR/manifest.json records the versions.

Before writing arrays.json the script loads every file it wrote back with
pickle/joblib and checks that the loaded model gives the same array view, so
the view is that of each file, not only of the model in memory.

Only for generating test fixtures: the server never runs Python.
"""

import json
import math
import os
import pickle
import platform
import sys
import zlib

import joblib
import numpy as np
import pandas as pd
import scipy
import sklearn
from sklearn.base import BaseEstimator
from sklearn.datasets import load_diabetes, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.tree._tree import Tree

# The JSON writer is shared with the other fixture generators, one folder up.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixturejson import write_json  # noqa: E402

IRIS_COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])
PICKLE_PROTOCOLS = (2, 4, 5)
COMPRESSORS = ("zlib", "gzip", "bz2", "xz", "lzma", "lz4")
COMPRESS_LEVEL = 3
REAL_ROWS = 8  # real dataset rows per case, then a zero row and a large row
SMALL_ARRAY = 64  # arrays with at most this many elements get their values listed


# ---------------------------------------------------------------- cases


def every_kth(X, count=REAL_ROWS):
    """A spread of real rows, every k-th sample from 0, then a zero row and 10x the maxima."""
    X = np.asarray(X, dtype=np.float64)
    k = max(1, len(X) // count)
    rows = [X[i] for i in range(0, len(X), k)][:count]
    return rows + [np.zeros(X.shape[1]), np.abs(X).max(axis=0) * 10.0]


def iris():
    data = load_iris()
    return data.data, data.target


def diabetes():
    data = load_diabetes()
    return data.data, data.target


def case_logistic_regression_multiclass():
    X, y = iris()
    return LogisticRegression(max_iter=1000).fit(X, y), every_kth(X), None


def case_linear_regression():
    X, y = diabetes()
    return LinearRegression().fit(X, y), every_kth(X), None


def case_pipeline_scaler_logreg():
    X, y = iris()
    model = Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression())]).fit(X, y)
    return model, every_kth(X), None


def case_decision_tree_classifier():
    X, y = iris()
    return DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y), every_kth(X), None


def case_random_forest_classifier():
    X, y = iris()
    model = RandomForestClassifier(n_estimators=5, max_depth=4, random_state=0).fit(X, y)
    return model, every_kth(X), None


def case_decision_tree_regressor():
    X, y = diabetes()
    return DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, y), every_kth(X), None


def case_logistic_regression_string_labels():
    """Labels as Python strs in an object array (as from a pandas column): classes_ is |O."""
    X, y = iris()
    model = LogisticRegression(max_iter=1000).fit(X, IRIS_NAMES[y].astype(object))
    assert model.classes_.dtype == object
    return model, every_kth(X), None


def case_logistic_regression_unicode_labels():
    """Labels in a fixed-width numpy str array: classes_ is <U10."""
    X, y = iris()
    model = LogisticRegression(max_iter=1000).fit(X, IRIS_NAMES[y])
    assert model.classes_.dtype.kind == "U"
    return model, every_kth(X), None


def case_logistic_regression_named_features():
    X, y = iris()
    frame = pd.DataFrame(X, columns=IRIS_COLUMNS)
    model = LogisticRegression(max_iter=1000).fit(frame, y)
    return model, every_kth(X), IRIS_COLUMNS


CASES = {
    "logistic_regression_multiclass": case_logistic_regression_multiclass,
    "linear_regression": case_linear_regression,
    "pipeline_scaler_logreg": case_pipeline_scaler_logreg,
    "decision_tree_classifier": case_decision_tree_classifier,
    "random_forest_classifier": case_random_forest_classifier,
    "decision_tree_regressor": case_decision_tree_regressor,
    "logistic_regression_string_labels": case_logistic_regression_string_labels,
    "logistic_regression_unicode_labels": case_logistic_regression_unicode_labels,
    "logistic_regression_named_features": case_logistic_regression_named_features,
}


# ---------------------------------------------------------------- numpy's view of the arrays


def _walk(value, path, out):
    """Append (path, array) for every numpy array or scalar reachable from value."""
    if isinstance(value, np.ndarray):
        out.append((path, value))
        if value.dtype.kind == "O":
            for index, item in enumerate(value.ravel(order="C")):
                _walk(item, f"{path}[{index}]", out)
        return
    if isinstance(value, np.generic):  # before float/int: np.float64 is a float
        out.append((path, value))
        return
    if isinstance(value, (BaseEstimator, Tree)):
        state = value.__getstate__()
        assert isinstance(state, dict), f"{path}: state of {type(value).__name__} is no dict"
        for key, item in state.items():
            _walk(item, f"{path}.{key}", out)
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", out)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{path}: dict key {key!r} is no str"
            _walk(item, f"{path}[{json.dumps(key)}]", out)
        return
    if value is None or isinstance(value, (bool, int, float, str, bytes, type)):
        return
    # Anything else would hide arrays from the view: refuse rather than miss them.
    raise TypeError(f"{path}: do not know how to walk {type(value).__module__}.{type(value).__name__}")


def _element(value):
    if isinstance(value, (str, np.str_)):
        return str(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return None  # an element the JSON cannot show (a nested array, an object)


def describe(path, value):
    """numpy's view of one array or numpy scalar."""
    a = np.asarray(value) if isinstance(value, np.generic) else value
    dtype = a.dtype
    entry = {"path": path, "dtype": dtype.str}
    if dtype.fields is not None:
        entry["fields"] = [
            [name, dtype.fields[name][0].str, dtype.fields[name][1]] for name in dtype.names
        ]
        entry["itemsize"] = dtype.itemsize
    entry["shape"] = list(a.shape)
    if dtype.kind == "O":
        entry["crc32"] = None
    else:
        c_order = np.ascontiguousarray(a)
        assert c_order.dtype.byteorder in ("<", "=", "|"), f"{path}: big-endian {dtype.str}"
        entry["crc32"] = zlib.crc32(c_order.tobytes()) & 0xFFFFFFFF
    values = None
    if a.size <= SMALL_ARRAY and dtype.fields is None:
        values = [_element(v) for v in a.ravel(order="C").tolist()]
        if any(v is None for v in values) or any(
            isinstance(v, float) and not math.isfinite(v) for v in values
        ):
            values = None
    entry["values"] = values
    return entry


def arrays_in(model):
    found = []
    _walk(model, "", found)
    return found


def array_view(model):
    return [describe(path, value) for path, value in arrays_in(model)]


def comparable_view(model):
    """The view with structured arrays checked field by field, not byte by byte.

    Tree node records from 1.3 on end in 7 padding bytes. They are zero in the fitted
    model and so in every file written from it, but Tree.__setstate__ may copy the
    nodes into fresh memory when a file is loaded back (joblib does this), and then
    the padding of the loaded copy is whatever that memory held.
    """
    view = []
    for path, value in arrays_in(model):
        entry = describe(path, value)
        if "fields" in entry:
            a = np.ascontiguousarray(value)
            entry["crc32"] = [zlib.crc32(np.ascontiguousarray(a[n]).tobytes()) for n in a.dtype.names]
        view.append(entry)
    return view


def stored_forms(a):
    """The byte strings a file may hold for array a: its raw bytes in the memory order
    numpy writes (C, or F for Fortran-ordered arrays), and in protocol 2 those bytes as
    _codecs.encode(str, 'latin1'), i.e. the UTF-8 of one code point per byte."""
    if a.flags.c_contiguous or not a.flags.f_contiguous:
        raw = np.ascontiguousarray(a).tobytes()
    else:
        raw = np.asfortranarray(a).tobytes(order="F")
    return raw, raw.decode("latin-1").encode("utf-8")


def decompressed(path):
    """The pickle stream inside a model file, decompressed by the standard decoders."""
    import bz2
    import gzip
    import lzma

    import lz4.frame

    with open(path, "rb") as f:
        data = f.read()
    for suffix, decode in (
        (".zlib.joblib", zlib.decompress),
        (".gzip.joblib", gzip.decompress),
        (".bz2.joblib", bz2.decompress),
        (".xz.joblib", lzma.decompress),
        (".lzma.joblib", lzma.decompress),
        (".lz4.joblib", lz4.frame.decompress),
    ):
        if path.endswith(suffix):
            return decode(data)
    return data


def check_raw_bytes(model, path):
    """Every non-object array's bytes (padding included) are in the file as written."""
    stream = decompressed(path)
    for array_path, value in arrays_in(model):
        a = np.asarray(value)
        if a.dtype.kind == "O" or a.nbytes < 8:
            continue
        assert any(form in stream for form in stored_forms(a)), f"{path}: {array_path} bytes not found"


# ---------------------------------------------------------------- recording


def labels(values):
    """Class labels in their own type: ints stay ints, strings stay strings."""
    out = []
    for v in values:
        if isinstance(v, (str, np.str_)):
            out.append(str(v))
        elif isinstance(v, (int, np.integer)):
            out.append(int(v))
        else:
            raise TypeError(f"unexpected class label type {type(v).__name__}")
    return out


def floats(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def model_files():
    """(file name, writer) for the ten ways each model is saved."""
    files = []
    for protocol in PICKLE_PROTOCOLS:

        def write_pickle(model, path, protocol=protocol):
            with open(path, "wb") as f:
                pickle.dump(model, f, protocol=protocol)

        files.append((f"model.p{protocol}.pkl", write_pickle))
    files.append(("model.joblib", lambda model, path: joblib.dump(model, path)))
    for codec in COMPRESSORS:

        def write_compressed(model, path, codec=codec):
            joblib.dump(model, path, compress=(codec, COMPRESS_LEVEL))

        files.append((f"model.{codec}.joblib", write_compressed))
    return files


def load_back(path):
    if path.endswith(".pkl"):
        with open(path, "rb") as f:
            return pickle.load(f)
    return joblib.load(path)


def record(name, model, rows, columns, outdir):
    folder = os.path.join(outdir, name)
    os.makedirs(folder, exist_ok=True)

    matrix = np.asarray(rows, dtype=np.float64)
    if columns is not None:
        features = pd.DataFrame(matrix, columns=columns)
        names = [str(c) for c in model.feature_names_in_]
        assert names == list(columns)
    else:
        features = matrix
        assert not hasattr(model, "feature_names_in_")
        names = None

    expected = {
        "estimator": type(model).__name__,
        "n_features": int(model.n_features_in_),
    }
    prediction = model.predict(features)
    if hasattr(model, "classes_"):
        expected["predict"] = labels(prediction)
        expected["predict_proba"] = [floats(p) for p in model.predict_proba(features)]
        expected["classes"] = labels(model.classes_)
    else:
        expected["predict"] = floats(prediction)
    assert len(expected["predict"]) == len(rows)

    write_json(
        os.path.join(folder, "input.json"),
        {"rows": [floats(r) for r in matrix], "feature_names": names},
    )
    write_json(os.path.join(folder, "expected.json"), expected)

    view = array_view(model)
    files = model_files()
    for file_name, write in files:
        write(model, os.path.join(folder, file_name))
    expected_view = comparable_view(model)
    with open(os.path.join(folder, "model.joblib"), "rb") as f:
        plain_joblib = f.read()
    for file_name, _ in files:
        path = os.path.join(folder, file_name)
        check_raw_bytes(model, path)
        if file_name.endswith(".joblib"):
            # joblib compresses the very stream it writes uncompressed.
            assert decompressed(path) == plain_joblib, f"{name}/{file_name}: stream differs"
        loaded = load_back(path)
        assert comparable_view(loaded) == expected_view, f"{name}/{file_name}: loaded arrays differ"
        again = loaded.predict(features)
        assert np.array_equal(again, prediction), f"{name}/{file_name}: predictions differ"
    write_json(os.path.join(folder, "arrays.json"), {"arrays": view})
    return len(files), len(view)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: python generate.py OUTDIR\n")
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    import lz4

    write_json(
        os.path.join(outdir, "manifest.json"),
        {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "joblib": joblib.__version__,
            "pandas": pd.__version__,
            "lz4": lz4.__version__,
            "compress_level": COMPRESS_LEVEL,
        },
    )
    for name, make in CASES.items():
        model, rows, columns = make()
        file_count, array_count = record(name, model, rows, columns, outdir)
        print(f"{name}: {type(model).__name__}, {len(rows)} rows, {file_count} files, {array_count} arrays")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
