"""Write the small pickle and joblib files that PickleTests and ArraysTests read.

Usage (from this folder; each run writes only its own subfolder):

    python3 generate.py plain                       # plain/  (standard library only)
    python3 generate.py builtins                    # builtins/ (standard library only)
    /tmp/venv-152/bin/python generate.py numpy      # numpy1/ (numpy 1.26, joblib 1.4)
    /tmp/venv-newest/bin/python generate.py numpy   # numpy2/ (numpy 2.x, joblib 1.6)

Every folder gets an expected.json that Python itself writes from the objects it
pickled, so no expected value in the tests is typed by hand. Only for making test
input: the server never runs Python.
"""

import io
import json
import os
import pickle
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The object of the protocol comparison, dumped with every protocol.
PLAIN_OBJECT = {"a": [1, 2.5, None, True, b"x", (1,)]}
MARKER = "/tmp/augur-pickle-tests-marker"


class System:
    """Pickles as a call to os.system; loading it with pickle.load would run it."""

    def __reduce__(self):
        return (os.system, ("touch " + MARKER,))


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as handle:
        handle.write(data)


def plain():
    folder = os.path.join(HERE, "plain")
    os.makedirs(folder, exist_ok=True)
    expected = {"dict": {"repr": repr(PLAIN_OBJECT), "protocols": list(range(6))}}
    for protocol in range(6):
        write(folder, f"dict.p{protocol}.pkl", pickle.dumps(PLAIN_OBJECT, protocol=protocol))
    for protocol in (0, 2, 5):
        write(folder, f"system.p{protocol}.pkl", pickle.dumps(System(), protocol=protocol))
    expected["system"] = {
        "qualified_name": f"{os.system.__module__}.{os.system.__name__}",
        "marker": MARKER,
        "protocols": [0, 2, 5],
    }
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as handle:
        json.dump(expected, handle, indent=1, sort_keys=True, ensure_ascii=False)


# Builtins that the reader turns into values, each pickled with the protocols that spell
# them differently: 0 (text opcodes, __builtin__, copy_reg._reconstructor for object()), 2
# (__builtin__, NEWOBJ for object()), 4 and 5 (builtins, STACK_GLOBAL, FRAME).
BUILTIN_CASES = {
    "slice_1_5_none": slice(1, 5, None),
    "slice_reversed": slice(None, None, -1),
    # ColumnTransformer also takes slices of column names.
    "slice_names": slice("sepal_width", "petal_width", None),
    "complex": complex(1.5, -2),
    "object": object(),
}
BUILTIN_PROTOCOLS = (0, 2, 4, 5)


def describe_builtin(value):
    """What the tests compare the loaded value with, read off the object itself."""
    if isinstance(value, slice):
        return {"type": "slice", "start": value.start, "stop": value.stop, "step": value.step}
    if isinstance(value, complex):
        return {"type": "complex", "real": value.real, "imag": value.imag}
    if type(value) is object:
        return {"type": "object"}
    raise TypeError(f"no description for {value!r}")


def builtins():
    folder = os.path.join(HERE, "builtins")
    os.makedirs(folder, exist_ok=True)
    expected = {"protocols": list(BUILTIN_PROTOCOLS), "cases": {}}
    for name, value in BUILTIN_CASES.items():
        expected["cases"][name] = describe_builtin(value)
        for protocol in BUILTIN_PROTOCOLS:
            data = pickle.dumps(value, protocol=protocol)
            assert describe_builtin(pickle.loads(data)) == expected["cases"][name], name
            write(folder, f"{name}.p{protocol}.pkl", data)
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as handle:
        json.dump(expected, handle, indent=1, sort_keys=True, ensure_ascii=False)


def describe(array):
    """What the tests compare a decoded array with, in C order and native byte order."""
    import numpy as np

    dtype = array.dtype
    entry = {
        "kind": dtype.kind,
        "itemsize": dtype.itemsize,
        "shape": list(array.shape),
        "fields": [
            [name, dtype.fields[name][0].kind, dtype.fields[name][0].itemsize,
             dtype.fields[name][1]]
            for name in (dtype.names or ())
        ],
    }
    flat = np.ascontiguousarray(array).reshape(-1)
    if dtype.names:
        entry["columns"] = {name: flat[name].tolist() for name in dtype.names}
    else:
        entry["values"] = flat.tolist()
    return entry


class NoTell(io.RawIOBase):
    """A write-only stream without tell(), as a pipe is: joblib writes no padding."""

    def __init__(self):
        self.chunks = []

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def tell(self):
        raise io.UnsupportedOperation("tell")

    def seekable(self):
        return False


