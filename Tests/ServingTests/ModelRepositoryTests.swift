import Foundation
import Serving
import TestSupport
import Testing

/// `augur serve --repository DIR`: the folder scan, over temporary folders of the
/// served-case fixtures, and the models it finds answering as scikit-learn recorded.
@Suite struct ModelRepositoryTests {
    /// A temporary folder, removed when the test ends.
    final class Folder {
        let path: String

        init() throws {
            path =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("augur-repository-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true
            )
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }

        /// Copies `Tests/Fixtures/served/CASE/model.joblib` to `relativePath`.
        @discardableResult
        func copy(_ fixture: String, to relativePath: String) throws -> String {
            let target = try prepare(relativePath)
            try FileManager.default.copyItem(
                atPath: ModelRepositoryTests.fixturePath(fixture),
                toPath: target
            )
            return target
        }

        @discardableResult
        func write(_ text: String, to relativePath: String) throws -> String {
            let target = try prepare(relativePath)
            try Data(text.utf8).write(to: URL(fileURLWithPath: target))
            return target
        }

        func makeFolder(_ relativePath: String) throws {
            try FileManager.default.createDirectory(
                atPath: path + "/" + relativePath,
                withIntermediateDirectories: true
            )
        }

        private func prepare(_ relativePath: String) throws -> String {
            let target = path + "/" + relativePath
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            return target
        }
    }

    static func fixturePath(_ fixture: String) -> String {
        Fixtures.root + "/served/\(fixture)/model.joblib"
    }

    /// The first recorded request of a served case: its rows and scikit-learn's `predict`.
    static func recorded(_ fixture: String) throws -> (rows: [[Double]], predict: TestJSON) {
        let expected = try TestJSON.read(path: Fixtures.root + "/served/\(fixture)/expected.json")
        let request = try #require(expected["requests"]?.array?.first)
        return (try #require(request["rows"]?.matrix), try #require(request["predict"]))
    }

    static func post(_ service: PredictionService, _ path: String, rows: [[Double]]) throws
        -> (status: Int, json: TestJSON)
    {
        let body = try JSONSerialization.data(withJSONObject: ["instances": rows])
        let response = service.respond(
            to: HTTPRequest(
                method: "POST",
                path: path,
                contentType: "application/json",
                body: Array(body)
            )
        )
        return (response.status, try TestJSON.parse(response.body))
    }

    /// A repository with every kind of entry: plain, pickle-named and compressed-named
    /// files, and a model with versions 2 and 10.
    static func mixedRepository() throws -> Folder {
        let folder = try Folder()
        try folder.copy("s1", to: "s1.joblib")
        try folder.copy("echo", to: "echo.pkl")
        try folder.copy("l4", to: "l4.pickle")
        try folder.copy("c21_point", to: "point.v2.joblib.gz")
        try folder.copy("c24_p2", to: "tree/2/model.joblib")
        try folder.copy("c24_p3", to: "tree/10/model.pkl")
        return folder
    }

    @Test func fileStemsAndVersionFoldersNameTheModels() throws {
        let folder = try Self.mixedRepository()
        let listing = try ModelRepository(folder: folder.path).scan()
        #expect(listing.sources.map(\.name) == ["echo", "l4", "point.v2", "s1", "tree", "tree"])
        #expect(listing.sources.map(\.version) == [nil, nil, nil, nil, "10", "2"])
        #expect(
            listing.sources.map(\.path) == [
                folder.path + "/echo.pkl", folder.path + "/l4.pickle",
                folder.path + "/point.v2.joblib.gz", folder.path + "/s1.joblib",
                folder.path + "/tree/10/model.pkl", folder.path + "/tree/2/model.joblib",
            ]
        )
        #expect(listing.skipped.isEmpty)
    }

    @Test(arguments: [
        ("iris.joblib", "iris"), ("iris.pkl", "iris"), ("iris.pickle", "iris"),
        ("iris.joblib.gz", "iris"), ("iris.joblib.z", "iris"), ("iris.pkl.bz2", "iris"),
        ("iris.joblib.xz", "iris"), ("iris.joblib.lzma", "iris"), ("iris.joblib.lz4", "iris"),
        ("iris.v2.joblib", "iris.v2"), ("a-b_c.pkl", "a-b_c"),
    ])
    func aModelFileNamesItsModel(file: String, name: String) {
        #expect(ModelRepository.modelName(ofFile: file) == name)
    }

    @Test(arguments: [
        "iris", "iris.json", "iris.joblib~", "iris.joblib.tmp", "iris.gz", ".joblib", "iris.JOBLIB",
        "iris.zip",
    ])
    func otherFileNamesNameNoModel(file: String) {
        #expect(ModelRepository.modelName(ofFile: file) == nil)
    }

