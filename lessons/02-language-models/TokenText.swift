// Showing tokens and text: a token's bytes made readable, text on one line, small differences in
// scientific notation; the time since a reading; and the checks only the full run makes.

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
