// The `lab` tool as a whole: help and exit statuses, `lab corpus`, and the benchmarks' JSON lines
// (in their quick modes, so the whole file runs in a few seconds).

import Foundation
import XCTest
import LabKernel
@testable import lab

final class LabCommandTests: XCTestCase {
    func testHelpListsEveryCommandAndEachCommandHasItsOwn() throws {
        let folder = try makeTemporaryFolder(self)
        let help = try LabTool.run(["--help"], in: folder)
        assertStatus(help, 0)
        let names = Lab.commands.map(\.name)
        XCTAssertTrue(Set(["bench", "corpus", "train-tokenizer", "tokenize"]).isSubset(of: names), "\(names)")
        for command in names {
            XCTAssertTrue(help.output.contains("  \(command) "), "lab --help does not list \(command)\n\(help.transcript)")
            let own = try LabTool.run([command, "--help"], in: folder)
            assertStatus(own, 0)
            XCTAssertTrue(own.output.hasPrefix("usage: lab \(command)"), own.transcript)
        }
        let benchHelp = try LabTool.run(["bench", "tokenizer", "--help"], in: folder)
        assertStatus(benchHelp, 0)
        XCTAssertTrue(benchHelp.output.hasPrefix("usage: lab bench tokenizer"), benchHelp.transcript)
    }

    func testUnknownCommandsAndOptionsAreUsageErrors() throws {
        let folder = try makeTemporaryFolder(self)
        assertFailure(try LabTool.run(["frobnicate"], in: folder), status: 2, mentioning: ["unknown command 'frobnicate'", "lab --help"])
        assertFailure(try LabTool.run(["corpus", "--bogus"], in: folder), status: 2, mentioning: ["--bogus", "lab corpus --help"])
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", "x", "--sideways"], in: folder),
                      status: 2, mentioning: ["--sideways"])
        assertFailure(try LabTool.run(["bench", "tokenizer", "--only", "everything"], in: folder),
                      status: 2, mentioning: ["--only", "everything"])
    }

    // MARK: - lab corpus

    func testCorpusIsTheSameForTheSameSeedAndDiffersForAnother() throws {
        let folder = try makeTemporaryFolder(self)
        let first = try LabTool.run(["corpus", "--bytes", "5k", "--seed", "7"], in: folder)
        let again = try LabTool.run(["corpus", "--bytes", "5k", "--seed", "7"], in: folder)
        let other = try LabTool.run(["corpus", "--bytes", "5k", "--seed", "8"], in: folder)
        for run in [first, again, other] { assertStatus(run, 0) }
        XCTAssertGreaterThanOrEqual(first.standardOutput.count, 5000, "shorter than --bytes")
        XCTAssertEqual(first.standardOutput, again.standardOutput)
        XCTAssertNotEqual(first.standardOutput, other.standardOutput)
    }

    func testCorpusOutputFileIsCompleteAndNotReplacedWithoutForce() throws {
        let folder = try makeTemporaryFolder(self)
        let printed = try LabTool.run(["corpus", "--bytes", "5k", "--seed", "7"], in: folder)
        assertStatus(try LabTool.run(["corpus", "--bytes", "5k", "--seed", "7", "--output", "stories.txt"], in: folder), 0)
        let url = folder.appendingPathComponent("stories.txt")
        XCTAssertEqual(try Data(contentsOf: url), printed.standardOutput)

        assertFailure(try LabTool.run(["corpus", "--bytes", "5k", "--seed", "8", "--output", "stories.txt"], in: folder),
                      status: 1, mentioning: ["stories.txt", "--force"])
        XCTAssertEqual(try Data(contentsOf: url), printed.standardOutput, "replaced without --force")
        assertStatus(try LabTool.run(["corpus", "--bytes", "5k", "--seed", "8", "--output", "stories.txt", "--force"], in: folder), 0)
        XCTAssertNotEqual(try Data(contentsOf: url), printed.standardOutput, "--force did not replace the file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".std") },
                       ["stories.txt"], "temporary files left behind")
    }

    func testCorpusBadValuesAreUsageErrors() throws {
        let folder = try makeTemporaryFolder(self)
        assertFailure(try LabTool.run(["corpus", "--bytes", "lots"], in: folder), status: 2, mentioning: ["--bytes", "'lots'"])
        assertFailure(try LabTool.run(["corpus", "--kind", "poems"], in: folder), status: 2, mentioning: ["--kind", "'poems'"])
    }

    // MARK: - lab bench

    /// The JSON lines of a benchmark run, each parsed, after checking the key order of the
    /// convention (bench, variant, parameters, threads, then the figure last).
    private func jsonLines(_ run: LabRun, figure: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [JSONValue] {
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertFalse(lines.isEmpty, "no JSON lines\n\(run.transcript)", file: file, line: line)
        return try lines.map { text in
            let value = try JSONValue.parse(text)
            XCTAssertTrue(text.hasPrefix("{\"bench\":"), "bench is not the first key: \(text)", file: file, line: line)
            XCTAssertTrue(figure.contains { text.range(of: "\"\($0)\":[0-9.]+\\}$", options: .regularExpression) != nil },
                          "the line does not end with one of the figures \(figure): \(text)", file: file, line: line)
            XCTAssertNotNil(value["variant"]?.string, text, file: file, line: line)
            XCTAssertGreaterThan(value["threads"]?.int ?? 0, 0, text, file: file, line: line)
            return value
        }
    }

    func testBenchMatmulQuickPrintsWellFormedJSONLines() throws {
        let folder = try makeTemporaryFolder(self)
        let run = try LabTool.run(["bench", "matmul", "--quick", "--json", "--threads", "2"], in: folder)
        assertStatus(run, 0)
        let records = try jsonLines(run, figure: ["gflops"])
        XCTAssertTrue(records.contains { $0["bench"]?.string == "matmul" && $0["n"]?.int == 64 }, run.output)
        XCTAssertTrue(records.contains { $0["bench"]?.string == "matvec" }, run.output)
        for record in records { XCTAssertGreaterThan(record["gflops"].flatMap { if case .number(let x) = $0 { x } else { nil } } ?? 0, 0) }
    }

    func testBenchTokenizerQuickPrintsTrainingAndEncodingLines() throws {
        let folder = try makeTemporaryFolder(self)
        let run = try LabTool.run(["bench", "tokenizer", "--quick", "--json", "--bytes", "50k", "--vocab-size", "300"], in: folder)
        assertStatus(run, 0)
        let records = try jsonLines(run, figure: ["seconds", "mbps"])
        XCTAssertEqual(records.map { $0["variant"]?.string ?? "" }, ["train", "encode"], run.output)
        guard records.count == 2 else { return }
        XCTAssertEqual(records[0]["vocab_size"]?.int, 300)
        XCTAssertGreaterThanOrEqual(records[0]["bytes"]?.int ?? 0, 50_000)
        XCTAssertEqual(records[1]["tokenizer"]?.string, "trained")
        XCTAssertEqual(records.map { $0["threads"]?.int }, [1, 1], "the tokenizer benchmark is single-threaded")
    }
}
