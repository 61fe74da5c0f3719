import Arrays
import Estimators
import Pickle
import TestSupport
import Testing

/// Augur reads every array of every model file the way numpy itself sees it, across four
/// scikit-learn/numpy environments and all ten ways of saving a model
/// (`Tests/Fixtures/versions/`, see its README).
///
/// Each case's `arrays.json` was written by numpy from the fitted model: the path of each
/// array through the estimators' state, its dtype, shape, the CRC-32 of its C-order bytes
/// and, for small arrays, its values. The generator checked that every file holds those
/// bytes and loads back to the same arrays.
@Suite("Arrays read as numpy sees them, across scikit-learn versions")
struct NumpyViewTests {
    /// Files that are pickles from their first byte: protocols 2, 4, 5 and plain joblib.
    static let uncompressed = VersionFixture.all.filter { format(of: $0) == .pickle }
    /// joblib files written with `compress=(codec, 3)`.
    static let compressed = VersionFixture.all.filter { format(of: $0) != .pickle }

    static func format(of fixture: VersionFixture) -> ModelFile.Format {
        guard let bytes = try? ModelFile.readFile(fixture.modelPath) else { return .unknown }
        return ModelFile.format(of: bytes)
    }

    // MARK: - Tests

    @Test("The CRC-32 of \"123456789\" is the standard check value 0xCBF43926")
    func crcGivesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        // zlib.crc32(bytes(range(256))) in Python.
        #expect(CRC32.checksum((0...255).map { UInt8($0) }) == 0x2905_8C73)
    }

    @Test("Every environment has every case saved in all ten formats")
    func everyFormatOfEveryCaseIsThere() throws {
        let environments = Set(VersionFixture.all.map(\.environment))
        #expect(
            environments == ["sklearn-1.1.3", "sklearn-1.3.2", "sklearn-1.5.2", "sklearn-1.9.1"]
        )
        let formats = Set(VersionFixture.all.map(\.fileName))
        #expect(
            formats == [
                "model.p2.pkl", "model.p4.pkl", "model.p5.pkl", "model.joblib",
                "model.zlib.joblib", "model.gzip.joblib", "model.bz2.joblib",
                "model.xz.joblib", "model.lzma.joblib", "model.lz4.joblib",
            ]
        )
        #expect(VersionFixture.all.count == 4 * 9 * 10)
        #expect(Self.uncompressed.count == 4 * 9 * 4)
        let expectedFormats: [String: ModelFile.Format] = [
            "zlib": .zlib, "gzip": .gzip, "bz2": .bzip2, "xz": .xz, "lzma": .lzma, "lz4": .lz4,
        ]
        for fixture in VersionFixture.all {
            let expected = fixture.compressor.map { expectedFormats[$0] ?? .unknown } ?? .pickle
            #expect(Self.format(of: fixture) == expected, "\(fixture)")
        }
    }

    @Test(
        "Every array in an uncompressed file has numpy's dtype, shape, bytes and values",
        arguments: uncompressed
    )
    func arraysMatchNumpy(_ fixture: VersionFixture) throws {
        try Self.checkArrays(of: fixture)
    }

    @Test("An uncompressed file predicts what scikit-learn predicted", arguments: uncompressed)
    func predictionsMatchScikitLearn(_ fixture: VersionFixture) throws {
        try Self.checkPredictions(of: fixture)
    }

    /// Fails until `ModelFile` decompresses joblib files; expected to pass once it does.
    @Test(
        "A compressed joblib file reads and predicts like numpy and scikit-learn",
        arguments: compressed
    )
    func compressedFilesMatchNumpyAndScikitLearn(_ fixture: VersionFixture) throws {
        try Self.checkArrays(of: fixture)
        try Self.checkPredictions(of: fixture)
    }

    // MARK: - Arrays

    static func checkArrays(of fixture: VersionFixture) throws {
        let root = try ModelFile.load(path: fixture.modelPath)
        let entries = try #require(try fixture.arrays()["arrays"]?.array)
        #expect(!entries.isEmpty)
        for entry in entries {
            let path = try #require(entry["path"]?.string)
            let place = "\(fixture) \(path.isEmpty ? "<root>" : path)"
            let value = try GraphPath(path).follow(from: root)
            guard let array = try ArrayDecoder.array(value) else {
                Issue.record("\(place): a \(value.kindName), not a numpy array")
                continue
            }
            try checkDType(array.dtype, entry, place)
            let shape = try #require(entry["shape"]?.array).map { Int($0.double ?? -1) }
            #expect(array.shape == shape, "\(place): shape")
            try checkBytes(array, entry, place)
            try checkValues(array, entry, place)
        }
        // Nothing more, nothing less: the arrays Augur finds are the ones numpy listed.
        let listed = entries.compactMap { $0["path"]?.string }
        #expect(try ArraysFound(in: root).paths == listed, "\(fixture): array paths")
    }

    static func checkDType(_ dtype: DType, _ entry: TestJSON, _ place: String) throws {
        let typeString = try #require(entry["dtype"]?.string)
        let expected = try #require(Expected(typeString: typeString), "\(place): \(typeString)")
        #expect(dtype.kind.rawValue == expected.kind, "\(place): kind of \(dtype) vs \(typeString)")
        #expect(!dtype.isBigEndian, "\(place): \(dtype) not little-endian")
        guard let fields = entry["fields"]?.array else {
            if let size = expected.itemSize {
                #expect(dtype.itemSize == size, "\(place): itemsize of \(dtype) vs \(typeString)")
            }
            #expect(dtype.fields.isEmpty, "\(place): \(dtype) has fields")
            return
        }
        let itemSize = try #require(entry["itemsize"]?.double)
        #expect(dtype.itemSize == Int(itemSize), "\(place): record size of \(dtype)")
        #expect(dtype.fields.count == fields.count, "\(place): fields of \(dtype)")
        for (field, listed) in zip(dtype.fields, fields) {
            let parts = try #require(listed.array)
            let name = try #require(parts[0].string)
            let fieldType = try #require(parts[1].string)
            let fieldExpected = try #require(Expected(typeString: fieldType))
            #expect(field.name == name, "\(place): field \(field.name) vs \(name)")
            #expect(field.offset == Int(parts[2].double ?? -1), "\(place): offset of \(name)")
            #expect(field.dtype.kind.rawValue == fieldExpected.kind, "\(place): kind of \(name)")
            #expect(field.dtype.itemSize == fieldExpected.itemSize, "\(place): size of \(name)")
            #expect(!field.dtype.isBigEndian, "\(place): \(name) not little-endian")
        }
    }

    static func checkBytes(_ array: NDArray, _ entry: TestJSON, _ place: String) throws {
        switch (array.storage, entry["crc32"]) {
        case (.raw(let bytes), .number(let crc, _)?):
            #expect(
                CRC32.checksum(bytes) == UInt32(crc),
                "\(place): CRC-32 of \(bytes.count) bytes"
            )
        case (.objects, .null?):
            break
        default:
            Issue.record(
                "\(place): storage does not match crc32 \(String(describing: entry["crc32"]))"
            )
        }
    }

    static func checkValues(_ array: NDArray, _ entry: TestJSON, _ place: String) throws {
        guard let values = entry["values"]?.array else { return }
        #expect(array.count == values.count, "\(place): element count")
        switch array.dtype.kind {
        case .float:
            for (index, (actual, listed)) in zip(try array.doubles(), values).enumerated() {
                let expected = try #require(listed.double)
                #expect(
                    actual.bitPattern == expected.bitPattern,
                    "\(place)[\(index)]: \(actual) vs \(expected)"
                )
            }
        case .signedInteger, .unsignedInteger, .boolean:
            for (index, (actual, listed)) in zip(try array.integers(), values).enumerated() {
                #expect(actual == integer(listed), "\(place)[\(index)]: \(actual) vs \(listed)")
            }
        case .unicode, .bytes:
            #expect(try array.strings().map(TestJSON.string) == values, "\(place)")
        case .object:
            for (index, (element, listed)) in zip(try array.objects(), values).enumerated() {
                #expect(
                    same(element, listed),
                    "\(place)[\(index)]: \(element.kindName) vs \(listed)"
                )
            }
        case .void, .complex:
            // The generator lists no values for these; a listing means it changed.
            Issue.record("\(place): values listed for a \(array.dtype) array")
        }
    }

    /// A JSON integer or boolean as numpy wrote it.
    static func integer(_ value: TestJSON) -> Int64? {
        switch value {
        case .bool(let flag): flag ? 1 : 0
        case .number(_, let text): Int64(text)
        default: nil
        }
    }

    /// An element of an object array against its JSON value.
    static func same(_ element: PickleValue, _ listed: TestJSON) -> Bool {
        switch (element, listed) {
        case (.string(let text), .string(let expected)): text == expected
        case (.int(let number), _): integer(listed) == number
        case (.bool(let flag), .bool(let expected)): flag == expected
        case (.float(let number), .number(let expected, _)):
            number.bitPattern == expected.bitPattern
        default: false
        }
    }

    // MARK: - Predictions

    static func checkPredictions(of fixture: VersionFixture) throws {
        let model = try EstimatorRegistry.model(from: try ModelFile.load(path: fixture.modelPath))
        let expected = try fixture.expected()
        let input = try fixture.input()
        let rows = try #require(input["rows"]?.matrix)
        let matrix = Matrix(rows)
        #expect(model.inputWidth == Int(try #require(expected["n_features"]?.double)))
        #expect(model.estimatorClass.hasSuffix("." + (expected["estimator"]?.string ?? "?")))
        let names = input["feature_names"]?.array?.compactMap(\.string)
        #expect(model.featureNames == names, "\(fixture): feature names")

        let recorded = try #require(expected["predict"]?.array)
        switch model.estimator {
        case .classifier(let classifier):
            let labels = classifier.classes.take(try classifier.predictClassIndices(matrix))
            #expect(labels.testJSON == recorded, "\(fixture)")
            #expect(classifier.classes.testJSON == expected["classes"]?.array, "\(fixture)")
            let probabilities = try classifier.predictProbabilities(matrix)
            let recordedProbabilities = try #require(expected["predict_proba"]?.matrix)
            #expect(probabilities.rows == recordedProbabilities.count)
            for (row, recordedRow) in recordedProbabilities.enumerated() {
                for (column, value) in recordedRow.enumerated() {
                    let actual = probabilities[row, column]
                    #expect(
                        fixture.isExact ? actual == value : Fixtures.close(actual, value),
                        "\(fixture) row \(row) class \(column): \(actual) vs \(value)"
                    )
                }
            }
        case .regressor(let regressor):
            let predictions = try regressor.predict(matrix).values
            #expect(predictions.count == recorded.count)
            for (row, (actual, listed)) in zip(predictions, recorded).enumerated() {
                let value = try #require(listed.double)
                #expect(
                    fixture.isExact ? actual == value : Fixtures.close(actual, value),
                    "\(fixture) row \(row): \(actual) vs \(value)"
                )
            }
        case .transformer, .outlierDetector, .multiOutputClassifier:
            Issue.record("\(fixture) loaded as \(model.outputs)")
        }
    }
}

