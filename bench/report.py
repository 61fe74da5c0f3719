"""Turns the benchmark's result files into BENCHMARKS.md, its tables and its charts.

    python bench/report.py --results DIR --out DIR [--markdown PATH]

Reads DIR/http.json, DIR/inprocess.json and DIR/footprint.json (any may be missing: its
section then says it was not run), and the run records bench/run writes beside them
(NAME.run.json: commit, command, times). Every figure is the median over the rounds of one
cell; every ratio is taken between two medians of the same run. The targets of issue 7 are
checked against those figures here, never typed in.

Writes into --out the PNG charts and a copy of the result files, and the Markdown report
to --markdown (default OUT/BENCHMARKS.md), filled into bench/BENCHMARKS.template.md.
Needs only the standard library, except for the charts (matplotlib, from .venv-bench).
"""

import argparse
import datetime
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
TEMPLATE = HERE / "BENCHMARKS.template.md"

PARTS = ("http", "inprocess", "footprint")

# Display order and names. Servers and engines not listed here still appear, after these.
SERVERS = {
    "nginx-static": "nginx `return 200` (ceiling of the front)",
    "constant-fastcgi": "constant FastCGI responder (ceiling of the architecture)",
    "augur": "Augur `/predict`",
    "augur-v2": "Augur V2 `/infer`",
    "flask-sync": "Flask + gunicorn sync",
    "flask-gthread": "Flask + gunicorn gthread",
    "fastapi": "FastAPI + uvicorn",
    "mlserver": "MLServer (sklearn runtime, V2)",
}
MODELS = ("iris", "forest", "boosting", "pipeline")
# The ceilings answer a constant whatever the model: their one cell stands for every model.
MODEL_LESS_SERVERS = ("nginx-static", "constant-fastcgi")
ENGINES = {"augur": "Augur", "sklearn": "scikit-learn", "onnxruntime": "onnxruntime"}

# The HTTP metrics a cell holds, with how the rounds are combined: errors and requests are
# counted over all rounds, everything else is the median of the rounds.
HTTP_MEDIANS = (
    "requests_per_second",
    "latency_p50_ms",
    "latency_p99_ms",
    "cpu_ms_per_request",
    "rss_mb",
    "pss_mb",
)
HTTP_SUMS = ("errors", "requests")

# The concurrency the HTTP targets are stated at, and the one the charts show.
LOADED_CONNECTIONS = (16, 64)
CHART_CONNECTIONS = 16


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def ordered(keys, preferred):
    """KEYS with those in PREFERRED first, in its order, then the others sorted."""
    keys = set(keys)
    first = [k for k in preferred if k in keys]
    return first + sorted((k for k in keys if k not in preferred), key=str)


# ---------------------------------------------------------------------------------------
# Reading and combining the results


def load_results(folder):
    """{part: {"meta": ..., "rows": [...], "run": run record or None, "path": path}}."""
    found = {}
    for part in PARTS:
        path = folder / f"{part}.json"
        if not path.is_file():
            continue
        data = read_object(path)
        rows = data.get("rows") or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise SystemExit(f"report: {path}: \"rows\" must be a list of objects")
        record = folder / f"{part}.run.json"
        found[part] = {
            "meta": data.get("meta") or {},
            "rows": rows,
            "run": read_object(record) if record.is_file() else None,
            "path": path,
        }
    return found


