import Arrays
import Estimators
import Pickle
import TestSupport
import Testing

/// A real schema.json changed in many small ways, each archive rebuilt with correct CRCs so
/// that the change reaches the schema reader: every load ends in a model or a clean error,
/// and every model answers a row of zeros.
@Suite struct SkopsSchemaMutationTests {
    static let loaders = [
        "JsonNode", "DictNode", "DefaultDictNode", "ListNode", "TupleNode", "SetNode",
        "BytesNode", "BytearrayNode", "SliceNode", "FunctionNode", "TypeNode", "PartialNode",
        "ConstructorFromReduceNode", "ObjectNode", "TreeNode", "LossNode", "NdArrayNode",
        "DTypeNode", "MaskedArrayNode", "RandomStateNode", "RandomGeneratorNode",
        "SparseMatrixNode", "MethodNode", "OperatorFuncNode", "CachedNode", "Unknown",
    ]

    /// The schema and the other members of a stored fixture.
    static func parts() throws -> (schema: [UInt8], members: [(String, [UInt8])]) {
        let path = "\(ConformanceFixture.root)/sklearn-1.9.1/skops-decision-tree.skops"
        let members = storedMembers(try ModelFile.readFile(path))
        let schema = try #require(members.first { $0.name == "schema.json" })
        return (schema.data, members.filter { $0.name != "schema.json" }.map { ($0.name, $0.data) })
    }

    static func load(_ schema: [UInt8], _ members: [(String, [UInt8])]) {
        var zip = SkopsTestZip()
        for (name, data) in members { zip.add(name, data) }
        zip.add("schema.json", schema)
        // What loads is built and asked about a row of zeros, as the server would.
        guard let root = try? SkopsFile.load(zip.bytes),
            let model = try? EstimatorRegistry.model(from: root), model.inputWidth < 1_000
        else { return }
        let row = Matrix(rows: 1, columns: model.inputWidth)
        for output in model.outputs { _ = try? model.compute(output, row) }
    }

    /// Where each occurrence of `marker` ends in `text`.
    static func ends(of marker: String, in text: [UInt8]) -> [Int] {
        let pattern = Array(marker.utf8)
        guard text.count >= pattern.count else { return [] }
        return (0...(text.count - pattern.count)).filter { start in
            text[start..<(start + pattern.count)].elementsEqual(pattern)
        }.map { $0 + pattern.count }
    }

    /// `text` with the bytes in `range` replaced by `replacement`.
    static func replacing(_ text: [UInt8], _ range: Range<Int>, with replacement: String)
        -> [UInt8]
    {
        Array(text[..<range.lowerBound]) + Array(replacement.utf8)
            + Array(text[range.upperBound...])
    }

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    @Test func theUnchangedSchemaLoads() throws {
        let (schema, members) = try Self.parts()
        var zip = SkopsTestZip()
        for (name, data) in members { zip.add(name, data) }
        zip.add("schema.json", schema)
        #expect(skopsError(zip.bytes) == nil)
    }

    @Test func everyNodeGivenEveryOtherLoader() throws {
        let (schema, members) = try Self.parts()
        for end in Self.ends(of: "\"__loader__\": \"", in: schema) {
            let close = try #require(schema[end...].firstIndex(of: UInt8(ascii: "\"")))
            for loader in Self.loaders {
                Self.load(Self.replacing(schema, end..<close, with: loader), members)
            }
        }
    }

    @Test func everyContentReplacedByOtherValues() throws {
        let (schema, members) = try Self.parts()
        for key in ["\"content\": ", "\"key_types\": ", "\"args\": ", "\"shape\": "] {
            for end in Self.ends(of: key, in: schema) {
                for value in ["null", "[]", "{}", "\"x\"", "7", "[null]", "{\"a\": 1}"] {
                    // The original value stays, under a key no reader looks at.
                    let changed = Self.replacing(schema, end..<end, with: value + ", \"unused\": ")
                    Self.load(changed, members)
                }
            }
        }
    }

    @Test func everyIdPointedAtEveryFewOthers() throws {
        let (schema, members) = try Self.parts()
        let ends = Self.ends(of: "\"__id__\": ", in: schema)
        let stops = ends.map { end in
            schema[end...].firstIndex { !Self.isDigit($0) } ?? schema.count
        }
        let ids = zip(ends, stops).map { String(decoding: schema[$0..<$1], as: UTF8.self) }
        for (index, (end, stop)) in zip(ends, stops).enumerated() {
            for other in stride(from: index % 5, to: ids.count, by: 5) {
                Self.load(Self.replacing(schema, end..<stop, with: ids[other]), members)
            }
        }
    }
}
