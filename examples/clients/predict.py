"""Ask an Augur server for iris predictions in each of the dialects it speaks.

    pip install requests
    python predict.py                          # the demo server on http://127.0.0.1:8080
    python predict.py --url http://host:port --model iris --dialects native,mlflow

Each dialect gets the same two iris rows and prints what the server answered, then the
predictions it read from the answer. The exit status is 1 if any call failed.
"""

import argparse
import json
import sys

import requests

ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def native(url, model):
    """Augur's own endpoint: rows under "instances", labels and probabilities back."""
    body = {"instances": ROWS, "outputs": ["predict", "predict_proba"]}
    answer = post(f"{url}/predict/{model}", body)
    return answer["predictions"]


def kserve_v1(url, model):
    """KServe V1: {"instances": rows} -> {"predictions": labels}."""
    answer = post(f"{url}/v1/models/{model}:predict", {"instances": ROWS})
    return answer["predictions"]


def open_inference(url, model):
    """Open Inference (V2, Triton): one FP64 tensor in, one tensor per output back."""
    tensor = {
        "name": "input-0",
        "shape": [len(ROWS), len(FEATURES)],
        "datatype": "FP64",
        "data": ROWS,
    }
    answer = post(f"{url}/v2/models/{model}/infer", {"inputs": [tensor]})
    predict = next(out for out in answer["outputs"] if out["name"] == "predict")
    return predict["data"]


def mlflow(url, model):
    """MLflow's scoring protocol, a DataFrame split in columns and rows.

    MLflow serves one model per server, so /invocations answers with Augur's default
    model (`augur serve --default NAME`); `model` is not part of the request.
    """
    body = {"dataframe_split": {"columns": FEATURES, "data": ROWS}}
    answer = post(f"{url}/invocations", body)
    return answer["predictions"]


DIALECTS = {
    "native": native,
    "kserve-v1": kserve_v1,
    "open-inference": open_inference,
    "mlflow": mlflow,
}


def post(url, body):
    """POSTs `body` as JSON and returns the decoded answer; raises for any non-200."""
    response = requests.post(url, json=body, timeout=10)
    print(f"  POST {url} -> {response.status_code} {response.text.strip()}")
    response.raise_for_status()
    return response.json()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the server (nginx)")
    parser.add_argument("--model", default="iris", help="the served model's name")
    parser.add_argument(
        "--dialects",
        default=",".join(DIALECTS),
        help="comma-separated, from: " + ", ".join(DIALECTS),
    )
    args = parser.parse_args()
    names = [name.strip() for name in args.dialects.split(",") if name.strip()]
    unknown = [name for name in names if name not in DIALECTS]
    if unknown:
        parser.error(f"unknown dialect {', '.join(unknown)}; choose from {', '.join(DIALECTS)}")

    url = args.url.rstrip("/")
    failed = []
    for name in names:
        print(f"{name}:")
        try:
            predictions = DIALECTS[name](url, args.model)
        except (requests.RequestException, ValueError, KeyError, StopIteration) as error:
            print(f"{name}: failed: {type(error).__name__}: {error}", file=sys.stderr)
            failed.append(name)
            continue
        print(f"{name}: predictions {json.dumps(predictions)}")

    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
