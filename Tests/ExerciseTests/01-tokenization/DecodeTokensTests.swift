// Tests for exercise 01.6 (tokenization.decode-tokens): `decode(_:vocabulary:)` and
// `decodeStreaming(_:vocabulary:)` in exercises/01-tokenization/DecodeTokens.swift.
//
// The doc comment's examples, a character split over tokens, malformed byte sequences, and the
// kernel as the reference: `BPETokenizer.decode` for whole sequences and `IncrementalDecoder` for
// streams, on ids of a trained tokenizer and on text cut into tokens at random byte positions.

import XCTest
import LabCorpora
import LabKernel
import LabTestSupport
import ExerciseDecodeTokens

final class DecodeTokensTests: XCTestCase {
    /// The 256 bytes, then the two halves of "🙂" (F0 9F 99 82) as tokens 256 and 257.
    private let vocabulary = (0..<256).map { [UInt8($0)] } + [[0xF0, 0x9F], [0x99, 0x82]]

    func testTheDocCommentExamples() {
        guard let whole = exercise({ decode([72, 105, 256, 257], vocabulary: vocabulary) }),
              let half = exercise({ decode([72, 256], vocabulary: vocabulary) }) else { return }
        XCTAssertEqual(whole, "Hi🙂", "the two halves of the emoji decode together")
        XCTAssertEqual(half, "H\u{FFFD}", "half an emoji is malformed: one U+FFFD")
    }

    func testDecodingTokenByTokenWouldBeWrong() {
        // Each half alone is malformed; together they are one character.
        guard let text = exercise({ decode([256, 257], vocabulary: vocabulary) }) else { return }
        XCTAssertEqual(text, "🙂", "decode the bytes of all tokens at once, not each token on its own "
                       + "(that would give \"\\u{FFFD}\\u{FFFD}\\u{FFFD}\" here)")
    }

    func testEmptyAndMalformedSequences() {
        guard let empty = exercise({ decode([], vocabulary: vocabulary) }),
              let stray = exercise({ decode([0x99, 65, 0xC3], vocabulary: vocabulary) }) else { return }
        XCTAssertEqual(empty, "")
        // A stray continuation byte, then "A", then a lead byte with nothing after it.
        XCTAssertEqual(stray, "\u{FFFD}A\u{FFFD}", "each malformed part becomes one U+FFFD")
    }

    func testTrainedTokenizerIdsMatchTheKernelsDecode() throws {
        let tokenizer = try trainedTokenizer()
        var generator = SeededGenerator(seed: 505)
        let text = "A story: Mia found 3 shells 🐚 at the café, and said \"Schön!\" 日本"
        let ids = tokenizer.encode(text)
        // Random ids too: a model can generate any sequence, valid UTF-8 or not.
        let random = (0..<300).map { _ in generator.nextInt(below: tokenizer.vocabularySize) }
        for (what, sequence) in [("the ids of a sentence", ids), ("300 random ids", random)] {
            guard let decoded = exercise({ decode(sequence, vocabulary: tokenizer.tokens) }) else { return }
            XCTAssertEqual(decoded, try tokenizer.decode(sequence), what)
        }
    }

    func testStreamingTheDocCommentExamples() {
        guard let pieces = exercise({ decodeStreaming([72, 256, 257, 105], vocabulary: vocabulary) }),
              let unfinished = exercise({ decodeStreaming([72, 256], vocabulary: vocabulary) }) else { return }
        XCTAssertEqual(pieces, ["H", "", "🙂", "i"], "the first half of the emoji is held back until the second arrives")
        XCTAssertEqual(unfinished, ["H", "\u{FFFD}"], "at the end, a held-back half character is flushed as U+FFFD")
    }

    func testStreamingGivesOnePiecePerID() {
        guard let none = exercise({ decodeStreaming([], vocabulary: vocabulary) }),
              let ascii = exercise({ decodeStreaming([72, 105, 33], vocabulary: vocabulary) }) else { return }
        XCTAssertEqual(none, [], "no ids, no pieces")
        XCTAssertEqual(ascii, ["H", "i", "!"], "ASCII never waits")
    }

    func testStreamingTextCutAtRandomBytesMatchesTheIncrementalDecoder() throws {
        // Tokens that are random byte slices of valid text: characters are cut at every possible point.
        let text = "Grüße, 日本語のテキスト 🙂🙃👋🏽 naïve κείμενο! ½ ∑ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
        let bytes = Array(text.utf8)
        var generator = SeededGenerator(seed: 506)
        for _ in 0..<10 {
            var tokens = (0..<256).map { [UInt8($0)] }
            var ids: [Int] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + generator.nextInt(below: 6))
                ids.append(tokens.count)
                tokens.append(Array(bytes[start..<end]))
                start = end
            }
            let kernel = try BPETokenizer(tokens: tokens, merges: [])
            var decoder = IncrementalDecoder(tokenizer: kernel)
            var expected = try ids.map { try decoder.append($0) }
            expected[expected.count - 1] += decoder.finish()
            guard let pieces = exercise({ decodeStreaming(ids, vocabulary: tokens) }) else { return }
            guard pieces == expected else {
                let index = zip(pieces, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(pieces.count, expected.count)
                let bytesSoFar = ids.prefix(index + 1).map { tokens[$0].map { String($0, radix: 16, uppercase: true) }.joined(separator: " ") }
                return XCTFail("\(text.debugDescription) cut into \(ids.count) tokens of 1 to 6 bytes: \(pieces.count) pieces, "
                               + "expected \(expected.count); after token \(index) you returned "
                               + "\(index < pieces.count ? pieces[index].debugDescription : "nothing"), expected "
                               + "\(index < expected.count ? expected[index].debugDescription : "nothing"). The bytes of tokens 0…\(index): "
                               + bytesSoFar.joined(separator: " | ")
                               + (pieces.joined().contains("\u{FFFD}") ? ". Your pieces contain U+FFFD: a character was split." : ""))
            }
        }
    }

    func testStreamingRandomIDsJoinToTheWholeDecoding() throws {
        let tokenizer = try trainedTokenizer()
        var generator = SeededGenerator(seed: 507)
        for _ in 0..<10 {
            // Any ids, valid UTF-8 or not: where the pieces are cut may differ between decoders,
            // but a cut before a lead byte never changes what the bytes decode to.
            let ids = (0..<40).map { _ in generator.nextInt(below: tokenizer.vocabularySize) }
            guard let pieces = exercise({ decodeStreaming(ids, vocabulary: tokenizer.tokens) }) else { return }
            let whole = Array(try tokenizer.decode(ids).unicodeScalars), joined = Array(pieces.joined().unicodeScalars)
            guard pieces.count == ids.count, joined == whole else {
                let index = zip(joined, whole).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(joined.count, whole.count)
                func around(_ scalars: [Unicode.Scalar]) -> String {
                    String(String.UnicodeScalarView(scalars[max(0, index - 10)..<min(scalars.count, index + 10)])).debugDescription
                }
                return XCTFail("\(ids.count) random ids: \(pieces.count) pieces (expected one per id); joined, they differ from "
                               + "the decoding of all the ids at scalar \(index): \(around(joined)) instead of \(around(whole))")
            }
        }
    }

    /// A small tokenizer trained on stories and a few other scripts.
    private func trainedTokenizer() throws -> BPETokenizer {
        let text = generateCorpus(kind: .stories, bytes: 8_000, seed: 11, separator: .blankLine)
            + String(repeating: " café Schön 日本 🐚", count: 10)
        return try BPETokenizer.train(text: text, vocabularySize: 350)
    }
}
