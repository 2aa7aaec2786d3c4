// Table rendering: column widths, alignment, the header rule.

import XCTest
@testable import LabNotebook

final class TableTests: XCTestCase {
    func makeTable() -> Table {
        var table = Table(["method", "time", "speed-up"])
        table.append(["naive", "120.5 ms", "1.00×"])
        table.append(["blocked SIMD", "1.2 ms", "100×"])
        return table
    }

    func testNumbersAlignRightAndTextLeft() {
        let lines = makeTable().render()
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[0], "method            time  speed-up")
        XCTAssertEqual(lines[1], "────────────  ────────  ────────")
        XCTAssertEqual(lines[2], "naive         120.5 ms     1.00×")
        XCTAssertEqual(lines[3], "blocked SIMD    1.2 ms      100×")
    }

    func testAutomaticAlignment() {
        var table = Table(["a", "b", "c", "d"])
        table.append(["12", "x", "-0.5", "…"])
        table.append(["3", "7", "+2", ""])
        XCTAssertEqual(table.alignment(ofColumn: 0), .right)
        XCTAssertEqual(table.alignment(ofColumn: 1), .left, "a column with any text is left-aligned")
        XCTAssertEqual(table.alignment(ofColumn: 2), .right, "signed numbers")
        XCTAssertEqual(table.alignment(ofColumn: 3), .right, "the timing placeholder counts as a number")
        XCTAssertFalse(looksNumeric("[2, 3]"))
        XCTAssertFalse(looksNumeric("-"))
    }

    func testExplicitAlignmentWins() {
        var table = Table(["n", "name"], alignments: [.left, .right])
        table.append(["1", "ab"])
        table.append(["100", "a"])
        let lines = table.render()
        XCTAssertEqual(lines[2], "1      ab")
        XCTAssertEqual(lines[3], "100     a")
    }

    func testColorsDoNotChangeTheLayout() {
        let plain = makeTable().render()
        let colored = makeTable().render(style: Style(colors: true))
        XCTAssertNotEqual(plain, colored, "colors should add escape sequences")
        XCTAssertTrue(colored[0].contains("\u{1B}["))
        XCTAssertEqual(plain.map(displayWidth), colored.map(displayWidth))
    }

    func testNoTrailingSpaces() {
        var table = Table(["name", "note"])
        table.append(["a", ""])
        table.append(["bbbb", "x"])
        for line in table.render() { XCTAssertFalse(line.hasSuffix(" "), "'\(line)'") }
    }
}
