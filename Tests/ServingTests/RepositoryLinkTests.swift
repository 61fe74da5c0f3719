import Foundation
import Serving
import TestSupport
import Testing

/// No symlink surprises: a link in a model repository that resolves outside the repository
/// folder is skipped with a reason, at every level; links within it are followed.
@Suite struct RepositoryLinkTests {
    typealias Folder = ModelRepositoryTests.Folder

    @Test func linksThatLeaveTheRepositoryAreSkippedAtEveryLevel() throws {
        let repository = try Folder()
        let elsewhere = try Folder()
        try repository.copy("s1", to: "inside.joblib")
        let outsideFile = try elsewhere.copy("s1", to: "secret.joblib")
        try elsewhere.copy("s1", to: "fraud/1/model.joblib")
        try elsewhere.copy("s1", to: "v/model.joblib")
        try repository.copy("s1", to: "churn/1/model.joblib")
        try repository.copy("s1", to: "iris/2/model.joblib")
        let links = [
            // A model file, a whole model folder, a version folder, a version's file.
            ("leak.joblib", outsideFile),
            ("fraud", elsewhere.path + "/fraud"),
            ("churn/2", elsewhere.path + "/v"),
            ("iris/1/model.joblib", outsideFile),
            // Climbing out with `..` is the same as a link elsewhere.
            (
                "climb.joblib",
                "../" + (elsewhere.path as NSString).lastPathComponent
                    + "/secret.joblib"
            ),
        ]
        try FileManager.default.createDirectory(
            atPath: repository.path + "/iris/1",
            withIntermediateDirectories: true
        )
        for (link, target) in links {
            try FileManager.default.createSymbolicLink(
                atPath: repository.path + "/" + link,
                withDestinationPath: target
            )
        }
        let listing = try ModelRepository(folder: repository.path).scan()
        #expect(listing.sources.map(\.name).sorted() == ["churn", "inside", "iris"])
        #expect(listing.sources.first { $0.name == "churn" }?.version == "1")
        #expect(listing.sources.first { $0.name == "iris" }?.version == "2")
        let refused = listing.skipped.filter { $0.reason.hasPrefix("a link that leads outside") }
        let refusedPaths = Set(refused.map(\.path))
        for (link, _) in links {
            #expect(refusedPaths.contains(repository.path + "/" + link), "\(link): \(listing)")
        }
        #expect(refused.count == links.count)
        #expect(refused.allSatisfy { $0.reason.contains("augur-repository-") })
    }

    @Test func linksWithinTheRepositoryAreFollowedAsAConfigMapMountsThem() throws {
        let repository = try Folder()
        // Kubernetes: ..2026_01_01/iris.joblib, ..data -> ..2026_01_01, iris.joblib -> ..data/…
        try repository.copy("s1", to: "..2026_01_01/iris.joblib")
        try FileManager.default.createSymbolicLink(
            atPath: repository.path + "/..data",
            withDestinationPath: "..2026_01_01"
        )
        try FileManager.default.createSymbolicLink(
            atPath: repository.path + "/iris.joblib",
            withDestinationPath: "..data/iris.joblib"
        )
        let listing = try ModelRepository(folder: repository.path).scan()
        #expect(listing.sources.map(\.name) == ["iris"])
        #expect(try listing.sources[0].load().name == "iris")
    }

    @Test func aRepositoryReachedThroughALinkStillServesWhatIsInside() throws {
        let real = try Folder()
        try real.copy("s1", to: "iris.joblib")
        let holder = try Folder()
        let linked = holder.path + "/models"
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: real.path)
        let listing = try ModelRepository(folder: linked).scan()
        #expect(listing.sources.map(\.name) == ["iris"])
    }
}

/// No path from a request to the file system: a model name in any route is looked up in
/// the catalog, never opened, whatever it holds.
@Suite struct RequestPathSafetyTests {
    static let hostileNames = [
        "..", "../..", "..%2f..%2fetc%2fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e", "/etc/passwd",
        "..\\..\\windows", "iris\u{0}.joblib", "%00", "s1/../../../../etc/passwd",
        String(repeating: "a", count: 5000), String(repeating: "../", count: 400),
    ]

    @Test(arguments: hostileNames)
    func everyRouteAnswersAHostileNameWith4xxJSON(name: String) throws {
        let model = try ModelLoader.load(path: "\(Fixtures.root)/served/l4/model.joblib")
        let service = PredictionService(models: [ServedModel(name: "l4", model: model)])
        let body = Array(#"{"instances": [[1, 1, 0, 0]]}"#.utf8)
        let requests = [
            ("POST", "/predict/\(name)"), ("POST", "/v1/models/\(name):predict"),
            ("GET", "/v1/models/\(name)"), ("POST", "/v2/models/\(name)/infer"),
            ("GET", "/v2/models/\(name)"), ("GET", "/v2/models/\(name)/ready"),
            ("POST", "/v2/models/l4/versions/\(name)/infer"),
        ]
        for (method, path) in requests {
            let (response, summary) = service.answer(
                HTTPRequest(method: method, path: path, contentType: "application/json", body: body)
            )
            #expect((400..<500).contains(response.status), "\(method) \(path.prefix(80))")
            #expect(summary.model == nil, "\(path.prefix(80))")
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.hasPrefix("{"), "\(text.prefix(200))")
            // Errors never echo a long name back whole.
            #expect(response.body.count < 2000, "\(path.prefix(80)): \(response.body.count) bytes")
        }
    }
}
