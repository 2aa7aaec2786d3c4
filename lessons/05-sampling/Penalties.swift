// Cell: the repetition penalty as Hugging Face defines it, written from scratch, checked against
// the kernel's `RepetitionPenalty`, and its effect on greedy decoding's loop.
//
// Left out: the additive frequency and presence penalties (OpenAI's), which the kernel has as
// `FrequencyPresencePenalty` and `SamplingSettings` exposes; the prose mentions them.

import LabKernel
import LabNotebook

/// The repetition penalty of CTRL and transformers: every distinct id in `previousTokens` has its
/// logit divided by θ when positive and multiplied by θ when negative (both make it less likely).
func lessonRepetitionPenalty(_ logits: [Float], previousTokens: [Int], penalty: Float) -> [Float] {
    var penalized = logits
    for id in Set(previousTokens) where penalized.indices.contains(id) {
        penalized[id] = penalized[id] < 0 ? penalized[id] * penalty : penalized[id] / penalty
    }
    return penalized
}

extension SamplingLesson {
    func repetitionPenalty(_ setup: Setup, rows: [SampledRow]) {
        notebook.prose("""
            Greedy decoding looped because nothing stops a token from coming back. The repetition \
            penalty (Keskar et al., 2019, used by transformers' `repetition_penalty`) makes every \
            token that already occurs in the text less likely, by a factor θ:
            """)
        notebook.code("""
            func lessonRepetitionPenalty(_ logits: [Float], previousTokens: [Int], penalty: Float) -> [Float] {
                var penalized = logits
                for id in Set(previousTokens) where penalized.indices.contains(id) {
                    penalized[id] = penalized[id] < 0 ? penalized[id] * penalty : penalized[id] / penalty
                }
                return penalized
            }
            """)
        notebook.prose("""
            A positive logit is divided and a negative one multiplied, since dividing a negative \
            logit would raise it. Each seen token is penalized once however often it occurs, and \
            because the penalty is a factor its strength depends on where the logits happen to \
            sit: a logit of 0 is not penalized at all. (OpenAI's frequency and presence penalties \
            subtract instead, and the frequency penalty grows with every repetition; the kernel \
            has both as `FrequencyPresencePenalty`.) Our model's logits are log-probabilities, \
            all negative, so here θ multiplies them. Greedy decoding of the same prompt, with \
            the prompt and everything generated so far penalized:
            """)
        var texts: [(label: String, text: String)] = []
        for theta: Float in [1, 1.3, 2] {
            let settings = SamplingSettings(temperature: 0, repetitionPenalty: theta)
            let ids = generate(setup, sampler: TokenSampler(settings: settings), count: sizes.greedyLength)
            let loop = repeatingTail(ids).map { "loops from token \($0.start + 1), \($0.period) tokens round" }
                ?? "no loop in \(sizes.greedyLength) tokens"
            texts.append(("θ = \(formatFixed(theta, decimals: 1)): \(loop); the first \(sizes.continuationLength) tokens",
                          oneLine(Array(ids.prefix(sizes.continuationLength)), setup.tokenizer) + " …"))
        }
        notebook.labelledTexts(texts)
        notebook.prose("""
            The penalty pushes greedy decoding out of its loop, but it punishes every word that \
            must repeat (names, "the", punctuation) as much as the loop itself, so a strong \
            penalty makes text odd. In practice it is combined with sampling, mildly (θ ≈ 1.1–1.3).
            """)
        var largest: Float = 0
        var same = true
        for row in rows {
            for theta: Float in [0.8, 1.3, 2] {
                let lesson = lessonRepetitionPenalty(row.logits, previousTokens: row.context, penalty: theta)
                let kernel = RepetitionPenalty(theta).processed(row.logits, previousTokens: row.context)
                same = same && lesson == kernel
                largest = max(largest, zip(lesson, kernel).map { abs($0 - $1) }.max()!)
            }
        }
        notebook.check(same, "on all \(rows.count) rows of a sampled continuation, with θ = 0.8, 1.3 and 2, the lesson's "
                       + "penalty gives exactly the kernel's RepetitionPenalty logits (largest difference \(scientific(largest)))")
    }
}
