import FastCGI
import Foundation
import Serving
import TestSupport
import Testing
import WorkerPool

/// The limits nginx enforces and the ones the pool enforces must agree, or a client gets
/// one layer's refusal where it should get the other's answer: read both from their files.
@Suite struct NginxAgreementTests {
    static func config(_ file: String) throws -> String {
        try String(contentsOfFile: Fixtures.packageRoot + "/nginx/" + file, encoding: .utf8)
    }

    /// The value of the one uncommented `directive` line in `text`.
    static func directive(_ name: String, in text: String) throws -> String {
        let values = text.split(separator: "\n").compactMap { line -> String? in
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard words.first == Substring(name), words.count >= 2 else { return nil }
            return String(words[1].dropLast(words[1].hasSuffix(";") ? 1 : 0))
        }
        try #require(values.count == 1, "\(name): \(values)")
        return values[0]
    }

    /// nginx sizes: `64m`, `512k`, `1g`, or bytes.
    static func bytes(_ size: String) throws -> Int {
        let units: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        if let last = size.last?.lowercased().first, let unit = units[last] {
            return try #require(Int(size.dropLast())) * unit
        }
        return try #require(Int(size))
    }

    @Test func theBodyLimitIsNginxsClientMaxBodySize() throws {
        let nginx = try Self.bytes(
            try Self.directive("client_max_body_size", in: try Self.config("augur.conf"))
        )
        #expect(FastCGIServer.Configuration().maxBodyBytes == nginx)
        #expect(
            PoolConfiguration(listen: .tcp(host: "127.0.0.1", port: 9000)).maxBodyBytes == nginx
        )
        let buffer = try Self.bytes(
            try Self.directive("client_body_buffer_size", in: try Self.config("augur.conf"))
        )
        #expect(buffer >= nginx)
        // nginx's own 413 states the same number.
        #expect(try Self.config("augur.conf").contains("limit of \(nginx) bytes"))
    }

    @Test func theRequestDeadlineEndsBeforeNginxStopsWaiting() throws {
        let text = try Self.directive(
            "fastcgi_read_timeout",
            in: try Self.config("augur-upstream.conf")
        )
        #expect(text.hasSuffix("s"))
        let nginx = Duration.seconds(try #require(Int(text.dropLast())))
        let worker = try #require(ServingLimits().requestTimeout)
        // Room for reading the body and writing the answer after the last check.
        #expect(worker + .seconds(10) <= nginx, "worker \(worker), nginx \(nginx)")
    }

    @Test func nginxHidesItsVersionAndLogsTheRequestIdItPasses() throws {
        let main = try Self.config("nginx.conf")
        #expect(try Self.directive("server_tokens", in: main) == "off")
        #expect(main.contains("request.id=$request_id"))
        #expect(try Self.directive("access_log", in: main) == "access.log")
        #expect(main.contains("access_log access.log augur;"))
        let upstream = try Self.config("augur-upstream.conf")
        #expect(upstream.contains("fastcgi_param REQUEST_ID $request_id;"))
    }
}
