// The exports: `--export` parsing and destination checks, the atomic write, the Jupyter
// notebook's cells and outputs, the web page's blocks, syntax highlighting, ANSI colors and the
// SVG figures. Every lesson's real export is checked in LessonTests (ExportChecks.swift).

import Foundation
import XCTest
import LabKernel
@testable import LabNotebook
import LabTestSupport

final class NotebookExportTests: XCTestCase {
    // MARK: - Options and destinations

    func testExportOptionIsRepeatableInBothSpellings() throws {
        let options = try NotebookOptions.parse(["--quick", "--export", "a.ipynb", "--export=site/b.HTML"])
        XCTAssertEqual(options.exportPaths, ["a.ipynb", "site/b.HTML"])
        XCTAssertTrue(options.quick)
        XCTAssertEqual(ExportFormat(path: "site/b.HTML"), .html)
        XCTAssertEqual(ExportFormat(path: "x.ipynb"), .jupyter)
        XCTAssertNil(ExportFormat(path: "notes.md"))
        XCTAssertNil(ExportFormat(path: ".html"))
        XCTAssertTrue(NotebookOptions.usage(program: "tensors").contains("--export FILE"))
    }

    func testUnknownExtensionAndMissingValueAreUsageErrors() {
        XCTAssertThrowsError(try NotebookOptions.parse(["--export", "lesson.pdf"])) { error in
            XCTAssertEqual(error as? NotebookOptionsError, .unknownExportFormat("lesson.pdf"))
            XCTAssertTrue("\(error)".contains(".ipynb") && "\(error)".contains(".html"), "\(error)")
        }
        XCTAssertThrowsError(try NotebookOptions.parse(["--export"])) { error in
            XCTAssertEqual(error as? NotebookOptionsError, .missingValue(option: "--export", valueName: "FILE.ipynb or FILE.html"))
        }
        XCTAssertThrowsError(try NotebookOptions.parse(["--export", "--quick"]))
    }

    func testDestinationMustBeAFileInAnExistingFolder() throws {
        let folder = try temporaryFolder()
        XCTAssertNoThrow(try NotebookExport.checkDestination(folder.appendingPathComponent("a.html").path))

        let missing = folder.appendingPathComponent("no-such-folder/a.ipynb").path
        XCTAssertThrowsError(try NotebookExport.checkDestination(missing)) { error in
            XCTAssertTrue("\(error)".contains("no-such-folder") && "\(error)".contains("does not exist"), "\(error)")
        }
        let aFolder = folder.appendingPathComponent("pages.html")
        try FileManager.default.createDirectory(at: aFolder, withIntermediateDirectories: false)
        XCTAssertThrowsError(try NotebookExport.checkDestination(aFolder.path)) { error in
            XCTAssertTrue("\(error)".contains("is a folder"), "\(error)")
        }
        let aFile = folder.appendingPathComponent("notes.txt")
        try Data("x".utf8).write(to: aFile)
        XCTAssertThrowsError(try NotebookExport.checkDestination(aFile.path + "/a.html")) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertThrowsError(try NotebookExport.checkDestination(folder.appendingPathComponent("a.txt").path))
    }

