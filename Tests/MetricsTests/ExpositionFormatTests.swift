import Foundation
import Metrics
import Serving
import TestSupport
import Testing

/// The strict reader the metric tests rely on refuses what Prometheus refuses, and the
/// routes and the service agree with the region.
@Suite struct ExpositionFormatTests {
    static let valid = """
        # HELP x_total Things.
        # TYPE x_total counter
        x_total{a="1"} 2
        # HELP h Times.
        # TYPE h histogram
        h_bucket{le="0.5"} 1
        h_bucket{le="+Inf"} 3
        h_sum 1.25
        h_count 3

        """

    @Test func theReaderAcceptsWellFormedText() throws {
        let text = try PrometheusText(parsing: Self.valid)
        #expect(text.value("x_total", ["a": "1"]) == 2)
        #expect(text.value("h_count") == 3)
        #expect(text.helps["h"] == "Times.")
    }

    @Test(arguments: [
        ("no final newline", String(valid.dropLast())),
        ("sample without TYPE", valid + "y 1\n"),
        ("split family", valid + "x_total{a=\"2\"} 1\n"),
        ("repeated series", valid.replacingFirst("h_sum 1.25", "h_sum 1.25\nh_sum 1.25")),
        ("unescaped quote", valid.replacingFirst("a=\"1\"", "a=\"1\"\"")),
        ("bad escape", valid.replacingFirst("a=\"1\"", "a=\"\\t\"")),
        ("not cumulative", valid.replacingFirst("le=\"+Inf\"} 3", "le=\"+Inf\"} 0")),
        ("count differs", valid.replacingFirst("h_count 3", "h_count 4")),
        ("no +Inf bucket", valid.replacingFirst("h_bucket{le=\"+Inf\"} 3\n", "")),
        ("negative counter", valid.replacingFirst("} 2", "} -2")),
        ("bad name", valid.replacingFirst("x_total{", "9x_total{")),
        ("timestamp", valid.replacingFirst("} 2", "} 2 1700000000")),
    ])
    func theReaderRefusesMalformedText(_ name: String, _ text: String) {
        #expect(throws: PrometheusText.Invalid.self, "\(name)") {
            try PrometheusText(parsing: text)
        }
    }

    @Test func everyRouteLabelIsListedOnce() throws {
        let paths = [
            "/predict", "/predict/iris", "/v1/models/iris:predict", "/v1/models/iris",
            "/v1/models", "/v2/models/iris/infer", "/v2/models/iris/versions/2/infer",
            "/v2/models/iris", "/v2/models/iris/ready", "/v2", "/v2/health/live",
            "/v2/health/ready", "/invocations", "/ping", "/health", "/version", "/metrics",
            "/openapi.json",
        ]
        let labels = try paths.map { try #require(Route(path: $0), "\($0)").label }
        #expect(Set(labels) == Set(Route.labels))
        #expect(Set(Route.labels).count == Route.labels.count)
    }

    @Test func theServiceAnswersMetricsWithTheRegionsText() throws {
        let region = try MetricsRegion(routes: Route.labels)
        region.setWorkers(alive: 3, restarts: 1)
        let service = PredictionService(models: [], metricsText: { region.exposition() })
        let (response, summary) = service.answer(HTTPRequest(method: "GET", path: "/metrics"))
        #expect(response.status == 200)
        #expect(
            response.headers.first { $0.name == "Content-Type" }?.value
                == MetricsRegion.contentType
        )
        #expect(summary.route?.label == "metrics")
        let text = try PrometheusText(parsing: String(decoding: response.body, as: UTF8.self))
        #expect(text.value("augur_workers_alive") == 3)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, _ replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
