// Showing tokens and text: a token's bytes made readable, text on one line and wrapped into the
// notebook, small differences in scientific notation.

import Foundation
import LabKernel
import LabNotebook

/// A token's bytes, readable (LabNotebook's spelling): a space as "␣", a line break as "↵".
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

extension LanguageModelsLesson {
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

/// Seconds on the monotonic clock since `start` (a `Stopwatch.now()` reading).
func secondsSince(_ start: UInt64) -> Double {
    Double(Stopwatch.now() - start) / 1e9
}

extension LanguageModelsLesson {
    /// A check that compares how far models got. The full run makes it; `--quick` trains each
    /// model for a fraction of the steps, too few for the comparison to mean anything, so it
    /// only names what the full run checks.
    func comparison(_ passed: @autoclosure () -> Bool, _ text: String) {
        if notebook.quick {
            notebook.output("checked by the full run (not with --quick): " + text)
        } else {
            notebook.check(passed(), text)
        }
    }
}
