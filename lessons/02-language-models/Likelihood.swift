// Cell: how a model is scored. The probability of one sentence token by token, the mean negative
// log-likelihood (cross-entropy) and perplexity, the lesson's sum beside the kernel's
// cross-entropy, and the bigram on the whole held-out text: pairs never seen, add-k smoothing,
// and the baselines of guessing (ln V) and of counting tokens alone (unigram).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel
import LabNotebook

/// The bigram's mean −ln P(next | current) over every neighbouring pair of `ids`, in nats per
/// token (infinite when a pair has probability 0), and how many pairs it had never seen.
func bigramLoss(_ counts: BigramCounts, on ids: [Int], smoothing k: Double) -> (loss: Double, unseen: Int) {
    var total = 0.0, unseen = 0
    for (current, next) in zip(ids, ids.dropFirst()) {
        if counts.counts[current][next] == 0 { unseen += 1 }
        total -= log(counts.probability(of: next, after: current, smoothing: k))
    }
    return (total / Double(ids.count - 1), unseen)
}

/// The unigram's mean −ln P(next) over `ids` (positions 1…), with add-1 smoothing: the model
/// that ignores the context and knows only how common each token is.
func unigramLoss(train: [Int], on ids: [Int], vocabularySize: Int) -> Double {
    var counts = [Int](repeating: 0, count: vocabularySize)
    for id in train { counts[id] += 1 }
    let total = Double(train.count + vocabularySize)
    return ids.dropFirst().reduce(0.0) { $0 - log(Double(counts[$1] + 1) / total) } / Double(ids.count - 1)
}

/// "∞" for an infinite loss, otherwise `decimals` decimals.
func lossText(_ loss: Double, decimals: Int = 3) -> String {
    loss.isFinite ? formatFixed(loss, decimals: decimals) : "∞"
}

extension LanguageModelsLesson {
    func scoring(_ setup: Setup, counts: BigramCounts, scores: inout Scores) {
        // The training text's opening words, up to the first comma or full stop: every pair in
        // them was counted, so none has probability 0.
        let opening = oneLine(Array(setup.train.prefix(60)), setup.tokenizer)
        let sentence = opening.firstIndex { $0 == "," || $0 == "." }.map { String(opening[...$0]) } ?? opening
        let ids = setup.tokenizer.encode(sentence)
        notebook.prose("""
            How good is a model? Ask it for the probability of a real text. By the chain rule \
            of probability, the probability of a whole text is the product of each token's \
            probability given the ones before, and a bigram only looks at the one before. For \
            the opening words of the training text, "\(sentence)" (\(ids.count) tokens, the \
            first given):
            """)
        var table = Table(["token", "after", "P(token | previous)", "−ln P"], alignments: [.left, .left, .right, .right])
        var negativeLogs: [Double] = []
        for (current, next) in zip(ids, ids.dropFirst()) {
            let p = counts.probability(of: next, after: current)
            negativeLogs.append(-log(p))
            table.append([tokenLabel(next, setup.tokenizer), tokenLabel(current, setup.tokenizer),
                          formatFixed(p, decimals: 4), lossText(-log(p))])
        }
        notebook.table(table)
        let sum = negativeLogs.reduce(0, +)
        let mean = sum / Double(negativeLogs.count)
        notebook.prose("""
            The product of the \(negativeLogs.count) probabilities is the likelihood of these words, \
            e^−\(formatFixed(sum, decimals: 2)) = \(String(format: "%.2e", exp(-sum))): a number \
            that shrinks with every token, so models are compared by its logarithm instead. The \
            mean of −ln P over the tokens is the cross-entropy, in nats per token: \
            \(formatFixed(mean, decimals: 3)) here. Its exponential, the perplexity \
            \(formatFixed(exp(mean), decimals: 2)), reads as "as unsure as a fair choice among \
            that many tokens". Training a language model means making this number small on \
            the training text, and the number that matters is the same on held-out text.
            """)
        // The same mean from the kernel's cross-entropy, fed the logits ln P of each row.
        let rows = zip(ids, ids.dropFirst()).map { current, _ in counts.probabilities(after: current).map { Float(log($0)) } }
        let kernel = crossEntropy(logits: Tensor(rows), targets: Array(ids.dropFirst()))
        notebook.check(abs(Double(kernel) - mean) < 1e-5,
                       "the lesson's mean −ln P equals the kernel's crossEntropy(logits:targets:) on the rows ln P "
                       + "(\(formatFixed(mean, decimals: 6)) and \(formatFixed(Double(kernel), decimals: 6)))")

        let raw = bigramLoss(counts, on: setup.validation, smoothing: 0)
        let uniform = log(Double(setup.vocabularySize))
        let unigram = unigramLoss(train: setup.train, on: setup.validation, vocabularySize: setup.vocabularySize)
        notebook.prose("""
            On the whole held-out text the raw counts fail: \(grouped(raw.unseen)) of its \
            \(grouped(setup.validation.count - 1)) pairs never occur in the training text, so \
            the model gives them probability 0, and one zero makes the whole text impossible \
            (−ln 0 = ∞). The fix is smoothing: add a small count k to every cell of the table \
            before normalizing, P = (count + k) / (total + k·V), so nothing is impossible. \
            Which k? The one that does best on held-out text: choosing such settings is what a \
            held-out part is for.
            """)
        var lossTable = Table(["model", "training loss", "held-out loss", "held-out perplexity"],
                              alignments: [.left, .right, .right, .right])
        lossTable.append(["uniform guessing (ln V)", formatFixed(uniform, decimals: 3), formatFixed(uniform, decimals: 3),
                          formatFixed(Double(setup.vocabularySize), decimals: 1)])
        lossTable.append(["unigram counts (add 1)", formatFixed(unigramLoss(train: setup.train, on: setup.train, vocabularySize: setup.vocabularySize), decimals: 3),
                          formatFixed(unigram, decimals: 3), formatFixed(exp(unigram), decimals: 1)])
        var best = (k: 0.0, loss: Double.infinity)
        var trainLossAtBest = 0.0
        for k in [0, 1, 0.1, 0.01, 0.001] {
            let train = bigramLoss(counts, on: setup.train, smoothing: k).loss
            let heldOut = bigramLoss(counts, on: setup.validation, smoothing: k).loss
            if heldOut < best.loss { best = (k, heldOut); trainLossAtBest = train }
            lossTable.append(["bigram counts, k = \(k == 0 ? "0" : "\(k)")", lossText(train), lossText(heldOut),
                              heldOut.isFinite ? formatFixed(exp(heldOut), decimals: 1) : "∞"])
        }
        notebook.table(lossTable)
        scores.uniform = uniform
        scores.bigram = best.loss
        scores.bigramSmoothing = best.k
        notebook.prose("""
            With k = \(best.k) the bigram's held-out loss is \(formatFixed(best.loss, decimals: 3)) \
            nats per token, perplexity \(formatFixed(exp(best.loss), decimals: 1)) instead of \
            \(grouped(setup.vocabularySize)) for guessing. Its training loss is lower \
            (\(formatFixed(trainLossAtBest, decimals: 3))): every model does better on the text \
            it learned from, and the gap between the two numbers is the first thing to watch \
            when training.
            """)
        notebook.checks([
            (best.loss < unigram && unigram < uniform, "held-out loss: bigram < unigram < uniform guessing"),
            (trainLossAtBest < best.loss, "the bigram's training loss is below its held-out loss"),
        ])
    }
}
