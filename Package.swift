// swift-tools-version:6.0
// Augur: serve scikit-learn models over FastCGI behind nginx, with no Python at serve time.
// One target per layer; dependencies point one way (README.md, "How it is built").
import PackageDescription

let package = Package(
    name: "Augur",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "augur", targets: ["augur"]),
        // Times Augur's predict and model load in process, for bench/inprocess.
        .executable(name: "augur-bench", targets: ["augur-bench"]),
        // The model reader alone, for Fuzz/ (a separate package that depends on this one).
        .library(name: "AugurReader", targets: ["Pickle", "Documents", "Arrays", "Estimators"]),
    ],
    targets: [
        // libfcgi from Debian's libfcgi-dev; only the FastCGI module imports it.
        .systemLibrary(
            name: "CFastCGI",
            pkgConfig: "fcgi",
            providers: [.apt(["libfcgi-dev"])]
        ),
        // zlib/gzip, bzip2, xz/lzma and LZ4 frame decoders for compressed joblib files; only
        // the Arrays module imports it. The modulemap links all four libraries. A system
        // library names one pkg-config file: liblz4.pc, the one most often missing (zlib.pc
        // and liblzma.pc exist too; bzip2 has none on Debian). All headers are in /usr/include.
        .systemLibrary(
            name: "CCompression",
            pkgConfig: "liblz4",
            providers: [.apt(["zlib1g-dev", "libbz2-dev", "liblzma-dev", "liblz4-dev"])]
        ),
        .target(name: "Pickle"),
        // JSON and UBJSON read whole, for the model files that are not pickles.
        .target(name: "Documents"),
        .target(name: "Arrays", dependencies: ["CCompression", "Pickle", "Documents"]),
        .target(name: "Estimators", dependencies: ["Arrays", "Pickle", "Documents"]),
        .target(name: "Serving", dependencies: ["Estimators", "Arrays", "Pickle"]),
        .target(name: "Inspection", dependencies: ["Estimators", "Arrays", "Pickle", "Serving"]),
        // One structured logger for the master, the workers and the command line.
        .target(name: "Logging"),
        .target(name: "FastCGI", dependencies: ["CFastCGI", "Serving", "Logging"]),
        .target(name: "WorkerPool", dependencies: ["Logging"]),
        // Counters shared by the whole pool, for `GET /metrics`; knows no other module.
        .target(name: "Metrics"),
        .executableTarget(
            name: "augur",
            dependencies: [
                "Pickle", "Arrays", "Estimators", "Serving", "Inspection", "FastCGI", "WorkerPool",
                "Metrics", "Logging",
            ]
        ),
        .executableTarget(
            name: "augur-bench",
            dependencies: ["Arrays", "Estimators", "Serving"],
            path: "bench/Sources/augur-bench"
        ),
        .target(name: "TestSupport", dependencies: ["Estimators"], path: "Tests/TestSupport"),
        .testTarget(name: "PickleTests", dependencies: ["Pickle", "Arrays", "TestSupport"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents"]),
        .testTarget(
            name: "ArraysTests",
            dependencies: ["Arrays", "Estimators", "Pickle", "TestSupport"]
        ),
        .testTarget(
            name: "EstimatorsTests",
            dependencies: ["Estimators", "Arrays", "Pickle", "TestSupport"]
        ),
        .testTarget(name: "ServingTests", dependencies: ["Serving", "Estimators", "TestSupport"]),
        .testTarget(
            name: "InspectionTests",
            dependencies: ["Inspection", "Estimators", "Arrays", "Pickle", "TestSupport"]
        ),
        .testTarget(name: "WorkerPoolTests", dependencies: ["WorkerPool", "TestSupport"]),
        .testTarget(
            name: "FastCGITests",
            dependencies: ["FastCGI", "Serving", "WorkerPool", "TestSupport"]
        ),
        .testTarget(
            name: "LoggingTests",
            dependencies: ["Logging", "FastCGI", "Serving", "Estimators", "TestSupport"]
        ),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Serving", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
