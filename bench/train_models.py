"""Fits the four benchmark models and writes the request bodies every server is sent.

    python bench/train_models.py OUT_DIR

For each model NAME, OUT_DIR/NAME/ gets:
  model.joblib        the fitted estimator, saved with joblib (what every server loads)
  body-1.json         the native body of one row:    {"features": [...]} or {"instances": [{..}]}
  body-100.json       the native body of 100 rows
  v2-1.json, v2-100.json   the same rows as an Open Inference (V2) request, for MLServer
  rows-10000.json     10,000 rows in the native shape, for the in-process comparison
  info.json           estimator, feature names, scikit-learn and numpy versions

Rows are drawn from the training distribution with a fixed seed, so every run sends the same
bytes. Run it with .venv-bench's Python: the models must be written by the scikit-learn the
comparison servers load them with.
"""

import json
import pathlib
import sys

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 20261205


def numeric_rows(X, count, rng):
    """Rows resampled from X with a little noise, so they are not the training rows."""
    picks = X[rng.integers(0, len(X), size=count)]
    noise = rng.normal(0.0, 0.01, size=picks.shape) * X.std(axis=0)
    return (picks + noise).round(6).tolist()


def mixed_frame(count, rng):
    cities = np.array(["lisbon", "oslo", "lagos", "lima", "osaka", "perth"])
    plans = np.array(["free", "basic", "pro", "team"])
    devices = np.array(["ios", "android", "web"])
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 80, size=count).astype(float),
            "income": rng.lognormal(10.5, 0.6, size=count).round(2),
            "sessions": rng.poisson(12, size=count).astype(float),
            "tenure_months": rng.integers(0, 120, size=count).astype(float),
            "city": cities[rng.integers(0, len(cities), size=count)],
            "plan": plans[rng.integers(0, len(plans), size=count)],
            "device": devices[rng.integers(0, len(devices), size=count)],
        }
    )
    return frame


def mixed_target(frame, rng):
    score = (
        0.03 * (frame["age"] - 45)
        + 0.8 * (frame["plan"].isin(["pro", "team"]))
        - 0.05 * frame["sessions"]
        + 0.4 * (frame["device"] == "web")
        + rng.normal(0, 0.5, size=len(frame))
    )
    return (score > 0).astype(int).to_numpy()


def fit_models(rng):
    """(name, estimator, rows function) for each model; rows(count) gives JSON-ready rows."""
    iris = load_iris()
    iris_model = LogisticRegression(max_iter=1000).fit(iris.data, iris.target)

    cancer = load_breast_cancer()
    forest = RandomForestClassifier(n_estimators=100, max_depth=10, random_state=0)
    forest.fit(cancer.data, cancer.target)

    diabetes = load_diabetes()
    boosting = HistGradientBoostingRegressor(random_state=0).fit(diabetes.data, diabetes.target)

    train = mixed_frame(4000, rng)
    numeric = ["age", "income", "sessions", "tenure_months"]
    categorical = ["city", "plan", "device"]
    pipeline = Pipeline(
        [
            (
                "columns",
                ColumnTransformer(
                    [
                        ("numeric", StandardScaler(), numeric),
                        ("categories", OneHotEncoder(handle_unknown="ignore"), categorical),
                    ]
                ),
            ),
            ("boosting", GradientBoostingClassifier(n_estimators=100, random_state=0)),
        ]
    )
    pipeline.fit(train, mixed_target(train, rng))

    def records(count):
        return mixed_frame(count, rng).to_dict(orient="records")

    return [
        ("iris", iris_model, lambda n: numeric_rows(iris.data, n, rng)),
        ("forest", forest, lambda n: numeric_rows(cancer.data, n, rng)),
        ("boosting", boosting, lambda n: numeric_rows(diabetes.data, n, rng)),
        ("pipeline", pipeline, records),
    ]


def native_body(rows, one):
    if isinstance(rows[0], dict):
        return {"instances": rows}
    return {"features": rows[0] if one else rows}


def v2_body(rows):
    """An Open Inference request: one FP64 tensor, or one column per feature ("pd")."""
    if isinstance(rows[0], dict):
        inputs = []
        for name in rows[0]:
            values = [row[name] for row in rows]
            text = isinstance(values[0], str)
            inputs.append(
                {
                    "name": name,
                    "shape": [len(values)],
                    "datatype": "BYTES" if text else "FP64",
                    "data": values,
                }
            )
        return {"parameters": {"content_type": "pd"}, "inputs": inputs}
    return {
        "inputs": [
            {
                "name": "input-0",
                "shape": [len(rows), len(rows[0])],
                "datatype": "FP64",
                "data": rows,
            }
        ]
    }


def write_json(path, value):
    path.write_text(json.dumps(value, separators=(",", ":")))


def main():
    out = pathlib.Path(sys.argv[1])
    rng = np.random.default_rng(SEED)
    for name, model, rows in fit_models(rng):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, folder / "model.joblib")
        one, hundred = rows(1), rows(100)
        write_json(folder / "body-1.json", native_body(one, one=True))
        write_json(folder / "body-100.json", native_body(hundred, one=False))
        write_json(folder / "v2-1.json", v2_body(one))
        write_json(folder / "v2-100.json", v2_body(hundred))
        write_json(folder / "rows-10000.json", native_body(rows(10000), one=False))
        names = getattr(model, "feature_names_in_", None)
        write_json(
            folder / "info.json",
            {
                "estimator": type(model).__name__,
                "feature_names": None if names is None else [str(n) for n in names],
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
            },
        )
        print(f"{name}: {type(model).__name__} -> {folder}")


if __name__ == "__main__":
    main()
