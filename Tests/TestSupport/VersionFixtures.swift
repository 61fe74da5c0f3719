/// One model file under `Tests/Fixtures/versions/`: the same small models written by four
/// scikit-learn/numpy environments, each saved ten ways, with numpy's own view of every
/// array in `arrays.json`.
public struct VersionFixture: Sendable, CustomStringConvertible {
    /// e.g. `sklearn-1.1.3`.
    public let environment: String
    /// e.g. `random_forest_classifier`.
    public let caseName: String
    /// e.g. `model.lz4.joblib`.
    public let fileName: String

    public static let root = Fixtures.root + "/versions"

    public var folder: String { "\(Self.root)/\(environment)/\(caseName)" }
    public var modelPath: String { "\(folder)/\(fileName)" }
    public var description: String { "\(environment)/\(caseName)/\(fileName)" }

    public func input() throws -> TestJSON { try TestJSON.read(path: "\(folder)/input.json") }
    public func expected() throws -> TestJSON { try TestJSON.read(path: "\(folder)/expected.json") }
    public func arrays() throws -> TestJSON { try TestJSON.read(path: "\(folder)/arrays.json") }

    /// Trees and forests give bit-exact outputs; the rest pass through BLAS.
    public var isExact: Bool { caseName.contains("tree") || caseName.contains("forest") }

    /// The compressor named in the file name (`zlib`, `gzip`, `bz2`, `xz`, `lzma`, `lz4`),
    /// or nil for pickles and plain joblib files.
    public var compressor: String? {
        let parts = fileName.split(separator: ".")
        guard parts.count == 3, parts[2] == "joblib" else { return nil }
        return String(parts[1])
    }

    /// Every model file of every case of every environment.
    public static let all: [VersionFixture] = {
        var fixtures: [VersionFixture] = []
        for environment in Fixtures.listDirectory(root) where environment.hasPrefix("sklearn-") {
            let environmentFolder = "\(root)/\(environment)"
            for caseName in Fixtures.listDirectory(environmentFolder)
            where !caseName.hasSuffix(".json") {
                for file in Fixtures.listDirectory("\(environmentFolder)/\(caseName)")
                where file.hasPrefix("model.") {
                    fixtures.append(
                        VersionFixture(environment: environment, caseName: caseName, fileName: file)
                    )
                }
            }
        }
        return fixtures
    }()
}
