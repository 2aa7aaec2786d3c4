// The pieces of a transformer block, written from scratch: linear layers in both weight layouts,
// LayerNorm and RMSNorm, GELU and SiLU, GPT-2's MLP and Llama's SwiGLU, causal multi-head
// attention with grouped key/value heads, and RoPE. The cell "The block, piece by piece" shows
// each one on a small input and checks it against the kernel's.
//
// Plain loops where the idea lives in the loop (the norms, RoPE, the head bookkeeping); the
// kernel's `matmul` and `softmax` where lessons 00 and 03 already built them. Shapes: T tokens,
// C width, H query heads, KVH key/value heads, D head size, F the MLP's width.
//
// Left out: batches (one sequence at a time) and a KV cache (the lesson always runs a whole
// sequence from position 0; lesson 03 and the kernel's KVCache cover decoding).

import Foundation
import LabKernel
import LabNotebook

// MARK: - Linear layers

/// GPT-2's `Conv1D`: y = x·W + b with W stored (in, out). x (T, in) -> (T, out).
func linearConv1D(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
    let y = matmul(x, weight)  // (T, in)·(in, out) -> (T, out)
    return bias.map { y + $0 } ?? y  // (T, out) + (out) broadcasts over the rows
}

/// PyTorch's `nn.Linear` (Llama, every LM head): y = x·Wᵀ + b with W stored (out, in).
/// x (T, in) -> (T, out).
func linearOutIn(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
    let y = matmul(x, transposed: weight)  // (T, in)·(out, in)ᵀ -> (T, out)
    return bias.map { y + $0 } ?? y
}

// MARK: - Norms

/// LayerNorm over each row: (x − mean) / sqrt(variance + ε) · gain + bias. x (T, C) -> (T, C).
///
/// The variance divides by C (not C − 1), and ε goes inside the square root, as in PyTorch;
/// a different ε is one of the classic reasons a port disagrees with the original.
func lessonLayerNorm(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Float) -> Tensor {
    let (rows, c) = (x.shape[0], x.shape[1])
    var out = x
    for t in 0..<rows {
        let row = (0..<c).map { x[t, $0] }
        let mean = row.reduce(0, +) / Float(c)
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(c)
        let scale = 1 / (variance + epsilon).squareRoot()
        for i in 0..<c { out[t, i] = (row[i] - mean) * scale * gain[i] + bias[i] }
    }
    return out
}

/// RMSNorm over each row: x / sqrt(mean(x²) + ε) · gain. x (T, C) -> (T, C). No mean is
/// subtracted and there is no bias: cheaper, and it trains as well.
func lessonRMSNorm(_ x: Tensor, gain: Tensor, epsilon: Float) -> Tensor {
    let (rows, c) = (x.shape[0], x.shape[1])
    var out = x
    for t in 0..<rows {
        let meanSquare = (0..<c).map { x[t, $0] * x[t, $0] }.reduce(0, +) / Float(c)
        let scale = 1 / (meanSquare + epsilon).squareRoot()
        for i in 0..<c { out[t, i] = x[t, i] * scale * gain[i] }
    }
    return out
}

// MARK: - Activations and MLPs

/// The activation a config names: GPT-2's tanh GELU, exact GELU, or SiLU. Elementwise.
func lessonActivation(_ x: Tensor, _ activation: TransformerConfig.Activation) -> Tensor {
    switch activation {
    case .geluTanh:  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        return x.map { 0.5 * $0 * (1 + tanh(0.797_884_56 * ($0 + 0.044_715 * $0 * $0 * $0))) }
    case .gelu:      // x·Φ(x) = 0.5·x·(1 + erf(x/√2))
        return x.map { 0.5 * $0 * (1 + erf($0 * 0.707_106_78)) }  // 1/√2
    case .silu:      // x·σ(x)
        return x.map { $0 / (1 + exp(-$0)) }
    }
}

/// GPT-2's MLP: down(gelu(up(x))), weights in Conv1D layout: up (C, F), down (F, C). x (T, C) -> (T, C).
func lessonGPT2MLP(_ x: Tensor, up: Tensor, upBias: Tensor?, down: Tensor, downBias: Tensor?,
                   activation: TransformerConfig.Activation = .geluTanh) -> Tensor {
    let hidden = lessonActivation(linearConv1D(x, up, upBias), activation)  // (T, F)
    return linearConv1D(hidden, down, downBias)                            // (T, C)
}

