// TokenizerJSON: Hugging Face's tokenizer.json, for byte-level BPE models.
//
// A tokenizer.json describes a whole tokenization pipeline: normalizer, pre-tokenizer, model,
// post-processor, decoder, and "added tokens" matched before everything else. Byte-level BPE
// models (GPT-2, Llama 3, Qwen 2, SmolLM, the kit's own) fill it in like this:
//
//     "added_tokens": [{"id": 50256, "content": "<|endoftext|>", "special": true, ...}],
//     "normalizer": null                                                                      GPT-2, Llama 3, SmolLM2
//                or {"type": "NFC"}                                                           Qwen 2
//     "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}      GPT-2's pattern
//                   or {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "..."},
//                       "behavior": "Isolated"}, {"type": "ByteLevel", "use_regex": false}]}   Llama 3 / Qwen 2
//                   or {"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
//                       {"type": "ByteLevel", "use_regex": true}]}                             SmolLM2
//     "model": {"type": "BPE", "vocab": {"Ġthe": 262, ...}, "merges": ["Ġ t", ...] or [["Ġ", "t"], ...],
//               "ignore_merges": false, ...},
//     "post_processor": null, {"type": "ByteLevel", ...}, or Llama 3's {"type": "Sequence", "processors":
//                       [{"type": "ByteLevel", ...}, {"type": "TemplateProcessing", "single": [{"SpecialToken":
//                       {"id": "<|begin_of_text|>", ...}}, {"Sequence": {"id": "A", ...}}], "special_tokens": ...}]}
//     "decoder": {"type": "ByteLevel", ...}
//
// Tokens are in GPT-2's printable byte form (ByteLevelEncoding.swift); merges come as "a b"
// strings (tokenizers before 0.20) or ["a", "b"] pairs (0.20 and later); both are read, and the
// string form is written because every version reads it. Every added token becomes a special
// token of the kit's tokenizer (matched first, never merged, its text not normalized), as
// Hugging Face does.
//
// Left out, each rejected with a message naming the field, so nothing is silently mis-encoded:
// normalizers other than NFC (NFKC, Lowercase, Sequence, ...), pre-tokenizers other than the
// shapes above (Digits that keeps runs together, Whitespace, Metaspace, ...), other models
// (WordPiece, Unigram), BPE with byte fallback or subword prefixes (Llama 2's SentencePiece
// style), Split patterns other than GPT-2's, Llama 3's and Qwen 2's, post-processors other than
// ByteLevel and TemplateProcessing (alone or in a Sequence). A TemplateProcessing's template for
// one text becomes the tokenizer's `sequenceTemplate` (Llama 3: <|begin_of_text|> before it),
// which `encode(_:addingSpecialTokens: true)` adds. Not applied, and not rejected: BPE dropout,
// `unk_token` (a byte-level vocabulary never needs it), truncation and padding, and the
// lstrip/rstrip/single_word options of added tokens (all false in the models above).

import Foundation

extension BPETokenizer {
    /// Loads a byte-level BPE tokenizer from a Hugging Face `tokenizer.json` file.
    /// - Throws: `TokenizerError` naming the file, the field and what was expected.
    public static func load(tokenizerJSON url: URL) throws -> BPETokenizer {
        try BPETokenizer(tokenizerJSON: Data(try readFileBytes(url)), source: url.lastPathComponent)
    }

    /// Parses the contents of a `tokenizer.json`; `source` names it in error messages.
    public init(tokenizerJSON data: Data, source: String = "tokenizer.json") throws {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch let error as JSONParseError {
            throw TokenizerError("\(source) is not valid JSON: \(error)")
        }
        var reader = TokenizerJSONReader(source: source)
        self = try reader.read(root)
    }

    /// Saves the tokenizer as a Hugging Face `tokenizer.json` (written to a temporary file and
    /// renamed), which `tokenizers.Tokenizer.from_file` and `load(tokenizerJSON:)` read back.
    public func save(tokenizerJSON url: URL) throws {
        try writeAtomically(tokenizerJSON(), to: url)
    }

    /// null, or the TemplateProcessing that puts `sequenceTemplate` around a text.
    private func postProcessorJSON() -> String {
        let (before, after) = sequenceTemplate
        guard !(before + after).isEmpty else { return "null" }
        let names = Dictionary(specialTokens.map { ($0.value, $0.key) }, uniquingKeysWith: min)
        func item(_ id: Int) -> String { "{\"SpecialToken\": {\"id\": \(jsonStringLiteral(names[id]!)), \"type_id\": 0}}" }
        let single = before.map(item) + ["{\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}"] + after.map(item)
        let entries = Set(before + after).sorted().map { id in
            "\(jsonStringLiteral(names[id]!)): {\"id\": \(jsonStringLiteral(names[id]!)), \"ids\": [\(id)], \"tokens\": [\(jsonStringLiteral(names[id]!))]}"
        }
        return "{\"type\": \"TemplateProcessing\", \"single\": [" + single.joined(separator: ", ") + "], \"pair\": ["
            + single.joined(separator: ", ") + "], \"special_tokens\": {" + entries.joined(separator: ", ") + "}}"
    }

