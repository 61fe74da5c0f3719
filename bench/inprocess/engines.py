"""The Python side of the in-process comparison: scikit-learn and onnxruntime, one thread.

run.py starts this file as a child process, with OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS set to 1 before numpy is imported, and sends it one JSON command per line
on standard input; each answer is one JSON line on standard output. Models, rows and ONNX
sessions are prepared once per model and kept, outside every timed part.

Command: {"engine": "sklearn"|"onnxruntime", "model": NAME, "model_dir": DIR, "batch": N,
          "seconds": S, "predictions": PATH or null}
Answer:  {"seconds_per_call": f, "calls": n, "checksum": f}, or {"unavailable": reason}
         when onnxruntime cannot run the model, or {"error": message}.

Timing is the same as augur-bench's (bench/Sources/augur-bench/Stopwatch.swift): calls in
blocks of at least BLOCK_SECONDS, blocks until S seconds have passed (at least
MINIMUM_BLOCKS), the median over blocks of the mean time per call.
"""

import json
import sys
import time
import traceback

import joblib
import numpy as np
import onnxruntime
import pandas as pd
import skl2onnx
import sklearn
from skl2onnx.common.data_types import FloatTensorType, StringTensorType

BLOCK_SECONDS = 0.005
MINIMUM_BLOCKS = 5


def measure(seconds, call):
    """(median seconds per call, calls timed) for `call`, as Stopwatch.measure does."""
    repeats = 1
    while elapsed(repeats, call) < BLOCK_SECONDS and repeats < 1 << 24:
        repeats *= 2
    start = time.perf_counter()
    per_call = []
    while len(per_call) < MINIMUM_BLOCKS or time.perf_counter() - start < seconds:
        per_call.append(elapsed(repeats, call) / repeats)
    return float(np.median(per_call)), len(per_call) * repeats


def elapsed(repeats, call):
    start = time.perf_counter()
    for _ in range(repeats):
        call()
    return time.perf_counter() - start


class Prepared:
    """One model with its rows as each engine takes them, made once."""

    def __init__(self, model_dir):
        self.model = joblib.load(f"{model_dir}/model.joblib")
        with open(f"{model_dir}/rows-10000.json") as file:
            body = json.load(file)
        if "instances" in body:
            # Named mixed records: a DataFrame, as a Python server would build one.
            self.rows = pd.DataFrame(body["instances"])
        else:
            self.rows = np.array(body["features"], dtype=np.float64)
        self.session = None
        self.onnx_note = None
        try:
            self.session, self.onnx_note = convert(self.model, self.rows)
        except Exception as error:  # any converter failure is a finding, not a crash
            self.onnx_note = {"converted": False, "reason": f"{type(error).__name__}: {error}"}

    def first(self, batch):
        if isinstance(self.rows, pd.DataFrame):
            return self.rows.iloc[:batch].reset_index(drop=True)
        return np.ascontiguousarray(self.rows[:batch])

    def onnx_feed(self, batch):
        """The first `batch` rows as the converted model's inputs, in float32 (ONNX-ML tree
        and linear operators compute in float32)."""
        rows = self.first(batch)
        if isinstance(rows, pd.DataFrame):
            feed = {}
            for column in rows.columns:
                values = rows[column].to_numpy().reshape(-1, 1)
                feed[column] = values.astype(object if values.dtype == object else np.float32)
            return feed
        return {self.session.get_inputs()[0].name: rows.astype(np.float32)}


def convert(model, rows):
    """An onnxruntime session for `model` on one thread, and a note of how it was made."""
    is_classifier = hasattr(model, "classes_")
    # Without ZipMap a classifier returns its labels as an array, not a list of dicts.
    options = {"zipmap": False} if is_classifier else None
    if isinstance(rows, pd.DataFrame):
        # One typed input per column: strings for categories, float32 for numbers.
        types = [
            (column, StringTensorType([None, 1]) if rows[column].dtype == object
             else FloatTensorType([None, 1]))
            for column in rows.columns
        ]
        onnx_model = skl2onnx.convert_sklearn(model, initial_types=types, options=options)
        inputs = {column: type(kind).__name__ for column, kind in types}
    else:
        onnx_model = skl2onnx.to_onnx(model, rows[:1].astype(np.float32), options=options)
        inputs = {"X": "FloatTensorType"}
    settings = onnxruntime.SessionOptions()
    settings.intra_op_num_threads = 1
    settings.inter_op_num_threads = 1
    settings.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    session = onnxruntime.InferenceSession(
        onnx_model.SerializeToString(), settings, providers=["CPUExecutionProvider"]
    )
    note = {
        "converted": True,
        "inputs": inputs,
        "output": session.get_outputs()[0].name,
        "opset": max(entry.version for entry in onnx_model.opset_import),
    }
    return session, note


def checksum(predictions):
    """The sum of the predictions, as augur-bench sums its own (labels as numbers)."""
    values = np.asarray(predictions).ravel()
    if values.dtype.kind in "USO":
        return float(sum(len(str(value).encode()) for value in values))
    return float(values.astype(np.float64).sum())


def run(command, prepared):
    name = command["model"]
    if name not in prepared:
        prepared[name] = Prepared(command["model_dir"])
    model = prepared[name]
    batch = command["batch"]
    if command["engine"] == "sklearn":
        rows = model.first(batch)
        predict = model.model.predict

        def call():
            return predict(rows)
    else:
        if model.session is None:
            return {"unavailable": model.onnx_note["reason"]}
        feed = model.onnx_feed(batch)
        run_session = model.session.run
        output = [model.onnx_note["output"]]

        def call():
            return run_session(output, feed)[0]

    predictions = np.asarray(call()).ravel()
    seconds, calls = measure(command["seconds"], call)
    if command.get("predictions"):
        with open(command["predictions"], "w") as file:
            json.dump(predictions.tolist(), file)
    return {"seconds_per_call": seconds, "calls": calls, "checksum": checksum(predictions)}


def versions():
    return {
        "python": sys.version.split()[0],
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "onnxruntime": onnxruntime.__version__,
        "skl2onnx": skl2onnx.__version__,
    }


def main():
    prepared = {}
    print(json.dumps({"ready": True, "versions": versions()}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("engine") == "describe":
            # How each model was converted, for the result file's meta.
            notes = {name: model.onnx_note for name, model in prepared.items()}
            print(json.dumps({"onnx": notes}), flush=True)
            continue
        try:
            answer = run(command, prepared)
        except Exception:
            answer = {"error": traceback.format_exc()}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
