"""The HTTP side of the benchmark suite: Augur and the alternatives behind one nginx, under wrk.

    .venv-bench/bin/python bench/http/run.py --models DIR --augur BIN --out FILE \
        [--duration SECONDS] [--rounds N] [--quick] [--servers a,b,..] [--models-only iris,..] \
        [--run-dir DIR] [--seed N]

DIR is what bench/train_models.py wrote (DIR/NAME/{model.joblib, body-1.json, body-100.json,
v2-1.json, v2-100.json}). Every server is started once, checked once (HTTP 200 and the same
predictions as scikit-learn), then each round runs every cell (server x model x batch x
connections) once in a shuffled order seeded per round, each cell after a 1 s warm-up that is
not counted. Per cell it records wrk's requests/s, p50, p99, requests and errors, the CPU the
server's processes used per request, and their RSS and PSS sampled near the end of the cell.
The rows are written to FILE as JSON (the http.json shape of the suite); a table of medians
over rounds, with ratios to Augur, is printed at the end.

Servers are started in their own sessions (setsid) on 127.0.0.1 ports and unix sockets in the
run folder, and every process group started is stopped by its id on exit, error or Ctrl-C.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

ALL_SERVERS = [
    "nginx-static",
    "constant-fastcgi",
    "augur",
    "augur-v2",
    "flask-sync",
    "flask-gthread",
    "fastapi",
    "mlserver",
]
# Servers that answer a constant whatever the body: no model, and they are sent iris's bodies.
MODEL_LESS = {"nginx-static", "constant-fastcgi"}
# Servers that take V2 (Open Inference) bodies rather than the native ones.
V2_SERVERS = {"augur-v2", "mlserver"}
ALL_MODELS = ["iris", "forest", "boosting", "pipeline"]
BATCHES = [1, 100]
CONNECTIONS = [1, 16, 64]
WARMUP_SECONDS = 1
# wrk counts a request slower than this as a timeout error; long enough for the slowest
# Python server at 64 connections with 100-row bodies, so that slowness shows as latency.
WRK_TIMEOUT = "10s"
# Idle HTTP connections each nginx worker keeps to a Python server (uvicorn, gunicorn gthread
# and MLServer keep them; gunicorn sync closes every connection itself).
HTTP_KEEPALIVE = 16
READY_SECONDS = 180
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


class BenchError(Exception):
    pass


class Stop(Exception):
    """Raised by the SIGTERM/SIGHUP handler so that the finally blocks stop the servers."""


# Process groups.


def group_members(pgid):
    """PIDs of the live processes whose process group is pgid (a server and its workers)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = read_stat(int(entry))
        if fields is not None and int(fields[2]) == pgid:
            members.append(int(entry))
    return members


def read_stat(pid):
    """/proc/PID/stat fields after the command name (field 3 of proc(5) is index 0)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            text = file.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def group_cpu_seconds(pgid):
    """CPU seconds (user + system, reaped children included) of a process group's members."""
    ticks = 0
    for pid in group_members(pgid):
        fields = read_stat(pid)
        if fields is not None:
            # utime, stime, cutime, cstime: fields 14-17 of proc(5).
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / CLOCK_TICKS


def group_memory_mb(pgid):
    """(RSS, PSS) in MB summed over a process group's members, from smaps_rollup."""
    rss_kb = pss_kb = 0
    for pid in group_members(pgid):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as file:
                for line in file:
                    if line.startswith("Rss:"):
                        rss_kb += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss_kb += int(line.split()[1])
        except OSError:
            continue
    return rss_kb / 1024, pss_kb / 1024


class Processes:
    """Every process group this run started, so that all are stopped whatever happens."""

    def __init__(self):
        self.groups = []

    def start(self, name, command, log_path, cwd=None, env=None):
        log = open(log_path, "wb")
        try:
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        # start_new_session makes the child a session and group leader: its pgid is its pid.
        self.groups.append((name, process))
        return process

    def stop_all(self):
        for name, process in reversed(self.groups):
            stop_group(name, process)
        self.groups = []


def stop_group(name, process, grace=10.0):
    pgid = process.pid
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        process.poll()
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()
        if not group_members(pgid):
            return
        time.sleep(0.1)
    print(f"  {name}: still running {grace:.0f} s after SIGTERM; sending SIGKILL", flush=True)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


# Small helpers.


