"""Writes the target encoders people save next to their model, each the top object of its
file, and what Augur must say of them (expected.json: the class and its classes_ in
column order). None of them is a model: they are fitted on y, and no Pipeline or
ColumnTransformer can hold one (their fit takes only y).

- label_encoder_strings.joblib, label_encoder_integers.joblib: LabelEncoder.
- label_binarizer_binary.joblib, label_binarizer_multiclass.joblib: LabelBinarizer on labels;
  label_binarizer_multilabel.joblib on a label indicator matrix (classes_ 0 to L - 1).
- multilabel_binarizer_strings.joblib: MultiLabelBinarizer on sets of strings (classes_
  sorted); multilabel_binarizer_ordered.joblib with classes= given out of order (classes_
  keeps that order); multilabel_binarizer_integers.joblib on sets of integers.

Usage: python generate.py OUTDIR, once per environment of .venv-versions, into
sklearn-<version>/ beside this file. Test fixtures only.
"""

import json
import os
import sys
import warnings

import joblib
import numpy as np
import sklearn
from sklearn.preprocessing import LabelBinarizer, LabelEncoder, MultiLabelBinarizer


def plain(value):
    return value.item() if hasattr(value, "item") else value


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    tags = [["news", "sport"], ["weather"], [], ["sport", "weather", "news"], ["news"]]
    fitted = {
        "label_encoder_strings": LabelEncoder().fit(["versicolor", "setosa", "virginica"]),
        "label_encoder_integers": LabelEncoder().fit([10, 3, 7, 3]),
        "label_binarizer_binary": LabelBinarizer().fit(["no", "yes", "no"]),
        "label_binarizer_multiclass": LabelBinarizer().fit([2, 0, 1, 2]),
        "label_binarizer_multilabel": LabelBinarizer().fit(np.array([[1, 0, 1], [0, 1, 0]])),
        "multilabel_binarizer_strings": MultiLabelBinarizer().fit(tags),
        "multilabel_binarizer_ordered": MultiLabelBinarizer(
            classes=["weather", "news", "sport"]
        ).fit(tags),
        "multilabel_binarizer_integers": MultiLabelBinarizer().fit([[3, 1], [2], [1, 2, 3]]),
    }
    expected = {}
    for name, encoder in fitted.items():
        joblib.dump(encoder, os.path.join(outdir, name + ".joblib"))
        expected[name + ".joblib"] = {
            "class": type(encoder).__module__ + "." + type(encoder).__name__,
            "classes": [plain(c) for c in encoder.classes_],
        }
    document = {"sklearn": sklearn.__version__, "files": expected}
    with open(os.path.join(outdir, "expected.json"), "w") as out:
        json.dump(document, out, indent=2, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main(sys.argv[1])