/// Llama's SwiGLU MLP: down(silu(gate(x)) ⊙ up(x)), nn.Linear weights: gate, up (F, C), down (C, F).
/// x (T, C) -> (T, C). The gate decides, per hidden unit, how much of up(x) passes.
func lessonSwiGLU(_ x: Tensor, gate: Tensor, up: Tensor, down: Tensor,
                  biases: (gate: Tensor?, up: Tensor?, down: Tensor?) = (nil, nil, nil)) -> Tensor {
    let gated = lessonActivation(linearOutIn(x, gate, biases.gate), .silu)  // (T, F)
    let hidden = gated * linearOutIn(x, up, biases.up)                      // (T, F) ⊙ (T, F)
    return linearOutIn(hidden, down, biases.down)                           // (T, C)
}

// MARK: - Attention

/// Columns `head·D ..< (head + 1)·D` of x (T, heads·D): one head, (T, D).
func headSlice(_ x: Tensor, head: Int, headSize d: Int) -> Tensor {
    let rows = x.shape[0]
    var out = Tensor.zeros([rows, d])
    for t in 0..<rows { for i in 0..<d { out[t, i] = x[t, head * d + i] } }
    return out
}

/// Causal multi-head attention: q (T, H·D), k and v (T, KVH·D) -> (T, H·D).
///
/// With grouped-query attention (KVH < H), H / KVH consecutive query heads share one key/value
/// head; KVH = H is ordinary multi-head attention (GPT-2). With a sliding `window` W (Mistral),
/// position p sees only the keys p − W + 1 … p.
func lessonAttention(query q: Tensor, keys k: Tensor, values v: Tensor, heads: Int, kvHeads: Int, headSize d: Int,
                     window: Int? = nil) -> Tensor {
    let t = q.shape[0]
    var out = Tensor.zeros([t, heads * d])
    for h in 0..<heads {
        let kv = h / (heads / kvHeads)  // the key/value head this query head reads
        let qh = headSlice(q, head: h, headSize: d), kh = headSlice(k, head: kv, headSize: d)
        let vh = headSlice(v, head: kv, headSize: d)
        var scores = matmul(qh, transposed: kh) * (1 / Float(d).squareRoot())  // (T, D)·(T, D)ᵀ -> (T, T)
        for row in 0..<t {
            for column in (row + 1)..<t { scores[row, column] = -.infinity }  // the future
            if let window { for column in 0..<max(0, row - window + 1) { scores[row, column] = -.infinity } }  // the distant past
        }
        let mixed = matmul(softmax(scores), vh)  // (T, T)·(T, D) -> (T, D)
        for row in 0..<t { for i in 0..<d { out[row, h * d + i] = mixed[row, i] } }
    }
    return out
}

/// RoPE in the rotate-half layout of Hugging Face's Llama: in every head, element i and element
/// i + D/2 are rotated together by the angle position · θ^(−2i/D). x (T, heads·D) -> (T, heads·D).
///
/// `inverseFrequencies` overrides θ^(−2i/D) for models with long-context rope scaling (the
/// kernel's `RotaryTable` computes those); nil for plain RoPE.
func lessonRoPE(_ x: Tensor, heads: Int, headSize d: Int, theta: Double, inverseFrequencies: [Float]? = nil) -> Tensor {
    let half = d / 2
    let frequencies = inverseFrequencies ?? (0..<half).map { 1 / powf(Float(theta), Float(2 * $0) / Float(d)) }
    var out = x
    for position in 0..<x.shape[0] {
        for h in 0..<heads {
            for i in 0..<half {
                let angle = Float(position) * frequencies[i]
                let (c, s) = (cos(angle), sin(angle))
                let (first, second) = (x[position, h * d + i], x[position, h * d + i + half])
                out[position, h * d + i] = first * c - second * s
                out[position, h * d + i + half] = second * c + first * s
            }
        }
    }
    return out
}

// MARK: - Comparing with the kernel

/// The largest |a − b| over all elements (a and b of one shape).
func largestDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "largestDifference: shapes \(a.shape) and \(b.shape) differ")
    return a.maxAbsoluteDifference(b)
}

/// A difference as the lesson prints it: exact when it is large enough to matter, else "< 1e-5",
/// zero included (whether float rounding leaves the last bits equal depends on the machine and on
/// how the kernel orders its sums, which may change).
func formatDifference(_ difference: Float) -> String {
    if !difference.isFinite { return "\(difference)" }
    return difference < 1e-5 ? "< 1e-5" : String(format: "%.3g", Double(difference))
}