def read_object(path):
    """A JSON object from PATH, or an exit naming the file: a half-written result must stop
    the report before anything is copied, not end in a traceback."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise SystemExit(f"report: {path}: not readable JSON ({error})")
    if not isinstance(data, dict):
        raise SystemExit(f"report: {path}: expected a JSON object")
    return data


class Http:
    """http.json rows, one cell per (server, model, batch, connections), rounds combined."""

    def __init__(self, rows):
        grouped = {}
        for row in rows:
            key = (row.get("server"), row.get("model"), row.get("batch"), row.get("connections"))
            grouped.setdefault(key, []).append(row)
        self.cells = {}
        for key, group in grouped.items():
            cell = {"rounds": len(group)}
            for metric in HTTP_MEDIANS:
                cell[metric] = median(row.get(metric) for row in group)
            for metric in HTTP_SUMS:
                counted = [row[metric] for row in group if row.get(metric) is not None]
                cell[metric] = sum(counted) if counted else None
            self.cells[key] = cell

    def cell(self, server, model, batch, connections):
        """The cell, or for a server that loads no model (the ceilings), its model-less cell."""
        found = self.cells.get((server, model, batch, connections))
        if found is None and server in MODEL_LESS_SERVERS:
            found = self.cells.get((server, None, batch, connections))
        return found

    def value(self, server, model, batch, connections, metric):
        cell = self.cell(server, model, batch, connections)
        return None if cell is None else cell.get(metric)

    def servers(self):
        return ordered({key[0] for key in self.cells if key[0] != "nginx"}, SERVERS)

    def models(self):
        return ordered({key[1] for key in self.cells if key[1] is not None}, MODELS)

    def batches(self):
        return sorted({key[2] for key in self.cells if key[2] is not None})

    def connections(self):
        return sorted({key[3] for key in self.cells if key[3] is not None})

    def chart_connections(self):
        present = self.connections()
        if CHART_CONNECTIONS in present or not present:
            return CHART_CONNECTIONS
        return present[-1]


class InProcess:
    """inprocess.json: median seconds per call per (model, engine, batch), and load times."""

    def __init__(self, rows):
        calls, loads = {}, {}
        for row in rows:
            if row.get("kind") == "load":
                key = (row.get("model"), row.get("engine"))
                loads.setdefault(key, []).append(row)
            else:
                key = (row.get("model"), row.get("engine"), row.get("batch"))
                calls.setdefault(key, []).append(row.get("seconds_per_call"))
        self.calls = {key: median(values) for key, values in calls.items()}
        # Each load field (seconds, first_seconds, import_and_load_seconds...) is medianed.
        self.loads = {
            key: {
                field: median(row.get(field) for row in group)
                for field in {name for row in group for name in row if name.endswith("seconds")}
            }
            for key, group in loads.items()
        }

    def call(self, model, engine, batch):
        return self.calls.get((model, engine, batch))

    def load(self, model, engine, field="seconds"):
        return self.loads.get((model, engine), {}).get(field)

    def models(self):
        names = {key[0] for key in self.calls} | {key[0] for key in self.loads}
        return ordered(names, MODELS)

    def engines(self):
        names = {key[1] for key in self.calls} | {key[1] for key in self.loads}
        return ordered(names, ENGINES)

    def batches(self):
        return sorted({key[2] for key in self.calls if key[2] is not None})


class Footprint:
    """footprint.json rows grouped by what they describe, their measured floats medianed.

    A row's identity is its kind and every plain field that is not a float (model, workers,
    trees...); its floats are the measurements, combined over rounds by their median. Lists
    and objects (samples, per-worker details) are kept from the group's first row.
    """

    def __init__(self, rows):
        grouped = {}
        for row in rows:
            identity = tuple(
                sorted(
                    (name, json.dumps(value))
                    for name, value in row.items()
                    if name != "round" and not isinstance(value, (float, list, dict))
                )
            )
            grouped.setdefault(identity, []).append(row)
        self.entries = []
        for identity, group in grouped.items():
            entry = {name: value for name, value in group[0].items()
                     if isinstance(value, (list, dict))}
            entry.update((name, json.loads(value)) for name, value in identity)
            measured = {name for row in group for name, value in row.items()
                        if isinstance(value, float)}
            for name in sorted(measured):
                entry[name] = median(row.get(name) for row in group)
            entry["rounds"] = len(group)
            self.entries.append(entry)

    def of_kind(self, kind):
        return [entry for entry in self.entries if entry.get("kind") == kind]


def measurement(entry, *names):
    """The first of NAMES the entry holds as a number: footprint rows name fields plainly,
    so each reading accepts the few plain names a field could have."""
    for name in names:
        value = entry.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    return None


# ---------------------------------------------------------------------------------------
# Targets of issue 7, checked against the medians


class Outcome:
    """What a target measured: a short text of the figures, and met (True, False, or None
    when the run did not measure what the target needs)."""

    def __init__(self, measured, met):
        self.measured = measured
        self.met = met


NOT_MEASURED = Outcome("–", None)


def times(value):
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def http_ratio_outcome(http, numerator, denominator, models, batch, minimum):
    """Met when NUMERATOR's req/s is at least MINIMUM times DENOMINATOR's for every model
    at every loaded connection count. Errors from Augur's side fail the target; a cell the
    target names that was not measured (or whose errors were not counted) leaves it
    unjudged."""
    figures, missing, met = [], [], True
    for model in models:
        for connections in LOADED_CONNECTIONS:
            top = http.cell(numerator, model, batch, connections)
            bottom = http.cell(denominator, model, batch, connections)
            value = None
            if top is not None and bottom is not None:
                value = ratio(top["requests_per_second"], bottom["requests_per_second"])
            if value is None:
                missing.append(f"{model}, {connections} conn.")
                continue
            text = f"{times(value)} ({model}, {connections} conn.)"
            if numerator.startswith("augur"):
                if top.get("errors") is None:
                    missing.append(f"errors of {model}, {connections} conn.")
                elif top["errors"]:
                    text += f", {top['errors']} errors"
                    met = False
            figures.append(text)
            met = met and value >= minimum
    return partial_outcome(figures, missing, met)


def partial_outcome(figures, missing, met):
    """Figures measured, judged only when nothing the target names is missing (a failure
    already seen stays a failure)."""
    if not figures:
        return NOT_MEASURED
    text = "; ".join(figures)
    if missing:
        text += "; not measured: " + ", ".join(missing)
        return Outcome(text, False if met is False else None)
    return Outcome(text, met)


def inprocess_outcome(inprocess, other, models, batch, minimum, strictly=False):
    """Met when OTHER's seconds per call divided by Augur's is at least MINIMUM (or above it,
    STRICTLY) for every model measured."""
    figures, missing, met = [], [], True
    for model in models:
        value = ratio(inprocess.call(model, other, batch), inprocess.call(model, "augur", batch))
        if value is None:
            missing.append(model)
            continue
        figures.append(f"{times(value)} ({model})")
        met = met and (value > minimum if strictly else value >= minimum)
    return partial_outcome(figures, missing, met)


def p99_outcome(http):
    cell = http.cell("augur", "iris", 1, 16)
    if cell is None or cell.get("latency_p99_ms") is None:
        return NOT_MEASURED
    value = cell["latency_p99_ms"]
    if cell.get("errors") is None:
        return Outcome(f"{value:.2f} ms; errors not counted", None)
    if cell["errors"]:
        return Outcome(f"{value:.2f} ms, {cell['errors']} errors", False)
    return Outcome(f"{value:.2f} ms", value < 2.0)


# footprint.py counts memory in MB of 2^20 bytes; model sizes are put in the same unit.
MEBIBYTE = 1 << 20


def model_mb(entry):
    """The model's file size in MB, from whichever plain field the row gives it in."""
    size = measurement(entry, "model_file_bytes", "model_bytes")
    if size is not None:
        return size / MEBIBYTE
    return measurement(entry, "model_mb", "model_file_mb")