    /// Every model of the repository answers its recorded rows as scikit-learn did, and a
    /// request without a version gets the newest by value: 10, not 2.
    @Test func theServedModelsAnswerAsScikitLearnRecorded() throws {
        let folder = try Self.mixedRepository()
        let listing = try ModelRepository(folder: folder.path).scan()
        let served = try listing.sources.map { try $0.load() }
        #expect(served.allSatisfy { $0.loadSeconds > 0 && $0.loadSeconds < 60 })
        let service = PredictionService(models: served)
        for (name, fixture) in [
            ("s1", "s1"), ("echo", "echo"), ("l4", "l4"), ("point.v2", "c21_point"),
            ("tree", "c24_p3"),
        ] {
            let recorded = try Self.recorded(fixture)
            let (status, json) = try Self.post(service, "/predict/\(name)", rows: recorded.rows)
            #expect(status == 200, "\(name): \(json)")
            let predictions = try #require(json["predictions"]?.array)
            let wanted = try #require(recorded.predict.array)
            #expect(predictions.count == wanted.count)
            for (actual, expected) in zip(predictions, wanted) {
                if let value = actual.double, let expectedValue = expected.double {
                    #expect(Fixtures.close(value, expectedValue), "\(name)")
                } else {
                    #expect(actual == expected, "\(name)")
                }
            }
        }

        // Version 2 is served too: alone, it answers what c24_p2 recorded.
        let older = try service.catalog.model(named: "tree", version: "2")
        #expect(older.version == "2")
        let recorded = try Self.recorded("c24_p2")
        let (status, json) = try Self.post(
            PredictionService(models: [older]),
            "/predict",
            rows: recorded.rows
        )
        #expect(status == 200)
        #expect(json["predictions"] == recorded.predict)
        #expect(service.catalog.versions(of: "tree").map(\.version) == ["2", "10"])
    }

    static func mixedService() throws -> PredictionService {
        let folder = try Self.mixedRepository()
        return PredictionService(
            models: try ModelRepository(folder: folder.path).scan().sources.map { try $0.load() }
        )
    }

    /// Every route that names a model, in every dialect.
    @Test(arguments: [
        ("POST", "/predict/iris"), ("POST", "/v1/models/iris:predict"), ("GET", "/v1/models/iris"),
        ("POST", "/v2/models/iris/infer"), ("POST", "/v2/models/iris/versions/1/infer"),
        ("GET", "/v2/models/iris"), ("GET", "/v2/models/iris/versions/1"),
        ("GET", "/v2/models/iris/ready"), ("GET", "/v2/models/iris/versions/1/ready"),
    ])
    func anUnknownModelIs404NamingTheServedModels(method: String, path: String) throws {
        let response = try Self.mixedService().respond(
            to: HTTPRequest(
                method: method,
                path: path,
                contentType: "application/json",
                body: method == "POST" ? Array(#"{"instances": [[1]]}"#.utf8) : []
            )
        )
        #expect(response.status == 404)
        let json = try TestJSON.parse(response.body)
        #expect(json["code"]?.string == "model_not_found")
        #expect(
            json["error"]?.string
                == "no model named 'iris'; models: 'echo', 'l4', 'point.v2', 's1', 'tree'"
        )
    }

    /// V2 reaches each version of a folder by its number; no number means the newest.
    @Test(arguments: [
        ("/v2/models/tree/versions/2/infer", "2", "c24_p2"),
        ("/v2/models/tree/versions/10/infer", "10", "c24_p3"),
        ("/v2/models/tree/infer", "10", "c24_p3"),
    ])
    func eachVersionAnswersByItsNumber(path: String, version: String, fixture: String) throws {
        let recorded = try Self.recorded(fixture)
        let body = try JSONSerialization.data(withJSONObject: [
            "inputs": [
                [
                    "name": "input-0", "shape": [recorded.rows.count, 1], "datatype": "FP64",
                    "data": recorded.rows,
                ]
            ]
        ])
        let response = try Self.mixedService().respond(
            to: HTTPRequest(
                method: "POST",
                path: path,
                contentType: "application/json",
                body: Array(body)
            )
        )
        #expect(response.status == 200)
        let json = try TestJSON.parse(response.body)
        #expect(json["model_name"]?.string == "tree")
        #expect(json["model_version"]?.string == version)
        let output = try #require(json["outputs"]?.array?.first)
        #expect(output["name"]?.string == "predict")
        #expect(output["data"] == recorded.predict)
    }

