/// One cell of a CSV record, as byte offsets into the body (quotes excluded).
struct CSVCell {
    var start: Int
    var end: Int
    /// The cell was written between quotes (`"a,b"`).
    var isQuoted: Bool
    /// A quoted cell holds `""`, which stands for one quote and must be undone before use.
    var hasDoubledQuotes: Bool

    var isEmpty: Bool { start == end }
}

/// Splits a `text/csv` body into records and cells as RFC 4180 writes them: cells separated
/// by commas, records by CRLF or LF, quoted cells that may hold commas, line breaks and
/// doubled quotes. Blank lines are skipped, as pandas skips them.
///
/// Every malformed record is a ``ServingError`` with code `invalid_csv` naming the line.
struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    /// The line the scanner is on, counted from 1, for messages.
    private(set) var line = 1
    /// A longer cell is refused (`--max-string-bytes`).
    let maxCellBytes: Int

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxCellBytes: Int = .max) {
        self.bytes = bytes
        self.maxCellBytes = maxCellBytes
        // Spreadsheets often start their CSV with a UTF-8 byte order mark.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        position = bytes.count >= 3 && Array(bytes[0..<3]) == bom ? 3 : 0
    }

    func error(_ message: String, line: Int? = nil) -> ServingError {
        ServingError(.invalidCSV, "invalid CSV at line \(line ?? self.line): \(message)")
    }

    /// Skips blank lines before a record; false when the body has no more records.
    mutating func startRecord() -> Bool {
        while position < bytes.count {
            switch bytes[position] {
            case Self.newline, Self.carriageReturn: consumeLineBreak()
            default: return true
            }
        }
        return false
    }

    /// Reads the next cell of the current record; `endsRecord` when it was the last one.
    mutating func readCell() throws(ServingError) -> (cell: CSVCell, endsRecord: Bool) {
        let startLine = line
        let scanned = try scanCell()
        guard scanned.cell.end - scanned.cell.start <= maxCellBytes else {
            throw ServingError(
                .stringTooLong,
                "the cell at line \(startLine) is longer than \(maxCellBytes) bytes, the server's "
                    + "limit (--max-string-bytes)"
            )
        }
        return scanned
    }

    private mutating func scanCell() throws(ServingError) -> (cell: CSVCell, endsRecord: Bool) {
        guard position < bytes.count, bytes[position] == Self.quote else {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == Self.comma || byte == Self.newline || byte == Self.carriageReturn {
                    break
                }
                if byte == Self.quote {
                    throw error(
                        "a quote inside a cell that does not start with one; quote the cell"
                    )
                }
                position += 1
            }
            let cell = CSVCell(
                start: start,
                end: position,
                isQuoted: false,
                hasDoubledQuotes: false
            )
            return (cell, try finishCell())
        }
        let openingLine = line
        position += 1
        let start = position
        var hasDoubledQuotes = false
        while true {
            guard position < bytes.count else {
                throw error("a quoted cell is not closed", line: openingLine)
            }
            let byte = bytes[position]
            if byte == Self.quote {
                guard position + 1 < bytes.count, bytes[position + 1] == Self.quote else { break }
                hasDoubledQuotes = true
                position += 2
                continue
            }
            if byte == Self.newline { line += 1 }
            position += 1
        }
        let cell = CSVCell(
            start: start,
            end: position,
            isQuoted: true,
            hasDoubledQuotes: hasDoubledQuotes
        )
        position += 1
        return (cell, try finishCell())
    }

    /// After a cell: consumes the comma (more cells follow) or the line break (the record
    /// ends), or fails on anything else.
    private mutating func finishCell() throws(ServingError) -> Bool {
        guard position < bytes.count else { return true }
        switch bytes[position] {
        case Self.comma:
            position += 1
            return false
        case Self.newline, Self.carriageReturn:
            consumeLineBreak()
            return true
        default:
            throw error("a quoted cell must be followed by a comma or the end of the line")
        }
    }

    private mutating func consumeLineBreak() {
        if bytes[position] == Self.carriageReturn, position + 1 < bytes.count,
            bytes[position + 1] == Self.newline
        {
            position += 1
        }
        position += 1
        line += 1
    }

    /// The cell's text, doubled quotes undone; nil when it is not valid UTF-8.
    func text(_ cell: CSVCell) -> String? {
        let raw = bytes[cell.start..<cell.end]
        guard cell.hasDoubledQuotes else { return String(validating: raw, as: UTF8.self) }
        var unquoted: [UInt8] = []
        unquoted.reserveCapacity(raw.count)
        var skipNext = false
        for byte in raw {
            if skipNext {
                skipNext = false
                continue
            }
            unquoted.append(byte)
            skipNext = byte == Self.quote
        }
        return String(validating: unquoted, as: UTF8.self)
    }

    /// The cell as a number, read exactly as the JSON reader reads one (JSON's number
    /// syntax, correctly rounded); spaces around it are allowed. Nil for anything else.
    func number(_ cell: CSVCell) -> Double? {
        var start = cell.start
        var end = cell.end
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end, cell.hasDoubledQuotes == false else { return nil }
        let first = bytes[start]
        guard first == UInt8(ascii: "-") || (first &- UInt8(ascii: "0")) < 10 else { return nil }
        var reader = JSONReader(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        guard let value = try? reader.readNumber(), reader.isAtEnd else { return nil }
        return value
    }
}
