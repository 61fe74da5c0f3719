"""Writes LogisticRegression models on iris whose string labels start with a NUL, hold a
quote, a backslash and a newline, or are not ASCII: numpy's fixed-width str arrays drop
only trailing NULs, so '\\x00x' must come back whole.

- nul_labels.joblib: `classes_` as scikit-learn fits it, `<U4`.
- nul_labels_big_endian.pkl: the same model with `classes_` cast to `>U4`
  (pickle.dump protocol 4), as a big-endian machine would write it.
- expected.json: `classes` and `predict` for `rows` (every 30th iris row), and each
  file's `classes_` dtype.

Usage: python generate.py [OUTDIR]   (written with scikit-learn 1.9.1, numpy 2.4.6,
joblib 1.6.0: .venv-versions/sklearn-1.9.1; a rerun gives byte-identical files)
"""

import os
import pickle
import sys

import joblib
import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

# The JSON writer is shared with the other fixture generators, one folder up.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixturejson import write_json  # noqa: E402

LABELS = ["é\"\\\n", "日本", "\u0000x"]


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(max_iter=1000).fit(X, np.array(LABELS)[y])
    assert model.classes_.tolist() == sorted(LABELS), model.classes_
    joblib.dump(model, os.path.join(outdir, "nul_labels.joblib"))
    rows = X[::30]
    predictions = model.predict(rows).tolist()
    little = model.classes_.dtype.str

    model.classes_ = model.classes_.astype(">U4")
    assert model.predict(rows).tolist() == predictions
    with open(os.path.join(outdir, "nul_labels_big_endian.pkl"), "wb") as file:
        pickle.dump(model, file, protocol=4)
    with open(os.path.join(outdir, "nul_labels_big_endian.pkl"), "rb") as file:
        assert pickle.load(file).classes_.tolist() == sorted(LABELS)

    write_json(
        os.path.join(outdir, "expected.json"),
        {
            "dtypes": {
                "nul_labels.joblib": little,
                "nul_labels_big_endian.pkl": model.classes_.dtype.str,
            },
            "classes": sorted(LABELS),
            "rows": rows,
            "predict": predictions,
        },
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
