// Lesson 01 in --quick mode prints what the golden file says (timings masked, no colors), and the
// lesson's own code holds up: its regex literal against Python's `regex` (a committed fixture),
// its naive trainer and encoder against the kernel's, its token display, and the --gpt2 loading
// with errors that name the missing file.

import Foundation
import XCTest
import LabKernel
import LabNotebook
import LabTestSupport
@testable import tokenization

final class TokenizationLessonTests: XCTestCase {
    func testQuickRunMatchesGoldenOutput() throws {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        TokenizationLesson(notebook: notebook, gpt2: nil).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        XCTAssertFalse(output.text.contains("✗"), "a check in the lesson failed:\n\(failedChecks(output.text))")
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "tokenization-quick.txt")
    }

    // MARK: - The pre-tokenizer regex

    func testRegexLiteralMatchesPythonRegexOnTheFixture() throws {
        // Pieces made by Python's `regex.findall` with GPT-2's pattern (scripts/fixtures/make_tokenizer_fixtures.py).
        let url = RepositoryPaths.fixtures.appendingPathComponent("tokenizer/pretokenizer_splits.json")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try XCTUnwrap(json["cases"] as? [[String: Any]])
        XCTAssertGreaterThan(cases.count, 100)
        for c in cases {
            let text = try XCTUnwrap(c["text"] as? String)
            let expected = try XCTUnwrap(c["gpt2"] as? [String])
            XCTAssertEqual(gpt2Pieces(text), expected, "the lesson's regex literal on \(text.debugDescription)")
        }
    }

    // MARK: - The naive trainer and encoder

    func testNaiveTrainerLearnsTheKernelsMergesOnTieHeavyTexts() throws {
        // Few distinct symbols make many equal counts, where tie-breaking decides.
        var generator = SeededGenerator(seed: 21)
        let alphabet = ["a", "b", "ab", " ", " ", "\n", "é", "🙃", "1", "'s", "."]
        for _ in 0..<8 {
            var text = ""
            for _ in 0..<(100 + generator.nextInt(below: 800)) { text += alphabet[generator.nextInt(below: alphabet.count)] }
            let size = 257 + generator.nextInt(below: 60)
            var trainer = NaiveBPETrainer(documents: [text])
            while trainer.merges.count < size - 256, trainer.mergeMostFrequentPair() != nil {}
            let kernel = try BPETokenizer.train(text: text, vocabularySize: size)
            XCTAssertEqual(trainer.merges, kernel.merges, "merges for V = \(size) on \(text.prefix(40).debugDescription)…")
            XCTAssertEqual(trainer.vocabulary, Array(kernel.tokens), "vocabulary for V = \(size)")
        }
    }

    func testNaiveTrainerCutsDocumentsApartLikeASpecialToken() throws {
        let documents = ["the cat sat\n", "\nthe hat sat on the mat\n", "\nthe end"]
        var trainer = NaiveBPETrainer(documents: documents)
        while trainer.merges.count < 20, trainer.mergeMostFrequentPair() != nil {}
        let kernel = try BPETokenizer.train(text: documents.joined(separator: endOfText), vocabularySize: 257 + 20,
                                            specialTokens: [endOfText])
        XCTAssertEqual(trainer.merges, kernel.merges)
    }

    func testNaiveEncoderGivesTheKernelsIds() throws {
        let corpus = Corpus(bytes: 20_000, seed: 5)
        let tokenizer = try BPETokenizer.train(text: corpus.text, vocabularySize: 400, specialTokens: [endOfText])
        for text in [corpus.segments[1], "Unseen wörds, 12345 numbers and 🙃 emoji!\n\n  spaces", ""] {
            XCTAssertEqual(naiveEncode(text, merges: tokenizer.merges), tokenizer.encodeOrdinary(text), text.debugDescription)
        }
    }

    func testReplacingMergesLeftToRightWithoutOverlap() {
        XCTAssertEqual(replacing(TokenPair(1, 1), with: 9, in: [1, 1, 1]), [9, 1])
        XCTAssertEqual(replacing(TokenPair(1, 1), with: 9, in: [1, 1, 1, 1]), [9, 9])
        XCTAssertEqual(replacing(TokenPair(1, 2), with: 9, in: [2, 1, 2, 1]), [2, 9, 1])
        XCTAssertEqual(replacing(TokenPair(1, 2), with: 9, in: []), [])
    }

    // MARK: - Showing tokens

    func testVisibleTokenShowsSpacesBreaksAndPartialCharacters() {
        XCTAssertEqual(visibleToken(Array(" the".utf8)), "␣the")
        XCTAssertEqual(visibleToken(Array("a\nb\t".utf8)), "a↵b⇥")
        XCTAssertEqual(visibleToken([0xF0, 0x9F]), "<F0><9F>", "the first half of an emoji is not a character")
        XCTAssertEqual(visibleToken([0x99, 0x82]), "<99><82>", "continuation bytes alone are not a character")
        XCTAssertEqual(visibleToken(Array("é🙂".utf8)), "é🙂")
        XCTAssertEqual(visibleToken([0x00, 0x41, 0x7F]), "<00>A<7F>", "control bytes in hex")
        XCTAssertEqual(visibleToken([0xC0, 0x80]), "<C0><80>", "an overlong encoding is not valid UTF-8")
    }

    func testTokenBoundariesWithoutColorsKeepTheTextBetweenSeparators() throws {
        let corpus = Corpus(bytes: 5_000, seed: 3)
        let tokenizer = try BPETokenizer.train(text: corpus.text, vocabularySize: 300, specialTokens: [endOfText])
        let story = corpus.documents[0]
        let lines = tokenBoundaries(tokenizer.encode(story), tokenizer: tokenizer, width: 76, style: .plain)
        XCTAssertTrue(lines.allSatisfy { displayWidth($0) <= 76 }, "every line fits in 76 columns")
        // Removing the separators and turning ↵ back into line breaks gives the story again.
        let rebuilt = lines.map { $0.replacingOccurrences(of: "|", with: "") }.joined()
            .replacingOccurrences(of: "↵", with: "\n")
        XCTAssertEqual(rebuilt, story)
        XCTAssertEqual(lines.joined().filter { $0 == "|" }.count + lines.count,
                       tokenizer.encode(story).count, "one separator between tokens on a line")
    }

    func testTokenBoundariesInColorAlternateBackgrounds() throws {
        let tokenizer = try BPETokenizer.train(text: "the cat sat on the mat", vocabularySize: 270)
        let lines = tokenBoundaries(tokenizer.encode("the cat sat"), tokenizer: tokenizer, width: 76, style: Style(colors: true))
        XCTAssertEqual(lines.count, 1)
        XCTAssertFalse(lines[0].contains("|"), "colors replace the separators")
        XCTAssertTrue(lines[0].contains("\u{1B}[48;2;"), "tokens are painted with a background")
        XCTAssertEqual(displayWidth(lines[0]), "the cat sat".count)
    }

    // MARK: - GPT-2's files

    func testMissingGPT2FilesAreNamedWithWhereToGetThem() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try loadGPT2Tokenizer(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("vocab.json and merges.txt not found"), "\(error)")
            XCTAssertTrue("\(error)".contains("openai-community/gpt2"), "the message says where to download them: \(error)")
        }
        try Data("{}".utf8).write(to: folder.appendingPathComponent("vocab.json"))
        XCTAssertThrowsError(try loadGPT2Tokenizer(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains(": merges.txt not found"), "only the missing file is named: \(error)")
        }
        XCTAssertThrowsError(try loadGPT2Tokenizer(folder: folder.appendingPathComponent("nowhere").path)) { error in
            XCTAssertTrue("\(error)".contains("no such folder"), "\(error)")
        }
    }

    func testBrokenGPT2FilesReportTheFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{\"a\": 0,".utf8).write(to: folder.appendingPathComponent("vocab.json"))
        try Data("#version: 0.2\n".utf8).write(to: folder.appendingPathComponent("merges.txt"))
        XCTAssertThrowsError(try loadGPT2Tokenizer(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("vocab.json"), "the kernel's loader names the file: \(error)")
        }
    }

    func testGPT2CellWithTheRealFiles() throws {
        // GPT-2's own vocab.json and merges.txt from the peer conformance data (skipped where absent).
        let vocabulary = try RepositoryPaths.requireConformance("cs336/fixtures/gpt2_vocab.json")
        let merges = try RepositoryPaths.requireConformance("cs336/fixtures/gpt2_merges.txt")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: vocabulary, to: folder.appendingPathComponent("vocab.json"))
        try FileManager.default.copyItem(at: merges, to: folder.appendingPathComponent("merges.txt"))
        let gpt2 = try loadGPT2Tokenizer(folder: folder.path)

        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        TokenizationLesson(notebook: notebook, gpt2: gpt2).run()
        XCTAssertFalse(output.text.contains("✗"), "a check in the lesson failed:\n\(failedChecks(output.text))")
        for expected in ["tokens (GPT-2)", "50,257 tokens", "✓ GPT-2's ids for \"Hello world\" are [15496, 995]"] {
            XCTAssertTrue(output.text.contains(expected), "the GPT-2 run should print \(expected.debugDescription)")
        }
        // The languages table's sentences in GPT-2's tokens, as counted by Hugging Face `tokenizers`
        // 0.23 (a ByteLevel BPE model built from the same two files).
        XCTAssertEqual(sameSentence.map { gpt2.encode($0.text).count }, [10, 17, 29, 15])
    }

    // MARK: - Helpers

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lesson01-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func failedChecks(_ text: String) -> String {
        text.split(separator: "\n").filter { $0.contains("✗") }.joined(separator: "\n")
    }
}
