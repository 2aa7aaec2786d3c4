// Cell: drawing a token at random, reproducibly. The lesson's inverse-CDF draw beside the
// kernel's `sampleToken(logits:using:)`, both with the kit's seeded generator, so the same seed
// gives the same ids on every run and every machine.

import LabKernel
import LabNotebook

/// Draws a token from softmax(`logits`) with one uniform number: lay the probabilities end to end
/// and return the token whose interval holds the number (the kernel's exact procedure).
func lessonDraw(_ logits: [Float], using generator: inout SeededGenerator) -> Int {
    let p = probabilities(logits)
    let total = p.reduce(0.0) { $0 + Double($1) }
    let uniform = generator.nextDouble() * total
    var cumulative = 0.0
    var lastPossible = 0
    for (id, probability) in p.enumerated() where probability > 0 {
        cumulative += Double(probability)
        if uniform < cumulative { return id }
        lastPossible = id
    }
    return lastPossible   // only when rounding left the uniform number past the end
}

extension SamplingLesson {
    /// `count` tokens drawn by the lesson's own loop at temperature `temperature` from `seed`.
    func lessonSampledContinuation(_ setup: Setup, seed: UInt64, temperature: Float, count: Int) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var ids = setup.promptIDs
        for _ in 0..<count {
            let logits = setup.model.logits(after: ids).map { $0 / temperature }
            ids.append(lessonDraw(logits, using: &generator))
        }
        return Array(ids.dropFirst(setup.promptIDs.count))
    }

    func seeds(_ setup: Setup) {
        notebook.prose("""
            Sampling draws the next token at random with the probabilities of the (processed) \
            row, with one uniform random number u between 0 and 1: lay the probabilities end to \
            end (token 0 from 0 to p₀, token 1 from p₀ to p₀ + p₁, …) and take the token whose \
            interval holds u. \
            Each token is drawn with exactly its probability, and a removed token (probability 0) \
            owns an empty interval, so it is never drawn:
            """)
        notebook.code("""
            func lessonDraw(_ logits: [Float], using generator: inout SeededGenerator) -> Int {
                let p = probabilities(logits)
                let total = p.reduce(0.0) { $0 + Double($1) }
                let uniform = generator.nextDouble() * total
                var cumulative = 0.0
                var lastPossible = 0
                for (id, probability) in p.enumerated() where probability > 0 {
                    cumulative += Double(probability)
                    if uniform < cumulative { return id }
                    lastPossible = id
                }
                return lastPossible   // only when rounding left the uniform number past the end
            }
            """)
        notebook.prose("""
            The uniform numbers come from the kit's own generator (xoshiro256**, seeded by \
            SplitMix64), not from the platform, so a seed fixes every draw on every machine. \
            Continuing the prompt at T = 0.8 with the lesson's loop:
            """)
        let count = sizes.continuationLength
        let first = lessonSampledContinuation(setup, seed: 1, temperature: 0.8, count: count)
        let again = lessonSampledContinuation(setup, seed: 1, temperature: 0.8, count: count)
        let other = lessonSampledContinuation(setup, seed: 2, temperature: 0.8, count: count)
        notebook.labelledTexts([("seed 1", oneLine(first, setup.tokenizer)), ("seed 1 again", oneLine(again, setup.tokenizer)),
                  ("seed 2", oneLine(other, setup.tokenizer))])
        // The kernel's sampler with the same seeds and temperature.
        var agree = true
        for seed: UInt64 in [1, 2, 3] {
            let settings = SamplingSettings(temperature: 0.8, seed: seed)
            agree = agree && generate(setup, sampler: TokenSampler(settings: settings), count: count)
                == lessonSampledContinuation(setup, seed: seed, temperature: 0.8, count: count)
        }
        let firstDifference = zip(first, other).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        notebook.checks([
            (first == again, "the same seed gives the same \(count) ids"),
            (first != other, "a different seed gives different ids" + (firstDifference.map { " (from token \($0 + 1) on)" } ?? "")),
            (agree, "for seeds 1, 2 and 3 the lesson's loop draws exactly the ids of the kernel's TokenSampler "
             + "(SamplingSettings(temperature: 0.8, seed: s))"),
        ])
        notebook.prose("""
            Reproducibility needs more than the seed: the same settings, the same order of \
            processors, one uniform number per token, and the same model giving the same bits. \
            A different library (PyTorch's `torch.multinomial`) draws differently, so the same \
            seed there gives other tokens.
            """)
    }
}
