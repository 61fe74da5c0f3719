import Pickle

/// Reads the arrays that `joblib.dump` writes outside the pickle opcodes.
///
/// joblib replaces each numpy array with a `NumpyArrayWrapper` whose BUILD state gives
/// dtype, shape and order; right after that BUILD the stream holds one padding-length byte
/// and that many pad bytes (joblib ≥ 1.2, when the state has
/// `numpy_array_alignment_bytes`), then the raw elements, or, for object arrays, a whole
/// nested pickle of the array.
public struct JoblibArrayInterpreter: PickleBuildInterpreter {
    public init() {}

    public func valueAfterBuild(
        of object: PickleObject,
        input: inout PickleInput,
        machine: PickleMachine
    ) throws(PickleError) -> PickleValue? {
        if NumpyNames.isOldJoblibWrapper(object.qualifiedName) {
            var file = "a side file"
            if case .string(let name)? = object.stateDict?["filename"] { file = "'\(name)'" }
            throw PickleError(
                .unsupported,
                offset: input.position,
                opcode: "BUILD",
                "an array is stored in \(file) (joblib's multi-file format, before 0.10): load "
                    + "the model in Python with joblib.load and save it again with joblib.dump"
            )
        }
        guard NumpyNames.isJoblibWrapper(object.qualifiedName) else { return nil }
        let start = input.position
        do {
            return .native(try readArray(object, input: &input, machine: machine))
        } catch let error as ArrayError {
            throw PickleError(
                .malformed,
                offset: start,
                opcode: "BUILD",
                "joblib array: \(error.message)"
            )
        } catch let error as PickleError {
            throw error
        } catch {
            throw PickleError(.malformed, offset: start, opcode: "BUILD", "joblib array: \(error)")
        }
    }

    private func readArray(
        _ wrapper: PickleObject,
        input: inout PickleInput,
        machine: PickleMachine
    ) throws -> NDArray {
        guard let state = wrapper.stateDict, let dtypeValue = state["dtype"],
            let shapeValue = state["shape"]
        else {
            throw ArrayError.malformed("NumpyArrayWrapper without dtype and shape")
        }
        let dtype = try DType(pickled: dtypeValue)
        let shape = try ArrayDecoder.shapeTuple(shapeValue)
        var fortran = false
        if case .string(let order)? = state["order"] { fortran = order == "F" }

        if dtype.kind == .object {
            // A nested, self-contained pickle of the whole object array (own memo).
            let nested = try machine.nested(at: input.position).load(from: &input)
            guard let array = try ArrayDecoder.array(nested) else {
                throw ArrayError.malformed("the nested pickle of an object array holds no array")
            }
            return array
        }
        if case .int? = state["numpy_array_alignment_bytes"] {
            let padding = Int(try input.readByte())
            try input.skip(padding)
        }
        let count = try NDArray.elementCount(shape)
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow else { throw ArrayError.malformed("array shape \(shape) is too large") }
        let bytes = Array(try input.read(byteCount))
        return try NDArray(dtype: dtype, shape: shape, bytes: bytes, fortranOrder: fortran)
    }
}
