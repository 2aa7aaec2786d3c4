// TopK: keeping only the k most likely tokens.
//
// Every token whose logit is below the k-th largest logit becomes -infinity. Ties follow
// transformers' `TopKLogitsWarper` exactly: the rule is "remove if strictly below the k-th
// largest value", so tokens tied with the k-th one are all kept and the row can keep more than
// k tokens (logits [3, 2, 2, 1] with k = 2 keep the 3 and both 2s). k ≥ V keeps everything;
// k must be ≥ 1 (transformers' min_tokens_to_keep = 1). Top-k does not depend on the temperature
// (it never reorders tokens); it runs after it only because transformers does.
//
// Finding the k-th largest of V = 150,000 logits does not need a full sort: a min-heap of the k
// best values seen so far costs O(V log k) and touches each logit once; `topKThresholdNaive`
// beside it sorts everything, the obvious version, and the tests hold the two together.
// Left out: min_tokens_to_keep > 1 (beam search), which the kit does not implement.

/// Sets to -infinity every logit below the k-th largest.
///
///     TopKFilter(2).processed([1, 3, 2, 2])   // [-inf, 3.0, 2.0, 2.0]
public struct TopKFilter: LogitsProcessor {
    public let k: Int

    /// - Precondition: `k` ≥ 1.
    public init(_ k: Int) {
        precondition(k >= 1, "TopKFilter: k must be at least 1, got \(k); leave topK nil to switch top-k off")
        self.k = k
    }

    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        guard k < logits.count else { return }  // k ≥ V keeps every token
        let threshold = topKThreshold(logits, k: k)
        for j in logits.indices where logits[j] < threshold { logits[j] = -.infinity }
    }
}

/// The k-th largest value of `values` (counting repeated values separately), found with a
/// min-heap of the k largest seen so far: O(V log k) time, O(k) memory.
///
/// - Precondition: 1 ≤ k ≤ values.count, no NaN.
public func topKThreshold(_ values: [Float], k: Int) -> Float {
    precondition(k >= 1 && k <= values.count, "topKThreshold: k must be in 1...\(values.count) (V), got \(k)")
    // heap[0] is the smallest of the k largest values so far: the current threshold.
    var heap = [Float]()
    heap.reserveCapacity(k)
    for value in values {
        precondition(!value.isNaN, "topKThreshold: the logits contain NaN")
        if heap.count < k {
            heap.append(value)
            var child = heap.count - 1
            while child > 0 {  // sift up
                let parent = (child - 1) / 2
                if heap[parent] <= heap[child] { break }
                heap.swapAt(parent, child)
                child = parent
            }
        } else if value > heap[0] {
            heap[0] = value
            var parent = 0
            while true {  // sift down
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < k && heap[left] < heap[smallest] { smallest = left }
                if right < k && heap[right] < heap[smallest] { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }
    return heap[0]
}

/// The naive twin of `topKThreshold`: sort everything, largest first, and read position k − 1.
public func topKThresholdNaive(_ values: [Float], k: Int) -> Float {
    precondition(k >= 1 && k <= values.count, "topKThresholdNaive: k must be in 1...\(values.count) (V), got \(k)")
    return values.sorted(by: >)[k - 1]
}
