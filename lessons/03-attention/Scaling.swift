// Cell: why attention divides its scores by √D, shown by how the softmax saturates without it.
//
// For random unit-variance queries and keys, a dot product of D terms has variance D. The cell
// measures, for growing D, the spread of the raw scores and the softmax's largest weight and
// entropy with and without the 1/√D factor. Left out: the gradient itself (lesson 04 trains);
// the prose says what saturation does to it.

import Foundation
import LabKernel
import LabNotebook

/// How peaked the rows of a softmax are: the mean over rows of the largest weight and of the
/// entropy −Σ p·ln p (in nats; ln S for a uniform row of S weights, 0 for a one-hot row).
func peakedness(_ weights: Tensor) -> (largest: Float, entropy: Float) {
    let (rows, columns) = (weights.shape[0], weights.shape[1])
    var largest: Double = 0, entropy: Double = 0
    for r in 0..<rows {
        var top: Float = 0
        for c in 0..<columns {
            let p = weights[r, c]
            top = max(top, p)
            if p > 0 { entropy -= Double(p) * log(Double(p)) }
        }
        largest += Double(top)
    }
    return (Float(largest / Double(rows)), Float(entropy / Double(rows)))
}

/// The standard deviation of all elements.
func standardDeviation(_ x: Tensor) -> Float {
    let mean = x.mean()
    return (x.map { ($0 - mean) * ($0 - mean) }.mean()).squareRoot()
}

extension AttentionLesson {
    func scalingCell() {
        notebook.prose("""
            Why divide by √D? Suppose the entries of q and k are independent with mean 0 and \
            variance 1, as they roughly are at initialization. Then q·k is a sum of D products, \
            each of variance 1, so q·k has variance D and a typical size of √D. With heads of \
            D = 128 (Llama's), raw scores of ±11 or more are normal, and a softmax of numbers that \
            far apart puts nearly all its weight on one key.
            """)
        let keys = 64
        let sizes = notebook.quick ? [4, 16, 64, 256] : [4, 16, 64, 256, 1024]
        notebook.prose("Measured on \(keys) random queries against \(keys) random keys, entries normal(0, 1); entropy in nats (a uniform row over \(keys) keys has ln \(keys) = \(formatFixed(log(Float(keys)), decimals: 2))):")
        var table = Table(["D", "std q·k", "std q·k/√D", "max weight raw", "max weight /√D", "entropy raw", "entropy /√D"])
        var rawRow: [Float] = [], scaledRow: [Float] = []
        for d in sizes {
            var generator = SeededGenerator(seed: UInt64(d))
            let q = Tensor.randomNormal([keys, d], using: &generator)
            let k = Tensor.randomNormal([keys, d], using: &generator)
            let raw = matmul(q, transposed: k)  // (T, D)·(S, D)ᵀ -> (T, S)
            let scaled = raw * (1 / Float(d).squareRoot())
            let (rawWeights, scaledWeights) = (softmax(raw), softmax(scaled))
            let (rawPeak, scaledPeak) = (peakedness(rawWeights), peakedness(scaledWeights))
            table.append([String(d), formatFixed(standardDeviation(raw), decimals: 2), formatFixed(standardDeviation(scaled), decimals: 2),
                          formatFixed(rawPeak.largest, decimals: 3), formatFixed(scaledPeak.largest, decimals: 3),
                          formatFixed(rawPeak.entropy, decimals: 2), formatFixed(scaledPeak.entropy, decimals: 2)])
            if d == 256 { (rawRow, scaledRow) = (rawWeights.row(0).scalars, scaledWeights.row(0).scalars) }
        }
        notebook.table(table)
        notebook.prose("The weights of one query over the \(keys) keys at D = 256, raw and scaled:")
        notebook.sparkline("raw  ", rawRow, width: keys, decimals: 3, xLabel: "key", yLabel: "attention weight",
                           title: "One query's weights over \(keys) keys at D = 256, raw scores")
        notebook.sparkline("/√D  ", scaledRow, width: keys, decimals: 3, xLabel: "key", yLabel: "attention weight",
                           title: "One query's weights over \(keys) keys at D = 256, scores / √D")
        notebook.prose("""
            Without the scale, the spread of the scores grows like √D and the softmax turns into a \
            hard maximum: at D = 256 one key takes almost everything and the entropy collapses. \
            That is bad for learning as much as for looking: where one weight is ≈1 and the rest \
            ≈0, the softmax's derivative p·(1 − p) is ≈0 everywhere, so almost no gradient reaches \
            the queries and keys. Dividing by √D keeps the scores' spread near 1 for every head \
            size, the softmax stays soft, and the model can learn to sharpen it where it helps.
            """)
    }
}
