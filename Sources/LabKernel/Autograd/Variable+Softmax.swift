// Differentiable softmax, log-softmax and cross-entropy (all over the last axis).
//
// The forward values come from the kernel (Math/Softmax.swift, Math/CrossEntropy.swift), which
// is stable for any logits. The backward rules work row by row from saved outputs, never
// building the V×V Jacobian: for a row of V logits they cost O(V).
//
// Cross-entropy is fused: its gradient (softmax − one-hot) is simpler and more accurate than
// chaining the rules of log-softmax and a gather, and it never forms log-probabilities.
//
// Left out: label smoothing and class weights.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax over the last axis: every row becomes a probability distribution. Shape (…, V).
///
/// Backward: with y = softmax(x), ∂y_i/∂x_j = y_i(δ_ij − y_j), so
/// `dx_j = Σ_i g_i y_i (δ_ij − y_j) = y_j (g_j − Σ_i g_i y_i)`, one dot product per row.
public func softmax(_ x: Variable) -> Variable {
    let output = softmax(x.value)
    return Variable.record("softmax", output, inputs: [x]) { g in
        var dx = g
        dx.updateEachRow(readingRowsOf: output) { dRow, yRow, width in
            var dot: Float = 0
            for j in 0..<width { dot += dRow[j] * yRow[j] }
            for j in 0..<width { dRow[j] = yRow[j] * (dRow[j] - dot) }
        }
        return [dx]
    }
}

/// Log-softmax over the last axis: `x − logsumexp(x)` per row. Shape (…, V).
///
/// Backward: with y_i = x_i − log Σ_k e^(x_k), ∂y_i/∂x_j = δ_ij − softmax_j, so
/// `dx_j = g_j − softmax_j · Σ_i g_i`, with softmax_j = e^(y_j) recovered from the output.
public func logSoftmax(_ x: Variable) -> Variable {
    let output = logSoftmax(x.value)
    return Variable.record("logSoftmax", output, inputs: [x]) { g in
        var dx = g
        dx.updateEachRow(readingRowsOf: output) { dRow, yRow, width in
            var total: Float = 0
            for j in 0..<width { total += dRow[j] }
            for j in 0..<width { dRow[j] -= expf(yRow[j]) * total }
        }
        return [dx]
    }
}

/// The mean cross-entropy of `targets` under `logits`, a 0-D variable; rows whose target is
/// `ignoreIndex` count for nothing (see `crossEntropy(logits:targets:ignoreIndex:)` on Tensors).
///
/// - Parameters:
///   - logits: shape (N, V); reshape (B, T, V) to (B·T, V) first
///   - targets: N class indices in `0..<V`, or `ignoreIndex`
///   - ignoreIndex: rows with this target are skipped (nil: none are)
///
/// Backward: each counted row contributes (logsumexp(z) − z_y)/n, whose derivative with respect
/// to z_j is (softmax_j − [j = y])/n. So `dz = g · (softmax(z) − onehot(y)) / n` on the n
/// counted rows and 0 on ignored rows (and 0 everywhere when no row is counted, where the loss
/// itself is NaN).
public func crossEntropy(logits: Variable, targets: [Int], ignoreIndex: Int? = nil) -> Variable {
    let input = logits.value
    let loss = crossEntropy(logits: input, targets: targets, ignoreIndex: ignoreIndex)
    return Variable.record("crossEntropy", Tensor(scalar: loss), inputs: [logits]) { g in
        var dz = softmax(input)
        let width = input.shape[1]
        let counted = targets.filter { $0 != ignoreIndex }.count
        let scale = counted == 0 ? 0 : g.item / Float(counted)
        dz.withUnsafeMutableBufferPointer { d in
            for (r, target) in targets.enumerated() {
                let row = d.baseAddress! + r * width
                if target == ignoreIndex {
                    for j in 0..<width { row[j] = 0 }
                } else {
                    row[target] -= 1
                    for j in 0..<width { row[j] *= scale }
                }
            }
        }
        return [dz]
    }
}
