"""The comparison server in the style of the Flask tutorials: joblib.load at import, then
request.get_json(), a NumPy array (or a DataFrame for named columns), model.predict, jsonify.

    BENCH_MODELS=DIR BENCH_MODEL_NAMES=iris,forest gunicorn -w 2 flask_app:app

Every model DIR/NAME/model.joblib is loaded when a worker imports this module; the request
bodies are the native ones Augur takes: {"features": row or rows} or {"instances": [{..}]}.
"""

import os

import joblib
import numpy as np
import pandas as pd
from flask import Flask, jsonify, request

MODEL_DIR = os.environ["BENCH_MODELS"]
NAMES = os.environ["BENCH_MODEL_NAMES"].split(",")

models = {name: joblib.load(os.path.join(MODEL_DIR, name, "model.joblib")) for name in NAMES}

app = Flask(__name__)


@app.route("/predict/<name>", methods=["POST"])
def predict(name):
    model = models.get(name)
    if model is None:
        return jsonify({"error": f"no model {name}"}), 404
    data = request.get_json()
    if "instances" in data:
        # Rows with named, mixed-type columns: the pipeline was fitted on a DataFrame.
        features = pd.DataFrame(data["instances"])
    else:
        features = np.array(data["features"])
        if features.ndim == 1:
            features = features.reshape(1, -1)
    prediction = model.predict(features)
    return jsonify({"predictions": prediction.tolist()})