/// What numpy's `dtype.str` says: `<f8`, `|V64`, `|O`, `<U5`, `|b1`.
private struct Expected {
    let kind: Character
    /// Bytes per element; `|O` has no size in its string (8 on 64-bit numpy).
    let itemSize: Int?

    init?(typeString: String) {
        let characters = Array(typeString)
        guard characters.count >= 2, "<>|=".contains(characters[0]) else { return nil }
        kind = characters[1]
        let count = Int(String(characters[2...]))
        switch kind {
        case "O": itemSize = count ?? 8
        case "U": itemSize = count.map { $0 * 4 }
        default: itemSize = count
        }
    }
}

/// A path as the fixture generator writes it: `.name` is a key of an object's state,
/// `["key"]` a dict key, `[i]` a list or tuple item or an object-array element.
struct GraphPath: CustomStringConvertible {
    enum Step {
        case attribute(String)
        case key(String)
        case index(Int)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let text: String
    let steps: [Step]
    var description: String { text }

    init(_ text: String) throws {
        self.text = text
        var steps: [Step] = []
        var rest = Substring(text)
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw Failure(description: "empty name in \(text)") }
                steps.append(.attribute(String(name)))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[\"") {
                rest = rest.dropFirst(2)
                guard let end = rest.firstRange(of: "\"]") else {
                    throw Failure(description: "unclosed key in \(text)")
                }
                steps.append(.key(String(rest[..<end.lowerBound])))
                rest = rest[end.upperBound...]
            } else if first == "[" {
                rest = rest.dropFirst()
                let digits = rest.prefix { $0 != "]" }
                guard let index = Int(digits), rest.dropFirst(digits.count).first == "]" else {
                    throw Failure(description: "bad index in \(text)")
                }
                steps.append(.index(index))
                rest = rest.dropFirst(digits.count + 1)
            } else {
                throw Failure(description: "unexpected '\(first)' in \(text)")
            }
        }
        self.steps = steps
    }

    /// The value at this path: object state via the BUILD dict (estimators and `Tree`
    /// alike), object-array elements via ``ArrayDecoder``.
    func follow(from root: PickleValue) throws -> PickleValue {
        var value = root
        var walked = ""
        for step in steps {
            let next: PickleValue?
            switch (step, value) {
            case (.attribute(let name), .object(let object)):
                next = object.stateDict?[name]
                walked += ".\(name)"
            case (.key(let key), .dict(let dict)):
                next = dict[key]
                walked += "[\"\(key)\"]"
            case (.index(let index), .list(let list)):
                next = list.items.indices.contains(index) ? list.items[index] : nil
                walked += "[\(index)]"
            case (.index(let index), .tuple(let items)):
                next = items.indices.contains(index) ? items[index] : nil
                walked += "[\(index)]"
            case (.index(let index), _):
                let elements = try ArrayDecoder.array(value)?.objects() ?? []
                next = elements.indices.contains(index) ? elements[index] : nil
                walked += "[\(index)]"
            default:
                next = nil
            }
            guard let next else {
                throw Failure(description: "\(text): nothing at \(walked) in a \(value.kindName)")
            }
            value = next
        }
        return value
    }
}

