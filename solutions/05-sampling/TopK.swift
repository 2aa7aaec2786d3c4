// Solution 05.2 (sampling.top-k): the k-th largest logit by sorting, then a strict comparison.


/// Top-k filtering: every logit below the k-th largest logit becomes -infinity.
///
/// A removed token gets the logit -infinity, so the softmax gives it probability exactly 0 and a
/// sampler can never draw it; the kept logits are returned unchanged (the softmax renormalizes
/// them later). This is Hugging Face transformers' `TopKLogitsWarper`, and the conventions are
/// its own:
///
/// - Ties: the rule is "remove if strictly below the k-th largest value" (counting equal values
///   separately when you find the k-th largest). Tokens tied with the k-th one are all kept, so
///   the result can keep more than k tokens: [3, 2, 2, 1] with k = 2 keeps the 3 and both 2s.
/// - k ≥ V keeps every token. k ≥ 1, so at least one token is always kept.
/// - Logits that are already -infinity stay -infinity.
///
/// - Parameters:
///   - logits: (V) logits, V ≥ 1, no NaN.
///   - k: how many tokens to keep, k ≥ 1.
/// - Returns: (V) logits, the removed ones -infinity.
///
///     topKFilter([1, 3, 2, 2], k: 2)   // [-inf, 3, 2, 2]: both 2s tie for second place
///     topKFilter([1, 3, 2, 0], k: 1)   // [-inf, 3, -inf, -inf]
///     topKFilter([1, 3], k: 5)         // [1, 3]
///
/// Sorting a copy of the logits is the simplest way to find the k-th largest value.
public func topKFilter(_ logits: [Float], k: Int) -> [Float] {
    guard k < logits.count else { return logits }     // k ≥ V keeps every token
    let threshold = logits.sorted(by: >)[k - 1]       // the k-th largest, repeats counted
    // Strictly below: tokens tied with the k-th one survive.
    return logits.map { $0 < threshold ? -.infinity : $0 }
}
