import Arrays
import Estimators
import TestSupport
import Testing

/// What the conformance cases cannot show for XGBoost and LightGBM: how saved boosters are
/// recognised, and what is refused at load, naming the option.
@Suite struct BoosterLoadTests {
    static let folder = ConformanceFixture.root + "/sklearn-1.9.1"

    static func bytes(_ file: String) throws -> [UInt8] {
        try ModelFile.readFile("\(folder)/\(file)")
    }

    static func text(_ file: String) throws -> String {
        String(decoding: try bytes(file), as: UTF8.self)
    }

    static func load(_ bytes: [UInt8]) throws -> Model {
        try EstimatorRegistry.model(from: try ModelFile.load(bytes: bytes))
    }

    /// The error a model's load fails with, if it fails with an `EstimatorError`.
    static func failure(_ bytes: [UInt8]) -> EstimatorError? {
        do {
            _ = try load(bytes)
            return nil
        } catch {
            return error as? EstimatorError
        }
    }

    @Test func savedBoostersAreToldApartByTheirFirstBytes() throws {
        #expect(
            ModelFile.format(of: try Self.bytes("boosters-xgb-binary.xgb.json")) == .xgboostJSON
        )
        #expect(
            ModelFile.format(of: try Self.bytes("boosters-xgb-binary.xgb.ubj")) == .xgboostUBJSON
        )
        #expect(
            ModelFile.format(of: try Self.bytes("boosters-lgbm-binary.lgbm.txt")) == .lightGBMText
        )
        // A CSV or other text is none of them.
        #expect(ModelFile.format(of: Array("tree,height\n1,2\n".utf8)) == .unknown)
    }

    @Test func savedBoostersServeAsTheirObjectiveSays() throws {
        let binary = try Self.load(try Self.bytes("boosters-xgb-binary.xgb.ubj"))
        #expect(binary.estimatorClass == "xgboost.core.Booster")
        #expect(binary.classes == .integers([0, 1]))
        #expect(binary.acceptsMissing)
        let regressor = try Self.load(try Self.bytes("boosters-lgbm-regressor.lgbm.txt"))
        #expect(regressor.estimatorClass == "lightgbm.basic.Booster")
        #expect(regressor.outputs == [.predict])
        let multiclass = try Self.load(try Self.bytes("boosters-lgbm-multiclass.lgbm.txt"))
        #expect(multiclass.outputs == [.predict, .predictProba, .decisionFunction])
    }

    @Test(arguments: [
        (#""name":"gbtree""#, #""name":"gblinear""#, "booster"),
        (#""name":"gbtree""#, #""name":"dart""#, "booster"),
        (#""name":"binary:logistic""#, #""name":"rank:ndcg""#, "objective"),
        (#""num_target":"1""#, #""num_target":"2""#, "num_target"),
    ])
    func xgboostOptionsItCannotServeAreRefusedByName(
        original: String,
        replacement: String,
        attribute: String
    ) throws {
        let text = try Self.text("boosters-xgb-binary.xgb.json")
        #expect(text.contains(original))
        let changed = text.replacing(original, with: replacement)
        let failure = Self.failure(Array(changed.utf8))
        #expect(failure?.code == .unsupportedOption)
        #expect(failure?.attribute == attribute)
    }

    @Test(arguments: [
        ("is_linear=0", "is_linear=1", "linear_tree"),
        ("objective=binary sigmoid:1", "objective=lambdarank", "objective"),
        ("pandas_categorical:null", #"pandas_categorical:[["a","b"]]"#, "pandas_categorical"),
    ])
    func lightGBMOptionsItCannotServeAreRefusedByName(
        original: String,
        replacement: String,
        attribute: String
    ) throws {
        let text = try Self.text("boosters-lgbm-binary.lgbm.txt")
        #expect(text.contains(original))
        let changed = text.replacing(original, with: replacement)
        let failure = Self.failure(Array(changed.utf8))
        #expect(failure?.code == .unsupportedOption)
        #expect(failure?.attribute == attribute)
    }

    @Test func inconsistentTreesAreRefusedAtLoad() throws {
        let text = try Self.text("boosters-lgbm-regressor.lgbm.txt")
        // A child pointing back at the root would loop forever.
        let looping = text.replacing("left_child=1 ", with: "left_child=0 ")
        #expect(looping != text)
        #expect(Self.failure(Array(looping.utf8))?.code == .invalidAttribute)
        let json = try Self.text("boosters-xgb-regressor.xgb.json")
        let wideSplit = json.replacing(#""split_indices":[8,"#, with: #""split_indices":[99,"#)
        #expect(wideSplit != json)
        #expect(Self.failure(Array(wideSplit.utf8))?.code == .invalidAttribute)
    }

    /// A saved booster cut short anywhere fails to load cleanly; it never traps.
    @Test(arguments: [
        "boosters-xgb-categorical.xgb.json", "boosters-xgb-categorical.xgb.ubj",
        "boosters-lgbm-categorical.lgbm.txt",
    ])
    func truncatedBoostersFailCleanly(_ file: String) throws {
        let whole = try Self.bytes(file)
        for length in stride(from: 1, to: whole.count, by: max(1, whole.count / 400)) {
            _ = try? Self.load(Array(whole.prefix(length)))
        }
    }
}
