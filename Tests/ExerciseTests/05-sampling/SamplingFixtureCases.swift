// The transformers fixture cases that the sampling exercises' tests share.
//
// Tests/Fixtures/sampling/logits_processors.json was made by scripts/fixtures/make_sampling_fixtures.py
// with Hugging Face transformers' own processors (the kernel's sampling tests read the same file).
// Each case has a logits row, the settings (null when off), the processed logits and their
// probabilities. An exercise implements one processor, so its test takes the cases where only that
// setting is on.

import LabTestSupport

/// One fixture row with the single setting an exercise implements.
struct SamplingFixtureCase {
    let name: String
    let logits: [Float]
    let previousTokens: [Int]
    /// The setting's value (temperature, k, p, min_p or the penalty).
    let setting: Float
    /// transformers' processed logits (-infinity for removed tokens) and their softmax.
    let processed: [Float]
    let probabilities: [Float]
}

/// The cases of logits_processors.json where `setting` ("temperature", "top_k", "top_p", "min_p",
/// "repetition_penalty") is the only one switched on.
func samplingFixtureCases(onlySetting setting: String) throws -> [SamplingFixtureCase] {
    let settings = ["temperature", "top_k", "top_p", "min_p", "repetition_penalty"]
    return try Fixture.load("sampling/logits_processors.json").cases("cases")
        .filter { c in c.contains(setting) && settings.allSatisfy { $0 == setting || !c.contains($0) } }
        .map { c in
            SamplingFixtureCase(name: try c.string("name"), logits: try c.floats("logits"),
                                previousTokens: try c.ints("previous_ids"), setting: try c.float(setting),
                                processed: try c.floats("processed"), probabilities: try c.floats("probabilities"))
        }
}

/// The ids whose logit is not -infinity: the tokens a filter kept.
func keptIDs(_ logits: [Float]) -> [Int] {
    logits.indices.filter { logits[$0] > -.infinity }
}
