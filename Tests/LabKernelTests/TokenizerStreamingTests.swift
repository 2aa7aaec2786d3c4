// Tests of the streaming encoder (BPE+Streaming.swift): for random texts cut into random chunks
// (also inside characters and special tokens), the streamed ids equal encoding the whole text,
// under all three pre-tokenizer patterns, with overlapping special tokens and a prefix space; the
// held-back tail stays small; bad UTF-8 is reported with its absolute offset; files and lines.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class TokenizerStreamingTests: XCTestCase {
    private static let fragments = ["the", " cat", " sat", "'s", "'LL", " ", "  ", "   ", "\n", "\n\n", "\r\n", " \n", "\t",
                                    "123", "45678", "!", "?!", "(", " é", "e\u{301}", "東京", "🙃", "👩‍👩‍👧", "\u{a0}",
                                    "<|end|>", "<|end|><|end|>", "<|e", "nd|>", "<", "|"]

    private func randomText(_ rng: inout SeededGenerator, fragments count: Int) -> String {
        (0..<count).map { _ in Self.fragments[rng.nextInt(below: Self.fragments.count)] }.joined()
    }

    /// Streams `text` in random chunks (cut at any byte) and compares with encoding it whole.
    private func assertStreamingMatches(_ tokenizer: BPETokenizer, _ text: String, _ rng: inout SeededGenerator,
                                        file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = Array(text.utf8)
        var stream = StreamingEncoder(tokenizer: tokenizer)
        var ids: [Int] = []
        var position = 0
        while position < bytes.count {
            let size = 1 + rng.nextInt(below: 12)
            ids += try stream.append(utf8: bytes[position..<min(bytes.count, position + size)])
            position += size
        }
        ids += try stream.finish()
        XCTAssertEqual(ids, tokenizer.encode(text), "streaming \(text.debugDescription)", file: file, line: line)
    }

    func testStreamedIDsEqualWholeEncodingForEveryPattern() throws {
        var rng = SeededGenerator(seed: 8)
        let training = randomText(&rng, fragments: 4_000)
        for pattern in PreTokenizer.Pattern.allCases {
            let tokenizer = try BPETokenizer.train(text: training, vocabularySize: 400,
                                                   specialTokens: ["<|end|>", "<|end|><|end|>"], preTokenizer: PreTokenizer(pattern))
            for _ in 0..<300 {
                try assertStreamingMatches(tokenizer, randomText(&rng, fragments: rng.nextInt(below: 40)), &rng)
            }
        }
    }

    func testStreamingWithPrefixSpace() throws {
        var rng = SeededGenerator(seed: 9)
        let trained = try BPETokenizer.train(text: randomText(&rng, fragments: 2_000), vocabularySize: 350, specialTokens: ["<|end|>"])
        let spaced = try BPETokenizer(tokens: trained.tokens, merges: trained.merges, specialTokens: trained.specialTokens,
                                      addsPrefixSpace: true)
        for _ in 0..<300 {
            try assertStreamingMatches(spaced, randomText(&rng, fragments: rng.nextInt(below: 30)), &rng)
        }
    }

    func testStreamingGPT2() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        var rng = SeededGenerator(seed: 10)
        let story = try String(contentsOf: try RepositoryPaths.requireConformance("cs336/fixtures/tinystories_sample.txt"), encoding: .utf8)
        try assertStreamingMatches(gpt2, story, &rng)
        for _ in 0..<200 {
            try assertStreamingMatches(gpt2, randomText(&rng, fragments: rng.nextInt(below: 40)).replacingOccurrences(of: "<|end|>", with: "<|endoftext|>"), &rng)
        }
    }

    func testHeldBackTailStaysSmall() throws {
        var rng = SeededGenerator(seed: 4)
        let tokenizer = try BPETokenizer.train(text: randomText(&rng, fragments: 2_000), vocabularySize: 300)
        var stream = StreamingEncoder(tokenizer: tokenizer)
        var largest = 0
        for _ in 0..<2_000 {
            _ = try stream.append(utf8: Array("The cat sat on the mat, and 12 dogs barked.\n".utf8))
            largest = max(largest, stream.heldBackByteCount)
        }
        XCTAssertLessThanOrEqual(largest, 8, "only the last piece (\"\\n\" or \".\\n\") should be held back")
    }

    func testInvalidUTF8IsReportedWithItsOffset() throws {
        let tokenizer = try BPETokenizer.train(text: "abc", vocabularySize: 256)
        var stream = StreamingEncoder(tokenizer: tokenizer)
        _ = try stream.append(utf8: Array("hello wor".utf8))
        XCTAssertThrowsError(try stream.append(utf8: [0x6C, 0x64, 0xFF])) { error in
            XCTAssertEqual("\(error)", "input is not valid UTF-8: invalid byte sequence at byte offset 11")
        }
        var cut = StreamingEncoder(tokenizer: tokenizer)
        _ = try cut.append(utf8: [0x61, 0xF0, 0x9F])
        XCTAssertThrowsError(try cut.finish()) { error in
            XCTAssertEqual("\(error)", "input is not valid UTF-8: it ends inside a character at byte offset 1")
        }
    }

    func testFilesAndLines() throws {
        var rng = SeededGenerator(seed: 6)
        let tokenizer = try BPETokenizer.train(text: randomText(&rng, fragments: 2_000), vocabularySize: 320, specialTokens: ["<|end|>"])
        let text = randomText(&rng, fragments: 3_000)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(text.utf8).write(to: url)
        for chunkSize in [1, 7, 4096] {
            var ids: [Int] = []
            try tokenizer.encode(contentsOf: url, chunkSize: chunkSize) { ids += $0 }
            XCTAssertEqual(ids, tokenizer.encode(text), "chunk size \(chunkSize)")
        }
        let lines = ["first line", "  second <|end|> line", "", "🙃 last"]
        var ids: [Int] = []
        tokenizer.encode(lines: lines) { ids += $0 }
        XCTAssertEqual(ids, tokenizer.encode(lines.joined(separator: "\n") + "\n"))

        try Data([0x61, 0x62, 0xC3, 0x28]).write(to: url)
        XCTAssertThrowsError(try tokenizer.encode(contentsOf: url) { _ in }) { error in
            XCTAssertEqual("\(error)", "\(url.lastPathComponent): input is not valid UTF-8: invalid byte sequence at byte offset 2")
        }
        let missing = url.appendingPathExtension("missing")
        XCTAssertThrowsError(try tokenizer.encode(contentsOf: missing) { _ in }) { error in
            XCTAssertEqual("\(error)", "cannot open \(missing.path) (no such file)")
        }
    }
}
