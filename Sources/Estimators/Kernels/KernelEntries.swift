extension EstimatorRegistry {
    /// Kernel ridge regression, Gaussian processes and kernel PCA: estimators that compare
    /// rows with their training rows through a kernel.
    static let kernelEntries: [String: Entry] = [
        "KernelRidge": Entry(
            kernelFamily,
            [.predict],
            note: kernelNote + "; a 2-D prediction for a model fitted on a 2-D `y`"
        ) { object, _ throws(EstimatorError) in
            .regressor(try KernelRegressor.kernelRidge(object))
        },
        "GaussianProcessRegressor": Entry(
            kernelFamily,
            [.predict],
            note: "the predictive mean with the fitted `kernel_` (" + processKernels
                + "); `return_std` and `return_cov` are not served"
        ) { object, _ throws(EstimatorError) in
            .regressor(try KernelRegressor.gaussianProcess(object))
        },
        "GaussianProcessClassifier": Entry(
            kernelFamily,
            [.predict, .predictProba],
            note: "the Laplace approximation with the fitted kernels; predict_proba for two "
                + "classes and with `multi_class='one_vs_rest'`, not `'one_vs_one'`"
        ) { object, _ throws(EstimatorError) in
            .classifier(try GaussianProcessClassifier(object))
        },
        "KernelPCA": Entry(
            "Preprocessing",
            [.transform],
            note: kernelNote + "; `inverse_transform` is not served"
        ) { object, _ throws(EstimatorError) in .transformer(try KernelPCA(object)) },
    ]

    private static let kernelFamily = "Kernel methods"

    private static let kernelNote =
        "kernels by name (linear, poly, rbf, laplacian, sigmoid, cosine, chi2, additive_chi2) "
        + "or a Gaussian process kernel object; not callable or precomputed"

    private static let processKernels =
        "RBF, Matern (nu up to 20, or inf), RationalQuadratic, ExpSineSquared, "
        + "DotProduct, WhiteKernel, ConstantKernel, PairwiseKernel, sums, products and powers"
}