    /// The tokenizer as the text of a Hugging Face `tokenizer.json`: vocabulary in id order, one
    /// entry per line, merges in the "a b" form, special tokens as added tokens.
    public func tokenizerJSON() -> String {
        let printable = printableTokens()
        var out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": ["
        let specials = specialTokens.sorted { $0.value < $1.value }
        for (i, (text, id)) in specials.enumerated() {
            out += "\n    {\"id\": \(id), \"content\": \(jsonStringLiteral(text)), \"single_word\": false, \"lstrip\": false, "
                + "\"rstrip\": false, \"normalized\": false, \"special\": true}" + (i == specials.count - 1 ? "\n  " : ",")
        }
        out += "],\n  \"normalizer\": " + (normalization == .nfc ? "{\"type\": \"NFC\"}" : "null") + ",\n"
        let byteLevel = "\"add_prefix_space\": \(addsPrefixSpace), \"trim_offsets\": true"
        var steps: [String] = []
        if preTokenizer.isolatesDigits { steps.append("{\"type\": \"Digits\", \"individual_digits\": true}") }
        if preTokenizer.pattern == .gpt2 {
            steps.append("{\"type\": \"ByteLevel\", \(byteLevel), \"use_regex\": true}")
        } else {
            steps.append("{\"type\": \"Split\", \"pattern\": {\"Regex\": \(jsonStringLiteral(preTokenizer.pattern.regex))}, "
                + "\"behavior\": \"Isolated\", \"invert\": false}")
            steps.append("{\"type\": \"ByteLevel\", \(byteLevel), \"use_regex\": false}")
        }
        out += steps.count == 1 ? "  \"pre_tokenizer\": \(steps[0]),\n"
            : "  \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [\n    " + steps.joined(separator: ",\n    ") + "]},\n"
        out += "  \"post_processor\": \(postProcessorJSON()),\n"
        out += "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true},\n"
        out += "  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": null,\n"
            + "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": false,\n"
            + "    \"byte_fallback\": false,\n    \"ignore_merges\": \(ignoresMerges),\n    \"vocab\": {"
        for (id, text) in printable.enumerated() {
            out += "\n      \(jsonStringLiteral(text)): \(id)" + (id == printable.count - 1 ? "" : ",")
        }
        out += "\n    },\n    \"merges\": ["
        let merges = printableMerges()
        for (i, merge) in merges.enumerated() {
            out += "\n      \(jsonStringLiteral(merge.0 + " " + merge.1))" + (i == merges.count - 1 ? "" : ",")
        }
        out += "\n    ]\n  }\n}\n"
        return out
    }
}

/// Reads the fields of a parsed tokenizer.json, naming each field in its errors.
private struct TokenizerJSONReader {
    let source: String

    func fail(_ field: String, _ message: String) -> TokenizerError {
        TokenizerError("\(source): \(field): \(message)")
    }

    func object(_ value: JSONValue?, _ field: String) throws -> [String: JSONValue] {
        guard let value else { throw fail(field, "missing") }
        guard let object = value.object else { throw fail(field, "expected an object, found \(value.kind)") }
        return object
    }

    func string(_ value: JSONValue?, _ field: String) throws -> String {
        guard let value else { throw fail(field, "missing") }
        guard let text = value.string else { throw fail(field, "expected a string, found \(value.kind)") }
        return text
    }

    /// A boolean that may be absent or null (then `default`).
    func flag(_ value: JSONValue?, _ field: String, default fallback: Bool) throws -> Bool {
        guard let value, !value.isNull else { return fallback }
        guard let flag = value.bool else { throw fail(field, "expected true or false, found \(value.kind)") }
        return flag
    }

    mutating func read(_ root: JSONValue) throws -> BPETokenizer {
        guard root.object != nil else { throw TokenizerError("\(source): expected a JSON object at the top, found \(root.kind)") }
        let normalization = try readNormalizer(root["normalizer"])
        let (preTokenizer, addsPrefixSpace) = try readPreTokenizer(root["pre_tokenizer"])
        if let decoder = root["decoder"], !decoder.isNull, decoder["type"]?.string != "ByteLevel" {
            throw fail("decoder", "expected a ByteLevel decoder (or null), found \(decoder["type"]?.kind ?? decoder.kind)")
        }

        let model = try object(root["model"], "model")
        if let type = model["type"], type.string != "BPE" {
            throw fail("model.type", "expected \"BPE\" (byte-level BPE), found \(type.kind)")
        }
        if try flag(model["byte_fallback"], "model.byte_fallback", default: false) {
            throw fail("model.byte_fallback", "byte fallback (SentencePiece-style BPE) is not supported; expected false")
        }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[field], !value.isNull, value.string != "" {
                throw fail("model.\(field)", "subword prefixes and suffixes are not supported; expected null, found \(value.kind)")
            }
        }
        let ignoresMerges = try flag(model["ignore_merges"], "model.ignore_merges", default: false)

