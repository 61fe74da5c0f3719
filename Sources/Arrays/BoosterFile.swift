import Pickle

/// The model files XGBoost and LightGBM write themselves (`Booster.save_model`), read into
/// the same value graph their pickled scikit-learn wrappers hold: an `xgboost.core.Booster`
/// whose `handle` is the model's JSON or UBJSON bytes, or a `lightgbm.basic.Booster` whose
/// `_handle` is the model text. The estimator layer then builds either from one entry.
enum BoosterFile {
    /// The booster format `bytes` are in, by their first bytes, or nil.
    static func format(of bytes: [UInt8]) -> ModelFile.Format? {
        if bytes.starts(with: Array("tree\nversion=".utf8))
            || bytes.starts(with: Array("tree\r\nversion=".utf8))
        {
            return .lightGBMText
        }
        // XGBoost's JSON opens with its "learner" member; other JSON is no model.
        if let first = bytes.firstIndex(where: { !isWhitespace($0) }),
            bytes[first] == UInt8(ascii: "{"),
            let second = bytes[(first + 1)...].firstIndex(where: { !isWhitespace($0) }),
            bytes[second...].starts(with: Array("\"learner\"".utf8))
        {
            return .xgboostJSON
        }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "{"),
            [
                UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"),
                UInt8(ascii: "L"),
            ].contains(bytes[1])
        {
            return .xgboostUBJSON
        }
        return nil
    }

    /// The synthetic graph for a booster file; nil for any other format.
    static func graph(_ bytes: [UInt8], format: ModelFile.Format) -> PickleValue? {
        let (module, name, key, value): (String, String, String, PickleValue)
        switch format {
        case .xgboostJSON, .xgboostUBJSON:
            (module, name, key, value) = ("xgboost.core", "Booster", "handle", .bytes(bytes))
        case .lightGBMText:
            let text = String(decoding: bytes, as: UTF8.self)
            (module, name, key, value) = ("lightgbm.basic", "Booster", "_handle", .string(text))
        default:
            return nil
        }
        return .object(
            PickleObject(
                callable: .global(module: module, name: name),
                construction: .newObject,
                arguments: [],
                state: .dict(PickleDict([(key: .string(key), value: value)]))
            )
        )
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