def free_ports(count):
    """Ports the kernel hands out for port 0 on 127.0.0.1, all held open until all are found."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def post(url, body, timeout=30):
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def command_output(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (result.stdout + result.stderr).strip()


def first_line(text):
    return text.splitlines()[0] if text else None


def package_version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def load_average():
    with open("/proc/loadavg") as file:
        return [float(value) for value in file.read().split()[:3]]


# The servers.


class Server:
    """One backend: how it is started, the processes it runs, and the path nginx serves it on."""

    def __init__(self, name, port, group=None, settings=None):
        self.name = name
        self.port = port  # nginx's port for this backend
        self.group = group  # the backend's process group id (None: nginx itself answers)
        self.settings = settings or {}

    def url(self, model):
        if self.name in MODEL_LESS:
            return f"http://127.0.0.1:{self.port}/predict"
        if self.name in V2_SERVERS:
            return f"http://127.0.0.1:{self.port}/v2/models/{model}/infer"
        return f"http://127.0.0.1:{self.port}/predict/{model}"

    def body_path(self, models_dir, model, batch):
        kind = "v2" if self.name in V2_SERVERS else "body"
        return os.path.join(models_dir, model or "iris", f"{kind}-{batch}.json")


def default_threads(augur):
    """Accept threads per worker of `augur serve` by default, from its --help."""
    text = command_output([augur, "serve", "--help"]) or ""
    # The help lists each option with its variable and default: "AUGUR_THREADS (4)".
    match = re.search(r"AUGUR_THREADS \((\d+)\)", text)
    if match is None:
        raise BenchError("cannot tell augur serve's default --threads")
    return int(match.group(1))


def build_constant_responder(run_dir):
    binary = os.path.join(run_dir, "constant_responder")
    command = [
        "gcc",
        "-O2",
        os.path.join(HERE, "constant_responder.c"),
        "-o",
        binary,
        "-lfcgi",
        "-lpthread",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise BenchError(f"cannot build the constant responder:\n{result.stderr}")
    return binary


def render_nginx(run_dir, ports, sockets, constant_answer):
    """Writes nginx.conf (the template), Augur's shipped site and the constant's upstream."""
    nginx_source = os.path.join(REPO, "nginx")
    for name in ("augur.conf", "augur-upstream.conf", "fastcgi_params"):
        shutil.copy(os.path.join(nginx_source, name), os.path.join(run_dir, name))

    # Augur's site as shipped, with the two lines the tests and the demo rewrite too.
    site_path = os.path.join(run_dir, "augur.conf")
    with open(site_path) as file:
        site = file.read()
    lines = site.split("\n")
    for old, new in (
        ("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{ports['augur']};"),
        ("server unix:/run/augur/augur.sock;", f"server unix:{sockets['augur']};"),
    ):
        # The line itself, not the comment at the top of the file that quotes it.
        found = [i for i, line in enumerate(lines) if line.strip() == old]
        if len(found) != 1:
            raise BenchError(f"nginx/augur.conf no longer holds the line `{old}` exactly once")
        lines[found[0]] = lines[found[0]].replace(old, new)
    site = "\n".join(lines)
    with open(site_path, "w") as file:
        file.write(site)

    # The pool's upstream keepalive, so the constant responder is forwarded to the same way.
    match = re.search(r"upstream augur_pool \{[^}]*?keepalive (\d+);", site, re.S)
    keepalive = int(match.group(1)) if match else None

    with open(os.path.join(run_dir, "augur-upstream.conf")) as file:
        upstream = file.read()
    if "fastcgi_pass augur_pool;" not in upstream:
        raise BenchError("nginx/augur-upstream.conf no longer holds `fastcgi_pass augur_pool;`")
    with open(os.path.join(run_dir, "constant-upstream.conf"), "w") as file:
        file.write(upstream.replace("fastcgi_pass augur_pool;", "fastcgi_pass constant_pool;"))

    proxies = []
    for name in ("flask-sync", "flask-gthread", "fastapi", "mlserver"):
        upstream_name = name.replace("-", "_")
        proxies.append(
            f"""    upstream {upstream_name} {{
        server 127.0.0.1:{ports[name + ':backend']};
        keepalive {HTTP_KEEPALIVE};
    }}
    server {{
        listen 127.0.0.1:{ports[name]};
        location / {{
            proxy_pass http://{upstream_name};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
"""
        )

    with open(os.path.join(HERE, "nginx-bench.conf")) as file:
        text = file.read()
    values = {
        "STATIC_PORT": str(ports["nginx-static"]),
        "CONSTANT_ANSWER": constant_answer,
        "CONSTANT_SOCKET": sockets["constant-fastcgi"],
        "CONSTANT_PORT": str(ports["constant-fastcgi"]),
        # A pool with no keepalive line gets none for the constant responder either.
        "FASTCGI_KEEPALIVE": str(keepalive) if keepalive else "0",
        "PROXY_SERVERS": "\n".join(proxies),
    }
    if not keepalive:
        text = text.replace("        keepalive @@FASTCGI_KEEPALIVE@@;\n", "")
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise BenchError("nginx-bench.conf has a placeholder the harness does not fill")
    with open(os.path.join(run_dir, "nginx.conf"), "w") as file:
        file.write(text)
    return {"fastcgi_keepalive": keepalive, "http_keepalive": HTTP_KEEPALIVE}


def write_mlserver_folder(run_dir, models_dir, models, ports):
    """settings.json and one model-settings.json per model, as MLServer's docs lay them out."""
    folder = os.path.join(run_dir, "mlserver")
    os.makedirs(folder)
    # Only the addresses differ from MLServer's defaults: everything listens on 127.0.0.1
    # (its default host is 0.0.0.0) on ports this run picked.
    settings = {
        "host": "127.0.0.1",
        "http_port": ports["mlserver:backend"],
        "grpc_port": ports["mlserver:grpc"],
        "metrics_port": ports["mlserver:metrics"],
    }
    with open(os.path.join(folder, "settings.json"), "w") as file:
        json.dump(settings, file, indent=2)
    for model in models:
        os.makedirs(os.path.join(folder, model))
        model_settings = {
            "name": model,
            "implementation": "mlserver_sklearn.SKLearnModel",
            "parameters": {
                "uri": os.path.abspath(os.path.join(models_dir, model, "model.joblib"))
            },
        }
        with open(os.path.join(folder, model, "model-settings.json"), "w") as file:
            json.dump(model_settings, file, indent=2)
    return folder, settings


def check_mlserver_loop():
    """MLServer 1.7.1's inference worker dies at start under uvloop 0.22 or later."""
    uvloop = package_version("uvloop")
    if uvloop is None or package_version("mlserver") != "1.7.1":
        return
    major_minor = tuple(int(part) for part in uvloop.split(".")[:2])
    if major_minor >= (0, 22):
        raise BenchError(
            f"MLServer 1.7.1 cannot run its inference worker with uvloop {uvloop} (its worker "
            "calls asyncio.get_event_loop() outside a loop): install uvloop==0.21.0 as "
            "bench/requirements.txt pins it"
        )


def wait_ready(name, process, check, log_path, seconds=READY_SECONDS):
    """Polls check() until it returns True; fails early if the server's process exited."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise BenchError(f"{name} exited with {process.returncode}; see {log_path}")
        try:
            if check():
                return
        except (OSError, urllib.error.URLError, ValueError) as error:
            last = error
        time.sleep(0.25)
    raise BenchError(f"{name} not ready after {seconds} s (last error: {last}); see {log_path}")


# Answers and checks.


def predictions_of(answer):
    """The predictions in any server's answer, as a flat list."""
    if "prediction" in answer:
        return [answer["prediction"]]
    if "predictions" in answer:
        values = answer["predictions"]
        return values if isinstance(values, list) else [values]
    if "outputs" in answer:
        outputs = answer["outputs"]
        chosen = next((o for o in outputs if o.get("name") == "predict"), outputs[0])
        return flatten(chosen["data"])
    raise ValueError("no prediction in the answer")


def flatten(values):
    flat = []
    for value in values:
        if isinstance(value, list):
            flat.extend(flatten(value))
        else:
            flat.append(value)
    return flat


def reference_predictions(models_dir, model, batch):
    """scikit-learn's own predictions for a native body, loaded with .venv-bench's joblib."""
    import joblib
    import numpy as np
    import pandas as pd

    estimator = joblib.load(os.path.join(models_dir, model, "model.joblib"))
    with open(os.path.join(models_dir, model, f"body-{batch}.json")) as file:
        body = json.load(file)
    if "instances" in body:
        features = pd.DataFrame(body["instances"])
    else:
        features = np.array(body["features"], dtype=float)
        if features.ndim == 1:
            features = features.reshape(1, -1)
    return estimator.predict(features).tolist()


def same_predictions(got, want):
    if len(got) != len(want):
        return False
    for a, b in zip(got, want):
        if isinstance(b, float) and not float(b).is_integer():
            if not isinstance(a, (int, float)) or abs(a - b) > 1e-9 * max(1.0, abs(b)):
                return False
        elif a != b and not (isinstance(a, (int, float)) and float(a) == float(b)):
            return False
    return True


def check_cell(server, models_dir, model, batch, constant_answer, references):
    """None if the server answers this body correctly, else the reason it does not."""
    with open(server.body_path(models_dir, model, batch), "rb") as file:
        body = file.read()
    try:
        status, answer = post(server.url(model), body)
    except (OSError, urllib.error.URLError) as error:
        return f"request failed: {error}"
    if status != 200:
        return f"HTTP {status}: {answer[:300]!r}"
    if server.name in MODEL_LESS:
        return None if answer.strip() == constant_answer.encode() else f"answer {answer[:200]!r}"
    try:
        got = predictions_of(json.loads(answer))
    except (ValueError, KeyError, IndexError, TypeError) as error:
        return f"no prediction in {answer[:300]!r} ({error})"
    want = references[(model, batch)]
    if not same_predictions(got, want):
        return f"predictions differ from scikit-learn's: got {got[:5]}, want {want[:5]}"
    return None


# Measuring.


def run_wrk(url, body_path, connections, seconds, lua):
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        "-s",
        lua,
        url,
    ]
    env = dict(os.environ, BENCH_BODY=body_path)
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=seconds + 30
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line[len("BENCH_RESULT ") :]), threads
    raise BenchError(f"wrk printed no result ({result.returncode}): {result.stderr.strip()}")


def measure_cell(server, nginx_group, models_dir, model, batch, connections, seconds, lua):
    url = server.url(model)
    body_path = server.body_path(models_dir, model, batch)
    run_wrk(url, body_path, connections, WARMUP_SECONDS, lua)

    # Memory is sampled near the end of the measured run, while the load is still on.
    samples = {}

    def sample_memory():
        if stop_sampling.wait(seconds * 0.85):
            return
        if server.group is not None:
            samples["server"] = group_memory_mb(server.group)
        samples["nginx"] = group_memory_mb(nginx_group)

    stop_sampling = threading.Event()
    sampler = threading.Thread(target=sample_memory, daemon=True)
    cpu_before = group_cpu_seconds(server.group) if server.group is not None else 0.0
    nginx_before = group_cpu_seconds(nginx_group)
    sampler.start()
    try:
        result, threads = run_wrk(url, body_path, connections, seconds, lua)
    except BaseException:
        stop_sampling.set()
        raise
    finally:
        # wrk ran for the whole duration, so the sample was taken at 85 % of it.
        sampler.join(timeout=seconds + 5)
    cpu_after = group_cpu_seconds(server.group) if server.group is not None else 0.0
    nginx_after = group_cpu_seconds(nginx_group)

    requests = result["requests"]
    elapsed = result["duration_us"] / 1e6
    errors = sum(
        result[key]
        for key in ("errors_connect", "errors_read", "errors_write", "errors_status",
                    "errors_timeout")
    )

    def per_request(cpu_seconds):
        return cpu_seconds * 1000 / requests if requests else None

    rss, pss = samples.get("server", (None, None))
    # nginx-static has no backend: its server figures are nginx's own.
    if server.group is None:
        cpu_before, cpu_after = nginx_before, nginx_after
        rss, pss = samples.get("nginx", (None, None))
    # No answer within the cell (a server stalled for all of it): wrk's percentiles are 0 then,
    # which would read as instant answers.
    def latency_ms(key):
        return result[key] / 1000 if requests else None

    return {
        "requests_per_second": requests / elapsed if elapsed else 0.0,
        "latency_p50_ms": latency_ms("latency_p50_us"),
        "latency_p99_ms": latency_ms("latency_p99_us"),
        "requests": requests,
        "errors": errors,
        "cpu_ms_per_request": per_request(cpu_after - cpu_before),
        "rss_mb": rss,
        "pss_mb": pss,
        "nginx_cpu_ms_per_request": per_request(nginx_after - nginx_before),
        "nginx_rss_mb": samples.get("nginx", (None, None))[0],
        "nginx_pss_mb": samples.get("nginx", (None, None))[1],
        "wrk_threads": threads,
        "errors_detail": {
            key[len("errors_") :]: result[key]
            for key in result
            if key.startswith("errors_") and result[key]
        },
    }


# The summary.


def median_or_none(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def summarise(rows):
    cells = {}
    for row in rows:
        if row["server"] == "nginx":
            continue
        key = (row["server"], row["model"], row["batch"], row["connections"])
        cells.setdefault(key, []).append(row)
    medians = {}
    for key, group in cells.items():
        medians[key] = {
            field: median_or_none([row[field] for row in group])
            for field in (
                "requests_per_second",
                "latency_p50_ms",
                "latency_p99_ms",
                "errors",
                "cpu_ms_per_request",
                "rss_mb",
                "pss_mb",
            )
        }
    return medians


def print_summary(medians):
    order = {name: index for index, name in enumerate(ALL_SERVERS)}
    model_order = {name: index for index, name in enumerate(ALL_MODELS)}

    def sort_key(key):
        server, model, batch, connections = key
        # Model-less servers are listed with iris, the bodies they are sent.
        return (model_order.get(model or "iris", 9), batch, connections, order[server])

    def show(value, pattern):
        return pattern.format(value) if value is not None else "-"

    header = (
        f"{'server':<17}{'model':<9}{'batch':>5}{'conn':>5}{'req/s':>10}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>7}{'cpu ms/req':>11}{'rss MB':>8}{'pss MB':>8}{'x augur':>9}"
    )
    print("\nmedians over rounds (x augur: req/s over Augur's native /predict in the same cell)")
    print(header)
    print("-" * len(header))
    previous = None
    for key in sorted(medians, key=sort_key):
        server, model, batch, connections = key
        group = (model or "iris", batch, connections)
        if previous is not None and group != previous:
            print()
        previous = group
        figures = medians[key]
        augur = medians.get(("augur", model or "iris", batch, connections))
        ratio = None
        if augur and augur["requests_per_second"] and figures["requests_per_second"] is not None:
            ratio = figures["requests_per_second"] / augur["requests_per_second"]
        print(
            f"{server:<17}{(model or '-'):<9}{batch:>5}{connections:>5}"
            f"{show(figures['requests_per_second'], '{:.0f}'):>10}"
            f"{show(figures['latency_p50_ms'], '{:.2f}'):>9}"
            f"{show(figures['latency_p99_ms'], '{:.2f}'):>9}"
            f"{show(figures['errors'], '{:.0f}'):>7}"
            f"{show(figures['cpu_ms_per_request'], '{:.3f}'):>11}"
            f"{show(figures['rss_mb'], '{:.1f}'):>8}"
            f"{show(figures['pss_mb'], '{:.1f}'):>8}"
            f"{show(ratio, '{:.2f}'):>9}"
        )


# The run.


def parse_arguments():
    parser = argparse.ArgumentParser(
        description="Augur and the alternatives over HTTP behind one nginx, measured with wrk."
    )
    parser.add_argument("--models", required=True, help="the folder train_models.py wrote")
    parser.add_argument("--augur", required=True, help="the augur binary (a release build)")
    parser.add_argument("--out", required=True, help="the JSON file of results to write")
    parser.add_argument("--duration", type=int, default=3, help="seconds measured per cell")
    parser.add_argument("--rounds", type=int, default=3, help="times every cell is run")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 1 round of 1 s, 16 connections, iris only",
    )
    parser.add_argument("--servers", help="comma-separated subset of: " + ",".join(ALL_SERVERS))
    parser.add_argument("--models-only", help="comma-separated subset of: " + ",".join(ALL_MODELS))
    parser.add_argument(
        "--run-dir",
        default=os.path.join(".run", "bench", "http"),
        help="folder for configuration, sockets and logs (wiped at start)",
    )
    parser.add_argument("--seed", type=int, default=20261205, help="seed of the cell order")
    parser.add_argument(
        "--python-threads",
        type=int,
        help="OMP_NUM_THREADS (and OpenBLAS's) for the Python servers; unset by default, as "
        "in the tutorials, so scikit-learn's OpenMP code uses every CPU in every worker",
    )
    arguments = parser.parse_args()

    def subset(text, known, what):
        if not text:
            return list(known)
        chosen = [item.strip() for item in text.split(",") if item.strip()]
        unknown = [item for item in chosen if item not in known]
        if unknown:
            parser.error(f"unknown {what}: {', '.join(unknown)}")
        return [item for item in known if item in chosen]

    arguments.server_list = subset(arguments.servers, ALL_SERVERS, "servers")
    arguments.model_list = subset(arguments.models_only, ALL_MODELS, "models")
    arguments.connection_list = list(CONNECTIONS)
    if arguments.quick:
        arguments.rounds = 1
        arguments.duration = 1
        arguments.connection_list = [16]
        arguments.model_list = ["iris"]
    if arguments.duration < 1 or arguments.rounds < 1:
        parser.error("--duration and --rounds must be at least 1")
    return arguments


def main():
    arguments = parse_arguments()
    for tool in ("wrk", "nginx", "gcc"):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} is not installed (Debian package: {tool})")
    augur = os.path.abspath(arguments.augur)
    models_dir = os.path.abspath(arguments.models)
    for model in arguments.model_list:
        for kind in ("model.joblib", "body-1.json", "body-100.json", "v2-1.json", "v2-100.json"):
            if not os.path.exists(os.path.join(models_dir, model, kind)):
                raise BenchError(f"{models_dir}/{model}/{kind} is missing (bench/train_models.py)")

    run_dir = os.path.abspath(arguments.run_dir)
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(run_dir)
    # nginx's workers run as another user (nobody) when the run is root's: they must be able
    # to reach the sockets and the temp folders under the prefix.
    os.chmod(run_dir, 0o755)
    lua = os.path.join(HERE, "post.lua")

    processes = Processes()

    def on_signal(number, frame):
        raise Stop(f"signal {number}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        run(arguments, augur, models_dir, run_dir, lua, processes)
    except KeyboardInterrupt:
        print("\ninterrupted; stopping the servers", file=sys.stderr)
        return 130
    except Stop as stop:
        print(f"\n{stop}; stopping the servers", file=sys.stderr)
        return 143
    finally:
        processes.stop_all()
    return 0


def run(arguments, augur, models_dir, run_dir, lua, processes):
    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    wanted = set(arguments.server_list)
    models = arguments.model_list
    cpus = os.sysconf("SC_NPROCESSORS_ONLN")
    threads = default_threads(augur)

    # iris's one-row answer from Augur itself: what the constant servers answer.
    result = subprocess.run(
        [augur, "predict", os.path.join(models_dir, "iris", "model.joblib"), "--input",
         os.path.join(models_dir, "iris", "body-1.json")],
        capture_output=True, text=True, timeout=60,
    )
    if result.returncode != 0:
        raise BenchError(f"augur predict failed: {result.stderr.strip()}")
    constant_answer = result.stdout.strip()

    names = ["nginx-static", "constant-fastcgi", "augur", "flask-sync", "flask-gthread",
             "fastapi", "mlserver", "flask-sync:backend", "flask-gthread:backend",
             "fastapi:backend", "mlserver:backend", "mlserver:grpc", "mlserver:metrics"]
    ports = dict(zip(names, free_ports(len(names))))
    ports["augur-v2"] = ports["augur"]
    sockets = {
        "augur": os.path.join(run_dir, "augur.sock"),
        "constant-fastcgi": os.path.join(run_dir, "constant.sock"),
    }
    nginx_settings = render_nginx(run_dir, ports, sockets, constant_answer)
    for folder in ("client_body_temp", "fastcgi_temp", "proxy_temp", "uwsgi_temp", "scgi_temp"):
        os.makedirs(os.path.join(run_dir, folder), mode=0o755)

    python = sys.executable
    venv_bin = os.path.dirname(python)
    python_env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if arguments.python_threads:
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            python_env[variable] = str(arguments.python_threads)
    model_env = dict(python_env, BENCH_MODELS=models_dir, BENCH_MODEL_NAMES=",".join(models))
    settings = {
        "duration_seconds": arguments.duration,
        "warmup_seconds": WARMUP_SECONDS,
        "rounds": arguments.rounds,
        "seed": arguments.seed,
        "quick": arguments.quick,
        "connections": arguments.connection_list,
        "batches": BATCHES,
        "models": models,
        "wrk": {"threads": "min(2, connections)", "timeout": WRK_TIMEOUT,
                "errors": "connect + read + write + timeout + HTTP status >= 400"},
        "nginx": {"worker_processes": 2, "access_log": "off", **nginx_settings},
        "servers": {},
        "python_threads": arguments.python_threads or "unset (OpenMP uses every CPU)",
        "load_average_start": load_average(),
    }
    servers = {}

    def log(name):
        return os.path.join(run_dir, f"{name}.log")


    print(f"run folder {run_dir}", flush=True)
    if wanted & {"augur", "augur-v2"}:
        command = [augur, "serve"]
        for model in models:
            command += ["--model", f"{model}={os.path.join(models_dir, model, 'model.joblib')}"]
        command += ["--listen", f"unix:{sockets['augur']}", "--log-level", "warning"]
        process = processes.start("augur", command, log("augur"))
        for name in ("augur", "augur-v2"):
            servers[name] = Server(name, ports[name], process.pid)
        settings["servers"]["augur"] = {
            "command": " ".join(command),
            "workers": cpus,
            "threads": threads,
            "nginx": "nginx/augur.conf, augur-upstream.conf and fastcgi_params as shipped",
        }
    if "constant-fastcgi" in wanted:
        binary = build_constant_responder(run_dir)
        command = [binary, sockets["constant-fastcgi"], str(cpus), str(threads), constant_answer]
        process = processes.start("constant-fastcgi", command, log("constant-fastcgi"))
        servers["constant-fastcgi"] = Server("constant-fastcgi", ports["constant-fastcgi"],
                                             process.pid)
        settings["servers"]["constant-fastcgi"] = {
            "command": " ".join(command),
            "processes": cpus,
            "threads": threads,
            "build": "gcc -O2 constant_responder.c -lfcgi -lpthread",
            "nginx": "augur-upstream.conf with fastcgi_pass to it, same keepalive as the pool",
        }
    gunicorn = os.path.join(venv_bin, "gunicorn")
    for name, extra in (("flask-sync", ["-k", "sync"]),
                        ("flask-gthread", ["-k", "gthread", "--threads", "4"])):
        if name not in wanted:
            continue
        command = [gunicorn, "-w", "2", *extra, "-b", f"127.0.0.1:{ports[name + ':backend']}",
                   "--chdir", HERE, "flask_app:app"]
        process = processes.start(name, command, log(name), env=model_env)
        servers[name] = Server(name, ports[name], process.pid)
        settings["servers"][name] = {"command": " ".join(command)}
    if "fastapi" in wanted:
        command = [os.path.join(venv_bin, "uvicorn"), "fastapi_app:app", "--app-dir", HERE,
                   "--host", "127.0.0.1", "--port", str(ports["fastapi:backend"]),
                   "--workers", "2", "--log-level", "warning"]
        process = processes.start("fastapi", command, log("fastapi"), env=model_env)
        servers["fastapi"] = Server("fastapi", ports["fastapi"], process.pid)
        settings["servers"]["fastapi"] = {"command": " ".join(command)}
    if "mlserver" in wanted:
        check_mlserver_loop()
        folder, mlserver_settings = write_mlserver_folder(run_dir, models_dir, models, ports)
        command = [os.path.join(venv_bin, "mlserver"), "start", folder]
        process = processes.start("mlserver", command, log("mlserver"), cwd=folder,
                                  env=python_env)
        servers["mlserver"] = Server("mlserver", ports["mlserver"], process.pid)
        settings["servers"]["mlserver"] = {
            "command": " ".join(command),
            "settings.json": mlserver_settings,
            "model-settings.json": {"implementation": "mlserver_sklearn.SKLearnModel",
                                    "parameters": {"uri": "DIR/NAME/model.joblib"}},
            "defaults kept": "parallel_workers 1, debug true (access log on), gzip on, "
                             "metrics on (own port); the MLServer defaults of 1.7.1",
        }

    command = ["nginx", "-p", run_dir + "/", "-c", os.path.join(run_dir, "nginx.conf"),
               "-e", "stderr", "-g", "daemon off;"]
    nginx_process = processes.start("nginx", command, log("nginx"))
    nginx_group = nginx_process.pid
    if "nginx-static" in wanted:
        servers["nginx-static"] = Server("nginx-static", ports["nginx-static"], None)

    # Ready: every server answers its first body through nginx with HTTP 200.
    processes_by_name = {name: process for name, process in processes.groups}
    for name in ALL_SERVERS:
        if name not in servers:
            continue
        server = servers[name]
        model = None if name in MODEL_LESS else models[0]
        with open(server.body_path(models_dir, model, 1), "rb") as file:
            body = file.read()
        owner = "augur" if name == "augur-v2" else name
        process = processes_by_name.get(owner, nginx_process)
        print(f"waiting for {name}", flush=True)
        wait_ready(name, process, lambda: post(server.url(model), body, timeout=10)[0] == 200,
                   log(owner))
        if nginx_process.poll() is not None:
            raise BenchError(f"nginx exited; see {log('nginx')}")

    # Checked once: HTTP 200 and scikit-learn's own predictions, for every body measured.
    references = {
        (model, batch): reference_predictions(models_dir, model, batch)
        for model in models
        for batch in BATCHES
    }
    cells = []
    checks = {}
    for name in ALL_SERVERS:
        if name not in servers:
            continue
        for model in ([None] if name in MODEL_LESS else models):
            for batch in BATCHES:
                problem = check_cell(servers[name], models_dir, model, batch, constant_answer,
                                     references)
                checks[f"{name}/{model or '-'}/{batch}"] = problem or "ok"
                if problem:
                    print(f"check failed, not measured: {name} {model} batch {batch}: {problem}",
                          flush=True)
                    continue
                for connections in arguments.connection_list:
                    cells.append((name, model, batch, connections))
    settings["checks"] = checks

    versions = {
        "augur": command_output([augur, "--version"]),
        "nginx": command_output(["nginx", "-v"]),
        "wrk": first_line(command_output(["wrk", "-v"])),
        "gcc": first_line(command_output(["gcc", "--version"])),
        "libfcgi": command_output(["dpkg-query", "-W", "-f=${Version}", "libfcgi-dev"]),
        "python": platform.python_version(),
    }
    for package in ("scikit-learn", "numpy", "pandas", "joblib", "flask", "gunicorn", "fastapi",
                    "uvicorn", "uvloop", "pydantic", "mlserver", "mlserver-sklearn"):
        versions[package] = package_version(package)

    rows = []
    total = len(cells) * arguments.rounds
    per_cell = WARMUP_SECONDS + arguments.duration + 0.5
    print(f"{len(cells)} cells x {arguments.rounds} rounds, about "
          f"{total * per_cell / 60:.1f} minutes", flush=True)
    nginx_memory = []
    done = 0
    for round_number in range(1, arguments.rounds + 1):
        order = list(cells)
        random.Random(arguments.seed + round_number).shuffle(order)
        for name, model, batch, connections in order:
            for owner, process in processes.groups:
                if process.poll() is not None:
                    raise BenchError(f"{owner} exited with {process.returncode}; see {log(owner)}")
            figures = measure_cell(servers[name], nginx_group, models_dir, model, batch,
                                   connections, arguments.duration, lua)
            done += 1
            if figures["nginx_rss_mb"] is not None:
                nginx_memory.append((figures["nginx_rss_mb"], figures["nginx_pss_mb"]))
            row = {"server": name, "model": model, "batch": batch, "connections": connections,
                   "round": round_number}
            row.update(figures)
            rows.append(row)
            print(f"[{done}/{total}] round {round_number} {name} {model or '-'} batch {batch} "
                  f"c{connections}: {figures['requests_per_second']:.0f} req/s, "
                  f"p99 {figures['latency_p99_ms'] or 0:.2f} ms, errors {figures['errors']}",
                  flush=True)

    # nginx's own figures, once: its CPU per request when it answers alone (nginx-static),
    # and the most memory its processes held under any cell's load.
    static = [row["cpu_ms_per_request"] for row in rows if row["server"] == "nginx-static"]
    if nginx_memory:
        rows.append({
            "server": "nginx", "model": None, "batch": None, "connections": None, "round": None,
            "cpu_ms_per_request": median_or_none(static),
            "rss_mb": max(rss for rss, _ in nginx_memory),
            "pss_mb": max(pss for _, pss in nginx_memory),
            "note": "cpu: median over the nginx-static cells; rss/pss: the largest sample "
                    "under load over all cells (each cell's nginx figures are in its row)",
        })
    settings["load_average_end"] = load_average()
    document = {
        "meta": {
            "started": started,
            "host": {"cpus": cpus, "kernel": platform.release()},
            "versions": versions,
            "settings": settings,
        },
        "rows": rows,
    }
    out = os.path.abspath(arguments.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as file:
        json.dump(document, file, indent=1)
        file.write("\n")
    print_summary(summarise(rows))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
