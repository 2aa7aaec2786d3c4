// BPETokenizer: a byte-level byte-pair-encoding tokenizer, the kind GPT-2, Llama 3 and Qwen use.
//
// A byte-level BPE tokenizer is three tables: a vocabulary (each token id stands for a string of
// bytes; the 256 single bytes are always in it, so any text can be encoded), an ordered list of
// merges (pairs of tokens that fuse into a longer token, earliest first), and special tokens
// (whole strings such as "<|endoftext|>" that map straight to one id and never take part in
// merges). A pre-tokenizer first cuts text into pieces that are merged independently.
//
// This file holds the tables, validates them on construction, and answers lookups. The work is
// elsewhere: BPE+Encoding.swift (text -> ids), BPE+Decoding.swift (ids -> text),
// BPE+Training.swift (learning merges from text), BPE+Streaming.swift (files of any size), and
// Formats/ (GPT-2's vocab.json + merges.txt and Hugging Face's tokenizer.json). Left out:
// non-byte-level BPE (SentencePiece-style `▁` vocabularies with byte fallback, as in Llama 2), BPE
// dropout, and unknown tokens (a byte-level vocabulary never needs one).

/// Two adjacent tokens, as in one line of a merges file.
public struct TokenPair: Hashable, Sendable, CustomStringConvertible {
    public var first: Int
    public var second: Int

    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }

    public var description: String { "(\(first), \(second))" }
}

/// A byte-level BPE tokenizer: vocabulary, merges, special tokens and a pre-tokenizer.
///
///     let tokenizer = try BPETokenizer.train(text: corpus, vocabularySize: 500, specialTokens: ["<|endoftext|>"])
///     let ids = tokenizer.encode("Hello world<|endoftext|>")
///     try tokenizer.decode(ids)        // "Hello world<|endoftext|>"
public struct BPETokenizer: Sendable {
    /// The bytes each token id stands for (a special token's are its UTF-8); the count is the
    /// vocabulary size V.
    public let tokens: [[UInt8]]
    /// The merges, earliest (highest priority) first: `merges[r]` fuses two tokens into
    /// `mergedTokens[r]`, whose bytes are theirs concatenated.
    public let merges: [TokenPair]
    /// The id each merge produces, parallel to `merges`.
    public let mergedTokens: [Int]
    /// Special tokens by their text, e.g. `["<|endoftext|>": 50256]`.
    public let specialTokens: [String: Int]
    /// How text is cut into pieces before merging.
    public let preTokenizer: PreTokenizer
    /// Hugging Face's `ignore_merges` (Llama 3 sets it): a piece that is itself a token is encoded
    /// as that token directly, without applying merges.
    public let ignoresMerges: Bool
    /// Hugging Face's ByteLevel `add_prefix_space`: a space is put before text that does not start
    /// with one (each stretch between special tokens), so the first word is encoded like the others.
    public let addsPrefixSpace: Bool
    /// A Unicode normalization applied to the text between special tokens before pre-tokenizing
    /// (Hugging Face's `normalizer`; NFC for Qwen 2). Default nil: text is encoded as given.
    public private(set) var normalization: TextNormalization? = nil
    /// The special tokens Hugging Face's post-processor puts around one encoded text
    /// (`TemplateProcessing`: Llama 3 writes <|begin_of_text|> before it), as ids: what
    /// `encode(_:addingSpecialTokens: true)` adds, as `tokenizer(text)` does in Python. Empty when
    /// the file's post-processor adds none (GPT-2, Qwen2, SmolLM2) or the tokenizer has no file.
    public private(set) var sequenceTemplate: (before: [Int], after: [Int]) = ([], [])

    /// The id of each single byte (GPT-2's files do not number them 0…255).
    let byteTokens: [Int32]
    /// Pair -> (rank, merged id), for encoding.
    let mergeTable: MergeTable
    /// Bytes -> id for every ordinary (non-special) token, for `ignoresMerges` and lookups.
    let ordinaryIDs: [[UInt8]: Int]
    /// Finds special tokens in text.
    let specialMatcher: SpecialTokenMatcher