def size_text(megabytes):
    if megabytes is None:
        return "–"
    return f"{megabytes * 1024:.1f} kB" if megabytes < 1 else f"{megabytes:.1f} MB"


def idle_worker_outcome(footprint):
    """Every idle worker's RSS, when ready and after serving, under 15 MB plus its model."""
    figures, met, size = [], True, None
    for entry in footprint.of_kind("idle_worker_rss_mb"):
        ready = measurement(entry, "rss_mb", "value")
        served = measurement(entry, "rss_mb_after_200_requests")
        if ready is None:
            continue
        size = model_mb(entry)
        largest = max(value for value in (ready, served) if value is not None)
        text = f"{ready:.1f} MB ready"
        if served is not None:
            text += f", {served:.1f} MB after 200 requests"
        if "worker" in entry:
            text = f"worker {entry['worker']}: " + text
        figures.append(text)
        met = met and largest < 15.0 + (size or 0.0)
    if not figures:
        return NOT_MEASURED
    model = "model size not recorded" if size is None else f"model file {size_text(size)}"
    return Outcome("; ".join(figures) + f" ({model})", met)


def pool_growth(footprint):
    """{model: (fewest workers, most workers, their PSS, PSS per extra worker, entry)}."""
    by_model = {}
    for entry in footprint.of_kind("pool_pss_mb"):
        workers = measurement(entry, "workers")
        pss = measurement(entry, "pool_pss_mb", "pss_mb", "value")
        if workers is not None and pss is not None:
            by_model.setdefault(entry.get("model"), []).append((workers, pss, entry))
    growth = {}
    for model, points in by_model.items():
        points.sort(key=lambda point: point[0])
        (few, few_pss, entry), (many, many_pss, _) = points[0], points[-1]
        if many > few:
            growth[model] = (few, many, few_pss, many_pss, (many_pss - few_pss) / (many - few),
                             entry)
    return growth


def model_copy_mb(footprint, model, entry):
    """What one copy of MODEL costs a worker: its RSS above an idle worker's when
    footprint.py measured that, else the model's file size."""
    for scaling in footprint.of_kind("model_scaling"):
        if scaling.get("model") == model:
            above = measurement(scaling, "worker_rss_above_idle_mb")
            if above is not None:
                return above, "in a worker"
    size = model_mb(entry)
    return size, "file"


# How much of a model an extra worker may end up holding privately while the pool still
# counts as holding one copy: a quarter of a copy.
COPIED_SHARE_LIMIT = 0.25


def shared_model_outcome(footprint):
    """N workers hold one copy of the model. An extra worker always adds its own private
    memory; what matters is whether that grows with the model. With two models, the share
    of a copy an extra worker holds is (its PSS growth for the large model - for the small
    one) / (the large model's cost - the small one's); it must stay under
    COPIED_SHARE_LIMIT. With one model, an extra worker must add less than a copy of it."""
    points, figures = [], []
    for model, (few, many, few_pss, many_pss, per_worker, entry) in pool_growth(
            footprint).items():
        copy, source = model_copy_mb(footprint, model, entry)
        figures.append(f"{model}: +{per_worker:.1f} MB PSS per extra worker ({few:g} → "
                       f"{many:g} workers)"
                       + (f", a copy costs {copy:.1f} MB ({source})" if copy is not None
                          else ""))
        if copy is not None:
            points.append((copy, per_worker))
    if not figures:
        return NOT_MEASURED
    if len(points) < 2:
        met = points[0][1] < points[0][0] if points else None
        return Outcome("; ".join(figures), met)
    points.sort()
    (small_copy, small_growth), (large_copy, large_growth) = points[0], points[-1]
    if large_copy <= small_copy:
        return Outcome("; ".join(figures), None)
    share = (large_growth - small_growth) / (large_copy - small_copy)
    return Outcome(f"an extra worker holds {share:.0%} of a copy of the model: "
                   + "; ".join(figures), share < COPIED_SHARE_LIMIT)


# How far "~10× the model bytes" may stretch: the memory a model costs may grow at most this
# many times faster than its file.
SCALING_TOLERANCE = 1.25


