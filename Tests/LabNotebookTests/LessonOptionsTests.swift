// Options that one lesson adds to the shared ones (`swift run tokenization --gpt2 DIR`).

import XCTest
@testable import LabNotebook

final class LessonOptionsTests: XCTestCase {
    private let gpt2 = LessonOption("--gpt2", valueName: "DIR", summary: "a folder with vocab.json and merges.txt")

    func testValueFromTheNextArgumentOrAfterAnEqualsSign() throws {
        let spaced = try NotebookOptions.parse(["--quick", "--gpt2", "/tmp/gpt 2"], lessonOptions: [gpt2])
        XCTAssertEqual(spaced, NotebookOptions(quick: true, lessonValues: ["--gpt2": "/tmp/gpt 2"]))
        XCTAssertEqual(spaced.value(of: "--gpt2"), "/tmp/gpt 2")
        let equals = try NotebookOptions.parse(["--gpt2=/a=b", "--no-color"], lessonOptions: [gpt2])
        XCTAssertEqual(equals.value(of: "--gpt2"), "/a=b", "only the first '=' separates the value")
        XCTAssertTrue(equals.noColor)
        let twice = try NotebookOptions.parse(["--gpt2", "a", "--gpt2", "b"], lessonOptions: [gpt2])
        XCTAssertEqual(twice.value(of: "--gpt2"), "b", "the last value counts")
    }

    func testAbsentOptionHasNoValue() throws {
        let options = try NotebookOptions.parse(["--quick"], lessonOptions: [gpt2])
        XCTAssertNil(options.value(of: "--gpt2"))
        XCTAssertEqual(options, NotebookOptions(quick: true))
    }

    func testMissingValueIsAnErrorNamingTheOption() {
        for arguments in [["--gpt2"], ["--gpt2", "--quick"], ["--gpt2="]] {
            XCTAssertThrowsError(try NotebookOptions.parse(arguments, lessonOptions: [gpt2]), "\(arguments)") { error in
                XCTAssertEqual(error as? NotebookOptionsError, .missingValue(option: "--gpt2", valueName: "DIR"))
                XCTAssertEqual("\(error)", "option '--gpt2' needs a value: --gpt2 DIR")
            }
        }
    }

    func testOtherLessonsDoNotAcceptTheOption() {
        XCTAssertThrowsError(try NotebookOptions.parse(["--gpt2", "x"])) { error in
            XCTAssertEqual(error as? NotebookOptionsError, .unknownOption("--gpt2"))
        }
        XCTAssertThrowsError(try NotebookOptions.parse(["--gpt", "x"], lessonOptions: [gpt2])) { error in
            XCTAssertEqual(error as? NotebookOptionsError, .unknownOption("--gpt", lessonFlags: ["--gpt2"]))
            XCTAssertTrue("\(error)".contains("--quick") && "\(error)".contains("--gpt2"),
                          "the message lists the shared options and the lesson's own: \(error)")
        }
    }

    func testUsageListsTheLessonsOptions() {
        let usage = NotebookOptions.usage(program: "tokenization", lessonOptions: [gpt2])
        let lines = usage.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "usage: tokenization [--quick] [--step] [--no-color] [--mask-timings] [--export FILE] [--help] [--gpt2 DIR]")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  --gpt2 DIR") && $0.hasSuffix("a folder with vocab.json and merges.txt") },
                      "the option and its summary are listed:\n\(usage)")
        // The column where each option's summary starts: after the first run of two or more spaces.
        let summaryColumns = Set(lines.filter { $0.hasPrefix("  -") }.map { line -> Int in
            let characters = Array(line)
            var column = 2
            while column + 1 < characters.count && !(characters[column] == " " && characters[column + 1] == " ") { column += 1 }
            while column < characters.count && characters[column] == " " { column += 1 }
            return column
        })
        XCTAssertEqual(summaryColumns.count, 1, "the summaries start in one column:\n\(usage)")
        XCTAssertFalse(NotebookOptions.usage(program: "tensors").contains("--gpt2"))
    }
}
