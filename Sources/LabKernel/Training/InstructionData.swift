// Instruction data: examples of "given this, answer that", read from JSONL, written in a prompt
// template, tokenized with a loss mask, and cut into batches.
//
// Two JSONL forms, one object per line, as the Hub's instruction datasets store them:
//
//     alpaca   {"instruction": "Name the dog.", "input": "Tom has a dog called Rex.", "output": "Rex."}
//     chat     {"messages": [{"role": "system", "content": "…"}, {"role": "user", "content": "…"},
//                            {"role": "assistant", "content": "…"}]}
//
// An Alpaca record is written in Stanford Alpaca's template (with or without its input part) and
// its output follows `### Response:\n`; a chat is written in ChatML, the format `lab generate
// --chat` writes for Qwen2 and SmolLM2 (<|im_start|>role\n…<|im_end|>\n), and every assistant
// turn is a response. An example is a list of segments, each either prompt or response; only
// response tokens are targets: prompt tokens get the ignore index −100, as PyTorch's
// cross-entropy skips them, so the model learns to answer and not to write questions. The end of
// a response is learned too: the end-of-turn token (<|im_end|> in chat; the model's end-of-text
// token after an Alpaca output) is a target, so the tuned model knows when to stop.
//
// Batches (`InstructionBatches`) start every row at the start of an example (or, for an example
// longer than a row, where its last row's worth of tokens begins: the prompt's start is what is
// cut, since the response is what is learned). Padded: one example
// per row, the rest of the row filled with a pad id whose targets are −100 (a causal model's real
// tokens never attend to the padding after them, so no attention mask is needed). Packed: the row
// runs on into the following examples until it is full, which wastes nothing but lets a later
// example attend to an earlier one (what Hugging Face's packing without position resets does).
// Left out: multi-turn masking of system prompts other than ChatML's, and per-example weights.

import Foundation

/// One instruction example as text: prompt and response segments in order.
public struct InstructionExample: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var text: String
        /// Whether the segment's tokens are targets (responses and their end-of-turn marks).
        public var isResponse: Bool
        public init(_ text: String, isResponse: Bool) {
            self.text = text
            self.isResponse = isResponse
        }
    }

    public var segments: [Segment]
    /// Append the model's end-of-text token after the last segment, as a target (the Alpaca form,
    /// whose template has no end-of-turn mark of its own).
    public var endsWithEndOfText: Bool

    public init(segments: [Segment], endsWithEndOfText: Bool) {
        self.segments = segments
        self.endsWithEndOfText = endsWithEndOfText
    }

    /// Everything before the first response: what a model is given to answer.
    public var prompt: String { segments.prefix { !$0.isResponse }.map(\.text).joined() }
    /// The first response's text (for chat, without <|im_end|>): what an answer is compared with.
    public var response: String {
        guard let first = segments.first(where: \.isResponse) else { return "" }
        return first.text.hasSuffix(InstructionTemplate.chatEnd) ? String(first.text.dropLast(InstructionTemplate.chatEnd.count)) : first.text
    }
}

/// The JSONL forms of instruction data.
public enum InstructionFormat: String, Sendable, CaseIterable {
    case alpaca, chat

    /// The form of a record: `messages` means chat, `instruction` Alpaca; nil when neither.
    public static func detect(_ record: JSONValue) -> InstructionFormat? {
        if record["messages"] != nil { return .chat }
        if record["instruction"] != nil { return .alpaca }
        return nil
    }
}

/// The prompt templates.
public enum InstructionTemplate {
    public static let chatStart = "<|im_start|>"
    public static let chatEnd = "<|im_end|>"

    /// Stanford Alpaca's prompt, ending where the response begins. The wording is Alpaca's
    /// (tatsu-lab/stanford_alpaca, train.py); like alpaca-lora's template (tloen/alpaca-lora,
    /// templates/alpaca.json) it ends with a line break after "### Response:", where Alpaca's
    /// train.py puts none, so the response starts on a line of its own.
    public static func alpacaPrompt(instruction: String, input: String = "") -> String {
        if input.isEmpty {
            return "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
                + "### Instruction:\n\(instruction)\n\n### Response:\n"
        }
        return "Below is an instruction that describes a task, paired with an input that provides further context. "
            + "Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\n\(instruction)\n\n### Input:\n\(input)\n\n### Response:\n"
    }

    /// An Alpaca record as an example: the prompt, then the output and the end-of-text token as targets.
    public static func alpaca(instruction: String, input: String = "", output: String) -> InstructionExample {
        InstructionExample(segments: [.init(alpacaPrompt(instruction: instruction, input: input), isResponse: false),
                                      .init(output, isResponse: true)], endsWithEndOfText: true)
    }