def model_scaling_outcome(footprint):
    """A model ten times larger costs about ten times as much: the ratio of the memory the
    models cost a worker stays within SCALING_TOLERANCE of the ratio of their file sizes."""
    points = []
    for entry in footprint.of_kind("model_scaling"):
        size = model_mb(entry)
        memory = measurement(entry, "worker_rss_above_idle_mb")
        if size is not None and memory is not None:
            points.append((size, memory, entry.get("model")))
    if len(points) < 2:
        return NOT_MEASURED
    points.sort()
    (small, small_memory, small_name), (large, large_memory, large_name) = points[0], points[-1]
    text = (f"{small_name} → {large_name}: file {size_text(small)} → {size_text(large)} "
            f"({times(large / small)}), memory above an idle worker {small_memory:.1f} → "
            f"{large_memory:.1f} MB")
    if small_memory <= 0:
        return Outcome(text + " (the smaller model's cost is within noise)", None)
    memory_ratio = large_memory / small_memory
    return Outcome(f"{text} ({times(memory_ratio)})",
                   memory_ratio <= SCALING_TOLERANCE * large / small)


def start_outcome(footprint):
    """Python's import-and-load time divided by the pool's time to its first answer."""
    def seconds_by_model(kind):
        found = {}
        for entry in footprint.of_kind(kind):
            value = measurement(entry, "seconds", "value", kind)
            if value is not None:
                found[entry.get("model")] = value
        return found

    augur = seconds_by_model("first_request_seconds")
    python = seconds_by_model("python_import_and_load_seconds")
    figures, met = [], True
    for model in ordered(set(augur) & set(python), MODELS):
        value = ratio(python[model], augur[model])
        if value is None:
            continue
        figures.append(
            f"{augur[model]:.3f} s vs {python[model]:.3f} s, {times(value)}"
            + (f" ({model})" if model else "")
        )
        met = met and value >= 10
    if not figures:
        return NOT_MEASURED
    return Outcome("; ".join(figures), met)


def targets(http, inprocess, footprint):
    """(section, target, Outcome) for each target of issue 7, in the issue's order."""
    empty_http, empty_inprocess, empty_footprint = Http([]), InProcess([]), Footprint([])
    http = http or empty_http
    inprocess = inprocess or empty_inprocess
    footprint = footprint or empty_footprint
    iris = ("iris",)
    trees = ("forest", "boosting")
    return [
        ("HTTP", "iris, one row, 16–64 connections: Augur ≥ 0.85× the constant FastCGI "
         "responder",
         http_ratio_outcome(http, "augur", "constant-fastcgi", iris, 1, 0.85)),
        ("HTTP", "iris, one row: the constant responder ≥ 10× Flask + gunicorn sync",
         http_ratio_outcome(http, "constant-fastcgi", "flask-sync", iris, 1, 10)),
        ("HTTP", "iris, one row: Augur ≥ 5× FastAPI + uvicorn",
         http_ratio_outcome(http, "augur", "fastapi", iris, 1, 5)),
        ("HTTP", "iris, one row: Augur ≥ 5× MLServer",
         http_ratio_outcome(http, "augur", "mlserver", iris, 1, 5)),
        ("HTTP", "iris, one row: Augur's p99 under 2 ms at 16 connections", p99_outcome(http)),
        ("HTTP", "100-row bodies: Augur ≥ 10× Flask + gunicorn sync",
         http_ratio_outcome(http, "augur", "flask-sync", http.models() or MODELS, 100, 10)),
        ("HTTP", "forest and HistGradientBoosting, one row: Augur ≥ 0.7× the constant responder",
         http_ratio_outcome(http, "augur", "constant-fastcgi", trees, 1, 0.7)),
        ("HTTP", "forest, one row: the constant responder ≥ 50× Flask + gunicorn sync",
         http_ratio_outcome(http, "constant-fastcgi", "flask-sync", ("forest",), 1, 50)),
        ("HTTP", "HistGradientBoosting, one row: the constant responder ≥ 50× Flask + gunicorn "
         "sync", http_ratio_outcome(http, "constant-fastcgi", "flask-sync", ("boosting",), 1, 50)),
        ("In process", "one row: Augur ≥ 50× faster than scikit-learn, each model",
         inprocess_outcome(inprocess, "sklearn", MODELS, 1, 50)),
        ("In process", "one row: Augur faster than onnxruntime, each model",
         inprocess_outcome(inprocess, "onnxruntime", MODELS, 1, 1,
                           strictly=True)),
        ("In process", "10,000 rows: Augur ≥ 2× scikit-learn for the forest and the linear "
         "model",
         inprocess_outcome(inprocess, "sklearn", ("forest", "iris"), 10000, 2)),
        ("In process", "10,000 rows: Augur ahead of onnxruntime for the forest and the linear "
         "model", inprocess_outcome(inprocess, "onnxruntime", ("forest", "iris"), 10000, 1,
                                     strictly=True)),
        ("In process", "10,000 rows: Augur at least even with scikit-learn for "
         "HistGradientBoosting", inprocess_outcome(inprocess, "sklearn", ("boosting",), 10000, 1)),
        ("Memory", "an idle worker under 15 MB RSS plus the model", idle_worker_outcome(footprint)),
        ("Memory", "N workers hold one copy of the model (PSS): an extra worker holds under "
         f"{COPIED_SHARE_LIMIT:.0%} of a copy", shared_model_outcome(footprint)),
        ("Memory", "a 10× larger model costs ~10× the model bytes (memory ratio at most "
         f"{SCALING_TOLERANCE}× the file-size ratio)", model_scaling_outcome(footprint)),
        ("Start", "the pool's first answer ≥ 10× sooner than Python's import scikit-learn + "
         "joblib.load", start_outcome(footprint)),
    ]


