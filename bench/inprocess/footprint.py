"""Memory and start-up of `augur serve`: idle worker size, sharing, model scaling, first request.

    .venv-bench/bin/python bench/inprocess/footprint.py --models DIR --augur BIN --out FILE \
        [--starts N] [--quick]

DIR is bench/train_models.py's output; BIN is the release `augur` binary. Writes
footprint.json in the suite's result shape. Each `augur serve` runs on a unix socket in a
temporary folder, with its default four threads per worker, and is stopped by its PID; there
is no nginx in front: requests are sent as FastCGI straight to the socket by the small client
below (stdlib only), which is what nginx would forward.

Measured (memory from /proc/PID/smaps_rollup; MB = 2^20 bytes):
  idle_worker_rss_mb   iris (a model of 1 kB) with 2 workers: each worker's RSS and PSS when
                       ready, and again after requests have reached the workers.
  pool_pss_mb          the forest (100 trees) and a forest of 1000 trees fitted here, served by
                       1, 2 and 4 workers, after 200 forest requests: summed PSS and RSS of the
                       workers and of the master. PSS divides a shared page among the processes
                       that map it, so a pool that holds one copy of the model has a summed PSS
                       that grows by far less than the model per extra worker.
  model_scaling        forests of 100 and 1000 trees (same data and depth), one worker each: a
                       worker's RSS above the iris worker's, against the file sizes.
  first_request_seconds           launching `augur serve` until its first successful
                                  prediction, and
  python_import_and_load_seconds  a fresh `python -c "import sklearn, joblib;
                                  joblib.load(FILE)"` from launch to exit; both for the same
                                  file, interleaved, median of N (default 5).
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import pathlib
import platform
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

# FastCGI record types and the responder role (FastCGI specification, section 8).
BEGIN_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR = 1, 3, 4, 5, 6, 7
RESPONDER = 1


# --- A FastCGI client, enough for one request per connection ----------------------------


def record(kind, content, request_id=1):
    header = struct.pack(">BBHHBx", 1, kind, request_id, len(content), 0)
    return header + content


def name_value(name, value):
    def length(data):
        return bytes([len(data)]) if len(data) < 128 else struct.pack(">I", len(data) | 1 << 31)

    name, value = name.encode(), value.encode()
    return length(name) + length(value) + name + value


def fastcgi_request(path, method, uri, body=b"", content_type="application/json", timeout=10):
    """(status, body) of one request over a unix socket; raises OSError when none answers."""
    params = {
        "REQUEST_METHOD": method,
        "DOCUMENT_URI": uri,
        "REQUEST_URI": uri,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": content_type if body else "",
        "CONTENT_LENGTH": str(len(body)),
    }
    encoded = b"".join(name_value(name, value) for name, value in params.items())
    message = record(BEGIN_REQUEST, struct.pack(">HB5x", RESPONDER, 0))
    message += record(PARAMS, encoded) + record(PARAMS, b"")
    for start in range(0, len(body), 65535):
        message += record(STDIN, body[start:start + 65535])
    message += record(STDIN, b"")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(path)
        connection.sendall(message)
        received = b""
        output = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
            # Take every whole record received so far.
            while len(received) >= 8:
                _, kind, _, length, padding = struct.unpack(">BBHHB", received[:7])
                if len(received) < 8 + length + padding:
                    break
                content = received[8:8 + length]
                received = received[8 + length + padding:]
                if kind == STDOUT:
                    output += content
                elif kind == END_REQUEST:
                    return parse_response(output)
    raise OSError("the connection closed before the end of the request")


def parse_response(output):
    head, _, body = output.partition(b"\r\n\r\n")
    status = 200
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"status:"):
            status = int(line.split()[1])
    return status, body


# --- Processes and their memory ----------------------------------------------------------


def memory(pid):
    """RSS and PSS of one process in MB, from /proc/PID/smaps_rollup."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as file:
        for line in file:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                fields[parts[0].rstrip(":")] = int(parts[1]) / 1024
    # Anonymous PSS is the heap (the model lives there), shared only between the master and
    # its forks; file-backed PSS (the binary, libswiftCore, libc) is divided with every
    # other process on the machine that maps the same libraries, so it varies with them.
    return {"rss_mb": fields["Rss"], "pss_mb": fields["Pss"],
            "pss_anon_mb": fields.get("Pss_Anon", 0.0),
            "private_mb": fields["Private_Clean"] + fields["Private_Dirty"]}


