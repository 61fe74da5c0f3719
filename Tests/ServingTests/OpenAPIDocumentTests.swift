import Estimators
import TestSupport
import Testing

@testable import Serving

/// `GET /openapi.json`: the document parses, describes every route `Route` knows with its
/// method, and every operation lists its answers; its examples get what they say.
@Suite struct OpenAPIDocumentTests {
    /// What this branch does not serve yet: the dialects whose placeholders answer 404, and
    /// CSV bodies on `/predict` (415). Their examples are expected to fail until each is
    /// merged. Remove a name when it lands: the known-issue check fails if the name stays.
    static let pending: Set<String> = []

    static func service() throws -> PredictionService {
        try NativeDialectTests.service()
    }

    static func document() throws -> TestJSON {
        let response = try service().respond(to: HTTPRequest(method: "GET", path: "/openapi.json"))
        #expect(response.status == 200)
        #expect(
            response.headers.contains {
                $0.name == "Content-Type" && $0.value == "application/json"
            }
        )
        return try TestJSON.parse(response.body)
    }

    /// A request path for every case of `Route`, with real names and versions.
    static let samplePaths = [
        "/predict", "/predict/iris", "/v1/models", "/v1/models/iris", "/v1/models/iris:predict",
        "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/iris",
        "/v2/models/iris/versions/1", "/v2/models/iris/ready", "/v2/models/iris/versions/1/ready",
        "/v2/models/iris/infer", "/v2/models/iris/versions/1/infer", "/invocations", "/ping",
        "/health", "/version", "/metrics", "/openapi.json",
    ]

    /// The name of `route`'s case. The switch has no default, so a new case of `Route` stops
    /// this file compiling until a sample path (and a document entry) is added for it.
    static func caseName(_ route: Route) -> String {
        switch route {
        case .nativePredict: "nativePredict"
        case .kserveV1Predict: "kserveV1Predict"
        case .kserveV1ModelStatus: "kserveV1ModelStatus"
        case .kserveV1ModelList: "kserveV1ModelList"
        case .openInferenceInfer: "openInferenceInfer"
        case .openInferenceModelMetadata: "openInferenceModelMetadata"
        case .openInferenceModelReady: "openInferenceModelReady"
        case .openInferenceServerMetadata: "openInferenceServerMetadata"
        case .openInferenceLive: "openInferenceLive"
        case .openInferenceReady: "openInferenceReady"
        case .mlflowInvocations: "mlflowInvocations"
        case .mlflowPing: "mlflowPing"
        case .mlflowHealth: "mlflowHealth"
        case .mlflowVersion: "mlflowVersion"
        case .metrics: "metrics"
        case .openAPI: "openAPI"
        }
    }

    /// Whether `path` fits `template`, each `{…}` standing for a model name or version
    /// (letters, digits, `.`, `_`, `-`), possibly followed by a literal such as `:predict`.
    static func matches(_ path: String, template: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        let patterns = template.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == patterns.count else { return false }
        return zip(parts, patterns).allSatisfy { part, pattern in
            guard pattern.first == "{", let close = pattern.firstIndex(of: "}") else {
                return part == pattern
            }
            let suffix = pattern[pattern.index(after: close)...]
            let name = part.dropLast(suffix.count)
            return part.hasSuffix(suffix) && !name.isEmpty
                && name.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
        }
    }

    @Test func documentIsOpenAPI31WithInfoPathsAndComponents() throws {
        let document = try Self.document()
        #expect(document["openapi"]?.string == "3.1.0")
        #expect(document["info"]?["title"]?.string == "Augur")
        #expect(document["info"]?["version"]?.string == AugurVersion.current)
        #expect(document["paths"]?.object?.isEmpty == false)
        #expect(document["components"]?["schemas"]?.object?.isEmpty == false)
    }

    @Test func everyCaseOfRouteHasASamplePathThatTheDocumentDescribes() throws {
        let paths = try #require(try Self.document()["paths"]?.object)
        var cases: Set<String> = []
        for sample in Self.samplePaths {
            let route = try #require(Route(path: sample), "\(sample)")
            cases.insert(Self.caseName(route))
            let templates = paths.keys.filter { Self.matches(sample, template: $0) }
            #expect(templates.count == 1, "\(sample) matches \(templates)")
            let method = route.allowedMethods[0].lowercased()
            for template in templates {
                #expect(paths[template]?[method] != nil, "\(template) has no \(method)")
            }
        }
        #expect(cases.count == 16)
    }

    @Test func everyDocumentedPathIsARouteWithThatMethod() throws {
        let paths = try #require(try Self.document()["paths"]?.object)
        #expect(paths.count == OpenAPIDocument.routes.count)
        for (template, item) in paths {
            let route = try #require(Route(path: template), "\(template)")
            #expect(route.path == template)
            for method in try #require(item.object).keys {
                #expect(route.allowedMethods.contains(method.uppercased()), "\(template) \(method)")
            }
        }
    }

    @Test func everyOperationHasAnIDASuccessAndItsErrorStatuses() throws {
        let paths = try #require(try Self.document()["paths"]?.object)
        var ids: Set<String> = []
        for (template, item) in paths {
            for (_, operation) in try #require(item.object) {
                let id = try #require(operation["operationId"]?.string)
                #expect(ids.insert(id).inserted, "operationId \(id) twice")
                let responses = try #require(operation["responses"]?.object, "\(template)")
                #expect(responses["200"] != nil, "\(template)")
                #expect(responses["405"]?["headers"]?["Allow"] != nil, "\(template)")
                #expect(responses["500"] != nil, "\(template)")
                for (status, response) in responses {
                    #expect(response["description"]?.string?.isEmpty == false)
                    #expect(response["content"]?.object?.isEmpty == false, "\(template) \(status)")
                }
                let isPredict = operation["requestBody"] != nil
                if isPredict {
                    for status in ["400", "404", "413", "415", "422", "503"] {
                        #expect(responses[status] != nil, "\(template) \(status)")
                    }
                }
            }
        }
        #expect(ids.count == OpenAPIDocument.routes.count)
    }

    @Test func everyReferenceResolves() throws {
        let document = try Self.document()
        var references: [String] = []
        func collect(_ value: TestJSON) {
            switch value {
            case .object(let members):
                if let target = members["$ref"]?.string { references.append(target) }
                members.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(references.count > 50)
        for reference in references {
            #expect(reference.hasPrefix("#/"))
            var node: TestJSON? = document
            for part in reference.dropFirst(2).split(separator: "/") {
                node = node?[String(part)]
            }
            #expect(node != nil, "\(reference) does not resolve")
        }
    }

    @Test func theModelParameterListsTheServedModels() throws {
        let parameters = try #require(try Self.document()["components"]?["parameters"])
        let names = parameters["model"]?["schema"]?["enum"]?.array?.compactMap(\.string)
        #expect(names == ["diabetes", "iris"])
        #expect(parameters["model"]?["example"]?.string == "iris")
        #expect(parameters["version"]?["schema"]?["enum"]?.array?.compactMap(\.string) == ["1"])
    }

    @Test func theRoutesOfTheDefaultModelTakeItsOwnRows() throws {
        let document = try Self.document()
        let body = "requestBody"
        let predict = document["paths"]?["/predict"]?["post"]?[body]?["content"]
        #expect(
            predict?["application/json"]?["schema"]?["$ref"]
                == .string("#/components/schemas/DefaultModelNativeRequest")
        )
        let invocations = document["paths"]?["/invocations"]?["post"]?[body]?["content"]
        #expect(
            invocations?["application/json"]?["schema"]?["$ref"]
                == .string("#/components/schemas/DefaultModelMLflowRequest")
        )
        let named = document["paths"]?["/predict/{model}"]?["post"]?[body]?["content"]
        #expect(
            named?["application/json"]?["schema"]?["$ref"]
                == .string("#/components/schemas/NativeRequest")
        )
        let schemas = try #require(document["components"]?["schemas"])
        let iris = try ModelLoader.load(path: Fixtures.packageRoot + "/examples/models/iris.joblib")
        let row = try #require(schemas["DefaultModelRow"]?["oneOf"]?.array)
        #expect(row.count == 2)
        #expect(row[0]["minItems"]?.double == Double(iris.inputWidth))
        #expect(row[0]["maxItems"]?.double == Double(iris.inputWidth))
        let required = row[1]["required"]?.array?.compactMap(\.string)
        #expect(required == iris.featureNames)
        // iris (LogisticRegression) takes neither missing values nor strings.
        #expect(!iris.acceptsMissing && iris.textColumns.isEmpty)
        #expect(row[0]["items"]?["type"] == .array([.string("number")]))
        let outputs = schemas["DefaultModelOutputName"]?["enum"]?.array?.compactMap(\.string)
        #expect(outputs == iris.outputs.map(\.rawValue))
    }

    @Test func withoutADefaultModelThoseRoutesTakeAnyRows() throws {
        let iris = try ModelLoader.load(path: Fixtures.packageRoot + "/examples/models/iris.joblib")
        let catalog = ModelCatalog([
            ServedModel(name: "iris", model: iris), ServedModel(name: "other", model: iris),
        ])
        let document = OpenAPIDocument.document(for: catalog)
        let content = document["paths"]?["/predict"]?["post"]?["requestBody"]?["content"]
        #expect(
            content?["application/json"]?["schema"]?["$ref"]
                == .string("#/components/schemas/NativeRequest")
        )
        #expect(document["components"]?["schemas"]?["DefaultModelRow"] == nil)
    }

    @Test func anEmptyCatalogLeavesTheParametersOpen() throws {
        let document = OpenAPIDocument.document(for: ModelCatalog([]))
        let model = try #require(document["components"]?["parameters"]?["model"]?["schema"])
        #expect(model["enum"] == nil)
        #expect(model["type"] == .string("string"))
    }

    @Test func everyErrorCodeIsInTheErrorSchemaOfItsStatus() throws {
        let schemas = try #require(try Self.document()["components"]?["schemas"])
        for code in ServingError.Code.allCases {
            let codes = schemas["Error\(code.status)"]?["properties"]?["code"]?["enum"]?.array
            #expect(codes?.contains(.string(code.rawValue)) == true, "\(code)")
            let mlflow = schemas["MLflowError\(code.status)"]?["properties"]?["error_code"]
            #expect(
                mlflow?["const"]?.string == ServingError(code, "").mlflowErrorCode,
                "\(code)"
            )
        }
    }

    /// Every request example of every operation, sent to its route with iris as the model.
    static func examples() throws -> [(
        route: Route, name: String, contentType: String, body: [UInt8]
    )] {
        let paths = try #require(try document()["paths"]?.object)
        var examples: [(route: Route, name: String, contentType: String, body: [UInt8])] = []
        for template in paths.keys.sorted() {
            let path = template.replacingPlaceholders()
            let route = try #require(Route(path: path))
            let content = paths[template]?["post"]?["requestBody"]?["content"]?.object ?? [:]
            for (contentType, media) in content {
                for (name, example) in media["examples"]?.object ?? [:] {
                    let value = try #require(example["value"])
                    let body =
                        contentType == "text/csv"
                        ? Array((value.string ?? "").utf8) : Array(value.serialized.utf8)
                    examples.append((route, "\(path) \(contentType) \(name)", contentType, body))
                }
            }
        }
        return examples
    }

    @Test func everyRequestExampleIsAnsweredWith200ForIris() throws {
        let service = try Self.service()
        let examples = try Self.examples()
        #expect(examples.count >= 15)
        for example in examples {
            let response = service.respond(
                to: HTTPRequest(
                    method: "POST",
                    path: example.route.path,
                    contentType: example.contentType,
                    body: example.body
                )
            )
            let text = String(decoding: response.body, as: UTF8.self)
            let dialect = example.route.dialect.rawValue
            let isPending =
                Self.pending.contains(dialect)
                || Self.pending.contains("\(dialect) \(example.contentType)")
            if isPending {
                withKnownIssue("\(example.name): not served on this branch") {
                    #expect(response.status == 200, "\(example.name): \(text)")
                }
            } else {
                #expect(response.status == 200, "\(example.name): \(text)")
            }
        }
    }

    @Test func nativeResponseExamplesAreWhatTheServerAnswers() throws {
        let service = try Self.service()
        let operation = try #require(try Self.document()["paths"]?["/predict/{model}"]?["post"])
        let requests = try #require(
            operation["requestBody"]?["content"]?["application/json"]?["examples"]?.object
        )
        let responses = try #require(
            operation["responses"]?["200"]?["content"]?["application/json"]?["examples"]?.object
        )
        #expect(responses.count == 2)
        for (name, example) in responses {
            let request = try #require(requests[name]?["value"])
            let answer = service.respond(
                to: HTTPRequest(
                    method: "POST",
                    path: "/predict/iris",
                    contentType: "application/json",
                    body: Array(request.serialized.utf8)
                )
            )
            #expect(try TestJSON.parse(answer.body) == example["value"], "\(name)")
        }
    }
}

extension String {
    /// A template's `{model}` and `{version}` filled in for iris.
    fileprivate func replacingPlaceholders() -> String {
        replacing("{model}", with: "iris").replacing("{version}", with: "1")
    }
}

extension TestJSON {
    fileprivate var object: [String: TestJSON]? {
        if case .object(let members) = self { members } else { nil }
    }

    /// JSON text for this value; numbers keep the text they were read from.
    fileprivate var serialized: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(_, let text): text
        case .string(let text): Self.quoted(text)
        case .array(let items): "[" + items.map(\.serialized).joined(separator: ",") + "]"
        case .object(let members):
            "{"
                + members.sorted { $0.key < $1.key }
                .map { Self.quoted($0.key) + ":" + $0.value.serialized }
                .joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