    /// Builds a tokenizer from its tables and checks that they fit together.
    ///
    /// - Parameters:
    ///   - tokens: the bytes of every token, indexed by id; all 256 single bytes must be present.
    ///   - merges: pairs of token ids in priority order; each pair's concatenated bytes must be a
    ///     token of the vocabulary (that token is what the merge produces).
    ///   - specialTokens: special tokens by text; each id must be in range and its bytes must be
    ///     the text's UTF-8 (they are never produced by merges).
    ///   - preTokenizer: the pattern that cuts text into pieces.
    ///   - ignoresMerges: see `ignoresMerges`.
    ///   - addsPrefixSpace: see `addsPrefixSpace`.
    /// - Throws: `TokenizerError` naming the first inconsistency (a missing byte, a merge whose
    ///   result is not in the vocabulary, an id out of range).
    public init(tokens: [[UInt8]], merges: [TokenPair], specialTokens: [String: Int] = [:],
                preTokenizer: PreTokenizer = PreTokenizer(.gpt2), ignoresMerges: Bool = false,
                addsPrefixSpace: Bool = false) throws {
        guard tokens.count < Int(Int32.max) else {
            throw TokenizerError("vocabulary has \(tokens.count) tokens; at most \(Int32.max - 1) are supported")
        }
        let specialIDs = Set(specialTokens.values)
        for (text, id) in specialTokens.sorted(by: { $0.value < $1.value }) {
            guard tokens.indices.contains(id) else {
                throw TokenizerError("special token \(text.debugDescription) has id \(id), outside the vocabulary 0..<\(tokens.count)")
            }
            guard tokens[id] == Array(text.utf8) else {
                throw TokenizerError("special token \(text.debugDescription) has id \(id), but token \(id) is "
                    + "\(String(decoding: tokens[id], as: UTF8.self).debugDescription)")
            }
            guard !text.isEmpty else { throw TokenizerError("special token with id \(id) is the empty string") }
        }

        // Ordinary tokens by their bytes; a duplicate keeps its lowest id.
        var ordinaryIDs: [[UInt8]: Int] = [:]
        ordinaryIDs.reserveCapacity(tokens.count)
        for (id, bytes) in tokens.enumerated() where !specialIDs.contains(id) {
            if ordinaryIDs[bytes] == nil { ordinaryIDs[bytes] = id }
        }
        var byteTokens = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            guard let id = ordinaryIDs[[UInt8(byte)]] else {
                throw TokenizerError("vocabulary has no token for the byte \(byte) (0x\(String(byte, radix: 16, uppercase: true))); "
                    + "a byte-level BPE vocabulary must contain all 256 single bytes")
            }
            byteTokens[byte] = Int32(id)
        }

        var table = MergeTable(capacityFor: merges.count)
        var mergedTokens: [Int] = []
        mergedTokens.reserveCapacity(merges.count)
        for (rank, pair) in merges.enumerated() {
            guard tokens.indices.contains(pair.first), tokens.indices.contains(pair.second) else {
                throw TokenizerError("merge \(rank) \(pair) refers to a token outside the vocabulary 0..<\(tokens.count)")
            }
            guard let merged = ordinaryIDs[tokens[pair.first] + tokens[pair.second]] else {
                throw TokenizerError("merge \(rank) \(pair) produces the bytes \(tokens[pair.first] + tokens[pair.second]), "
                    + "which are not a token of the vocabulary")
            }
            mergedTokens.append(merged)
            table.insert(first: Int32(pair.first), second: Int32(pair.second), rank: Int32(rank), merged: Int32(merged))
        }

        self.tokens = tokens
        self.merges = merges
        self.mergedTokens = mergedTokens
        self.specialTokens = specialTokens
        self.preTokenizer = preTokenizer
        self.ignoresMerges = ignoresMerges
        self.addsPrefixSpace = addsPrefixSpace
        self.byteTokens = byteTokens
        self.mergeTable = table
        self.ordinaryIDs = ordinaryIDs
        self.specialMatcher = SpecialTokenMatcher(specialTokens)
    }

    /// The vocabulary size V: bytes, merged tokens and special tokens.
    public var vocabularySize: Int { tokens.count }

    /// The id of the ordinary token with these bytes, if there is one.
    public func id(forBytes bytes: [UInt8]) -> Int? {
        ordinaryIDs[bytes]
    }

    /// The id of a token given as text: a special token, or an ordinary token whose bytes are
    /// the text's UTF-8.
    public func id(for text: String) -> Int? {
        specialTokens[text] ?? ordinaryIDs[Array(text.utf8)]
    }

    /// This tokenizer with more special tokens, given new ids after the current vocabulary in the
    /// order listed (texts that are already special tokens keep their ids), like Hugging Face's
    /// `add_special_tokens`. Their text is then matched before pre-tokenization, longest first.
    ///
    ///     let chat = try gpt2.addingSpecialTokens(["<|user|>", "<|assistant|>"])   // ids 50257, 50258
    public func addingSpecialTokens(_ texts: [String]) throws -> BPETokenizer {
        var tokens = self.tokens
        var specials = specialTokens
        for text in texts where specials[text] == nil {
            guard !text.isEmpty else { throw TokenizerError("a special token cannot be the empty string") }
            specials[text] = tokens.count
            tokens.append(Array(text.utf8))
        }
        return try BPETokenizer(tokens: tokens, merges: merges, specialTokens: specials, preTokenizer: preTokenizer,
                                ignoresMerges: ignoresMerges, addsPrefixSpace: addsPrefixSpace).normalizing(normalization)
            .addingSequenceTemplate(before: sequenceTemplate.before, after: sequenceTemplate.after)
    }

    /// This tokenizer with text normalized by `normalization` (nil: none) before pre-tokenizing.
    ///
    ///     let qwen = tokenizer.normalizing(.nfc)
    ///     qwen.encode("cafe\u{301}") == qwen.encode("caf\u{E9}")   // true
    public func normalizing(_ normalization: TextNormalization?) -> BPETokenizer {
        var copy = self
        copy.normalization = normalization
        return copy
    }

    /// A copy that adds `before` and `after` around each text `encode(_:addingSpecialTokens:)`
    /// encodes; every id must be one of the special tokens.
    public func addingSequenceTemplate(before: [Int], after: [Int]) -> BPETokenizer {
        precondition((before + after).allSatisfy(isSpecial),
                     "addingSequenceTemplate: \(before + after) must all be special token ids")
        var copy = self
        copy.sequenceTemplate = (before, after)
        return copy
    }

    /// Whether `id` is one of the special tokens.
    public func isSpecial(_ id: Int) -> Bool {
        specialMatcher.ids.contains(id)
    }
}
