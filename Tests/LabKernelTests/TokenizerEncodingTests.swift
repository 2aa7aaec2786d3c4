// Tests of encoding and decoding (BPE+Encoding.swift, BPE+Decoding.swift, SpecialTokens.swift):
// GPT-2's vocabulary from the peer conformance data must give exactly tiktoken's ids (fixture made
// by scripts/fixtures/make_tokenizer_fixtures.py, checked there against Hugging Face too), special
// tokens split out with the longest match winning, round trips on random Unicode, the in-place
// merge loop against its naive twin, and the incremental decoder against whole-sequence decoding.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

/// GPT-2's tokenizer from ../shared/conformance/cs336/fixtures, loaded once for all tests.
enum SharedGPT2 {
    private static let loaded: Result<BPETokenizer, any Error> = Result {
        let vocabulary = try RepositoryPaths.requireConformance("cs336/fixtures/gpt2_vocab.json")
        let merges = try RepositoryPaths.requireConformance("cs336/fixtures/gpt2_merges.txt")
        return try BPETokenizer.loadGPT2(vocabulary: vocabulary, merges: merges)
    }

    /// The tokenizer, or `XCTSkip` when the conformance data is absent.
    static func tokenizer() throws -> BPETokenizer { try loaded.get() }
}

final class TokenizerEncodingTests: XCTestCase {
    private struct GPT2Fixture: Decodable {
        struct Overlap: Decodable {
            let text: String
            let ids: [Int]
            let special_tokens: [String: Int]
        }
        let cases: [EncodingCase]
        let overlapping_special_tokens: Overlap
    }

