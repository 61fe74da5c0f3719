"""The comparison server in the style of the FastAPI tutorials: joblib.load at import, a
pydantic body model, a plain `def` endpoint (FastAPI runs it in its thread pool, as the
tutorials advise for blocking scikit-learn calls), model.predict, a dict answer.

    BENCH_MODELS=DIR BENCH_MODEL_NAMES=iris,forest uvicorn --workers 2 fastapi_app:app

The request bodies are the native ones Augur takes: {"features": row or rows} or
{"instances": [{..}]} for the pipeline's named, mixed-type columns.
"""

import os
from typing import Any, Optional, Union

import joblib
import numpy as np
import pandas as pd
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

MODEL_DIR = os.environ["BENCH_MODELS"]
NAMES = os.environ["BENCH_MODEL_NAMES"].split(",")

models = {name: joblib.load(os.path.join(MODEL_DIR, name, "model.joblib")) for name in NAMES}

app = FastAPI()


class PredictRequest(BaseModel):
    features: Optional[Union[list[list[float]], list[float]]] = None
    instances: Optional[list[dict[str, Any]]] = None


@app.post("/predict/{name}")
def predict(name: str, body: PredictRequest):
    model = models.get(name)
    if model is None:
        raise HTTPException(status_code=404, detail=f"no model {name}")
    if body.instances is not None:
        features = pd.DataFrame(body.instances)
    else:
        features = np.array(body.features)
        if features.ndim == 1:
            features = features.reshape(1, -1)
    prediction = model.predict(features)
    return {"predictions": prediction.tolist()}
