import Estimators
import Foundation
import Inspection
import TestSupport
import Testing

/// `docs/estimators.md` is the registry rendered by `augur estimators`. Run with
/// `AUGUR_RECORD_SNAPSHOTS=1` to rewrite it after adding a class, then review the diff.
@Suite struct EstimatorCatalogTests {
    static let path = Fixtures.packageRoot + "/docs/estimators.md"

    @Test func thePageInDocsIsTheRegistryRendered() throws {
        let page = EstimatorCatalog.markdown
        if InspectSnapshotTests.recording {
            try Data(page.utf8).write(to: URL(fileURLWithPath: Self.path))
            return
        }
        let onDisk = try #require(FileManager.default.contents(atPath: Self.path))
        #expect(
            Array(page.utf8) == Array(onDisk),
            "docs/estimators.md is stale; rewrite it with AUGUR_RECORD_SNAPSHOTS=1"
        )
    }

    @Test func everySupportedClassIsListedOnce() {
        let page = EstimatorCatalog.markdown
        for name in EstimatorRegistry.supportedClassNames {
            #expect(page.components(separatedBy: "| `\(name)` |").count == 2, "\(name)")
        }
    }
}
