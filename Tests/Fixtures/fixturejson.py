"""The JSON writer of the fixture generators (generate.py, versions/generate.py,
conformance/generate.py): an object's members and a nested list's items one per line,
a flat list on one line, floats with 17 significant digits so they round-trip.

Only for generating test fixtures: the server never runs Python.
"""

import json
import math

import numpy as np


def scalar(value, non_finite=False):
    """One JSON scalar. JSON has no NaN or infinities: with non_finite they are written
    as the strings "nan", "inf" and "-inf"; without, a fixture must not hold them."""
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            assert non_finite, f"non-finite float in fixture: {value!r}"
            if math.isnan(value):
                return '"nan"'
            return '"inf"' if value > 0 else '"-inf"'
        return format(value, ".17g")
    if isinstance(value, str):  # numpy's str_ too
        return json.dumps(str(value))
    raise TypeError(f"cannot write {type(value).__name__} to JSON: {value!r}")


def to_json(value, indent=0, non_finite=False):
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, np.ndarray):
        value = value.tolist() if value.dtype != object else list(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [
            f"{inner}{json.dumps(str(k))}: {to_json(v, indent + 1, non_finite)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(parts) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        items = [v.tolist() if isinstance(v, np.ndarray) else v for v in value]
        if all(not isinstance(v, (list, tuple, dict)) for v in items):
            return "[" + ", ".join(scalar(v, non_finite) for v in items) + "]"
        parts = [inner + to_json(v, indent + 1, non_finite) for v in items]
        return "[\n" + ",\n".join(parts) + "\n" + pad + "]"
    return scalar(value, non_finite)


def write_json(path, value, non_finite=False):
    text = to_json(value, non_finite=non_finite) + "\n"
    json.loads(text)  # it must parse back
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
