// The kernel's forward math (Sources/LabKernel/Math/{Softmax,CrossEntropy,Norms,Activations}.swift)
// against PyTorch: softmax, logSoftmax, crossEntropy, layerNorm, rmsNorm, gelu (both forms), silu
// and the activations' derivatives.
//
// Fixtures: Tests/Fixtures/kernel/{softmax,cross_entropy,norms,activations}.json, made by
// scripts/fixtures/make_kernel_fixtures.py. The inputs are Float32 and PyTorch computed the
// references in float64 from them, so each tolerance below only has to cover our own Float32
// rounding; the measured worst case is quoted beside it.

import XCTest
import LabKernel
import LabTestSupport

final class MathFixtureTests: XCTestCase {
    func testSoftmaxMatchesPyTorch() throws {
        for c in try Fixture.load("kernel/softmax.json").cases("cases") {
            // Probabilities lie in [0, 1], where a Float step is at most 6e-8 and exp and the
            // scaling each round once: measured 7.5e-9, 2e-7 absolute allows ~3 steps. The "shifted
            // by +100" and "scaled by 1000" rows would overflow to NaN without the max subtraction.
            assertClose(softmax(try c.tensor("x")), try c.tensor("softmax"), tolerance: 2e-7,
                        "softmax, \(try c.string("name"))")
        }
    }

    func testLogSoftmaxMatchesPyTorch() throws {
        for c in try Fixture.load("kernel/softmax.json").cases("cases") {
            // Log-probabilities reach -3e38 (and -1e4 where softmax underflows to 0), so the
            // tolerance is relative: measured 1.2e-7 relative (1 Float step); rtol 1e-6, plus
            // 1e-6 absolute for outputs near 0. The +100 row was off by 3e-6 before logSoftmax
            // computed (x - max) - log Σ instead of x - logsumexp.
            assertClose(logSoftmax(try c.tensor("x")), try c.tensor("log_softmax"), tolerance: 1e-6,
                        relativeTolerance: 1e-6, "logSoftmax, \(try c.string("name"))")
        }
    }

    func testCrossEntropyMatchesPyTorch() throws {
        for c in try Fixture.load("kernel/cross_entropy.json").cases("cases") {
            let ignoreIndex: Int? = c.contains("ignore_index") ? try c.int("ignore_index") : nil
            let loss = crossEntropy(logits: try c.tensor("logits"), targets: try c.ints("targets"), ignoreIndex: ignoreIndex)
            // A mean of a few rows summed in Double: measured exact (0 difference) on every case,
            // including logits near 1000 (3.5e-6 relative before the Double difference of logits);
            // rtol 1e-6 is a few Float steps.
            assertClose(loss, try c.float("loss"), tolerance: 0, relativeTolerance: 1e-6,
                        "crossEntropy, \(try c.string("name"))")
        }
    }

    func testCrossEntropyCountsOnlyRowsThatAreNotIgnored() throws {
        // The ignored rows' logits must not matter at all, not even through the mean's divisor.
        let c = try Fixture.load("kernel/cross_entropy.json").cases("cases")[1]
        let targets = try c.ints("targets")
        XCTAssertEqual(targets.filter { $0 == -100 }.count, 2)
        var logits = try c.tensor("logits")
        for (row, target) in targets.enumerated() where target == -100 { logits[row, 0] = 1e6 }
        assertClose(crossEntropy(logits: logits, targets: targets, ignoreIndex: -100), try c.float("loss"),
                    tolerance: 0, relativeTolerance: 1e-6, "crossEntropy with changed ignored rows")
    }

    func testLayerNormMatchesPyTorch() throws {
        let f = try Fixture.load("kernel/norms.json")
        let output = layerNorm(try f.tensor("x"), weight: try f.tensor("weight"), bias: try f.tensor("bias"),
                               epsilon: try f.float("layer_norm_epsilon"))
        // Outputs up to ~3 (1 Float step: 2.4e-7); measured 2.4e-7. The row with mean -1000 was
        // off by 2.6e-5 before the centering was done in Double; the constant row must give the bias.
        assertClose(output, try f.tensor("layer_norm"), tolerance: 1e-6, "layerNorm")
    }

    func testRMSNormMatchesPyTorch() throws {
        let f = try Fixture.load("kernel/norms.json")
        let output = rmsNorm(try f.tensor("x"), weight: try f.tensor("weight"), epsilon: try f.float("rms_norm_epsilon"))
        // Outputs of size ~1 (Llama's formula): measured 1.2e-7, one Float step; 1e-6 absolute.
        assertClose(output, try f.tensor("rms_norm"), tolerance: 1e-6, "rmsNorm")
    }

    func testActivationsMatchPyTorch() throws {
        let f = try Fixture.load("kernel/activations.json")
        let x = try f.tensor("x")
        // Inputs from -100 to 100: outputs up to 100 need a relative part (a Float step at 100 is
        // 7.6e-6); measured at most 4.8e-7 absolute (1 step at 4.2) and 1.2e-7 relative. Near
        // x = -8 the kernel is closer to the truth than PyTorch's float64 reference, which
        // cancels 1 + tanh(u) or 1 + erf(x/√2) to 0 while the kernel keeps values like -4e-18.
        let checks: [(String, Tensor)] = [
            ("gelu_tanh", gelu(x, approximation: .tanh)),
            ("gelu_none", gelu(x, approximation: .none)),
            ("silu", silu(x)),
            ("gelu_tanh_derivative", geluDerivative(x, approximation: .tanh)),
            ("gelu_none_derivative", geluDerivative(x, approximation: .none)),
            ("silu_derivative", siluDerivative(x)),
        ]
        for (name, actual) in checks {
            assertClose(actual, try f.tensor(name), tolerance: 1e-6, relativeTolerance: 1e-6, name)
        }
    }

    func testActivationTailsKeepTheirTinyValues() throws {
        // Far below 0 the outputs are tiny (gelu(-9) ≈ -1e-18, tanh form ≈ -1.3e-28) yet not 0; a
        // formula with 1 + erf or 1 + tanh cancels them to 0, which is off by 100% here. Relative
        // tolerance 1e-4: e^(-2u) magnifies the Float rounding of u ≈ -33 about 66-fold (measured 4e-6).
        let f = try Fixture.load("kernel/activations.json")
        let x = Tensor(try f.floats("tail_x"))
        assertClose(gelu(x, approximation: .none).scalars, try f.floats("tail_gelu_none"), tolerance: 0,
                    relativeTolerance: 1e-4, "gelu (none), tail")
        assertClose(gelu(x, approximation: .tanh).scalars, try f.floats("tail_gelu_tanh"), tolerance: 0,
                    relativeTolerance: 1e-4, "gelu (tanh), tail")
        assertClose(silu(x).scalars, try f.floats("tail_silu"), tolerance: 0, relativeTolerance: 1e-4, "silu, tail")
    }

    func testTheTwoGELUFormsDifferEnoughToMatter() throws {
        // Why the loader must use the checkpoint's own GELU: the forms differ by far more than the
        // tolerance above (the largest gap is about 4.7e-4, near |x| = 2.7), in the fixture as in the kernel.
        let f = try Fixture.load("kernel/activations.json")
        let referenceGap = try f.tensor("gelu_tanh").maxAbsoluteDifference(try f.tensor("gelu_none"))
        XCTAssertGreaterThan(referenceGap, 1e-4)
        let x = try f.tensor("x")
        XCTAssertGreaterThan(gelu(x, approximation: .tanh).maxAbsoluteDifference(gelu(x, approximation: .none)), 1e-4)
    }
}
