// gradientCheck itself: it must catch a wrong backward rule, estimate derivatives correctly,
// leave its inputs as it found them, and print a readable table.

import XCTest
@testable import LabKernel

final class AutogradGradientCheckTests: XCTestCase {
    /// x² elementwise with a backward rule that returns `slope`·x·g (correct: slope 2).
    private func square(_ x: Variable, slope: Float) -> Variable {
        let input = x.value
        return Variable.record("square", input * input, inputs: [x]) { g in [g * input * slope] }
    }

    func testDetectsAWrongBackwardRule() {
        var rng = SeededGenerator(seed: 40)
        let x = randomVariable([3, 3], &rng, name: "x")
        let right = gradientCheck([x], epsilon: 1e-2) { self.square(x, slope: 2).sum() }
        let wrong = gradientCheck([x], epsilon: 1e-2) { self.square(x, slope: 2.1).sum() }
        // A square is exact under central differences up to Float rounding of the sum: 1e-3.
        XCTAssertTrue(right.passes(tolerance: 1e-3), "\(right)")
        // A 5% slope error: |2.1x − 2x| over the largest gradient 2.1·max|x| is 0.1/2.1 ≈ 0.048.
        XCTAssertFalse(wrong.passes(tolerance: 1e-2), "\(wrong)")
        XCTAssertEqual(wrong.maxRelativeError, 0.1 / 2.1, accuracy: 2e-3)
    }

    func testNumericGradientOfACube() {
        // f = Σ x³, f′ = 3x²: at x = 1 and x = -2 the derivatives are 3 and 12. The central
        // difference's error is ε² = 1e-4 exactly for a cube, plus Float rounding of f ~1e-4.
        let x = Variable(Tensor([1, -2]), name: "x")
        let result = gradientCheck([x], epsilon: 1e-2) { (x * x * x).sum() }
        XCTAssertEqual(result.inputs[0].numeric[0], 3, accuracy: 1e-3)
        XCTAssertEqual(result.inputs[0].numeric[1], 12, accuracy: 1e-3)
        XCTAssertEqual(result.inputs[0].analytic, Tensor([3, 12]))
    }

    func testRestoresValuesAndGradients() {
        let x = Variable(Tensor([0.5, 1.5]), name: "x")
        x.grad = Tensor([7, 7])
        let before = x.value
        _ = gradientCheck([x]) { (x * x).sum() }
        XCTAssertEqual(x.value, before)
        XCTAssertEqual(x.grad, Tensor([7, 7]))
    }

    func testErrorsAndWhereTheyOccur() {
        let report = GradientCheckResult.InputReport(
            name: "w", shape: [2, 2],
            analytic: Tensor([[1, 0.5], [-2, 0]]), numeric: Tensor([[1, 0.5], [-2.04, 0.001]]))
        XCTAssertEqual(report.maxAbsoluteError, 0.04, accuracy: 1e-6)
        XCTAssertEqual(report.worstIndex, [1, 0])
        XCTAssertEqual(report.relativeError, 0.04 / 2.04, accuracy: 1e-6)  // over the largest element
        let result = GradientCheckResult(epsilon: 1e-3, inputs: [report])
        XCTAssertTrue(result.passes(tolerance: 0.02))
        XCTAssertFalse(result.passes(tolerance: 0.01))
    }

    func testNaNNeverPasses() {
        let report = GradientCheckResult.InputReport(name: "w", shape: [2], analytic: Tensor([1, .nan]),
                                                     numeric: Tensor([1, 1]))
        XCTAssertFalse(GradientCheckResult(epsilon: 1e-3, inputs: [report]).passes(tolerance: 1))
    }

    func testDescriptionIsATable() {
        var rng = SeededGenerator(seed: 41)
        let w1 = randomVariable([3, 2], &rng, name: "w1")
        let bias = randomVariable([2], &rng)
        let x = Variable(Tensor.randomNormal([4, 3], using: &rng), requiresGrad: false)
        let text = gradientCheck([w1, bias]) { tanh(matmul(x, w1) + bias).sum() }.description
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6, text)
        XCTAssertEqual(lines[0], "gradient check: central differences, epsilon 0.0010")
        XCTAssertTrue(lines[1].hasPrefix("input"), text)
        XCTAssertTrue(lines[2].hasPrefix("w1 "), text)
        XCTAssertTrue(lines[2].contains("[3, 2]"), text)
        XCTAssertTrue(lines[3].hasPrefix("input 1 "), "an unnamed input is called by its position: \(text)")
        XCTAssertTrue(lines[4].hasPrefix("worst absolute error "), text)
        XCTAssertTrue(lines[5].hasPrefix("worst relative error "), text)
        // The columns line up: every row starts its shape at the same position.
        XCTAssertEqual(lines[1].range(of: "shape")?.lowerBound.utf16Offset(in: lines[1]),
                       lines[2].range(of: "[3, 2]")?.lowerBound.utf16Offset(in: lines[2]))
    }

    func testScientificFormatting() {
        XCTAssertEqual(formatScientific(3.05e-5), "3.05e-05")
        XCTAssertEqual(formatScientific(123.4), "1.23e+02")
        XCTAssertEqual(formatScientific(-0.5), "-5.00e-01")
        XCTAssertEqual(formatScientific(9.996), "1.00e+01")
        XCTAssertEqual(formatScientific(0), "0.00")
    }
}
