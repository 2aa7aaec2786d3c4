// Numeric assertions: "are these numbers close enough?", with a failure message that teaches.
//
// Every kernel test, lesson test and exercise test compares floats, and a student reads the
// failure message more often than the passing line. So the message is built by one pure function,
// `closenessReport`, that the assertions, their own tests and the exercise checker all share. It
// says what differs (shapes, or how many elements and where the worst one is), the tolerance that
// was used, the first few elements side by side with a marker on the wrong ones, and any NaN or
// infinity it noticed — NaN usually means a bug upstream (log of 0, 0/0, an overflowed exp).
//
// The rule is NumPy's `allclose`: |actual − expected| ≤ atol + rtol·|expected|, with equal
// infinities counting as close and NaN never close (not even to NaN). Left out: per-element
// tolerances and ULP-based comparison; no test in the kit needs them yet.

import XCTest
import LabKernel

// MARK: - Assertions

/// Fails the test when `actual` and `expected` differ in shape or when any pair of elements
/// differs by more than `tolerance + relativeTolerance·|expected|`.
///
/// - Parameters:
///   - actual: the value computed by the code under test, any shape
///   - expected: the reference value, same shape
///   - tolerance: the absolute tolerance (atol); pick it per test and say why in a comment
///   - relativeTolerance: the relative tolerance (rtol), scaled by |expected|; 0 by default
///   - message: prefixed to the report, e.g. the name of the quantity ("grad_w1")
public func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float,
                        relativeTolerance: Float = 0, _ message: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    if let report = closenessReport(actual, expected, tolerance: tolerance, relativeTolerance: relativeTolerance) {
        XCTFail(prefixed(message, report), file: file, line: line)
    }
}

/// `assertClose` for flat arrays; indices in the report are positions in the arrays.
public func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float,
                        relativeTolerance: Float = 0, _ message: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    if let report = closenessReport(actual, expected, tolerance: tolerance, relativeTolerance: relativeTolerance) {
        XCTFail(prefixed(message, report), file: file, line: line)
    }
}

/// `assertClose` for single numbers.
public func assertClose(_ actual: Float, _ expected: Float, tolerance: Float,
                        relativeTolerance: Float = 0, _ message: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    if let report = closenessReport(actual, expected, tolerance: tolerance, relativeTolerance: relativeTolerance) {
        XCTFail(prefixed(message, report), file: file, line: line)
    }
}

private func prefixed(_ message: String, _ report: String) -> String {
    message.isEmpty ? report : message + ": " + report
}

// MARK: - The report

/// Why `actual` is not close to `expected`, or nil when it is.
///
/// Close means: same shape, and for every element |a − e| ≤ tolerance + relativeTolerance·|e|
/// (NumPy's `allclose`), where equal infinities are close and NaN is never close. The report
/// names both shapes when they differ; otherwise it gives the number of mismatching elements,
/// the largest absolute difference with its multi-index, the tolerance, NaN/infinity counts, and
/// a table of the first `shownElements` elements (plus the first and the worst mismatch when
/// they come later) with `✗` on the mismatching rows. For example:
///
///     2 of 6 elements differ by more than the tolerance (atol 0.001)
///     largest absolute difference 0.5 at [1, 0] (actual 4.5, expected 4.0)
///          index   expected   actual   |difference|
///          [0, 0]  1.0        1.0      0
///       ✗  [0, 1]  2.0        2.25     0.25
///     …
public func closenessReport(_ actual: Tensor, _ expected: Tensor, tolerance: Float,
                            relativeTolerance: Float = 0, shownElements: Int = 6) -> String? {
    closenessReport(actual: actual.scalars, actualShape: actual.shape,
                    expected: expected.scalars, expectedShape: expected.shape,
                    tolerance: tolerance, relativeTolerance: relativeTolerance, shownElements: shownElements)
}

/// `closenessReport` for flat arrays (read as 1-D tensors).
public func closenessReport(_ actual: [Float], _ expected: [Float], tolerance: Float,
                            relativeTolerance: Float = 0, shownElements: Int = 6) -> String? {
    closenessReport(actual: actual, actualShape: [actual.count], expected: expected, expectedShape: [expected.count],
                    tolerance: tolerance, relativeTolerance: relativeTolerance, shownElements: shownElements)
}

/// `closenessReport` for single numbers: one line such as
/// `actual 0.52 differs from expected 0.5 by 0.02 (atol 0.001)`.
public func closenessReport(_ actual: Float, _ expected: Float, tolerance: Float,
                            relativeTolerance: Float = 0) -> String? {
    checkTolerances(tolerance, relativeTolerance)
    if isClose(actual, expected, tolerance, relativeTolerance) { return nil }
    return "actual \(actual) differs from expected \(expected) by \(formatDifference(abs(actual - expected)))"
        + " (\(describeTolerance(tolerance, relativeTolerance)))"
}

