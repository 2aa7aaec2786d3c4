// The notebook as a whole: captured output, cell numbering, blocks, masking of timings, step mode.

import XCTest
import LabKernel
@testable import LabNotebook

final class NotebookTests: XCTestCase {
    func makeNotebook(_ options: NotebookOptions = NotebookOptions(), colors: Bool = false,
                      keys: [Character?] = []) -> (Notebook, CapturedOutput) {
        let output = CapturedOutput()
        var remaining = keys
        let notebook = Notebook(options: options, colors: colors, output: output) {
            remaining.isEmpty ? nil : remaining.removeFirst()
        }
        return (notebook, output)
    }

    func testCellsAreNumberedAndBlocksSeparated() {
        let (notebook, output) = makeNotebook()
        notebook.header(lesson: 3, title: "Attention", summary: "Tokens looking at each other.")
        notebook.cell("First") { notebook.prose("Hello.") }
        notebook.cell("Second") {
            notebook.code("let x = 1")
            notebook.values([("x", "1"), ("long name", "2")])
        }
        let lines = output.text.components(separatedBy: "\n")
        XCTAssertTrue(lines.contains("  OpenModelLab · Lesson 03 · Attention"))
        XCTAssertTrue(lines.contains("  Tokens looking at each other."))
        XCTAssertEqual(lines.filter { $0.hasPrefix("[1] First ─") }.count, 1)
        XCTAssertEqual(lines.filter { $0.hasPrefix("[2] Second ─") }.count, 1)
        XCTAssertEqual(notebook.cellCount, 2)
        for line in lines where line.hasPrefix("[") { XCTAssertEqual(displayWidth(line), notebook.width) }
        XCTAssertTrue(output.text.contains("\n\n  Hello.\n"), "a block starts after a blank line, indented")
        XCTAssertTrue(output.text.contains("\n  │ let x = 1\n"))
        XCTAssertTrue(output.text.contains("\n  x          1\n  long name  2\n"), "values line up")
        XCTAssertFalse(output.text.contains("\u{1B}"), "no escapes without colors")
        for line in lines { XCTAssertFalse(line.hasSuffix(" "), "trailing space in '\(line)'") }
    }

    func testProseParagraphsBulletsAndWidth() {
        let (notebook, output) = makeNotebook()
        let long = Array(repeating: "word", count: 60).joined(separator: " ")
        notebook.prose("""
            First paragraph
            continues here.

            - a bullet that is long enough to wrap: \(long)
            - another
            """)
        let lines = output.text.components(separatedBy: "\n")
        XCTAssertTrue(lines.contains("  First paragraph continues here."), "single newlines join lines")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  • a bullet") })
        XCTAssertTrue(lines.contains("  • another"))
        let continuation = lines.first { $0.hasPrefix("    word") }
        XCTAssertNotNil(continuation, "a wrapped bullet continues under its text")
        for line in lines { XCTAssertLessThanOrEqual(displayWidth(line), notebook.width) }
    }

    func testTimingsAreShownOrMasked() {
        let (shown, shownOutput) = makeNotebook()
        let (masked, maskedOutput) = makeNotebook(NotebookOptions(maskTimings: true))
        for notebook in [shown, masked] {
            var table = Table(["size", "time", "speed-up"])
            table.append(["64", notebook.duration(0.0123), notebook.speedup(12.5)])
            notebook.table(table)
            notebook.bars([Bar("naive", value: 1, text: notebook.measured("1.00 GFLOPS"))], measured: true)
            notebook.summary(["done"], next: ["more"])
        }
        XCTAssertTrue(shownOutput.text.contains("64  12.30 ms     12.5×"))
        XCTAssertTrue(shownOutput.text.contains("█ "))
        XCTAssertTrue(shownOutput.text.contains("1.00 GFLOPS"))
        XCTAssertFalse(maskedOutput.text.contains("ms"), "no measured time may leak when masked")
        XCTAssertFalse(maskedOutput.text.contains("×"))
        XCTAssertFalse(maskedOutput.text.contains("GFLOPS"))
        XCTAssertFalse(maskedOutput.text.contains("█"), "bar lengths come from timings too")
        XCTAssertTrue(maskedOutput.text.contains("  64     …         …"))
        XCTAssertTrue(maskedOutput.text.contains("  naive  …"))
        XCTAssertTrue(maskedOutput.text.contains("0 cells in …."))
    }

    func testMaskedLessonsPrintIdenticalText() {
        func run() -> String {
            let (notebook, output) = makeNotebook(NotebookOptions(maskTimings: true))
            notebook.header(lesson: 0, title: "T", summary: "S")
            notebook.cell("Timing") {
                let timing = Stopwatch.measure(repetitions: 2) { _ = (0..<Int.random(in: 1000...50_000)).reduce(0, +) }
                notebook.values([("median", notebook.duration(timing.median))])
            }
            notebook.summary([], next: [])
            return output.text
        }
        XCTAssertEqual(run(), run())
    }

    func testChecksSparklinesAndHeatmaps() {
        let (notebook, output) = makeNotebook()
        notebook.checks([(true, "it works"), (false, "it does not")])
        notebook.sparkline("loss", [4, 3, 2, 1], decimals: 1)
        notebook.heatmap(Heatmap(Tensor([[0, 1]])))
        XCTAssertTrue(output.text.contains("  ✓ it works\n  ✗ it does not\n"))
        XCTAssertTrue(output.text.contains("  loss  4.0 █▆▃▁ 1.0\n"))
        XCTAssertTrue(output.text.contains("  0 │  ██│\n"))
    }

    func testStepModeWaitsBetweenCells() {
        let (notebook, output) = makeNotebook(NotebookOptions(step: true), keys: ["\n", "\n"])
        var order: [String] = []
        notebook.cell("One") { order.append("one") }
        XCTAssertFalse(output.text.contains("Enter"), "no pause before the first cell")
        notebook.cell("Two") { order.append("two") }
        XCTAssertTrue(output.text.contains("⏎ Enter: [2] Two · q: quit"))
        notebook.summary([], next: [])
        XCTAssertTrue(output.text.contains("⏎ Enter: the summary"))
        XCTAssertEqual(order, ["one", "two"])
    }

    func testNoPausesWithoutStepMode() {
        var asked = 0
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(), output: output) { asked += 1; return "\n" }
        notebook.cell("One") {}
        notebook.cell("Two") {}
        notebook.summary([], next: [])
        XCTAssertEqual(asked, 0)
        XCTAssertFalse(output.text.contains("Enter"))
    }

    func testColorsPaintWithoutChangingTheText() {
        func render(colors: Bool) -> String {
            let (notebook, output) = makeNotebook(colors: colors)
            notebook.header(lesson: 0, title: "T", summary: "S")
            notebook.cell("Cell") {
                notebook.prose("Some `code` here.")
                notebook.check(true, "ok")
            }
            return output.text
        }
        let plain = render(colors: false), colored = render(colors: true)
        XCTAssertTrue(colored.contains("\u{1B}["))
        let stripped = colored.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        XCTAssertEqual(stripped, plain)
    }
}
