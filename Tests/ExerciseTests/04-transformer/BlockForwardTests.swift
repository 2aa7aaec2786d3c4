// Tests for exercise 04.5 (transformer.block-forward): `blockForward(_:attentionNorm:attention:mlpNorm:mlp:)`
// in exercises/04-transformer/BlockForward.swift.
//
// Hand cases that tell the wirings apart (the doc comment's identity parts, parts that each change
// the numbers differently, zero sublayers leaving the stream unchanged, each part called once),
// then block 0 of the committed GPT-2 and Llama checkpoints assembled from the kernel's public
// layers, against the kernel model's own output after block 0 (`hiddenStates`).

import XCTest
import LabKernel
import LabTestSupport
import ExerciseBlockForward

final class BlockForwardTests: XCTestCase {
    func testIdentityPartsDoubleTwice() {
        guard let y = exercise({ blockForward(Tensor([[1, 2]]), attentionNorm: { $0 }, attention: { $0 }, mlpNorm: { $0 }, mlp: { $0 }) })
        else { return }
        // Exact: x + x = 2x, then 2x + 2x = 4x.
        assertClose(y, Tensor([[4, 8]]), tolerance: 0, "with every part the identity the block gives 4x")
    }

    func testEachPartSitsInItsPlace() {
        guard let y = exercise({
            blockForward(Tensor([[1, 2]]), attentionNorm: { $0 * 2 }, attention: { $0 + 1 }, mlpNorm: { $0 * 0.5 }, mlp: { $0 * $0 })
        }) else { return }
        // r = x + (2x + 1) = [4, 7]; then r + (0.5·r)² = [4 + 4, 7 + 12.25]. Exact in Float.
        assertClose(y, Tensor([[8, 19.25]]), tolerance: 0,
                    "x = [1, 2], attentionNorm ·2, attention +1, mlpNorm ·0.5, mlp squares: r = x + attention(attentionNorm(x)) = [4, 7], "
                        + "then r + mlp(mlpNorm(r)); the second norm reads r, not x")
    }

    func testZeroSublayersLeaveTheStreamUnchanged() {
        let x = Tensor([[0.5, -1, 3], [2, 0, -4]])
        guard let y = exercise({
            blockForward(x, attentionNorm: { $0 * 100 }, attention: { Tensor.zeros($0.shape) }, mlpNorm: { $0 * 100 },
                         mlp: { Tensor.zeros($0.shape) })
        }) else { return }
        // Exact: the residual connections add zeros; the norms' outputs only feed the sublayers.
        assertClose(y, x, tolerance: 0, "sublayers that add nothing leave x as it was: the norms never touch the residual stream itself")
    }

    func testEachPartIsCalledOnce() {
        var calls = [0, 0, 0, 0]
        guard exercise({
            blockForward(Tensor([[1]]), attentionNorm: { calls[0] += 1; return $0 }, attention: { calls[1] += 1; return $0 },
                         mlpNorm: { calls[2] += 1; return $0 }, mlp: { calls[3] += 1; return $0 })
        }) != nil else { return }
        XCTAssertEqual(calls, [1, 1, 1, 1], "calls of [attentionNorm, attention, mlpNorm, mlp]: each exactly once")
    }

    func testBlockZeroOfTheGPT2Checkpoint() throws {
        let model = try loadModel(folder: RepositoryPaths.fixtures.appendingPathComponent("models/gpt2")).model
        let (c, heads) = (model.config.width, model.config.heads)
        let p = { (name: String) in model.parameters["transformer.h.0." + name]! }
        let layerNormNamed = { (name: String) in
            { (x: Tensor) in layerNorm(x, weight: p(name + ".weight"), bias: p(name + ".bias"), epsilon: model.config.normEpsilon) }
        }
        let attention = { (h: Tensor) -> Tensor in
            let qkv = linear(h, weight: p("attn.c_attn.weight"), bias: p("attn.c_attn.bias"), layout: .inputsByOutputs)  // (T, 3C)
            let (q, k, v) = (qkv.columns(0..<c), qkv.columns(c..<(2 * c)), qkv.columns((2 * c)..<(3 * c)))
            let attended = causalAttention(query: q, keys: k, values: v, shape: AttentionShape(heads: heads, kvHeads: heads, headSize: c / heads))
            return linear(attended, weight: p("attn.c_proj.weight"), bias: p("attn.c_proj.bias"), layout: .inputsByOutputs)
        }
        let mlp = { (h: Tensor) in
            linear(gelu(linear(h, weight: p("mlp.c_fc.weight"), bias: p("mlp.c_fc.bias"), layout: .inputsByOutputs)),
                   weight: p("mlp.c_proj.weight"), bias: p("mlp.c_proj.bias"), layout: .inputsByOutputs)
        }
        let states = model.hiddenStates(tokens: [5, 77, 12, 250, 9, 31])
        guard let y = exercise({
            blockForward(states[0].output, attentionNorm: layerNormNamed("ln_1"), attention: attention, mlpNorm: layerNormNamed("ln_2"), mlp: mlp)
        }) else { return }
        // The kernel's model gives transformers' logits on this checkpoint; the same layers, so rounding only.
        assertClose(y, states[1].output, tolerance: 1e-5, "GPT-2 block 0 (LayerNorm, attention, GELU MLP) on 6 tokens, against the kernel model's block 0")
    }

    func testBlockZeroOfTheLlamaCheckpoint() throws {
        let model = try loadModel(folder: RepositoryPaths.fixtures.appendingPathComponent("models/llama")).model
        let config = model.config
        let p = { (name: String) in model.parameters["model.layers.0." + name + ".weight"]! }
        let table = RotaryTable(headSize: config.headSize, positions: config.contextLength, theta: config.ropeTheta)
        let shape = AttentionShape(heads: config.heads, kvHeads: config.kvHeads, headSize: config.headSize)
        let project = { (h: Tensor, name: String) in linear(h, weight: p(name), bias: nil, layout: .outputsByInputs) }
        let attention = { (h: Tensor) -> Tensor in
            let q = rotary(project(h, "self_attn.q_proj"), heads: config.heads, table: table)      // (T, H·D)
            let k = rotary(project(h, "self_attn.k_proj"), heads: config.kvHeads, table: table)    // (T, KVH·D)
            let attended = causalAttention(query: q, keys: k, values: project(h, "self_attn.v_proj"), shape: shape)
            return project(attended, "self_attn.o_proj")
        }
        let mlp = { (h: Tensor) in project(silu(project(h, "mlp.gate_proj")) * project(h, "mlp.up_proj"), "mlp.down_proj") }
        let states = model.hiddenStates(tokens: [3, 41, 59, 26, 53])
        guard let y = exercise({
            blockForward(states[0].output, attentionNorm: { rmsNorm($0, weight: p("input_layernorm"), epsilon: config.normEpsilon) },
                         attention: attention, mlpNorm: { rmsNorm($0, weight: p("post_attention_layernorm"), epsilon: config.normEpsilon) },
                         mlp: mlp)
        }) else { return }
        // The same kernel layers as the model's block 0 (RMSNorm, RoPE, GQA, SwiGLU); rounding only.
        assertClose(y, states[1].output, tolerance: 1e-5, "Llama block 0 on 5 tokens, against the kernel model's block 0")
    }
}

private extension Tensor {
    /// Columns `range` of a (T, N) matrix: (T, range.count).
    func columns(_ range: Range<Int>) -> Tensor {
        let rows = shape[0]
        return Tensor(shape: [rows, range.count], scalars: (0..<rows).flatMap { r in range.map { self[r, $0] } })
    }
}
