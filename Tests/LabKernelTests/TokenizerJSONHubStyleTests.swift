// tokenizer.json features of real Hub folders: Qwen2's NFC normalizer and SmolLM2's
// Digits + ByteLevel pre-tokenizer. Small tokenizers set up exactly like the published files were
// trained and saved by Hugging Face `tokenizers` (scripts/fixtures/make_tokenizer_json_fixtures.py,
// Tests/Fixtures/tokenizer/*_style_tokenizer.json); the kit must load them and give Hugging Face's
// ids for tricky strings, save them back in the same shape, and reject the features it lacks by name.

import Foundation
import LabKernel
import LabTestSupport
import XCTest

final class TokenizerJSONHubStyleTests: XCTestCase {
    func load(_ style: String) throws -> BPETokenizer {
        try BPETokenizer.load(tokenizerJSON: RepositoryPaths.fixtures.appendingPathComponent("tokenizer/\(style)_style_tokenizer.json"))
    }

    func cases(_ style: String) throws -> [(text: String, ids: [Int])] {
        let json = try JSONValue.parse(Data(contentsOf: RepositoryPaths.fixtures
            .appendingPathComponent("tokenizer/tokenizer_json_encodings.json")))
        return try XCTUnwrap(json["cases"]?.array).filter { $0["style"]?.string == style }.map { item in
            (try XCTUnwrap(item["text"]?.string), try XCTUnwrap(item["ids"]?.array).map { try XCTUnwrap($0.int) })
        }
    }

    func assertEncodesLikeHuggingFace(_ tokenizer: BPETokenizer, style: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try cases(style)
        XCTAssertGreaterThan(expected.count, 100, "the fixture lost its cases", file: file, line: line)
        var failures = 0
        for (text, ids) in expected where tokenizer.encode(text) != ids {
            failures += 1
            if failures <= 5 {
                XCTFail("\(style): \(text.debugDescription)\n  kit:          \(tokenizer.encode(text))\n  Hugging Face: \(ids)",
                        file: file, line: line)
            }
        }
        XCTAssertEqual(failures, 0, "\(style): \(failures) of \(expected.count) texts encode differently", file: file, line: line)
    }

    func testQwen2StyleLoadsWithNFCAndEncodesLikeHuggingFace() throws {
        let tokenizer = try load("qwen2")
        XCTAssertEqual(tokenizer.normalization, .nfc)
        XCTAssertEqual(tokenizer.preTokenizer, PreTokenizer(.qwen2))
        XCTAssertEqual(tokenizer.specialTokens.keys.sorted(), ["<|endoftext|>", "<|im_end|>", "<|im_start|>"])
        try assertEncodesLikeHuggingFace(tokenizer, style: "qwen2")
        // Canonically equivalent spellings give the same ids; decoding gives the composed form.
        let composed = tokenizer.encode("caf\u{E9} \u{C5}ngstr\u{F6}m")
        XCTAssertEqual(tokenizer.encode("cafe\u{301} A\u{30A}ngstro\u{308}m"), composed)
        XCTAssertEqual(tokenizer.encode("caf\u{E9} \u{212B}ngstr\u{F6}m"), composed)
        XCTAssertEqual(try tokenizer.decode(tokenizer.encode("cafe\u{301}")).unicodeScalars.count, 4)
        // NFC keeps compatibility characters: the ligature is not "fi".
        XCTAssertNotEqual(tokenizer.encode("\u{FB01}ne"), tokenizer.encode("fine"))
    }

    func testSmolLM2StyleLoadsWithDigitsAndEncodesLikeHuggingFace() throws {
        let tokenizer = try load("smollm2")
        XCTAssertNil(tokenizer.normalization)
        XCTAssertEqual(tokenizer.preTokenizer, PreTokenizer(.gpt2, isolatingDigits: true))
        try assertEncodesLikeHuggingFace(tokenizer, style: "smollm2")
        // Without a normalizer the two spellings of é stay different.
        XCTAssertNotEqual(tokenizer.encode("cafe\u{301}"), tokenizer.encode("caf\u{E9}"))
    }

    func testDigitsPiecesMatchHuggingFacesPreTokenizer() throws {
        // Hugging Face: Sequence([Digits(individual_digits=True), ByteLevel(use_regex=True)])
        // .pre_tokenize_str("a 12  b x²½") -> ['a', 'Ġ', '1', '2', 'Ġ', 'Ġb', 'Ġx', 'Â²', 'Â½'].
        XCTAssertEqual(PreTokenizer(.gpt2, isolatingDigits: true).pieces(of: "a 12  b x²½"),
                       ["a", " ", "1", "2", " ", " b", " x", "²", "½"])
        XCTAssertEqual(PreTokenizer(.gpt2).pieces(of: "a 12  b x²½"), ["a", " 12", " ", " b", " x", "²½"])
        // The scanner and the Regex twin agree on every fixture text.
        let digits = PreTokenizer(.gpt2, isolatingDigits: true)
        for (text, _) in try cases("smollm2") {
            XCTAssertEqual(digits.pieces(of: text), digits.piecesUsingRegex(of: text), text.debugDescription)
        }
    }