        var vocabulary: [String: Int] = [:]
        for (token, value) in try object(model["vocab"], "model.vocab") {
            guard let id = value.int else { throw fail("model.vocab[\(token.debugDescription)]", "expected an integer id, found \(value.kind)") }
            vocabulary[token] = id
        }
        guard let mergeValues = model["merges"]?.array else {
            throw fail("model.merges", model["merges"] == nil ? "missing" : "expected an array, found \(model["merges"]!.kind)")
        }
        var merges: [(first: String, second: String, location: String)] = []
        merges.reserveCapacity(mergeValues.count)
        for (i, value) in mergeValues.enumerated() {
            let location = "\(source): model.merges[\(i)]"
            let parts: [String]
            if let text = value.string {
                parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let pair = value.array, pair.allSatisfy({ $0.string != nil }) {
                parts = pair.map { $0.string! }
            } else {
                parts = []
            }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError("\(location): expected \"a b\" or [\"a\", \"b\"] (two tokens), found \(value.kind)")
            }
            merges.append((parts[0], parts[1], location))
        }

        var specials: [String: Int] = [:]
        if let added = root["added_tokens"], !added.isNull {
            guard let items = added.array else { throw fail("added_tokens", "expected an array, found \(added.kind)") }
            for (i, item) in items.enumerated() {
                let field = "added_tokens[\(i)]"
                let content = try string(item["content"], "\(field).content")
                guard let id = item["id"]?.int else { throw fail("\(field).id", "expected an integer id, found \(item["id"]?.kind ?? "nothing")") }
                guard !content.isEmpty else { throw fail("\(field).content", "an added token cannot be empty") }
                specials[content] = id
            }
        }
        let (before, after) = try readPostProcessor(root["post_processor"], specials: specials)
        return try BPETokenizer.fromPrintableTables(vocabulary: vocabulary, vocabularySource: "\(source) model.vocab",
                                                    merges: merges, specialTokens: specials, preTokenizer: preTokenizer,
                                                    ignoresMerges: ignoresMerges, addsPrefixSpace: addsPrefixSpace)
            .normalizing(normalization)
            .addingSequenceTemplate(before: before, after: after)
    }

    /// The special tokens a `post_processor` puts before and after one text: none for null and
    /// ByteLevel (it only adjusts offsets); a TemplateProcessing's `single` template around its
    /// sequence $A; the processors of a Sequence one after another.
    func readPostProcessor(_ value: JSONValue?, specials: [String: Int], field: String = "post_processor") throws
        -> (before: [Int], after: [Int]) {
        guard let value, !value.isNull else { return ([], []) }
        switch try string(value["type"], "\(field).type") {
        case "ByteLevel":
            return ([], [])
        case "Sequence":
            guard let processors = value["processors"]?.array else {
                throw fail("\(field).processors", "expected an array of post-processors, found \(value["processors"]?.kind ?? "nothing")")
            }
            var (before, after): ([Int], [Int]) = ([], [])
            for (i, processor) in processors.enumerated() {
                let (b, a) = try readPostProcessor(processor, specials: specials, field: "\(field).processors[\(i)]")
                (before, after) = (before + b, a + after)
            }
            return (before, after)
        case "TemplateProcessing":
            guard let items = value["single"]?.array else {
                throw fail("\(field).single", "expected the template for one text (an array), found \(value["single"]?.kind ?? "nothing")")
            }
            var (before, after, sawSequence): ([Int], [Int], Bool) = ([], [], false)
            for (i, item) in items.enumerated() {
                let itemField = "\(field).single[\(i)]"
                if item["Sequence"] != nil {
                    guard !sawSequence else { throw fail(itemField, "a template for one text holds one sequence, found a second") }
                    sawSequence = true
                } else if let special = item["SpecialToken"] {
                    let name = try string(special["id"], "\(itemField).SpecialToken.id")
                    guard let entry = value["special_tokens"]?[name], let ids = entry["ids"]?.array?.compactMap(\.int),
                          !ids.isEmpty else {
                        throw fail("\(field).special_tokens", "the template uses \(name.debugDescription), which special_tokens does not list with its ids")
                    }
                    for id in ids where specials.values.contains(id) == false {
                        throw fail("\(field).special_tokens[\(name.debugDescription)]", "id \(id) is not one of the added tokens")
                    }
                    if sawSequence { after += ids } else { before += ids }
                } else {
                    throw fail(itemField, "expected {\"SpecialToken\": …} or {\"Sequence\": …}, found \(item.kind)")
                }
            }
            guard sawSequence else { throw fail("\(field).single", "the template has no sequence ($A) for the text") }
            return (before, after)
        case let type:
            throw fail(field, "a \(type.debugDescription) post-processor is not supported; expected null, ByteLevel, "
                + "TemplateProcessing or a Sequence of them")
        }
    }

    /// The normalization of a `normalizer` field: null (none) or NFC.
    func readNormalizer(_ value: JSONValue?) throws -> TextNormalization? {
        guard let value, !value.isNull else { return nil }
        let type = try string(value["type"], "normalizer.type")
        guard type == "NFC" else {
            throw fail("normalizer", "a \(type.debugDescription) normalizer is not supported; expected null or NFC "
                + "(the kit implements Unicode canonical composition only, see Tokenizer/Normalizer.swift)")
        }
        return .nfc
    }

    /// The pre-tokenizer and `add_prefix_space` of the supported shapes: a lone ByteLevel (GPT-2's
    /// pattern); a Sequence of Split (a known pattern) and ByteLevel; either one preceded by
    /// Digits(individual_digits: true), as in SmolLM2.
    func readPreTokenizer(_ value: JSONValue?) throws -> (PreTokenizer, Bool) {
        guard let value, !value.isNull else {
            throw fail("pre_tokenizer", "missing; expected a ByteLevel pre-tokenizer (byte-level BPE)")
        }
        let type = try string(value["type"], "pre_tokenizer.type")
        var steps: [(value: JSONValue, field: String)]
        if type == "Sequence" {
            guard let list = value["pretokenizers"]?.array else {
                throw fail("pre_tokenizer.pretokenizers", "expected an array of pre-tokenizers")
            }
            steps = list.enumerated().map { ($1, "pre_tokenizer.pretokenizers[\($0)]") }
        } else {
            steps = [(value, "pre_tokenizer")]
        }
        let names = steps.map { $0.value["type"]?.string ?? "?" }
        let supported = "expected ByteLevel, [Split, ByteLevel], or either after Digits"
        var isolatesDigits = false
        if names.first == "Digits" {
            let digits = steps.removeFirst()
            guard try flag(digits.value["individual_digits"], "\(digits.field).individual_digits", default: false) else {
                throw fail("\(digits.field).individual_digits", "Digits that keeps runs of digits together is not supported; "
                    + "expected true (every digit its own piece, as SmolLM2)")
            }
            isolatesDigits = true
        }
        switch steps.map({ $0.value["type"]?.string ?? "?" }) {
        case ["ByteLevel"]:
            let byteLevel = steps[0]
            guard try flag(byteLevel.value["use_regex"], "\(byteLevel.field).use_regex", default: true) else {
                throw fail("\(byteLevel.field).use_regex", "a ByteLevel pre-tokenizer without its regex does not split text; expected true")
            }
            return (PreTokenizer(.gpt2, isolatingDigits: isolatesDigits),
                    try flag(byteLevel.value["add_prefix_space"], "\(byteLevel.field).add_prefix_space", default: false))
        case ["Split", "ByteLevel"]:
            let split = steps[0], byteLevel = steps[1]
            let regex = try string(split.value["pattern"]?["Regex"], "\(split.field).pattern.Regex")
            guard let pattern = PreTokenizer.Pattern(regex: regex) else {
                throw fail("\(split.field).pattern.Regex", "the pattern \(regex.debugDescription) is not one the kit "
                    + "implements; expected GPT-2's, Llama 3's or Qwen 2's (see PreTokenizer.Pattern)")
            }
            let behavior = try string(split.value["behavior"], "\(split.field).behavior")
            guard behavior == "Isolated", try !flag(split.value["invert"], "\(split.field).invert", default: false) else {
                throw fail(split.field, "expected behavior \"Isolated\" and invert false, found \(behavior.debugDescription)")
            }
            guard try !flag(byteLevel.value["use_regex"], "\(byteLevel.field).use_regex", default: true) else {
                throw fail("\(byteLevel.field).use_regex", "a ByteLevel after a Split must not split again; expected false")
            }
            return (PreTokenizer(pattern, isolatingDigits: isolatesDigits),
                    try flag(byteLevel.value["add_prefix_space"], "\(byteLevel.field).add_prefix_space", default: false))
        default:
            let field = type == "Sequence" ? "pre_tokenizer.pretokenizers" : "pre_tokenizer"
            throw fail(field, "\(supported); found \(type == "Sequence" ? "[" + names.joined(separator: ", ") + "]" : type.debugDescription)")
        }
    }
}