# ---------------------------------------------------------------------------------------
# Markdown


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def number(value, digits=2):
    if value is None:
        return "–"
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"


def duration(seconds):
    """Seconds in the unit that keeps three significant figures readable."""
    if seconds is None:
        return "–"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def ratio_text(value):
    return "–" if value is None else times(value)


def is_quick(found):
    settings = found["meta"].get("settings") or {}
    return bool((found["run"] or {}).get("quick") or settings.get("quick"))


def provenance_section(results, command_fallback):
    """Which run each part's numbers came from: when, at which commit, by which command,
    on which machine; then the versions, and each part's settings folded."""
    if not results:
        return "No result files were found: nothing was run."
    rows = []
    for part in PARTS:
        if part not in results:
            rows.append([f"`{part}.json`", "not run", "–", "–", "–"])
            continue
        meta, run = results[part]["meta"], results[part]["run"] or {}
        commit = run.get("commit") or meta.get("commit") or "unknown (no run record)"
        if run.get("dirty"):
            commit += " + uncommitted changes"
        quick = " (**smoke run**: not for quoting)" if is_quick(results[part]) else ""
        rows.append([
            f"`{part}.json`",
            (meta.get("started") or "?") + quick,
            commit,
            f"`{run['command']}`" if run.get("command") else command_fallback,
            host_text(meta.get("host") or {}),
        ])
    text = table(["part", "started", "commit", "command", "machine"], rows)
    # A tool two parts report at different versions shows both.
    versions = {}
    for part in PARTS:
        if part in results:
            for name, version in (results[part]["meta"].get("versions") or {}).items():
                # "augur 0.1.0" from one part and "0.1.0" from another are the same.
                version = str(version).removeprefix(name).strip()
                versions.setdefault(name, [])
                if version not in versions[name]:
                    versions[name].append(version)
    if versions:
        text += "\n\nVersions: " + ", ".join(
            f"{name} {' / '.join(versions[name])}" for name in sorted(versions))
    for part in PARTS:
        settings = results.get(part, {}).get("meta", {}).get("settings")
        if settings:
            text += (f"\n\n<details><summary>settings of <code>{part}.json</code></summary>"
                     "\n\n```json\n" + json.dumps(settings, indent=1, sort_keys=True)
                     + "\n```\n\n</details>")
    return text


def host_text(host):
    """The machine facts of a result's meta: CPUs and kernel first, then the others."""
    def plain(value):
        if isinstance(value, float):
            return f"{value:.2f}"
        if isinstance(value, (list, tuple)):
            return " ".join(plain(item) for item in value)
        return str(value)

    parts = []
    if host.get("cpus") is not None:
        parts.append(f"{host['cpus']} CPUs")
    if host.get("kernel"):
        parts.append(f"Linux {host['kernel']}")
    for name in sorted(set(host) - {"cpus", "kernel"}):
        parts.append(f"{name.replace('_', ' ')} {plain(host[name])}")
    return ", ".join(parts) or "?"


def targets_section(checked):
    rows = []
    for section, target, outcome in checked:
        verdict = {True: "met", False: "**not met**", None: "not measured"}[outcome.met]
        rows.append([section, target, outcome.measured, verdict])
    met = sum(1 for _, _, outcome in checked if outcome.met is True)
    measured = sum(1 for _, _, outcome in checked if outcome.met is not None)
    summary = f"{met} of {measured} measured targets met ({len(checked)} targets in all)."
    return summary + "\n\n" + table(["", "target", "measured (medians, this run)", ""], rows)


def http_rows(http, model, batch, connections_list):
    rows = []
    for connections in connections_list:
        augur = http.value("augur", model, batch, connections, "requests_per_second")
        for server in http.servers():
            cell = http.cell(server, model, batch, connections)
            if cell is None:
                continue
            rows.append([
                connections,
                SERVERS.get(server, server),
                number(cell["requests_per_second"]),
                ratio_text(ratio(augur, cell["requests_per_second"])),
                number(cell["latency_p50_ms"]),
                number(cell["latency_p99_ms"]),
                number(cell["errors"]),
                number(cell["cpu_ms_per_request"], 3),
                number(cell["rss_mb"], 1),
                number(cell["pss_mb"], 1),
            ])
    return rows


HTTP_HEADER = ["conn.", "server", "req/s", "Augur ÷ this", "p50 ms", "p99 ms", "errors",
               "CPU ms/req", "RSS MB", "PSS MB"]


