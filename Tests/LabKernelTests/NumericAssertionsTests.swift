// Tests of the numeric assertions' rule and failure report (LabTestSupport/NumericAssertions.swift).
//
// The report is what a student reads when an exercise is wrong, so its content is tested here:
// the rule (NumPy's allclose), shape mismatches, the count, the worst element and its
// multi-index, the markers, and the NaN/infinity notes. Only passing `assertClose` calls can be
// made here (XCTest on Linux cannot expect a failure), so the failing side is tested through
// `closenessReport`, which is exactly the text `assertClose` fails with.

import XCTest
import LabKernel
import LabTestSupport

final class NumericAssertionsTests: XCTestCase {
    func testCloseValuesGiveNoReport() {
        let expected = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let actual = Tensor(shape: [2, 2], scalars: [1.0005, 2, 3, 3.9995])
        XCTAssertNil(closenessReport(actual, expected, tolerance: 1e-3))
        XCTAssertNil(closenessReport([0.1, 0.2], [0.1, 0.2], tolerance: 0))
        XCTAssertNil(closenessReport(Float(5), Float(5.5), tolerance: 0.5))
        // The same calls through the assertions must pass.
        assertClose(actual, expected, tolerance: 1e-3)
        assertClose([0.1, 0.2], [0.1, 0.2], tolerance: 0)
        assertClose(Float(5), Float(5.5), tolerance: 0.5)
    }

    func testRelativeToleranceFollowsAllclose() {
        // |1000.5 - 1000| = 0.5 ≤ 0 + 1e-3·1000 = 1: close. Relative to |expected|, not |actual|.
        XCTAssertNil(closenessReport(Float(1000.5), Float(1000), tolerance: 0, relativeTolerance: 1e-3))
        XCTAssertNotNil(closenessReport(Float(1000.5), Float(1000), tolerance: 0))
        // atol and rtol add up to 0.1 + 0.1·2 = 0.3 allowed here: 0.25 passes, 0.35 does not.
        XCTAssertNil(closenessReport(Float(2.25), Float(2), tolerance: 0.1, relativeTolerance: 0.1))
        XCTAssertNotNil(closenessReport(Float(2.35), Float(2), tolerance: 0.1, relativeTolerance: 0.1))
        let report = closenessReport([2.35], [2], tolerance: 0.1, relativeTolerance: 0.1)
        XCTAssertTrue(report?.contains("atol 0.1 + rtol 0.1·|expected|") == true, report ?? "nil")
    }

    func testShapeMismatchNamesBothShapes() {
        let report = closenessReport(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]), tolerance: 1)
        XCTAssertEqual(report, "shape mismatch: actual has shape [2, 3], expected has shape [3, 2]")
        let counts = closenessReport([1, 2, 3], [1, 2], tolerance: 1)
        XCTAssertEqual(counts, "shape mismatch: actual has shape [3], expected has shape [2]")
    }

    func testReportCountsMismatchesAndLocatesTheWorst() throws {
        let expected = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        var actual = expected
        actual[0, 1] = 1.25   // off by 0.25
        actual[1, 2] = 4.5    // off by 0.5: the worst
        actual[1, 0] = 3.005  // off by 0.005: inside the tolerance
        let report = try XCTUnwrap(closenessReport(actual, expected, tolerance: 0.01))
        let lines = report.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "2 of 6 elements differ by more than the tolerance (atol 0.01)")
        XCTAssertEqual(lines[1], "largest absolute difference 0.5 at [1, 2] (actual 4.5, expected 5.0)")
        // The table: a header and the six elements; markers exactly on the two mismatching rows.
        XCTAssertTrue(lines[2].contains("index") && lines[2].contains("expected") && lines[2].contains("actual"))
        let table = Array(lines[3...])
        XCTAssertEqual(table.count, 6, report)
        XCTAssertEqual(table.map { $0.contains("✗") }, [false, true, false, false, false, true], report)
        XCTAssertTrue(table[1].contains("[0, 1]") && table[1].contains("1.25") && table[1].contains("0.25"), report)
        XCTAssertTrue(table[3].contains("3.005"), report)
    }

    func testExpectedIsTheLeftColumn() throws {
        let report = try XCTUnwrap(closenessReport([7], [3], tolerance: 0))
        let row = try XCTUnwrap(report.split(separator: "\n").last)
        let expectedColumn = try XCTUnwrap(row.range(of: "3.0"))
        let actualColumn = try XCTUnwrap(row.range(of: "7.0"))
        XCTAssertLessThan(expectedColumn.lowerBound, actualColumn.lowerBound, report)
    }

    func testLateMismatchesAreShownAfterAnEllipsis() throws {
        let expected = [Float](repeating: 1, count: 100)
        var actual = expected
        actual[40] = 1.5  // the first mismatch
        actual[90] = 3    // the worst
        let report = try XCTUnwrap(closenessReport(actual, expected, tolerance: 1e-6))
        XCTAssertTrue(report.contains("2 of 100 elements"), report)
        XCTAssertTrue(report.contains("largest absolute difference 2 at [90]"), report)
        let rows = report.split(separator: "\n").dropFirst(3).map(String.init)
        // Six leading elements, "…", [40], "…", [90], "…".
        XCTAssertEqual(rows.count, 11, report)
        XCTAssertEqual(rows.filter { $0.hasPrefix("  …") }.count, 3, report)
        XCTAssertTrue(rows[7].contains("[40]") && rows[7].contains("✗"), report)
        XCTAssertTrue(rows[9].contains("[90]") && rows[9].contains("✗"), report)
    }

    func testNaNIsNeverCloseAndIsReported() throws {
        let expected = Tensor(shape: [2, 2], scalars: [1, .nan, 3, 4])
        let actual = Tensor(shape: [2, 2], scalars: [1, .nan, .nan, 4])
        let report = try XCTUnwrap(closenessReport(actual, expected, tolerance: 1))
        XCTAssertTrue(report.hasPrefix("2 of 4 elements"), report)
        XCTAssertTrue(report.contains("actual has 2 NaN (first at [0, 1])"), report)
        XCTAssertTrue(report.contains("expected has 1 NaN (first at [0, 1])"), report)
        // No finite difference to rank: no "largest" line rather than a misleading one.
        XCTAssertFalse(report.contains("largest"), report)
    }

    func testInfinities() throws {
        // Equal infinities are close (as in NumPy); an infinity against a number is the worst mismatch.
        XCTAssertNil(closenessReport([.infinity, -.infinity], [.infinity, -.infinity], tolerance: 0))
        let report = try XCTUnwrap(closenessReport([.infinity, 2.5], [1, 2], tolerance: 0.1))
        XCTAssertTrue(report.contains("largest absolute difference inf at [0]"), report)
        XCTAssertTrue(report.contains("actual has 1 ±inf (first at [0])"), report)
        XCTAssertNotNil(closenessReport([.infinity], [-.infinity], tolerance: 1))
    }

    func testScalarReportIsOneLine() {
        XCTAssertEqual(closenessReport(Float(0.75), Float(0.5), tolerance: 0.001),
                       "actual 0.75 differs from expected 0.5 by 0.25 (atol 0.001)")
    }

    func testRankZeroTensorsCompare() throws {
        XCTAssertNil(closenessReport(Tensor(scalar: 1), Tensor(scalar: 1.01), tolerance: 0.1))
        let report = try XCTUnwrap(closenessReport(Tensor(scalar: 1), Tensor(scalar: 2), tolerance: 0.1))
        XCTAssertTrue(report.contains("largest absolute difference 1 at []"), report)
    }
}
