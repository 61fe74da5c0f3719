/// Bytes from a readable notation: `<hh>` is one byte in hex, every other character is
/// its ASCII byte. `bytes("<80><02>K<05>.")` is `80 02 4B 05 2E`.
public func bytes(_ notation: String) -> [UInt8] {
    var result: [UInt8] = []
    let characters = Array(notation.utf8)
    var index = 0
    while index < characters.count {
        if characters[index] == UInt8(ascii: "<"), index + 3 < characters.count,
            characters[index + 3] == UInt8(ascii: ">"),
            let value = UInt8(
                String(decoding: characters[(index + 1)...(index + 2)], as: UTF8.self),
                radix: 16
            )
        {
            result.append(value)
            index += 4
        } else {
            precondition(characters[index] < 0x80, "use <hh> for bytes above 0x7F")
            result.append(characters[index])
            index += 1
        }
    }
    return result
}
