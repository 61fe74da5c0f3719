import Arrays
import Pickle
import TestSupport
import Testing

/// The two numpy generations the fixtures were written with (Tests/Fixtures/pickles).
enum NumpyGeneration: String, CaseIterable, Sendable {
    case numpy1
    case numpy2

    var folder: String { "\(Fixtures.root)/pickles/\(rawValue)" }

    /// What Python recorded about the objects in this folder.
    func expected() throws -> TestJSON {
        try TestJSON.read(path: "\(folder)/expected.json")
    }

    func load(_ fileName: String) throws -> PickleValue {
        try ModelFile.load(path: "\(folder)/\(fileName)")
    }
}

/// Compares an array with what `describe()` in generate.py recorded for the original.
func expectArray(
    _ array: NDArray,
    matches expected: TestJSON,
    _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let kind = String(array.dtype.kind.rawValue)
    #expect(kind == expected["kind"]?.string, "\(label)", sourceLocation: sourceLocation)
    #expect(
        Double(array.dtype.itemSize) == expected["itemsize"]?.double,
        "\(label)",
        sourceLocation: sourceLocation
    )
    #expect(
        array.shape.map(Double.init) == expected["shape"]?.array?.compactMap(\.double),
        "\(label)",
        sourceLocation: sourceLocation
    )
    #expect(!array.dtype.isBigEndian, "\(label)", sourceLocation: sourceLocation)
    let fields = try #require(expected["fields"]?.array, sourceLocation: sourceLocation)
    #expect(array.dtype.fields.count == fields.count, "\(label)", sourceLocation: sourceLocation)
    for (field, recorded) in zip(array.dtype.fields, fields) {
        let description = [
            .string(field.name), .string(String(field.dtype.kind.rawValue)),
            .number(Double(field.dtype.itemSize), text: ""),
            .number(Double(field.offset), text: ""),
        ].map(plain)
        #expect(
            description == recorded.array?.map(plain),
            "\(label)",
            sourceLocation: sourceLocation
        )
    }
    if case .object(let columns)? = expected["columns"] {
        for (name, values) in columns {
            let actual =
                try field(name, of: array).isInteger
                ? try array.fieldIntegers(name).map(Double.init)
                : try array.fieldDoubles(name)
            #expect(
                actual == values.array?.compactMap(number),
                "\(label).\(name)",
                sourceLocation: sourceLocation
            )
        }
        return
    }
    let values = try #require(expected["values"]?.array, sourceLocation: sourceLocation)
    switch array.dtype.kind {
    case .unicode, .object:
        #expect(
            try array.strings() == values.compactMap(\.string),
            "\(label)",
            sourceLocation: sourceLocation
        )
    case .signedInteger, .unsignedInteger, .boolean:
        #expect(
            try array.integers().map(Double.init) == values.compactMap(number),
            "\(label)",
            sourceLocation: sourceLocation
        )
        #expect(
            try array.doubles() == values.compactMap(number),
            "\(label)",
            sourceLocation: sourceLocation
        )
    default:
        #expect(
            try array.doubles() == values.compactMap(number),
            "\(label)",
            sourceLocation: sourceLocation
        )
    }
}

private func field(_ name: String, of array: NDArray) throws -> DType {
    try #require(array.dtype.field(named: name)).dtype
}

extension DType {
    fileprivate var isInteger: Bool {
        kind == .signedInteger || kind == .unsignedInteger || kind == .boolean
    }
}

/// A JSON number or boolean as a double.
func number(_ value: TestJSON) -> Double? {
    switch value {
    case .bool(let flag): flag ? 1 : 0
    case .number(let double, _): double
    default: nil
    }
}

private func plain(_ value: TestJSON) -> String {
    switch value {
    case .string(let text): text
    case .number(let double, _): String(double)
    default: "?"
    }
}
