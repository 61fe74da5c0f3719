import Estimators
import Pickle
import Testing

/// Preprocessing options Augur does not serve are refused when the model loads, naming the
/// class and the option.
@Suite struct PreprocessingLoadTests {
    /// A state value for ``object(_:_:state:)``.
    enum Cell {
        case text(String)
        case integer(UInt8)
        case global(String, String)
    }

    /// A pickled `module.name` object with a `__dict__` state, made from opcodes.
    static func object(_ module: String, _ name: String, state: [(String, Cell)]) throws
        -> PickleValue
    {
        func text(_ string: String) -> [UInt8] {
            let bytes = Array(string.utf8)
            return [0x8C, UInt8(bytes.count)] + bytes  // SHORT_BINUNICODE
        }
        var bytes: [UInt8] = [0x80, 0x04] + text(module) + text(name) + [0x93]  // STACK_GLOBAL
        bytes += [0x29, 0x81, 0x7D]  // EMPTY_TUPLE NEWOBJ EMPTY_DICT
        for (key, value) in state {
            bytes += text(key)
            switch value {
            case .text(let string): bytes += text(string)
            case .integer(let integer): bytes += [0x4B, integer]  // BININT1
            case .global(let module, let name): bytes += text(module) + text(name) + [0x93]
            }
            bytes += [0x73]  // SETITEM
        }
        return try PickleMachine().load(bytes + [0x62, 0x2E])  // BUILD STOP
    }

    static func refusal(_ value: PickleValue) -> EstimatorError? {
        do {
            _ = try EstimatorRegistry.model(from: value)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFunctionOutsideTheUfuncListIsNamed() throws {
        let failure = Self.refusal(
            try Self.object(
                "sklearn.preprocessing._function_transformer",
                "FunctionTransformer",
                state: [("func", .global("numpy", "sin")), ("n_features_in_", .integer(3))]
            )
        )
        #expect(failure?.code == .unsupportedOption)
        #expect(failure?.attribute == "func")
        #expect(failure?.description.contains("numpy.sin") == true)
    }

    @Test func keywordArgumentsToAFunctionAreRefused() throws {
        let failure = Self.refusal(
            try Self.object(
                "sklearn.preprocessing._function_transformer",
                "FunctionTransformer",
                state: [
                    ("func", .global("numpy", "log1p")), ("kw_args", .text("anything")),
                    ("n_features_in_", .integer(3)),
                ]
            )
        )
        #expect(failure?.code == .unsupportedOption)
        #expect(failure?.attribute == "kw_args")
    }

    @Test func aFunctionTransformerOfAnyWidthIsRefusedStandingAlone() throws {
        let failure = Self.refusal(
            try Self.object(
                "sklearn.preprocessing._function_transformer",
                "FunctionTransformer",
                state: [("func", .global("numpy", "log1p"))]
            )
        )
        #expect(failure?.code == .unsupportedOption)
        #expect(failure?.attribute == "n_features_in_")
        #expect(failure?.description.contains("only as a step of a Pipeline") == true)
    }

    @Test func anUnknownNormIsNamed() throws {
        let failure = Self.refusal(
            try Self.object(
                "sklearn.preprocessing._data",
                "Normalizer",
                state: [("norm", .text("l3")), ("n_features_in_", .integer(2))]
            )
        )
        #expect(failure?.code == .unsupportedOption)
        #expect(failure?.attribute == "norm")
    }

    @Test func anUnknownEncodingIsNamed() throws {
        let failure = Self.refusal(
            try Self.object(
                "sklearn.preprocessing._discretization",
                "KBinsDiscretizer",
                state: [("encode", .text("binary")), ("n_features_in_", .integer(2))]
            )
        )
        #expect(failure?.code == .unsupportedOption)
        #expect(failure?.attribute == "encode")
    }

    @Test func anUnfittedScalerNamesTheMissingAttribute() throws {
        let failure = Self.refusal(
            try Self.object(
                "sklearn.preprocessing._data",
                "MinMaxScaler",
                state: [("n_features_in_", .integer(2))]
            )
        )
        #expect(failure?.code == .invalidAttribute)
        #expect(failure?.attribute == "scale_")
    }
}
