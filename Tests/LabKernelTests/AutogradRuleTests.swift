// Every backward rule against central finite differences (gradientCheck), on small seeded
// random inputs, plus exact identities that do not depend on finite differences at all.
//
// Each check reduces the operation's output to a scalar with fixed random weights (a plain sum
// would hide errors: the sum of a softmax is constant, and symmetric mistakes cancel), and
// passes when the relative error (largest |analytic − numeric| over the largest gradient
// element, see GradientCheckResult) is below the tolerance.
//
// Tolerance choice, shared by most checks: f is evaluated in Float (~6e-8 relative rounding),
// so with ε = 1e-2 the rounding noise in (f(x+ε) − f(x−ε))/2ε is ~1e-5..1e-4 for losses of size
// 1..10, and the truncation error ε²·f‴/6 is ~2e-5. Correct rules measured ≤ 2.4e-4 relative
// here (largest: layerNorm), while a rule wrong by even 1% fails. So 2e-3: 8x margin.

import XCTest
@testable import LabKernel
import LabTestSupport

/// The default nudge for these checks; see the file header.
let checkEpsilon: Float = 1e-2
/// The default relative tolerance for these checks; see the file header.
let checkTolerance: Float = 2e-3

/// Checks the gradients of `inputs` for the scalar Σ weights ⊙ output(), with fixed random
/// weights of the output's shape, and fails with the check's table when they disagree.
func assertGradientsMatch(_ inputs: [Variable], epsilon: Float = checkEpsilon,
                          tolerance: Float = checkTolerance, seed: UInt64 = 99,
                          file: StaticString = #filePath, line: UInt = #line,
                          _ output: () -> Variable) {
    var rng = SeededGenerator(seed: seed)
    let weights = Variable(Tensor.randomNormal(output().shape, using: &rng), requiresGrad: false)
    let result = gradientCheck(inputs, epsilon: epsilon) { (output() * weights).sum() }
    XCTAssertTrue(result.passes(tolerance: tolerance),
                  "gradient check failed at tolerance \(tolerance):\n\(result)", file: file, line: line)
}

/// A leaf of standard normal values.
func randomVariable(_ shape: [Int], _ rng: inout SeededGenerator, name: String? = nil) -> Variable {
    Variable(Tensor.randomNormal(shape, using: &rng), name: name)
}

final class AutogradRuleTests: XCTestCase {
    // MARK: - Elementwise and broadcasting

    func testAddSubtractMultiplySameShape() {
        var rng = SeededGenerator(seed: 1)
        let a = randomVariable([3, 4], &rng, name: "a"), b = randomVariable([3, 4], &rng, name: "b")
        assertGradientsMatch([a, b]) { a + b }
        assertGradientsMatch([a, b]) { a - b }
        assertGradientsMatch([a, b]) { a * b }
        assertGradientsMatch([a]) { -a }
    }

    func testBroadcastingBiasAndOuterProduct() {
        var rng = SeededGenerator(seed: 2)
        let x = randomVariable([2, 3, 4], &rng, name: "x")
        let bias = randomVariable([4], &rng, name: "bias")
        let column = randomVariable([3, 1], &rng, name: "column")
        let row = randomVariable([1, 4], &rng, name: "row")
        let matrix = randomVariable([3, 4], &rng, name: "matrix")
        assertGradientsMatch([x, bias]) { x + bias }              // (2, 3, 4) + (4)
        assertGradientsMatch([bias, x]) { bias - x }              // (4) - (2, 3, 4)
        assertGradientsMatch([column, row]) { column * row }      // (3, 1) * (1, 4) -> (3, 4)
        assertGradientsMatch([x, column]) { x * column }          // (2, 3, 4) * (3, 1)
        assertGradientsMatch([matrix, x]) { x - matrix * row }    // nested broadcasts
    }

    func testBroadcastGradientIsSummedToTheOperandShape() {
        // d(Σ x + b)/db = number of rows it was added to: exact, no finite differences.
        let x = Variable(Tensor.zeros([5, 3]), requiresGrad: false)
        let b = Variable(Tensor.zeros([3]))
        (x + b).sum().backward()
        XCTAssertEqual(b.grad, Tensor([5, 5, 5]))
    }

