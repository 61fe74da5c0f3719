import Arrays
import Pickle
import TestSupport
import Testing

/// Builds zip archives byte by byte, so each test can break exactly one thing.
struct SkopsTestZip {
    struct Entry {
        var name: String
        var data: [UInt8]
        /// 0 stored, 8 deflate (written as deflate "stored" blocks), or any other number.
        var method: UInt16 = 0
        var flags: UInt16 = 0
        var crc: UInt32? = nil
        var size: UInt32? = nil
    }

    var entries: [Entry] = []
    /// Entries the end record claims, when it should lie.
    var claimedCount: UInt16? = nil

    mutating func add(_ name: String, _ data: [UInt8], method: UInt16 = 0) {
        entries.append(Entry(name: name, data: data, method: method))
    }

    mutating func add(_ name: String, text: String, method: UInt16 = 0) {
        add(name, Array(text.utf8), method: method)
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let payload = entry.method == 8 ? Self.deflateStored(entry.data) : entry.data
            let crc = entry.crc ?? CRC32.checksum(entry.data)
            let size = entry.size ?? UInt32(entry.data.count)
            let offset = UInt32(out.count)
            let name = Array(entry.name.utf8)
            out += le32(0x0403_4B50) + le16(20) + le16(entry.flags) + le16(entry.method)
            out += le32(0) + le32(crc) + le32(UInt32(payload.count)) + le32(size)
            out += le16(UInt16(name.count)) + le16(0) + name + payload
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(entry.flags)
            central += le16(entry.method) + le32(0) + le32(crc) + le32(UInt32(payload.count))
            central += le32(size) + le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0)
            central += le16(0) + le32(0) + le32(offset) + name
        }
        let start = UInt32(out.count)
        out += central
        let count = claimedCount ?? UInt16(entries.count)
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(count) + le16(count)
        out += le32(UInt32(central.count)) + le32(start) + le16(0)
        return out
    }

    /// A raw deflate stream of "stored" blocks: valid deflate that zlib must inflate.
    static func deflateStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(data.count, start + 65_535)
            let length = UInt16(end - start)
            out.append(end == data.count ? 1 : 0)
            out += le16(length) + le16(~length)
            out += data[start..<end]
            start = end
        } while start < data.count
        return out
    }
}

func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }

func le32(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8((value >> (8 * UInt32($0))) & 0xFF) }
}

/// A `.npy` file (format 1.0) of the given header text and raw data.
func npy(_ header: String, _ data: [UInt8], version: UInt8 = 1) -> [UInt8] {
    var text = Array(header.utf8)
    let prefix = version == 1 ? 10 : 12
    while (prefix + text.count + 1) % 64 != 0 { text.append(0x20) }
    text.append(0x0A)
    var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
    out += version == 1 ? le16(UInt16(text.count)) : le32(UInt32(text.count))
    return out + text + data
}

func float64Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { value in (0..<8).map { UInt8((value.bitPattern >> (8 * UInt64($0))) & 0xFF) } }
}

/// A skops node as JSON text.
func skopsNode(
    _ loader: String,
    _ module: String,
    _ name: String,
    id: Int? = nil,
    _ extra: String = ""
) -> String {
    let identity = id.map { ", \"__id__\": \($0)" } ?? ""
    let rest = extra.isEmpty ? "" : ", " + extra
    return "{\"__loader__\": \"\(loader)\", \"__module__\": \"\(module)\", "
        + "\"__class__\": \"\(name)\"\(identity)\(rest)}"
}

func jsonNode(_ text: String, id: Int? = nil) -> String {
    let escaped = text.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"")
    return skopsNode("JsonNode", "builtins", "str", id: id, "\"content\": \"\(escaped)\"")
}

func listNode(_ items: [String], id: Int? = nil) -> String {
    skopsNode(
        "ListNode",
        "builtins",
        "list",
        id: id,
        "\"content\": [\(items.joined(separator: ", "))]"
    )
}

func dictNode(_ members: [(String, String)], id: Int? = nil) -> String {
    let keyTypes = listNode(members.map { _ in skopsNode("TypeNode", "builtins", "str") })
    let content = members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ")
    return skopsNode(
        "DictNode",
        "builtins",
        "dict",
        id: id,
        "\"content\": {\(content)}, \"key_types\": \(keyTypes)"
    )
}

/// A skops file whose schema is `root` (a node's JSON, given the protocol) plus members.
func skopsFile(_ root: String, protocol version: Int = 2, members: [(String, [UInt8])] = [])
    -> [UInt8]
{
    let schema = skopsSchema(root, protocol: version)
    var zip = SkopsTestZip()
    for (name, data) in members { zip.add(name, data) }
    zip.add("schema.json", text: schema)
    return zip.bytes
}

/// schema.json for a root node: the node with the protocol and skops version added.
func skopsSchema(_ root: String, protocol version: Int = 2) -> String {
    String(root.dropLast()) + ", \"protocol\": \(version), \"_skops_version\": \"0.16.0\"}"
}

/// The ArrayError a load throws, or nil when it loads.
func skopsError(_ bytes: [UInt8], limit: Int? = nil) -> ArrayError? {
    do {
        _ = try SkopsFile.load(bytes, maxDecompressedBytes: limit)
        return nil
    } catch {
        return error
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for character in self { out += character == target ? replacement : String(character) }
        return out
    }
}

/// The members of a zip whose members are all stored, in order, read from their local
/// headers (enough for the stored skops fixtures).
func storedMembers(_ bytes: [UInt8]) -> [(name: String, data: [UInt8])] {
    func number(_ at: Int, _ width: Int) -> Int {
        (0..<width).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }
    var members: [(name: String, data: [UInt8])] = []
    var position = 0
    while position + 30 <= bytes.count, number(position, 4) == 0x0403_4B50 {
        let size = number(position + 18, 4)
        let nameLength = number(position + 26, 2)
        let extraLength = number(position + 28, 2)
        let nameStart = position + 30
        let dataStart = nameStart + nameLength + extraLength
        let name = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
        members.append((name, Array(bytes[dataStart..<(dataStart + size)])))
        position = dataStart + size
    }
    return members
}
