// Lesson 00 in --quick mode prints what the golden file says (timings masked, no colors).

import Foundation
import XCTest
import LabNotebook
import LabTestSupport
@testable import tensors

final class TensorsLessonTests: XCTestCase {
    func testQuickRunMatchesGoldenOutput() throws {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        TensorsLesson(notebook: notebook).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "tensors-quick.txt")
    }

    /// The golden exports: what `swift run tensors --quick --mask-timings --export F` writes,
    /// as a notebook and as a page (regenerate with LAB_UPDATE_GOLDEN=1 when a change is meant).
    func testQuickRunExportsMatchGoldenNotebookAndPage() throws {
        let notebook = Notebook(options: NotebookOptions(quick: true, maskTimings: true), colors: false, output: CapturedOutput(),
                                command: "swift run tensors --quick --mask-timings")
        TensorsLesson(notebook: notebook).run()
        let ipynb = NotebookExport.render(notebook.document, as: .jupyter)
        let html = NotebookExport.render(notebook.document, as: .html)
        XCTAssertEqual(jupyterSchemaProblems(Data(ipynb.utf8)), [])
        XCTAssertTrue(ipynb.contains("\"image/svg+xml\""), "the notebook has no pictures")
        XCTAssertTrue(html.contains("<svg xmlns="), "the page has no pictures")
        try assertMatchesGolden(ipynb, named: "tensors-quick.ipynb")
        try assertMatchesGolden(html, named: "tensors-quick.html")
    }

    func testGoldenComparisonToleratesLastDigitsButNotText() {
        XCTAssertNil(goldenDifference(actual: "loss 0.1235 after 3 steps", golden: "loss 0.1234 after 3 steps"))
        XCTAssertNotNil(goldenDifference(actual: "loss 0.1254 after 3 steps", golden: "loss 0.1234 after 3 steps"))
        XCTAssertNotNil(goldenDifference(actual: "loss 0.1234 after 4 steps", golden: "loss 0.1234 after 3 steps"))
        XCTAssertNotNil(goldenDifference(actual: "gain 0.1234 after 3 steps", golden: "loss 0.1234 after 3 steps"))
        XCTAssertNil(goldenDifference(actual: "error 2.9e-04", golden: "error 2.3e-04"))
        XCTAssertNotNil(goldenDifference(actual: "error 2.3e-02", golden: "error 2.3e-04"))
        XCTAssertNotNil(goldenDifference(actual: "a\nb", golden: "a\nb\nc"))
    }
}
