// Tests for exercise 02.4 (language-models.adamw-step): `AdamWMoments` and
// `adamWStep(parameters:gradients:moments:learningRate:beta1:beta2:epsilon:weightDecay:)` in
// exercises/02-language-models/AdamWStep.swift.
//
// The doc comment's example, the first step's lr·sign(g), weight decay (decoupled, applied
// first), the running averages after two steps, PyTorch's torch.optim.AdamW over 1,000 steps and
// along a learning-rate schedule (Tests/Fixtures/kernel/adamw.json, made by
// scripts/fixtures/make_kernel_fixtures.py), and the kernel's AdamW with other betas and decay.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseAdamWStep

final class AdamWStepTests: XCTestCase {
    func testTheDocCommentExample() {
        var p: [Float] = [1, -2, 0.5]
        var moments = AdamWMoments(count: 3)
        guard exercise({
            adamWStep(parameters: &p, gradients: [0.3, -40, 0], moments: &moments, learningRate: 0.1, weightDecay: 0)
        }) != nil else { return }
        XCTAssertEqual(moments.step, 1, "the first call is step t = 1: increase moments.step before using it")
        // ε = 1e-8 against |g| ≥ 0.3 changes the step by at most 3e-9; the rest is Float rounding.
        assertClose(p, [0.9, -1.9, 0.5], tolerance: 1e-6,
                    "after one step each weight with a gradient moves by lr = 0.1 against the gradient's sign; "
                    + "a zero gradient (m = 0) does not move the weight")
        assertClose(moments.firstMoment, [0.03, -4, 0], tolerance: 1e-6, "m = 0.9·0 + 0.1·g after the first step")
        // β₂ = 0.999 is 0.99899995 in Float, so 1 − β₂ is 0.00100005: 5e-5 relative above 0.001.
        assertClose(moments.secondMoment, [0.00009, 1.6, 0], tolerance: 1e-9, relativeTolerance: 1e-4,
                    "v = 0.999·0 + 0.001·g² after the first step")
    }

    func testTheFirstStepIsTheLearningRateWhateverTheGradientsSize() {
        // Bias correction: m̂ = g and v̂ = g² after one step, so the update is lr·g / (|g| + ε) = ±lr.
        var p: [Float] = [0, 0, 0, 0]
        var moments = AdamWMoments(count: 4)
        guard exercise({
            adamWStep(parameters: &p, gradients: [1e-4, -5, 300, -0.02], moments: &moments,
                      learningRate: 0.01, epsilon: 1e-12, weightDecay: 0)
        }) != nil else { return }
        // A few Float roundings of a number of size 0.01.
        assertClose(p, [-0.01, 0.01, -0.01, 0.01], tolerance: 1e-8,
                    "step 1 with bias correction and a tiny ε moves every weight by exactly lr = 0.01 against its "
                    + "gradient, for gradients from 1e-4 to 300 (without the correction it would be 0.1·g / (√0.001·|g|) ≈ 3.16·lr)")
    }

    func testWeightDecayIsDecoupledAndComesFirst() {
        // No gradient: m = v = 0, the Adam update is 0 / (0 + ε) = 0, and only the decay acts.
        var p: [Float] = [2, -4]
        var moments = AdamWMoments(count: 2)
        guard exercise({
            adamWStep(parameters: &p, gradients: [0, 0], moments: &moments, learningRate: 0.1, weightDecay: 0.1)
        }) != nil else { return }
        // One Float multiplication.
        assertClose(p, [1.98, -3.96], tolerance: 1e-6,
                    "with zero gradients, decoupled decay multiplies each weight by 1 − lr·λ = 0.99; adding λ·p to the "
                    + "gradient instead (L2) would move each weight by a whole lr = 0.1")
        assertClose(moments.firstMoment + moments.secondMoment, [0, 0, 0, 0], tolerance: 0,
                    "the decay must not enter m or v: they only average the gradients")

        // Decay before the update: p = 1·(1 − 0.1·0.5) = 0.95, then 0.95 − 0.1 = 0.85.
        var q: [Float] = [1]
        var qMoments = AdamWMoments(count: 1)
        guard exercise({
            adamWStep(parameters: &q, gradients: [1], moments: &qMoments, learningRate: 0.1, epsilon: 0, weightDecay: 0.5)
        }) != nil else { return }
        assertClose(q, [0.85], tolerance: 1e-6,
                    "p = 1, g = 1, lr = 0.1, λ = 0.5: decay the old p first (0.95), then take the Adam step (−0.1); "
                    + "decaying after the step gives 0.855")
    }

    func testTheMomentsAreRunningAverages() {
        var p: [Float] = [0, 0]
        var moments = AdamWMoments(count: 2)
        for g: [Float] in [[2, -1], [-4, 3]] {
            guard exercise({ adamWStep(parameters: &p, gradients: g, moments: &moments, learningRate: 0.01, weightDecay: 0) }) != nil
            else { return }
        }
        XCTAssertEqual(moments.step, 2, "two calls are two steps")
        // m = 0.9·(0.1·g₁) + 0.1·g₂ and v = 0.999·(0.001·g₁²) + 0.001·g₂², stored without bias correction.
        assertClose(moments.firstMoment, [-0.22, 0.21], tolerance: 1e-6,
                    "m after gradients g₁ = [2, -1] and g₂ = [-4, 3]: 0.9·0.1·g₁ + 0.1·g₂ (store m itself, not m̂)")
        // In Float 1 − β₂ is 0.00100005 (5e-5 relative above 0.001), hence rtol 1e-4 for v.
        assertClose(moments.secondMoment, [0.019996, 0.009999], tolerance: 0, relativeTolerance: 1e-4,
                    "v after the same gradients: 0.999·0.001·g₁² + 0.001·g₂² (store v itself, not v̂)")
    }

