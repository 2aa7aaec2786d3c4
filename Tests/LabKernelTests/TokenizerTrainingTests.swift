// Tests of BPE training (BPE+Training.swift and its naive twin): Stanford CS336's reference
// merges and vocabulary on corpus.en (peer conformance data), hand-checkable small cases for
// ties and piece boundaries, special tokens, the fast trainer against the naive one on random
// texts, and the error for a vocabulary too small.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class TokenizerTrainingTests: XCTestCase {
    func testCS336ReferenceMergesAndVocabulary() throws {
        let corpus = try String(contentsOf: try RepositoryPaths.requireConformance("cs336/fixtures/corpus.en"), encoding: .utf8)
        let referenceMerges = try String(contentsOf: try RepositoryPaths.requireConformance(
            "cs336/fixtures/train-bpe-reference-merges.txt"), encoding: .utf8)
        let referenceVocabulary = try JSONValue.parse(Data(contentsOf: try RepositoryPaths.requireConformance(
            "cs336/fixtures/train-bpe-reference-vocab.json")))

        let start = Date()
        let tokenizer = try BPETokenizer.train(text: corpus, vocabularySize: 500, specialTokens: ["<|endoftext|>"])
        let seconds = Date().timeIntervalSince(start)

        let expectedMerges = referenceMerges.split(separator: "\n").map { line -> String in String(line) }
        let merges = tokenizer.printableMerges().map { "\($0.0) \($0.1)" }
        XCTAssertEqual(merges.count, 243)
        XCTAssertEqual(merges.count, expectedMerges.count)
        if let i = merges.indices.first(where: { $0 < expectedMerges.count && merges[$0] != expectedMerges[$0] }) {
            XCTFail("merge \(i) differs: learned \(merges[i].debugDescription), reference \(expectedMerges[i].debugDescription)")
        }
        XCTAssertEqual(tokenizer.vocabularySize, 500)
        XCTAssertEqual(Set(tokenizer.printableTokens()), Set(try XCTUnwrap(referenceVocabulary.object).keys))
        // CS336 allows 1.5 s; the kit's kernel is optimized even in debug builds, and this takes
        // about 0.05 s here, so 1.5 s leaves room for a slow, busy machine.
        XCTAssertLessThan(seconds, 1.5, "training on corpus.en took \(seconds) s")
    }

    func testTiesGoToTheGreaterPairOfByteStrings() throws {
        // Pieces "ab" and " cd": three pairs seen once each. (c, d) has the greatest first byte,
        // then (a, b) beats (" ", "cd") because "a" > " ".
        let tokenizer = try BPETokenizer.train(text: "ab cd", vocabularySize: 259)
        XCTAssertEqual(tokenizer.merges, [TokenPair(99, 100), TokenPair(97, 98), TokenPair(32, 256)])
        XCTAssertEqual(tokenizer.tokens[258], Array(" cd".utf8))
        // A tie on the first token's bytes is decided by the second's: "ab" vs "ac" -> (a, c).
        let second = try BPETokenizer.train(text: "ab ac", vocabularySize: 257)
        XCTAssertEqual(second.merges, [TokenPair(97, 99)])
    }

    func testPairsAreNeverCountedAcrossPieces() throws {
        // "a b": the pieces are "a" and " b", so ("a", " ") never occurs as a pair.
        let tokenizer = try BPETokenizer.train(text: "a b", vocabularySize: 300)
        XCTAssertEqual(tokenizer.merges, [TokenPair(32, 98)])
        XCTAssertEqual(tokenizer.vocabularySize, 257, "training stops when no pair is left")
        // Identical pieces count with their multiplicity: "aaa" has (a, a) twice per occurrence.
        let repeated = try BPETokenizer.train(text: "aaa aaa", vocabularySize: 257)
        XCTAssertEqual(repeated.merges, [TokenPair(97, 97)])
    }

    func testSpecialTokensAreBoundariesAndNeverMerged() throws {
        let text = String(repeating: "hello<|endoftext|>world<|endoftext|>", count: 50)
        let tokenizer = try BPETokenizer.train(text: text, vocabularySize: 300, specialTokens: ["<|endoftext|>", "<pad>"])
        // Only "hello" and "world" are left to merge: 8 merges, then the special tokens.
        XCTAssertEqual(tokenizer.merges.count, 8)
        XCTAssertEqual(tokenizer.specialTokens, ["<|endoftext|>": 264, "<pad>": 265])
        for id in 256..<264 {
            let bytes = tokenizer.tokens[id]
            // No learned token spans the special token's characters: "o<", "|", ">w" never merge.
            XCTAssertFalse(bytes.contains(UInt8(ascii: "|")) || bytes.contains(UInt8(ascii: "<")), "token \(id)")
        }
        XCTAssertEqual(tokenizer.encode("hello<|endoftext|>world"), [tokenizer.id(for: "hello")!, 264, tokenizer.id(for: "world")!])
    }

    func testFastTrainerMatchesNaiveTwin() throws {
        // Small alphabets make many ties, which is where the two could disagree.
        var rng = SeededGenerator(seed: 3)
        let alphabet = ["a", "b", "c", "ab", " ", " ", "\n", "é", "🙃", "1", "'s", "<|s|>"]
        for trial in 0..<12 {
            var text = ""
            for _ in 0..<(200 + rng.nextInt(below: 2_000)) { text += alphabet[rng.nextInt(below: alphabet.count)] }
            let size = 256 + 1 + rng.nextInt(below: 120)
            let fast = try BPETokenizer.train(text: text, vocabularySize: size, specialTokens: ["<|s|>"])
            let naive = try BPETokenizer.trainNaive(text: text, vocabularySize: size, specialTokens: ["<|s|>"])
            XCTAssertEqual(fast.merges, naive.merges, "trial \(trial)")
            XCTAssertEqual(fast.tokens, naive.tokens, "trial \(trial)")
            XCTAssertEqual(try fast.decode(fast.encode(text)), text)
        }
    }

    func testCountsCombineAcrossTexts() throws {
        // Counting two texts separately and adding the counts is the same as one text with the two
        // parts separated by a special token, which is a hard boundary.
        let first = "the cat sat on the mat\n", second = "the dog sat on the log\n"
        var a = PreTokenCounts(specialTokens: ["<|endoftext|>"]), b = PreTokenCounts(specialTokens: ["<|endoftext|>"])
        a.add(first)
        b.add(second)
        a.add(b)
        XCTAssertEqual(a.counts[Array(" sat".utf8)], 2)
        XCTAssertNil(a.counts[Array("<|endoftext|>".utf8)])
        let combined = try BPETokenizer.train(counts: a, vocabularySize: 290)
        let joined = try BPETokenizer.train(text: first + "<|endoftext|>" + second, vocabularySize: 290, specialTokens: ["<|endoftext|>"])
        XCTAssertEqual(combined.merges, joined.merges)
        XCTAssertEqual(combined.tokens, joined.tokens)
    }

    func testProgressIsReportedForEveryMerge() throws {
        var reports: [BPETrainingProgress] = []
        let tokenizer = try BPETokenizer.train(text: "the cat sat on the mat with the hat", vocabularySize: 270) { reports.append($0) }
        XCTAssertEqual(reports.map(\.mergesDone), Array(1...tokenizer.merges.count))
        XCTAssertEqual(reports.map(\.merge), tokenizer.merges)
        XCTAssertEqual(reports.first?.mergesTotal, 14)
        // "th" (the, the, the, with) and "at" (cat, sat, mat, hat) both occur 4 times; "t" > "a".
        XCTAssertEqual(reports.first?.merge, TokenPair(116, 104))
        XCTAssertEqual(reports.first?.count, 4)
    }

    func testVocabularyTooSmallIsAnError() {
        XCTAssertThrowsError(try BPETokenizer.train(text: "abc", vocabularySize: 256, specialTokens: ["<|endoftext|>"])) { error in
            XCTAssertEqual("\(error)", "vocabularySize 256 is too small: the vocabulary needs the 256 bytes plus "
                + "1 special token(s), so at least 257")
        }
        XCTAssertThrowsError(try BPETokenizer.train(text: "abc", vocabularySize: 300, specialTokens: ["x", "x"]))
        XCTAssertThrowsError(try BPETokenizer.train(text: "abc", vocabularySize: 300, specialTokens: [""]))
    }
}
