import Arrays
import Estimators
import Inspection
import TestSupport
import Testing

/// What `Inspector` reports for real files from four scikit-learn/numpy environments, for
/// files it cannot serve, and for files that are no model at all.
@Suite struct InspectorTests {
    static let numpyMajor = [
        "sklearn-1.1.3": "1", "sklearn-1.3.2": "1", "sklearn-1.5.2": "1", "sklearn-1.9.1": "2",
    ]

    static func fixture(_ relative: String) -> Inspection {
        Inspector.inspect(path: Fixtures.root + "/" + relative, displayPath: relative)
    }

    @Test(arguments: VersionFixture.all)
    func everyVersionFixtureIsServableAndItsContainerAndProtocolAreTold(
        _ fixture: VersionFixture
    ) throws {
        let report = Inspector.inspect(path: fixture.modelPath)
        #expect(report.servable, "\(report.text)")
        #expect(report.exitCode == 0)
        #expect(
            report.sklearnVersion == fixture.environment.dropFirst("sklearn-".count).description
        )
        let codec = fixture.compressor.map { $0 == "bz2" ? "bzip2" : $0 }
        #expect(report.compression == codec)
        if fixture.fileName.hasSuffix(".pkl") {
            #expect(report.container == "pickle")
            let protocolDigit = fixture.fileName.dropFirst("model.p".count).prefix(1)
            #expect(report.pickleProtocol == Int(protocolDigit))
        } else {
            #expect(report.container == "joblib")
            #expect(report.pickleProtocol != nil)
        }
        let expected = try fixture.expected()
        #expect(report.inputWidth.map(Double.init) == expected["n_features"]?.double)
        #expect(report.outputs.contains(.predict))
        #expect(report.problems.isEmpty)
        #expect(!report.text.contains("not supported"))
    }

    @Test(arguments: VersionFixture.all.filter { $0.fileName.hasSuffix(".pkl") })
    func theNumpyGenerationOfEveryPlainPickleIsTold(_ fixture: VersionFixture) {
        let report = Inspector.inspect(path: fixture.modelPath)
        #expect(report.numpy.rawValue == Self.numpyMajor[fixture.environment])
    }

    @Test(arguments: VersionFixture.all)
    func theNumpyGenerationIsNeverGuessedWrong(_ fixture: VersionFixture) {
        let numpy = Inspector.inspect(path: fixture.modelPath).numpy
        #expect(numpy == .unknown || numpy.rawValue == Self.numpyMajor[fixture.environment])
    }

    @Test func aForestShowsItsTreesAsOneCountedPart() throws {
        let report = Self.fixture("versions/sklearn-1.9.1/random_forest_classifier/model.joblib")
        let tree = try #require(report.tree)
        #expect(tree.className == "sklearn.ensemble._forest.RandomForestClassifier")
        #expect(tree.parts.count == 1)
        #expect(tree.parts.first?.label == "estimators_")
        #expect(tree.parts.first?.count == 5)
        #expect(tree.parts.first?.className == "sklearn.tree._classes.DecisionTreeClassifier")
        #expect(report.classes == .integers([0, 1, 2]))
    }

    @Test func aMultilabelModelSaysSoAndNamesItsColumns() throws {
        for environment in ["sklearn-1.1.3", "sklearn-1.9.1"] {
            let report = Self.fixture(
                "conformance/\(environment)/compose-one-vs-rest-multilabel.joblib"
            )
            #expect(report.servable)
            #expect(report.isMultilabel)
            #expect(report.classes == .integers([0, 1, 2, 3]))
            #expect(report.outputs == [.predict, .predictProba, .decisionFunction])
            #expect(report.text.contains("multilabel: predict gives a 0 or 1 per class"))
            #expect(report.json.contains(#""multilabel": true"#))
        }
        let single = Self.fixture("conformance/sklearn-1.9.1/compose-one-vs-rest.joblib")
        #expect(!single.isMultilabel)
        #expect(single.json.contains(#""multilabel": false"#))
    }

    /// A target encoder saved alone is no model: one problem at the top, with the loader's
    /// reason, and its classes in column order.
    @Test func aTargetEncoderIsRefusedWithItsClasses() throws {
        let report = Self.fixture(
            "label-binarizers/sklearn-1.3.2/multilabel_binarizer_ordered.joblib"
        )
        #expect(!report.servable)
        #expect(report.classes == .strings(["weather", "news", "sport"]))
        #expect(report.tree?.verdict == .notSupported)
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        #expect(problem.code == "not_an_estimator")
        #expect(problem.path == "")
        #expect(problem.message.hasSuffix(#"column by column: ["weather", "news", "sport"]"#))
        #expect(!report.text.contains("augur serves:"))
    }

    @Test func aPipelineShowsItsStepsByName() throws {
        let report = Self.fixture("versions/sklearn-1.3.2/pipeline_scaler_logreg/model.p4.pkl")
        let tree = try #require(report.tree)
        #expect(tree.className == "sklearn.pipeline.Pipeline")
        #expect(tree.parts.map(\.label) == ["scale", "logreg"])
        #expect(tree.parts.allSatisfy { $0.supported == true })
        #expect(report.outputs == [.predict, .predictProba, .decisionFunction])
    }

    @Test func everyUnsupportedClassIsListedNotOnlyTheFirst() throws {
        let report = Self.fixture("unsupported/semi_supervised_voting.joblib")
        #expect(!report.servable)
        #expect(report.exitCode == 65)
        #expect(report.outputs.isEmpty)
        #expect(
            report.problems.map(\.className) == [
                "sklearn.semi_supervised._self_training.SelfTrainingClassifier",
                "sklearn.semi_supervised._label_propagation.LabelSpreading",
            ]
        )
        #expect(report.problems.map(\.path) == ["vote.estimators_.0", "vote.estimators_.1"])
        #expect(report.problems.allSatisfy { $0.code == "unsupported_estimator" })
        // What can be read is still told, and the supported parts are marked so.
        #expect(report.inputWidth == 4)
        #expect(report.classes == .integers([0, 1, 2]))
        #expect(report.tree?.parts.first?.supported == true)
        let vote = try #require(report.tree?.parts.last)
        #expect(vote.verdict == .supported)
        // The voting classifier's own label encoder is read by it, not judged on its own.
        #expect(vote.parts.map(\.verdict) == [.readByParent, .notSupported, .notSupported])
        // Nothing under an estimator Augur does not serve is judged.
        let selfTraining = vote.parts[1]
        #expect(!selfTraining.parts.isEmpty)
        #expect(Self.allNodes(selfTraining).dropFirst().allSatisfy { $0.verdict == .unjudged })
    }

    @Test func aNestedBoostedPipelineIsServable() throws {
        let report = Self.fixture("unsupported/pca_gradient_boosting.joblib")
        #expect(report.servable)
        #expect(report.problems.isEmpty)
        let boost = try #require(report.tree?.parts.last)
        #expect(boost.parts.last?.count == 6)
        #expect(boost.parts.map(\.label) == ["init_", "estimators_"])
        #expect(boost.parts.map(\.verdict) == [.readByParent, .supported])
    }

    /// Every served conformance model: no part of it is "not supported", and every part
    /// has a verdict (supported, or read by its parent).
    @Test(arguments: ConformanceFixture.all)
    func aServedFileShowsNoPartAsNotSupported(_ fixture: ConformanceFixture) throws {
        let report = Inspector.inspect(path: fixture.modelPath)
        #expect(report.servable, "\(report.text)")
        let tree = try #require(report.tree)
        #expect(Self.allNodes(tree).allSatisfy { $0.supported != false }, "\(report.text)")
        #expect(Self.allNodes(tree).allSatisfy { $0.verdict != .unjudged })
        #expect(!report.text.contains("not supported"))
    }

    /// A composite whose only fault is an unsupported member is not listed itself; one
    /// with a fault of its own is, when its members are fine.
    @Test func aCompositeIsListedOnlyForItsOwnFault() throws {
        let report = Self.fixture("unsupported/semi_supervised_voting.joblib")
        #expect(!report.problems.contains { $0.path == "vote" || $0.path == "" })
        let unfitted = Self.fixture("unsupported/unfitted_logistic_regression.pkl")
        #expect(unfitted.problems.map(\.path) == [""])
        #expect(unfitted.tree?.verdict == .supported)
    }

    /// A protocol-2 pickle of `sklearn.dummy.<name>` whose `__dict__` holds `state`
    /// (strings and small integers only), for states scikit-learn's own files cannot give
    /// a conformance case: a random strategy, a file without `n_features_in_`.
    static func dummyPickle(_ name: String, _ state: [(String, Any)]) -> [UInt8] {
        func text(_ value: String) -> [UInt8] {
            let bytes = Array(value.utf8)
            let count = UInt32(bytes.count)
            return [0x58] + (0..<4).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) } + bytes
        }
        var bytes: [UInt8] = [0x80, 2, 0x63] + Array("sklearn.dummy\n\(name)\n".utf8)
        bytes += [0x29, 0x81, 0x7D, 0x28]  // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK
        for (key, value) in state {
            bytes += text(key)
            if let number = value as? Int {
                bytes += [0x4B, UInt8(number)]  // BININT1
            } else {
                bytes += text("\(value)")
            }
        }
        return bytes + [0x75, 0x62, 0x2E]  // SETITEMS BUILD STOP
    }

    @Test(arguments: ["stratified", "uniform"])
    func aDummyClassifierThatDrawsRandomLabelsIsRefusedNamingItsStrategy(
        _ strategy: String
    ) throws {
        let bytes = Self.dummyPickle(
            "DummyClassifier",
            [("strategy", strategy), ("_strategy", strategy), ("n_features_in_", 4)]
        )
        let report = Inspector.inspect(bytes: bytes, file: "dummy.pkl")
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        #expect(problem.code == "unsupported_option")
        #expect(problem.attribute == "strategy")
        #expect(problem.message.contains("'\(strategy)'"))
    }

    /// Dummy estimators of scikit-learn 1.3 and before record no `n_features_in_`.
    @Test(arguments: ["DummyClassifier", "DummyRegressor"])
    func aDummyWithoutItsWidthIsRefusedNamingTheAttribute(_ name: String) throws {
        let bytes = Self.dummyPickle(name, [("strategy", "prior"), ("_strategy", "prior")])
        let report = Inspector.inspect(bytes: bytes, file: "dummy.pkl")
        let problem = try #require(report.problems.first)
        #expect(problem.code == "invalid_attribute")
        #expect(problem.attribute == "n_features_in_")
    }

    static func allNodes(_ node: Inspection.Node) -> [Inspection.Node] {
        [node] + node.parts.flatMap(allNodes)
    }

    @Test func aMissingAttributeIsNamedWithItsMessage() throws {
        let report = Self.fixture("unsupported/unfitted_logistic_regression.pkl")
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        #expect(problem.code == "invalid_attribute")
        #expect(problem.className == "sklearn.linear_model._logistic.LogisticRegression")
        #expect(problem.attribute != nil)
        #expect(problem.message.contains("missing"))
        #expect(report.exitCode == 65)
    }

    /// A pickle that contains itself is refused by the machine (a reference cycle), before
    /// any estimator is looked at; inspect says so in one line.
    @Test func aPipelineThatContainsItselfIsRefusedAsACycle() throws {
        let report = Self.fixture("unsupported/cyclic_pipeline.pkl")
        #expect(report.failure?.message.contains("reference cycle") == true)
        #expect(report.exitCode == 65)
    }

    @Test(arguments: [
        "malicious/os_system_p0.pkl", "malicious/os_system_p2.pkl", "malicious/eval_p4.pkl",
        "malicious/popen_p5.pkl", "malicious/dunder_builtins.pkl", "malicious/getattr_chain.pkl",
        "malicious/joblib_appended.joblib",
    ])
    func aFileThatReachesForCodeIsRefusedInOneLine(_ file: String) throws {
        let report = Self.fixture(file)
        let failure = try #require(report.failure)
        #expect(failure.kind == .refusedGlobal)
        #expect(report.exitCode == 65)
        #expect(report.text.split(separator: "\n").count == 1)
        #expect(report.text.contains("refused"))
        #expect(report.tree == nil)
    }

    @Test func aFileThatIsNoPickleGetsOneLine() throws {
        let report = Self.fixture("README.md")
        #expect(report.failure?.kind == .notAPickle)
        #expect(report.text == "cannot inspect README.md: not a pickle or joblib file\n")
        #expect(report.exitCode == 65)
    }

    @Test func aMissingFileIsUnreadableWithExitCode66() {
        let report = Inspector.inspect(path: Fixtures.root + "/no-such-file.joblib")
        #expect(report.failure?.kind == .unreadable)
        #expect(report.exitCode == 66)
    }

    @Test func aPickleWithoutAProtoOpcodeIsReportedAsBelowProtocol2() {
        let report = Self.fixture("pickles/plain/dict.p1.pkl")
        #expect(report.failure == nil)
        #expect(report.pickleProtocol == nil)
        #expect(report.text.contains("pickle protocol: below 2 (no PROTO opcode)"))
        #expect(report.problems.map(\.code) == ["not_an_estimator"])
    }

    @Test func theJSONReportAlwaysHasEveryKey() throws {
        let keys: Set<String> = [
            "file", "servable", "container", "compression", "pickle_protocol", "numpy",
            "sklearn_version", "estimator", "n_features_in", "feature_names_in", "classes",
            "multilabel", "outputs", "problems", "error",
        ]
        for file in [
            "versions/sklearn-1.9.1/pipeline_scaler_logreg/model.joblib",
            "unsupported/semi_supervised_voting.joblib", "malicious/eval_p4.pkl", "README.md",
        ] {
            let json = try TestJSON.parse(Self.fixture(file).json)
            guard case .object(let members) = json else {
                Issue.record("\(file): not a JSON object")
                continue
            }
            #expect(Set(members.keys) == keys, "\(file)")
        }
    }

    @Test func labelsKeepTheirTypeInJSON() throws {
        let strings = try TestJSON.parse(
            Self.fixture("versions/sklearn-1.9.1/logistic_regression_string_labels/model.p4.pkl")
                .json
        )
        #expect(
            strings["classes"]?.array?.compactMap(\.string) == [
                "setosa", "versicolor", "virginica",
            ]
        )
        let integers = try TestJSON.parse(
            Self.fixture("versions/sklearn-1.9.1/decision_tree_classifier/model.joblib").json
        )
        #expect(integers["classes"]?.array?.allSatisfy { $0.isIntegerLiteral } == true)
    }

    @Test func jsonStringsAreEscaped() throws {
        var report = Inspection(file: "a \"quoted\"\\path\n\u{1}")
        report.failure = .init(kind: .unreadable, message: "tab\there")
        let json = try TestJSON.parse(report.json)
        #expect(json["file"]?.string == "a \"quoted\"\\path\n\u{1}")
        #expect(json["error"]?["message"]?.string == "tab\there")
    }

    /// A target transformer Augur serves alone but cannot invert: the fault, its path and
    /// the tree all point at `transformer_`, and the width comes from `regressor_`.
    @Test func anUnservedTargetTransformerIsTheProblemAtItsOwnPath() throws {
        let report = Self.fixture("unsupported/quantile_target.joblib")
        #expect(!report.servable)
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        #expect(problem.path == "transformer_")
        #expect(problem.code == "unsupported_option")
        #expect(problem.className == "sklearn.preprocessing._data.QuantileTransformer")
        let tree = try #require(report.tree)
        #expect(tree.verdict == .supported)
        #expect(tree.parts.map(\.label) == ["transformer_", "regressor_"])
        #expect(tree.parts.map(\.verdict) == [.notSupported, .supported])
        #expect(report.inputWidth == 3)
        #expect(report.text.contains("features:        3\n"))
        #expect(report.text.contains("(at transformer_)"))
        let json = try TestJSON.parse(report.json)
        #expect(json["problems"]?.array?.first?["path"]?.string == "transformer_")
        let parts = try #require(json["estimator"]?["parts"]?.array)
        #expect(parts.map { $0["supported"] } == [.bool(false), .bool(true)])
    }

    /// Labels starting with a NUL, holding a quote, a backslash and a newline, or not
    /// ASCII: whole in JSON, and one escaped literal each in the text.
    @Test func stringLabelsAreWholeInJSONAndEscapedInText() throws {
        let expected = try TestJSON.read(path: Fixtures.root + "/labels/expected.json")
        for file in ["labels/nul_labels.joblib", "labels/nul_labels_big_endian.pkl"] {
            let report = Self.fixture(file)
            #expect(report.classes == .strings(["\u{0}x", "é\"\\\n", "日本"]), "\(file)")
            #expect(try TestJSON.parse(report.json)["classes"] == expected["classes"])
            #expect(
                report.text.contains(#"classes:         "\u0000x", "é\"\\\n", "日本""# + "\n"),
                "\(report.text)"
            )
        }
    }

    @Test func textFromTheFileCannotBreakALine() throws {
        var report = Inspection(file: "model\n.joblib")
        report.featureNames = ["a\nb", "tab\there", "c\u{1}"]
        report.classes = .strings(["x\ry"])
        let text = report.text
        #expect(text.contains("file:            model\\n.joblib\n"))
        #expect(text.contains(#"feature names:   a\nb, tab\there, c\u0001"# + "\n"))
        #expect(text.contains(#"classes:         "x\ry""# + "\n"))
        #expect(text.split(separator: "\n").allSatisfy { $0.contains(":") })
    }

    @Test func longListsOfFeatureNamesAreCutInTheTextButNotInJSON() throws {
        var report = Inspection(file: "x")
        report.featureNames = (0..<25).map { "f\($0)" }
        #expect(report.text.contains("f19, … (25 in all)"))
        #expect(!report.text.contains("f20"))
        let json = try TestJSON.parse(report.json)
        #expect(json["feature_names_in"]?.array?.count == 25)
    }

    /// Files that are not pickles are read as the server reads them and described the same
    /// way, with their own container name and no pickle protocol or numpy line.
    @Test(arguments: [
        ("skops-decision-tree.skops", "skops", "sklearn.tree._classes.DecisionTreeClassifier"),
        ("boosters-xgb-binary.xgb.ubj", "XGBoost UBJSON", "xgboost.core.Booster"),
        ("boosters-xgb-binary.xgb.json", "XGBoost JSON", "xgboost.core.Booster"),
        ("boosters-lgbm-binary.lgbm.txt", "LightGBM model text", "lightgbm.basic.Booster"),
    ])
    func filesThatAreNotPicklesAreDescribed(file: String, container: String, className: String)
        throws
    {
        let report = Self.fixture("conformance/sklearn-1.9.1/" + file)
        #expect(report.servable, "\(report.text)")
        #expect(report.container == container)
        #expect(report.tree?.className == className)
        #expect(report.pickleProtocol == nil)
        #expect(!report.text.contains("pickle protocol"))
        #expect(report.outputs.contains(.predict))
        let json = try TestJSON.parse(report.json)
        #expect(json["numpy"] == .null)
    }

    @Test func aDamagedBoosterIsAFailureNotACrash() throws {
        let path = Fixtures.root + "/conformance/sklearn-1.9.1/boosters-xgb-binary.xgb.ubj"
        let bytes = try ModelFile.readFile(path)
        let report = Inspector.inspect(bytes: Array(bytes.prefix(bytes.count / 2)), file: "cut")
        #expect(!report.servable)
        // The damage is named, not the class: Augur serves boosters.
        #expect(report.problems.first?.className == "xgboost.core.Booster")
        #expect(report.problems.first?.message.contains("not supported") == false)
    }
}
