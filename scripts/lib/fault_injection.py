"""The scenarios of scripts/fault-injection, run against a live nginx + `augur serve` stack.

scripts/fault-injection starts the stack (nginx on 127.0.0.1:PORT, the pool on a unix socket
in a temporary folder) and runs one scenario per call:

    python3 fault_injection.py SCENARIO --port PORT --master PID --workers N --threads T \
        --log AUGUR_LOG [--long] [--nginx-conf augur.conf] [--model-file PATH]

Each scenario does the bad thing for real (SIGKILL, SIGHUP, malformed bytes, slow sockets,
files swapped under --watch, a long steady load), prints one figure line starting with the
scenario's name, and exits 1 when a promise of RELIABILITY.md does not hold. Only the Python
standard library is used, so any python3 runs it; it never sits in the serving path.

Every request the load sends is recorded (start, end, status or the socket error), so a
failure is counted exactly and can be matched with the fault that caused it.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import sys
import threading
import time

IRIS_ROW = [5.1, 3.5, 1.4, 0.2]
# The iris model's answer for IRIS_ROW; every valid request must get it.
IRIS_LABEL = 0


class Stack:
    """What the harness knows of the running stack: nginx's port, the master, its log."""

    def __init__(self, options):
        self.port = options.port
        self.master = options.master
        self.workers = options.workers
        self.threads = options.threads
        self.log_path = options.log

    def connection(self, timeout=10.0):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def worker_pids(self):
        """The master's children, read from /proc (no process is started to ask)."""
        path = f"/proc/{self.master}/task/{self.master}/children"
        try:
            with open(path) as file:
                return sorted(int(pid) for pid in file.read().split())
        except FileNotFoundError:
            return []

    def metrics(self):
        """GET /metrics, each family summed over its label sets; None if it failed."""
        try:
            connection = self.connection(timeout=2.0)
            connection.request("GET", "/metrics")
            response = connection.getresponse()
            text = response.read().decode()
            connection.close()
        except (OSError, http.client.HTTPException):
            return None
        if response.status != 200:
            return None
        values = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            name_part, _, value = line.rpartition(" ")
            name = name_part.split("{", 1)[0]
            values[name] = values.get(name, 0.0) + float(value)
        return values

    def log_text(self):
        with open(self.log_path, errors="replace") as file:
            return file.read()


def predict_request(path="/predict"):
    return ("POST", path, json.dumps({"features": IRIS_ROW}).encode(),
            {"Content-Type": "application/json"})


class Load:
    """Client threads, each on its own keep-alive connection, sending requests in a loop and
    recording every outcome as (start, end, status or error name, body)."""

    def __init__(self, stack, threads, requests, keep_bodies=False, pause=0.0):
        self.stack = stack
        self.requests = requests
        self.keep_bodies = keep_bodies
        self.pause = pause
        self.records = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(index,), daemon=True)
                        for index in range(threads)]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)
        return self.records

    def run(self, index):
        rng = random.Random(index)
        connection = self.stack.connection()
        while not self.stopping.is_set():
            method, path, body, headers = rng.choice(self.requests)
            started = time.monotonic()
            try:
                connection.request(method, path, body, headers)
                response = connection.getresponse()
                data = response.read()
                outcome = response.status
            except (OSError, http.client.HTTPException) as error:
                data = b""
                outcome = type(error).__name__
                connection.close()
                connection = self.stack.connection()
            self.records.append(
                (started, time.monotonic(), outcome, data if self.keep_bodies else None))
            if self.pause:
                time.sleep(self.pause)
        connection.close()


def is_valid_answer(record):
    """A valid iris request succeeded: 200 and the right label."""
    _, _, outcome, body = record
    if outcome != 200:
        return False
    if body is None:
        return True
    try:
        return json.loads(body).get("prediction") == IRIS_LABEL
    except ValueError:
        return False


def start_time(pid):
    """When a process started, in clock ticks since boot (field 22 of /proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            return int(file.read().rpartition(")")[2].split()[19])
    except (OSError, IndexError, ValueError):
        return 0


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def wait_until(condition, timeout, step=0.005):
    """Polls `condition` until it holds; returns the seconds it took, or None."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(step)
    return None


