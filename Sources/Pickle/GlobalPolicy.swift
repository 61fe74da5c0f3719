/// Which globals a pickle may name at all.
///
/// The machine never resolves or calls a global, so naming one is harmless here; but a
/// file that reaches for a way to run code was made to attack `pickle.load`, and no real
/// model needs one. Refusing it at load gives the operator a clear message that names the
/// global and its offset, instead of a model that fails later for a vaguer reason.
public enum GlobalPolicy {
    /// Modules that exist to run code, load code or reach the operating system, refused
    /// wherever they appear in a dotted name: that also catches attribute paths through an
    /// allowed module (`numpy.testing.os.system`).
    static let forbiddenAnywhere: Set<String> = [
        "os", "posix", "nt", "sys", "subprocess", "commands", "pty", "shutil", "socket",
        "importlib", "imp", "runpy", "pickle", "cPickle", "dill", "cloudpickle", "marshal",
        "webbrowser", "ctypes", "cffi", "multiprocessing",
    ]

    /// Modules refused as the first part of a name. Their names are too common to refuse
    /// anywhere (`numpy.random._pickle` is numpy's own random-state pickling, `scipy.io` is
    /// harmless), but none of them is a reason for a model file to name a global.
    static let forbiddenRoots: Set<String> = [
        "_pickle", "pickletools", "shelve", "pkgutil", "code", "codeop", "threading",
        "_thread", "asyncio", "signal", "platform", "tempfile", "glob", "io", "_io",
        "fileinput", "operator", "_operator", "types", "inspect", "gc", "weakref", "timeit",
        "pdb", "bdb", "trace", "profile", "cProfile", "ast", "compileall", "py_compile",
        "zipimport", "site", "sysconfig", "distutils", "setuptools", "pip", "http", "urllib",
        "ftplib", "smtplib", "telnetlib", "xmlrpc", "requests", "_posixsubprocess",
        "nturl2path", "posixpath", "ntpath", "numpy.f2py", "numpy.distutils",
    ]

    /// Single functions of otherwise allowed modules that read or write files or unpickle.
    static let forbiddenNames: Set<String> = [
        "numpy.load", "numpy.loads", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile",
        "numpy.save", "numpy.savez", "numpy.savetxt", "numpy.memmap", "joblib.load",
        "joblib.dump", "numpy.lib.npyio.load", "numpy.lib._npyio_impl.load",
    ]

    /// The builtins real model files use, under both the Python 3 and the Python 2 module
    /// name; every other builtin (`eval`, `exec`, `getattr`, `__import__`, `open`, …) is
    /// refused.
    static let allowedBuiltins: Set<String> = [
        "set", "frozenset", "bytearray", "bytes", "slice", "complex", "object", "int", "float",
        "str", "list", "dict", "tuple", "bool", "range", "type(None)",
    ]

    /// The reason `module.name` is refused, or nil when the machine may record it.
    public static func refusal(module: String, name: String) -> String? {
        let parts = (module + "." + name).split(separator: ".", omittingEmptySubsequences: false)
        if parts.contains(where: \.isEmpty) {
            return "its dotted name has an empty part"
        }
        if forbiddenNames.contains(module + "." + name) {
            return "it reads or writes files"
        }
        if module == "builtins" || module == "__builtin__" {
            return allowedBuiltins.contains(name) ? nil : "it is a Python builtin that can run code"
        }
        for part in parts {
            if part.hasPrefix("__") && part.hasSuffix("__") && part.count > 4 {
                // `__builtins__`, `__globals__`, `__class__`… are how attribute tricks reach
                // eval through an allowed module. Generated names such as
                // `__pyx_unpickle_Foo` or `__randomstate_ctor` do not end in `__`.
                return "'\(part)' reaches into Python's internals"
            }
            if part == "builtins" || part == "__builtin__" {
                return "it reaches Python's builtins through another module"
            }
            if forbiddenAnywhere.contains(String(part)) {
                return "'\(part)' can run code or reach the operating system"
            }
        }
        let root = String(parts[0])
        let twoParts = parts.count > 1 ? root + "." + parts[1] : root
        if forbiddenRoots.contains(root) || forbiddenRoots.contains(twoParts) {
            return "module '\(root)' has no place in a model file and can run code"
        }
        return nil
    }
}