    /// A conversation in ChatML: each turn `<|im_start|>role\ncontent<|im_end|>\n`; an assistant
    /// turn's content and its <|im_end|> are targets, everything else is prompt.
    public static func chatML(_ messages: [(role: String, content: String)]) -> InstructionExample {
        var segments: [InstructionExample.Segment] = []
        for (role, content) in messages {
            if role == "assistant" {
                segments.append(.init("\(chatStart)assistant\n", isResponse: false))
                segments.append(.init(content + chatEnd, isResponse: true))
                segments.append(.init("\n", isResponse: false))
            } else {
                segments.append(.init("\(chatStart)\(role)\n\(content)\(chatEnd)\n", isResponse: false))
            }
        }
        // Merge neighbouring prompt segments, so the prompt reads as one piece.
        var merged: [InstructionExample.Segment] = []
        for segment in segments {
            if let last = merged.last, !last.isResponse, !segment.isResponse {
                merged[merged.count - 1].text += segment.text
            } else {
                merged.append(segment)
            }
        }
        return InstructionExample(segments: merged, endsWithEndOfText: false)
    }
}

/// A line of instruction data that cannot be used; the description names the file and line.
public struct InstructionDataError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum InstructionData {
    /// The largest JSONL file read (a million short examples is a few hundred MB).
    public static let maximumFileBytes = 1 << 30

    /// The examples of a JSONL file in `format` (detected from the first record when nil).
    /// - Throws: `InstructionDataError` naming the file, the line and the field.
    public static func read(_ url: URL, format: InstructionFormat? = nil) throws -> (examples: [InstructionExample], format: InstructionFormat) {
        let data: Data
        do {
            data = try readRegularFile(url, maximumBytes: maximumFileBytes)
        } catch {
            throw InstructionDataError(error.description)
        }
        return try parse(data, file: url.lastPathComponent, format: format)
    }

    /// The examples of JSONL text; `file` names it in errors. Blank lines are skipped.
    public static func parse(_ data: Data, file: String, format: InstructionFormat? = nil) throws -> (examples: [InstructionExample], format: InstructionFormat) {
        var format = format
        var examples: [InstructionExample] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            func fail(_ message: String) -> InstructionDataError { InstructionDataError("\(file):\(lineNumber): \(message)") }
            let record: JSONValue
            do {
                record = try JSONValue.parse(bytes)
            } catch {
                throw fail("not a JSON object (\(error)); each line must hold one record")
            }
            guard record.object != nil else { throw fail("expected a JSON object, got \(record.kind)") }
            if format == nil {
                guard let detected = InstructionFormat.detect(record) else {
                    throw fail("the first record has neither \"instruction\" (Alpaca) nor \"messages\" (chat); "
                               + "its keys are \(record.object!.keys.sorted().prefix(8).map { printable($0, limit: 40) })")
                }
                format = detected
            }
            examples.append(try example(record, format: format!, fail: fail))
        }
        guard let format, !examples.isEmpty else { throw InstructionDataError("\(file): holds no records (one JSON object per line)") }
        return (examples, format)
    }

    private static func example(_ record: JSONValue, format: InstructionFormat,
                                fail: (String) -> InstructionDataError) throws -> InstructionExample {
        func text(_ value: JSONValue?, _ field: String, required: Bool = true) throws -> String {
            switch value {
            case .string(let s)?: return s
            case nil where !required, .null? where !required: return ""
            case nil: throw fail("the record has no \"\(field)\"")
            case let other?: throw fail("\"\(field)\" should be a string, got \(other.kind)")
            }
        }
        switch format {
        case .alpaca:
            let output = try text(record["output"], "output")
            guard !output.isEmpty else { throw fail("\"output\" is empty: there is nothing to learn") }
            return InstructionTemplate.alpaca(instruction: try text(record["instruction"], "instruction"),
                                              input: try text(record["input"], "input", required: false), output: output)
        case .chat:
            guard let messages = record["messages"]?.array else {
                throw fail("\"messages\" should be a list of {\"role\", \"content\"}, got \(record["messages"]?.kind ?? "nothing")")
            }
            var turns: [(role: String, content: String)] = []
            for (index, message) in messages.enumerated() {
                let role = try text(message["role"], "messages[\(index)].role")
                guard ["system", "user", "assistant"].contains(role) else {
                    throw fail("messages[\(index)].role is \(printable(role, limit: 40).debugDescription); expected system, user or assistant")
                }
                turns.append((role, try text(message["content"], "messages[\(index)].content")))
            }
            guard turns.contains(where: { $0.role == "assistant" }) else {
                throw fail("\"messages\" has no assistant turn: there is nothing to learn")
            }
            return InstructionTemplate.chatML(turns)
        }
    }
}