def numpy_files():
    import joblib
    import numpy as np
    from joblib import numpy_pickle

    major = np.__version__.split(".")[0]
    folder = os.path.join(HERE, f"numpy{major}")
    os.makedirs(folder, exist_ok=True)
    expected = {"numpy": np.__version__, "joblib": joblib.__version__, "arrays": {}}

    record = np.dtype([("left_child", "<i8"), ("threshold", "<f8"), ("flag", "u1")])
    big_record = np.dtype([("count", ">i4"), ("value", ">f8")])
    arrays = {
        "fortran_int64": np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3)),
        "fortran_float32_3d": np.asfortranarray(
            np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8
        ),
        "big_endian_f8": np.array([1.5, -2.0, 1e300, 2.0**-1070], dtype=">f8"),
        "big_endian_i4": np.array([[1, -2], [65536, -2**31]], dtype=">i4"),
        "unicode_u5": np.array(["a", "h\u00e9llo", "\u65e5\u672c", ""], dtype="<U5"),
        "big_endian_unicode": np.array(["ab", "\u00fc", "\U0001F600"], dtype=">U3"),
        "object_strings": np.array(["setosa", "versicolor", "virginica"], dtype=object),
        "records": np.array([(1, 0.5, 1), (-1, -2.0, 0)], dtype=record),
        "big_endian_records": np.array([(7, 0.25), (-8, 1e10)], dtype=big_record),
        "booleans": np.array([True, False, True]),
        "empty_f8": np.zeros(0),
        "uint8": np.array([0, 200, 255], dtype=np.uint8),
    }
    for name, array in arrays.items():
        expected["arrays"][name] = describe(array)
        for protocol in (2, 4, 5):
            write(folder, f"{name}.p{protocol}.pkl", pickle.dumps(array, protocol=protocol))

    scalars = [np.float64(2.5), np.int64(-3), np.bool_(True), np.float32(0.25), np.uint8(200)]
    expected["scalars"] = [float(s) for s in scalars]
    for protocol in (2, 4, 5):
        write(folder, f"scalars.p{protocol}.pkl", pickle.dumps(scalars, protocol=protocol))

    joblib_arrays = {
        "f8_2x3": np.arange(6.0).reshape(2, 3),
        "f4_2x3": np.arange(6.0, dtype=np.float32).reshape(2, 3),
        "f8_fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "object": np.array(["x", "yz", "x"], dtype=object),
    }
    expected["joblib"] = {}
    for name, array in joblib_arrays.items():
        expected["joblib"][name] = describe(array)
        path = os.path.join(folder, f"{name}.joblib")
        joblib.dump(array, path)
        # A stream without tell(): joblib writes the wrapper with no padding.
        stream = NoTell()
        joblib.dump(array, stream)
        write(folder, f"{name}.nopad.joblib", b"".join(stream.chunks))

    # Several arrays in one file, each with its own padding.
    several = [np.arange(3.0), np.array([1, 2], dtype=np.int32), np.array(["q"], dtype=object),
               np.arange(5, dtype=np.uint8)]
    expected["joblib_list"] = [describe(a) for a in several]
    joblib.dump(several, os.path.join(folder, "list.joblib"))

    # Compressed containers, which the server recognizes by their magic and refuses.
    for codec in ("zlib", "gzip", "bz2", "xz", "lzma"):
        joblib.dump(
            joblib_arrays["f8_2x3"],
            os.path.join(folder, f"compressed.{codec}.joblib"),
            compress=(codec, 3),
        )

    # dtypes the server does not read: complex and datetime.
    unsupported = {"complex128": np.array([1 + 2j]), "datetime64": np.array(["2020-01-01"],
                                                                            dtype="M8[D]")}
    expected["unsupported"] = {}
    for name, array in unsupported.items():
        expected["unsupported"][name] = array.dtype.str[1:]
        write(folder, f"unsupported_{name}.p2.pkl", pickle.dumps(array, protocol=2))

    # joblib < 1.2 wrote no padding and no numpy_array_alignment_bytes key: the same wrapper
    # without that attribute, as old files have it.
    original = numpy_pickle.NumpyPickler._create_array_wrapper

    def legacy_wrapper(self, array):
        wrapper = original(self, array)
        del wrapper.numpy_array_alignment_bytes
        return wrapper

    numpy_pickle.NumpyPickler._create_array_wrapper = legacy_wrapper
    try:
        joblib.dump(joblib_arrays["f8_2x3"], os.path.join(folder, "f8_2x3.legacy.joblib"))
    finally:
        numpy_pickle.NumpyPickler._create_array_wrapper = original

    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as handle:
        json.dump(expected, handle, indent=1, sort_keys=True, ensure_ascii=False)


if __name__ == "__main__":
    if sys.argv[1:] == ["plain"]:
        plain()
    elif sys.argv[1:] == ["builtins"]:
        builtins()
    elif sys.argv[1:] == ["numpy"]:
        numpy_files()
    else:
        sys.exit(__doc__)