    func testScalarOperations() {
        var rng = SeededGenerator(seed: 3)
        let x = randomVariable([2, 3], &rng, name: "x")
        assertGradientsMatch([x]) { x * 2.5 }
        assertGradientsMatch([x]) { 0.5 * x + 3 }
        assertGradientsMatch([x]) { 1 - x }
        assertGradientsMatch([x]) { x / 4 - 1 }
        assertGradientsMatch([x]) { 2 + x * x }
    }

    // MARK: - Matrix products

    func testMatmul() {
        var rng = SeededGenerator(seed: 4)
        let a = randomVariable([3, 4], &rng, name: "a"), b = randomVariable([4, 5], &rng, name: "b")
        assertGradientsMatch([a, b]) { matmul(a, b) }
    }

    func testMatmulGradientsEqualTheTextbookFormula() {
        // dA = G·Bᵀ and dB = Aᵀ·G, computed here with the naive matmul and explicit transposes.
        var rng = SeededGenerator(seed: 5)
        let a = randomVariable([3, 4], &rng), b = randomVariable([4, 2], &rng)
        let g = Tensor.randomNormal([3, 2], using: &rng)
        matmul(a, b).backward(gradient: g)
        // Both sides are Float sums of 2..3 products of O(1) numbers: agreement to 1e-5.
        assertClose(a.grad!, matmulNaive(g, b.value.transposed()), tolerance: 1e-5, "dA")
        assertClose(b.grad!, matmulNaive(a.value.transposed(), g), tolerance: 1e-5, "dB")
    }

    func testMatmulBatchedAndSharedRight() {
        var rng = SeededGenerator(seed: 6)
        let a = randomVariable([2, 3, 4], &rng, name: "a")
        let batchedB = randomVariable([2, 4, 5], &rng, name: "batchedB")
        let sharedB = randomVariable([4, 5], &rng, name: "sharedB")
        assertGradientsMatch([a, batchedB]) { matmul(a, batchedB) }  // (2, 3, 4)·(2, 4, 5)
        assertGradientsMatch([a, sharedB]) { matmul(a, sharedB) }    // (2, 3, 4)·(4, 5)
    }

    func testMatmulTransposed() {
        var rng = SeededGenerator(seed: 7)
        let a = randomVariable([3, 4], &rng, name: "a"), b = randomVariable([5, 4], &rng, name: "b")
        let batchedA = randomVariable([2, 3, 4], &rng, name: "batchedA")
        let batchedB = randomVariable([2, 5, 4], &rng, name: "batchedB")
        assertGradientsMatch([a, b]) { matmul(a, transposed: b) }                      // (3, 4)·(5, 4)ᵀ
        assertGradientsMatch([batchedA, batchedB]) { matmul(batchedA, transposed: batchedB) }
        assertGradientsMatch([batchedA, b]) { matmul(batchedA, transposed: b) }        // shared B
        assertGradientsMatch([a]) { matmul(a, transposed: a) }                         // A·Aᵀ: a used twice
    }

    // MARK: - Reshapes and reductions

    func testReshapeAndTranspose() {
        var rng = SeededGenerator(seed: 8)
        let x = randomVariable([2, 3, 4], &rng, name: "x")
        assertGradientsMatch([x]) { x.reshaped([6, -1]) }  // (2, 3, 4) -> (6, 4)
        assertGradientsMatch([x]) { x.transposed() }       // (2, 3, 4) -> (2, 4, 3)
        assertGradientsMatch([x]) { matmul(x.transposed(), x.reshaped([2, 3, 4])) }
    }

    func testSumAndMean() {
        var rng = SeededGenerator(seed: 9)
        let x = randomVariable([2, 3, 4], &rng, name: "x")
        assertGradientsMatch([x]) { x.sum() * x.mean() }
        for axis in [0, 1, 2, -1] {
            assertGradientsMatch([x]) { x.sum(alongAxis: axis) }
            assertGradientsMatch([x]) { x.sum(alongAxis: axis, keepingAxis: true) }
            assertGradientsMatch([x]) { x.mean(alongAxis: axis) }
            assertGradientsMatch([x]) { x.mean(alongAxis: axis, keepingAxis: true) }
        }
        XCTAssertEqual(x.sum(alongAxis: 1).shape, [2, 4])
        XCTAssertEqual(x.mean(alongAxis: -1, keepingAxis: true).shape, [2, 3, 1])
        XCTAssertEqual(x.sum().shape, [])
    }

    func testMeanGradientIsOneOverCount() {
        let x = Variable(Tensor.zeros([2, 5]))
        x.mean().backward()
        XCTAssertEqual(x.grad, Tensor(repeating: 0.1, shape: [2, 5]))
    }

