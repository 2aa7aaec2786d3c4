// Showing tokens and numbers: a token's bytes made readable, text on one line, small differences
// in scientific notation (texts under labels are LabNotebook's `labelledTexts`).

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


/// A small difference in scientific notation with one decimal: "3.1e-08"; exactly 0 as "0".
func scientific(_ value: Float) -> String {
    value == 0 ? "0" : String(format: "%.1e", Double(value))
}
