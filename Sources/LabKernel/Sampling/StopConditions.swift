// StopConditions: when generation ends, and which rule ended it.
//
// Three rules, checked after every generated token in this order:
//  1. end of sequence: the token is one of the model's end ids (e.g. GPT-2's <|endoftext|>);
//  2. stop string: the decoded text now contains one of the stop strings;
//  3. max tokens: this many tokens have been generated.
//
// Stop strings are matched on decoded text, not on ids, because the same text can be spelled by
// different tokens and a stop string can span several tokens ("\n\n" as "\n" + "\n", or "User:"
// as "Us" + "er:"). `StopMonitor` therefore keeps back the end of the text while it could still be
// the start of a stop string, and releases it once it cannot; the text it releases never contains
// any part of a stop string, which is left out of the output, as OpenAI's API does (transformers'
// `StopStringCriteria` keeps it). Matching is on Unicode scalars, so a combining accent in the next
// token cannot hide a match the way grapheme clusters would. The monitor takes text pieces that
// end on whole characters, which is what `IncrementalDecoder.append` returns.
// Left out: stop token sequences by id and regular-expression stops.

/// Why generation stopped.
public enum StopReason: Equatable, Sendable {
    /// The token `id` is an end-of-sequence id.
    case endOfSequence(id: Int)
    /// The decoded text reached this stop string.
    case stopString(String)
    /// The maximum number of generated tokens was reached.
    case maxTokens(Int)
}

/// The rules; all are optional.
///
///     StopConditions(endOfSequenceIDs: [50256], stopStrings: ["\n\n"], maxTokens: 100)
public struct StopConditions: Sendable, Equatable {
    /// Tokens that end the sequence. Default: none.
    public var endOfSequenceIDs: Set<Int>
    /// Texts that end the generation when they appear (not included in the output). Default: none.
    public var stopStrings: [String]
    /// The largest number of tokens to generate. Default nil: no limit (set one or an eos id!).
    public var maxTokens: Int?

    /// - Precondition: stop strings are not empty; maxTokens ≥ 1 if set.
    public init(endOfSequenceIDs: Set<Int> = [], stopStrings: [String] = [], maxTokens: Int? = nil) {
        precondition(!stopStrings.contains(""), "StopConditions: an empty stop string would stop at once")
        precondition(maxTokens.map { $0 >= 1 } ?? true, "StopConditions: maxTokens must be ≥ 1 or nil, got \(maxTokens!)")
        self.endOfSequenceIDs = endOfSequenceIDs
        self.stopStrings = stopStrings
        self.maxTokens = maxTokens
    }
}

/// What `StopMonitor.observe` decided for one token.
public struct StopDecision: Equatable, Sendable {
    /// Text that is now safe to show (never part of a stop string); may be empty.
    public var text: String
    /// Why generation stops after this token, or nil to go on.
    public var reason: StopReason?

    public init(text: String, reason: StopReason?) {
        self.text = text
        self.reason = reason
    }
}

/// Applies `StopConditions` to a stream of generated tokens and their decoded text.
///
///     var monitor = StopMonitor(StopConditions(stopStrings: ["\n\n"], maxTokens: 50))
///     let decision = monitor.observe(id: id, text: try decoder.append(id))
///     print(decision.text, terminator: "")
///     if decision.reason != nil { break }
///     …
///     print(monitor.finish())   // text held back when the loop ends without a stop string
public struct StopMonitor: Sendable {
    public let conditions: StopConditions
    /// Tokens observed so far.
    public private(set) var tokenCount = 0
    private let stopScalars: [[Unicode.Scalar]]
    /// Text received but not released: it ends with the beginning of some stop string.
    private var pending: [Unicode.Scalar] = []

    public init(_ conditions: StopConditions) {
        self.conditions = conditions
        stopScalars = conditions.stopStrings.map { Array($0.unicodeScalars) }
    }

    /// Records one generated token `id` whose decoded text is `text` (the text of an
    /// end-of-sequence token is ignored) and says what to show and whether to stop.
    public mutating func observe(id: Int, text: String) -> StopDecision {
        tokenCount += 1
        if conditions.endOfSequenceIDs.contains(id) {
            return StopDecision(text: finish(), reason: .endOfSequence(id: id))
        }
        pending.append(contentsOf: text.unicodeScalars)
        // The earliest complete stop string (the first listed wins at the same position).
        var match: (start: Int, index: Int)?
        for (index, stop) in stopScalars.enumerated() {
            if let start = firstOccurrence(of: stop, in: pending), start < (match?.start ?? .max) {
                match = (start, index)
            }
        }
        if let match {
            let released = String(String.UnicodeScalarView(pending[..<match.start]))
            pending.removeAll()
            return StopDecision(text: released, reason: .stopString(conditions.stopStrings[match.index]))
        }
        // Hold back the longest end of the text that some stop string starts with.
        var held = 0
        for stop in stopScalars {
            for length in stride(from: min(stop.count - 1, pending.count), to: held, by: -1)
            where pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                held = length
                break
            }
        }
        let released = String(String.UnicodeScalarView(pending[..<(pending.count - held)]))
        pending.removeFirst(pending.count - held)
        if let limit = conditions.maxTokens, tokenCount >= limit {
            return StopDecision(text: released + finish(), reason: .maxTokens(limit))
        }
        return StopDecision(text: released, reason: nil)
    }

    /// Releases the held-back text (it did not become a stop string) and clears it.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(String.UnicodeScalarView(pending))
    }

    private func firstOccurrence(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