/// Examples as token ids with a loss mask, drawn as (B, T) batches whose rows start at examples.
public struct InstructionBatches: TrainingBatchSource {
    /// Every example's ids, one after another.
    public let tokens: [Int]
    /// Whether each token is a target (a response token or an end of turn).
    public let isTarget: [Bool]
    /// Where each example starts in `tokens` (and, last, `tokens.count`).
    public let starts: [Int]
    /// One example per row, padded (false), or rows running on into the next examples (true).
    public let packed: Bool
    /// The id padded rows are filled with (its targets are −100).
    public let padID: Int

    /// Tokenizes `examples`; `endOfText` is appended (as a target) to those that ask for it.
    public init(_ examples: [InstructionExample], tokenizer: BPETokenizer, endOfText: Int, packed: Bool = false, padID: Int? = nil) {
        var tokens: [Int] = [], isTarget: [Bool] = [], starts: [Int] = []
        for example in examples {
            starts.append(tokens.count)
            for segment in example.segments {
                let ids = tokenizer.encode(segment.text)
                tokens += ids
                isTarget += [Bool](repeating: segment.isResponse, count: ids.count)
            }
            if example.endsWithEndOfText {
                tokens.append(endOfText)
                isTarget.append(true)
            }
        }
        starts.append(tokens.count)
        self.init(tokens: tokens, isTarget: isTarget, starts: starts, packed: packed, padID: padID ?? endOfText)
    }

    public init(tokens: [Int], isTarget: [Bool], starts: [Int], packed: Bool, padID: Int) {
        precondition(tokens.count == isTarget.count && starts.last == tokens.count,
                     "InstructionBatches: a mask per token and the examples' starts ending at the stream's end")
        self.tokens = tokens
        self.isTarget = isTarget
        self.starts = starts
        self.packed = packed
        self.padID = padID
    }

    /// The number of examples.
    public var count: Int { starts.count - 1 }

    /// Example `index`'s length in tokens.
    public func length(_ index: Int) -> Int { starts[index + 1] - starts[index] }

    /// How many examples are longer than a row of `context` + 1 tokens (their prompts' starts are cut off).
    public func truncated(context: Int) -> Int { (0..<count).filter { length($0) > context + 1 }.count }

    /// The examples `range` as a new set (e.g. a held-out part).
    public func subset(_ range: Range<Int>) -> InstructionBatches {
        let (from, to) = (starts[range.lowerBound], starts[range.upperBound])
        return InstructionBatches(tokens: Array(tokens[from..<to]), isTarget: Array(isTarget[from..<to]),
                                  starts: starts[range.lowerBound...range.upperBound].map { $0 - from }, packed: packed, padID: padID)
    }

    /// One row starting at example `index`: context inputs and targets (−100 where not a target).
    /// An example longer than the row loses the start of its prompt, never its response's end:
    /// the row then holds its last context + 1 tokens.
    public func row(startingAt index: Int, context: Int) -> (inputs: [Int], targets: [Int]) {
        let start = max(starts[index], starts[index + 1] - context - 1)
        let end = packed ? min(tokens.count, start + context + 1) : min(starts[index + 1], start + context + 1)
        var inputs = [Int](repeating: padID, count: context), targets = [Int](repeating: -100, count: context)
        for i in 0..<max(0, end - start - 1) {
            inputs[i] = tokens[start + i]
            if isTarget[start + i + 1] { targets[i] = tokens[start + i + 1] }
        }
        return (inputs, targets)
    }

    /// `batch` rows at random examples.
    public func randomBatch(batch: Int, context: Int, using generator: inout SeededGenerator) -> (inputs: [Int], targets: [Int]) {
        precondition(count > 0, "InstructionBatches: no examples")
        var inputs: [Int] = [], targets: [Int] = []
        for _ in 0..<batch {
            let row = row(startingAt: generator.nextInt(below: count), context: context)
            inputs += row.inputs
            targets += row.targets
        }
        return (inputs, targets)
    }

    /// Whether there is an example to draw rows from.
    public func hasWindow(context: Int) -> Bool { count > 0 }

    /// Batches of the examples in order (the last batch filled up with the first examples again),
    /// at most `count` batches: the same every time.
    public func evaluationBatches(batch: Int, context: Int, count limit: Int) -> [(inputs: [Int], targets: [Int])] {
        precondition(count > 0, "InstructionBatches: no examples")
        let batches = min(limit, (count + batch - 1) / batch)
        return (0..<batches).map { b in
            var inputs: [Int] = [], targets: [Int] = []
            for r in 0..<batch {
                let row = row(startingAt: (b * batch + r) % count, context: context)
                inputs += row.inputs
                targets += row.targets
            }
            return (inputs, targets)
        }
    }
}
