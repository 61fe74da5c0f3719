"""Writes small model files that Augur cannot serve, for `augur inspect`'s tests.

- pca_gradient_boosting.joblib: Pipeline(StandardScaler, PCA, GradientBoostingClassifier)
  on iris (unsupported when written; every part is served now).
- semi_supervised_voting.joblib: Pipeline(StandardScaler, VotingClassifier) on iris whose
  members, SelfTrainingClassifier (around a LogisticRegression) and LabelSpreading, are
  not supported (two problems in one file, below a supported composite).
- unfitted_logistic_regression.pkl: a LogisticRegression never fitted (no coef_), as
  pickle.dump protocol 5 writes it.
- cyclic_pipeline.pkl: a fitted Pipeline(StandardScaler) with itself appended as a last
  step, which pickle writes through its memo; no real model is like this, but a file can be.
- quantile_target.joblib: TransformedTargetRegressor(LinearRegression,
  transformer=QuantileTransformer(n_quantiles=10)) on 20 diabetes rows: both parts are
  served alone, but Augur inverts only some `transformer_` kinds, not this one.

Usage: python generate.py OUTDIR   (written with scikit-learn 1.9.1, numpy 2.4.6, joblib
1.6.0: .venv-versions/sklearn-1.9.1; a rerun gives byte-identical files)
"""

import os
import pickle
import sys

import joblib
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes, load_iris
from sklearn.decomposition import PCA
from sklearn.ensemble import GradientBoostingClassifier, VotingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import QuantileTransformer, StandardScaler
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    X, y = load_iris(return_X_y=True)
    pipeline = Pipeline(
        [
            ("scale", StandardScaler()),
            ("pca", PCA(n_components=2, random_state=0)),
            ("boost", GradientBoostingClassifier(n_estimators=2, max_depth=1, random_state=0)),
        ]
    ).fit(X, y)
    joblib.dump(pipeline, os.path.join(outdir, "pca_gradient_boosting.joblib"))
    voting = Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "vote",
                VotingClassifier(
                    [
                        ("training", SelfTrainingClassifier(LogisticRegression())),
                        ("spread", LabelSpreading()),
                    ],
                    voting="soft",
                ),
            ),
        ]
    ).fit(X[::5], y[::5])
    joblib.dump(voting, os.path.join(outdir, "semi_supervised_voting.joblib"))
    with open(os.path.join(outdir, "unfitted_logistic_regression.pkl"), "wb") as file:
        pickle.dump(LogisticRegression(), file, protocol=5)
    cyclic = Pipeline([("scale", StandardScaler())]).fit(X, y)
    cyclic.steps.append(("again", cyclic))
    with open(os.path.join(outdir, "cyclic_pipeline.pkl"), "wb") as file:
        pickle.dump(cyclic, file, protocol=4)
    X, y = load_diabetes(return_X_y=True)
    target = TransformedTargetRegressor(
        LinearRegression(), transformer=QuantileTransformer(n_quantiles=10)
    ).fit(X[:20, :3], y[:20])
    joblib.dump(target, os.path.join(outdir, "quantile_target.joblib"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
