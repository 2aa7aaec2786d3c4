// LoRA on the fast training path: the low-rank path of each adapted projection, forward and
// backward, on the same raw memory as the frozen model's products (TrainableTransformer.swift).
//
// For a projection whose input x is (N, in) and whose output sits in columns [c, c + out) of a
// block of row stride ldy (q, k and v share one stacked output; so do gate and up):
//
//     forward     x̃ = x ⊙ mask (dropout, training only)      u = s · x̃·Aᵀ  (N, r), kept
//                 y[:, c..<c+out] += u·Bᵀ
//     backward    dB += dyᵀ·u                                du = s · dy·B  (N, r)
//                 dA += duᵀ·x̃                                dx += (du·A) ⊙ mask
//
// where dy is the same slice of the output's gradient that the frozen product's backward reads,
// and dx the input gradient it has just written. Keeping u already scaled by s makes dB one
// product. The mask holds 0 or 1/(1 − p) per entry, drawn in row order from the adapter's
// generator, so a step gives the same bits on any thread count.

/// Scratch for one batch shape: per target, u and du (N, r), and with dropout the dropped input
/// x̃ and the mask (N, in).
final class LoRAWorkspace {
    struct Scratch {
        let u, du: UnsafeMutablePointer<Float>
        let dropped, mask: UnsafeMutablePointer<Float>?
    }
    let scratch: [Scratch]
    /// Whether the last forward pass dropped inputs (a training pass with dropout > 0).
    var dropped = false
    private let memory = ScratchMemory()
    var bytes: Int { memory.bytes }

    init(adapter: LoRAAdapter, rows: Int) {
        let memory = memory
        let r = adapter.settings.rank, withDropout = adapter.settings.dropout > 0
        scratch = adapter.targets.map { target in
            Scratch(u: memory.floats(rows * r), du: memory.floats(rows * r),
                    dropped: withDropout ? memory.floats(rows * target.inputs) : nil,
                    mask: withDropout ? memory.floats(rows * target.inputs) : nil)
        }
    }
}

extension TrainableTransformer {
    /// The first column of `projection`'s output within the block it is stacked in.
    func loraColumn(_ projection: LoRAProjection) -> Int {
        let d = config.headSize
        switch projection {
        case .key: return config.heads * d
        case .value: return (config.heads + config.kvHeads) * d
        case .up: return config.architecture.isLlamaFamily ? config.feedForwardWidth : 0
        case .queryKeyValue, .query, .output, .gate, .down: return 0
        }
    }

    /// Adds target `index`'s low-rank path for input x (rows, in) into y (its output columns,
    /// row stride ldy), keeping u (and with dropout x̃) for the backward pass.
    func loraForward(_ index: Int, x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
                     ldy: Int, training: Bool, _ workspace: LoRAWorkspace) {
        guard let adapter else { return }
        let target = adapter.targets[index], scratch = workspace.scratch[index]
        let (r, p) = (adapter.settings.rank, adapter.parameters.values)
        var input = x
        if training, let dropped = scratch.dropped, let mask = scratch.mask {
            let keep = 1 - adapter.settings.dropout, kept = 1 / keep
            let count = rows * target.inputs
            for i in 0..<count {
                mask[i] = adapter.dropoutGenerator.nextFloat() < keep ? kept : 0
                dropped[i] = x[i] * mask[i]
            }
            input = UnsafePointer(dropped)
        }
        let a = p + adapter.parameters.offset(target.a), b = p + adapter.parameters.offset(target.b)
        gemm(m: rows, n: r, k: target.inputs, a: input, lda: target.inputs, b: a, ldb: target.inputs,
             transposeB: .transposed, c: scratch.u, ldc: r)
        let scale = adapter.settings.scale
        for i in 0..<(rows * r) { scratch.u[i] *= scale }
        gemm(m: rows, n: target.outputs, k: r, a: scratch.u, lda: r, b: b, ldb: r, transposeB: .transposed,
             c: y, ldc: ldy, accumulate: true)
    }

    /// The backward pass of `loraForward` from dy (its output columns, row stride ldy): dA and dB
    /// into the adapter's gradients, and the path's input gradient added to `inputGradient` (rows, in).
    func loraBackward(_ index: Int, dy: UnsafePointer<Float>, ldy: Int, x: UnsafePointer<Float>, rows: Int,
                      inputGradient: UnsafeMutablePointer<Float>, _ workspace: LoRAWorkspace) {
        guard let adapter else { return }
        let target = adapter.targets[index], scratch = workspace.scratch[index]
        let (r, p, g) = (adapter.settings.rank, adapter.parameters.values, adapter.parameters.gradients)
        let (aOffset, bOffset) = (adapter.parameters.offset(target.a), adapter.parameters.offset(target.b))
        let dropped = workspace.dropped ? scratch.dropped : nil
        let input = dropped.map { UnsafePointer($0) } ?? x
        // dB (out, r) += dyᵀ·u;  du = s · dy·B.
        gemm(m: target.outputs, n: r, k: rows, a: dy, lda: ldy, transposeA: .transposed, b: scratch.u, ldb: r,
             c: g + bOffset, ldc: r, accumulate: true)
        gemm(m: rows, n: r, k: target.outputs, a: dy, lda: ldy, b: p + bOffset, ldb: r, c: scratch.du, ldc: r)
        let scale = adapter.settings.scale
        for i in 0..<(rows * r) { scratch.du[i] *= scale }
        // dA (r, in) += duᵀ·x̃.
        gemm(m: r, n: target.inputs, k: rows, a: scratch.du, lda: r, transposeA: .transposed, b: input,
             ldb: target.inputs, c: g + aOffset, ldc: target.inputs, accumulate: true)
        // dx += du·A (⊙ mask): through the dropped copy's memory, which is no longer needed.
        if let dropped, let mask = scratch.mask {
            gemm(m: rows, n: target.inputs, k: r, a: scratch.du, lda: r, b: p + aOffset, ldb: target.inputs,
                 c: dropped, ldc: target.inputs)
            for i in 0..<(rows * target.inputs) { inputGradient[i] += dropped[i] * mask[i] }
        } else {
            gemm(m: rows, n: target.inputs, k: r, a: scratch.du, lda: r, b: p + aOffset, ldb: target.inputs,
                 c: inputGradient, ldc: target.inputs, accumulate: true)
        }
    }
}
