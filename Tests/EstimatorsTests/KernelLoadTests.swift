import Arrays
import Estimators
import TestSupport
import Testing

/// Kernel options Augur does not serve (written by Tests/Fixtures/kernels-unsupported/
/// generate.py) are refused at load, naming the class and the option.
@Suite struct KernelLoadTests {
    static let folder = Fixtures.root + "/kernels-unsupported"

    @Test(arguments: [
        ("kernel_ridge_precomputed.pkl", "sklearn.kernel_ridge.KernelRidge", "kernel"),
        ("gpr_matern_large_nu.pkl", "sklearn.gaussian_process.kernels.Matern", "nu"),
        ("kernel_pca_float32.pkl", "sklearn.decomposition._kernel_pca.KernelPCA", "X_fit_"),
    ])
    func unsupportedKernelOptionsAreRefusedAtLoad(
        file: String,
        className: String,
        attribute: String
    ) {
        #expect {
            _ = try EstimatorRegistry.model(
                from: try ModelFile.load(path: "\(Self.folder)/\(file)")
            )
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == .unsupportedOption && failure?.className == className
                && failure?.attribute == attribute
        }
    }
}