def children(pid):
    """The PIDs whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                stat = file.read()
        except OSError:
            continue
        # The parent PID is the second field after the parenthesised command name.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return sorted(found)


class Server:
    """One `augur serve` on a unix socket in `folder`, stopped by its PID."""

    def __init__(self, augur, folder, models, workers):
        self.socket = str(folder / f"augur-{time.monotonic_ns()}.sock")
        self.log = open(folder / "serve.log", "ab")
        command = [augur, "serve", "--listen", f"unix:{self.socket}", "--workers", str(workers)]
        for name, path in models.items():
            command += ["--model", f"{name}={path}"]
        self.workers = workers
        self.launched = time.perf_counter()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=self.log)

    def wait_until_predicting(self, model, body, timeout=60):
        """Seconds from launch until the first 200 to a prediction; polls every millisecond."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"augur serve exited with {self.process.returncode}")
            try:
                status, _ = fastcgi_request(self.socket, "POST", f"/predict/{model}", body)
                if status == 200:
                    return time.perf_counter() - self.launched
            except OSError:
                pass
            time.sleep(0.001)
        raise TimeoutError(f"augur serve did not answer within {timeout} s")

    def worker_pids(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = children(self.process.pid)
            if len(pids) == self.workers:
                return pids
            time.sleep(0.05)
        raise TimeoutError(f"expected {self.workers} workers, found {children(self.process.pid)}")

    def stop(self):
        workers = children(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
        for pid in workers:  # only ours, and only if the master left one behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


def send_many(server, model, body, count, connections=8):
    """`count` predictions from `connections` threads, so that every worker takes some."""
    def one(_):
        return fastcgi_request(server.socket, "POST", f"/predict/{model}", body)[0]

    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        statuses = list(pool.map(one, range(count)))
    failed = sum(1 for status in statuses if status != 200)
    if failed:
        raise RuntimeError(f"{failed} of {count} requests to {model} failed")


def pool_memory(server):
    workers = [memory(pid) for pid in server.worker_pids()]
    master = memory(server.process.pid)
    return {
        "workers": len(workers),
        "workers_pss_mb": sum(worker["pss_mb"] for worker in workers),
        "workers_rss_mb": sum(worker["rss_mb"] for worker in workers),
        "master_pss_mb": master["pss_mb"],
        "master_rss_mb": master["rss_mb"],
        "pool_pss_mb": sum(worker["pss_mb"] for worker in workers) + master["pss_mb"],
        "pool_rss_mb": sum(worker["rss_mb"] for worker in workers) + master["rss_mb"],
        "pool_pss_anon_mb": sum(worker["pss_anon_mb"] for worker in workers)
        + master["pss_anon_mb"],
        "worker_rss_mb_each": [worker["rss_mb"] for worker in workers],
        "worker_private_mb_each": [worker["private_mb"] for worker in workers],
    }


# --- The measurements --------------------------------------------------------------------


def fit_forests(folder):
    """Forests of 100 and 1000 trees on the benchmark forest's data and depth."""
    script = f"""
import joblib
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
data = load_breast_cancer()
for trees in (100, 1000):
    forest = RandomForestClassifier(n_estimators=trees, max_depth=10, random_state=0)
    forest.fit(data.data, data.target)
    joblib.dump(forest, "{folder}/forest-%d.joblib" % trees)
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=900)
    return {trees: folder / f"forest-{trees}.joblib" for trees in (100, 1000)}


def idle_worker(augur, folder, iris, iris_body):
    server = Server(augur, folder, {"iris": iris}, workers=2)
    try:
        server.wait_until_predicting("iris", iris_body)
        pids = server.worker_pids()
        fresh = [memory(pid) for pid in pids]
        send_many(server, "iris", iris_body, 200)
        served = [memory(pid) for pid in pids]
        master = memory(server.process.pid)
    finally:
        server.stop()
    rows = []
    for index, pid in enumerate(pids):
        rows.append({"kind": "idle_worker_rss_mb", "model": "iris", "worker": index,
                     "rss_mb": fresh[index]["rss_mb"], "pss_mb": fresh[index]["pss_mb"],
                     "pss_anon_mb": fresh[index]["pss_anon_mb"],
                     "rss_mb_after_200_requests": served[index]["rss_mb"],
                     "pss_mb_after_200_requests": served[index]["pss_mb"],
                     "master_rss_mb": master["rss_mb"],
                     "model_file_bytes": iris.stat().st_size})
    return rows


def pools(augur, folder, forests, forest_body, counts):
    rows = []
    for trees, path in forests.items():
        for workers in counts:
            server = Server(augur, folder, {"forest": path}, workers)
            try:
                server.wait_until_predicting("forest", forest_body)
                ready = pool_memory(server)
                send_many(server, "forest", forest_body, 200)
                served = pool_memory(server)
            finally:
                server.stop()
            rows.append({"kind": "pool_pss_mb", "model": f"forest-{trees}", "trees": trees,
                         "model_file_bytes": path.stat().st_size,
                         **served, "ready": ready, "after_requests": 200})
            print(f"pool forest-{trees} x{workers}: PSS {served['pool_pss_mb']:.1f} MB "
                  f"(anonymous {served['pool_pss_anon_mb']:.1f}), "
                  f"RSS {served['pool_rss_mb']:.1f} MB; "
                  f"when ready PSS {ready['pool_pss_mb']:.1f} MB", flush=True)
    return rows


def model_scaling(pool_rows, idle_rows):
    """One worker per model: RSS above the iris worker, against the file size."""
    baseline = statistics.median(row["rss_mb_after_200_requests"] for row in idle_rows)
    single = {row["trees"]: row for row in pool_rows if row["workers"] == 1}
    rows = []
    for trees, row in sorted(single.items()):
        rows.append({"kind": "model_scaling", "model": row["model"], "trees": trees,
                     "model_file_bytes": row["model_file_bytes"],
                     "worker_rss_mb": row["workers_rss_mb"],
                     "idle_worker_rss_mb": baseline,
                     "worker_rss_above_idle_mb": row["workers_rss_mb"] - baseline,
                     "master_rss_mb": row["master_rss_mb"]})
    if len(rows) == 2:
        small, large = rows
        rows.append({"kind": "model_scaling", "model": "ratio 1000 / 100 trees",
                     "file_bytes_ratio": large["model_file_bytes"] / small["model_file_bytes"],
                     "worker_rss_above_idle_ratio":
                         large["worker_rss_above_idle_mb"] / small["worker_rss_above_idle_mb"]})
    return rows


def starts(augur, folder, models, count):
    """Launch to first prediction for Augur, launch to exit for Python; interleaved."""
    rows = []
    for name, (path, body) in models.items():
        augur_times, python_times = [], []
        for attempt in range(count):
            # Alternate which goes first, so neither always finds a warmer page cache.
            order = ["augur", "python"] if attempt % 2 == 0 else ["python", "augur"]
            for side in order:
                if side == "augur":
                    server = Server(augur, folder, {name: path}, workers=2)
                    try:
                        augur_times.append(server.wait_until_predicting(name, body))
                    finally:
                        server.stop()
                else:
                    began = time.perf_counter()
                    subprocess.run(
                        [sys.executable, "-c",
                         f"import sklearn, joblib; joblib.load({str(path)!r})"],
                        check=True, timeout=120,
                    )
                    python_times.append(time.perf_counter() - began)
        rows.append({"kind": "first_request_seconds", "model": name, "workers": 2,
                     "seconds": statistics.median(augur_times), "samples": augur_times})
        rows.append({"kind": "python_import_and_load_seconds", "model": name,
                     "seconds": statistics.median(python_times), "samples": python_times})
        print(f"start {name}: augur {statistics.median(augur_times) * 1e3:.1f} ms, "
              f"python {statistics.median(python_times) * 1e3:.1f} ms", flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", required=True, type=pathlib.Path)
    parser.add_argument("--augur", required=True)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="pools of 1 and 2 workers, 2 starts each, to check the set-up")
    arguments = parser.parse_args()
    counts, start_count = ([1, 2], 2) if arguments.quick else ([1, 2, 4], arguments.starts)

    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    iris = arguments.models / "iris" / "model.joblib"
    iris_body = (arguments.models / "iris" / "body-1.json").read_bytes()
    forest_body = (arguments.models / "forest" / "body-1.json").read_bytes()
    version = subprocess.run([arguments.augur, "--version"], capture_output=True, text=True,
                             timeout=30).stdout.split()[-1]
    with tempfile.TemporaryDirectory(prefix="augur-footprint-") as name:
        folder = pathlib.Path(name)
        forests = fit_forests(folder)
        rows = idle_worker(arguments.augur, folder, iris, iris_body)
        print(f"idle worker (iris): RSS {[round(r['rss_mb'], 1) for r in rows]} MB", flush=True)
        pool_rows = pools(arguments.augur, folder, forests, forest_body, counts)
        rows += pool_rows
        rows += model_scaling(pool_rows, rows[:2])
        rows += starts(arguments.augur, folder, {
            "iris": (iris, iris_body),
            "forest": (arguments.models / "forest" / "model.joblib", forest_body),
        }, start_count)
    import sklearn  # only for its version; the measurements ran in other processes

    meta = {
        "started": started,
        "host": {"cpus": os.cpu_count(), "kernel": platform.release(),
                 "load_average_before": load_before, "load_average_after": os.getloadavg()},
        "versions": {"augur": version, "python": sys.version.split()[0],
                     "scikit-learn": sklearn.__version__},
        "settings": {
            "front": "none: FastCGI requests straight to augur's unix socket",
            "threads_per_worker": 4,
            "memory": "/proc/PID/smaps_rollup; MB = 2^20 bytes; pool_pss_mb and pool_rss_mb "
                      "sum the workers and the master; 'ready' is after the first successful "
                      "request, the top-level figures after 200 more from 8 connections",
            "pool_counts": counts,
            "starts": start_count,
            "start": "augur: from Popen of `augur serve` to the first 200 of POST /predict, "
                     "polled every ms; python: Popen to exit of python -c 'import sklearn, "
                     "joblib; joblib.load(FILE)'",
        },
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    print(f"wrote {arguments.out}")


if __name__ == "__main__":
    main()
