// Lesson 00 in --quick mode prints what the golden file says (timings masked, no colors).

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
        try assertMatchesGolden(output.text, named: "tensors-quick.txt")
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
