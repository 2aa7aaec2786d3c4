// `lab train-tokenizer` and `lab tokenize`, run as a user runs them: a tokenizer trained on a
// small file encodes that file and decodes back to the same bytes, the output formats have their
// documented shapes, standard input works, and every kind of bad input ends with a clear message
// and a non-zero exit status instead of a crash.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
@testable import lab

final class TokenizerCommandTests: XCTestCase {
    /// A small training text with what a tokenizer must keep exactly: repeated words (so merges
    /// happen), accents and an emoji (multi-byte characters), tabs, blank lines and the special token.
    static let sampleText: String = {
        let lines = [
            "Once upon a time, a little fox found a shiny red ball in the garden.",
            "\"Can I play too?\" asked the small bird. The fox said yes!",
            "They played until the sun went down.\tThe end. 🙃",
            "Café, naïve, jalapeño: 12 apples and 345 pears.",
            "",
        ]
        var text = ""
        for story in 0..<40 {
            text += lines.joined(separator: "\n") + "Story \(story) is over.\n<|endoftext|>\n"
        }
        return text
    }()

    /// Trains a tokenizer of `vocabularySize` on `text` written to `input.txt` in `folder`.
    private func train(in folder: URL, vocabularySize: Int = 400, text: String = sampleText,
                       output: String = "tokenizer") throws -> LabRun {
        try Data(text.utf8).write(to: folder.appendingPathComponent("input.txt"))
        return try LabTool.run(["train-tokenizer", "--input", "input.txt", "--vocab-size", String(vocabularySize),
                                "--special", "<|endoftext|>", "--output", output], in: folder)
    }

    private func ids(_ run: LabRun, file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        let words = run.output.split(whereSeparator: \.isWhitespace)
        let ids = words.compactMap { Int($0) }
        XCTAssertEqual(ids.count, words.count, "the output is not only ids\n\(run.transcript)", file: file, line: line)
        return ids
    }

    // MARK: - Round trip and formats