    func testGPT2MatchesTiktoken() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        XCTAssertEqual(gpt2.vocabularySize, 50_257)
        XCTAssertEqual(gpt2.merges.count, 50_000)
        let fixture = try loadTokenizerFixture("gpt2_encodings.json", as: GPT2Fixture.self)
        XCTAssertGreaterThan(fixture.cases.count, 20)
        for c in fixture.cases {
            let text = try caseText(c)
            let name = c.file ?? text.debugDescription
            XCTAssertEqual(gpt2.encode(text), c.ids, "encoding \(name)")
            XCTAssertEqual(try gpt2.encode(utf8: Array(text.utf8)), c.ids, "encoding the bytes of \(name)")
            XCTAssertEqual(try gpt2.decode(c.ids), text, "decoding \(name)")
        }
        // The CS336 token counts, independent of the fixture.
        for (file, count) in [("address.txt", 320), ("german.txt", 190), ("tinystories_sample.txt", 923)] {
            let text = try String(contentsOf: try RepositoryPaths.requireConformance("cs336/fixtures/\(file)"), encoding: .utf8)
            XCTAssertEqual(gpt2.encode(text).count, count, file)
        }
    }

    func testLongestSpecialTokenWins() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        let overlap = try loadTokenizerFixture("gpt2_encodings.json", as: GPT2Fixture.self).overlapping_special_tokens
        let double = "<|endoftext|><|endoftext|>"
        XCTAssertEqual(overlap.special_tokens[double], gpt2.vocabularySize)
        let extended = try gpt2.addingSpecialTokens(["<|endoftext|>", double])
        XCTAssertEqual(extended.specialTokens, overlap.special_tokens)
        XCTAssertEqual(extended.encode(overlap.text), overlap.ids)
        XCTAssertEqual(try extended.decode(overlap.ids), overlap.text)
        XCTAssertEqual(extended.encode("<|endoftext|><|endoftext|><|endoftext|>"), [50_257, 50_256])
    }

    func testSpecialTokensAsPlainText() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        let ordinary = gpt2.encodeOrdinary("a<|endoftext|>b")
        XCTAssertFalse(ordinary.contains(50_256))
        XCTAssertEqual(try gpt2.decode(ordinary), "a<|endoftext|>b")
        XCTAssertEqual(gpt2.encode("a<|endoftext|>b"), [64, 50_256, 65])
        XCTAssertEqual(try gpt2.decode([64, 50_256, 65], skippingSpecialTokens: true), "ab")
        XCTAssertTrue(gpt2.isSpecial(50_256))
        XCTAssertEqual(gpt2.id(for: "<|endoftext|>"), 50_256)
        XCTAssertEqual(gpt2.id(for: " the"), 262)
    }

    /// Random strings of scalars from many scripts, emoji, combining marks and whitespace.
    private func randomStrings(count: Int, seed: UInt64) -> [String] {
        var rng = SeededGenerator(seed: seed)
        let blocks: [ClosedRange<UInt32>] = [0x20...0x7E, 0x0...0x1F, 0xA0...0x2FF, 0x300...0x36F, 0x370...0x52F,
                                             0x600...0x6FF, 0x900...0x97F, 0x2000...0x206F, 0x3000...0x30FF,
                                             0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF00...0xFFEF, 0x1F300...0x1FAFF,
                                             0x10000...0x10FFFF]
        return (0..<count).map { _ in
            var scalars = String.UnicodeScalarView()
            for _ in 0..<rng.nextInt(below: 40) {
                let block = blocks[rng.nextInt(below: blocks.count)]
                let value = block.lowerBound + UInt32(rng.nextInt(below: Int(block.upperBound - block.lowerBound) + 1))
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            }
            return String(scalars)
        }
    }

    func testRoundTripOfRandomUnicode() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        for text in randomStrings(count: 3_000, seed: 11) {
            let ids = gpt2.encode(text)
            XCTAssertEqual(try gpt2.decode(ids), text)
        }
    }

    func testInPlaceMergesMatchNaiveTwin() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        var pieces = randomStrings(count: 500, seed: 12).flatMap { gpt2.preTokenizer.pieces(of: $0) }
        pieces += ["internationalization", " antidisestablishmentarianism", String(repeating: "a", count: 300),
                   String(repeating: " ", count: 100), "🙃🙃🙃", "ĠĠĠ"]
        // Long pieces (over 128 bytes go through the heap): random letters, repeated words, soup.
        var rng = SeededGenerator(seed: 13)
        for length in [129, 200, 500, 1_500] {
            pieces.append(String((0..<length).map { _ in "abcst".randomElement(using: &rng)! }))
            pieces.append(" " + String(repeating: "the", count: length / 3))
        }
        pieces.append(randomStrings(count: 40, seed: 14).joined().filter { !$0.isWhitespace })
        for piece in pieces {
            let bytes = Array(piece.utf8)
            let naive = gpt2.encodePieceNaive(bytes)
            var ids: [Int32] = [], heapIDs: [Int32] = []
            bytes.withUnsafeBufferPointer {
                gpt2.mergePiece($0.baseAddress!, $0.count, into: &ids)
                if $0.count > 1 { gpt2.mergeLongPiece($0.baseAddress!, $0.count, into: &heapIDs) } else { heapIDs = ids }
            }
            XCTAssertEqual(ids.map(Int.init), naive, piece.debugDescription)
            XCTAssertEqual(heapIDs.map(Int.init), naive, "heap merge of \(piece.debugDescription)")
        }
    }

    func testVeryLongPieceIsFast() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        // One piece of 200,000 letters: quadratic merging would take minutes; the heap takes milliseconds.
        let start = Date()
        let ids = gpt2.encode(String(repeating: "a", count: 200_000))
        XCTAssertLessThan(Date().timeIntervalSince(start), 2.0)
        XCTAssertEqual(try gpt2.decode(ids), String(repeating: "a", count: 200_000))
    }

    func testInvalidInputIsAnError() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        XCTAssertThrowsError(try gpt2.encode(utf8: [0x61, 0x62, 0xE2, 0x82])) { error in
            XCTAssertEqual("\(error)", "input is not valid UTF-8: invalid or truncated sequence at byte offset 2")
        }
        XCTAssertThrowsError(try gpt2.encode(utf8: [0x61, 0xC0, 0x80])) { error in   // overlong "\0"
            XCTAssertTrue("\(error)".contains("byte offset 1"), "\(error)")
        }
        XCTAssertThrowsError(try gpt2.decode([15496, 50_257])) { error in
            XCTAssertEqual("\(error)", "token id 50257 at position 1 is outside the vocabulary 0..<50257")
        }
        XCTAssertThrowsError(try gpt2.decode([-1]))
    }

    func testDecodingReplacesMalformedUTF8() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        let emoji = gpt2.encode("🙃")
        XCTAssertEqual(emoji.count, 3)  // GPT-2 spends three tokens on this 4-byte character
        XCTAssertEqual(try gpt2.decode(Array(emoji.prefix(2))), "\u{FFFD}")
        XCTAssertEqual(try gpt2.decode(Array(emoji.dropFirst())) + "x", "\u{FFFD}\u{FFFD}x")
    }

    func testIncrementalDecoderNeverSplitsACharacter() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        // Real text, token by token: every returned piece is whole characters, and they add up.
        let text = "Héllò hôw are ü? 🙃 東京タワー 👩‍👩‍👧 done"
        var decoder = IncrementalDecoder(tokenizer: gpt2)
        var pieces: [String] = []
        for id in gpt2.encode(text) { pieces.append(try decoder.append(id)) }
        pieces.append(decoder.finish())
        XCTAssertEqual(pieces.joined(), text)
        XCTAssertFalse(pieces.contains { $0.contains("\u{FFFD}") })

        // Random ids (arbitrary byte soup): the pieces always add up to the whole decoding.
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let ids = (0..<rng.nextInt(below: 20)).map { _ in
                rng.nextInt(below: 2) == 0 ? rng.nextInt(below: 256) : rng.nextInt(below: gpt2.vocabularySize)
            }
            var decoder = IncrementalDecoder(tokenizer: gpt2)
            let streamed = try decoder.append(contentsOf: ids) + decoder.finish()
            XCTAssertEqual(streamed, try gpt2.decode(ids), "ids \(ids)")
        }
    }

    func testIncompleteCharacterDetection() {
        func cut(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBufferPointer { startOfIncompleteCharacter($0) } }
        XCTAssertEqual(cut([0x61, 0xF0, 0x9F, 0x99]), 1)   // 3 of the 4 bytes of 🙃
        XCTAssertEqual(cut([0x61, 0xF0, 0x9F, 0x99, 0x83]), 5)
        XCTAssertEqual(cut([0xE0, 0x80]), 2)               // E0 80 can never become valid: emit now
        XCTAssertEqual(cut([0xED, 0xA0]), 2)               // a surrogate: invalid
        XCTAssertEqual(cut([0xC3]), 0)
        XCTAssertEqual(cut([]), 0)
    }
}
