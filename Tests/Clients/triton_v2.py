"""Drives a live Augur stack with Triton's own HTTP client (tritonclient[http]).

    python triton_v2.py PORT NAME=FIXTURE_DIR [NAME=FIXTURE_DIR ...]

Each NAME is a model served from FIXTURE_DIR/model.joblib; FIXTURE_DIR/expected.json holds
the rows and what scikit-learn answered for them. For every model the script checks server
liveness and readiness, server and model metadata, model readiness, and an infer of the
recorded rows as one FP64 tensor asking for `predict` (and `predict_proba` for
classifiers), compared with the recorded values; then that a bad request raises the
client's error with the server's message. Prints one line per check and exits 1 on any
mismatch.
"""

import json
import math
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def close(actual, expected):
    """Within the fixtures' tolerance: 1e-12 absolute or 1e-9 relative."""
    if actual == expected:
        return True
    difference = abs(actual - expected)
    return difference <= 1e-12 or difference <= 1e-9 * abs(expected)


def label_type_agrees(datatype, labels):
    """Labels come back in their type: integers as INT/UINT, text as BYTES, floats FP."""
    if all(isinstance(label, str) for label in labels):
        return datatype == "BYTES"
    if all(isinstance(label, bool) for label in labels):
        return datatype == "BOOL"
    if all(isinstance(label, int) for label in labels):
        return datatype.startswith("INT") or datatype.startswith("UINT")
    return datatype.startswith("FP")


def check_model(client, name, folder):
    with open(f"{folder}/expected.json") as file:
        recorded = json.load(file)["requests"][0]
    rows = recorded["rows"]
    width = len(rows[0])

    check(client.is_model_ready(name), f"{name}: model ready")
    metadata = client.get_model_metadata(name)
    check(metadata["name"] == name, f"{name}: metadata names the model")
    check(
        metadata["inputs"] == [{"name": "input-0", "datatype": "FP64", "shape": [-1, width]}],
        f"{name}: metadata input is FP64 [-1, {width}]",
    )
    output_names = [output["name"] for output in metadata["outputs"]]
    check("predict" in output_names, f"{name}: metadata lists predict")

    classifier = "predict_proba" in recorded
    tensor = httpclient.InferInput("input-0", [len(rows), width], "FP64")
    tensor.set_data_from_numpy(np.array(rows, dtype=np.float64), binary_data=False)
    wanted = ["predict"] + (["predict_proba"] if classifier else [])
    outputs = [httpclient.InferRequestedOutput(output, binary_data=False) for output in wanted]
    result = client.infer(name, [tensor], outputs=outputs, request_id="triton-1")
    response = result.get_response()
    check(response.get("id") == "triton-1", f"{name}: id echoed")
    check(response.get("model_name") == name, f"{name}: model_name")

    predict = result.get_output("predict")
    labels = recorded["predict"]
    check(predict["shape"] == [len(rows)], f"{name}: predict shape [{len(rows)}]")
    predictions = result.as_numpy("predict").tolist()
    if classifier:
        check(label_type_agrees(predict["datatype"], labels),
              f"{name}: predict datatype {predict['datatype']} fits labels {labels}")
        check(predictions == labels, f"{name}: predict {predictions} == recorded {labels}")
        check(predict["datatype"] == metadata["outputs"][0]["datatype"],
              f"{name}: predict datatype as the metadata says")
        proba = result.get_output("predict_proba")
        classes = recorded["classes"]
        check(proba["parameters"]["classes"] == classes,
              f"{name}: predict_proba classes {classes}")
        probabilities = result.as_numpy("predict_proba")
        expected = np.array(recorded["predict_proba"], dtype=np.float64)
        check(probabilities.shape == expected.shape,
              f"{name}: predict_proba shape {list(probabilities.shape)}")
        check(all(close(a, b) for a, b in zip(probabilities.ravel(), expected.ravel())),
              f"{name}: predict_proba == recorded")
    else:
        check(predict["datatype"] == "FP64", f"{name}: regression is FP64")
        check(len(predictions) == len(labels)
              and all(close(a, b) for a, b in zip(predictions, labels)),
              f"{name}: predict {predictions} == recorded {labels}")

    # A shape that promises more values than it carries: the client raises the server's
    # error message, which names the problem.
    bad = httpclient.InferInput("input-0", [len(rows), width], "FP64")
    bad.set_data_from_numpy(np.zeros((len(rows), width)), binary_data=False)
    bad.set_shape([len(rows) + 1, width])
    try:
        client.infer(name, [bad])
        check(False, f"{name}: a short tensor is refused")
    except InferenceServerException as error:
        message = error.message()
        check("needs" in message and "values" in message,
              f"{name}: a short tensor is refused with: {message}")


def main():
    port = sys.argv[1]
    models = [argument.split("=", 1) for argument in sys.argv[2:]]
    client = httpclient.InferenceServerClient(url=f"127.0.0.1:{port}")
    check(client.is_server_live(), "server live")
    check(client.is_server_ready(), "server ready")
    server = client.get_server_metadata()
    check(server["name"] == "augur", f"server metadata name: {server['name']}")
    check(isinstance(server.get("version"), str), "server metadata version")
    for name, folder in models:
        check_model(client, name, folder)
    try:
        client.get_model_metadata("no-such-model")
        check(False, "unknown model raises")
    except InferenceServerException as error:
        check("no model named" in error.message(), f"unknown model raises: {error.message()}")
    print(f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
