import Pickle

/// A numpy array rebuilt from a pickle: dtype, shape and elements in C (row-major) order,
/// little-endian.
///
/// Arrays of numbers and records keep their raw bytes; object arrays keep the pickled
/// values of their elements (strings, nested arrays, estimator objects) for the layer
/// above to interpret.
public struct NDArray {
    public enum Storage {
        case raw([UInt8])
        case objects([PickleValue])
    }

    public let dtype: DType
    public let shape: [Int]
    public let storage: Storage

    /// Builds an array from bytes in `fortranOrder` or C order, checking the byte count.
    public init(dtype: DType, shape: [Int], bytes: [UInt8], fortranOrder: Bool = false)
        throws(ArrayError)
    {
        let count = try Self.elementCount(shape)
        let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, bytes.count == expected else {
            throw ArrayError.malformed(
                "array of shape \(shape) and dtype \(dtype) needs \(expected) bytes, has \(bytes.count)"
            )
        }
        guard dtype.kind != .object else {
            throw ArrayError.malformed("an object array cannot be rebuilt from raw bytes")
        }
        var data = bytes
        if fortranOrder, shape.count > 1 {
            data = Self.fortranToC(bytes, shape: shape, itemSize: dtype.itemSize)
        }
        var normalized = dtype
        if dtype.isBigEndian, dtype.kind != .void {
            // Unicode swaps per 4-byte code point, complex per float of the pair.
            let swapSize =
                dtype.kind == .unicode
                ? 4 : dtype.kind == .complex ? dtype.itemSize / 2 : dtype.itemSize
            Self.swapByteOrder(&data, elementSize: swapSize)
            normalized.isBigEndian = false
        }
        if dtype.kind == .void {
            // A record's byte order is '|'; its fields carry their own ('>i4').
            try Self.swapBigEndianFields(&data, dtype: &normalized)
        }
        self.dtype = normalized
        self.shape = shape
        self.storage = .raw(data)
    }

    /// Builds an object array from its elements (C order).
    public init(objects: [PickleValue], shape: [Int], fortranOrder: Bool = false)
        throws(ArrayError)
    {
        let count = try Self.elementCount(shape)
        guard objects.count == count else {
            throw ArrayError.malformed(
                "object array of shape \(shape) has \(objects.count) elements"
            )
        }
        var elements = objects
        if fortranOrder, shape.count > 1 {
            elements = Self.fortranToC(objects, shape: shape)
        }
        self.dtype = DType(kind: .object, itemSize: 8)
        self.shape = shape
        self.storage = .objects(elements)
    }

    /// Number of elements (the product of the shape; 1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }

    static func elementCount(_ shape: [Int]) throws(ArrayError) -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { throw ArrayError.malformed("negative dimension") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Int(Int32.max) * 64 else {
                throw ArrayError.malformed("array shape \(shape) is too large")
            }
            count = product
        }
        return count
    }
}

// MARK: - Typed access

extension NDArray {
    /// The elements as doubles, converting from any numeric or boolean dtype.
    public func doubles() throws(ArrayError) -> [Double] {
        guard case .raw(let bytes) = storage else {
            throw ArrayError.malformed("expected a numeric array, found dtype \(dtype)")
        }
        return try Self.doubles(
            bytes,
            dtype: dtype,
            offset: 0,
            stride: dtype.itemSize,
            count: count
        )
    }

    /// The elements of a complex array as (real, imaginary) pairs of doubles.
    public func complexParts() throws(ArrayError) -> [(real: Double, imaginary: Double)] {
        guard case .raw(let bytes) = storage, dtype.kind == .complex else {
            throw ArrayError.malformed("expected a complex array, found dtype \(dtype)")
        }
        let part = DType(kind: .float, itemSize: dtype.itemSize / 2)
        let flat = try Self.doubles(
            bytes,
            dtype: part,
            offset: 0,
            stride: part.itemSize,
            count: count * 2
        )
        return (0..<count).map { (flat[2 * $0], flat[2 * $0 + 1]) }
    }

    /// The elements as 64-bit integers, from any integer or boolean dtype.
    public func integers() throws(ArrayError) -> [Int64] {
        guard case .raw(let bytes) = storage else {
            throw ArrayError.malformed("expected an integer array, found dtype \(dtype)")
        }
        return try Self.integers(
            bytes,
            dtype: dtype,
            offset: 0,
            stride: dtype.itemSize,
            count: count
        )
    }

