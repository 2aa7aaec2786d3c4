// BPE+Decoding: token ids -> bytes -> text, all at once or one token at a time.
//
// Decoding is concatenation: each id stands for a string of bytes. The bytes need not be valid
// UTF-8, because a byte-level token can end in the middle of a character ("🙃" is 4 bytes and
// GPT-2 spends 3 tokens on it), and a model can generate any sequence of ids. Whole sequences are
// decoded with malformed parts replaced by U+FFFD "�", exactly as Swift's `String(decoding:as:)`
// does (the Unicode "maximal subpart" rule, which Python's `errors="replace"` follows too).
//
// `IncrementalDecoder` serves streaming generation: it holds back the last bytes while they are
// the beginning of a character that the next token may complete, so the pieces it returns,
// concatenated, equal the decoding of the whole sequence; no half character is ever shown.
// Left out: Hugging Face's decoder-side clean-ups (`clean_up_tokenization_spaces`), which
// byte-level models do not use.

extension BPETokenizer {
    /// The bytes of the tokens, concatenated.
    /// - Throws: `TokenizerError` for an id outside the vocabulary.
    public func decodeBytes(_ ids: [Int], skippingSpecialTokens: Bool = false) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for (position, id) in ids.enumerated() {
            guard tokens.indices.contains(id) else {
                throw TokenizerError("token id \(id) at position \(position) is outside the vocabulary 0..<\(tokens.count)")
            }
            if skippingSpecialTokens && isSpecial(id) { continue }
            bytes.append(contentsOf: tokens[id])
        }
        return bytes
    }

    /// The text of the tokens; bytes that are not valid UTF-8 become U+FFFD.
    ///
    ///     try gpt2.decode([15496, 995])   // "Hello world"
    /// - Throws: `TokenizerError` for an id outside the vocabulary.
    public func decode(_ ids: [Int], skippingSpecialTokens: Bool = false) throws -> String {
        String(decoding: try decodeBytes(ids, skippingSpecialTokens: skippingSpecialTokens), as: UTF8.self)
    }
}

/// Decodes a stream of token ids into text as they arrive, never splitting a character.
///
///     var decoder = IncrementalDecoder(tokenizer: gpt2)
///     for id in generatedIDs { print(try decoder.append(id), terminator: "") }
///     print(decoder.finish())
public struct IncrementalDecoder: Sendable {
    public let tokenizer: BPETokenizer
    /// Bytes received but not yet returned: the start of a character that is not complete yet.
    private var pending: [UInt8] = []

    public init(tokenizer: BPETokenizer) {
        self.tokenizer = tokenizer
    }

    /// Adds one token and returns the text it completes (possibly empty).
    /// - Throws: `TokenizerError` for an id outside the vocabulary.
    public mutating func append(_ id: Int) throws -> String {
        guard tokenizer.tokens.indices.contains(id) else {
            throw TokenizerError("token id \(id) is outside the vocabulary 0..<\(tokenizer.tokens.count)")
        }
        pending.append(contentsOf: tokenizer.tokens[id])
        let cut = pending.withUnsafeBufferPointer { startOfIncompleteCharacter($0) }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeSubrange(..<cut)
        return text
    }

    /// Adds several tokens and returns the text they complete.
    public mutating func append(contentsOf ids: [Int]) throws -> String {
        var text = ""
        for id in ids { text += try append(id) }
        return text
    }

    /// Ends the stream: returns whatever is held back, an unfinished character becoming U+FFFD.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }
}

/// Where the trailing incomplete-but-so-far-valid UTF-8 sequence of `bytes` starts, or
/// `bytes.count` when the bytes do not end inside a character. Such a sequence is a lead byte
/// followed by fewer continuation bytes than it needs, each in its allowed range (E0 needs A0–BF
/// next, ED 80–9F, F0 90–BF, F4 80–8F), so that more bytes could still make it valid.
func startOfIncompleteCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    let n = bytes.count
    for i in max(0, n - 3)..<n {
        let lead = bytes[i]
        let length: Int
        var secondLow: UInt8 = 0x80, secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF4: length = 4; secondHigh = 0x8F
        case 0xF1...0xF3: length = 4
        default: continue
        }
        guard n - i < length else { continue }
        var valid = true
        for k in (i + 1)..<n {
            let (low, high) = k == i + 1 ? (secondLow, secondHigh) : (UInt8(0x80), UInt8(0xBF))
            if bytes[k] < low || bytes[k] > high { valid = false; break }
        }
        if valid { return i }
    }
    return n
}
