// Tests for exercise 01.5 (tokenization.encode-with-merges): `encode(_:merges:)` in
// exercises/01-tokenization/EncodeWithMerges.swift.
//
// The doc comment's examples (one shows that merge order, not frequency, decides), text with no
// merges, and the kernel's `BPETokenizer` as the reference: trained on stories and asked to encode
// unseen stories, other scripts and emoji, and built from a hand-made merge list.

import XCTest
import LabCorpora
import LabKernel
import LabTestSupport
import ExerciseEncodeWithMerges

final class EncodeWithMergesTests: XCTestCase {
    func testTheDocCommentExample() {
        let merges = [TokenPair(104, 105), TokenPair(32, 256)]   // "hi" = 256, " hi" = 257
        guard let ids = exercise({ encode("hi hi!", merges: merges) }) else { return }
        // Pieces "hi", " hi", "!": "hi" -> 256; " hi" -> [32, 256] -> 257; "!" stays 33.
        XCTAssertEqual(ids, [256, 257, 33])
    }

    func testTheEarliestMergeWinsNotTheFirstPosition() {
        // (b, c) is merge 0 and (a, b) merge 1: in "abc", (b, c) is merged first, so (a, b) never occurs.
        guard let ids = exercise({ encode("abc", merges: [TokenPair(98, 99), TokenPair(97, 98)]) }) else { return }
        XCTAssertEqual(ids, [97, 256], "merge 0, (b, c), applies first even though (a, b) comes first in the text")
    }

    func testWithoutMergesTheIdsAreTheBytes() {
        let text = "Grüße 🙂"
        guard let ids = exercise({ encode(text, merges: []) }), let empty = exercise({ encode("", merges: []) }) else { return }
        XCTAssertEqual(ids, text.utf8.map { Int($0) }, "with no merges every byte is a token")
        XCTAssertEqual(empty, [], "nothing to encode")
    }

    func testMergesAreNotAppliedAcrossPieces() {
        // (t, " ") would merge "t" and the space of " t", but they are in different pieces.
        guard let ids = exercise({ encode("at t", merges: [TokenPair(116, 32), TokenPair(97, 116)]) }) else { return }
        XCTAssertEqual(ids, [257, 32, 116], "pieces \"at\" and \" t\": only (a, t) applies")
    }

    func testUnseenStoriesGiveTheKernelsIds() throws {
        let training = generateCorpus(kind: .stories, bytes: 30_000, seed: 8, separator: .blankLine)
        let tokenizer = try BPETokenizer.train(text: training, vocabularySize: 600)
        let unseen = generateCorpus(kind: .stories, bytes: 4_000, seed: 9, separator: .blankLine)
        guard let ids = exercise({ encode(unseen, merges: tokenizer.merges) }) else { return }
        assertSameIDs(ids, tokenizer.encode(unseen), "\(unseen.utf8.count) bytes of unseen stories, \(tokenizer.merges.count) merges")
    }

    func testOtherScriptsAndEmojiGiveTheKernelsIds() throws {
        let training = generateCorpus(kind: .stories, bytes: 10_000, seed: 10, separator: .blankLine)
            + String(repeating: " Grüße! 日本語 🙂🙂 ", count: 20)
        let tokenizer = try BPETokenizer.train(text: training, vocabularySize: 400)
        let text = "Grüße aus Köln, 日本語のテキスト 🙂🙃 and \"quotes\"...\n\n   spaces\t<|endoftext|>"
        guard let ids = exercise({ encode(text, merges: tokenizer.merges) }) else { return }
        assertSameIDs(ids, tokenizer.encode(text), "text with umlauts, Japanese, emoji and whitespace runs")
    }

    func testAHandMadeMergeListGivesTheKernelsIds() throws {
        // Any valid merge list defines a tokenizer: token 256 + r is merges[r]'s two tokens joined.
        let merges = [TokenPair(32, 116), TokenPair(104, 101), TokenPair(256, 257), TokenPair(97, 116),
                      TokenPair(99, 259), TokenPair(32, 260), TokenPair(258, 32)]
        var tokens = (0..<256).map { [UInt8($0)] }
        for pair in merges { tokens.append(tokens[pair.first] + tokens[pair.second]) }
        let kernel = try BPETokenizer(tokens: tokens, merges: merges)
        let text = "the cat, then the other cat at the theatre"
        guard let ids = exercise({ encode(text, merges: merges) }) else { return }
        assertSameIDs(ids, kernel.encode(text), "a hand-made list of 7 merges")
    }

    /// Fails with the first position where the ids differ and the text around it.
    private func assertSameIDs(_ ids: [Int], _ expected: [Int], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard ids != expected else { return }
        let index = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ids.count, expected.count)
        XCTFail("\(what): \(ids.count) ids, expected \(expected.count); first difference at position \(index): "
                + "got \(Array(ids.dropFirst(index).prefix(5))), expected \(Array(expected.dropFirst(index).prefix(5)))",
                file: file, line: line)
    }
}