    /// The elements of an object array of `str`, or of a fixed-width unicode (`U`) or bytes
    /// (`S`) array. As numpy reads a fixed-width element, only its trailing NULs are padding:
    /// a NUL before other characters is part of the text. A bytes element becomes one code
    /// point per byte (Latin-1), so every byte survives.
    public func strings() throws(ArrayError) -> [String] {
        switch storage {
        case .objects(let values):
            var strings: [String] = []
            strings.reserveCapacity(values.count)
            for value in values {
                guard case .string(let text) = value else {
                    throw ArrayError.malformed("expected strings, found \(value.kindName)")
                }
                strings.append(text)
            }
            return strings
        case .raw(let bytes):
            switch dtype.kind {
            case .unicode:
                return Self.unicodeStrings(bytes, itemSize: dtype.itemSize, count: count)
            case .bytes:
                return Self.byteStrings(bytes, itemSize: dtype.itemSize, count: count)
            default:
                throw ArrayError.malformed("expected strings, found dtype \(dtype)")
            }
        }
    }

    /// The elements of an object array.
    public func objects() throws(ArrayError) -> [PickleValue] {
        guard case .objects(let values) = storage else {
            throw ArrayError.malformed("expected an object array, found dtype \(dtype)")
        }
        return values
    }

    /// One field of a structured (record) array, as doubles.
    public func fieldDoubles(_ name: String) throws(ArrayError) -> [Double] {
        let (bytes, field) = try recordField(name)
        return try Self.doubles(
            bytes,
            dtype: field.dtype,
            offset: field.offset,
            stride: dtype.itemSize,
            count: count
        )
    }

    /// One field of a structured (record) array, as 64-bit integers.
    public func fieldIntegers(_ name: String) throws(ArrayError) -> [Int64] {
        let (bytes, field) = try recordField(name)
        return try Self.integers(
            bytes,
            dtype: field.dtype,
            offset: field.offset,
            stride: dtype.itemSize,
            count: count
        )
    }

    public func hasField(_ name: String) -> Bool {
        dtype.field(named: name) != nil
    }

    private func recordField(_ name: String) throws(ArrayError) -> ([UInt8], DType.Field) {
        guard case .raw(let bytes) = storage, let field = dtype.field(named: name) else {
            throw ArrayError.malformed("record array \(dtype) has no field '\(name)'")
        }
        return (bytes, field)
    }
}

// MARK: - Element decoding

extension NDArray {
    private static func doubles(
        _ bytes: [UInt8],
        dtype: DType,
        offset: Int,
        stride: Int,
        count: Int
    ) throws(ArrayError) -> [Double] {
        switch (dtype.kind, dtype.itemSize) {
        case (.float, 8): return load(bytes, Double.self, offset, stride, count) { $0 }
        case (.float, 4): return load(bytes, Float.self, offset, stride, count) { Double($0) }
        case (.float, 2):
            return load(bytes, UInt16.self, offset, stride, count) {
                Double(Float16(bitPattern: $0))
            }
        case (.signedInteger, _), (.unsignedInteger, _), (.boolean, _):
            return try integers(bytes, dtype: dtype, offset: offset, stride: stride, count: count)
                .map { Double($0) }
        default:
            throw ArrayError.malformed("expected numbers, found dtype \(dtype)")
        }
    }

    private static func integers(
        _ bytes: [UInt8],
        dtype: DType,
        offset: Int,
        stride: Int,
        count: Int
    ) throws(ArrayError) -> [Int64] {
        switch (dtype.kind, dtype.itemSize) {
        case (.signedInteger, 8): return load(bytes, Int64.self, offset, stride, count) { $0 }
        case (.signedInteger, 4):
            return load(bytes, Int32.self, offset, stride, count) { Int64($0) }
        case (.signedInteger, 2):
            return load(bytes, Int16.self, offset, stride, count) { Int64($0) }
        case (.signedInteger, 1): return load(bytes, Int8.self, offset, stride, count) { Int64($0) }
        case (.unsignedInteger, 8):
            return load(bytes, UInt64.self, offset, stride, count) {
                Int64(truncatingIfNeeded: $0)
            }
        case (.unsignedInteger, 4):
            return load(bytes, UInt32.self, offset, stride, count) { Int64($0) }
        case (.unsignedInteger, 2):
            return load(bytes, UInt16.self, offset, stride, count) { Int64($0) }
        case (.unsignedInteger, 1), (.boolean, _):
            return load(bytes, UInt8.self, offset, stride, count) { Int64($0) }
        default:
            throw ArrayError.malformed("expected integers, found dtype \(dtype)")
        }
    }

