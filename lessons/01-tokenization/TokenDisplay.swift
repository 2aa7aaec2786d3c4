// TokenDisplay: writing tokens so that a reader can see exactly which bytes they hold.
//
// A token is a string of bytes, not always a whole character: "🙂" is four bytes and a small
// vocabulary may hold only some of them. Whole characters are shown as themselves, a space as
// "␣", a line break as "↵", and any byte that is not part of a complete character (or is a
// control character) as its value in hex, "<F0>". GPT-2's files spell tokens differently
// (" the" is "Ġthe", see the last cell); that spelling is for files, this one is for reading.
// The readable spelling itself (`visibleToken`, `hexByte`, `grouped`) lives in LabNotebook,
// because later lessons and `lab` show tokens the same way; this file adds a sequence of tokens
// shown with its boundaries, in color or with separators.

import LabKernel
import LabNotebook

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