    func testWriteReplacesTheFileAtomicallyAndLeavesNothingElse() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("lesson.html").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try NotebookExport.write(sampleDocument(), to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(written.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["lesson.html"])
        XCTAssertThrowsError(try NotebookExport.write(sampleDocument(), to: folder.appendingPathComponent("gone/x.ipynb").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["lesson.html"])
    }

    // MARK: - Jupyter

    func testNotebookCellsAndOutputsFollowTheRecord() throws {
        let text = NotebookExport.render(sampleDocument(), as: .jupyter)
        XCTAssertEqual(jupyterSchemaProblems(Data(text.utf8)), [])
        let notebook = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let cells = try XCTUnwrap(notebook["cells"] as? [[String: Any]])
        let kinds = cells.map { $0["cell_type"] as! String }
        // banner, cell title, prose, code (values + table + sparkline + checks), prose, code without
        // source (heatmap + bars), summary
        XCTAssertEqual(kinds, ["markdown", "markdown", "markdown", "code", "markdown", "code", "markdown"])
        XCTAssertEqual(cells.compactMap { $0["execution_count"] as? Int }, [1, 2])
        XCTAssertEqual(cells.map { $0["id"] as! String }, ["lesson", "c01-title", "c01-01", "c01-02", "c01-03", "c01-04", "summary"])

        func source(_ cell: [String: Any]) -> String { (cell["source"] as! [String]).joined() }
        XCTAssertEqual(source(cells[0]).components(separatedBy: "\n").first, "# Lesson 03 · Attention &lt;3")
        XCTAssertTrue(source(cells[0]).contains("`swift run attention --quick`"))
        XCTAssertEqual(source(cells[2]), "Costs \\$5 \\* 2 with `a * b`.\n\n- first\n- second")
        XCTAssertEqual(source(cells[3]), "let y = x * 2   // \"two\"")

        let outputs = cells[3]["outputs"] as! [[String: Any]]
        XCTAssertEqual(outputs.map { $0["output_type"] as! String }, ["stream", "display_data", "display_data", "stream"])
        XCTAssertEqual((outputs[0]["text"] as! [String]).joined(), "shape  [2, 3]\n")
        let table = outputs[1]["data"] as! [String: Any]
        XCTAssertTrue((table["text/html"] as! [String]).joined().contains("<td class=\"right\">1.5</td>"))
        XCTAssertTrue((table["text/plain"] as! [String]).joined().contains("name  value"))
        let chart = outputs[2]["data"] as! [String: Any]
        XCTAssertNil(xmlProblem((chart["image/svg+xml"] as! [String]).joined()))
        XCTAssertTrue((chart["text/plain"] as! [String]).joined().hasPrefix("loss  2.0000 "))
        XCTAssertEqual((outputs[3]["text"] as! [String]).joined(), "✓ it adds up\n✗ it does not\n")

        XCTAssertEqual(source(cells[5]), "")
        let pictures = (cells[5]["outputs"] as! [[String: Any]]).compactMap { ($0["data"] as? [String: Any])?.keys.sorted() }
        XCTAssertEqual(pictures, [["image/svg+xml", "text/html", "text/plain"], ["image/svg+xml", "text/html", "text/plain"],
                                  ["text/html", "text/plain"]], "two figures, then the painted output as HTML")
        let painted = (cells[5]["outputs"] as! [[String: Any]])[2]["data"] as! [String: Any]
        XCTAssertEqual((painted["text/html"] as! [String]).joined(), "<pre><span style=\"color:rgb(255,0,0)\">red</span></pre>")
        XCTAssertEqual((painted["text/plain"] as! [String]).joined(), "red")
        // The <img> fallback holds the same SVG, for notebooks that are not trusted.
        let heatmap = (cells[5]["outputs"] as! [[String: Any]])[0]["data"] as! [String: Any]
        let image = try XCTUnwrap(heatmap["text/html"] as? String)
        XCTAssertTrue(image.hasPrefix("<img src=\"data:image/svg+xml;base64,") && image.contains("alt=\"A map\""), image)
        let encoded = image.dropFirst("<img src=\"data:image/svg+xml;base64,".count).prefix { $0 != "\"" }
        XCTAssertEqual(Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) },
                       (heatmap["image/svg+xml"] as! [String]).joined())
        XCTAssertTrue(source(cells[6]).hasPrefix("## What we built\n\n- tensors\n\n## Next\n\n- Lesson 04"))

