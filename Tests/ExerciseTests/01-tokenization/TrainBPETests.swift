// Tests for exercise 01.4 (tokenization.train-bpe): `trainBPE(_:vocabularySize:)` in
// exercises/01-tokenization/TrainBPE.swift.
//
// The doc comment's two worked examples (one decided by counts, one by the tie rule), stopping
// when nothing is left to merge, and then merge-for-merge agreement with the kernel's
// `BPETokenizer.train` on generated stories, on text in several scripts, and on random texts over
// a tiny alphabet, where equal counts (and so the tie rule) are everywhere. Sizes stay small so
// that a trainer that recounts everything after each merge finishes in well under a second.

import XCTest
import LabCorpora
import LabKernel
import LabTestSupport
import ExerciseTrainBPE

final class TrainBPETests: XCTestCase {
    func testMostFrequentPairFirst() {
        // Pieces "aaa" and " aaa": (a, a) occurs 2 + 2 times; after merging it, (aa, a) occurs twice.
        guard let merges = exercise({ trainBPE("aaa aaa", vocabularySize: 258) }) else { return }
        XCTAssertEqual(merges, [TokenPair(97, 97), TokenPair(256, 97)])
    }

    func testTiesGoToTheGreaterBytes() {
        // (a, b), (" ", c) and (c, d) occur once each: "c" > "a" > " ", so (c, d) first, then (a, b),
        // then (" ", cd), the only pair left.
        guard let merges = exercise({ trainBPE("ab cd", vocabularySize: 259) }) else { return }
        XCTAssertEqual(merges, [TokenPair(99, 100), TokenPair(97, 98), TokenPair(32, 256)],
                       "equal counts: the pair with the greater first token's bytes is merged first")
        // Equal first tokens: the greater second token decides, (a, c) before (a, b).
        guard let second = exercise({ trainBPE("ab ac", vocabularySize: 257) }) else { return }
        XCTAssertEqual(second, [TokenPair(97, 99)], "equal counts and equal first tokens: the greater second token wins")
    }

    func testPairsAreNotCountedAcrossPieces() {
        // "a b" is the pieces "a" and " b": the only pair is (" ", b), never (a, " ").
        guard let merges = exercise({ trainBPE("a b", vocabularySize: 300) }) else { return }
        XCTAssertEqual(merges, [TokenPair(32, 98)], "pairs are counted inside pieces only, and training stops when none is left")
    }

    func testNothingToLearn() {
        guard let bytesOnly = exercise({ trainBPE("some text", vocabularySize: 256) }),
              let empty = exercise({ trainBPE("", vocabularySize: 300) }) else { return }
        XCTAssertEqual(bytesOnly, [], "a vocabulary of 256 is just the bytes: no merges")
        XCTAssertEqual(empty, [], "an empty text has no pairs")
    }

    func testStoriesGiveTheKernelsMerges() throws {
        let text = generateCorpus(kind: .stories, bytes: 12_000, seed: 7, separator: .blankLine)
        guard let merges = exercise({ trainBPE(text, vocabularySize: 320) }) else { return }
        let kernel = try BPETokenizer.train(text: text, vocabularySize: 320)
        assertSameMerges(merges, kernel, "\(text.utf8.count) bytes of stories, V = 320")
    }

    func testSeveralScriptsGiveTheKernelsMerges() throws {
        let text = String(repeating: "Grüße aus Köln! 日本語のテキスト。 Ελληνικά κείμενα. 🙂🙂 naïve café; 2024-11-29\n", count: 6)
            + "Straße, Größe, süß; テキスト、テスト. κείμενο 🙃"
        guard let merges = exercise({ trainBPE(text, vocabularySize: 300) }) else { return }
        let kernel = try BPETokenizer.train(text: text, vocabularySize: 300)
        assertSameMerges(merges, kernel, "text in Latin, Japanese and Greek script with emoji, V = 300")
    }

    func testTieHeavyRandomTextsGiveTheKernelsMerges() throws {
        var generator = SeededGenerator(seed: 404)
        let alphabet = ["a", "b", "ab", " ", " ", "\n", "é", "🙃", "1", "'s", "."]
        for trial in 0..<6 {
            var text = ""
            for _ in 0..<(100 + generator.nextInt(below: 600)) { text += alphabet[generator.nextInt(below: alphabet.count)] }
            let size = 257 + generator.nextInt(below: 50)
            guard let merges = exercise({ trainBPE(text, vocabularySize: size) }) else { return }
            let kernel = try BPETokenizer.train(text: text, vocabularySize: size)
            guard assertSameMerges(merges, kernel, "random text \(trial) over a small alphabet, V = \(size)") else { return }
        }
    }

    /// Fails with the first merge that differs, spelled as bytes, when `merges` are not the kernel's;
    /// returns whether they are the same.
    @discardableResult
    private func assertSameMerges(_ merges: [TokenPair], _ kernel: BPETokenizer, _ what: String,
                                  file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard merges != kernel.merges else { return true }
        func spelled(_ pair: TokenPair, _ tokens: [[UInt8]]) -> String {
            guard tokens.indices.contains(pair.first), tokens.indices.contains(pair.second) else { return "\(pair) (unknown ids)" }
            return "\(pair) = \(String(decoding: tokens[pair.first], as: UTF8.self).debugDescription) + "
                + "\(String(decoding: tokens[pair.second], as: UTF8.self).debugDescription)"
        }
        guard let index = zip(merges, kernel.merges).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
            XCTFail("\(what): you learned \(merges.count) merges, the kernel \(kernel.merges.count); the first "
                    + "\(min(merges.count, kernel.merges.count)) agree. Training stops only when no piece has two tokens left.",
                    file: file, line: line)
            return false
        }
        // The tokens the kernel had made by then name the ids of both lists.
        XCTFail("\(what): merge \(index) differs\(index > 0 ? " (merges 0…\(index - 1) agree)" : ""). You merged \(spelled(merges[index], kernel.tokens)), "
                + "the kernel merged \(spelled(kernel.merges[index], kernel.tokens)). If both pairs are equally frequent, "
                + "check the tie rule: the greater first token's bytes, then the greater second token's bytes.",
                file: file, line: line)
        return false
    }
}
