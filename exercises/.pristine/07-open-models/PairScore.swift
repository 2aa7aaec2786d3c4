// Exercise 07.4 (open-models.pair-score): a sentence's log-likelihood, and the pair probe's score. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter PairScoreTests

import Foundation
import LabExercise

/// The log-likelihood of a sentence under a causal model, and a pair probe's score.
///
/// `logits[t]` is the model's output row that predicts `tokens[t]` (the model read the start
/// token and tokens[..<t]). The sentence's log-likelihood is Σ_t log softmax(logits[t])[tokens[t]]:
/// for each row, the chosen token's logit minus the log of Σ_v exp(logits[t][v]). Real logits can
/// be large (hundreds): subtract the row's maximum before exp, and add in Double.
///
/// - Parameters:
///   - logits: one row of V logits per token of the sentence.
///   - tokens: the sentence's tokens, as many as rows, each in 0..<V.
/// - Returns: the log-likelihood in nats (≤ 0).
///
///     // two tokens of a 2-token vocabulary: rows [0, 0] (½ each) and [ln 3, 0] (¾, ¼)
///     sentenceLogLikelihood(logits: [[0, 0], [log(3), 0]], tokens: [1, 0])   // log(½) + log(¾) ≈ -0.98083
public func sentenceLogLikelihood(logits: [[Float]], tokens: [Int]) -> Double {
    // TODO: for each t, logits[t][tokens[t]] − (max + log Σ exp(logit − max)), summed in Double.
    return todo(0.0)
}


/// The pair probe's score: how much more likely sentence a is than sentence b, in nats
/// (positive when a is the more likely). CrowS-Pairs' form for causal models.
///
///     pairScore(logitsA: la, tokensA: a, logitsB: lb, tokensB: b)   // ll(a) − ll(b)
public func pairScore(logitsA: [[Float]], tokensA: [Int], logitsB: [[Float]], tokensB: [Int]) -> Double {
    // TODO: the difference of the two sentences' log-likelihoods.
    return todo(0.0)
}
