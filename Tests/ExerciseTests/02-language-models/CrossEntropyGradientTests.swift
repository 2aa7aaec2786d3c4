// Tests for exercise 02.3 (language-models.cross-entropy-gradient):
// `crossEntropyGradient(logits:targets:ignoreIndex:)` in exercises/02-language-models/CrossEntropyGradient.swift.
//
// The doc comment's examples, the tape's gradient (`crossEntropy` on a `Variable`, `backward()`,
// `grad`) on random batches with ignored rows, central finite differences of the kernel's forward
// cross-entropy (checked against PyTorch), rows summing to 0 with the target the only negative
// entry, ignored rows, logits of ±10,000, and a batch where every row is ignored.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseCrossEntropyGradient

final class CrossEntropyGradientTests: XCTestCase {
    func testTheDocCommentExamples() {
        guard let single = exercise({ crossEntropyGradient(logits: Tensor([[0, 0, 0, 0]]), targets: [2]) }),
              let batch = exercise({
                  crossEntropyGradient(logits: Tensor([[0, 0, 0, 0], [0, 0, 0, 0], [7, 8, 9, 10]]), targets: [2, 0, -100])
              }) else { return }
        // Quarters and eighths are exact in Float.
        assertClose(single, Tensor([[0.25, 0.25, -0.75, 0.25]]), tolerance: 1e-7,
                    "four equal logits, target 2: softmax is 1/4 everywhere, minus 1 at the target, divided by N = 1")
        assertClose(batch, Tensor([[0.125, 0.125, -0.375, 0.125],
                                   [-0.375, 0.125, 0.125, 0.125],
                                   [0, 0, 0, 0]]), tolerance: 1e-7,
                    "targets [2, 0, -100]: two counted rows, each (softmax − onehot) / 2; the ignored row gets no gradient")
    }

    func testMatchesTheTape() {
        var generator = SeededGenerator(seed: 2301)
        for (n, v) in [(1, 1), (1, 6), (5, 3), (12, 31)] {
            let logits = Tensor.randomNormal([n, v], standardDeviation: 3, using: &generator)
            let targets = (0..<n).map { r in r % 4 == 3 ? -100 : generator.nextInt(below: v) }
            guard let gradient = exercise({ crossEntropyGradient(logits: logits, targets: targets) }) else { return }
            // The tape: L = crossEntropy(z), then backward() fills z.grad with dL/dz.
            let z = Variable(logits)
            crossEntropy(logits: z, targets: targets, ignoreIndex: -100).backward()
            guard let expected = z.grad else { return XCTFail("the kernel's tape left the logits' grad empty") }
            // Entries below 1 / N_kept; Float softmaxes on both sides differ by a few Float steps.
            assertClose(gradient, expected, tolerance: 1e-6,
                        "dL/dlogits for logits \([n, v].shapeDescription), targets \(targets), compared with the tape's backward()")
        }
    }

