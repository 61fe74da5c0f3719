import Arrays
import Estimators
import Pickle
import TestSupport
import Testing

/// One model saved by `joblib.dump(model, path, compress=...)` with one codec, as
/// `Tests/Fixtures/compressed/generate.py` wrote it.
struct CompressedFixture: CustomTestStringConvertible, Sendable {
    let joblibVersion: String
    let model: String
    let codec: String

    static let joblibVersions = ["joblib-1.4.2", "joblib-1.6.0"]
    static let models = ["linear", "logistic"]
    /// Codec file name and the ``ModelFile/Format`` its magic bytes must give.
    static let codecs: [(name: String, format: ModelFile.Format)] = [
        ("zlib", .zlib), ("gzip", .gzip), ("bz2", .bzip2), ("xz", .xz), ("lzma", .lzma),
        ("lz4", .lz4),
    ]

    static let all: [CompressedFixture] = joblibVersions.flatMap { version in
        models.flatMap { model in
            codecs.map { CompressedFixture(joblibVersion: version, model: model, codec: $0.name) }
        }
    }

    static let root = Fixtures.root + "/compressed"

    var folder: String { "\(Self.root)/\(joblibVersion)/\(model)" }
    var path: String { "\(folder)/\(codec).joblib" }
    var format: ModelFile.Format { Self.codecs.first { $0.name == codec }?.format ?? .unknown }
    var testDescription: String { "\(joblibVersion)/\(model)/\(codec)" }

    func bytes() throws -> [UInt8] { try ModelFile.readFile(path) }
    func expected() throws -> TestJSON { try TestJSON.read(path: "\(folder)/expected.json") }
}

/// Compressed joblib files, one per codec and joblib version, load to the values
/// scikit-learn recorded; broken, padded and oversized streams fail with errors that name
/// the codec.
@Suite struct CompressedJoblibTests {
    @Test(arguments: CompressedFixture.all)
    func formatIsToldByMagicBytes(_ fixture: CompressedFixture) throws {
        #expect(ModelFile.format(of: try fixture.bytes()) == fixture.format)
    }

    @Test(arguments: CompressedFixture.all)
    func decompressedStreamIsAProtocolFourPickle(_ fixture: CompressedFixture) throws {
        let stream = try ModelFile.pickleStream(try fixture.bytes())
        #expect(Array(stream.prefix(2)) == [0x80, 0x04])
        #expect(stream.last == 0x2E)  // STOP
    }

    @Test(arguments: CompressedFixture.all)
    func coefficientsAreWhatNumpySaw(_ fixture: CompressedFixture) throws {
        let expected = try fixture.expected()
        guard case .object(let estimator) = try ModelFile.load(path: fixture.path),
            let state = estimator.stateDict
        else {
            Issue.record("the file does not hold an object with a state dict")
            return
        }
        let coefValue = try #require(state["coef_"])
        let coef = try #require(try ArrayDecoder.array(coefValue))
        #expect(try coef.doubles() == Self.flatDoubles(expected["coef_"]))
        let intercept = try #require(state["intercept_"])
        if let number = try ArrayDecoder.number(intercept) {
            #expect([number] == Self.flatDoubles(expected["intercept_"]))
        } else {
            let array = try #require(try ArrayDecoder.array(intercept))
            #expect(try array.doubles() == Self.flatDoubles(expected["intercept_"]))
        }
    }

