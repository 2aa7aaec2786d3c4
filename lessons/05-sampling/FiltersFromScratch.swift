// The lesson's own top-k, top-p and min-p filters, written for reading; the kernel's
// (Sources/LabKernel/Sampling/TopK.swift, TopP.swift, MinP.swift) are checked against Hugging
// Face transformers, and Filters.swift checks these against the kernel's.
//
// All three follow transformers' conventions: a removed token's logit becomes -infinity (so
// softmax gives it exactly 0), kept logits are unchanged, and at least one token is always kept.
// The kernel's versions are faster on a 150,000-token row (a heap instead of a sort for top-k,
// a pre-filter before the sort for top-p); the results are the same.

/// Keeps the tokens whose logit is not below the k-th largest; ties with it are all kept.
func lessonTopK(_ logits: [Float], k: Int) -> [Float] {
    guard k < logits.count else { return logits }
    let kth = logits.sorted(by: >)[k - 1]
    return logits.map { $0 < kth ? -.infinity : $0 }
}

/// Keeps the most likely tokens while the probability ranked above them is below p, so the
/// token that crosses p is kept, and so is the most likely one. Ties: lower id first.
func lessonTopP(_ logits: [Float], p: Float) -> [Float] {
    let probability = probabilities(logits)
    let ranking = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
    var filtered = logits
    var massAbove = 0.0
    for (rank, id) in ranking.enumerated() {
        if rank > 0 && massAbove >= Double(p) { filtered[id] = -.infinity }
        massAbove += Double(probability[id])
    }
    return filtered
}

/// Removes the tokens whose probability is below minP times the largest probability.
func lessonMinP(_ logits: [Float], minP: Float) -> [Float] {
    let probability = probabilities(logits)
    let threshold = minP * probability.max()!
    return logits.indices.map { probability[$0] < threshold ? -.infinity : logits[$0] }
}
