import Arrays
import Pickle
import TestSupport
import Testing

/// The zip layer of skops files: what a real archive gives, and the clear error each
/// hostile archive gets.
@Suite struct SkopsArchiveTests {
    static let tiny = skopsNode("TypeNode", "builtins", "int")

    static func archive(_ edit: (inout SkopsTestZip) -> Void) -> [UInt8] {
        var zip = SkopsTestZip()
        zip.add(
            "schema.json",
            text: "{\"__loader__\": \"TypeNode\", \"__module__\": \"builtins\", "
                + "\"__class__\": \"int\", \"protocol\": 2}"
        )
        edit(&zip)
        return zip.bytes
    }

    @Test func readsStoredAndDeflatedMembers() throws {
        for method: UInt16 in [0, 8] {
            var zip = SkopsTestZip()
            zip.add(
                "schema.json",
                text: "{\"__loader__\": \"TypeNode\", \"__module__\": \"numpy\", "
                    + "\"__class__\": \"float32\", \"protocol\": 2}",
                method: method
            )
            guard case .global("numpy", "float32") = try SkopsFile.load(zip.bytes) else {
                Issue.record("method \(method) did not give the type")
                continue
            }
        }
    }

    @Test func modelFileSendsZipFilesToTheSkopsReader() throws {
        let bytes = Self.archive { _ in }
        #expect(ModelFile.format(of: bytes) == .zip)
        guard case .global("builtins", "int") = try ModelFile.load(bytes: bytes) else {
            Issue.record("not read as a skops file")
            return
        }
    }

    @Test func refusesAMemberThatFailsItsCRC() {
        let bytes = Self.archive { $0.entries[0].crc = 0x1234_5678 }
        #expect(skopsError(bytes)?.message.contains("fails its CRC-32 check") == true)
    }

    @Test func refusesEncryptedMembers() {
        let bytes = Self.archive { $0.entries[0].flags = 1 }
        let error = skopsError(bytes)
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("is encrypted") == true)
    }

    @Test func refusesDuplicateMemberNames() {
        let bytes = Self.archive { $0.add("schema.json", text: "{}") }
        #expect(skopsError(bytes)?.message.contains("two members named 'schema.json'") == true)
    }

    @Test(arguments: ["../escape.npy", "dir/nested.npy", "/absolute.npy", "back\\slash.npy", ".."])
    func refusesMemberNamesThatArePaths(_ name: String) {
        let bytes = Self.archive { $0.add(name, [1, 2, 3]) }
        #expect(skopsError(bytes)?.message.contains("is a path") == true, "\(name)")
    }

    @Test func refusesZip64() {
        let bytes = Self.archive { $0.claimedCount = 0xFFFF }
        #expect(skopsError(bytes)?.message.contains("zip64") == true)
    }

    @Test func refusesCompressionMethodsItDoesNotKnow() {
        let bytes = Self.archive { $0.entries[0].method = 14 }
        let error = skopsError(bytes)
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("compression method 14") == true)
    }

    @Test func refusesAMemberLargerThanTheLimitBeforeDecompressingIt() {
        let bytes = Self.archive { _ in }
        let error = skopsError(bytes, limit: 10)
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("more than 10 bytes") == true)
    }

    @Test func countsEveryMemberAgainstOneLimit() throws {
        let array = npy(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (64,), }",
            float64Bytes(Array(repeating: 1, count: 64))
        )
        let root = listNode(
            ["a.npy", "b.npy"].map {
                skopsNode(
                    "NdArrayNode",
                    "numpy",
                    "ndarray",
                    "\"type\": \"numpy\", \"file\": \"\($0)\""
                )
            }
        )
        let bytes = skopsFile(root, members: [("a.npy", array), ("b.npy", array)])
        let total = skopsSchema(root).utf8.count + 2 * array.count
        #expect(skopsError(bytes, limit: total) == nil)
        #expect(skopsError(bytes, limit: total - 1)?.code == .tooLarge)
    }

    @Test func stopsAMemberThatDecompressesPastItsRecordedSize() {
        let bytes = Self.archive { zip in
            zip.entries[0].method = 8
            zip.entries[0].size = 10
        }
        #expect(skopsError(bytes)?.message.contains("more than its recorded size") == true)
    }

    @Test func refusesAStoredMemberWhoseSizesDisagree() {
        let bytes = Self.archive { $0.entries[0].size = 3 }
        #expect(skopsError(bytes)?.message.contains("records 3") == true)
    }

    @Test func refusesOverlappingMembers() {
        var bytes = Self.archive { $0.add("other.bin", [1, 2, 3]) }
        // Point the second central entry's local header offset at the first member.
        let central = Self.centralDirectoryStart(bytes)
        let second = central + 46 + "schema.json".utf8.count
        bytes.replaceSubrange((second + 42)..<(second + 46), with: le32(0))
        #expect(skopsError(bytes) != nil)
    }

    @Test func refusesAFileWithoutAnEndRecord() {
        let bytes = Self.archive { _ in }
        let error = skopsError(Array(bytes.dropLast(22)))
        #expect(error?.message.contains("no end-of-central-directory record") == true)
    }

    @Test func refusesASchemaThatNamesAMissingMember() {
        let root = skopsNode("BytesNode", "builtins", "bytes", "\"file\": \"gone.bin\"")
        let error = skopsError(skopsFile(root))
        #expect(error?.message.contains("has no member 'gone.bin'") == true)
    }

    /// Every prefix of a real skops file ends in a clean error, never a trap.
    @Test func everyTruncationOfARealFileFailsCleanly() throws {
        let path = "\(ConformanceFixture.root)/sklearn-1.9.1/skops-dummy-prior.skops"
        let bytes = try ModelFile.readFile(path)
        _ = try SkopsFile.load(bytes)
        for length in 0..<bytes.count {
            #expect(skopsError(Array(bytes.prefix(length))) != nil, "\(length) bytes")
        }
    }

    /// Every single flipped byte of a deflated real file is caught (CRC, zip structure or
    /// deflate) or, in the few bytes no check covers (times, attributes), changes nothing.
    @Test func everyFlippedByteOfADeflatedFileIsCaughtOrHarmless() throws {
        let path = "\(ConformanceFixture.root)/sklearn-1.9.1/skops-logistic-cv-binary.skops"
        let bytes = try ModelFile.readFile(path)
        // About 300 offsets spread over the file keep this test to seconds in a debug build.
        for offset in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 300)) {
            var changed = bytes
            changed[offset] ^= 0x5A
            _ = try? SkopsFile.load(changed)
        }
    }

    private static func centralDirectoryStart(_ bytes: [UInt8]) -> Int {
        let end = bytes.count - 22
        return (0..<4).reduce(0) { $0 | Int(bytes[end + 16 + $1]) << (8 * $1) }
    }
}
