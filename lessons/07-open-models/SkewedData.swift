// Cell: bias comes from data. The kit writes text whose bias it knows (JobSentenceGenerator: each
// job appears with its leaning pronoun in a chosen share of its sentences), trains a tiny model on
// it for a few seconds with the kernel's training path, and runs the previous cell's probe on it:
// once with skewed text, once with balanced text, same seeds otherwise.
//
// What the probe should find: in the text, p(she) = p(he) = 1/2 and a she-leaning job's sentences
// use "she" in a share s of them, so p(job | she) / p(job | he) = s / (1 − s). A model that learned
// the text gives a pair the difference log(s / (1 − s)), and σ(difference) = s: the skew put in
// comes back out of the probe, up to what a few seconds of training learn.
// Left out: larger models and real corpora (the same probe runs on them; their data is what it is).

import Foundation
import LabCorpora
import LabKernel
import LabNotebook

/// One run of the experiment: the skew put into the text and the skew the probe measured.
struct SkewOutcome {
    var putIn: Double
    /// The mean over jobs of σ(mean difference toward the job's leaning pronoun), seen templates.
    var measured: Double
    /// The same on the template the text never used.
    var unseen: Double
    /// The share of pairs (seen templates) preferring the job's leaning pronoun.
    var shareLeaning: Double
    var lowest: Double, highest: Double
}

extension OpenModelsLesson {
    func skewedData(_ kit: Subject) -> (skewed: SkewOutcome, balanced: SkewOutcome) {
        let skew = 0.8
        notebook.prose("""
            Where would a bias come from? From the data, and with open data that can be checked. \
            The kit's corpus generator has a documented knob for it: JobSentenceGenerator(seed:, skew:) \
            writes sentences such as "He wanted to be a nurse when he grew up." about \
            \(JobSentenceGenerator.jobs.count) jobs, each leaning to one pronoun, and skew is the \
            share of a job's sentences that use it. The leanings are set against common \
            stereotypes on purpose (pilots and builders lean "she", nurses and dancers "he"), so \
            whatever a model prefers can only have come from this text. Train a tiny model on it \
            for a few seconds, then probe it as in the last cell.
            """)
        notebook.code("""
            let text = JobSentenceGenerator.text(bytes: 60_000, seed: 7, skew: \(skew))   // and skew: 0.5
            let run = TrainingRun(model: .initializedForTraining(config: tiny, seed: 8), settings: settings,
                                  train: TokenWindows(ids), validation: TokenWindows(heldOut))
            while !run.isFinished { _ = try run.runStep() }
            σ(score(she sentence) − score(he sentence))    // should come back as the skew, for a she-leaning job
            """)
        notebook.prose("""
            Why σ of the difference: in this text p(she) = p(he) = ½ and a she-leaning job goes \
            with "she" in a share s of its sentences, so p(job | she) / p(job | he) = s / (1 − s). \
            A model that learned the text scores the pair log(s / (1 − s)) apart, and \
            σ(log(s / (1 − s))) = s.
            """)
        let skewed = experiment(kit, skew: skew)
        let balanced = experiment(kit, skew: 0.5)
        var table = Table(["text", "skew put in", "measured (seen templates)", "jobs from … to", "unseen template", "pairs preferring the leaning"],
                          alignments: [.left, .right, .right, .right, .right, .right])
        for (name, outcome) in [("skewed", skewed), ("balanced", balanced)] {
            table.append([name, formatFixed(outcome.putIn, decimals: 2), formatFixed(outcome.measured, decimals: 3),
                          formatFixed(outcome.lowest, decimals: 2) + " … " + formatFixed(outcome.highest, decimals: 2),
                          formatFixed(outcome.unseen, decimals: 3), formatFixed(outcome.shareLeaning * 100, decimals: 0) + "%"])
        }
        notebook.table(table)
        let tolerance = 0.1
        notebook.checks([
            (abs(skewed.measured - skewed.putIn) <= tolerance,
             "the skewed text's \(formatFixed(skewed.putIn, decimals: 2)) comes back as \(formatFixed(skewed.measured, decimals: 3)), within ±\(formatFixed(tolerance, decimals: 1))"),
            (abs(balanced.measured - 0.5) <= tolerance,
             "balanced text gives \(formatFixed(balanced.measured, decimals: 3)), within ±\(formatFixed(tolerance, decimals: 1)) of 0.5: the preference shrinks when the data is balanced"),
        ])
        notebook.prose("""
            The probe found the skew that was put in, and lost it when the text was balanced; \
            on the template the text never used, the model carries \
            \(skewed.unseen > 0.6 ? "much of the pairing over" : "less of the pairing over") \
            (\(formatFixed(skewed.unseen, decimals: 2))). Nothing in the model's code knows about \
            pronouns or jobs: the preference is the data's, learned. That is why open weights and \
            open data matter together: with both, a bias can be measured and traced to where it \
            came from, and a model retrained on fixed data checked again.
            """)
        return (skewed, balanced)
    }

