// Showing tokens, continuations and numbers: a token's bytes made readable, text wrapped into the
// notebook, counts with thousands separators, small differences in scientific notation.

import Foundation
import LabKernel
import LabNotebook

/// A token's bytes, readable (LabNotebook's spelling): a space as "␣", a line break as "↵",
/// bytes that are not a complete character as hex ("<F0>").
func tokenLabel(_ id: Int, _ tokenizer: BPETokenizer) -> String {
    visibleToken(tokenizer.tokens[id])
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

/// A small difference in scientific notation with one decimal: "3.1e-08"; exactly 0 as "0".
func scientific(_ value: Float) -> String {
    value == 0 ? "0" : String(format: "%.1e", Double(value))
}