    @Test(arguments: CompressedFixture.all)
    func predictionsMatchScikitLearn(_ fixture: CompressedFixture) throws {
        let model = try EstimatorRegistry.model(from: try ModelFile.load(path: fixture.path))
        let expected = try fixture.expected()
        #expect(model.estimatorClass.hasSuffix("." + (expected["estimator"]?.string ?? "?")))
        let rows = try #require(expected["rows"]?.matrix)
        let input = Matrix(rows)
        let recorded = Self.flatDoubles(expected["predict"])
        switch model.estimator {
        case .regressor(let regressor):
            #expect(try regressor.predict(input).values == recorded)
        case .classifier(let classifier):
            let labels = try classifier.predictClassIndices(input).map(Double.init)
            #expect(labels == recorded)
            let probabilities = try classifier.predictProbabilities(input)
            let recordedProbabilities = try #require(expected["predict_proba"]?.matrix)
            #expect(probabilities.rows == recordedProbabilities.count)
            for (row, recordedRow) in recordedProbabilities.enumerated() {
                for (column, value) in recordedRow.enumerated() {
                    #expect(
                        Fixtures.close(probabilities[row, column], value),
                        "row \(row) class \(column): \(probabilities[row, column]) vs \(value)"
                    )
                }
            }
        case .transformer, .outlierDetector, .multiOutputClassifier:
            Issue.record("loaded as \(model.outputs)")
        }
    }

    @Test(arguments: CompressedFixture.joblibVersions)
    func gzipFileNamedPklLoadsByItsMagicBytes(_ version: String) throws {
        let path = "\(CompressedFixture.root)/\(version)/linear/gzip-named.pkl"
        #expect(ModelFile.format(of: try ModelFile.readFile(path)) == .gzip)
        let model = try EstimatorRegistry.model(from: try ModelFile.load(path: path))
        guard case .regressor(let regressor) = model.estimator else {
            Issue.record("not a regressor")
            return
        }
        #expect(try regressor.predict(Matrix([[1, 1, 1, 1]])).values == [3.5])
    }

    @Test(arguments: CompressedFixture.all)
    func everyTruncationFailsNamingTheCodec(_ fixture: CompressedFixture) throws {
        let bytes = try fixture.bytes()
        for length in 8..<bytes.count {
            let error = Self.arrayError { try ModelFile.load(bytes: Array(bytes.prefix(length))) }
            #expect(error?.code == .malformed, "cut at \(length)")
            #expect(
                error?.message.contains(fixture.format.rawValue) == true,
                "cut at \(length): \(error?.message ?? "no error")"
            )
        }
    }

    @Test(arguments: CompressedFixture.all)
    func bytesAfterTheStreamAreAnError(_ fixture: CompressedFixture) throws {
        for garbage in [[0x00], [0x80, 0x04], Array("garbage".utf8)] as [[UInt8]] {
            let error = Self.arrayError { try ModelFile.load(bytes: try fixture.bytes() + garbage) }
            #expect(error?.code == .malformed)
            #expect(
                error?.message.contains("trailing data after the \(fixture.format.rawValue)")
                    == true,
                "\(error?.message ?? "no error")"
            )
        }
    }

    /// zlib, gzip, bzip2 and xz carry checksums, so a changed byte cannot pass unnoticed.
    @Test(arguments: CompressedFixture.all.filter { !["lzma", "lz4"].contains($0.codec) })
    func aChangedByteInAChecksummedStreamFailsNamingTheCodec(
        _ fixture: CompressedFixture
    ) throws {
        var bytes = try fixture.bytes()
        bytes[bytes.count / 2] ^= 0x55
        let error = Self.arrayError { try ModelFile.load(bytes: bytes) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains(fixture.format.rawValue) == true)
    }

    @Test func streamThatHoldsNoPickleIsRefused() throws {
        let bytes = try ModelFile.readFile(CompressedFixture.root + "/bombs/zeros-10MiB.gz")
        let error = Self.arrayError { try ModelFile.load(bytes: bytes) }
        #expect(error?.message == "the gzip stream does not hold a pickle (it starts 00 00 00 00)")
    }

    /// The opening is judged on the first KiB out: a stream of zeros is refused as no pickle
    /// under a limit far below its size, before the limit is reached.
    @Test(arguments: ["zeros-10MiB.gz", "zeros-256MiB.bz2"])
    func streamThatHoldsNoPickleIsRefusedBeforeItIsDecompressedWhole(_ bomb: String) throws {
        let bytes = try ModelFile.readFile(CompressedFixture.root + "/bombs/" + bomb)
        let error = Self.arrayError { try ModelFile.load(bytes: bytes, maxDecompressedBytes: 4096) }
        #expect(error?.code == .malformed)
        #expect(error?.message.hasSuffix("does not hold a pickle (it starts 00 00 00 00)") == true)
    }

    @Test func smallBombFailsCleanlyUnderALowLimit() throws {
        let bytes = try ModelFile.readFile(
            CompressedFixture.root + "/bombs/pickle-opening-10MiB.gz"
        )
        let error = Self.arrayError {
            try ModelFile.load(bytes: bytes, maxDecompressedBytes: 1 << 20)
        }
        #expect(error?.code == .tooLarge)
        #expect(
            error?.message == "gzip stream decompresses to more than 1048576 bytes, the most a "
                + "model file may expand to (by default 2,000 times its size, at least 64 MiB, "
                + "at most 4 GiB); refusing it as a possible decompression bomb"
        )
    }

    @Test func bzip2BombIsStoppedByTheDefaultLimit() throws {
        let bytes = try ModelFile.readFile(
            CompressedFixture.root + "/bombs/pickle-opening-256MiB.bz2"
        )
        #expect(ModelFile.defaultMaxDecompressedBytes(compressedSize: bytes.count) == 64 << 20)
        let error = Self.arrayError { try ModelFile.load(bytes: bytes) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.hasPrefix("bzip2 stream decompresses to more than 67108864") == true)
    }

    @Test func limitExactlyTheDecompressedSizeIsAccepted() throws {
        let fixture = CompressedFixture(joblibVersion: "joblib-1.6.0", model: "linear", codec: "xz")
        let size = try ModelFile.pickleStream(try fixture.bytes()).count
        let stream = try ModelFile.pickleStream(try fixture.bytes(), maxDecompressedBytes: size)
        #expect(stream.count == size)
        let error = Self.arrayError {
            try ModelFile.pickleStream(try fixture.bytes(), maxDecompressedBytes: size - 1)
        }
        #expect(error?.code == .tooLarge)
    }

    @Test func defaultLimitIsTwoThousandTimesTheFileBetweenSixtyFourMiBAndFourGiB() {
        #expect(ModelFile.defaultMaxDecompressedBytes(compressedSize: 0) == 64 << 20)
        #expect(ModelFile.defaultMaxDecompressedBytes(compressedSize: 1 << 20) == 2_000 << 20)
        #expect(ModelFile.defaultMaxDecompressedBytes(compressedSize: 1 << 30) == 4 << 30)
        #expect(ModelFile.defaultMaxDecompressedBytes(compressedSize: .max) == 4 << 30)
    }

    @Test func otherContainersKeepTheirMessages() {
        let cases: [([UInt8], ArrayError.Code, String)] = [
            (
                [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], .malformed,
                "skops file: not a readable zip archive: it is shorter than an end record"
            ),
            (
                Array("version https://git-lfs.github.com/spec/v1\n".utf8), .file,
                "this is a git-lfs pointer, not the model: run 'git lfs pull'"
            ),
            (Array("hello".utf8), .file, "not a pickle or joblib file"),
        ]
        for (bytes, code, message) in cases {
            let error = Self.arrayError { try ModelFile.load(bytes: bytes) }
            #expect(error?.code == code)
            #expect(error?.message == message)
        }
    }

    @Test func headerOnlyStreamsAreTruncatedNotCrashes() {
        let headers: [[UInt8]] = [
            [0x78, 0x5E], [0x1F, 0x8B, 0x08, 0x00], Array("BZh3".utf8),
            [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], [0x5D, 0x00, 0x00, 0x40, 0x00],
            [0x04, 0x22, 0x4D, 0x18],
        ]
        for header in headers {
            let error = Self.arrayError { try ModelFile.load(bytes: header) }
            #expect(error?.code == .malformed, "\(header)")
        }
    }

    // MARK: helpers

    static func arrayError(_ body: () throws -> Any) -> ArrayError? {
        do {
            _ = try body()
            return nil
        } catch let error as ArrayError {
            return error
        } catch {
            Issue.record("not an ArrayError: \(error)")
            return nil
        }
    }

    /// The numbers of a JSON number or (nested) array of numbers, in row-major order.
    static func flatDoubles(_ json: TestJSON?) -> [Double] {
        if let value = json?.double { return [value] }
        return json?.array?.flatMap { flatDoubles($0) } ?? []
    }
}
