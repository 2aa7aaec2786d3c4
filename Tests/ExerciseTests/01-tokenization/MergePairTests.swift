// Tests for exercise 01.3 (tokenization.merge-pair): `merge(_:pair:newToken:)` in
// exercises/01-tokenization/MergePair.swift.
//
// The doc comment's examples, left-to-right non-overlapping replacement, the edges (no match, a
// match at the end, empty input), and random strings merged by the kernel's tokenizer holding a
// single merge, which must give the same ids.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseMergePair

final class MergePairTests: XCTestCase {
    func testTheDocCommentExamples() {
        guard let hihi = exercise({ merge([104, 105, 104, 105, 33], pair: TokenPair(104, 105), newToken: 256) }),
              let ones = exercise({ merge([1, 1, 1], pair: TokenPair(1, 1), newToken: 9) }),
              let absent = exercise({ merge([1, 2, 3], pair: TokenPair(2, 1), newToken: 9) }) else { return }
        XCTAssertEqual(hihi, [256, 256, 33], "\"hihi!\" with (h, i) -> 256")
        XCTAssertEqual(ones, [9, 1], "[1, 1, 1] with (1, 1): the leftmost occurrence wins, the last 1 stays")
        XCTAssertEqual(absent, [1, 2, 3], "(2, 1) does not occur in [1, 2, 3] (only (1, 2) and (2, 3) do)")
    }

    func testOccurrencesDoNotOverlap() {
        guard let four = exercise({ merge([1, 1, 1, 1], pair: TokenPair(1, 1), newToken: 9) }),
              let mixed = exercise({ merge([2, 1, 2, 1, 2], pair: TokenPair(1, 2), newToken: 9) }) else { return }
        XCTAssertEqual(four, [9, 9], "[1, 1, 1, 1] holds two separate (1, 1)")
        XCTAssertEqual(mixed, [2, 9, 9], "both (1, 2) in [2, 1, 2, 1, 2]")
    }

    func testEdges() {
        guard let atEnd = exercise({ merge([3, 1, 2], pair: TokenPair(1, 2), newToken: 9) }),
              let whole = exercise({ merge([1, 2], pair: TokenPair(1, 2), newToken: 9) }),
              let single = exercise({ merge([1], pair: TokenPair(1, 1), newToken: 9) }),
              let empty = exercise({ merge([], pair: TokenPair(1, 2), newToken: 9) }) else { return }
        XCTAssertEqual(atEnd, [3, 9], "a pair at the very end is merged")
        XCTAssertEqual(whole, [9], "a sequence that is just the pair becomes one token")
        XCTAssertEqual(single, [1], "one token has no pair")
        XCTAssertEqual(empty, [], "nothing to merge")
    }

    func testRandomStringsMatchTheKernelsTokenizerWithOneMerge() throws {
        // A tokenizer with the 256 bytes and one merge; strings of letters are one piece each.
        var generator = SeededGenerator(seed: 303)
        for (a, b) in [("a", "b"), ("a", "a"), ("b", "a")] {
            let pair = TokenPair(Int(Character(a).asciiValue!), Int(Character(b).asciiValue!))
            let tokens = (0..<256).map { [UInt8($0)] } + [Array((a + b).utf8)]
            let kernel = try BPETokenizer(tokens: tokens, merges: [pair])
            for _ in 0..<20 {
                let text = String((0..<(1 + generator.nextInt(below: 30))).map { _ in generator.nextInt(below: 2) == 0 ? Character("a") : Character("b") })
                guard let merged = exercise({ merge(text.utf8.map { Int($0) }, pair: pair, newToken: 256) }) else { return }
                XCTAssertEqual(merged, kernel.encode(text), "\"\(text)\" with (\(a), \(b)) -> 256")
            }
        }
    }
}
