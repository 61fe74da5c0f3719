/// The numpy globals that rebuild arrays, under both the numpy 1 (`numpy.core`) and the
/// numpy 2 (`numpy._core`) module names.
enum NumpyNames {
    static func isDType(_ name: String?) -> Bool {
        name == "numpy.dtype"
    }

    static func isReconstruct(_ name: String?) -> Bool {
        name == "numpy.core.multiarray._reconstruct"
            || name == "numpy._core.multiarray._reconstruct"
    }

    static func isFromBuffer(_ name: String?) -> Bool {
        name == "numpy.core.numeric._frombuffer" || name == "numpy._core.numeric._frombuffer"
    }

    static func isScalar(_ name: String?) -> Bool {
        name == "numpy.core.multiarray.scalar" || name == "numpy._core.multiarray.scalar"
    }

    /// joblib before 0.10 stored each array in a side `.npy` file named by this wrapper.
    static func isOldJoblibWrapper(_ name: String?) -> Bool {
        name == "joblib.numpy_pickle.NDArrayWrapper"
            || name == "joblib.numpy_pickle_compat.NDArrayWrapper"
            || name == "sklearn.externals.joblib.numpy_pickle.NDArrayWrapper"
    }

    static func isJoblibWrapper(_ name: String?) -> Bool {
        name == "joblib.numpy_pickle.NumpyArrayWrapper"
            || name == "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper"
    }
}