    @Test func anUnknownVersionIs404NamingTheVersions() throws {
        let response = try Self.mixedService().respond(
            to: HTTPRequest(method: "GET", path: "/v2/models/tree/versions/3", body: [])
        )
        #expect(response.status == 404)
        #expect(
            try TestJSON.parse(response.body)["error"]?.string
                == "model 'tree' has no version '3'; versions: '2', '10'"
        )
    }

    @Test func kserveListsTheRepositoryModels() throws {
        let response = try Self.mixedService().respond(
            to: HTTPRequest(method: "GET", path: "/v1/models", body: [])
        )
        #expect(response.status == 200)
        #expect(
            try TestJSON.parse(response.body)
                == .object([
                    "models": .array(
                        ["echo", "l4", "point.v2", "s1", "tree"].map { .string($0) }
                    )
                ])
        )
    }

    @Test func hiddenFilesOtherFilesAndStrayFoldersAreSkippedAndListed() throws {
        let folder = try Folder()
        try folder.copy("s1", to: "s1.joblib")
        try folder.copy("echo", to: ".hidden.joblib")
        try folder.copy("echo", to: "s1.joblib~")
        try folder.write("notes", to: "README.md")
        try folder.write("notes", to: "notes/todo.txt")
        try folder.copy("echo", to: ".git/1/model.joblib")
        try folder.copy("echo", to: "tree/2/model.joblib")
        try folder.write("{}", to: "tree/2/metadata.json")
        try folder.copy("echo", to: "tree/2/.model.joblib.swp")
        try folder.write("{}", to: "tree/config.json")
        try folder.makeFolder("tree/3")
        try folder.copy("echo", to: "tree/4/other.joblib")
        try folder.makeFolder("empty")

        let listing = try ModelRepository(folder: folder.path).scan()
        #expect(
            listing.sources.map(\.origin) == [
                "\(folder.path)/s1.joblib", "\(folder.path)/tree/2/model.joblib",
            ]
        )
        let skipped = Dictionary(
            uniqueKeysWithValues: listing.skipped.map {
                (String($0.path.dropFirst(folder.path.count + 1)), $0.reason)
            }
        )
        #expect(
            skipped == [
                ".git": "hidden",
                ".hidden.joblib": "hidden",
                "README.md": "not a model file (NAME.joblib, .pkl, .pickle, .skops or .ubj)",
                "empty": "a folder without VERSION/model.joblib inside",
                "notes": "a folder without VERSION/model.joblib inside",
                "s1.joblib~": "not a model file (NAME.joblib, .pkl, .pickle, .skops or .ubj)",
                "tree/2/.model.joblib.swp": "hidden",
                "tree/2/metadata.json":
                    "not a version's model file (model.joblib, .pkl, .pickle, .skops or .ubj)",
                "tree/3": "no model.joblib in it",
                "tree/4": "no model.joblib in it",
                "tree/4/other.joblib":
                    "not a version's model file (model.joblib, .pkl, .pickle, .skops or .ubj)",
                "tree/config.json": "not a version folder (NAME/VERSION/model.joblib)",
            ]
        )
    }

    @Test func twoFilesForOneNameStopTheScanNamingBoth() throws {
        let folder = try Folder()
        try folder.copy("s1", to: "iris.joblib")
        try folder.copy("echo", to: "iris.pkl")
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: folder.path).scan()
        }
        #expect(
            error.description
                == "model 'iris' is given twice: \(folder.path)/iris.joblib and "
                + "\(folder.path)/iris.pkl; rename or remove one"
        )
        #expect(error.kind == .invalid)
    }

    @Test func aNameIsEitherOneFileOrAFolderOfVersions() throws {
        let folder = try Folder()
        try folder.copy("s1", to: "iris.joblib")
        try folder.copy("echo", to: "iris/1/model.joblib")
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: folder.path).scan()
        }
        #expect(error.description.contains("\(folder.path)/iris.joblib"))
        #expect(error.description.contains("\(folder.path)/iris/1/model.joblib"))
    }

    @Test func versionsEqualAsNumbersCollide() throws {
        let folder = try Folder()
        try folder.copy("s1", to: "iris/1/model.joblib")
        try folder.copy("echo", to: "iris/01/model.joblib")
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: folder.path).scan()
        }
        #expect(
            error.description
                == "model 'iris' version 1 is given twice: \(folder.path)/iris/01/model.joblib "
                + "and \(folder.path)/iris/1/model.joblib; rename or remove one"
        )
    }

    @Test func oneVersionFolderMayHoldOneModelFile() throws {
        let folder = try Folder()
        try folder.copy("s1", to: "iris/1/model.joblib")
        try folder.copy("echo", to: "iris/1/model.pkl")
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: folder.path).scan()
        }
        #expect(
            error.description
                == "version folder \(folder.path)/iris/1 holds two model files: "
                + "\(folder.path)/iris/1/model.joblib and \(folder.path)/iris/1/model.pkl; "
                + "keep one"
        )
    }

    @Test(arguments: ["my model.joblib", "caf\u{e9}.pkl", "x/v 1/model.joblib", "a+b/1/model.pkl"])
    func aNameOutsideTheAllowedCharactersIsRefused(relativePath: String) throws {
        let folder = try Folder()
        try folder.copy("s1", to: relativePath)
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: folder.path).scan()
        }
        #expect(error.description.hasPrefix("cannot serve \(folder.path)/"), "\(error)")
        #expect(
            error.description.hasSuffix("may use only letters, digits, '.', '_' and '-'; rename it")
        )
    }

    @Test func anEmptyRepositoryIsAnError() throws {
        let folder = try Folder()
        try folder.write("notes", to: "README.md")
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: folder.path).scan()
        }
        #expect(
            error.description
                == "no model in repository \(folder.path): put NAME.joblib (or .pkl, .pickle) "
                + "or NAME/VERSION/model.joblib files there"
        )
    }

    @Test func aMissingFolderIsUnreadable() throws {
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: "/nonexistent/augur-models").scan()
        }
        #expect(error.kind == .unreadable)
        #expect(
            error.description
                == "cannot read model repository folder /nonexistent/augur-models: "
                + "No such file or directory"
        )
        let file = try Folder()
        let path = try file.write("x", to: "file.joblib")
        let notAFolder = try #require(throws: ModelRepository.Failure.self) {
            try ModelRepository(folder: path).scan()
        }
        #expect(notAFolder.kind == .unreadable)
        #expect(notAFolder.description.hasSuffix(": Not a directory"))
    }

    /// A folder inside the repository that cannot be listed (a mount point's `lost+found`)
    /// is skipped rather than stopping start-up. Root lists every folder, so this runs only
    /// for other users.
    @Test(.enabled(if: getuid() != 0, "root can list any folder"))
    func aFolderThatCannotBeListedIsSkipped() throws {
        let folder = try Folder()
        try folder.copy("s1", to: "s1.joblib")
        try folder.copy("echo", to: "lost+found/1/model.joblib")
        chmod(folder.path + "/lost+found", 0)
        defer { chmod(folder.path + "/lost+found", 0o755) }
        let listing = try ModelRepository(folder: folder.path).scan()
        #expect(listing.sources.map(\.name) == ["s1"])
        #expect(listing.skipped.map(\.path) == [folder.path + "/lost+found"])
        #expect(listing.skipped.map(\.reason) == ["Permission denied"])
    }

    /// A link that loops is skipped, naming the reason.
    @Test func aLinkThatLoopsIsSkipped() throws {
        let folder = try Folder()
        try folder.copy("s1", to: "s1.joblib")
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/loop",
            withDestinationPath: folder.path + "/loop"
        )
        let listing = try ModelRepository(folder: folder.path).scan()
        #expect(listing.sources.map(\.name) == ["s1"])
        #expect(
            listing.skipped == [
                .init(path: folder.path + "/loop", reason: "Too many levels of symbolic links")
            ]
        )
    }

    /// Linked files and folders are followed; a dangling link with a model name is kept, so
    /// that its load fails naming it.
    @Test func linksAreFollowedAndADanglingOneFailsAtLoad() throws {
        let folder = try Folder()
        let target = try folder.copy("s1", to: "store/model-a.bin")
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/linked.joblib",
            withDestinationPath: target
        )
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/gone.joblib",
            withDestinationPath: folder.path + "/missing.bin"
        )
        let listing = try ModelRepository(folder: folder.path).scan()
        #expect(listing.sources.map(\.name) == ["gone", "linked"])
        #expect(try listing.sources[1].load().name == "linked")
        let error = try #require(throws: ModelLoader.Failure.self) {
            try listing.sources[0].load()
        }
        #expect(error.path == folder.path + "/gone.joblib")
    }

    /// A name given by `--model` and by the repository stops start-up naming both files.
    @Test func aModelArgumentAndARepositoryFileMayNotShareAName() throws {
        let folder = try Self.mixedRepository()
        let listing = try ModelRepository(folder: folder.path).scan()
        let argument = ModelSource(
            name: "tree",
            path: "/models/x.joblib",
            origin: "--model tree=/models/x.joblib"
        )
        let error = try #require(throws: ModelRepository.Failure.self) {
            try ModelSource.checkDistinct([argument] + listing.sources)
        }
        #expect(
            error.description
                == "model 'tree' is given twice: --model tree=/models/x.joblib and "
                + "\(folder.path)/tree/10/model.pkl; rename or remove one"
        )
        let other = ModelSource(name: "iris", path: "/models/x.joblib")
        try ModelSource.checkDistinct([other] + listing.sources)
    }

    @Test func modelNamesFollowTheCommandLineRule() {
        #expect(ModelSource.isValidName("iris-2.v_1"))
        #expect(!ModelSource.isValidName(""))
        #expect(!ModelSource.isValidName("a/b"))
        #expect(!ModelSource.isValidName("caf\u{e9}"))
        #expect(!ModelSource.isValidName("a b"))
    }
}
