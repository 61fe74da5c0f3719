// swift-tools-version:6.0
// Augur: serve scikit-learn models over FastCGI behind nginx, with no Python at serve time.
// One target per layer; dependencies point one way (see ../shared/DESIGN.md and README.md).
import PackageDescription

let package = Package(
    name: "Augur",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "augur", targets: ["augur"])
    ],
    targets: [
        // libfcgi from Debian's libfcgi-dev; only the FastCGI module imports it.
        .systemLibrary(
            name: "CFastCGI",
            pkgConfig: "fcgi",
            providers: [.apt(["libfcgi-dev"])]
        ),
        .target(name: "Pickle"),
        .target(name: "Arrays", dependencies: ["Pickle"]),
        .target(name: "Estimators", dependencies: ["Arrays", "Pickle"]),
        .target(name: "Serving", dependencies: ["Estimators", "Arrays", "Pickle"]),
        .target(name: "FastCGI", dependencies: ["CFastCGI", "Serving"]),
        .target(name: "WorkerPool"),
        .executableTarget(
            name: "augur",
            dependencies: ["Pickle", "Arrays", "Estimators", "Serving", "FastCGI", "WorkerPool"]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PickleTests", dependencies: ["Pickle", "TestSupport"]),
        .testTarget(
            name: "ArraysTests",
            dependencies: ["Arrays", "Pickle", "Estimators", "TestSupport"]
        ),
        .testTarget(
            name: "EstimatorsTests",
            dependencies: ["Estimators", "Arrays", "Pickle", "TestSupport"]
        ),
        .testTarget(name: "ServingTests", dependencies: ["Serving", "Estimators", "TestSupport"]),
        .testTarget(name: "WorkerPoolTests", dependencies: ["WorkerPool", "TestSupport"]),
        .testTarget(name: "FastCGITests", dependencies: ["FastCGI", "Serving"]),
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
