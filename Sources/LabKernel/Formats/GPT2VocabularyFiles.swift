// GPT2VocabularyFiles: GPT-2's original tokenizer files, vocab.json and merges.txt.
//
// vocab.json is one JSON object from each token, written in GPT-2's printable byte form
// (ByteLevelEncoding.swift), to its id: {"!": 0, "\"": 1, …, "Ġthe": 262, …, "<|endoftext|>": 50256}.
// merges.txt lists the merges in priority order, one per line, the two tokens separated by a
// space ("Ġ t"), after an optional "#version: 0.2" header. Special tokens are ordinary entries of
// vocab.json, so the caller says which entries are special. The same printable tables, in other
// JSON fields, make up Hugging Face's tokenizer.json (TokenizerJSON.swift); both loaders share
// `BPETokenizer.fromPrintableTables` below. Every problem in a file is a thrown `TokenizerError`
// naming the file and the line or token. Left out: the pre-tokenizer, which these files do not
// record (GPT-2's pattern is assumed; pass another if the files come from elsewhere).

import Foundation

extension BPETokenizer {
    /// Loads GPT-2-style `vocab.json` and `merges.txt`.
    ///
    ///     let gpt2 = try BPETokenizer.loadGPT2(vocabulary: folder.appendingPathComponent("vocab.json"),
    ///                                          merges: folder.appendingPathComponent("merges.txt"))
    ///
    /// - Parameters:
    ///   - specialTokens: entries of vocab.json that are special tokens (matched in text before
    ///     pre-tokenization, never merged); each must be present in the file.
    ///   - preTokenizer: the pattern the files were trained with (GPT-2's by default).
    /// - Throws: `TokenizerError` naming the file and what is wrong in it.
    public static func loadGPT2(vocabulary vocabularyURL: URL, merges mergesURL: URL,
                                specialTokens: [String] = ["<|endoftext|>"],
                                preTokenizer: PreTokenizer = PreTokenizer(.gpt2)) throws -> BPETokenizer {
        let vocabularyName = vocabularyURL.lastPathComponent
        let mergesName = mergesURL.lastPathComponent
        let json = try readJSONFile(vocabularyURL)
        guard case .object(let entries) = json else {
            throw TokenizerError("\(vocabularyName): expected a JSON object from token to id, found \(json.kind)")
        }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(entries.count)
        for (token, value) in entries {
            guard let id = value.int else {
                throw TokenizerError("\(vocabularyName): token \(quoted(token)): expected an integer id, found \(value.kind)")
            }
            vocabulary[token] = id
        }
        var specials: [String: Int] = [:]
        for text in specialTokens {
            guard let id = vocabulary[text] else {
                throw TokenizerError("\(vocabularyName): special token \(quoted(text)) is not in the file; "
                    + "pass the special tokens the vocabulary has (specialTokens: [] for none)")
            }
            specials[text] = id
        }

        let mergeLines = try readTextFile(mergesURL)
        var merges: [(first: String, second: String, location: String)] = []
        for (index, line) in mergeLines.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = "\(mergesName) line \(index + 1)"
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || (index == 0 && line.hasPrefix("#version")) { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError("\(location): expected two tokens separated by one space, found \(quoted(String(line)))")
            }
            merges.append((String(parts[0]), String(parts[1]), location))
        }
        return try fromPrintableTables(vocabulary: vocabulary, vocabularySource: vocabularyName, merges: merges,
                                       specialTokens: specials, preTokenizer: preTokenizer, ignoresMerges: false)
    }

    /// Writes `vocab.json` (one entry per line, in id order) and `merges.txt` (with GPT-2's
    /// "#version: 0.2" header) that `loadGPT2` and Hugging Face's `BPE.from_file` read back.
    /// Each file is written to a temporary file first and then renamed, so it is never half-written.
    public func saveGPT2(vocabulary vocabularyURL: URL, merges mergesURL: URL) throws {
        var vocabularyText = "{\n"
        for (id, text) in printableTokens().enumerated() {
            vocabularyText += "  \(jsonStringLiteral(text)): \(id)\(id == tokens.count - 1 ? "" : ",")\n"
        }
        vocabularyText += "}\n"
        try writeAtomically(vocabularyText, to: vocabularyURL)
        try writeAtomically("#version: 0.2\n" + printableMerges().map { "\($0.0) \($0.1)\n" }.joined(), to: mergesURL)
    }

    // MARK: - Shared with tokenizer.json

    /// Every token in printable form, by id: byte-level for ordinary tokens ("Ġthe"), the text
    /// itself for special tokens. This is how vocab.json and tokenizer.json spell them, and a
    /// readable way to show tokens that are not whole characters.
    public func printableTokens() -> [String] {
        tokens.indices.map { id in
            isSpecial(id) ? String(decoding: tokens[id], as: UTF8.self) : ByteLevelEncoding.encode(tokens[id])
        }
    }

    /// Every merge as its two tokens in printable form, as in merges.txt: ("Ġ", "t").
    public func printableMerges() -> [(String, String)] {
        merges.map { (ByteLevelEncoding.encode(tokens[$0.first]), ByteLevelEncoding.encode(tokens[$0.second])) }
    }

    /// Builds a tokenizer from the printable-form tables of vocab.json/merges.txt or tokenizer.json.
    ///
    /// - Parameters:
    ///   - vocabulary: token text (printable form) -> id, for ordinary and possibly special tokens.
    ///   - merges: the two tokens of each merge, with where it was read, for messages.
    ///   - specialTokens: special token text -> id; their bytes are their UTF-8, and they need not
    ///     be in `vocabulary` (Hugging Face's added tokens often are not).
    /// - Throws: `TokenizerError` naming the source for ids that are negative, duplicated or
    ///   missing, tokens that are not in printable form, and merges of unknown tokens.
    static func fromPrintableTables(vocabulary: [String: Int], vocabularySource: String,
                                    merges: [(first: String, second: String, location: String)],
                                    specialTokens: [String: Int], preTokenizer: PreTokenizer,
                                    ignoresMerges: Bool, addsPrefixSpace: Bool = false) throws -> BPETokenizer {
        let count = max(vocabulary.values.max() ?? -1, specialTokens.values.max() ?? -1) + 1
        guard count <= 10_000_000 else {
            throw TokenizerError("\(vocabularySource): the largest id is \(count - 1); ids must run from 0 to the vocabulary size - 1")
        }
        var tokens = [[UInt8]?](repeating: nil, count: count)
        var owner = [String?](repeating: nil, count: count)
        func place(_ bytes: [UInt8], _ text: String, _ id: Int) throws {
            guard id >= 0 else { throw TokenizerError("\(vocabularySource): token \(quoted(text)) has the negative id \(id)") }
            if let other = owner[id], other != text {
                throw TokenizerError("\(vocabularySource): id \(id) is used by both \(quoted(other)) and \(quoted(text))")
            }
            tokens[id] = bytes
            owner[id] = text
        }
        for (text, id) in vocabulary.sorted(by: { $0.value < $1.value }) where specialTokens[text] != id {
            guard let bytes = ByteLevelEncoding.decode(text) else {
                let scalar = ByteLevelEncoding.firstForeignScalar(in: text)!
                throw TokenizerError("\(vocabularySource): token \(quoted(text)) (id \(id)) contains \(scalar.codePointDescription), "
                    + "which is not in GPT-2's byte-to-character map; is this a byte-level BPE vocabulary? "
                    + "(a special token must be declared as special)")
            }
            try place(bytes, text, id)
        }
        for (text, id) in specialTokens.sorted(by: { $0.value < $1.value }) {
            try place(Array(text.utf8), text, id)
        }
        if let missing = tokens.firstIndex(where: { $0 == nil }) {
            throw TokenizerError("\(vocabularySource): no token has id \(missing); ids must run from 0 to \(count - 1) without gaps")
        }

        var pairs: [TokenPair] = []
        pairs.reserveCapacity(merges.count)
        for merge in merges {
            guard let first = vocabulary[merge.first] else {
                throw TokenizerError("\(merge.location): token \(quoted(merge.first)) is not in \(vocabularySource)")
            }
            guard let second = vocabulary[merge.second] else {
                throw TokenizerError("\(merge.location): token \(quoted(merge.second)) is not in \(vocabularySource)")
            }
            guard vocabulary[merge.first + merge.second] != nil else {
                throw TokenizerError("\(merge.location): merging \(quoted(merge.first)) and \(quoted(merge.second)) "
                    + "gives \(quoted(merge.first + merge.second)), which is not in \(vocabularySource)")
            }
            pairs.append(TokenPair(first, second))
        }
        do {
            return try BPETokenizer(tokens: tokens.map { $0! }, merges: pairs, specialTokens: specialTokens,
                                    preTokenizer: preTokenizer, ignoresMerges: ignoresMerges, addsPrefixSpace: addsPrefixSpace)
        } catch let error as TokenizerError {
            throw TokenizerError("\(vocabularySource): \(error.description)")
        }
    }
}

