import Arrays
import Pickle
import TestSupport
import Testing

struct MagicCase: Sendable, CustomTestStringConvertible {
    let notation: String
    let format: ModelFile.Format
    var testDescription: String { "\(format.rawValue): \(notation.prefix(30))" }

    init(_ notation: String, _ format: ModelFile.Format) {
        self.notation = notation
        self.format = format
    }
}

@Suite struct ModelFileTests {
    static let magics: [MagicCase] = [
        MagicCase("<80><05><95>", .pickle),
        MagicCase("<80><02>cnumpy", .pickle),
        MagicCase("<80><04>K<01>.", .pickle),
        MagicCase("(dp0\nVa\n", .pickle),
        MagicCase("ccopy_reg\n_reconstructor\np0\n(csklearn.tree\nTree\n", .pickle),
        MagicCase("csklearn.linear_model._base\nLinearRegression\n", .pickle),
        MagicCase("]q<00>(K<01>e.", .pickle),
        MagicCase("}q<00>.", .pickle),
        MagicCase("x<9c><cb>H", .zlib),
        MagicCase("x<01><01>", .zlib),
        MagicCase("x<da><ed>", .zlib),
        MagicCase("x^k`", .zlib),
        MagicCase("<1f><8b><08><00>", .gzip),
        MagicCase("BZh91AY&SY", .bzip2),
        MagicCase("<fd>7zXZ<00><00><04>", .xz),
        MagicCase("]<00><00><80><00><ff>", .lzma),
        MagicCase("<04>\"M<18>d@", .lz4),
        MagicCase("PK<03><04><14><00>", .zip),
        MagicCase(
            "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 1234\n",
            .gitLFSPointer
        ),
        MagicCase("", .unknown),
        MagicCase("<80>", .unknown),
        MagicCase("<80><06>", .unknown),
        MagicCase("x<00>", .unknown),
        MagicCase("sepal_length,sepal_width\n5.1,3.5\n", .unknown),
        MagicCase("class,petal_length\nsetosa,1.4\n", .unknown),
        MagicCase("city;country\nParis;France\n", .unknown),
        MagicCase("col1\tcol2\n1\t2\n", .unknown),
        MagicCase("<!DOCTYPE html>\n<html><body>Not Found</body></html>", .unknown),
        MagicCase("<html>\n", .unknown),
        MagicCase("{\"coef\": [1, 2]}", .unknown),
        MagicCase("PAR1", .unknown),
    ]

    @Test(arguments: magics)
    func tellsFormatsApartByTheirFirstBytes(_ magic: MagicCase) {
        #expect(ModelFile.format(of: bytes(magic.notation)) == magic.format)
    }

    static let codecs: [(file: String, format: ModelFile.Format)] = [
        ("zlib", .zlib), ("gzip", .gzip), ("bz2", .bzip2), ("xz", .xz), ("lzma", .lzma),
    ]

    /// `joblib.dump(np.arange(6.0).reshape(2, 3), f, compress=(codec, 3))` by generate.py:
    /// the container is told by its first bytes, and the array inside equals the one in
    /// the uncompressed file.
    @Test(arguments: NumpyGeneration.allCases, codecs)
    func readsCompressedJoblibFilesOfEveryCodec(
        _ generation: NumpyGeneration,
        codec: (file: String, format: ModelFile.Format)
    ) throws {
        let data = try ModelFile.readFile("\(generation.folder)/compressed.\(codec.file).joblib")
        #expect(ModelFile.format(of: data) == codec.format)
        let array = try #require(try ArrayDecoder.array(try ModelFile.load(bytes: data)))
        #expect(array.shape == [2, 3])
        #expect(try array.doubles() == [0, 1, 2, 3, 4, 5])
    }

    @Test func refusesACorruptLZ4FrameNamingTheCodec() {
        #expect {
            _ = try ModelFile.load(bytes: bytes("<04>\"M<18>d@<a7><00><00><00><00>"))
        } throws: { error in
            (error as? ArrayError)?.message.contains("lz4") == true
        }
    }

    @Test func explainsAGitLFSPointer() {
        let pointer = bytes("version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n")
        #expect {
            _ = try ModelFile.load(bytes: pointer)
        } throws: { error in
            let arrayError = error as? ArrayError
            return arrayError?.code == .file && arrayError?.message.contains("git lfs") == true
        }
    }

    @Test(arguments: [
        "sepal_length,sepal_width\n5.1,3.5\n", "class,petal_length\nsetosa,1.4\n",
        "<!DOCTYPE html>\n<html></html>", "",
    ])
    func refusesFilesThatAreNoPickle(_ text: String) {
        #expect {
            _ = try ModelFile.load(bytes: Array(text.utf8))
        } throws: { error in
            (error as? ArrayError)?.code == .file
        }
    }

    @Test func reportsFilesThatCannotBeRead() {
        #expect {
            _ = try ModelFile.readFile("\(Fixtures.root)/pickles/does-not-exist.pkl")
        } throws: { error in
            (error as? ArrayError)?.code == .file
        }
        #expect {
            _ = try ModelFile.readFile("\(Fixtures.root)/pickles")
        } throws: { error in
            (error as? ArrayError)?.message.contains("regular file") == true
        }
    }

    @Test func readsWholeFiles() throws {
        let data = try ModelFile.readFile("\(Fixtures.root)/pickles/plain/dict.p0.pkl")
        #expect(data.first == UInt8(ascii: "("))
        #expect(data.last == UInt8(ascii: "."))
        #expect(ModelFile.format(of: data) == .pickle)
    }
}
