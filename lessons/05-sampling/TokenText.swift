// Showing tokens, continuations and numbers: a token's bytes made readable, text wrapped into the
// notebook, counts with thousands separators, small differences in scientific notation.

import Foundation
import LabKernel
import LabNotebook

/// A token's bytes, readable: a space as "␣", a line break as "↵", anything that is not a
/// complete character as hex ("<F0>"), the special token as itself.
func tokenLabel(_ id: Int, _ tokenizer: BPETokenizer) -> String {
    let bytes = tokenizer.tokens[id]
    let text = String(decoding: bytes, as: UTF8.self)
    guard Array(text.utf8) == bytes else { return bytes.map(hexByte).joined() }
    return text.replacingOccurrences(of: " ", with: "␣").replacingOccurrences(of: "\n", with: "↵")
}

/// A byte as two hex digits in angle brackets: "<F0>".
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "<" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)]) + ">"
}

/// The text of `ids` on one line: line breaks as "↵".
func oneLine(_ ids: [Int], _ tokenizer: BPETokenizer) -> String {
    (try! tokenizer.decode(ids)).replacingOccurrences(of: "\n", with: "↵")
}

extension SamplingLesson {
    /// `label` and then `text` wrapped below it with a hanging indent, as one output block.
    func showText(_ items: [(label: String, text: String)]) {
        let width = notebook.width - 2 * notebook.indent - 2
        var lines: [String] = []
        for (index, item) in items.enumerated() {
            if index > 0 { lines.append("") }
            lines.append(item.label)
            lines += wrap(item.text, width: width).map { "  " + $0 }
        }
        notebook.output(lines.joined(separator: "\n"))
    }
}

/// A count with thousands separators: 1234567 -> "1,234,567".
func grouped(_ number: Int) -> String {
    let digits = String(abs(number))
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
        text.append(digit)
    }
    return (number < 0 ? "-" : "") + text
}

/// A small difference in scientific notation with one decimal: "3.1e-08"; exactly 0 as "0".
func scientific(_ value: Float) -> String {
    value == 0 ? "0" : String(format: "%.1e", Double(value))
}