    func testMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 2302)
        let logits = Tensor.randomNormal([3, 5], using: &generator)
        let targets = [4, -100, 1]
        guard let gradient = exercise({ crossEntropyGradient(logits: logits, targets: targets) }) else { return }
        // Nudge one logit up and down and watch the kernel's forward loss: the slope is dL/dz.
        var measured = [Float](repeating: 0, count: logits.count)
        for i in 0..<logits.count {
            var plus = logits.scalars, minus = logits.scalars
            plus[i] += 0.01
            minus[i] -= 0.01
            let rise = crossEntropy(logits: Tensor(shape: [3, 5], scalars: plus), targets: targets, ignoreIndex: -100)
                - crossEntropy(logits: Tensor(shape: [3, 5], scalars: minus), targets: targets, ignoreIndex: -100)
            measured[i] = rise / (plus[i] - minus[i])   // the step as Float actually stored it
        }
        // Step 0.01: the curvature term is ~1e-6, the loss's Float rounding (2.4e-7) / 0.02 is ~1e-5.
        assertClose(gradient, Tensor(shape: [3, 5], scalars: measured), tolerance: 5e-5,
                    "dL/dlogits for logits [3, 5], targets \(targets), compared with central differences of the loss")
    }

    func testRowsSumToZeroAndOnlyTheTargetIsPushedUp() {
        var generator = SeededGenerator(seed: 2303)
        let (n, v) = (6, 9)
        let logits = Tensor.randomNormal([n, v], standardDeviation: 2, using: &generator)
        let targets = (0..<n).map { _ in generator.nextInt(below: v) }
        guard let gradient = exercise({ crossEntropyGradient(logits: logits, targets: targets) }) else { return }
        guard gradient.shape == [n, v] else {
            return XCTFail("the gradient must have the logits' shape [\(n), \(v)], got \(gradient.shape.shapeDescription)")
        }
        for r in 0..<n {
            let row = (0..<v).map { gradient[r, $0] }
            // A sum of 9 terms below 1/6: Float rounding.
            assertClose(row.reduce(0, +), 0, tolerance: 1e-7,
                        "row \(r) of the gradient must sum to 0: the probabilities sum to 1 and so does the one-hot")
            for j in 0..<v where (j == targets[r]) != (row[j] < 0) {
                return XCTFail("row \(r), column \(j): \(row[j]); the target's entry p − 1 must be negative (gradient "
                               + "descent raises its logit) and every other entry p > 0 (lowers theirs). Target \(targets[r])")
            }
        }
    }

    func testIgnoredRowsGetZeroAndDoNotCount() {
        var generator = SeededGenerator(seed: 2304)
        let rows = Tensor.randomNormal([3, 4], using: &generator)
        let kept = Tensor(shape: [2, 4], scalars: Array(rows.scalars[0..<4] + rows.scalars[8..<12]))   // rows 0 and 2
        guard let withIgnored = exercise({ crossEntropyGradient(logits: rows, targets: [3, -100, 0]) }),
              let withoutIt = exercise({ crossEntropyGradient(logits: kept, targets: [3, 0]) }),
              let padded = exercise({ crossEntropyGradient(logits: rows, targets: [3, 7, 0], ignoreIndex: 7) })
        else { return }
        guard withIgnored.shape == [3, 4], padded.shape == [3, 4] else {
            return XCTFail("the gradient must have the logits' shape [3, 4], got \(withIgnored.shape.shapeDescription)")
        }
        // Exact: an ignored row is not touched at all.
        assertClose((0..<4).map { withIgnored[1, $0] }, [0, 0, 0, 0], tolerance: 0,
                    "row 1's target is -100: it is not in the loss, so its gradient must be all zeros")
        // The same computation on the same rows: only rounding could differ.
        assertClose([Float](withIgnored.scalars[0..<4] + withIgnored.scalars[8..<12]), withoutIt.scalars, tolerance: 1e-7,
                    "rows 0 and 2 must be divided by N_kept = 2, exactly as if row 1 were not in the batch")
        assertClose(padded, withIgnored, tolerance: 1e-7, "ignoreIndex 7 with targets [3, 7, 0] skips row 1 like -100 does")
    }

    func testHugeLogitsStayFinite() {
        let logits = Tensor([[10_000, 0, -10_000],
                             [10_000, 0, -10_000]])
        guard let gradient = exercise({ crossEntropyGradient(logits: logits, targets: [0, 1]) }) else { return }
        if gradient.scalars.contains(where: { !$0.isFinite }) {
            return XCTFail("logits of ±10,000 gave \(gradient.scalars): e^10000 overflows Float; subtract each row's largest logit before exp")
        }
        // softmax is [1, e^-10000, e^-20000] = [1, 0, 0] in Float; N = 2.
        assertClose(gradient, Tensor([[0, 0, 0],
                                      [0.5, -0.5, 0]]), tolerance: 1e-7,
                    "softmax of [10000, 0, -10000] is [1, 0, 0]: right and certain (row 0) gives no gradient; "
                    + "certain of token 0 when the answer is 1 (row 1) gives (1, −1, 0) / 2")
    }

    func testEveryRowIgnoredGivesZeros() {
        guard let gradient = exercise({ crossEntropyGradient(logits: Tensor([[1, 2, 3], [4, 5, 6]]), targets: [-100, -100]) })
        else { return }
        // Exact, as the tape: no row is in the loss.
        assertClose(gradient, Tensor.zeros([2, 3]), tolerance: 0,
                    "every target is -100: no row is in the loss, so the gradient is all zeros (not 0/0 = NaN)")
    }
}