    // MARK: - PyTorch and the kernel

    /// The fixture's problem: L = mean((X·W + b − Y)²) over all N·K elements, for X (N, D),
    /// W (D, K), b (K), Y (N, K). With G = 2·(X·W + b − Y) / (N·K): dW = Xᵀ·G and db = Σ_rows G.
    private func meanSquaredErrorGradients(inputs: Tensor, targets: Tensor, weight: [Float], bias: [Float],
                                           shape: [Int]) -> (weight: [Float], bias: [Float]) {
        let prediction = matmul(inputs, Tensor(shape: shape, scalars: weight)) + Tensor(bias)   // (N, K)
        let g = (prediction - targets) * (2 / Float(targets.count))                              // (N, K)
        return (matmul(transposed: inputs, g).scalars, g.sum(alongAxis: 0).scalars)              // (D, K), (K)
    }

    /// Trains the fixture's W and b with `adamWStep`, one state per tensor as in PyTorch, and
    /// compares them with PyTorch's after each snapshot's step.
    private func checkAgainstPyTorch(run: Int, learningRate: (Int) -> Float, tolerance: (Int) -> Float) throws {
        let f = try Fixture.load("kernel/adamw.json")
        let inputs = try f.tensor("inputs"), targets = try f.tensor("targets")
        let initialWeight = try f.tensor("initial_weight")
        var weight = initialWeight.scalars, bias = try f.tensor("initial_bias").scalars
        var weightMoments = AdamWMoments(count: weight.count), biasMoments = AdamWMoments(count: bias.count)
        let (beta1, beta2) = (try f.float("beta1"), try f.float("beta2"))
        let (epsilon, decay) = (try f.float("eps"), try f.float("weight_decay"))
        let c = try f.cases("runs")[run]
        var snapshots = try c.cases("snapshots")[...]
        let steps = try c.int("steps")
        for step in 1...steps {
            let gradients = meanSquaredErrorGradients(inputs: inputs, targets: targets, weight: weight, bias: bias,
                                                      shape: initialWeight.shape)
            let lr = learningRate(step)
            guard exercise({ () -> Void in
                adamWStep(parameters: &weight, gradients: gradients.weight, moments: &weightMoments, learningRate: lr,
                          beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: decay)
                adamWStep(parameters: &bias, gradients: gradients.bias, moments: &biasMoments, learningRate: lr,
                          beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: decay)
            }) != nil else { return }
            guard let snapshot = snapshots.first, try snapshot.int("step") == step else { continue }
            snapshots.removeFirst()
            assertClose(weight, try snapshot.tensor("weight").scalars, tolerance: tolerance(step),
                        "\(try c.string("name")): W after step \(step), compared with torch.optim.AdamW")
            assertClose(bias, try snapshot.tensor("bias").scalars, tolerance: tolerance(step),
                        "\(try c.string("name")): b after step \(step), compared with torch.optim.AdamW")
        }
    }

    func testMatchesPyTorchOverAThousandSteps() throws {
        // Float32 on both sides, differing only in rounding, which accumulates slowly: the kernel's
        // AdamW measured 5e-10 after step 1, 5e-8 after 100 and 1e-6 after 1,000 (weights up to 0.93).
        try checkAgainstPyTorch(run: 0, learningRate: { _ in 1e-3 }, tolerance: { $0 == 1000 ? 1e-4 : 1e-6 })
    }

    func testFollowsALearningRateScheduleLikePyTorch() throws {
        // Warmup for 10 steps to 1e-2, then a cosine down to 1e-3 at step 60; step k uses the rate of
        // 0-based step k − 1. Rates up to 1e-2: the kernel measured at most 6e-8.
        let settings = try Fixture.load("kernel/adamw.json").cases("runs")[1].object("schedule")
        let schedule = WarmupCosineSchedule(peak: try settings.float("peak"), warmupSteps: try settings.int("warmup_steps"),
                                            totalSteps: try settings.int("total_steps"), floor: try settings.float("floor"))
        try checkAgainstPyTorch(run: 1, learningRate: { schedule.learningRate(atStep: $0 - 1) }, tolerance: { _ in 1e-6 })
    }

    func testMatchesTheKernelsAdamWWithOtherSettings() {
        var generator = SeededGenerator(seed: 2401)
        let start = Tensor.randomNormal([7], using: &generator)
        let kernel = Variable(start)
        let optimizer = AdamW(parameters: [kernel], learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.1)
        var p = start.scalars
        var moments = AdamWMoments(count: p.count)
        for step in 1...5 {
            // Gradients of different sizes, some zero.
            let g = Tensor.randomNormal([7], standardDeviation: Float(step), using: &generator).scalars.enumerated()
                .map { $0.offset == 3 ? 0 : $0.element }
            kernel.grad = Tensor(g)
            optimizer.step()
            guard exercise({
                adamWStep(parameters: &p, gradients: g, moments: &moments, learningRate: 0.05,
                          beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.1)
            }) != nil else { return }
            // The same Float formulas in PyTorch's order: a few roundings of weights of size ~1.
            assertClose(p, kernel.value.scalars, tolerance: 1e-7, relativeTolerance: 1e-6,
                        "after step \(step) with lr 0.05, β₁ 0.8, β₂ 0.95, ε 1e-6, λ 0.1, compared with the kernel's AdamW")
        }
        XCTAssertEqual(moments.step, 5, "five calls are five steps")
    }
}
