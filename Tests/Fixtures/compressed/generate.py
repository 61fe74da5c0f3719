"""Write small scikit-learn models with every joblib compressor, and what they compute.

Usage: python generate.py OUTDIR

Writes OUTDIR/joblib-<joblib version>/ with two models, each saved once per codec by
joblib.dump(model, path, compress=...):

- linear/: LinearRegression with coef_ = [1, 2, 0, 0] and intercept_ = 0.5, set by hand
  (no fit), so the values are known without trusting the reader;
- logistic/: a multiclass LogisticRegression fitted on iris.

Each model folder gets <codec>.joblib for zlib, gzip, bz2, xz, lzma and lz4 (the lz4
package must be installed), and expected.json with numpy's view of coef_ and intercept_
and scikit-learn's own predict (and predict_proba) for a few rows. linear/ also gets
gzip-named.pkl: the gzip file under a name that says pickle, since readers must go by
magic bytes. OUTDIR/bombs/ gets two streams of zeros that are not models: 10 MiB as gzip
(10 KB) and 256 MiB as bzip2 (208 bytes); and the same two opening as a protocol-4 pickle
does (PROTO 4, FRAME) and then zeros, which only the decompression limit stops. Floats are written with 17 significant digits so they parse back exactly.

Only for generating test fixtures: the server never runs Python.
"""

import bz2
import gzip
import math
import os
import platform
import sys

import joblib
import numpy as np
import sklearn
from sklearn.datasets import load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression

# codec name -> (joblib's compress= argument, the magic bytes joblib writes)
CODECS = {
    "zlib": (3, bytes.fromhex("785e")),
    "gzip": (("gzip", 3), bytes.fromhex("1f8b08")),
    "bz2": (("bz2", 3), b"BZh3"),
    "xz": (("xz", 3), bytes.fromhex("fd377a585a00")),
    "lzma": (("lzma", 3), bytes.fromhex("5d00004000")),
    "lz4": (("lz4", 3), bytes.fromhex("04224d18")),
}


def to_json(value, indent=0):
    """JSON text; floats as format(x, '.17g') so they round-trip to the same double."""
    pad = "  " * indent
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        items = [f'{pad}  "{k}": {to_json(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (list, tuple, dict, np.ndarray)) for v in value):
            return "[" + ", ".join(to_json(v) for v in value) + "]"
        items = [pad + "  " + to_json(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        assert math.isfinite(float(value)), value
        return format(float(value), ".17g")
    if isinstance(value, str):
        return '"' + value + '"'
    raise TypeError(f"cannot write {type(value).__name__}")


def write_text(path, text):
    with open(path, "w") as out:
        out.write(text + "\n")


def dump_every_codec(model, folder):
    os.makedirs(folder, exist_ok=True)
    for codec, (compress, magic) in CODECS.items():
        path = os.path.join(folder, f"{codec}.joblib")
        joblib.dump(model, path, compress=compress)
        with open(path, "rb") as f:
            head = f.read(len(magic))
        assert head == magic, (codec, head.hex())
        reloaded = joblib.load(path)
        assert np.array_equal(reloaded.coef_, model.coef_), codec


def linear_case(folder):
    model = LinearRegression()
    model.coef_ = np.array([1.0, 2.0, 0.0, 0.0])
    model.intercept_ = 0.5
    model.n_features_in_ = 4
    dump_every_codec(model, folder)
    joblib.dump(model, os.path.join(folder, "gzip-named.pkl"), compress=("gzip", 3))
    rows = np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [-2.5, 0.25, 7.0, 1e6]])
    write_text(
        os.path.join(folder, "expected.json"),
        to_json(
            {
                "estimator": type(model).__name__,
                "coef_": model.coef_,
                "intercept_": float(model.intercept_),
                "rows": rows,
                "predict": model.predict(rows),
            }
        ),
    )


def logistic_case(folder):
    iris = load_iris()
    model = LogisticRegression(max_iter=1000).fit(iris.data, iris.target)
    dump_every_codec(model, folder)
    rows = np.vstack([iris.data[::25], [[0.0, 0.0, 0.0, 0.0], [10.0, 5.0, 1.0, 0.1]]])
    write_text(
        os.path.join(folder, "expected.json"),
        to_json(
            {
                "estimator": type(model).__name__,
                "coef_": model.coef_,
                "intercept_": model.intercept_,
                "classes": model.classes_,
                "rows": rows,
                "predict": model.predict(rows),
                "predict_proba": model.predict_proba(rows),
            }
        ),
    )


def bombs(folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "zeros-10MiB.gz"), "wb") as out:
        out.write(gzip.compress(bytes(10 << 20), compresslevel=9, mtime=0))
    with open(os.path.join(folder, "zeros-256MiB.bz2"), "wb") as out:
        out.write(bz2.compress(bytes(256 << 20), compresslevel=9))
    opening = b"\x80\x04\x95"
    with open(os.path.join(folder, "pickle-opening-10MiB.gz"), "wb") as out:
        out.write(gzip.compress(opening + bytes((10 << 20) - 3), compresslevel=9, mtime=0))
    with open(os.path.join(folder, "pickle-opening-256MiB.bz2"), "wb") as out:
        out.write(bz2.compress(opening + bytes((256 << 20) - 3), compresslevel=9))


def main():
    bombs(os.path.join(sys.argv[1], "bombs"))
    outdir = os.path.join(sys.argv[1], f"joblib-{joblib.__version__}")
    linear_case(os.path.join(outdir, "linear"))
    logistic_case(os.path.join(outdir, "logistic"))
    import lz4

    versions = {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "joblib": joblib.__version__,
        "lz4": lz4.__version__,
    }
    write_text(os.path.join(outdir, "manifest.json"), to_json(versions))


if __name__ == "__main__":
    main()