def http_section(http):
    if http is None:
        return "The HTTP comparison was not run (no `http.json`)."
    focus = http.chart_connections()
    blocks = [
        "req/s, latencies and CPU per request are medians over the rounds; errors are "
        "counted over all rounds. “Augur ÷ this” is Augur's req/s divided by this server's, "
        "at the same model, body and connections: above 1× Augur is faster. RSS and PSS "
        "are summed over the server's own processes, sampled under load. The two ceilings "
        "load no model; measured once, they appear in every model's table. Each table shows "
        f"{focus} connections; the rows for every connection count follow it, folded."
    ]
    batch_names = {1: "one row", 100: "100 rows"}
    for model in http.models():
        for batch in http.batches():
            everything = http_rows(http, model, batch, http.connections())
            if not everything:
                continue
            title = f"#### {model}, {batch_names.get(batch, f'{batch} rows')}"
            focused = http_rows(http, model, batch, [focus])
            block = title + "\n\n" + (table(HTTP_HEADER, focused) if focused
                                       else f"Not measured at {focus} connections.")
            if len(everything) > len(focused):
                block += (
                    "\n\n<details><summary>every connection count</summary>\n\n"
                    + table(HTTP_HEADER, everything) + "\n\n</details>"
                )
            blocks.append(block)
    front = [
        (key[1] or "all", key[2], key[3], cell) for key, cell in sorted(
            http.cells.items(), key=lambda item: str(item[0])) if key[0] == "nginx"
    ]
    if front:
        blocks.append("#### nginx itself (shared by every server)\n\n" + table(
            ["model", "rows", "conn.", "CPU ms/req", "RSS MB", "PSS MB"],
            [[model, batch or "–", connections or "–", number(cell["cpu_ms_per_request"], 3),
              number(cell["rss_mb"], 1), number(cell["pss_mb"], 1)]
             for model, batch, connections, cell in front],
        ) + "\n\nCPU: nginx alone, over the `return 200` cells; memory: the largest sample "
            "under any cell's load.")
    return "\n\n".join(blocks)


def disagreements(agreement, model, batch):
    """The engines whose answers did not match scikit-learn's, from inprocess.json's meta."""
    found = (agreement or {}).get(model, {}).get(str(batch), {})
    return [ENGINES.get(engine, engine) for engine, check in found.items()
            if isinstance(check, dict) and check.get("agree") is False]


# Load columns: (engine, field of its load rows, heading).
LOAD_COLUMNS = (
    ("augur", "seconds", "Augur load"),
    ("sklearn", "seconds", "scikit-learn joblib.load"),
    ("augur", "first_seconds", "Augur, first load in a process"),
    ("sklearn", "import_and_load_seconds", "scikit-learn, import + first joblib.load"),
)


def inprocess_section(inprocess, meta=None):
    if inprocess is None:
        return "The in-process comparison was not run (no `inprocess.json`)."
    agreement = (meta or {}).get("agreement")
    engines = inprocess.engines()
    others = [engine for engine in engines if engine != "augur"]
    header = ["model", "rows"] + [f"{ENGINES.get(e, e)} per call" for e in engines]
    header += [f"{ENGINES.get(e, e)} ÷ Augur" for e in others]
    if agreement:
        header.append("answers")
    rows = []
    for model in inprocess.models():
        for batch in inprocess.batches():
            times_per_call = [inprocess.call(model, engine, batch) for engine in engines]
            if all(value is None for value in times_per_call):
                continue
            augur = inprocess.call(model, "augur", batch)
            row = (
                [model, f"{batch:,}"] + [duration(value) for value in times_per_call]
                + [ratio_text(ratio(inprocess.call(model, e, batch), augur)) for e in others]
            )
            if agreement:
                differ = disagreements(agreement, model, batch)
                row.append("**differ: " + ", ".join(differ) + "**" if differ
                           else "agree with scikit-learn")
            rows.append(row)
    blocks = [
        "Median seconds per predict call on one thread; “÷ Augur” is that engine's time "
        "divided by Augur's: above 1× Augur is faster. “Answers” compares each engine's "
        "predictions with scikit-learn's for the same rows.",
        table(header, rows),
    ]
    columns = [column for column in LOAD_COLUMNS
               if any(inprocess.load(m, column[0], column[1]) is not None
                      for m in inprocess.models())]
    if columns:
        # Each scikit-learn column is followed by its ratio to the Augur column before it.
        heading, load_rows = ["model"], [[model] for model in inprocess.models()]
        for engine, field, title in columns:
            heading.append(title)
            for model, row in zip(inprocess.models(), load_rows):
                row.append(duration(inprocess.load(model, engine, field)))
            if engine != "augur":
                augur_field = "seconds" if field == "seconds" else "first_seconds"
                heading.append("÷ Augur")
                for model, row in zip(inprocess.models(), load_rows):
                    row.append(ratio_text(ratio(inprocess.load(model, engine, field),
                                                inprocess.load(model, "augur", augur_field))))
        blocks.append("Loading the model file (medians): again in a warm process, and the "
                      "first time in a fresh one.")
        blocks.append(table(heading, load_rows))
    return "\n\n".join(blocks)


KNOWN_FOOTPRINT = ("idle_worker_rss_mb", "pool_pss_mb", "model_scaling",
                   "first_request_seconds", "python_import_and_load_seconds")


