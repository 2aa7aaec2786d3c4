// Tests of GPT-2's vocab.json + merges.txt (Formats/GPT2VocabularyFiles.swift) and of the byte-to-
// character map they are written in (Formats/ByteLevelEncoding.swift): the map's known values and
// reversibility, save/load round trips, and errors that name the file and line for bad files.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class FormatsGPT2FilesTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testByteLevelMap() {
        // GPT-2's encoder.py: printable bytes stand for themselves, the 68 others get U+0100… in order.
        let map = ByteLevelEncoding.scalarForByte
        XCTAssertEqual(map[0x21], "!")
        XCTAssertEqual(map[0xFF], "ÿ")
        XCTAssertEqual(map[0x00], "\u{100}")
        XCTAssertEqual(map[0x20], "Ġ")          // space: the 33rd stand-in, U+0120
        XCTAssertEqual(map[0x0A], "Ċ")          // newline, U+010A
        XCTAssertEqual(map[0x7F], "\u{121}")    // DEL comes right after the 33 control bytes and space
        XCTAssertEqual(map[0xAD], "\u{143}")    // soft hyphen, the last stand-in
        XCTAssertEqual(Set(map).count, 256)
        let all = (0..<256).map(UInt8.init)
        XCTAssertEqual(ByteLevelEncoding.decode(ByteLevelEncoding.encode(all)), all)
        XCTAssertEqual(ByteLevelEncoding.encode(Array(" the".utf8)), "Ġthe")
        XCTAssertNil(ByteLevelEncoding.decode("a b"))   // a real space never appears in printable form
    }

    func testGPT2FilesRoundTrip() throws {
        let gpt2 = try SharedGPT2.tokenizer()
        let vocabulary = folder.appendingPathComponent("vocab.json"), merges = folder.appendingPathComponent("merges.txt")
        try gpt2.saveGPT2(vocabulary: vocabulary, merges: merges)
        let loaded = try BPETokenizer.loadGPT2(vocabulary: vocabulary, merges: merges)
        XCTAssertEqual(loaded.tokens, gpt2.tokens)
        XCTAssertEqual(loaded.merges, gpt2.merges)
        XCTAssertEqual(loaded.specialTokens, gpt2.specialTokens)
        // The written merges.txt has the same merge lines as GPT-2's own (which has no header).
        func mergeLines(_ url: URL) throws -> [Substring] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#version") }
        }
        let original = try mergeLines(try RepositoryPaths.requireConformance("cs336/fixtures/gpt2_merges.txt"))
        let written = try mergeLines(merges)
        XCTAssertEqual(written.count, 50_000)
        XCTAssertTrue(written == original, "the first differing line: \(written.indices.first { written[$0] != original[$0] } ?? -1)")
    }

    func testTrainedTokenizerRoundTrip() throws {
        let text = String(repeating: "low lower lowest newer wider <|endoftext|> 🙃\n", count: 40)
        let trained = try BPETokenizer.train(text: text, vocabularySize: 300, specialTokens: ["<|endoftext|>"])
        let vocabulary = folder.appendingPathComponent("vocab.json"), merges = folder.appendingPathComponent("merges.txt")
        try trained.saveGPT2(vocabulary: vocabulary, merges: merges)
        let loaded = try BPETokenizer.loadGPT2(vocabulary: vocabulary, merges: merges)
        XCTAssertEqual(loaded.tokens, trained.tokens)
        XCTAssertEqual(loaded.merges, trained.merges)
        XCTAssertEqual(loaded.encode(text), trained.encode(text))
    }

    /// Writes a vocab.json with the 256 bytes (ids 0…255) plus `extra`, and a merges.txt.
    private func write(extra: [String: Int] = [:], merges: String) throws -> (URL, URL) {
        var entries = (0..<256).map { "\(jsonStringLiteral(ByteLevelEncoding.encode([UInt8($0)]))): \($0)" }
        entries += extra.sorted { $0.value < $1.value }.map { "\(jsonStringLiteral($0.key)): \($0.value)" }
        let vocabulary = folder.appendingPathComponent("vocab.json"), mergesURL = folder.appendingPathComponent("merges.txt")
        try Data("{\(entries.joined(separator: ", "))}".utf8).write(to: vocabulary)
        try Data(merges.utf8).write(to: mergesURL)
        return (vocabulary, mergesURL)
    }

    private func assertLoadError(_ files: (URL, URL), specialTokens: [String] = [], contains parts: [String],
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try BPETokenizer.loadGPT2(vocabulary: files.0, merges: files.1, specialTokens: specialTokens),
                             file: file, line: line) { error in
            for part in parts {
                XCTAssertTrue("\(error)".contains(part), "message \("\(error)".debugDescription) should contain \(part.debugDescription)",
                              file: file, line: line)
            }
        }
    }

    func testSmallFilesLoad() throws {
        let files = try write(extra: ["ab": 256, "Ġab": 257, "<|end|>": 258], merges: "#version: 0.2\na b\nĠ ab\n\n")
        let tokenizer = try BPETokenizer.loadGPT2(vocabulary: files.0, merges: files.1, specialTokens: ["<|end|>"])
        XCTAssertEqual(tokenizer.merges, [TokenPair(97, 98), TokenPair(32, 256)])
        XCTAssertEqual(tokenizer.encode("ab ab<|end|>"), [256, 257, 258])
    }

    func testBadFilesGiveErrorsNamingFileAndLine() throws {
        let missing = folder.appendingPathComponent("nothing.json")
        assertLoadError((missing, missing), contains: ["nothing.json: cannot open \(missing.path) (no such file)"])
        assertLoadError(try write(merges: "a b\nab\n"), contains: ["merges.txt line 2", "two tokens separated by one space", "\"ab\""])
        assertLoadError(try write(merges: "a b\n"), contains: ["merges.txt line 1", "merging \"a\" and \"b\"", "not in vocab.json"])
        assertLoadError(try write(extra: ["ab": 256], merges: "a b\nq Ġzz\n"), contains: ["merges.txt line 2", "\"Ġzz\" is not in vocab.json"])
        assertLoadError(try write(merges: ""), specialTokens: ["<|endoftext|>"],
                        contains: ["vocab.json: special token \"<|endoftext|>\" is not in the file"])
        assertLoadError(try write(extra: ["ab": 257], merges: ""), contains: ["vocab.json: no token has id 256"])
        assertLoadError(try write(extra: ["ab": 255], merges: ""), contains: ["vocab.json: id 255 is used by both"])
        assertLoadError(try write(extra: ["x y": 256], merges: ""), contains: ["\"x y\"", "U+0020"])

        let files = try write(merges: "")
        try Data("[\"a\", 1]".utf8).write(to: files.0)
        assertLoadError(files, contains: ["vocab.json: expected a JSON object from token to id, found an array of 2 values"])
        try Data("{\"a\": 0,}".utf8).write(to: files.0)
        assertLoadError(files, contains: ["vocab.json is not valid JSON: line 1 column 9: expected a string key"])
        try Data("{\"a\": \"zero\"}".utf8).write(to: files.0)
        assertLoadError(files, contains: ["vocab.json: token \"a\": expected an integer id, found a string"])
        _ = try write(merges: "")
        try Data([0x61, 0x20, 0x62, 0x0A, 0xC3, 0x28]).write(to: files.1)
        assertLoadError(files, contains: ["merges.txt: not valid UTF-8", "offset 4"])
    }
}
