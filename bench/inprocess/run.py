"""In-process comparison: Augur's predict and model load against scikit-learn and onnxruntime.

    .venv-bench/bin/python bench/inprocess/run.py --models DIR --augur-bench BIN --out FILE \
        [--rounds N] [--seconds S] [--quick]

DIR is bench/train_models.py's output: DIR/NAME/model.joblib and DIR/NAME/rows-10000.json for
NAME in iris, forest, boosting, pipeline. BIN is `swift build -c release --product
augur-bench`'s binary. Writes inprocess.json in the suite's result shape.

For each model and each batch (1 row, 10,000 rows) every engine predicts the same rows on one
thread, for about S seconds per measurement; the figure is the median time per call (see
engines.py and augur-bench's Stopwatch for the exact method, which both sides share). Engines
take turns in a different order each round, so that a slow spell of the shared machine does
not always fall on the same one. The first round also saves every engine's predictions and
checks that they agree; the agreement is recorded in meta.

Load: `augur-bench load` (ModelSource.load, as `augur serve` does it) against a fresh Python
process timing `import sklearn, joblib` and `joblib.load` of the same file.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import select
import subprocess
import sys
import tempfile
import time

MODELS = ["iris", "forest", "boosting", "pipeline"]
BATCHES = [1, 10000]
ENGINES = ["augur", "sklearn", "onnxruntime"]
# One thread for numpy's BLAS and scikit-learn's OpenMP loops. Set in the environment of the
# child process, before it imports numpy, which is when these libraries read them.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
HERE = pathlib.Path(__file__).resolve().parent

# Runs in a fresh Python process: the cost of a first load, and of loads once warm.
LOAD_SCRIPT = """
import json, sys, time
start = time.perf_counter()
import sklearn, joblib
imported = time.perf_counter()
joblib.load(sys.argv[1])
loaded = time.perf_counter()
again = []
for _ in range(int(sys.argv[2])):
    began = time.perf_counter()
    joblib.load(sys.argv[1])
    again.append(time.perf_counter() - began)
again.sort()
middle = len(again) // 2
median = again[middle] if len(again) % 2 else (again[middle - 1] + again[middle]) / 2
print(json.dumps({"import_seconds": imported - start, "first_seconds": loaded - imported,
                  "seconds": median}))