def report(name, promises_hold, figures):
    text = " ".join(f"{key}={value}" for key, value in figures.items())
    print(f"{name}: {'ok' if promises_hold else 'FAILED'} {text}", flush=True)
    return 0 if promises_hold else 1


# MARK: kill -9 one worker every second under load


def scenario_kill(stack, long_form):
    kills_wanted = 60 if long_form else 6
    before = stack.metrics() or {}
    load = Load(stack, threads=8, requests=[predict_request(), predict_request("/predict/iris")],
                keep_bodies=True).start()
    time.sleep(1.0)
    kills = []  # (time of the kill, seconds until /metrics showed the pool whole)
    for _ in range(kills_wanted):
        tick = time.monotonic()
        pids = stack.worker_pids()
        if not pids:
            break
        # The oldest worker: kills go round the slots, so none dies often enough to look
        # like a crash loop (more than 5 deaths of one slot in 10 s), which backs off.
        victim = min(pids, key=start_time)
        restarts_before = (stack.metrics() or {}).get("augur_worker_restarts_total", 0)
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)

        def whole():
            values = stack.metrics() or {}
            return (values.get("augur_worker_restarts_total", 0) > restarts_before
                    and values.get("augur_workers_alive", 0) == stack.workers
                    and victim not in stack.worker_pids())

        recovered = wait_until(whole, timeout=5.0)
        kills.append((killed_at, recovered))
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    time.sleep(0.5)
    records = load.stop()
    after = stack.metrics() or {}

    failures = [record for record in records if not is_valid_answer(record)]
    # A failure is excused only if it was in flight when a worker was killed, and a worker
    # has at most `threads` requests in flight.
    unexplained = [
        record for record in failures
        if not any(record[0] <= killed_at + 0.01 and record[1] >= killed_at
                   for killed_at, _ in kills)
    ]
    per_kill = [sum(1 for record in failures if record[0] <= killed_at + 0.01
                    and record[1] >= killed_at) for killed_at, _ in kills]
    recoveries = [seconds for _, seconds in kills if seconds is not None]
    slowest = max(recoveries) if recoveries else float("inf")
    restarts = after.get("augur_worker_restarts_total", 0) - before.get(
        "augur_worker_restarts_total", 0)
    holds = (len(kills) == kills_wanted and len(recoveries) == len(kills)
             and not unexplained and max(per_kill, default=0) <= stack.threads
             and slowest < 1.0 and restarts == len(kills))
    statuses = {}
    for record in failures:
        statuses[str(record[2])] = statuses.get(str(record[2]), 0) + 1
    return report("kill", holds, {
        "kills": len(kills),
        "requests": len(records),
        "failed": len(failures),
        "failed.fraction": f"{len(failures) / max(1, len(records)):.5f}",
        "failed.unexplained": len(unexplained),
        "failed.max_per_kill": max(per_kill, default=0),
        "failed.statuses": json.dumps(statuses, separators=(",", ":")),
        "pool_whole.max_ms": f"{slowest * 1000:.0f}",
        "pool_whole.median_ms": f"{percentile(recoveries, 0.5) * 1000:.0f}",
        "restarts_counted": f"{restarts:.0f}",
    })


# MARK: SIGHUP every few seconds under load


def scenario_reload(stack, long_form):
    reloads_wanted = 20 if long_form else 5
    interval = 3.0 if long_form else 1.5
    before = stack.metrics() or {}
    load = Load(stack, threads=8, requests=[predict_request(), predict_request("/predict/iris")],
                keep_bodies=True).start()
    time.sleep(1.0)
    reloads = []
    for _ in range(reloads_wanted):
        reloads.append(time.monotonic())
        os.kill(stack.master, signal.SIGHUP)
        time.sleep(interval)
    records = load.stop()
    # Old workers finish and exit; the pool must end at its size.
    settled = wait_until(lambda: len(stack.worker_pids()) == stack.workers, timeout=20.0)
    after = stack.metrics() or {}
    failures = [record for record in records if not is_valid_answer(record)]
    statuses = {}
    for record in failures:
        statuses[str(record[2])] = statuses.get(str(record[2]), 0) + 1
    generations = after.get("augur_model_generation", 0) - before.get(
        "augur_model_generation", 0)
    restarts = after.get("augur_worker_restarts_total", 0) - before.get(
        "augur_worker_restarts_total", 0)
    holds = not failures and settled is not None and generations == len(reloads) and not restarts
    return report("reload", holds, {
        "reloads": len(reloads),
        "requests": len(records),
        "failed": len(failures),
        "failed.statuses": json.dumps(statuses, separators=(",", ":")),
        "generation_advanced": f"{generations:.0f}",
        "unexpected_restarts": f"{restarts:.0f}",
        "pool_settled": settled is not None,
    })


