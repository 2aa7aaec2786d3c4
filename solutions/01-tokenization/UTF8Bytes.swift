// Solution 01.1 (tokenization.utf8-bytes): the bit patterns of UTF-8, one scalar at a time.


/// The UTF-8 bytes of `text`, computed from its Unicode scalars.
///
/// Every Unicode scalar has a number, its code point (`scalar.value`, a `UInt32` from 0 to
/// 0x10FFFF). UTF-8 writes a code point in 1 to 4 bytes, depending on how many bits it needs:
///
///     code point          bytes  bit pattern (x = the code point's bits, high bits first)
///     0x0000 ... 0x007F   1      0xxxxxxx
///     0x0080 ... 0x07FF   2      110xxxxx 10xxxxxx
///     0x0800 ... 0xFFFF   3      1110xxxx 10xxxxxx 10xxxxxx
///     0x10000 ... 0x10FFFF 4     11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
///
/// The last byte holds the lowest 6 bits, the byte before it the next 6, and so on; the first
/// byte holds what is left. `value >> 6` shifts bits away, `value & 0x3F` keeps the lowest 6,
/// and `0x80 | bits` sets the leading 10 of a continuation byte.
///
/// - Parameter text: any text.
/// - Returns: its bytes, scalar after scalar; `[]` for `""`.
///
///     utf8Bytes(of: "a")     // [0x61]
///     utf8Bytes(of: "é")     // [0xC3, 0xA9]              U+00E9
///     utf8Bytes(of: "€")     // [0xE2, 0x82, 0xAC]        U+20AC
///     utf8Bytes(of: "🙂")    // [0xF0, 0x9F, 0x99, 0x82]  U+1F642
public func utf8Bytes(of text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            // 0xxxxxxx: ASCII stays itself.
            bytes.append(UInt8(value))
        case 0x80..<0x800:
            // 110xxxxx 10xxxxxx: 5 + 6 bits.
            bytes.append(0xC0 | UInt8(value >> 6))
            bytes.append(0x80 | UInt8(value & 0x3F))
        case 0x800..<0x10000:
            // 1110xxxx 10xxxxxx 10xxxxxx: 4 + 6 + 6 bits.
            bytes.append(0xE0 | UInt8(value >> 12))
            bytes.append(0x80 | UInt8((value >> 6) & 0x3F))
            bytes.append(0x80 | UInt8(value & 0x3F))
        default:
            // 11110xxx and three continuation bytes: 3 + 6 + 6 + 6 bits (up to U+10FFFF).
            bytes.append(0xF0 | UInt8(value >> 18))
            bytes.append(0x80 | UInt8((value >> 12) & 0x3F))
            bytes.append(0x80 | UInt8((value >> 6) & 0x3F))
            bytes.append(0x80 | UInt8(value & 0x3F))
        }
    }
    return bytes
}
