"""Train the demo models shipped in examples/models/ and write the sample requests.

Usage: python train.py   (run from anywhere; paths are relative to this file)

Run it through scripts/train-examples, which builds the pinned environment from
examples/requirements.txt. Python is only used here, never when serving.
"""

import json
import os
import platform

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "models")
REQUESTS = os.path.join(HERE, "requests")
IRIS_COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, allow_nan=False)
        f.write("\n")


def train_iris():
    data = load_iris()
    X = pd.DataFrame(data.data, columns=IRIS_COLUMNS)
    y = data.target.astype(np.int64)  # classes 0, 1, 2
    model = LogisticRegression(max_iter=1000).fit(X, y)
    joblib.dump(model, os.path.join(MODELS, "iris.joblib"))
    return model


def train_diabetes():
    data = load_diabetes(as_frame=True)
    X, y = data.data, data.target  # columns: age, sex, bmi, bp, s1 .. s6
    model = LinearRegression().fit(X, y)
    joblib.dump(model, os.path.join(MODELS, "diabetes.joblib"))
    return model, X


def write_requests(diabetes_X):
    write_json(os.path.join(REQUESTS, "iris-one.json"), {"features": [5.1, 3.5, 1.4, 0.2]})
    write_json(
        os.path.join(REQUESTS, "iris-batch.json"),
        {
            "features": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]],
            "outputs": ["predict", "predict_proba"],
        },
    )
    write_json(
        os.path.join(REQUESTS, "iris-named.json"),
        {
            "instances": [
                {"petal_width": 0.2, "sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4}
            ]
        },
    )
    first = [float(v) for v in diabetes_X.iloc[0].to_numpy(dtype=np.float64)]
    write_json(os.path.join(REQUESTS, "diabetes-one.json"), {"features": first})


def main():
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(REQUESTS, exist_ok=True)
    iris = train_iris()
    diabetes, diabetes_X = train_diabetes()
    write_requests(diabetes_X)
    print(
        f"python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}, joblib {joblib.__version__}, pandas {pd.__version__}"
    )
    print("iris features:", list(iris.feature_names_in_), "classes:", iris.classes_.tolist())
    print("diabetes features:", list(diabetes.feature_names_in_))


if __name__ == "__main__":
    main()