# MARK: malformed requests through every dialect


# Each dialect's route, a valid body for it, and whether it takes CSV.
DIALECTS = [
    ("/predict", {"features": IRIS_ROW}, True),
    ("/predict/iris", {"instances": [IRIS_ROW, IRIS_ROW]}, True),
    ("/v1/models/iris:predict", {"instances": [IRIS_ROW]}, False),
    ("/v2/models/iris/infer",
     {"inputs": [{"name": "input-0", "shape": [1, 4], "datatype": "FP64", "data": IRIS_ROW}]},
     False),
    ("/invocations", {"dataframe_split": {"data": [IRIS_ROW]}}, True),
]

WRONG_VALUES = ["\"5.1\"", "true", "null", "{}", "[]", "[[1]]", "{\"a\": 1}", "\"\"", "-",
                "1e400", "-1e400", "1e-400", "123456789012345678901234567890123456789",
                "9" * 5000, "0." + "1" * 5000, "NaN", "Infinity", "-0", "0x10", "1.", ".5",
                "+1", "01", "1e", "\"\\ud800\"", "\"\\u0000\"", "18446744073709551616"]
WRONG_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
               "application/xml", "image/png", "application/json; charset=utf-16",
               "application/", "/", ";;;", "text/csv; header=absent", "a" * 3000,
               "application/octet-stream", "application/json\x7f"]