    // MARK: - Activations

    func testActivations() {
        var rng = SeededGenerator(seed: 10)
        // Keep every element at least 0.05 from relu's kink at 0, beyond the ±0.01 nudge.
        let shifted = Tensor.randomNormal([4, 5], using: &rng).map { $0 >= 0 ? $0 + 0.05 : $0 - 0.05 }
        let x = Variable(shifted, name: "x")
        assertGradientsMatch([x]) { relu(x) }
        assertGradientsMatch([x]) { tanh(x) }
        assertGradientsMatch([x]) { gelu(x, approximation: .tanh) }
        assertGradientsMatch([x]) { gelu(x, approximation: .none) }
        assertGradientsMatch([x]) { silu(x) }
    }

    func testReLUPassesGradientOnlyWherePositive() {
        let x = Variable(Tensor([-2, -0.5, 0, 0.5, 2]))
        relu(x).backward(gradient: Tensor([1, 2, 3, 4, 5]))
        XCTAssertEqual(x.grad, Tensor([0, 0, 0, 4, 5]))
    }

    // MARK: - Softmax and cross-entropy

    func testSoftmaxAndLogSoftmax() {
        var rng = SeededGenerator(seed: 11)
        let x = randomVariable([2, 3, 5], &rng, name: "x")
        assertGradientsMatch([x]) { softmax(x) }
        assertGradientsMatch([x]) { logSoftmax(x) }
    }

    func testSoftmaxGradientOfPlainSumIsZero() {
        // Σ softmax(x) = 1 whatever x is, so its gradient vanishes exactly (up to rounding).
        var rng = SeededGenerator(seed: 12)
        let x = randomVariable([3, 6], &rng)
        softmax(x).sum().backward()
        // Each element is y_j·(1 − Σ y): rounding of a sum of 6 probabilities, ~1e-7.
        assertClose(x.grad!, Tensor.zeros([3, 6]), tolerance: 1e-6)
    }

    func testCrossEntropy() {
        var rng = SeededGenerator(seed: 13)
        let logits = Variable(Tensor.randomNormal([6, 5], standardDeviation: 2, using: &rng), name: "logits")
        let targets = [0, 4, 2, 2, 1, 3]
        let result = gradientCheck([logits], epsilon: checkEpsilon) { crossEntropy(logits: logits, targets: targets) }
        XCTAssertTrue(result.passes(tolerance: checkTolerance), "\(result)")
    }

    func testCrossEntropyWithIgnoredRows() {
        var rng = SeededGenerator(seed: 14)
        let logits = Variable(Tensor.randomNormal([6, 5], standardDeviation: 2, using: &rng), name: "logits")
        let targets = [1, -100, 3, 0, -100, 4]
        let loss = { crossEntropy(logits: logits, targets: targets, ignoreIndex: -100) }
        let result = gradientCheck([logits], epsilon: checkEpsilon, loss)
        XCTAssertTrue(result.passes(tolerance: checkTolerance), "\(result)")

        loss().backward()
        let grad = logits.grad!
        for (row, target) in targets.enumerated() {
            let rowGradient = grad.row(row)
            if target == -100 {
                XCTAssertEqual(rowGradient, Tensor.zeros([5]), "ignored row \(row) must get exactly zero")
            } else {
                // (softmax − onehot)/4 sums to 0 per row; Float rounding of 5 terms: 1e-6.
                XCTAssertEqual(rowGradient.sum(), 0, accuracy: 1e-6)
                XCTAssertLessThan(rowGradient[target], 0, "the target's logit must be pushed up")
            }
        }
    }

    func testCrossEntropyGradientIsScaledByUpstreamGradient() {
        // 3·CE has gradient 3·(softmax − onehot)/n: compare with the unscaled loss exactly.
        var rng = SeededGenerator(seed: 15)
        let logits = randomVariable([4, 3], &rng)
        crossEntropy(logits: logits, targets: [0, 1, 2, 1]).backward()
        let single = logits.grad!
        logits.zeroGrad()
        (crossEntropy(logits: logits, targets: [0, 1, 2, 1]) * 3).backward()
        assertClose(logits.grad!, single * 3, tolerance: 1e-6)  // one Float product apart
    }

    // MARK: - Norms