/// The shared implementation: row-major `scalars` of the given shapes.
func closenessReport(actual: [Float], actualShape: [Int], expected: [Float], expectedShape: [Int],
                     tolerance: Float, relativeTolerance: Float, shownElements: Int) -> String? {
    checkTolerances(tolerance, relativeTolerance)
    if actualShape != expectedShape {
        return "shape mismatch: actual has shape \(actualShape.shapeDescription), "
            + "expected has shape \(expectedShape.shapeDescription)"
    }

    // One pass: which elements mismatch, and the largest (rankable) difference among them.
    var mismatches: [Int] = []
    var worst: (index: Int, difference: Float)? = nil
    for i in expected.indices {
        let a = actual[i], e = expected[i]
        guard !isClose(a, e, tolerance, relativeTolerance) else { continue }
        mismatches.append(i)
        let difference = abs(a - e)
        // NaN differences cannot be ranked; an infinite one (inf vs a finite number) outranks any finite one.
        if !difference.isNaN, difference > (worst?.difference ?? -1) { worst = (i, difference) }
    }
    if mismatches.isEmpty { return nil }

    func index(_ flat: Int) -> String { multiIndex(flat, shape: expectedShape).shapeDescription }
    var lines: [String] = []
    lines.append("\(mismatches.count) of \(expected.count) elements differ by more than the tolerance"
        + " (\(describeTolerance(tolerance, relativeTolerance)))")
    if let worst {
        lines.append("largest absolute difference \(formatDifference(worst.difference)) at \(index(worst.index))"
            + " (actual \(actual[worst.index]), expected \(expected[worst.index]))")
    }
    var notes: [String] = []
    for (owner, values) in [("actual", actual), ("expected", expected)] {
        for (what, matches) in [("NaN", { (x: Float) in x.isNaN }), ("±inf", { (x: Float) in x.isInfinite })] {
            let hits = values.indices.filter { matches(values[$0]) }
            if let first = hits.first { notes.append("\(owner) has \(hits.count) \(what) (first at \(index(first)))") }
        }
    }
    if !notes.isEmpty { lines.append("non-finite values: " + notes.joined(separator: "; ")) }

    // The table: the first few elements, then the first and the worst mismatch if they come later.
    var shown = Array(0..<min(shownElements, expected.count))
    for extra in [mismatches[0], worst?.index].compactMap({ $0 }) where !shown.contains(extra) {
        shown.append(extra)
    }
    let mismatchSet = Set(mismatches)
    var rows: [[String]] = [["", "index", "expected", "actual", "|difference|"]]
    var previous = -1
    for i in shown.sorted() {
        if i > previous + 1 { rows.append(["…", "", "", "", ""]) }
        rows.append([mismatchSet.contains(i) ? "✗" : "", index(i), "\(expected[i])", "\(actual[i])",
                     formatDifference(abs(actual[i] - expected[i]))])
        previous = i
    }
    if previous < expected.count - 1 { rows.append(["…", "", "", "", ""]) }
    lines.append(contentsOf: alignColumns(rows))
    return lines.joined(separator: "\n")
}

// MARK: - Helpers

/// NumPy's `allclose` rule for one pair: equal values (including equal infinities) are close,
/// NaN is never close, otherwise |a − e| ≤ atol + rtol·|e|.
func isClose(_ a: Float, _ e: Float, _ tolerance: Float, _ relativeTolerance: Float) -> Bool {
    if a == e { return true }
    return abs(a - e) <= tolerance + relativeTolerance * abs(e)
}

private func checkTolerances(_ tolerance: Float, _ relativeTolerance: Float) {
    precondition(tolerance >= 0 && relativeTolerance >= 0,
                 "assertClose: tolerances must be ≥ 0, got tolerance \(tolerance), relativeTolerance \(relativeTolerance)")
}

private func describeTolerance(_ tolerance: Float, _ relativeTolerance: Float) -> String {
    relativeTolerance == 0 ? "atol \(tolerance)" : "atol \(tolerance) + rtol \(relativeTolerance)·|expected|"
}

/// A difference with 3 significant digits: `0.000123` becomes `1.23e-04`.
private func formatDifference(_ difference: Float) -> String {
    if difference == 0 { return "0" }
    if !difference.isFinite { return "\(difference)" }
    return String(format: "%.3g", Double(difference))
}

/// The index along each axis of the element at row-major position `flat`.
private func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() where shape[axis] > 0 {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}

/// Left-aligned columns separated by two spaces, each line indented by two.
private func alignColumns(_ rows: [[String]]) -> [String] {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        let cells = row.indices.map { column in
            row[column] + String(repeating: " ", count: widths[column] - row[column].count)
        }
        let line = "  " + cells.joined(separator: "  ")
        return String(line.reversed().drop(while: { $0 == " " }).reversed())
    }
}
