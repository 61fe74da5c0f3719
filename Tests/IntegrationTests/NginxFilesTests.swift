import Foundation
import TestSupport
import Testing

/// `augur nginx-config` renders nginx/ from a copy compiled into the binary
/// (Sources/augur/NginxFiles.swift); this fails when the copy is not what nginx/ holds now.
/// `AUGUR_RECORD_SNAPSHOTS=1 swift test --filter NginxFilesTests` rewrites it.
@Suite struct NginxFilesTests {
    /// Swift name and file in nginx/, in the order of the generated file.
    static let files = [
        ("nginxConf", "nginx.conf"), ("augurConf", "augur.conf"),
        ("upstreamConf", "augur-upstream.conf"), ("fastcgiParams", "fastcgi_params"),
    ]
    static let generatedPath = Fixtures.packageRoot + "/Sources/augur/NginxFiles.swift"

    /// The Swift source that embeds the files as they are now.
    static func source() throws -> String {
        var lines = [
            "// Generated from nginx/ by NginxFilesTests, which fails when this file differs from what",
            "// it makes of them; `AUGUR_RECORD_SNAPSHOTS=1 swift test --filter NginxFilesTests` rewrites",
            "// it. Embedded at build time because Sources may not use Foundation, which SwiftPM",
            "// resources need, and an installed binary would not find the repository.",
            "// swift-format-ignore-file",
            "",
            "/// The repository's nginx/ files, for `augur nginx-config`, each without its last newline.",
            "enum NginxFiles {",
        ]
        for (index, (name, file)) in files.enumerated() {
            let text = try String(
                contentsOfFile: Fixtures.packageRoot + "/nginx/" + file,
                encoding: .utf8
            )
            // A raw string literal ends at `"""#` and reads `\#` as an escape.
            try #require(!text.contains("\"\"\"#") && !text.contains("\\#"), "\(file)")
            try #require(text.hasSuffix("\n"), "\(file) ends without a newline")
            if index > 0 { lines.append("") }
            lines.append("    /// nginx/\(file)")
            lines.append("    static let \(name) = #\"\"\"")
            lines.append(text + "\"\"\"#")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theBinarysCopyOfNginxFilesIsCurrent() throws {
        let expected = try Self.source()
        if ProcessInfo.processInfo.environment["AUGUR_RECORD_SNAPSHOTS"] == "1" {
            try expected.write(toFile: Self.generatedPath, atomically: true, encoding: .utf8)
        }
        let actual = try String(contentsOfFile: Self.generatedPath, encoding: .utf8)
        guard actual != expected else { return }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(actualLines, expectedLines).prefix { $0 == $1 }.count
        Issue.record(
            """
            Sources/augur/NginxFiles.swift differs from nginx/ at its line \(line + 1): \
            '\(line < actualLines.count ? actualLines[line] : "")', nginx/ has \
            '\(line < expectedLines.count ? expectedLines[line] : "")'; rewrite it with \
            AUGUR_RECORD_SNAPSHOTS=1 swift test --filter NginxFilesTests
            """
        )
    }

}
