// swift-tools-version:6.0
// libFuzzer targets for Augur's model reader. Kept out of the main package so that its
// normal build and tests never see the sanitizer flags; see README.md and scripts/fuzz.
//
// Build (scripts/fuzz does this):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
    name: "AugurFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Augur", path: "..")
    ],
    targets: [
        // libFuzzer's LLVMFuzzerRunDriver, which each target's entry point calls (see
        // FuzzerEntry.swift in either target for why).
        .systemLibrary(name: "CFuzzerDriver"),
        // (a) The pickle machine alone, with no array interpreter.
        .executableTarget(
            name: "FuzzPickle",
            dependencies: ["CFuzzerDriver", .product(name: "AugurReader", package: "Augur")]
        ),
        // (b) The whole loading path: container, pickle, arrays, estimator, one prediction.
        .executableTarget(
            name: "FuzzModel",
            dependencies: ["CFuzzerDriver", .product(name: "AugurReader", package: "Augur")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
