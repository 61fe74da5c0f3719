import Estimators

/// The element types of Open Inference tensors, spelled as the protocol spells them.
enum TensorDataType: String, CaseIterable {
    case bool = "BOOL"
    case uint8 = "UINT8"
    case uint16 = "UINT16"
    case uint32 = "UINT32"
    case uint64 = "UINT64"
    case int8 = "INT8"
    case int16 = "INT16"
    case int32 = "INT32"
    case int64 = "INT64"
    case fp16 = "FP16"
    case fp32 = "FP32"
    case fp64 = "FP64"
    case bytes = "BYTES"

    /// The tensor type of a model's labels, from the numpy dtype of its `classes_`.
    init(_ labels: LabelDataType) {
        switch labels {
        case .bool: self = .bool
        case .int8: self = .int8
        case .int16: self = .int16
        case .int32: self = .int32
        case .int64: self = .int64
        case .uint8: self = .uint8
        case .uint16: self = .uint16
        case .uint32: self = .uint32
        case .uint64: self = .uint64
        case .float16: self = .fp16
        case .float32: self = .fp32
        case .float64: self = .fp64
        case .string: self = .bytes
        }
    }

    /// For integer types, the values they hold as `lower ..< upper` in doubles (both
    /// bounds are powers of two, so exact); nil for the others.
    var integerBounds: (lower: Double, upper: Double)? {
        switch self {
        case .uint8: (0, 0x1p8)
        case .uint16: (0, 0x1p16)
        case .uint32: (0, 0x1p32)
        case .uint64: (0, 0x1p64)
        case .int8: (-0x1p7, 0x1p7)
        case .int16: (-0x1p15, 0x1p15)
        case .int32: (-0x1p31, 0x1p31)
        case .int64: (-0x1p63, 0x1p63)
        case .bool, .fp16, .fp32, .fp64, .bytes: nil
        }
    }

    /// Whether an integer type holds `literal` exactly: the check for values a double
    /// cannot place on the right side of a 64-bit bound.
    func holds(_ literal: JSONReader.IntegerLiteral) -> Bool {
        switch self {
        case .int64:
            literal.negative ? literal.magnitude <= 1 << 63 : literal.magnitude < 1 << 63
        case .uint64:
            !literal.negative || literal.magnitude == 0
        default:
            integerBounds.map { bounds in
                let magnitude = Double(literal.magnitude)
                let value = literal.negative ? -magnitude : magnitude
                return value >= bounds.lower && value < bounds.upper
            } ?? false
        }
    }

    /// The values an integer type holds, for messages.
    var rangeText: String {
        switch self {
        case .uint8: "0 to 255"
        case .uint16: "0 to 65535"
        case .uint32: "0 to 4294967295"
        case .uint64: "0 to 18446744073709551615"
        case .int8: "-128 to 127"
        case .int16: "-32768 to 32767"
        case .int32: "-2147483648 to 2147483647"
        case .int64: "-9223372036854775808 to 9223372036854775807"
        case .bool, .fp16, .fp32, .fp64, .bytes: ""
        }
    }

    /// `value` as an element of this floating-point type holds it (FP16 and FP32 round as
    /// numpy would store the tensor); nil when it is too large for the type. Other types
    /// keep the value.
    func rounded(_ value: Double) -> Double? {
        switch self {
        case .fp32:
            let narrowed = Float(value)
            return narrowed.isInfinite && !value.isInfinite ? nil : Double(narrowed)
        case .fp16:
            #if os(macOS) && arch(x86_64)
                // No Float16 there: range only.
                return abs(value) < 65520 ? value : nil
            #else
                let narrowed = Float16(value)
                return narrowed.isInfinite && !value.isInfinite ? nil : Double(narrowed)
            #endif
        default:
            return value
        }
    }

    /// The names, for messages that list what is accepted.
    static let names = allCases.map(\.rawValue).joined(separator: ", ")
}
