// Sampler: turning a processed logits row into one token id, greedily or at random.
//
// Greedy decoding takes the most likely token (the first one among equal maxima, so the result
// never depends on anything but the row). Multinomial sampling draws a token with the probability
// softmax gives it, by the inverse-CDF method with exactly one uniform number per draw, so that a
// seed fixes every choice on every machine. The exact procedure, which an exercise can reproduce:
//
//  1. p = softmax(logits), in Float, by the kernel's `softmax` (tokens at -infinity get p = 0).
//  2. total = p_0 + p_1 + … + p_(V−1), summed in Double in id order (it is 1 up to rounding).
//  3. u = generator.nextDouble() · total: one uniform draw in [0, total).
//  4. Walk the ids in order, adding p_i (in Double) to a running sum; return the first i where
//     u < running sum. A token with p_i = 0 can never be returned (the sum does not grow there).
//  5. If rounding leaves u ≥ the final sum, return the last id with p_i > 0.
//
// Left out: other draws (Gumbel-max, alias tables), which give different ids for the same seed,
// and batches of rows.

/// The id of the largest logit; the first one when several are equal.
///
///     greedyToken([1, 3, 3, 2])   // 1
///
/// Decoding calls this once per token on V = 32,000–150,000 logits. The plain loop ("keep the
/// index of the best so far", `greedyTokenNaive`) compares one element at a time and took 124 µs
/// for V = 32,000, 8% of a token of a small model on two threads; here one SIMD pass finds the
/// largest value (and any NaN), and a second finds its first position.
/// - Precondition: `logits` (V) is not empty and holds no NaN.
public func greedyToken(_ logits: [Float]) -> Int {
    precondition(!logits.isEmpty, "greedyToken: the logits row is empty (V = 0)")
    return logits.withUnsafeBufferPointer { row in
        let count = row.count, vectorEnd = count & ~15
        var maximum16 = SIMD16<Float>(repeating: -.infinity)
        var unordered = SIMDMask<SIMD16<Int32>>()  // lanes that met a NaN (x != x only for NaN)
        var i = 0
        while i < vectorEnd {
            let values = UnsafeRawPointer(row.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
            maximum16.replace(with: values, where: values .> maximum16)  // (`pointwiseMax` is lane by lane)
            unordered .|= values .!= values
            i &+= 16
        }
        var maximum = maximum16.max()
        var hasNaN = any(unordered)
        while i < count {
            hasNaN = hasNaN || row[i].isNaN
            maximum = max(maximum, row[i])
            i &+= 1
        }
        precondition(!hasNaN, "greedyToken: logit \(row.firstIndex { $0.isNaN } ?? -1) is NaN")
        // The first position holding the maximum: skip whole vectors without it.
        let target = SIMD16<Float>(repeating: maximum)
        i = 0
        while i < vectorEnd {
            let values = UnsafeRawPointer(row.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
            if any(values .== target) { break }
            i &+= 16
        }
        while row[i] != maximum { i &+= 1 }
        return i
    }
}

/// The same choice as `greedyToken`, one comparison at a time (the reference the tests hold it to).
func greedyTokenNaive(_ logits: [Float]) -> Int {
    precondition(!logits.isEmpty, "greedyToken: the logits row is empty (V = 0)")
    var best = 0
    for j in logits.indices {
        precondition(!logits[j].isNaN, "greedyToken: logit \(j) is NaN")
        if logits[j] > logits[best] { best = j }
    }
    return best
}

/// softmax of one logits row (V), by the kernel's `softmax`.
/// - Precondition: at least one logit is finite (a row of only -infinity has no distribution).
func probabilitiesOfLogits(_ logits: [Float]) -> [Float] {
    precondition(logits.contains { $0.isFinite }, "sampling: every logit of the row (V = \(logits.count)) is "
                 + "-infinity or non-finite; a filter removed every token, or the model produced NaN/inf")
    return softmax(Tensor(logits)).scalars
}

/// Step 4–5 of the procedure above: the token whose cumulative-probability interval holds `uniform`.
///
///     sampleToken(probabilities: [0.2, 0.5, 0.3], uniform: 0.6)   // 1: 0.2 ≤ 0.6 < 0.7
/// - Parameters:
///   - probabilities: (V), non-negative, summing to `total`
///   - uniform: a number in [0, total)
public func sampleToken(probabilities: [Float], uniform: Double) -> Int {
    var cumulative = 0.0
    var lastPossible = -1
    for (id, p) in probabilities.enumerated() where p > 0 {
        cumulative += Double(p)
        if uniform < cumulative { return id }
        lastPossible = id
    }
    precondition(lastPossible >= 0, "sampleToken: every probability is 0 (V = \(probabilities.count))")
    return lastPossible
}

/// Draws a token from softmax(`logits`) with one uniform number from `generator` (steps 1–5 above).
///
/// - Parameter logits: the processed row (V); -infinity marks removed tokens.
public func sampleToken(logits: [Float], using generator: inout SeededGenerator) -> Int {
    let probabilities = probabilitiesOfLogits(logits)
    var total = 0.0
    for p in probabilities { total += Double(p) }
    return sampleToken(probabilities: probabilities, uniform: generator.nextDouble() * total)
}
