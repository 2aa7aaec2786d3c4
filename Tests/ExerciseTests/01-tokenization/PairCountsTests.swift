// Tests for exercise 01.2 (tokenization.pair-counts): `countPairs(_:)` in
// exercises/01-tokenization/PairCounts.swift.
//
// The doc comment's examples, overlapping pairs, sequences too short to have a pair, random
// sequences checked by counting each distinct pair separately, and the most frequent pair of a
// text, which must be the first merge the kernel's BPE trainer learns from it.

import XCTest
import LabKernel
import LabTestSupport
import ExercisePairCounts

final class PairCountsTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let counts = exercise({ countPairs([104, 105, 104, 105, 33]) }) else { return }
        // "hihi!": (h, i) twice, (i, h) once, (i, !) once.
        XCTAssertEqual(counts, [TokenPair(104, 105): 2, TokenPair(105, 104): 1, TokenPair(105, 33): 1])
    }

    func testOverlappingPairsAllCount() {
        guard let three = exercise({ countPairs([1, 1, 1]) }), let five = exercise({ countPairs([4, 4, 4, 4, 4]) }) else { return }
        XCTAssertEqual(three, [TokenPair(1, 1): 2], "[1, 1, 1] has the pair (1, 1) at positions 0 and 1")
        XCTAssertEqual(five, [TokenPair(4, 4): 4], "five equal tokens make four pairs")
    }

    func testOrderMatters() {
        guard let counts = exercise({ countPairs([1, 2, 1]) }) else { return }
        XCTAssertEqual(counts, [TokenPair(1, 2): 1, TokenPair(2, 1): 1], "(1, 2) and (2, 1) are different pairs")
    }

    func testFewerThanTwoTokensHaveNoPairs() {
        guard let none = exercise({ countPairs([]) }), let one = exercise({ countPairs([7]) }) else { return }
        XCTAssertEqual(none, [:], "an empty sequence has no pairs")
        XCTAssertEqual(one, [:], "a single token has no neighbour")
    }

    func testRandomSequencesCountEveryPair() {
        var generator = SeededGenerator(seed: 202)
        for length in [2, 10, 500] {
            let tokens = (0..<length).map { _ in generator.nextInt(below: 6) }
            guard let counts = exercise({ countPairs(tokens) }) else { return }
            let neighbours = Array(zip(tokens, tokens.dropFirst()))
            XCTAssertEqual(counts.values.reduce(0, +), length - 1, "\(length) tokens have \(length - 1) adjacent pairs in all")
            for (first, second) in Set(neighbours.map { [$0.0, $0.1] }).map({ ($0[0], $0[1]) }) {
                let expected = neighbours.filter { $0 == (first, second) }.count
                XCTAssertEqual(counts[TokenPair(first, second)], expected, "pair (\(first), \(second)) in \(length) random tokens")
            }
        }
    }

    func testTheMostFrequentPairIsTheKernelsFirstMerge() throws {
        // One piece of letters, so the pre-tokenizer keeps it whole: (a, a) occurs 4 times.
        let text = "aaabdaaabac"
        guard let counts = exercise({ countPairs(text.utf8.map { Int($0) }) }) else { return }
        let best = counts.max { $0.value < $1.value }
        let kernel = try BPETokenizer.train(text: text, vocabularySize: 257)
        XCTAssertEqual(best?.key, kernel.merges.first, "the most frequent pair of \"\(text)\" is the first pair BPE merges")
        XCTAssertEqual(best?.value, 4)
    }
}
