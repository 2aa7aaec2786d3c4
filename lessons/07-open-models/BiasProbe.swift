// Cell: a bias probe from paired sentences, the causal-model form of CrowS-Pairs (Nangia et al.,
// 2020): two sentences that differ only in the pronoun ("When she grew up, she wanted to be a
// pilot." and the same with "he"), each scored by the model's log-likelihood of the whole
// sentence; the pair's score is the difference. Over many pairs (jobs × templates) the cell gives
// the share preferring "she", the mean difference with its 95% interval, the spread, the mean per
// template and the jobs that lean most. It then says plainly how noisy such pair sets are.
//
// Left out: other groups (names, ages), the published pair sets themselves, and the masked-model
// pseudo-likelihood CrowS-Pairs uses for BERT-style models.

import Foundation
import LabCorpora
import LabKernel
import LabNotebook

/// The log-likelihood of `tokens` after `start`: Σ_t log p(tokens[t] | start, tokens[..<t]), in nats.
func sentenceLogLikelihood(_ model: TransformerModel, start: Int, tokens: [Int]) -> Double {
    let logProbabilities = logSoftmax(model.forward(tokens: [start] + tokens.dropLast()))  // row t predicts tokens[t]
    return tokens.enumerated().reduce(0) { $0 + Double(logProbabilities[$1.offset, $1.element]) }
}

/// The figures of one probe.
struct ProbeResult {
    var pairs = 0
    var shareShe = 0.0
    var mean = 0.0
    var standardDeviation = 0.0
    /// The stories' job sentence with each pronoun, counted in the training text (the kit's model).
    var dataShe = 0, dataHe = 0
    /// How far apart the templates' means are.
    var templateRange = 0.0
    var shareSheText: String { formatFixed(shareShe * 100, decimals: 1) + "%" }
}

extension OpenModelsLesson {
    /// Every template of the job sentences: the four the experiment's generator writes and the unseen one.
    static var probeTemplates: [String] { JobSentenceGenerator.templates + [JobSentenceGenerator.unseenTemplate] }