    func testSavedFilesKeepNormalizerAndDigitsAndReloadIdentically() throws {
        for style in ["qwen2", "smollm2"] {
            let tokenizer = try load(style)
            let json = tokenizer.tokenizerJSON()
            let root = try JSONValue.parse(Data(json.utf8))
            if style == "qwen2" {
                XCTAssertEqual(root["normalizer"]?["type"]?.string, "NFC")
            } else {
                XCTAssertEqual(root["normalizer"]?.isNull, true)
                XCTAssertEqual(root["pre_tokenizer"]?["pretokenizers"]?.array?.compactMap { $0["type"]?.string }, ["Digits", "ByteLevel"])
                XCTAssertEqual(root["pre_tokenizer"]?["pretokenizers"]?.array?.first?["individual_digits"]?.bool, true)
            }
            let reloaded = try BPETokenizer(tokenizerJSON: Data(json.utf8))
            XCTAssertEqual(reloaded.normalization, tokenizer.normalization, style)
            XCTAssertEqual(reloaded.preTokenizer, tokenizer.preTokenizer, style)
            for (text, ids) in try cases(style) { XCTAssertEqual(reloaded.encode(text), ids, "\(style) \(text.debugDescription)") }
        }
    }

    func testNormalizationSurvivesAddingSpecialTokensAndStreaming() throws {
        let tokenizer = try load("qwen2").addingSpecialTokens(["<|extra|>"])
        XCTAssertEqual(tokenizer.normalization, .nfc)
        XCTAssertEqual(tokenizer.encode("cafe\u{301}<|extra|>"), tokenizer.encode("caf\u{E9}<|extra|>"))
        var stream = StreamingEncoder(tokenizer: tokenizer)
        let ids = try stream.append(utf8: Array("cafe\u{301} and more text ".utf8)) + (try stream.finish())
        XCTAssertEqual(ids, tokenizer.encode("caf\u{E9} and more text "))
    }

    func testStreamingNeverSplitsWhatNormalizationJoins() throws {
        // A combining accent, a Hangul vowel jamo and a combining sequence arriving in the next
        // chunk compose with what came before: NFC must see them together, as when the whole text
        // is encoded at once.
        let tokenizer = try load("qwen2")
        let splits: [[String]] = [["cafe", "\u{301} and more text "], ["Hangul \u{1100}", "\u{1161} syllable, then more "],
                                  ["A", "\u{30A}ngstro", "\u{308}m is a unit "], ["e\u{301}", "\u{327}\u{301} x y z "]]
        for parts in splits {
            var stream = StreamingEncoder(tokenizer: tokenizer)
            var ids: [Int] = []
            for part in parts { ids += try stream.append(utf8: Array(part.utf8)) }
            ids += try stream.finish()
            XCTAssertEqual(ids, tokenizer.encode(parts.joined()), parts.debugDescription)
        }
        // Random texts full of combining marks, cut at random places (seeded).
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("aeiouAEKnc \u{301}\u{300}\u{308}\u{327}\u{30A}\u{1100}\u{1161}\u{11A8}.,\n".unicodeScalars)
        for round in 0..<200 {
            let scalars = (0..<Int.random(in: 5...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let bytes = Array(String(String.UnicodeScalarView(scalars)).utf8)
            var stream = StreamingEncoder(tokenizer: tokenizer)
            var ids: [Int] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...6, using: &generator))
                ids += try stream.append(utf8: Array(bytes[start..<end]))
                start = end
            }
            ids += try stream.finish()
            let text = String(decoding: bytes, as: UTF8.self)
            if ids != tokenizer.encode(text) {
                XCTFail("round \(round): streaming \(text.debugDescription) gave \(ids), encode gives \(tokenizer.encode(text))")
                return
            }
        }
    }

    /// The qwen2-style file with `replace` applied to its text.
    func qwen2JSON(replacing target: String, with replacement: String) throws -> Data {
        let text = try String(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("tokenizer/qwen2_style_tokenizer.json"),
                              encoding: .utf8)
        XCTAssertTrue(text.contains(target), "the fixture no longer contains \(target)")
        return Data(text.replacingOccurrences(of: target, with: replacement).utf8)
    }

    func testUnsupportedNormalizersAndPreTokenizersAreNamed() throws {
        let normalizer = "\"normalizer\": {\n    \"type\": \"NFC\"\n  }"
        let preTokenizerStart = "\"pre_tokenizer\": {\n    \"type\": \"Sequence\",\n    \"pretokenizers\": [\n"
        let cases: [(String, String, [String])] = [
            (normalizer, "\"normalizer\": {\"type\": \"NFKC\"}", ["normalizer", "\"NFKC\"", "expected null or NFC"]),
            (normalizer, "\"normalizer\": {\"type\": \"Lowercase\"}", ["normalizer", "\"Lowercase\""]),
            (normalizer, "\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"}]}", ["normalizer", "\"Sequence\""]),
            (preTokenizerStart, preTokenizerStart + "{\"type\": \"Digits\", \"individual_digits\": false},\n",
             ["pre_tokenizer.pretokenizers[0].individual_digits", "expected true"]),
            (preTokenizerStart, preTokenizerStart + "{\"type\": \"Whitespace\"},\n", ["pre_tokenizer.pretokenizers", "[Whitespace, Split, ByteLevel]"]),
            (preTokenizerStart, preTokenizerStart + "{\"type\": \"Digits\", \"individual_digits\": true},\n{\"type\": \"Digits\", \"individual_digits\": true},\n",
             ["pre_tokenizer.pretokenizers", "[Digits, Digits, Split, ByteLevel]"]),
        ]
        for (target, replacement, phrases) in cases {
            XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: try qwen2JSON(replacing: target, with: replacement))) { error in
                for phrase in phrases {
                    XCTAssertTrue("\(error)".contains(phrase), "\(replacement): the error does not mention \(phrase): \(error)")
                }
            }
        }
        // A lone Metaspace (SentencePiece style) is named too.
        let metaspace = try qwen2JSON(replacing: preTokenizerStart, with: "\"pre_tokenizer\": {\"type\": \"Metaspace\"}, \"unused\": {\"x\": [\n")
        XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: metaspace)) { error in
            XCTAssertTrue("\(error)".contains("pre_tokenizer") && "\(error)".contains("\"Metaspace\""), "\(error)")
        }
    }
}