def footprint_section(footprint):
    if footprint is None:
        return "Memory and start time were not measured (no `footprint.json`)."
    blocks = []
    idle = footprint.of_kind("idle_worker_rss_mb")
    if idle:
        blocks.append("#### An idle worker\n\n" + table(
            ["model", "worker", "model file", "RSS ready", "PSS ready",
             "RSS after 200 requests", "PSS after 200 requests"],
            [[entry.get("model", "–"), entry.get("worker", "–"), size_text(model_mb(entry)),
              number(measurement(entry, "rss_mb"), 1), number(measurement(entry, "pss_mb"), 1),
              number(measurement(entry, "rss_mb_after_200_requests"), 1),
              number(measurement(entry, "pss_mb_after_200_requests"), 1)] for entry in idle],
        ))
    pools = footprint.of_kind("pool_pss_mb")
    if pools:
        growth = pool_growth(footprint)
        rows = []
        for entry in sorted(pools, key=lambda e: (str(e.get("model")), e.get("workers", 0))):
            ready = entry.get("ready") if isinstance(entry.get("ready"), dict) else {}
            rows.append([
                entry.get("model", "–"), size_text(model_mb(entry)), entry.get("workers", "–"),
                number(measurement(ready, "pool_pss_mb"), 1),
                number(measurement(entry, "pool_pss_mb"), 1),
                number(measurement(entry, "pool_rss_mb"), 1),
                number(measurement(entry, "master_pss_mb"), 1),
                number(measurement(entry, "workers_pss_mb"), 1),
            ])
        blocks.append(
            "#### One model, several workers\n\nSummed over the master and its workers; PSS "
            "divides each shared page among the processes that map it, so a model held once "
            "is counted once. “Ready” is after the first answer; the other figures after "
            f"{pools[0].get('after_requests', 'some')} requests more.\n\n" + table(
                ["model", "file", "workers", "pool PSS MB, ready", "pool PSS MB",
                 "pool RSS MB", "master PSS MB", "workers' PSS MB"], rows)
            + "\n\n" + "\n".join(
                f"- {model}: +{per_worker:.1f} MB of PSS per extra worker ({few:g} → {many:g})"
                for model, (few, many, _, _, per_worker, _) in sorted(growth.items()))
        )
    scaling = [entry for entry in footprint.of_kind("model_scaling") if model_mb(entry)]
    if scaling:
        blocks.append("#### A larger model\n\n" + table(
            ["model", "file", "worker RSS MB", "above an idle worker, MB"],
            [[entry.get("model", "–"), size_text(model_mb(entry)),
              number(measurement(entry, "worker_rss_mb"), 1),
              number(measurement(entry, "worker_rss_above_idle_mb"), 1)]
             for entry in sorted(scaling, key=model_mb)],
        ))
    augur = {e.get("model"): e for e in footprint.of_kind("first_request_seconds")}
    python = {e.get("model"): e for e in footprint.of_kind("python_import_and_load_seconds")}
    if augur or python:
        rows = []
        for model in ordered(set(augur) | set(python), MODELS):
            ours = measurement(augur.get(model, {}), "seconds")
            theirs = measurement(python.get(model, {}), "seconds")
            rows.append([model, duration(ours), duration(theirs), ratio_text(ratio(theirs, ours))])
        blocks.append("#### Start\n\n" + table(
            ["model", "Augur: launch to first answer", "Python: import scikit-learn + "
             "joblib.load", "Python ÷ Augur"], rows))
    # (model_scaling rows without a size are footprint.py's own ratios, already checked.)
    others = [entry for entry in footprint.entries if entry.get("kind") not in KNOWN_FOOTPRINT]
    if others:
        rows = []
        for entry in sorted(others, key=lambda e: json.dumps(e, sort_keys=True)):
            details = ", ".join(
                f"{name} {number(value) if isinstance(value, float) else value}"
                for name, value in sorted(entry.items())
                if name not in ("kind", "rounds") and not isinstance(value, (list, dict))
            )
            rows.append([entry.get("kind", "?"), details])
        blocks.append("#### Other figures\n\n" + table(["measurement", "figures"], rows))
    return "\n\n".join(blocks) or "`footprint.json` holds no rows."


def charts_section(charts, link_base):
    if not charts:
        return "No charts: nothing was measured that they show."
    return "\n\n".join(
        f"![{title}]({link_base}{name})" for title, name in charts
    )


def fill_template(template, values):
    text = template
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        start = text.index("{{")
        near = text[start:start + 30]
        raise SystemExit(f"report: the template names an unknown field near {near!r}")
    return text


# ---------------------------------------------------------------------------------------
# Charts (matplotlib, imported only here so the rest runs on any Python)


def grouped_bars(axes, groups, series, values, log=False, hatch=None):
    """Bars for each (group, series) pair; values[(group, series)] may be missing."""
    width = 0.8 / max(len(series), 1)
    for index, name in enumerate(series):
        xs, heights = [], []
        for position, group in enumerate(groups):
            value = values.get((group, name))
            if value is not None and value > 0:
                xs.append(position + (index - (len(series) - 1) / 2) * width)
                heights.append(value)
        axes.bar(xs, heights, width, label=name, hatch=hatch)
    axes.set_xticks(range(len(groups)), groups)
    if log:
        axes.set_yscale("log")
    axes.grid(axis="y", alpha=0.3)


