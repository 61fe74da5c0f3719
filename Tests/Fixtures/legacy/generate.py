"""Writes complex-valued numpy arrays for Augur's array tests, with numpy's own values.

Usage: python generate.py OUTDIR   (needs numpy)
"""

import json
import os
import pickle
import sys

import numpy as np


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    arrays = {
        "complex128": np.array([1 + 2j, -3.5 - 0.25j, 1e300 + 1e-300j]),
        "complex64_big_endian": np.array([[1 + 2j, 3 - 4j]], dtype=">c8"),
    }
    expected = {}
    for name, array in arrays.items():
        for protocol in (2, 5):
            with open(os.path.join(outdir, f"{name}.p{protocol}.pkl"), "wb") as handle:
                pickle.dump(array, handle, protocol=protocol)
        flat = array.astype(np.complex128).ravel()
        expected[name] = {
            "shape": list(array.shape),
            "real": [format(float(v.real), ".17g") for v in flat],
            "imaginary": [format(float(v.imag), ".17g") for v in flat],
        }
    with open(os.path.join(outdir, "expected.json"), "w") as handle:
        json.dump(expected, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
