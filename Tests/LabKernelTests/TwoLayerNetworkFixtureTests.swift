// The autograd tape against PyTorch on a small network that uses most backward rules at once:
// matmul, broadcast bias add, tanh-GELU, LayerNorm and cross-entropy with an ignored row.
//
// Fixture: Tests/Fixtures/kernel/two_layer_network.json, made by
// scripts/fixtures/make_kernel_fixtures.py (make_two_layer_network). Inputs are Float32; the
// reference logits, loss and gradients were computed by PyTorch in float64 from them, so the
// differences below are our Float32 rounding only.

import XCTest
import LabKernel
import LabTestSupport

final class TwoLayerNetworkFixtureTests: XCTestCase {
    func testForwardAndGradientsMatchPyTorch() throws {
        let f = try Fixture.load("kernel/two_layer_network.json")
        let names = ["x", "w1", "b1", "ln_weight", "ln_bias", "w2", "b2"]
        var inputs: [String: Variable] = [:]
        for name in names { inputs[name] = Variable(try f.tensor(name), name: name) }
        let targets = try f.ints("targets")
        XCTAssertTrue(targets.contains(-100), "the fixture should exercise the ignored row")

        // h = gelu_tanh(x @ w1 + b1); n = layer_norm(h); logits = n @ w2 + b2
        let h = gelu(matmul(inputs["x"]!, inputs["w1"]!) + inputs["b1"]!, approximation: .tanh)  // (6, 8)
        let n = layerNorm(h, weight: inputs["ln_weight"]!, bias: inputs["ln_bias"]!, epsilon: 1e-5)
        let logits = matmul(n, inputs["w2"]!) + inputs["b2"]!                                      // (6, 4)
        let loss = crossEntropy(logits: logits, targets: targets, ignoreIndex: -100)
        loss.backward()

        // Values of size 0.2..2 through a handful of Float32 operations: the largest observed
        // difference is 5e-7 (logits), 2e-7 for gradients. 5e-6 absolute keeps a 10x margin (a
        // different matmul summation order moves the last bits), while a wrong rule, off by
        // O(gradient) ~0.1, fails by four orders of magnitude.
        assertClose(logits.value, try f.tensor("logits"), tolerance: 5e-6, "logits")
        assertClose(loss.value.item, try f.float("loss"), tolerance: 5e-6, "loss")
        for name in names {
            guard let grad = inputs[name]!.grad else {
                XCTFail("\(name) received no gradient")
                continue
            }
            assertClose(grad, try f.tensor("grad_" + name), tolerance: 5e-6, "grad_" + name)
        }
    }
}