def draw_charts(http, inprocess, out):
    """Writes the PNG charts into OUT; returns [(title, file name)]."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    charts = []

    def save(figure, name, title):
        figure.suptitle(title)
        figure.tight_layout()
        figure.savefig(out / name, dpi=110)
        pyplot.close(figure)
        charts.append((title, name))

    if http is not None and http.cells:
        connections = http.chart_connections()
        servers = http.servers()
        models = http.models() or ["(no model)"]
        labels = {server: server for server in servers}

        batches = [b for b in http.batches() if b in (1, 100)] or http.batches()
        figure, panels = pyplot.subplots(1, len(batches), figsize=(7 * len(batches), 4.5),
                                         squeeze=False)
        for axes, batch in zip(panels[0], batches):
            values = {
                (model, labels[server]): http.value(server, model, batch, connections,
                                                    "requests_per_second")
                for model in models for server in servers
            }
            grouped_bars(axes, models, [labels[s] for s in servers], values, log=True)
            axes.set_title(f"{batch} row{'s' if batch != 1 else ''} per request")
            axes.set_ylabel("requests per second (log)")
        panels[0][-1].legend(fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
        save(figure, "http-throughput.png",
             f"Requests per second at {connections} connections")

        figure, panels = pyplot.subplots(1, 2, figsize=(14, 4.5), squeeze=False)
        for axes, metric, name in zip(panels[0], ("latency_p50_ms", "latency_p99_ms"),
                                      ("p50", "p99")):
            values = {
                (model, labels[server]): http.value(server, model, 1, connections, metric)
                for model in models for server in servers
            }
            grouped_bars(axes, models, [labels[s] for s in servers], values, log=True)
            axes.set_title(f"{name} latency, one row")
            axes.set_ylabel("milliseconds (log)")
        panels[0][-1].legend(fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
        save(figure, "http-latency.png", f"Latency at {connections} connections")

        figure, panels = pyplot.subplots(1, 2, figsize=(14, 4.5), squeeze=False)
        memory_servers = servers + (["nginx"] if any(k[0] == "nginx" for k in http.cells)
                                    else [])
        for axes, metric, name in zip(panels[0], ("rss_mb", "pss_mb"), ("RSS", "PSS")):
            values = {}
            for model in models:
                for server in memory_servers:
                    value = http.value(server, model, 1, connections, metric)
                    if value is None and server == "nginx":
                        # nginx may be sampled once for the whole run.
                        found = [c[metric] for k, c in http.cells.items() if k[0] == "nginx"]
                        value = median(found)
                    values[(model, server)] = value
            grouped_bars(axes, models, memory_servers, values)
            axes.set_title(f"{name}, summed over each server's processes")
            axes.set_ylabel("MB")
        panels[0][-1].legend(fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
        save(figure, "http-memory.png", f"Memory under load, one row, {connections} connections")

    if inprocess is not None and inprocess.calls:
        batches = inprocess.batches()
        engines = inprocess.engines()
        figure, panels = pyplot.subplots(1, len(batches), figsize=(6 * len(batches), 4.5),
                                         squeeze=False)
        for axes, batch in zip(panels[0], batches):
            values = {
                (model, ENGINES.get(engine, engine)): inprocess.call(model, engine, batch)
                for model in inprocess.models() for engine in engines
            }
            grouped_bars(axes, inprocess.models(), [ENGINES.get(e, e) for e in engines],
                         values, log=True)
            axes.set_title(f"{batch:,} row{'s' if batch != 1 else ''} per call")
            axes.set_ylabel("seconds per call (log)")
        panels[0][-1].legend(fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
        save(figure, "inprocess.png", "In-process predict, one thread")

    return charts


# ---------------------------------------------------------------------------------------


def git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def build_report(results_dir, out_dir, markdown_path, template_path=TEMPLATE, charts=True):
    """Reads the results, writes charts and copies into OUT_DIR and the Markdown report."""
    results = load_results(results_dir)
    http = Http(results["http"]["rows"]) if "http" in results else None
    inprocess = InProcess(results["inprocess"]["rows"]) if "inprocess" in results else None
    footprint = Footprint(results["footprint"]["rows"]) if "footprint" in results else None

    out_dir.mkdir(parents=True, exist_ok=True)
    for part, found in results.items():
        for source in (found["path"], found["path"].with_suffix(".run.json")):
            target = out_dir / source.name
            if source.is_file() and source.resolve() != target.resolve():
                shutil.copyfile(source, target)

    drawn = draw_charts(http, inprocess, out_dir) if charts else []
    markdown_path.parent.mkdir(parents=True, exist_ok=True)
    link_base = os.path.relpath(out_dir.resolve(), markdown_path.parent.resolve())
    link_base = "" if link_base == "." else link_base.replace(os.sep, "/") + "/"

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    values = {
        "generated": f"{now}, by `bench/report.py` at commit {git_commit()}",
        "provenance": provenance_section(results, "unknown (no run record)"),
        "targets": targets_section(targets(http, inprocess, footprint)),
        "http": http_section(http),
        "inprocess": inprocess_section(
            inprocess, results["inprocess"]["meta"] if "inprocess" in results else None),
        "footprint": footprint_section(footprint),
        "charts": charts_section(drawn, link_base),
        "results_link": link_base or "./",
    }
    markdown_path.write_text(fill_template(template_path.read_text(), values))
    return results, drawn


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=pathlib.Path, required=True,
                        help="folder holding http.json, inprocess.json, footprint.json")
    parser.add_argument("--out", type=pathlib.Path, required=True,
                        help="folder for the charts and the copied result files")
    parser.add_argument("--markdown", type=pathlib.Path,
                        help="where to write the report (default: OUT/BENCHMARKS.md)")
    arguments = parser.parse_args(argv)
    markdown = arguments.markdown or arguments.out / "BENCHMARKS.md"
    results, drawn = build_report(arguments.results, arguments.out, markdown)
    missing = [part for part in PARTS if part not in results]
    print(f"report: {markdown} ({len(drawn)} charts in {arguments.out}"
          + (f"; not run: {', '.join(missing)}" if missing else "") + ")")


if __name__ == "__main__":
    sys.exit(main())
