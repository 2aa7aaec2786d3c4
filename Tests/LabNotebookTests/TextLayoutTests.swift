// Display width, padding and word wrapping.

import XCTest
@testable import LabNotebook

final class TextLayoutTests: XCTestCase {
    func testDisplayWidthIgnoresEscapeSequencesAndCountsCharacters() {
        XCTAssertEqual(displayWidth("abc"), 3)
        XCTAssertEqual(displayWidth("\u{1B}[1;38;2;1;2;3mabc\u{1B}[0m"), 3)
        XCTAssertEqual(displayWidth("█▓▒░ ·×ᵀ"), 8)
        XCTAssertEqual(displayWidth("e\u{301}"), 1)  // one grapheme: e with a combining accent
    }

    func testPaddingAlignsByDisplayWidth() {
        XCTAssertEqual(padded("ab", to: 5), "ab   ")
        XCTAssertEqual(padded("ab", to: 5, alignment: .right), "   ab")
        XCTAssertEqual(padded("abcdef", to: 3), "abcdef")
        let colored = Style(colors: true).paint("ab", .value)
        XCTAssertEqual(displayWidth(padded(colored, to: 5, alignment: .right)), 5)
    }

    func testWrapFillsLinesGreedilyWithinTheWidth() {
        let text = "the quick brown fox jumps over the lazy dog"
        XCTAssertEqual(wrap(text, width: 9), ["the quick", "brown fox", "jumps", "over the", "lazy dog"])
        for width in 3...20 {
            let lines = wrap(text, width: width)
            XCTAssertEqual(lines.joined(separator: " "), text, "width \(width): words lost or reordered")
            for line in lines where line.contains(" ") {
                XCTAssertLessThanOrEqual(displayWidth(line), width, "width \(width): '\(line)' is too long")
            }
        }
    }

    func testWrapCollapsesWhitespaceAndKeepsLongWords() {
        XCTAssertEqual(wrap("a\n  b\t c", width: 80), ["a b c"])
        XCTAssertEqual(wrap("a supercalifragilistic b", width: 5), ["a", "supercalifragilistic", "b"])
        XCTAssertEqual(wrap("   ", width: 10), [])
    }

    func testWrapDoesNotBreakInsideSquareBrackets() {
        XCTAssertEqual(wrap("shape [B, T, C] here", width: 12), ["shape", "[B, T, C]", "here"])
        XCTAssertEqual(wrap("x[1,  2] y", width: 80), ["x[1, 2] y"])
    }
}
