// TokenDisplay: writing tokens so that a reader can see exactly which bytes they hold.
//
// A token is a string of bytes, not always a whole character: "🙂" is four bytes and a small
// vocabulary may hold only some of them. Whole characters are shown as themselves, a space as
// "␣", a line break as "↵", and any byte that is not part of a complete character (or is a
// control character) as its value in hex, "<F0>". GPT-2's files spell tokens differently
// (" the" is "Ġthe", see the last cell); that spelling is for files, this one is for reading.
// Also here: a sequence of tokens shown with its boundaries, in color or with separators.

import LabKernel
import LabNotebook

/// The bytes of one token, readable: `[0x20, 0x74, 0x68, 0x65]` -> "␣the", `[0xF0, 0x9F]` -> "<F0><9F>".
func visibleToken(_ bytes: [UInt8]) -> String {
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
func utf8SequenceLength(leadByte: UInt8) -> Int {
    switch leadByte {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: return 2
    case 0xE0...0xEF: return 3
    case 0xF0...0xF4: return 4
    default: return 0
    }
}

/// A byte as two hex digits in angle brackets: "<F0>".
func hexByte(_ byte: UInt8) -> String {
    "<" + hex(byte) + ">"
}

/// A byte as two uppercase hex digits: "F0".
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}

/// A byte as eight binary digits: "11110000".
func bits(_ byte: UInt8) -> String {
    let binary = String(byte, radix: 2)
    return String(repeating: "0", count: 8 - binary.count) + binary
}

/// Number formatting for counts: 12345 -> "12,345".
func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var result = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { result += "," }
        result.append(digit)
    }
    return (number < 0 ? "-" : "") + result
}

/// `items` joined by `separator`, broken into lines of at most `width` columns between items
/// (an item wider than `width` gets a line of its own).
func wrapping(_ items: [String], separator: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for item in items {
        if !line.isEmpty && displayWidth(line) + displayWidth(separator) + displayWidth(item) > width {
            lines.append(line + separator)
            line = ""
        }
        line += (line.isEmpty ? "" : separator) + item
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}

/// The text of `ids` with every token boundary visible, wrapped to `width` columns.
///
/// With colors, each token gets a background that alternates between a few colors; without
/// them, tokens are separated by `|`. A token holding a line break ends the line (the break shows
/// as "↵"), and bytes that are not whole characters show in hex, so every token stays visible.
func tokenBoundaries(_ ids: [Int], tokenizer: BPETokenizer, width: Int, style: Style) -> [String] {
    // Pastel backgrounds with black text read well on dark and light terminals alike.
    let backgrounds = [RGB(255, 214, 165), RGB(202, 255, 191), RGB(160, 232, 255), RGB(222, 205, 255)]
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    for (index, id) in ids.enumerated() {
        let bytes = tokenizer.tokens[id]
        let decoded = String(decoding: bytes, as: UTF8.self)
        // Whole characters as they are (a line break as ↵), anything else byte by byte in hex.
        let text = Array(decoded.utf8) == bytes ? String(decoded.map { $0 == "\n" ? "↵" : $0 }) : visibleToken(bytes)
        let separator = style.colors || lineWidth == 0 ? "" : "|"
        if lineWidth > 0 && lineWidth + separator.count + displayWidth(text) > width {
            lines.append(line)
            (line, lineWidth) = ("", 0)
        }
        if style.colors {
            line += style.foreground(style.background(text, backgrounds[index % backgrounds.count]), RGB(0, 0, 0))
        } else {
            line += (lineWidth == 0 ? "" : "|") + text
        }
        lineWidth = displayWidth(line)
        if bytes.last == 0x0A {
            lines.append(line)
            (line, lineWidth) = ("", 0)
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}