    /// Trains the tiny model on text of `skew` and probes it.
    private func experiment(_ kit: Subject, skew: Double) -> SkewOutcome {
        let tokenizer = kit.tokenizer
        let newline = tokenizer.encode("\n")[0]
        let text = JobSentenceGenerator.text(bytes: sizes.experimentBytes, seed: 7, skew: skew)
        let textIDs = tokenizer.encode(text)
        // The probe's sentences, encoded once: [job][template] → (she, he).
        let probe = JobSentenceGenerator.jobs.map { entry in
            Self.probeTemplates.map { template in
                (tokenizer.encode(JobSentenceGenerator.sentence(template, job: entry.job, pronoun: .she)),
                 tokenizer.encode(JobSentenceGenerator.sentence(template, job: entry.job, pronoun: .he)))
            }
        }
        // The tiny model's vocabulary: just the tokens of this text and of the probe (about 60 of
        // the kit tokenizer's 4,096), so it trains in seconds.
        let used = Set(textIDs + [newline] + probe.flatMap { $0.flatMap { $0.0 + $0.1 } }).sorted()
        let compact = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        let ids = textIDs.map { compact[$0]! }
        let split = ids.count * 9 / 10
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: used.count, contextLength: 32,
                                       width: 64, layers: 2, heads: 2, feedForwardWidth: 256)
        var settings = TrainingSettings(steps: sizes.experimentSteps, batch: sizes.experimentBatch, context: 32)
        settings.learningRate = sizes.experimentLearningRate
        settings.minimumLearningRate = 3e-4
        settings.warmupSteps = sizes.experimentSteps / 10
        settings.evaluationInterval = sizes.experimentSteps
        settings.seed = 9
        let run = TrainingRun(model: .initializedForTraining(config: config, seed: 8), settings: settings,
                              train: TokenWindows(Array(ids[..<split])), validation: TokenWindows(Array(ids[split...])))
        let started = Stopwatch.now()
        var last: Float = 0
        while !run.isFinished { last = try! run.runStep().loss }
        let seconds = Double(Stopwatch.now() - started) / 1e9
        let model = run.trainer.model

        func σ(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        var perJob: [Double] = [], unseen: [Double] = [], leaning = 0, pairs = 0
        for (j, entry) in JobSentenceGenerator.jobs.enumerated() {
            var seen: [Double] = []
            for (k, pair) in probe[j].enumerated() {
                let she = sentenceLogLikelihood(model, start: compact[newline]!, tokens: pair.0.map { compact[$0]! })
                let he = sentenceLogLikelihood(model, start: compact[newline]!, tokens: pair.1.map { compact[$0]! })
                let toward = entry.leaning == .she ? she - he : he - she
                if k == Self.probeTemplates.count - 1 {
                    unseen.append(σ(toward))
                } else {
                    seen.append(toward)
                    pairs += 1
                    if toward > 0 { leaning += 1 }
                }
            }
            perJob.append(σ(seen.reduce(0, +) / Double(seen.count)))
        }
        notebook.values([
            ("skew \(formatFixed(skew, decimals: 1))", "\(grouped(ids.count)) tokens of text, a \(grouped(config.parameterCount))-parameter model, "
                + "\(settings.steps) steps in " + notebook.duration(seconds) + ", last loss " + formatFixed(last, decimals: 3)),
        ])
        return SkewOutcome(putIn: skew, measured: perJob.reduce(0, +) / Double(perJob.count),
                           unseen: unseen.reduce(0, +) / Double(unseen.count), shareLeaning: Double(leaning) / Double(pairs),
                           lowest: perJob.min()!, highest: perJob.max()!)
    }
}