    private static func load<Element, Result>(
        _ bytes: [UInt8],
        _: Element.Type,
        _ offset: Int,
        _ stride: Int,
        _ count: Int,
        _ convert: (Element) -> Result
    ) -> [Result] where Element: FixedWidthInteger & BitwiseCopyable {
        var result: [Result] = []
        result.reserveCapacity(count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                let value = raw.loadUnaligned(
                    fromByteOffset: offset + index * stride,
                    as: Element.self
                )
                result.append(convert(Element(littleEndian: value)))
            }
        }
        return result
    }

    private static func load<Result>(
        _ bytes: [UInt8],
        _: Double.Type,
        _ offset: Int,
        _ stride: Int,
        _ count: Int,
        _ convert: (Double) -> Result
    ) -> [Result] {
        load(bytes, UInt64.self, offset, stride, count) { convert(Double(bitPattern: $0)) }
    }

    private static func load<Result>(
        _ bytes: [UInt8],
        _: Float.Type,
        _ offset: Int,
        _ stride: Int,
        _ count: Int,
        _ convert: (Float) -> Result
    ) -> [Result] {
        load(bytes, UInt32.self, offset, stride, count) { convert(Float(bitPattern: $0)) }
    }

    private static func unicodeStrings(_ bytes: [UInt8], itemSize: Int, count: Int) -> [String] {
        var strings: [String] = []
        let characters = itemSize / 4
        let codes = load(bytes, UInt32.self, 0, 4, count * characters) { $0 }
        for index in 0..<count {
            let element = codes[(index * characters)..<((index + 1) * characters)]
            var scalars = String.UnicodeScalarView()
            for code in Self.withoutTrailingNULs(element) {
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            }
            strings.append(String(scalars))
        }
        return strings
    }

    private static func byteStrings(_ bytes: [UInt8], itemSize: Int, count: Int) -> [String] {
        (0..<count).map { index in
            let element = bytes[(index * itemSize)..<((index + 1) * itemSize)]
            var scalars = String.UnicodeScalarView()
            for byte in Self.withoutTrailingNULs(element) { scalars.append(Unicode.Scalar(byte)) }
            return String(scalars)
        }
    }

    /// A fixed-width element without the NULs numpy pads it with; NULs before the last
    /// other character stay, as numpy keeps them.
    private static func withoutTrailingNULs<Code: FixedWidthInteger>(
        _ element: ArraySlice<Code>
    ) -> ArraySlice<Code> {
        guard let last = element.lastIndex(where: { $0 != 0 }) else { return element.prefix(0) }
        return element[...last]
    }

    private static func swapBigEndianFields(_ bytes: inout [UInt8], dtype: inout DType)
        throws(ArrayError)
    {
        for index in dtype.fields.indices where dtype.fields[index].dtype.isBigEndian {
            let field = dtype.fields[index]
            guard field.dtype.kind != .void else { continue }
            let width = field.dtype.kind == .unicode ? 4 : field.dtype.itemSize
            guard field.offset >= 0, field.offset + field.dtype.itemSize <= dtype.itemSize,
                width > 0, field.dtype.itemSize % width == 0
            else {
                throw ArrayError.malformed("field '\(field.name)' does not fit its record")
            }
            if width > 1 {
                for record in stride(from: 0, to: bytes.count, by: dtype.itemSize) {
                    let start = record + field.offset
                    for element in stride(from: start, to: start + field.dtype.itemSize, by: width)
                    {
                        bytes[element..<(element + width)].reverse()
                    }
                }
            }
            dtype.fields[index].dtype.isBigEndian = false
        }
    }

    private static func swapByteOrder(_ bytes: inout [UInt8], elementSize: Int) {
        guard elementSize > 1 else { return }
        for start in stride(from: 0, to: bytes.count, by: elementSize) {
            bytes[start..<(start + elementSize)].reverse()
        }
    }

    /// Reorders column-major elements into row-major order.
    private static func fortranToC<Element>(_ elements: [Element], shape: [Int]) -> [Element] {
        var result = elements
        forEachPosition(shape) { cIndex, fortranIndex in
            result[cIndex] = elements[fortranIndex]
        }
        return result
    }

    /// Reorders column-major elements of `itemSize` bytes each into row-major order, one
    /// copy per element (a large Cholesky factor is Fortran-ordered and hundreds of MB).
    private static func fortranToC(_ bytes: [UInt8], shape: [Int], itemSize: Int) -> [UInt8] {
        // Zero-sized records ('V0') have no bytes to reorder.
        guard itemSize > 0 else { return bytes }
        var result = [UInt8](repeating: 0, count: bytes.count)
        bytes.withUnsafeBytes { source in
            result.withUnsafeMutableBytes { target in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                forEachPosition(shape) { cIndex, fortranIndex in
                    (to + cIndex * itemSize).copyMemory(
                        from: from + fortranIndex * itemSize,
                        byteCount: itemSize
                    )
                }
            }
        }
        return result
    }

    /// Calls `body` with each element's row-major and column-major position, in row-major
    /// order, keeping the column-major position up to date as the last axis advances.
    private static func forEachPosition(_ shape: [Int], _ body: (Int, Int) -> Void) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        // Column-major strides: axis 0 varies fastest.
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropFirst() {
            strides[axis] = strides[axis - 1] * shape[axis - 1]
        }
        var index = [Int](repeating: 0, count: shape.count)
        var fortranIndex = 0
        for cIndex in 0..<count {
            body(cIndex, fortranIndex)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                fortranIndex += strides[axis]
                if index[axis] < shape[axis] { break }
                fortranIndex -= shape[axis] * strides[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
