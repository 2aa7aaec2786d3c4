// Text layout for a fixed-width terminal: display width, padding and word wrapping.
//
// Every renderer in LabNotebook (tables, heatmaps, prose) lines text up in columns, so all of
// them measure text the same way: ANSI escape sequences take no space, and every other Character
// (a grapheme cluster) takes one column. That is right for the text lessons print (ASCII, Latin,
// Greek, math symbols, box drawing and block elements). Wide East Asian characters and emoji take
// two columns on a real terminal and are not handled: lessons avoid them in aligned output.

/// How text sits in a column that is wider than the text.
public enum Alignment: Sendable, Equatable {
    case left, right
}

/// The number of terminal columns `text` occupies: Characters outside ANSI escape sequences
/// (`ESC [ … letter`).
public func displayWidth(_ text: String) -> Int {
    var width = 0
    var inEscape = false
    for character in text {
        if inEscape {
            if character.isLetter { inEscape = false }
        } else if character == "\u{1B}" {
            inEscape = true
        } else {
            width += 1
        }
    }
    return width
}

/// `text` padded with spaces to `width` columns (unchanged when it is already wider).
public func padded(_ text: String, to width: Int, alignment: Alignment = .left) -> String {
    let padding = String(repeating: " ", count: max(0, width - displayWidth(text)))
    return alignment == .left ? text + padding : padding + text
}

/// Splits `text` into lines of at most `width` columns at spaces (greedy, like a text editor).
///
/// Runs of whitespace, including newlines, count as one space. Spaces inside square brackets do
/// not break, so a shape such as `[B, T, C]` stays on one line. A word longer than `width` gets
/// a line of its own rather than being cut, so a long identifier stays intact.
///
///     wrap("the quick brown fox", width: 9)   // ["the quick", "brown fox"]
public func wrap(_ text: String, width: Int) -> [String] {
    precondition(width > 0, "wrap: the width must be positive, got \(width)")
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    for word in words(text) {
        let wordWidth = displayWidth(word)
        if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
            lines.append(line)
            line = ""
            lineWidth = 0
        }
        if lineWidth > 0 {
            line += " "
            lineWidth += 1
        }
        line += word
        lineWidth += wordWidth
    }
    if lineWidth > 0 { lines.append(line) }
    return lines
}

/// The words of `text`: split at whitespace, except inside square brackets.
func words(_ text: String) -> [String] {
    var result: [String] = []
    var word = ""
    var depth = 0
    for character in text {
        if character == "[" { depth += 1 }
        if character == "]" { depth = max(0, depth - 1) }
        if character == " " || character == "\n" || character == "\t" {
            if depth == 0 {
                if !word.isEmpty { result.append(word) }
                word = ""
            } else if word.last != " " {
                word.append(" ")
            }
        } else {
            word.append(character)
        }
    }
    if !word.isEmpty { result.append(word) }
    return result
}
