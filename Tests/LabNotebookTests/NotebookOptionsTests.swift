// Command-line options and the color rule.

import XCTest
@testable import LabNotebook

final class NotebookOptionsTests: XCTestCase {
    func testNoArgumentsMeansDefaults() throws {
        XCTAssertEqual(try NotebookOptions.parse([String]()), NotebookOptions())
        XCTAssertFalse(try NotebookOptions.parse([String]()).quick)
    }

    func testEveryOption() throws {
        let options = try NotebookOptions.parse(["--quick", "--step", "--no-color", "--mask-timings"])
        XCTAssertEqual(options, NotebookOptions(quick: true, step: true, noColor: true, maskTimings: true))
        XCTAssertTrue(try NotebookOptions.parse(["-h"]).help)
        XCTAssertTrue(try NotebookOptions.parse(["--quick", "--help"]).help)
    }

    func testUnknownOptionsAndArgumentsAreErrors() {
        XCTAssertThrowsError(try NotebookOptions.parse(["--quick", "--fast"])) { error in
            XCTAssertEqual(error as? NotebookOptionsError, .unknownOption("--fast"))
            XCTAssertTrue("\(error)".contains("'--fast'"))
            XCTAssertTrue("\(error)".contains("--quick"), "the message lists the valid options")
        }
        XCTAssertThrowsError(try NotebookOptions.parse(["extra"]))
        XCTAssertThrowsError(try NotebookOptions.parse(["-quick"]))
    }

    func testUsageListsEveryOption() {
        let usage = NotebookOptions.usage(program: "tensors")
        XCTAssertTrue(usage.hasPrefix("usage: tensors "))
        for flag in ["--quick", "--step", "--no-color", "--mask-timings", "--help", "NO_COLOR", "LAB_MASK_TIMINGS"] {
            XCTAssertTrue(usage.contains(flag), "usage does not mention \(flag)")
        }
    }

    func testColorRule() {
        func colors(option: Bool = false, tty: Bool = true, _ environment: [String: String] = ["TERM": "xterm-256color"]) -> Bool {
            Terminal.colorsEnabled(noColorOption: option, isTerminal: tty, environment: environment)
        }
        XCTAssertTrue(colors(), "a terminal gets colors")
        XCTAssertFalse(colors(tty: false), "a pipe or file does not")
        XCTAssertFalse(colors(option: true), "--no-color")
        XCTAssertFalse(colors(["NO_COLOR": "1"]))
        XCTAssertTrue(colors(["NO_COLOR": ""]), "an empty NO_COLOR is ignored")
        XCTAssertFalse(colors(["TERM": "dumb"]))
        XCTAssertTrue(colors([:]), "no TERM at all is not dumb")
        XCTAssertTrue(colors(tty: false, ["FORCE_COLOR": "1"]), "FORCE_COLOR forces colors into a pipe")
        XCTAssertTrue(colors(["FORCE_COLOR": "1", "NO_COLOR": "1"]), "FORCE_COLOR wins over NO_COLOR")
        XCTAssertTrue(colors(tty: false, ["FORCE_COLOR": "1", "TERM": "dumb"]))
        XCTAssertFalse(colors(tty: false, ["FORCE_COLOR": "0"]), "FORCE_COLOR=0 does not force")
        XCTAssertFalse(colors(tty: false, ["FORCE_COLOR": ""]))
        XCTAssertFalse(colors(option: true, ["FORCE_COLOR": "1"]), "the command line wins over the environment")
    }

    func testPlainStyleLeavesTextAlone() {
        XCTAssertEqual(Style.plain.paint("x", .cellTitle), "x")
        XCTAssertEqual(Style.plain.background("  ", RGB(1, 2, 3)), "  ")
        XCTAssertEqual(Style.plain.highlightingCode("a `b` c"), "a `b` c")
        let colored = Style(colors: true)
        XCTAssertEqual(colored.paint("x", .heading), "\u{1B}[1mx\u{1B}[0m")
        XCTAssertEqual(colored.background("  ", RGB(1, 2, 3)), "\u{1B}[48;2;1;2;3m  \u{1B}[0m")
        XCTAssertEqual(colored.paint("", .heading), "", "nothing to paint, no escapes")
        let highlighted = colored.highlightingCode("a `b` c")
        XCTAssertTrue(highlighted.contains("`b`"), "backticks stay")
        XCTAssertEqual(displayWidth(highlighted), 7)
        XCTAssertEqual(colored.highlightingCode("a `b"), "a `b", "an unclosed span is left as it was")
    }
}
