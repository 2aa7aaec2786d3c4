// Exercise 05.6 (sampling.repetition-penalty): make tokens the text already contains less
// likely, as Hugging Face transformers defines it. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter RepetitionPenaltyTests

import LabExercise

/// The repetition penalty (CTRL, Keskar et al. 2019; transformers' `RepetitionPenaltyLogitsProcessor`).
///
/// For every token id that occurs in `previousTokens`, move its logit toward "less likely" by
/// the factor θ = `penalty`: a positive logit is divided by θ, a negative one multiplied by θ
/// (dividing a negative logit would raise it). Everything else stays as it is.
///
/// - An id that occurs several times is penalized once, not once per occurrence.
/// - A logit of exactly 0 stays 0 (the penalty is a factor), and -infinity stays -infinity.
/// - Ids outside 0..<V are ignored (transformers drops them too).
/// - θ = 1 changes nothing; θ > 1 discourages repetition; 0 < θ < 1 encourages it.
///
/// - Parameters:
///   - logits: (V) logits.
///   - previousTokens: the ids generated so far (and the prompt, if it should count), any length.
///   - penalty: θ > 0.
/// - Returns: (V) penalized logits.
///
///     applyRepetitionPenalty([4, -4, 4], previousTokens: [0, 1, 1], penalty: 2)   // [2, -8, 4]
///     applyRepetitionPenalty([4, 0, 1], previousTokens: [1, 7], penalty: 2)       // [4, 0, 1]
public func applyRepetitionPenalty(_ logits: [Float], previousTokens: [Int], penalty: Float) -> [Float] {
    // TODO: collect the distinct ids, then divide or multiply each one's logit by the penalty.
    return todo(logits)
}
