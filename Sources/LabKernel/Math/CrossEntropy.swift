// Cross-entropy: how surprised the model is by the right answer.
//
// For logits z over V classes and a target class y, the loss is -log softmax(z)_y, computed as
// logsumexp(z) - z_y so that it stays finite however confident (or wrong) the model is. The
// mean is taken over the rows whose target is not `ignoreIndex` (PyTorch's default is -100),
// which lets padded positions in a batch contribute nothing.

/// The mean cross-entropy of `targets` under `logits`.
///
/// - Parameters:
///   - logits: shape (N, V)
///   - targets: N class indices in `0..<V`, or `ignoreIndex`
///   - ignoreIndex: rows with this target are skipped (nil: none are skipped)
/// - Returns: the mean loss over counted rows (NaN when every row is ignored, as PyTorch)
public func crossEntropy(logits: Tensor, targets: [Int], ignoreIndex: Int? = nil) -> Float {
    validateCrossEntropy(logits: logits, targets: targets, ignoreIndex: ignoreIndex)
    let width = logits.shape[1]
    var total = 0.0
    var counted = 0
    logits.withUnsafeBufferPointer { buffer in
        for (r, target) in targets.enumerated() where target != ignoreIndex {
            let row = buffer.baseAddress! + r * width
            // logsumexp(z) - z_y = (m - z_y) + log Σ e^(z_j - m): the difference of two logits is
            // formed in Double before adding, so logits near 1000 lose nothing to Float rounding.
            let (maximum, logSum) = shiftedLogSumExp(row, width)
            total += (Double(maximum) - Double(row[target])) + Double(logSum)
            counted += 1
        }
    }
    return Float(total / Double(counted))
}

/// Checks shapes and target ranges with messages that say what was expected.
func validateCrossEntropy(logits: Tensor, targets: [Int], ignoreIndex: Int?) {
    precondition(logits.rank == 2, "crossEntropy: logits must have shape (N, V), got \(logits.shape.shapeDescription)")
    precondition(logits.shape[0] == targets.count,
                 "crossEntropy: logits have \(logits.shape[0]) rows (shape \(logits.shape.shapeDescription)) but there are \(targets.count) targets")
    let width = logits.shape[1]
    for (r, target) in targets.enumerated() where target != ignoreIndex {
        precondition(target >= 0 && target < width,
                     "crossEntropy: target \(target) at row \(r) is outside 0..<\(width) (the number of classes)")
    }
}
