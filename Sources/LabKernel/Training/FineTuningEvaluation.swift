// Measuring a fine-tune: answers to held-out prompts, checked word for word, and the loss on text
// the model knew before.
//
// Exact match is the plainest metric for a task with one right answer: the model is given the
// prompt, decodes greedily (always the most likely token, so the result does not depend on a
// seed) until it writes an end-of-turn token or runs out of room, and its answer counts when it
// equals the expected response, leading and trailing whitespace aside. Forgetting is the other
// side of the trade: the mean loss on held-out text of the original domain, before and after;
// a fine-tune that gains on the new task and loses much there has overwritten what it knew.
// Left out: partial credit (F1 over words), sampling several answers, and judging by a model.

/// One held-out prompt, the expected response and what the model answered.
public struct AnswerCheck: Sendable, Equatable {
    public let prompt: String
    public let expected: String
    public let answer: String
    public var isExact: Bool { Self.normalized(answer) == Self.normalized(expected) }

    public init(prompt: String, expected: String, answer: String) {
        self.prompt = prompt
        self.expected = expected
        self.answer = answer
    }

    static func normalized(_ text: String) -> Substring {
        let trimmed = text.drop { $0.isWhitespace }
        return trimmed[..<(trimmed.lastIndex { !$0.isWhitespace }.map { trimmed.index(after: $0) } ?? trimmed.startIndex)]
    }
}

extension TransformerModel {
    /// Greedy answers to `examples`' prompts, each checked against the example's response.
    /// Prompts too long to leave room for an answer are answered with nothing.
    public func answerChecks(_ examples: [InstructionExample], tokenizer: BPETokenizer, stopIDs: Set<Int>,
                             maximumTokens: Int) -> [AnswerCheck] {
        examples.map { example in
            let prompt = Array(tokenizer.encode(example.prompt).suffix(config.contextLength))
            let ids = greedyContinuation(of: prompt, count: maximumTokens, stoppingAt: stopIDs)
            let text = (try? tokenizer.decode(ids)) ?? ""
            return AnswerCheck(prompt: example.prompt, expected: example.response, answer: text)
        }
    }
}

extension TrainableTransformer {
    /// The mean loss over fixed `batches` of (B·T inputs, B·T targets), T = `context`, without
    /// gradients: the held-out loss of a task, or of the original domain for forgetting.
    public func meanLoss(_ batches: [(inputs: [Int], targets: [Int])], context: Int) -> Float {
        precondition(!batches.isEmpty, "meanLoss: no batches")
        let total = batches.reduce(0.0) { sum, b in
            sum + Double(loss(inputs: b.inputs, targets: b.targets, batch: b.inputs.count / context, context: context,
                              computeGradients: false))
        }
        return Float(total / Double(batches.count))
    }
}

extension Array where Element == AnswerCheck {
    /// The fraction answered exactly.
    public var exactMatch: Double { isEmpty ? 0 : Double(filter(\.isExact).count) / Double(count) }
}