/// Every numpy array and scalar Augur finds in a value graph, by the same walk and path
/// syntax as the generator: an object's BUILD dict by key, lists and tuples by index, dicts
/// by string key, object arrays listed and then walked by element.
struct ArraysFound {
    private(set) var paths: [String] = []

    init(in root: PickleValue) throws {
        try walk(root, "")
    }

    private mutating func walk(_ value: PickleValue, _ path: String) throws {
        if let array = try ArrayDecoder.array(value) {
            paths.append(path)
            if case .objects(let elements) = array.storage {
                for (index, element) in elements.enumerated() {
                    try walk(element, "\(path)[\(index)]")
                }
            }
            return
        }
        switch value {
        case .object(let object):
            for entry in object.stateDict?.entries ?? [] {
                if case .string(let key) = entry.key { try walk(entry.value, "\(path).\(key)") }
            }
        case .list(let list):
            for (index, item) in list.items.enumerated() { try walk(item, "\(path)[\(index)]") }
        case .tuple(let items):
            for (index, item) in items.enumerated() { try walk(item, "\(path)[\(index)]") }
        case .dict(let dict):
            for entry in dict.entries {
                if case .string(let key) = entry.key {
                    try walk(entry.value, "\(path)[\"\(key)\"]")
                }
            }
        default:
            break
        }
    }
}