"""


class PythonSide:
    """engines.py in a child process with one-thread settings; one JSON line per command."""

    def __init__(self, environment):
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "engines.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
        )
        self.pending = b""
        self.versions = self.read_answer(timeout=120)["versions"]

    def ask(self, command, timeout):
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        self.process.stdin.flush()
        return self.read_answer(timeout)

    def read_answer(self, timeout):
        """The next line from the child, waiting at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        descriptor = self.process.stdout.fileno()
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([descriptor], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"engines.py gave no answer within {timeout} s")
            chunk = os.read(descriptor, 65536)
            if not chunk:
                raise RuntimeError("engines.py exited")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def augur_predict(binary, model_dir, batch, seconds, predictions):
    command = [
        binary, "predict", str(model_dir / "model.joblib"),
        "--rows", str(model_dir / "rows-10000.json"),
        "--batch", str(batch), "--seconds", str(seconds),
    ]
    if predictions:
        command += ["--predictions", predictions]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds * 10 + 120)
    if done.returncode != 0:
        raise RuntimeError(f"augur-bench failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def augur_load(binary, model_path, repeat):
    done = subprocess.run(
        [binary, "load", str(model_path), "--repeat", str(repeat)],
        capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"augur-bench load failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def python_load(environment, model_path, repeat):
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(model_path), str(repeat)],
        capture_output=True, text=True, timeout=300, env=environment,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Python load failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def rotated(items, by):
    by %= len(items)
    return items[by:] + items[:by]


def agreement(scratch, model, batch):
    """How each engine's saved predictions compare with scikit-learn's, for one batch."""
    def read(engine):
        path = scratch / f"{model}-{engine}-{batch}.json"
        return json.loads(path.read_text()) if path.exists() else None

    reference = read("sklearn")
    found = {}
    for engine in ["augur", "onnxruntime"]:
        values = read(engine)
        if values is None or reference is None:
            continue
        if len(values) != len(reference):
            found[engine] = {"rows": len(values), "expected_rows": len(reference)}
        elif all(isinstance(value, (int, str, bool)) for value in reference):
            equal = sum(1 for a, b in zip(values, reference) if a == b)
            found[engine] = {"labels_equal": equal, "rows": len(reference),
                             "agree": equal == len(reference)}
        else:
            worst = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(values, reference))
            # onnxruntime computes in float32; Augur should match scikit-learn's doubles.
            tolerance = 1e-9 if engine == "augur" else 1e-4
            found[engine] = {"max_relative_difference": worst, "tolerance": tolerance,
                             "agree": worst <= tolerance}
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", required=True, type=pathlib.Path)
    parser.add_argument("--augur-bench", required=True)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--quick", action="store_true",
                        help="one round of 0.2 s per measurement, to check the set-up")
    arguments = parser.parse_args()
    rounds, seconds, load_repeat = arguments.rounds, arguments.seconds, 10
    if arguments.quick:
        rounds, seconds, load_repeat = 1, 0.2, 3

    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    environment = dict(os.environ, **ONE_THREAD)
    python_side = PythonSide(environment)
    rows = []
    augur_version = None
    checksums = {}
    try:
        with tempfile.TemporaryDirectory(prefix="augur-inprocess-") as folder:
            scratch = pathlib.Path(folder)
            for round_number in range(1, rounds + 1):
                for turn, (model, batch) in enumerate(
                    (model, batch) for model in MODELS for batch in BATCHES
                ):
                    model_dir = arguments.models / model
                    for engine in rotated(ENGINES, round_number - 1 + turn):
                        # The first round keeps every engine's predictions for the check.
                        predictions = (str(scratch / f"{model}-{engine}-{batch}.json")
                                       if round_number == 1 else None)
                        if engine == "augur":
                            result = augur_predict(arguments.augur_bench, model_dir, batch,
                                                   seconds, predictions)
                            augur_version = result["version"]
                        else:
                            result = python_side.ask(
                                {"engine": engine, "model": model, "model_dir": str(model_dir),
                                 "batch": batch, "seconds": seconds,
                                 "predictions": predictions},
                                timeout=seconds * 10 + 300,
                            )
                        if "error" in result:
                            raise RuntimeError(f"{engine} on {model}: {result['error']}")
                        if "unavailable" in result:
                            continue  # recorded in meta from engines.py's notes
                        checksums.setdefault(f"{model}/{batch}", {})[engine] = result["checksum"]
                        rows.append({"model": model, "engine": engine, "batch": batch,
                                     "seconds_per_call": result["seconds_per_call"],
                                     "calls": result["calls"], "round": round_number})
                        print(f"round {round_number} {model:9} batch {batch:5} {engine:12} "
                              f"{result['seconds_per_call'] * 1e6:12.2f} µs/call", flush=True)

                for turn, model in enumerate(MODELS):
                    model_path = arguments.models / model / "model.joblib"
                    for engine in rotated(["augur", "sklearn"], round_number + turn):
                        if engine == "augur":
                            result = augur_load(arguments.augur_bench, model_path, load_repeat)
                            row = {"seconds": result["seconds"],
                                   "first_seconds": result["first_seconds"]}
                        else:
                            result = python_load(environment, model_path, load_repeat)
                            row = {"seconds": result["seconds"],
                                   "first_seconds": result["first_seconds"],
                                   "import_seconds": result["import_seconds"],
                                   "import_and_load_seconds":
                                       result["import_seconds"] + result["first_seconds"]}
                        rows.append({"model": model, "engine": engine, "kind": "load", **row,
                                     "round": round_number})
                        print(f"round {round_number} {model:9} load {engine:12} "
                              f"{row['seconds'] * 1e3:9.3f} ms (first {row['first_seconds'] * 1e3:.3f} ms)",
                              flush=True)

            agreements = {
                model: {str(batch): agreement(scratch, model, batch) for batch in BATCHES}
                for model in MODELS
            }
        onnx_notes = python_side.ask({"engine": "describe"}, timeout=60)["onnx"]
    finally:
        python_side.close()

    meta = {
        "started": started,
        "host": {"cpus": os.cpu_count(), "kernel": platform.release(),
                 "load_average_before": load_before, "load_average_after": os.getloadavg()},
        "versions": {"augur": augur_version, **python_side.versions},
        "settings": {
            "rounds": rounds,
            "seconds_per_measurement": seconds,
            "batches": BATCHES,
            "threads": "one: " + ", ".join(f"{k}=1" for k in ONE_THREAD)
                       + "; onnxruntime intra_op=1, inter_op=1, sequential",
            "timing": "calls in blocks of at least 5 ms, blocks for about the seconds given "
                      "(at least 5); seconds_per_call is the median over blocks of the mean "
                      "per call",
            "load_repeat": load_repeat,
            "load": "seconds: median of load_repeat loads in one process after the first; "
                    "first_seconds: the first load in a fresh process; sklearn's "
                    "import_seconds: import sklearn, joblib in that process",
        },
        "onnx": onnx_notes,
        "agreement": agreements,
        "checksums": checksums,
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    print(f"wrote {arguments.out}")


if __name__ == "__main__":
    main()
