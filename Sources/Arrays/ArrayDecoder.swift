import Pickle

/// Reads numpy arrays and scalars out of the value graph.
///
/// It knows the three ways numpy arrays reach a pickle: `_reconstruct` + BUILD (every
/// protocol), `_frombuffer` (protocol 5), and joblib's wrapper (already replaced by an
/// ``NDArray`` while the stream was read, see ``JoblibArrayInterpreter``).
public enum ArrayDecoder {
    /// The array `value` holds, or nil if it is no numpy array.
    public static func array(_ value: PickleValue) throws(ArrayError) -> NDArray? {
        switch value {
        case .native(let native):
            return native as? NDArray
        case .object(let object):
            if NumpyNames.isReconstruct(object.qualifiedName) {
                return try reconstructed(object)
            }
            if NumpyNames.isFromBuffer(object.qualifiedName) {
                return try fromBuffer(object)
            }
            if NumpyNames.isScalar(object.qualifiedName) {
                return try scalar(object)
            }
            return nil
        default:
            return nil
        }
    }

    /// A number held as a Python int/float/bool or as a numpy scalar.
    public static func number(_ value: PickleValue) throws(ArrayError) -> Double? {
        switch value {
        case .int(let integer): return Double(integer)
        case .float(let double): return double
        case .bool(let flag): return flag ? 1 : 0
        case .object, .native:
            guard let array = try array(value), array.count == 1 else { return nil }
            return try array.doubles()[0]
        default: return nil
        }
    }

    /// The numbers of a numpy array, or of a Python list or tuple of numbers or of equally
    /// long such lists (a matrix), flattened row by row as `np.asarray` reads them; nil for
    /// anything else, a ragged list included.
    public static func numbers(_ value: PickleValue) throws(ArrayError) -> [Double]? {
        let items: [PickleValue]
        switch value {
        case .list(let list): items = list.items
        case .tuple(let tuple): items = tuple
        default: return try array(value)?.doubles()
        }
        var flat: [Double] = []
        var rowLength: Int?
        for item in items {
            if let number = try number(item) {
                flat.append(number)
                continue
            }
            guard let row = try numbers(item) else { return nil }
            guard rowLength == nil || rowLength == row.count else { return nil }
            rowLength = row.count
            flat += row
        }
        // Numbers beside rows make a ragged list, which numpy refuses.
        if let rowLength, flat.count != items.count * rowLength { return nil }
        return flat
    }

    /// `ndarray.__setstate__((version, shape, dtype, is_fortran, data))` after
    /// `_reconstruct(ndarray, (0,), b'b')`.
    private static func reconstructed(_ object: PickleObject) throws(ArrayError) -> NDArray {
        guard case .tuple(let state)? = object.state, state.count == 5 || state.count == 4 else {
            throw ArrayError.malformed("numpy array without a (version, shape, dtype, ...) state")
        }
        // Version 1 states start with the version number; the old 4-tuple omits it.
        let fields = state.count == 5 ? Array(state[1...]) : state
        let shape = try shapeTuple(fields[0])
        let dtype = try DType(pickled: fields[1])
        guard case .bool(let fortran) = fields[2] else {
            throw ArrayError.malformed("numpy array state has no is_fortran flag")
        }
        switch fields[3] {
        case .bytes(let bytes):
            return try NDArray(dtype: dtype, shape: shape, bytes: bytes, fortranOrder: fortran)
        case .string(let text):
            // Protocol 0–2 files written by Python 2 carry the data as a latin-1 str.
            let bytes = text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            return try NDArray(dtype: dtype, shape: shape, bytes: bytes, fortranOrder: fortran)
        case .object(let encoded) where encoded.qualifiedName == "_codecs.encode":
            return try NDArray(
                dtype: dtype,
                shape: shape,
                bytes: try latin1Bytes(encoded),
                fortranOrder: fortran
            )
        case .object(let empty) where isEmptyBytes(empty):
            return try NDArray(dtype: dtype, shape: shape, bytes: [], fortranOrder: fortran)
        case .list(let list):
            return try NDArray(objects: list.items, shape: shape, fortranOrder: fortran)
        default:
            throw ArrayError.malformed("numpy array data is a \(fields[3].kindName)")
        }
    }

    /// `_frombuffer(buffer, dtype, shape, order)` (protocol 5, in-band buffers).
    private static func fromBuffer(_ object: PickleObject) throws(ArrayError) -> NDArray {
        let arguments = object.arguments
        guard arguments.count == 4, case .bytes(let bytes) = arguments[0],
            case .string(let order) = arguments[3]
        else {
            throw ArrayError.malformed("numpy _frombuffer needs (buffer, dtype, shape, order)")
        }
        return try NDArray(
            dtype: try DType(pickled: arguments[1]),
            shape: try shapeTuple(arguments[2]),
            bytes: bytes,
            fortranOrder: order == "F"
        )
    }

    /// `scalar(dtype, raw_bytes)`: a 0-d array.
    private static func scalar(_ object: PickleObject) throws(ArrayError) -> NDArray {
        guard object.arguments.count == 2 else {
            throw ArrayError.malformed("numpy scalar needs (dtype, bytes)")
        }
        let dtype = try DType(pickled: object.arguments[0])
        switch object.arguments[1] {
        case .bytes(let bytes): return try NDArray(dtype: dtype, shape: [], bytes: bytes)
        case .object(let encoded) where encoded.qualifiedName == "_codecs.encode":
            return try NDArray(dtype: dtype, shape: [], bytes: try latin1Bytes(encoded))
        default:
            if dtype.kind == .object {
                return try NDArray(objects: [object.arguments[1]], shape: [])
            }
            throw ArrayError.malformed("numpy scalar data is a \(object.arguments[1].kindName)")
        }
    }

    /// Protocols 0–2 write an empty `bytes` as the call `bytes()` (`__builtin__.bytes` when
    /// Python 3 writes for Python 2), as they do for the data of every empty array.
    private static func isEmptyBytes(_ object: PickleObject) -> Bool {
        object.arguments.isEmpty && object.state == nil
            && (object.qualifiedName == "builtins.bytes"
                || object.qualifiedName == "__builtin__.bytes")
    }

    /// Protocol 2 writes `bytes` as `_codecs.encode(text, 'latin1')`: one code point per byte.
    private static func latin1Bytes(_ object: PickleObject) throws(ArrayError) -> [UInt8] {
        guard object.arguments.count == 2, case .string(let text) = object.arguments[0],
            case .string(let encoding) = object.arguments[1],
            ["latin1", "latin-1", "iso-8859-1"].contains(encoding.lowercased())
        else {
            throw ArrayError.malformed("_codecs.encode with arguments other than (str, 'latin1')")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else {
                throw ArrayError.malformed("latin-1 data holds a code point above 255")
            }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    static func shapeTuple(_ value: PickleValue) throws(ArrayError) -> [Int] {
        switch value {
        case .tuple(let items):
            var shape: [Int] = []
            for item in items {
                guard case .int(let dimension) = item else {
                    throw ArrayError.malformed("array shape holds \(item.kindName)")
                }
                shape.append(try Self.dimension(dimension))
            }
            return shape
        case .int(let dimension):
            return [try Self.dimension(dimension)]
        default:
            throw ArrayError.malformed("array shape is a \(value.kindName)")
        }
    }

    private static func dimension(_ value: Int64) throws(ArrayError) -> Int {
        guard value >= 0 else {
            throw ArrayError.malformed("array shape holds a negative dimension (\(value))")
        }
        return Int(value)
    }
}
