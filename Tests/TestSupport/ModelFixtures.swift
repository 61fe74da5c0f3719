#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One model written by scikit-learn, in one file format, with the inputs it was given and
/// the outputs scikit-learn recorded.
public struct ModelFixture: Sendable, CustomStringConvertible {
    /// e.g. `sklearn-1.9.1`.
    public let version: String
    /// e.g. `random_forest_classifier`.
    public let caseName: String
    /// e.g. `model.p5.pkl`.
    public let fileName: String

    public var folder: String { "\(Fixtures.root)/models/\(version)/\(caseName)" }
    public var modelPath: String { "\(folder)/\(fileName)" }
    public var description: String { "\(version)/\(caseName)/\(fileName)" }

    public func input() throws -> TestJSON { try TestJSON.read(path: "\(folder)/input.json") }
    public func expected() throws -> TestJSON { try TestJSON.read(path: "\(folder)/expected.json") }

    /// Whether scikit-learn's outputs for this model are reproducible bit for bit (trees
    /// and forests: no floating-point reduction whose order is up to BLAS).
    public var isExact: Bool { caseName.contains("tree") || caseName.contains("forest") }

    /// Every recorded model file, in every format and version.
    public static let all: [ModelFixture] = {
        var fixtures: [ModelFixture] = []
        for version in Fixtures.listDirectory("\(Fixtures.root)/models") {
            let versionFolder = "\(Fixtures.root)/models/\(version)"
            for caseName in Fixtures.listDirectory(versionFolder)
            where !caseName.hasSuffix(".json") {
                for file in Fixtures.listDirectory("\(versionFolder)/\(caseName)")
                where file.hasPrefix("model.") {
                    fixtures.append(
                        ModelFixture(version: version, caseName: caseName, fileName: file)
                    )
                }
            }
        }
        return fixtures
    }()
}

extension Fixtures {
    /// The entries of a folder, sorted, without `.` and `..`.
    public static func listDirectory(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            // Read the name in place up to its NUL: a record is only as long as its name,
            // so copying the whole `d_name` array can read past the end of the buffer.
            let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
                String(cString: UnsafeRawPointer(field).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether two doubles agree within the tolerance the fixtures promise for results
    /// that pass through BLAS: 1e-12 absolute or 1e-9 relative.
    public static func close(_ actual: Double, _ expected: Double) -> Bool {
        if actual == expected { return true }
        let difference = abs(actual - expected)
        return difference <= 1e-12 || difference <= 1e-9 * abs(expected)
    }
}

extension Fixtures {
    /// Every file under `Tests/Fixtures` that the loader is meant to read or refuse (pickles
    /// and joblib files: `.pkl`, `.pickle`, `.joblib`), as paths relative to
    /// ``Fixtures/root``, sorted. Decompression bombs and JSON are left out.
    public static let modelFiles: [String] = modelFiles(under: "")

    private static func modelFiles(under relativeFolder: String) -> [String] {
        var found: [String] = []
        for name in listDirectory(root + "/" + relativeFolder) {
            let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
            var info = stat()
            guard stat(root + "/" + relative, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                found += modelFiles(under: relative)
            } else if [".pkl", ".pickle", ".joblib"].contains(where: name.hasSuffix) {
                found.append(relative)
            }
        }
        return found
    }
}