    func testLayerNorm() {
        var rng = SeededGenerator(seed: 16)
        let x = Variable(Tensor.randomNormal([2, 3, 6], mean: 0.5, standardDeviation: 1.5, using: &rng), name: "x")
        let weight = Variable(Tensor.randomNormal([6], mean: 1, standardDeviation: 0.3, using: &rng), name: "weight")
        let bias = randomVariable([6], &rng, name: "bias")
        assertGradientsMatch([x, weight, bias]) { layerNorm(x, weight: weight, bias: bias) }
        assertGradientsMatch([x, weight]) { layerNorm(x, weight: weight, bias: nil) }
    }

    func testRMSNorm() {
        var rng = SeededGenerator(seed: 17)
        let x = Variable(Tensor.randomNormal([4, 6], mean: 0.3, standardDeviation: 1.5, using: &rng), name: "x")
        let weight = Variable(Tensor.randomNormal([6], mean: 1, standardDeviation: 0.3, using: &rng), name: "weight")
        assertGradientsMatch([x, weight]) { rmsNorm(x, weight: weight) }
    }

    func testLayerNormWithConstantWeightsStillGivesInputGradient() {
        var rng = SeededGenerator(seed: 18)
        let x = randomVariable([3, 5], &rng, name: "x")
        let weight = Variable(Tensor.ones([5]), requiresGrad: false)
        let bias = Variable(Tensor.zeros([5]), requiresGrad: false)
        assertGradientsMatch([x]) { layerNorm(x, weight: weight, bias: bias) }
        XCTAssertNil(weight.grad)
        XCTAssertNil(bias.grad)
    }

    // MARK: - Embedding

    func testEmbeddingWithRepeatedIds() {
        var rng = SeededGenerator(seed: 19)
        let table = randomVariable([5, 3], &rng, name: "table")
        let ids = [2, 0, 2, 4, 2]
        assertGradientsMatch([table]) { embedding(table, ids: ids) }

        // Exact: row v of the gradient is the sum of the upstream rows t with ids[t] == v.
        table.zeroGrad()
        let g = Tensor.randomNormal([5, 3], using: &rng)
        embedding(table, ids: ids).backward(gradient: g)
        XCTAssertEqual(table.grad!.row(2), g.row(0) + g.row(2) + g.row(4))
        XCTAssertEqual(table.grad!.row(0), g.row(1))
        XCTAssertEqual(table.grad!.row(1), Tensor.zeros([3]), "id 1 was never looked up")
        XCTAssertEqual(table.grad!.row(3), Tensor.zeros([3]), "id 3 was never looked up")
        XCTAssertEqual(table.grad!.row(4), g.row(3))
    }

    func testEmbeddingForwardGathersRows() {
        let table = Tensor([[0, 1], [10, 11], [20, 21]])
        XCTAssertEqual(embedding(table, ids: [2, 0, 2]), Tensor([[20, 21], [0, 1], [20, 21]]))
    }

    // MARK: - A whole network

    func testTwoLayerNetworkEndToEnd() {
        // The fixture's network (TwoLayerNetworkFixtureTests) checked against finite differences
        // for every parameter and the input at once.
        var rng = SeededGenerator(seed: 20)
        let x = randomVariable([6, 5], &rng, name: "x")
        let w1 = Variable(Tensor.randomNormal([5, 8], standardDeviation: 0.5, using: &rng), name: "w1")
        let b1 = Variable(Tensor.randomNormal([8], standardDeviation: 0.1, using: &rng), name: "b1")
        let lnWeight = Variable(Tensor.randomNormal([8], mean: 1, standardDeviation: 0.1, using: &rng), name: "ln_weight")
        let lnBias = Variable(Tensor.randomNormal([8], standardDeviation: 0.1, using: &rng), name: "ln_bias")
        let w2 = Variable(Tensor.randomNormal([8, 4], standardDeviation: 0.5, using: &rng), name: "w2")
        let b2 = Variable(Tensor.randomNormal([4], standardDeviation: 0.1, using: &rng), name: "b2")
        let targets = [3, 0, -100, 1, 2, 1]
        let result = gradientCheck([x, w1, b1, lnWeight, lnBias, w2, b2], epsilon: checkEpsilon) {
            let h = gelu(matmul(x, w1) + b1, approximation: .tanh)
            let n = layerNorm(h, weight: lnWeight, bias: lnBias, epsilon: 1e-5)
            return crossEntropy(logits: matmul(n, w2) + b2, targets: targets, ignoreIndex: -100)
        }
        XCTAssertTrue(result.passes(tolerance: checkTolerance), "\(result)")
    }
}