// MARK: - Files

/// The contents of a file, or a `TokenizerError` naming the path and the reason.
func readFileBytes(_ url: URL) throws -> Data {
    do {
        return try readRegularFile(url, maximumBytes: maximumJSONFileBytes)
    } catch {
        throw TokenizerError("\(url.lastPathComponent): \(error)")
    }
}

/// A file as UTF-8 text; invalid UTF-8 is an error naming the byte offset.
func readTextFile(_ url: URL) throws -> String {
    let data = try readFileBytes(url)
    let bytes = [UInt8](data)
    if let offset = bytes.withUnsafeBufferPointer({ firstInvalidUTF8Offset($0) }) {
        throw TokenizerError("\(url.lastPathComponent): not valid UTF-8 (invalid byte sequence at offset \(offset))")
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// A JSON file, parsed; a syntax error names the file, line and column.
func readJSONFile(_ url: URL) throws -> JSONValue {
    let data = try readFileBytes(url)
    do {
        return try JSONValue.parse(data)
    } catch let error as JSONParseError {
        throw TokenizerError("\(url.lastPathComponent) is not valid JSON: \(error)")
    }
}

/// Writes text through a temporary file in the same folder and a rename, so a reader never sees
/// half a file; the error names the path.
func writeAtomically(_ text: String, to url: URL) throws {
    do {
        try writeFileAtomically(Data(text.utf8), to: url)
    } catch let error as FileWriteError {
        throw TokenizerError("\(url.lastPathComponent): \(error)")
    }
}

/// A token or line from a file, quoted for an error: control characters escaped and cut to a
/// few dozen characters (a 10 MB line of merges.txt is not echoed back whole).
private func quoted(_ text: String) -> String { "\"" + printable(text) + "\"" }
