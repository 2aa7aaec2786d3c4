// Cells: the lesson's model and what it predicts, logits turned into probabilities (the lesson's
// softmax beside the kernel's), and greedy decoding with the loop it falls into.
//
// The generation loop here is the plainest one: ask the model for the next row, choose a token,
// append it, repeat. The transformer version with a KV cache is in Speed.swift.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabCorpora
import LabKernel
import LabNotebook

/// softmax, written out: subtract the largest logit (so no exp overflows), exponentiate, divide by
/// the sum. A logit of -infinity gets probability exactly 0. Sums in Double.
func probabilities(_ logits: [Float]) -> [Float] {
    let maximum = logits.max()!
    let exponentials = logits.map { exp(Double($0 - maximum)) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { Float($0 / total) }
}

/// The entropy of a distribution in bits: how many yes/no questions the next token is worth.
func entropyInBits(_ p: [Float]) -> Double {
    p.reduce(0.0) { $1 > 0 ? $0 - Double($1) * log2(Double($1)) : $0 }
}

/// The ids of the `count` largest values, largest first (lower id first among equals).
func topIDs(_ values: [Float], count: Int) -> [Int] {
    Array(values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(count))
}

extension SamplingLesson {
    /// `count` tokens after the prompt, each chosen by `sampler` from the model's row.
    func generate(_ setup: Setup, sampler: TokenSampler, count: Int) -> [Int] {
        var sampler = sampler
        var ids = setup.promptIDs
        for _ in 0..<count {
            let logits = setup.model.logits(after: ids)
            ids.append(sampler.next(logits: logits, previousTokens: ids))
        }
        return Array(ids.dropFirst(setup.promptIDs.count))
    }

    func aModelToSampleFrom(_ setup: Setup) {
        let heldOut = setup.tokenizer.encode(generateCorpus(kind: .stories, bytes: sizes.heldOutBytes, seed: 2))
        let loss = setup.model.loss(on: heldOut)
        let uniform = log(Double(setup.tokenizer.tokens.count))
        notebook.prose("""
            Sampling starts where a model ends: with one logit per vocabulary entry for the next \
            token. To have rows worth looking at, the lesson first makes a small model of the kit's \
            stories on the spot. It trains a BPE tokenizer (lesson 01) of \
            \(grouped(setup.tokenizer.tokens.count)) tokens, then counts which token followed each \
            context of the last one, two and three tokens: an n-gram model, the oldest language \
            model there is. Its probabilities mix the context lengths, trusting a long context \
            when it was seen often with few different followers (StoryModel.swift), and its logits \
            are their logarithms. A transformer gives a better row, but sampling only ever sees \
            the row: everything below works unchanged on a transformer. The cell "One prompt, \
            every strategy" runs the same strategies on the kit's own trained transformer \
            (models/\(KitModel.name)), and the last cell runs the same loop on a random one.
            """)
        notebook.values([
            ("stories", "\(grouped(sizes.trainingBytes)) bytes, seed 1" + (notebook.quick ? " (--quick: a quarter of the full run's text)" : "")),
            ("vocabulary", "\(grouped(setup.tokenizer.tokens.count)) tokens"),
            ("held-out loss", formatFixed(loss, decimals: 3) + " nats per token (uniform guessing: " + formatFixed(uniform, decimals: 3) + ")"),
            ("perplexity", formatFixed(exp(loss), decimals: 1) + " (as unsure as a choice among that many tokens, on average)"),
        ])
        notebook.prose("Every cell continues the same prompt, \"\(SamplingLesson.prompt)\", which is \(setup.promptIDs.count) tokens:")
        notebook.output(setup.promptIDs.map { tokenLabel($0, setup.tokenizer) }.joined(separator: " | "))
    }

    func logitsToProbabilities(_ setup: Setup) {
        let logits = setup.model.logits(after: setup.promptIDs)
        let p = probabilities(logits)
        notebook.prose("""
            The model's row for the prompt has \(grouped(logits.count)) logits, one per token. \
            Softmax turns them into probabilities: exponentiate and divide by the sum, after \
            subtracting the largest logit so that no exponential overflows (lesson 00):
            """)
        notebook.code("""
            func probabilities(_ logits: [Float]) -> [Float] {
                let maximum = logits.max()!
                let exponentials = logits.map { exp(Double($0 - maximum)) }
                let total = exponentials.reduce(0, +)
                return exponentials.map { Float($0 / total) }
            }
            """)
        var table = Table(["rank", "token", "logit", "probability", ""], alignments: [.right, .left, .right, .right, .left])
        for (rank, id) in topIDs(logits, count: 8).enumerated() {
            table.append([String(rank + 1), tokenLabel(id, setup.tokenizer), formatFixed(logits[id], decimals: 3),
                          formatFixed(p[id], decimals: 4), barText(length: Double(p[id]) * 30)])
        }
        notebook.table(table)
        let shown = topIDs(logits, count: 8).reduce(Float(0)) { $0 + p[$1] }
        let kernel = softmax(Tensor(logits)).scalars
        let difference = zip(p, kernel).map { abs($0 - $1) }.max()!
        notebook.prose("""
            The eight most likely tokens hold \(formatFixed(shown * 100, decimals: 1))% of the \
            probability; the other \(grouped(logits.count - 8)) share the rest. The order of the \
            logits is the order of the probabilities, and adding a constant to every logit \
            changes nothing, which is why a row of logits is all a model needs to give.
            """)
        notebook.check(difference < 1e-6, "the lesson's probabilities equal the kernel's softmax within 1e-6 "
                       + "(largest difference \(scientific(difference)))")
    }

    func greedyDecoding(_ setup: Setup) {
        let count = sizes.greedyLength
        let ids = generate(setup, sampler: TokenSampler(settings: SamplingSettings(temperature: 0)), count: count)
        notebook.prose("""
            The simplest choice is the most likely token, every time: greedy decoding, the argmax \
            of the row. It needs no randomness, so it gives the same text on every run:
            """)
        notebook.code("let next = greedyToken(logits)   // the first largest logit")
        guard let loop = repeatingTail(ids) else {
            notebook.labelledTexts([("\(SamplingLesson.prompt)…  (greedy, \(count) tokens)", oneLine(ids, setup.tokenizer))])
            notebook.prose("""
                Greedy decoding always takes the top token, so once the context the model looks at \
                comes back, the same text follows: greedy text tends to loop. The cure is to draw \
                the token at random from the distribution.
                """)
            return
        }
        // The text up to the end of the loop's second round.
        let shown = Array(ids.prefix(loop.start + 2 * loop.period))
        notebook.labelledTexts([("\(SamplingLesson.prompt)…  (greedy, the first \(shown.count) of \(count) tokens)",
                   oneLine(shown, setup.tokenizer) + " …")])
        notebook.prose("""
            From token \(loop.start + 1) on, the same \(loop.period) tokens come back again \
            and again, up to token \(count) and forever after: \
            "\(oneLine(Array(ids[loop.start..<(loop.start + loop.period)]), setup.tokenizer))". \
            This is why greedy text repeats. The choice depends only on the context, so once \
            the context the model looks at comes back, the same token follows, which brings \
            the same context back. This model looks at the last three tokens; a transformer \
            looks further back, but it falls into the same kind of loop, and the more it \
            repeats the more confident it becomes (Holtzman et al., 2019, "The curious case of \
            neural text degeneration"). The cure is to draw the token at random from the \
            distribution, with the settings of the next cells deciding which part of the \
            distribution is allowed.
            """)
    }
}
/// The repeating end of `ids`: the earliest start from which the rest is one block of `period`
/// tokens over and over (at least twice), for the shortest such period; nil if there is none.
func repeatingTail(_ ids: [Int]) -> (start: Int, period: Int)? {
    for period in 1...(ids.count / 2) {
        // How far back from the end the sequence is periodic with this period.
        var start = ids.count - period
        while start > 0 && ids[start - 1] == ids[start - 1 + period] { start -= 1 }
        if ids.count - start >= 2 * period { return (start, period) }
    }
    return nil
}