    func testTrainedTokenizerEncodesAndDecodesBackToTheSameBytes() throws {
        let folder = try makeTemporaryFolder(self)
        let training = try train(in: folder)
        assertStatus(training, 0)
        XCTAssertTrue(training.output.contains("400 tokens"), training.transcript)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer/tokenizer.json").path))

        let encoding = try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "input.txt"], in: folder)
        assertStatus(encoding, 0)
        let ids = ids(encoding)
        let textBytes = Self.sampleText.utf8.count
        XCTAssertTrue(ids.allSatisfy { (0..<400).contains($0) }, "ids outside the vocabulary of 400")
        // 143 merges on repetitive text must compress it well below one token per byte.
        XCTAssertLessThan(ids.count, textBytes / 2, "training learned no useful merges")
        // The special token has the last id (after 256 bytes and 143 merges) and is one token each time.
        XCTAssertEqual(ids.filter { $0 == 399 }.count, 40)

        let decoding = try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--decode"], input: encoding.standardOutput, in: folder)
        assertStatus(decoding, 0)
        XCTAssertEqual(decoding.standardOutput, Data(Self.sampleText.utf8), "decode(encode(text)) is not the text")
    }

    func testJSONAndCountOutputsHaveTheirDocumentedShapes() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try train(in: folder), 0)
        let plain = ids(try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "input.txt"], in: folder))

        let json = try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--json", "input.txt"], in: folder)
        assertStatus(json, 0)
        let object = try JSONValue.parse(json.standardOutput)
        XCTAssertEqual(object.object?.keys.sorted(), ["ids"], "expected {\"ids\": [...]}, got \(json.output.prefix(200))")
        XCTAssertEqual(object["ids"]?.array?.compactMap(\.int), plain)

        let count = try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--count", "--json", "input.txt"], in: folder)
        assertStatus(count, 0)
        let counted = try JSONValue.parse(count.standardOutput)
        XCTAssertEqual(counted["tokens"]?.int, plain.count)
        XCTAssertEqual(counted["bytes"]?.int, Self.sampleText.utf8.count)

        // The JSON form is accepted back by --decode.
        let decoded = try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--decode"], input: json.standardOutput, in: folder)
        assertStatus(decoded, 0)
        XCTAssertEqual(decoded.output, Self.sampleText)
    }

    func testStandardInputIsOneTextWhoseNewlinesAreTokens() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try train(in: folder), 0)
        let text = "the fox\n\nthe bird\n"
        try Data(text.utf8).write(to: folder.appendingPathComponent("short.txt"))
        let fromFile = ids(try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "short.txt"], in: folder))
        let fromInput = ids(try LabTool.run(["tokenize", "--tokenizer", "tokenizer"], input: Data(text.utf8), in: folder))
        XCTAssertEqual(fromInput, fromFile)
        let withoutNewline = ids(try LabTool.run(["tokenize", "--tokenizer", "tokenizer"], input: Data("the fox".utf8), in: folder))
        XCTAssertEqual(Array(fromInput.prefix(withoutNewline.count)), withoutNewline)
        // The final "\n" is a token of its own: byte 10 is id 10 in a trained vocabulary.
        XCTAssertEqual(fromInput.last, 10)
    }

    func testShowMarksTokenBoundariesWithBracketsWhenPipedAndColorsWhenForced() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try train(in: folder), 0)
        let text = "the fox\tran 🙃\n"
        let shown = try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--show"], input: Data(text.utf8), in: folder)
        assertStatus(shown, 0)
        XCTAssertFalse(shown.output.contains("\u{1B}["), "colors in piped output\n\(shown.transcript)")
        let count = ids(try LabTool.run(["tokenize", "--tokenizer", "tokenizer"], input: Data(text.utf8), in: folder)).count
        XCTAssertTrue(shown.output.contains("\(count) tokens"), shown.transcript)
        // The bracketed pieces, with the visible marks turned back, spell the text.
        let tokenLines = shown.output.components(separatedBy: "\n\n")[0]
        let pieces = tokenLines.replacingOccurrences(of: "\n", with: "").dropFirst().dropLast().components(separatedBy: "][")
        XCTAssertEqual(pieces.count, count, shown.output)
        XCTAssertTrue(pieces.contains("↵") && pieces.contains("⇥"), "newline and tab are not shown as ↵ and ⇥: \(pieces)")

        let colored = try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--show"], input: Data(text.utf8), in: folder,
                                      environment: ["FORCE_COLOR": "1"])
        assertStatus(colored, 0)
        XCTAssertTrue(colored.output.contains("\u{1B}[48;2;"), "no background colors with FORCE_COLOR=1\n\(colored.transcript)")
        XCTAssertFalse(colored.output.contains("[the]"), "brackets as well as colors\n\(colored.transcript)")
    }

    func testCorpusOptionTrainsExactlyLikeTheWrittenCorpusFile() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try LabTool.run(["corpus", "--bytes", "20k", "--seed", "3", "--output", "corpus.txt"], in: folder), 0)
        assertStatus(try LabTool.run(["train-tokenizer", "--corpus", "stories", "--bytes", "20k", "--seed", "3",
                                      "--vocab-size", "300", "--output", "generated"], in: folder), 0)
        // --corpus adds <|endoftext|> as a special token, which the file needs to be given.
        assertStatus(try LabTool.run(["train-tokenizer", "--input", "corpus.txt", "--special", "<|endoftext|>",
                                      "--vocab-size", "300", "--output", "from-file"], in: folder), 0)
        // The summary as JSON, for scripts.
        let summary = try LabTool.run(["train-tokenizer", "--corpus", "stories", "--bytes", "20k", "--seed", "3",
                                       "--vocab-size", "300", "--output", "generated", "--force", "--json"], in: folder)
        assertStatus(summary, 0)
        let fields = try JSONValue.parse(summary.standardOutput)
        XCTAssertEqual(fields["vocab_size"]?.int, 300, summary.output)
        XCTAssertEqual(fields["merges"]?.int, 300 - 256 - 1, summary.output)
        XCTAssertEqual(fields["special_tokens"]?.int, 1, summary.output)
        XCTAssertEqual(fields["bytes"]?.int, try Data(contentsOf: folder.appendingPathComponent("corpus.txt")).count)
        XCTAssertEqual(fields["output"]?.string.map { URL(fileURLWithPath: $0).lastPathComponent }, "tokenizer.json")

        let generated = try Data(contentsOf: folder.appendingPathComponent("generated/tokenizer.json"))
        let fromFile = try Data(contentsOf: folder.appendingPathComponent("from-file/tokenizer.json"))
        XCTAssertEqual(generated, fromFile, "training on --corpus differs from training on the same text in a file")
    }

    func testGPT2FilesEncodeAsGPT2Does() throws {
        let vocabulary = try RepositoryPaths.requireConformance("cs336/fixtures/gpt2_vocab.json")
        let merges = try RepositoryPaths.requireConformance("cs336/fixtures/gpt2_merges.txt")
        let folder = try makeTemporaryFolder(self)
        let run = try LabTool.run(["tokenize", "--vocab", vocabulary.path, "--merges", merges.path],
                                  input: Data("Hello world<|endoftext|>".utf8), in: folder)
        assertStatus(run, 0)
        // GPT-2's published ids (tiktoken's "gpt2" encoding gives the same).
        XCTAssertEqual(ids(run), [15496, 995, 50256])
    }

    // MARK: - Bad input

    func testMissingFilesAreNamed() throws {
        let folder = try makeTemporaryFolder(self)
        assertFailure(try LabTool.run(["train-tokenizer", "--input", "missing.txt", "--vocab-size", "300", "--output", "out"], in: folder),
                      status: 1, mentioning: ["missing.txt", "no such file"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path),
                       "the output folder was created although there was nothing to train on")
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "nowhere"], input: Data("hi".utf8), in: folder),
                      status: 1, mentioning: ["nowhere", "no such file or folder", "tokenizer.json"])
        assertStatus(try train(in: folder), 0)
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "missing.txt"], in: folder),
                      status: 1, mentioning: ["missing.txt", "no such file"])
        // A folder without tokenizer files says which files were expected.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "empty"], input: Data("hi".utf8), in: folder),
                      status: 1, mentioning: ["empty", "tokenizer.json", "vocab.json", "merges.txt"])
    }

    func testInvalidJSONIsReportedWithTheFileAndPosition() throws {
        let folder = try makeTemporaryFolder(self)
        try Data("{\"model\": {\"vocab\": [1, 2,]}}".utf8).write(to: folder.appendingPathComponent("broken.json"))
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "broken.json"], input: Data("hi".utf8), in: folder),
                      status: 1, mentioning: ["broken.json", "not valid JSON", "line 1"])
    }

    func testMergesOfUnknownTokensAreReported() throws {
        let folder = try makeTemporaryFolder(self)
        // GPT-2 files: every byte, one merged token, and a merge of a token that does not exist.
        let gpt2 = folder.appendingPathComponent("gpt2", isDirectory: true)
        try FileManager.default.createDirectory(at: gpt2, withIntermediateDirectories: true)
        var entries = (0..<256).map { "\(jsonStringLiteral(ByteLevelEncoding.encode([UInt8($0)]))): \($0)" }
        entries.append("\"ab\": 256")
        try Data(("{" + entries.joined(separator: ", ") + "}").utf8).write(to: gpt2.appendingPathComponent("vocab.json"))
        try Data("#version: 0.2\na b\nab zq\n".utf8).write(to: gpt2.appendingPathComponent("merges.txt"))
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "gpt2"], input: Data("hi".utf8), in: folder),
                      status: 1, mentioning: ["merges.txt line 3", "\"zq\"", "vocab.json"])

        // tokenizer.json: a trained file with one bad merge put first.
        assertStatus(try train(in: folder), 0)
        let url = folder.appendingPathComponent("tokenizer/tokenizer.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: "\"merges\": [", with: "\"merges\": [\n      \"qq zz\",")
            .write(to: url, atomically: true, encoding: .utf8)
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "tokenizer"], input: Data("hi".utf8), in: folder),
                      status: 1, mentioning: ["tokenizer.json", "model.merges[0]", "\"qq\""])
    }

    func testTooSmallVocabularyIsAUsageError() throws {
        let folder = try makeTemporaryFolder(self)
        // 256 bytes + 1 special token need 257.
        assertFailure(try train(in: folder, vocabularySize: 256), status: 2, mentioning: ["--vocab-size 256", "257"])
        assertFailure(try LabTool.run(["train-tokenizer", "--input", "input.txt", "--vocab-size", "255", "--output", "out"], in: folder),
                      status: 2, mentioning: ["--vocab-size 255", "256"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer/tokenizer.json").path))
    }

    func testInvalidUTF8IsReportedWithTheFileAndByteOffset() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try train(in: folder), 0)
        // "ok\nbad " is 7 bytes; 0xFF can never appear in UTF-8.
        let bad = Data("ok\nbad ".utf8) + Data([0xFF]) + Data(" here".utf8)
        try bad.write(to: folder.appendingPathComponent("bad.txt"))
        assertFailure(try LabTool.run(["train-tokenizer", "--input", "input.txt", "bad.txt", "--vocab-size", "300",
                                       "--output", "other"], in: folder),
                      status: 1, mentioning: ["bad.txt", "UTF-8", "byte offset 7"])
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "bad.txt"], in: folder),
                      status: 1, mentioning: ["bad.txt", "UTF-8", "byte offset 7"])
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "tokenizer"], input: bad, in: folder),
                      status: 1, mentioning: ["standard input", "UTF-8", "byte offset 7"])
    }

    func testDecodeRejectsWhatIsNotATokenID() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try train(in: folder), 0)
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--decode"], input: Data("72 x 101".utf8), in: folder),
                      status: 1, mentioning: ["'x'", "token id"])
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "tokenizer", "--decode"], input: Data("72 99999".utf8), in: folder),
                      status: 1, mentioning: ["99999", "outside the vocabulary"])
    }

    func testRefusesToReplaceATokenizerWithoutForce() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try train(in: folder, vocabularySize: 300), 0)
        let url = folder.appendingPathComponent("tokenizer/tokenizer.json")
        let first = try Data(contentsOf: url)
        assertFailure(try train(in: folder, vocabularySize: 320), status: 1, mentioning: ["tokenizer.json", "already exists", "--force"])
        XCTAssertEqual(try Data(contentsOf: url), first, "the existing tokenizer.json was changed")

        let forced = try LabTool.run(["train-tokenizer", "--input", "input.txt", "--vocab-size", "320", "--special", "<|endoftext|>",
                                      "--output", "tokenizer", "--force"], in: folder)
        assertStatus(forced, 0)
        XCTAssertEqual(try BPETokenizer.load(tokenizerJSON: url).vocabularySize, 320)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["tokenizer.json"], "temporary files left beside tokenizer.json")
    }

    // MARK: - Pieces of the commands

    func testVisibleTextMarksWhitespaceControlsAndSplitCharacters() {
        XCTAssertEqual(TokenPrinter.visibleText(Array(" a\n\t\r".utf8)), " a↵⇥␍")
        // The first two of the three bytes of "€" (E2 82 AC): a character cut by a token boundary.
        XCTAssertEqual(TokenPrinter.visibleText([0x20, 0xE2, 0x82]), " \\xE2\\x82")
        XCTAssertEqual(TokenPrinter.visibleText(Array("é🙃".utf8)), "é🙃")
    }

    func testIDsAreReadInEveryFormTheCommandPrints() throws {
        XCTAssertEqual(try TokenizeCommand.parseIDs("1 2\n3", source: "test"), [1, 2, 3])
        XCTAssertEqual(try TokenizeCommand.parseIDs("1, 2,3", source: "test"), [1, 2, 3])
        XCTAssertEqual(try TokenizeCommand.parseIDs("{\"ids\": [1, 2, 3]}\n", source: "test"), [1, 2, 3])
        XCTAssertEqual(try TokenizeCommand.parseIDs("[1,2,3]", source: "test"), [1, 2, 3])
        XCTAssertEqual(try TokenizeCommand.parseIDs("  \n", source: "test"), [])
        XCTAssertThrowsError(try TokenizeCommand.parseIDs("{\"ids\": [1.5]}", source: "test"))
        XCTAssertThrowsError(try TokenizeCommand.parseIDs("{\"tokens\": [1]}", source: "test"))
    }
}