def malformed_cases(count, seed=2026):
    """`count` requests, each wrong in one way, spread over every dialect's route.

    Returns (category, route, body bytes, content type or None)."""
    rng = random.Random(seed)
    kinds = ["bad_json", "wrong_types", "huge_numbers", "deep_nesting", "invalid_utf8",
             "wrong_content_type", "empty_body", "truncated_body", "bad_csv", "wrong_shape"]
    cases = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        route, valid, takes_csv = DIALECTS[(index // len(kinds)) % len(DIALECTS)]
        text = json.dumps(valid)
        content_type = "application/json"
        if kind == "bad_json":
            position = rng.randrange(len(text))
            junk = rng.choice(["{", "}", "[", "]", ",", ":", "\"", "'", "\\", " x", "\x00", ""])
            body = (text[:position] + junk + text[position + rng.randint(0, 3):]).encode()
        elif kind == "wrong_types" or kind == "huge_numbers":
            choices = WRONG_VALUES if kind == "wrong_types" else WRONG_VALUES[9:19]
            numbers = list(re.finditer(r"-?\d+(\.\d+)?", text))
            target = rng.choice(numbers)
            body = (text[:target.start()] + rng.choice(choices) + text[target.end():]).encode()
        elif kind == "deep_nesting":
            depth = rng.choice([100, 1000, 10_000, 100_000, 1_000_000])
            opener, closer = rng.choice([("[", "]"), ("{\"a\":", "}")])
            inner = opener * depth + "1" + closer * rng.choice([depth, 0, depth // 2])
            body = text.replace("5.1", inner, 1).encode()
        elif kind == "invalid_utf8":
            raw = text.encode()
            bad = rng.choice([b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80",
                              b"\xf4\x90\x80\x80", b"\xe2\x82"])
            position = rng.randrange(len(raw))
            body = raw[:position] + bad + raw[position:]
            if rng.random() < 0.5:
                body = raw.replace(b"\"", b"\"" + bad, 1)
        elif kind == "wrong_content_type":
            body = text.encode()
            content_type = rng.choice(WRONG_TYPES)
        elif kind == "empty_body":
            body = rng.choice([b"", b" ", b"\n", b"\r\n\t "])
            content_type = rng.choice(["application/json", "text/csv", None])
        elif kind == "truncated_body":
            raw = text.encode()
            body = raw[:rng.randrange(len(raw))]
        elif kind == "bad_csv":
            content_type = "text/csv" if takes_csv else "application/json"
            body = rng.choice([b"5.1,3.5\n", b"a,b,c,d\nx,y,z,w\n", b"\"5.1,3.5,1.4,0.2\n",
                               b"5.1,3.5,1.4,0.2,9,9\n", b",,,\n", b"\xff,\xfe,1,2\n",
                               b"1e400,1,1,1\n", b"5.1;3.5;1.4;0.2\n", b"\n\n\n",
                               b"5.1,3.5,1.4," + b"0" * 100_000 + b"\n"])
        else:  # wrong_shape: valid JSON of the wrong structure
            body = rng.choice([b"[]", b"{}", b"[1,2,3,4]", b"{\"features\": []}",
                               b"{\"instances\": [[1,2,3,4],[1,2]]}", b"\"x\"", b"1", b"null",
                               b"{\"inputs\": [{\"shape\": [1,4], \"data\": [1,2,3]}]}",
                               b"{\"features\": [[[1,2,3,4]]]}",
                               b"{\"instances\": []}"])
        cases.append((kind, route, body, content_type))
    return cases


def send_cut_short(port, route, body, content_type):
    """Declares the whole body's length, sends half of it and closes its sending side: a
    client gone mid-body. Returns the status nginx answered, or None if it only closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as connection:
        head = (f"POST {route} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        connection.sendall(head + body[:len(body) // 2])
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return int(match.group(1)) if match else None


def scenario_malformed(stack, long_form):
    count = 50_000 if long_form else 10_000
    cases = malformed_cases(count)
    pids_before = stack.worker_pids()
    before = stack.metrics() or {}
    outcomes = [None] * len(cases)
    bodies_not_json = []
    next_case = iter(range(len(cases)))
    lock = threading.Lock()

    def run():
        connection = stack.connection(timeout=30)
        while True:
            with lock:
                index = next(next_case, None)
            if index is None:
                break
            kind, route, body, content_type = cases[index]
            headers = {"Content-Type": content_type} if content_type else {}
            try:
                connection.request("POST", route, body, headers)
                response = connection.getresponse()
                data = response.read()
                outcomes[index] = response.status
                try:
                    json.loads(data)
                except ValueError:
                    bodies_not_json.append((index, response.status, data[:120]))
            except (OSError, http.client.HTTPException) as error:
                outcomes[index] = type(error).__name__
                connection.close()
                connection = stack.connection(timeout=30)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Clients that go away mid-body, a few per dialect: nginx must not pass half a body on.
    cut_outcomes = []
    for index in range(50):
        route, valid, _ = DIALECTS[index % len(DIALECTS)]
        body = json.dumps(valid).encode() + b" " * 2000
        cut_outcomes.append(send_cut_short(stack.port, route, body, "application/json"))
    seconds = time.monotonic() - started
    after = stack.metrics() or {}

    histogram = {}
    by_kind_5xx = {}
    for (kind, _, _, _), outcome in zip(cases, outcomes):
        histogram[str(outcome)] = histogram.get(str(outcome), 0) + 1
        if not isinstance(outcome, int) or outcome >= 500:
            by_kind_5xx[kind] = by_kind_5xx.get(kind, 0) + 1
    bad_cut = [outcome for outcome in cut_outcomes if outcome is not None and outcome >= 500]
    restarts = after.get("augur_worker_restarts_total", 0) - before.get(
        "augur_worker_restarts_total", 0)
    same_workers = stack.worker_pids() == pids_before
    for index, status, data in bodies_not_json[:3]:
        print(f"  not JSON: case {index} ({cases[index][0]} to {cases[index][1]}) "
              f"status {status}: {data!r}", file=sys.stderr)
    for kind in by_kind_5xx:
        example = next(index for index, case in enumerate(cases) if case[0] == kind and (
            not isinstance(outcomes[index], int) or outcomes[index] >= 500))
        print(f"  5xx or no answer: {kind} to {cases[example][1]}: "
              f"{cases[example][2][:160]!r} -> {outcomes[example]}", file=sys.stderr)
    holds = (not by_kind_5xx and not bad_cut and restarts == 0 and same_workers
             and not bodies_not_json)
    return report("malformed", holds, {
        "requests": len(cases) + len(cut_outcomes),
        "seconds": f"{seconds:.1f}",
        "statuses": json.dumps(dict(sorted(histogram.items())), separators=(",", ":")),
        "5xx_or_no_answer": sum(by_kind_5xx.values()),
        "cut_short": len(cut_outcomes),
        "cut_short.5xx": len(bad_cut),
        "bodies_not_json": len(bodies_not_json),
        "worker_restarts": f"{restarts:.0f}",
        "same_worker_pids": same_workers,
    })


# MARK: slow clients


def nginx_timeout(conf_path, directive, default):
    """The value of `directive` in nginx/augur.conf, in seconds (nginx's default if unset)."""
    try:
        with open(conf_path) as file:
            match = re.search(rf"^\s*{directive}\s+(\d+)s?;", file.read(), re.MULTILINE)
    except OSError:
        return default
    return int(match.group(1)) if match else default


class SlowClients:
    """Connections that trickle their request a byte per tick: `headers` of them never end
    their headers (slowloris), `bodies` send whole headers and then a body byte per tick.
    One more of each goes silent after its first bytes, to see nginx's timeouts close it."""

    def __init__(self, port, headers, bodies, tick):
        self.port = port
        self.tick = tick
        self.connections = []  # [socket, bytes still to send, kind, open]
        head = b"POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        for index in range(headers + 1):
            kind = "silent_header" if index == headers else "header"
            self.open(head + b"X-Slow: " + b"a" * 4000, kind)
        body = json.dumps({"features": IRIS_ROW}).encode() + b" " * 10_000
        for index in range(bodies + 1):
            kind = "silent_body" if index == bodies else "body"
            self.open(body, kind, first=head + f"Content-Length: {len(body)}\r\n\r\n".encode())
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def open(self, trickle, kind, first=b""):
        connection = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        connection.sendall(first + trickle[:1])
        connection.setblocking(False)
        self.connections.append([connection, trickle[1:], kind, True])

    def run(self):
        while not self.stopping.wait(self.tick):
            for entry in self.connections:
                connection, remaining, kind, open_ = entry
                if not open_ or kind.startswith("silent") or not remaining:
                    continue
                try:
                    connection.send(remaining[:1])
                    entry[1] = remaining[1:]
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    entry[3] = False

    def still_open(self, kind):
        """How many connections of `kind` nginx has neither closed nor answered (a 408)."""
        count = 0
        for entry in self.connections:
            connection, _, entry_kind, open_ = entry
            if entry_kind != kind:
                continue
            try:
                if connection.recv(4096) is not None:
                    # Closed (b"") or answered: nginx let go of it either way.
                    entry[3] = False
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                entry[3] = False
            count += 1 if entry[3] else 0
        return count

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join()
        for connection, _, _, _ in self.connections:
            connection.close()


def timed_requests(stack, seconds):
    """One client sending valid requests back to back: (latencies, failures)."""
    latencies = []
    failures = 0
    deadline = time.monotonic() + seconds
    connection = stack.connection(timeout=30)
    while time.monotonic() < deadline:
        method, path, body, headers = predict_request()
        started = time.monotonic()
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            data = response.read()
            ok = is_valid_answer((0, 0, response.status, data))
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = stack.connection(timeout=30)
        latencies.append(time.monotonic() - started)
        failures += 0 if ok else 1
        time.sleep(0.01)
    connection.close()
    return latencies, failures


def scenario_slow(stack, long_form, nginx_conf):
    header_timeout = nginx_timeout(nginx_conf, "client_header_timeout", 60)
    body_timeout = nginx_timeout(nginx_conf, "client_body_timeout", 60)
    slow_headers, slow_bodies = (600, 200) if long_form else (300, 100)
    baseline, baseline_failures = timed_requests(stack, 2.0)
    before = stack.metrics() or {}
    slow = SlowClients(stack.port, slow_headers, slow_bodies, tick=1.0).start()
    # Long enough for nginx's timeouts to close the silent connections.
    attack_seconds = max(header_timeout, body_timeout) + 3
    if long_form:
        attack_seconds = max(attack_seconds, 60)
    latencies, failures = timed_requests(stack, attack_seconds)
    still_open = {kind: slow.still_open(kind)
                  for kind in ["header", "body", "silent_header", "silent_body"]}
    slow.stop()
    after = stack.metrics() or {}
    # Only the timed client's requests may reach the pool: nginx holds the slow ones.
    reached_pool = (after.get("augur_requests_total", 0)
                    - before.get("augur_requests_total", 0))
    p99 = percentile(latencies, 0.99)
    # Slowloris connections end at client_header_timeout however they trickle; bodies that
    # trickle stay (the timeout is between two reads) but wait in nginx, not in the pool.
    holds = (failures == 0 and baseline_failures == 0 and p99 < 1.0
             and still_open["header"] == 0 and still_open["silent_header"] == 0
             and still_open["silent_body"] == 0 and reached_pool <= len(latencies) + 2)
    return report("slow_clients", holds, {
        "slow_header_connections": slow_headers,
        "slow_body_connections": slow_bodies,
        "seconds": attack_seconds,
        "requests": len(latencies),
        "failed": failures,
        "baseline.p50_ms": f"{percentile(baseline, 0.5) * 1000:.1f}",
        "baseline.p99_ms": f"{percentile(baseline, 0.99) * 1000:.1f}",
        "p50_ms": f"{percentile(latencies, 0.5) * 1000:.1f}",
        "p99_ms": f"{p99 * 1000:.1f}",
        "max_ms": f"{max(latencies) * 1000:.1f}",
        "open_after.trickling_headers": still_open["header"],
        "open_after.trickling_bodies": still_open["body"],
        "open_after.silent_header": still_open["silent_header"],
        "open_after.silent_body": still_open["silent_body"],
        "requests_reaching_pool": f"{reached_pool:.0f}",
        "header_timeout_s": header_timeout,
        "body_timeout_s": body_timeout,
    })


# MARK: a corrupt or malicious model file dropped in under --watch


def scenario_drop(stack, long_form, model_file, corrupt_files, trigger):
    """The pool serves `model_file`; each of `corrupt_files` is renamed over it, as a deploy
    would, and must be refused while the old model keeps answering. `trigger` is "watch"
    (the pool runs with --watch and notices by itself) or "sighup" (the operator's reload).
    """
    load = Load(stack, threads=4, requests=[predict_request()], keep_bodies=True).start()
    time.sleep(1.0)
    with open(model_file, "rb") as file:
        original = file.read()
    noticed = 0
    generation_moved = 0
    restored = 0
    for path in corrupt_files:
        log_before = len(stack.log_text())
        generation = (stack.metrics() or {}).get("augur_model_generation")
        staging = model_file + ".incoming"
        with open(path, "rb") as source, open(staging, "wb") as target:
            target.write(source.read())
        os.replace(staging, model_file)
        if trigger == "sighup":
            os.kill(stack.master, signal.SIGHUP)
        # The refusal is logged; the generation (which counts loads that took) stays.
        if wait_until(lambda: "reload failed" in stack.log_text()[log_before:], timeout=10.0,
                      step=0.1):
            noticed += 1
        time.sleep(1.0)
        if (stack.metrics() or {}).get("augur_model_generation") != generation:
            generation_moved += 1
        with open(staging, "wb") as target:
            target.write(original)
        os.replace(staging, model_file)
        if trigger == "watch":
            # The restored file is a change too (a new inode): let that reload land before
            # the next drop, so that it is not taken for the drop's.
            if wait_until(lambda: (stack.metrics() or {}).get("augur_model_generation")
                          == generation + 1, timeout=10.0, step=0.1) is not None:
                restored += 1
        time.sleep(3.0 if long_form else 1.0)
    records = load.stop()
    failures = [record for record in records if not is_valid_answer(record)]
    # What the malicious fixtures would create if anything in them ran.
    marker = "/tmp/augur-marker-os_system_p2"
    holds = (not failures and noticed == len(corrupt_files) and not generation_moved
             and not os.path.exists(marker)
             and (trigger != "watch" or restored == len(corrupt_files)))
    return report("watch" if trigger == "watch" else "drop_then_sighup", holds, {
        "files_dropped": len(corrupt_files),
        "refusals_logged": noticed,
        "generation_moved": generation_moved,
        "restores_reloaded": restored if trigger == "watch" else "n/a",
        "requests": len(records),
        "failed": len(failures),
        "code_ran": os.path.exists(marker),
    })


# MARK: soak


def process_sample(pid):
    """(RSS in KB, open descriptors) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as file:
            rss = next(int(line.split()[1]) for line in file if line.startswith("VmRSS:"))
        return rss, len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, StopIteration):
        return None


def slope_per_minute(samples):
    """Least-squares slope of (seconds, value) samples, per minute."""
    count = len(samples)
    if count < 2:
        return 0.0
    mean_t = sum(t for t, _ in samples) / count
    mean_v = sum(v for _, v in samples) / count
    numerator = sum((t - mean_t) * (v - mean_v) for t, v in samples)
    denominator = sum((t - mean_t) ** 2 for t, _ in samples)
    return 60.0 * numerator / denominator if denominator else 0.0


def scenario_soak(stack, long_form, seconds):
    requests = [predict_request(), predict_request("/predict/iris"),
                ("POST", "/v1/models/iris:predict",
                 json.dumps({"instances": [IRIS_ROW] * 50}).encode(),
                 {"Content-Type": "application/json"})]
    # About 1% invalid, so that the error paths are soaked too.
    invalid = ("POST", "/predict", b"{\"features\": [1, 2]}", {"Content-Type": "application/json"})
    mix = requests * 33 + [invalid]
    pids = [stack.master] + stack.worker_pids()
    load = Load(stack, threads=4, requests=mix).start()
    started = time.monotonic()
    samples = {pid: [] for pid in pids}
    interval = 10.0
    while time.monotonic() - started < seconds:
        elapsed = time.monotonic() - started
        for pid in pids:
            sample = process_sample(pid)
            if sample:
                samples[pid].append((elapsed, *sample))
        time.sleep(interval)
    records = load.stop()
    failures = [record for record in records
                if record[2] not in (200, 422)]
    rates, growths, descriptors, fd_rates = [], [], [], []
    fd_flat = True
    for pid, series in samples.items():
        # The first minute is warm-up: allocator arenas and caches fill.
        steady = [sample for sample in series if sample[0] >= 60] or series
        if pid != stack.master:
            rates.append(slope_per_minute([(t, rss) for t, rss, _ in steady]))
            growths.append((steady[-1][1] - steady[0][1]) / steady[0][1] * 100)
        fds = [fd for _, _, fd in series]
        fd_rates.append(slope_per_minute([(t, fd) for t, _, fd in steady]))
        descriptors.append(f"{pid}:{min(fds)}-{max(fds)}")
        # A worker holds one socket per connection it serves, up to one per thread; any
        # more than that is a leak.
        fd_flat = fd_flat and max(fds) <= min(fds) + stack.threads
    alive = all(process_sample(pid) for pid in pids)
    holds = not failures and fd_flat and alive and max(growths, default=0) < 10.0
    final_rss = [series[-1][1] for pid, series in samples.items() if pid != stack.master]
    return report("soak", holds, {
        "seconds": f"{time.monotonic() - started:.0f}",
        "requests": len(records),
        "failed": len(failures),
        "worker_rss_kb.final": ",".join(str(value) for value in final_rss),
        "worker_rss.slope_kb_per_min.max": f"{max(rates, default=0):.1f}",
        "worker_rss.growth_pct.max": f"{max(growths, default=0):.2f}",
        "fds.min-max": ",".join(descriptors),
        "fds.slope_per_min.max": f"{max(fd_rates, default=0):.3f}",
        "same_processes": alive,
    })


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["kill", "reload", "malformed", "slow", "watch",
                                             "drop_then_sighup", "soak"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--master", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--log", required=True)
    parser.add_argument("--long", action="store_true")
    parser.add_argument("--nginx-conf", default="nginx/augur.conf")
    parser.add_argument("--model-file")
    parser.add_argument("--corrupt-file", action="append", default=[])
    parser.add_argument("--soak-seconds", type=float, default=600)
    options = parser.parse_args()
    stack = Stack(options)
    if options.scenario == "kill":
        return scenario_kill(stack, options.long)
    if options.scenario == "reload":
        return scenario_reload(stack, options.long)
    if options.scenario == "malformed":
        return scenario_malformed(stack, options.long)
    if options.scenario == "slow":
        return scenario_slow(stack, options.long, options.nginx_conf)
    if options.scenario in ("watch", "drop_then_sighup"):
        trigger = "watch" if options.scenario == "watch" else "sighup"
        return scenario_drop(stack, options.long, options.model_file, options.corrupt_file,
                             trigger)
    return scenario_soak(stack, options.long, options.soak_seconds)


if __name__ == "__main__":
    sys.exit(main())
