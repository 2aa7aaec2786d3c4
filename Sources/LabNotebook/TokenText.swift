// Showing tokens and counts the same way in every lesson and in `lab`.
//
// A token is a string of bytes, not always a whole character: "🙂" is four bytes and a small
// vocabulary may hold only some of them. Whole characters are shown as themselves, a space as
// "␣", a line break as "↵", a tab as "⇥", and any byte that is not part of a complete character
// (or is a control character) as its value in hex, "<F0>". Lesson 01 explains the spelling.
// Left out: GPT-2's file spelling of bytes (" the" as "Ġthe"), which is the kernel's
// ByteLevelEncoding.

/// The bytes of one token, readable: `[0x20, 0x74, 0x68, 0x65]` -> "␣the", `[0xF0, 0x9F]` -> "<F0><9F>".
public func visibleToken(_ bytes: [UInt8]) -> String {
    var text = ""
    var i = 0
    while i < bytes.count {
        let length = utf8SequenceLength(leadByte: bytes[i])
        let end = min(i + max(length, 1), bytes.count)
        let slice = Array(bytes[i..<end])
        let character = String(decoding: slice, as: UTF8.self)
        // A complete, valid character decodes back to the same bytes; anything else shows as hex.
        if length > 0 && end - i == length && Array(character.utf8) == slice {
            switch character {
            case " ": text += "␣"
            case "\n": text += "↵"
            case "\t": text += "⇥"
            default:
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || scalar.value == 0x7F {
                    text += hexByte(bytes[i])
                } else {
                    text += character
                }
            }
            i = end
        } else {
            text += hexByte(bytes[i])
            i += 1
        }
    }
    return text
}

/// How many bytes the UTF-8 sequence starting with `leadByte` has: 1 for 0xxxxxxx, 2 for
/// 110xxxxx, 3 for 1110xxxx, 4 for 11110xxx, and 0 for a continuation byte (10xxxxxx) or a byte
/// that never appears in UTF-8.
public func utf8SequenceLength(leadByte: UInt8) -> Int {
    switch leadByte {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: return 2
    case 0xE0...0xEF: return 3
    case 0xF0...0xF4: return 4
    default: return 0
    }
}

/// A byte as two hex digits in angle brackets: "<F0>".
public func hexByte(_ byte: UInt8) -> String {
    "<" + hex(byte) + ">"
}

/// A byte as two uppercase hex digits: "F0".
public func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}

/// A byte as eight binary digits: "11110000".
public func bits(_ byte: UInt8) -> String {
    let binary = String(byte, radix: 2)
    return String(repeating: "0", count: 8 - binary.count) + binary
}

/// Number formatting for counts: 12345 -> "12,345".
public func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var result = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { result += "," }
        result.append(digit)
    }
    return (number < 0 ? "-" : "") + result
}
