// The model's smaller layers one by one: linear layers in both weight layouts, column slices,
// GPT-2's MLP and the gated (SwiGLU) MLP, each on Tensors and on Variables (same values) and
// with gradients checked by finite differences.

@testable import LabKernel
import LabTestSupport
import XCTest

final class ModelLayerTests: XCTestCase {
    var generator = SeededGenerator(seed: 21)

    func parameter(_ shape: [Int], _ name: String) -> Variable {
        Variable(Tensor.randomNormal(shape, standardDeviation: 0.5, using: &generator), name: name)
    }

    func testLinearLayoutsAgreeWithMatmul() {
        let x = Tensor.randomNormal([3, 5], using: &generator)
        let w = Tensor.randomNormal([4, 5], using: &generator), b = Tensor.randomNormal([4], using: &generator)
        // nn.Linear (out, in): x·Wᵀ + b; Conv1D (in, out) with the transposed copy: x·W + b. Same numbers.
        let expected = matmulNaive(x, w.transposed()) + b
        assertClose(linear(x, weight: w, bias: b, layout: .outputsByInputs), expected, tolerance: 1e-5)  // summation order
        assertClose(linear(x, weight: w.transposed(), bias: b, layout: .inputsByOutputs), expected, tolerance: 1e-5)
        // One row takes gemm's matrix-vector path.
        assertClose(linear(Tensor(shape: [1, 5], scalars: Array(x.scalars[0..<5])), weight: w, bias: b, layout: .outputsByInputs),
                    Tensor(shape: [1, 4], scalars: Array(expected.scalars[0..<4])), tolerance: 1e-5)
    }

    func testColumnsGradient() {
        let x = parameter([3, 6], "x")
        let weights = Variable(Tensor.randomNormal([3, 2], using: &generator), requiresGrad: false)
        let result = gradientCheck([x]) { (columns(x, 2..<4) * weights).sum() }
        XCTAssertTrue(result.passes(tolerance: 1e-2), "\(result)")  // linear in x: only Float rounding
        XCTAssertEqual(x.grad, nil)  // gradientCheck restores grads
    }

    func testPlainMLPValuesAndGradients() {
        let x = parameter([3, 4], "x"), up = parameter([4, 8], "c_fc"), upBias = parameter([8], "c_fc.bias")
        let down = parameter([8, 4], "c_proj"), downBias = parameter([4], "c_proj.bias")
        for activation in [TransformerConfig.Activation.geluTanh, .gelu] {
            let tensor = plainMLP(x.value, up: .float(up.value, .inputsByOutputs), upBias: upBias.value,
                                  down: .float(down.value, .inputsByOutputs), downBias: downBias.value, activation: activation)
            let variable = plainMLP(x, up: up, upBias: upBias, down: down, downBias: downBias, activation: activation)
            assertClose(variable.value, tensor, tolerance: 0)  // the same Tensor functions run underneath
            let result = gradientCheck([x, up, upBias, down, downBias]) {
                let y = plainMLP(x, up: up, upBias: upBias, down: down, downBias: downBias, activation: activation)
                return (y * y).sum()
            }
            XCTAssertTrue(result.passes(tolerance: 1e-2), "\(activation): \(result)")  // Float central differences, ε = 1e-3
        }
    }

    func testGatedMLPValuesAndGradients() {
        let x = parameter([3, 4], "x"), gate = parameter([6, 4], "gate_proj"), up = parameter([6, 4], "up_proj")
        let down = parameter([4, 6], "down_proj"), gateBias = parameter([6], "gate_proj.bias")
        // SwiGLU written out: down(silu(x·Gᵀ + g) ⊙ x·Uᵀ), from the kernel's plain matmul and silu.
        let expected = matmul(silu(matmul(x.value, transposed: gate.value) + gateBias.value) * matmul(x.value, transposed: up.value),
                              transposed: down.value)
        let tensor = gatedMLP(x.value, gate: .float(gate.value, .outputsByInputs), gateBias: gateBias.value,
                              up: .float(up.value, .outputsByInputs), upBias: nil, down: .float(down.value, .outputsByInputs),
                              downBias: nil, activation: .silu)
        assertClose(tensor, expected, tolerance: 1e-5)  // gemm paths round differently
        let result = gradientCheck([x, gate, gateBias, up, down]) {
            let y = gatedMLP(x, gate: gate, gateBias: gateBias, up: up, upBias: nil, down: down, downBias: nil, activation: .silu)
            return (y * y).sum()
        }
        XCTAssertTrue(result.passes(tolerance: 1e-2), "\(result)")  // Float central differences, ε = 1e-3
    }
}
