// Checker fixture: a numeric check whose failure message spans several lines, shaped like the
// kit's closenessReport (this package cannot import LabTestSupport). The checker must keep every
// line of it, in order.

import XCTest
import ExerciseNotClose

final class NotCloseTests: XCTestCase {
    func testHalvesFourNumbers() {
        let input: [Float] = [2, 4, 6, 8]
        let actual = halves(input)
        let expected = input.map { $0 / 2 }
        let tolerance: Float = 1e-6
        let differences = zip(actual, expected).map { abs($0 - $1) }
        let bad = differences.indices.filter { differences[$0] > tolerance }
        guard let worst = differences.indices.max(by: { differences[$0] < differences[$1] }), !bad.isEmpty else { return }
        var lines = ["\(bad.count) of \(input.count) elements differ by more than the tolerance (atol \(tolerance))",
                     "largest absolute difference \(differences[worst]) at [\(worst)]",
                     "     index  expected  actual"]
        for i in input.indices {
            lines.append("  \(bad.contains(i) ? "✗" : " ")  [\(i)]    \(expected[i])       \(actual[i])")
        }
        XCTFail("halves([2, 4, 6, 8]): " + lines.joined(separator: "\n"))
    }
}