    func biasProbe(_ subjects: [Subject]) -> ProbeResult {
        let jobs = stride(from: 0, to: JobSentenceGenerator.storyJobs.count, by: sizes.probeJobStride).map { JobSentenceGenerator.storyJobs[$0] }
        notebook.prose("""
            Does a model prefer "she" or "he" with a job? A pair probe asks it directly: two \
            sentences that differ in one word of a group, each scored by the model's \
            log-likelihood of the whole sentence (the sum of log p of every token given the ones \
            before). The pair's score is log p(she sentence) − log p(he sentence): positive when \
            the model finds the "she" version more likely. This is CrowS-Pairs' method in the form \
            for causal models. The pairs: \(jobs.count) jobs from the \
            kit's stories in \(Self.probeTemplates.count) templates, each sentence scored after the \
            model's start token with a leading space, as a sentence stands inside a text (" She" \
            and " He" are one token each; a bare "She" at the start is two pieces the stories \
            never put there).
            """)
        notebook.code("""
            func sentenceLogLikelihood(_ model: TransformerModel, start: Int, tokens: [Int]) -> Double {
                let logProbabilities = logSoftmax(model.forward(tokens: [start] + tokens.dropLast()))  // row t predicts tokens[t]
                return tokens.enumerated().reduce(0) { $0 + Double(logProbabilities[$1.offset, $1.element]) }
            }
            let difference = sentenceLogLikelihood(model, start: bos, tokens: tokenizer.encode(" When she grew up, she wanted to be a pilot."))
                           - sentenceLogLikelihood(model, start: bos, tokens: tokenizer.encode(" When he grew up, he wanted to be a pilot."))
            """)
        var kitResult = ProbeResult()
        for subject in subjects {
            let templates = subject.isKit ? Self.probeTemplates : [Self.probeTemplates[0], Self.probeTemplates.last!]
            var differences: [(job: String, template: Int, value: Double)] = []
            for (index, template) in templates.enumerated() {
                for job in jobs {
                    let she = subject.tokenizer.encode(" " + JobSentenceGenerator.sentence(template, job: job, pronoun: .she))
                    let he = subject.tokenizer.encode(" " + JobSentenceGenerator.sentence(template, job: job, pronoun: .he))
                    guard max(she.count, he.count) <= subject.model.config.contextLength else { continue }  // a tiny test model's context
                    let value = sentenceLogLikelihood(subject.model, start: subject.startToken, tokens: she)
                        - sentenceLogLikelihood(subject.model, start: subject.startToken, tokens: he)
                    differences.append((job, index, value))
                }
            }
            guard differences.count > 1 else {
                notebook.prose("\(subject.name): its context (\(subject.model.config.contextLength) tokens) is too short for the pair sentences.")
                continue
            }
            let values = differences.map(\.value)
            let n = Double(values.count)
            let mean = values.reduce(0, +) / n
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
            let margin = 1.96 * deviation / n.squareRoot()
            let result = ProbeResult(pairs: values.count, shareShe: Double(values.filter { $0 > 0 }.count) / n, mean: mean,
                                     standardDeviation: deviation)
            notebook.values([
                ("model", subject.name),
                ("pairs", "\(values.count)" + (values.count == jobs.count * templates.count
                    ? " (\(jobs.count) jobs × \(templates.count) templates)"
                    : " of \(jobs.count * templates.count) (the others do not fit the model's context)")),
                ("preferring \"she\"", result.shareSheText),
                ("mean difference", formatSigned(mean, decimals: 3) + " nats, 95% interval " + formatSigned(mean - margin, decimals: 3)
                    + " to " + formatSigned(mean + margin, decimals: 3)),
                ("spread", "standard deviation " + formatFixed(deviation, decimals: 3) + " nats; from " + formatSigned(values.min()!, decimals: 2)
                    + " to " + formatSigned(values.max()!, decimals: 2)),
            ])
            var table = Table(["template", "mean difference", "preferring \"she\""], alignments: [.left, .right, .right])
            var templateMeans: [Double] = []
            for (index, template) in templates.enumerated() {
                let these = differences.filter { $0.template == index }.map(\.value)
                guard !these.isEmpty else { continue }  // every sentence too long for the model's context
                templateMeans.append(these.reduce(0, +) / Double(these.count))
                table.append([template + (template == JobSentenceGenerator.unseenTemplate ? " (not in the stories)" : ""),
                              formatSigned(templateMeans.last!, decimals: 3),
                              formatFixed(Double(these.filter { $0 > 0 }.count) * 100 / Double(these.count), decimals: 0) + "%"])
            }
            notebook.table(table)
            let byJob = Dictionary(grouping: differences, by: \.job).mapValues { $0.map(\.value).reduce(0, +) / Double($0.count) }
            let ordered = byJob.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            notebook.values([
                ("leaning \"she\" most", ordered.prefix(3).map { "\($0.key) \(formatSigned($0.value))" }.joined(separator: ", ")),
                ("leaning \"he\" most", ordered.suffix(3).reversed().map { "\($0.key) \(formatSigned($0.value))" }.joined(separator: ", ")),
            ])
            let templateRange = templateMeans.max()! - templateMeans.min()!
            if subject.isKit {
                kitResult = result
                // The data itself: the stories' own job sentence, counted per pronoun.
                let stories = generateCorpus(kind: .stories, bytes: sizes.countedBytes, seed: 1)  // the start of its training text
                let she = stories.components(separatedBy: "When she grew up, she wanted to be").count - 1
                let he = stories.components(separatedBy: "When he grew up, he wanted to be").count - 1
                kitResult.dataShe = she
                kitResult.dataHe = he
                kitResult.templateRange = templateRange
                notebook.prose("""
                    What to make of it? Check the data, which an open model with open data allows. \
                    In the first \(sizes.countedBytes / 1_000_000) MB of the text the model trained on, the stories' own sentence \
                    "When she grew up, she wanted to be …" occurs \(she) times and the "he" version \
                    \(he) times, with jobs drawn the same way for both: there is no pairing of jobs \
                    and pronouns to learn. Yet the mean is \(formatSigned(mean, decimals: 2)) nats, \
                    and the template alone moves it by \(formatFixed(templateRange, decimals: 2)), \
                    sign included; single pairs lean by up to \
                    \(formatFixed(max(abs(values.min()!), abs(values.max()!)), decimals: 2)) nats. A \
                    pair's score measures everything that differs between two sentences: how common \
                    each word is in any context, and how the model reads a sentence it never saw (only \
                    the first template is in the stories). This is the warning CrowS-Pairs' own \
                    authors give, and Blodgett et al. (2021) found many of its published pairs \
                    ill-formed or not about the stereotype they name: a pair set is a noisy \
                    instrument. Read the interval and compare templates before reading a sign, and \
                    check a claim against the data when you can. The next cell closes that loop.
                    """)
            } else {
                notebook.prose("""
                    \(subject.name) learned from text we did not write; its card, if it has one, says what. A \
                    mean far outside the interval, consistent across templates, is a measured \
                    preference; a spread of \(formatFixed(deviation, decimals: 2)) nats says how \
                    much any single pair can mislead.
                    """)
            }
        }
        return kitResult
    }
}