        let metadata = notebook["metadata"] as! [String: Any]
        XCTAssertEqual((metadata["kernelspec"] as! [String: Any])["language"] as? String, "swift")
        XCTAssertEqual((metadata["language_info"] as! [String: Any])["file_extension"] as? String, ".swift")
        XCTAssertEqual(notebook["nbformat_minor"] as? Int, 5)
        XCTAssertEqual(text, NotebookExport.render(sampleDocument(), as: .jupyter), "two exports of one record must be identical")
    }

    func testSchemaCheckFindsWhatIsWrong() {
        let broken = """
            {"cells": [{"cell_type": "code", "metadata": {}, "source": "x", "outputs": [{"output_type": "picture"}]},
                       {"cell_type": "markdown", "id": "a b", "metadata": {}, "source": [1], "outputs": []}],
             "metadata": {"kernelspec": {"name": "swift"}}, "nbformat": 4, "nbformat_minor": 4}
            """
        let problems = jupyterSchemaProblems(Data(broken.utf8)).joined(separator: "\n")
        for expected in ["nbformat_minor", "cell 0: no id", "execution_count", "unknown output_type", "display_name",
                         "id 'a b'", "cell 1 (markdown): keys [\"outputs\"]", "cell 1: source"] {
            XCTAssertTrue(problems.contains(expected), "missing '\(expected)' in:\n\(problems)")
        }
        XCTAssertEqual(jupyterSchemaProblems(Data("[]".utf8)), ["the file is not a JSON object"])
    }

    // MARK: - HTML

    func testPageShowsEveryBlock() {
        let page = NotebookExport.render(sampleDocument(), as: .html)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("<title>Lesson 03 · Attention &lt;3 · OpenModelLab</title>"))
        XCTAssertTrue(page.contains("<p>Costs $5 * 2 with <code>a * b</code>.</p>\n<ul>\n<li>first</li>"))
        XCTAssertTrue(page.contains("<span class=\"kw\">let</span> y = x * <span class=\"num\">2</span>"))
        XCTAssertTrue(page.contains("<span class=\"com\">// &quot;two&quot;</span>"))
        XCTAssertTrue(page.contains("<li class=\"fail\"><span class=\"mark\">✗</span> it does not</li>"))
        XCTAssertTrue(page.contains("<th class=\"right\">value</th>"))
        XCTAssertTrue(page.contains("<span style=\"color:rgb(255,0,0)\">red</span>"), "painted output keeps its color")
        XCTAssertTrue(page.contains("<a href=\"#cell-1\">Scores</a>"))
        XCTAssertTrue(page.contains("prefers-color-scheme: dark"))
        XCTAssertTrue(page.contains("<nav><a href=\"index.html\">"))
        let figures = page.components(separatedBy: "<svg xmlns=").count - 1
        XCTAssertEqual(figures, 3)
        XCTAssertFalse(page.contains("<script"))
    }

    func testCoursePageLinksEveryLesson() {
        let page = htmlCoursePage(title: "Course", introduction: "Runs with `--quick`.", lessons: [
            (number: 0, title: "Tensors", summary: "a <tensor>", page: "tensors.html", notebook: "tensors.ipynb"),
            (number: 3, title: "Attention", summary: "heads", page: "attention.html", notebook: nil),
        ])
        XCTAssertTrue(page.contains("<a href=\"tensors.html\"><span class=\"number\">00</span> Tensors</a>"))
        XCTAssertTrue(page.contains("href=\"tensors.ipynb\" download"))
        XCTAssertTrue(page.contains("<span class=\"number\">03</span> Attention"))
        XCTAssertTrue(page.contains("a &lt;tensor&gt;"))
        XCTAssertTrue(page.contains("<code>--quick</code>"))
    }

    func testSwiftHighlighting() {
        XCTAssertEqual(highlightSwift("let s = \"a \\(b) \\\"c\" // note"),
                       "<span class=\"kw\">let</span> s = <span class=\"str\">&quot;a \\(b) \\&quot;c&quot;</span> <span class=\"com\">// note</span>")
        XCTAssertEqual(highlightSwift("x.let + 1.5e3 /* a\nb */ y2"),
                       "x.let + <span class=\"num\">1.5e3</span> <span class=\"com\">/* a\nb */</span> y2")
        XCTAssertEqual(highlightSwift("#\"raw \"quote\"\"#"), "<span class=\"str\">#&quot;raw &quot;quote&quot;&quot;#</span>")
        XCTAssertEqual(highlightSwift("a < b && c"), "a &lt; b &amp;&amp; c")
    }

    func testANSIColorsAreStrippedOrTurnedIntoSpans() {
        let painted = Style(colors: true).paint("hi", .value) + " and " + Style(colors: true).background("  ", RGB(1, 2, 3))
        XCTAssertEqual(strippingANSI(painted), "hi and   ")
        XCTAssertEqual(ansiToHTML("\u{1B}[1;38;2;10;20;30mA<\u{1B}[0mB"), "<span style=\"color:rgb(10,20,30);font-weight:bold\">A&lt;</span>B")
        XCTAssertEqual(ansiToHTML("\u{1B}[48;2;1;2;3m \u{1B}[0m"), "<span style=\"background:rgb(1,2,3)\"> </span>")
        XCTAssertEqual(strippingANSI("\u{1B}[2Kcleared"), "cleared", "other sequences are dropped")
    }

    // MARK: - Figures

    func testFiguresAreWellFormedWithTitlesAndLabels() {
        let heatmap = Heatmap(Tensor(shape: [2, 3], scalars: [-1, 0, 1, 0.5, -0.5, .nan]), rowLabels: ["a<b", "c&d"])
        let heat = heatmapSVG(heatmap, title: "Weights \"w\" & more")
        XCTAssertNil(xmlProblem(heat))
        XCTAssertTrue(heat.contains("<title>Weights &quot;w&quot; &amp; more</title>"))
        XCTAssertTrue(heat.contains(">a&lt;b</text>") && heat.contains(">c&amp;d</text>"), "row labels")
        XCTAssertTrue(heat.contains(">1.00</text>") && heat.contains(">-1.00</text>"), "the color bar's ends")
        XCTAssertTrue(heat.contains("fill=\"#888888\""), "a NaN cell is gray")
        XCTAssertEqual(heat.components(separatedBy: "<title>").count - 1, 1 + 6, "a title, and one per cell")

        let bars = barChartSVG([Bar("x < y", value: 2, text: "2.0"), Bar("z", value: 1, text: "1.0")], title: "Bars")
        XCTAssertNil(xmlProblem(bars))
        XCTAssertTrue(bars.contains(">x &lt; y</text>"))

        let histogram = histogramSVG([0, 0, 1, 1, 1, 2, .infinity], bins: 2, title: "Counts", xLabel: "value")
        XCTAssertNil(xmlProblem(histogram))
        XCTAssertEqual(histogram.components(separatedBy: "fill=\"\(figurePalette[0])\"").count - 1, 2, "one bar per non-empty bin")
        XCTAssertTrue(histogram.contains(">count</text>") && histogram.contains(">value</text>"), "axis labels")

        let line = lineChartSVG([ChartSeries(name: "train", points: [(0, 1), (1, 0.5)], color: "#000"),
                                 ChartSeries(name: "held-out", points: [(0, 1.2), (1, 0.9)], color: "#f00")],
                                title: "Loss", xLabel: "step", yLabel: "loss")
        XCTAssertNil(xmlProblem(line))
        XCTAssertTrue(line.contains(">train</text>") && line.contains(">held-out</text>"), "a legend for two series")

        let long = heatmapSVG(Heatmap(Tensor(shape: [1, 2], scalars: [0, 1])), title: String(repeating: "long title ", count: 20))
        XCTAssertTrue(long.contains("textLength="), "a title wider than the figure is squeezed into it")
        XCTAssertNil(xmlProblem(long))
    }

    func testCoordinatesPrintWithOneDecimal() {
        XCTAssertEqual([0, 12.5, -3.04, -0.04, 719.96, 1e6, 2.25].map(svgNumber), ["0.0", "12.5", "-3.0", "0.0", "720.0", "1000000.0", "2.2"])
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<1000 {
            let value = Double.random(in: -2000...2000, using: &generator)
            let printed = svgNumber(value)
            XCTAssertLessThanOrEqual(abs(Double(printed)! - value), 0.05 + 1e-9, printed)
            XCTAssertEqual(printed.split(separator: ".").last?.count, 1, printed)
        }
    }

    // MARK: - Recording

    func testTerminalTextIsTheSameWhateverIsRecorded() {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(), output: output)
        notebook.header(lesson: 3, title: "Attention", summary: "Heads.")
        notebook.cell("Scores") {
            notebook.sparkline("loss", [2, 1], width: 2)
            notebook.bars([Bar("a", value: 1, text: "1")], measured: true)
        }
        notebook.summary(["done"], next: ["more"])
        XCTAssertTrue(output.text.contains("  loss  2.0000 █▁ 1.0000\n"))
        let blocks = notebook.document.cells[0].blocks
        XCTAssertEqual(blocks.count, 2)
        XCTAssertTrue(blocks[0].isFigure)
        XCTAssertEqual(blocks[0].title, "loss")
        XCTAssertTrue(blocks[1].isFigure, "unmasked measured bars are a figure")

        let colored = Notebook(options: NotebookOptions(), colors: true, output: CapturedOutput())
        colored.cell("Map") { colored.heatmap(Heatmap(Tensor(shape: [1, 2], scalars: [0, 1]))) }
        XCTAssertTrue(colored.document.cells[0].blocks[0].plainLines.contains { $0.contains("██") },
                      "with colors on, the text version of a heatmap still has its shades")

        let masked = Notebook(options: NotebookOptions(maskTimings: true), output: CapturedOutput())
        masked.cell("Speed") { masked.bars([Bar("a", value: 1, text: "1")], measured: true) }
        XCTAssertFalse(masked.document.cells[0].blocks[0].isFigure, "masked timings draw no picture in the exports either")
    }

    // MARK: - Helpers

    /// A record with one block of every kind.
    private func sampleDocument() -> NotebookDocument {
        let notebook = Notebook(options: NotebookOptions(maskTimings: true), output: CapturedOutput(), command: "swift run attention --quick")
        notebook.header(lesson: 3, title: "Attention <3", summary: "Heads that look back.")
        notebook.cell("Scores") {
            notebook.prose("""
                Costs $5 * 2 with `a * b`.

                - first
                - second
                """)
            notebook.code("let y = x * 2   // \"two\"")
            notebook.values([("shape", "[2, 3]")])
            var table = Table(["name", "value"])
            table.append(["a", "1.5"])
            notebook.table(table)
            notebook.sparkline("loss", [2, 1.5, 1], width: 3)
            notebook.checks([(true, "it adds up"), (false, "it does not")])
            notebook.prose("Pictures:")
            notebook.heatmap(Heatmap(Tensor(shape: [2, 2], scalars: [0, 1, 2, 3])), title: "A map")
            notebook.bars([Bar("a", value: 1, text: "1"), Bar("b", value: 2, text: "2")])
            notebook.output("\u{1B}[38;2;255;0;0mred\u{1B}[0m")
        }
        notebook.summary(["tensors"], next: ["Lesson 04"])
        var document = notebook.document
        document.indexLink = "index.html"
        return document
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }
}
