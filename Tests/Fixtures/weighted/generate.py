"""Writes class-weighted trees and forests, whose leaves hold fractions that do not sum
exactly to 1, with scikit-learn's own predict_proba for them.

scikit-learn from 1.4 on returns such leaves as they are; before 1.4 it divided them by
their sum. Run once per environment: python generate.py OUTDIR/sklearn-<version>
"""

import json
import os
import sys

import joblib
import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier


def numbers(values):
    return "[" + ", ".join(format(float(v), ".17g") for v in values) + "]"


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    X, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_classes=3,
                               random_state=1)
    rows = np.random.RandomState(1).normal(0, 2, (400, 6))
    models = {
        "tree": DecisionTreeClassifier(random_state=0, class_weight="balanced",
                                       min_samples_leaf=5),
        "forest": RandomForestClassifier(n_estimators=10, random_state=0, max_depth=7,
                                         class_weight="balanced"),
    }
    for name, model in models.items():
        model.fit(X, y)
        joblib.dump(model, os.path.join(outdir, f"{name}.joblib"))
        proba = model.predict_proba(rows)
        with open(os.path.join(outdir, f"{name}.json"), "w") as handle:
            handle.write('{"sklearn": "%s",\n "rows": [%s],\n "predict_proba": [%s]}\n' % (
                sklearn.__version__,
                ",\n  ".join(numbers(row) for row in rows),
                ",\n  ".join(numbers(row) for row in proba),
            ))


if __name__ == "__main__":
    main(sys.argv[1])