extension TransformerLesson {
    func blockPieceByPiece() {
        notebook.prose("""
            A transformer block turns the residual stream x, one row of C numbers per token, into \
            a new one of the same shape. GPT-2 and every Llama since write it in "pre-norm" form:

            - x = x + attention(norm₁(x)): tokens look at earlier tokens and add what they found;
            - x = x + mlp(norm₂(x)): each token, on its own, through a two-layer network.

            The additions are the residual connections: each sublayer only adds a correction, so \
            the embedding flows to the top unchanged unless a layer has something to say, and \
            gradients flow back down the same way. Here are the pieces, written in this lesson \
            (Pieces.swift), on 4 tokens of width C = 8, each checked against the kernel's:
            """)
        var generator = SeededGenerator(seed: 4)
        let (t, c, f, heads, kvHeads) = (4, 8, 32, 4, 2)
        let d = c / heads
        let x = Tensor.randomNormal([t, c], mean: 0.5, standardDeviation: 2, using: &generator)
        let gain = Tensor.randomNormal([c], mean: 1, standardDeviation: 0.1, using: &generator)
        let bias = Tensor.randomNormal([c], standardDeviation: 0.1, using: &generator)
        let random = { (shape: [Int]) in Tensor.randomNormal(shape, standardDeviation: 0.3, using: &generator) }
        let (up, upBias, down, downBias) = (random([c, f]), random([f]), random([f, c]), random([c]))
        let (gate, upLlama, downLlama) = (random([f, c]), random([f, c]), random([c, f]))
        let (q, k, v) = (random([t, heads * d]), random([t, kvHeads * d]), random([t, kvHeads * d]))
        let table = RotaryTable(headSize: d, positions: t, theta: 10_000)
        let layerNormed = lessonLayerNorm(x, gain: gain, bias: bias, epsilon: 1e-5)
        let row = (0..<c).map { layerNormed[0, $0] }
        let rowMean = row.reduce(0, +) / Float(c)
        let rowDeviation = (row.map { ($0 - rowMean) * ($0 - rowMean) }.reduce(0, +) / Float(c)).squareRoot()
        notebook.values([
            ("x, token 0", (0..<c).map { formatFixed(x[0, $0], decimals: 2) }.joined(separator: " ")),
            ("layerNorm(x), token 0", row.map { formatFixed($0, decimals: 2) }.joined(separator: " ")),
            ("its mean and spread", "\(formatFixed(rowMean, decimals: 3)), \(formatFixed(rowDeviation, decimals: 3)) (gain ≈ 1, bias ≈ 0)"),
        ])
        var table2 = Table(["piece", "shapes", "max |lesson − kernel|"])
        let pieces: [(String, String, Float)] = [
            ("LayerNorm (GPT-2)", "(T, C) -> (T, C)",
             largestDifference(layerNormed, layerNorm(x, weight: gain, bias: bias, epsilon: 1e-5))),
            ("RMSNorm (Llama)", "(T, C) -> (T, C)",
             largestDifference(lessonRMSNorm(x, gain: gain, epsilon: 1e-6), rmsNorm(x, weight: gain, epsilon: 1e-6))),
            ("GELU, tanh form", "elementwise",
             largestDifference(lessonActivation(x, .geluTanh), gelu(x, approximation: .tanh))),
            ("SiLU", "elementwise", largestDifference(lessonActivation(x, .silu), silu(x))),
            ("GPT-2 MLP", "(T, C) -> (T, F) -> (T, C)",
             largestDifference(lessonGPT2MLP(x, up: up, upBias: upBias, down: down, downBias: downBias),
                               linear(gelu(linear(x, weight: up, bias: upBias, layout: .inputsByOutputs)),
                                      weight: down, bias: downBias, layout: .inputsByOutputs))),
            ("SwiGLU MLP (Llama)", "(T, C) -> (T, F) -> (T, C)",
             largestDifference(lessonSwiGLU(x, gate: gate, up: upLlama, down: downLlama),
                               linear(silu(linear(x, weight: gate, bias: nil, layout: .outputsByInputs))
                                      * linear(x, weight: upLlama, bias: nil, layout: .outputsByInputs),
                                      weight: downLlama, bias: nil, layout: .outputsByInputs))),
            ("attention, H = 4, KVH = 2", "(T, H·D), (T, KVH·D) -> (T, H·D)",
             largestDifference(lessonAttention(query: q, keys: k, values: v, heads: heads, kvHeads: kvHeads, headSize: d),
                               causalAttention(query: q, keys: k, values: v,
                                               shape: AttentionShape(heads: heads, kvHeads: kvHeads, headSize: d)))),
            ("RoPE (rotate-half)", "(T, H·D) -> (T, H·D)",
             largestDifference(lessonRoPE(q, heads: heads, headSize: d, theta: 10_000), rotary(q, heads: heads, table: table))),
        ]
        for (name, shapes, difference) in pieces { table2.append([name, shapes, formatDifference(difference)]) }
        notebook.table(table2)
        // Float rounding in a different order (the kernel sums norms in Double, fuses loops).
        notebook.check(pieces.allSatisfy { $0.2 < 1e-5 },
                       "every piece agrees with the kernel's within 1e-5 (float rounding in another order)")
    }
}
