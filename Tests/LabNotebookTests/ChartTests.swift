// Sparklines and bar charts.

import XCTest
@testable import LabNotebook

final class ChartTests: XCTestCase {
    func testSparklineSpansTheEightLevels() {
        XCTAssertEqual(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(sparkline([8, 1]), "█▁")
        XCTAssertEqual(sparkline([-3, 0, 3]), "▁▅█", "the midpoint lands in the fifth of eight levels")
    }

    func testSparklineEdgeCases() {
        XCTAssertEqual(sparkline([]), "")
        XCTAssertEqual(sparkline([2, 2, 2]), "▄▄▄", "a constant series sits in the middle")
        XCTAssertEqual(sparkline([1, .nan, 2]), "▁ █", "a non-finite value is a gap")
    }

    func testSparklineAveragesIntoBuckets() {
        // 100 values rising then falling: 10 buckets, each the mean of 10 values.
        let values = (0..<100).map { Float($0 < 50 ? $0 : 99 - $0) }
        let line = sparkline(values, width: 10)
        XCTAssertEqual(line.count, 10)
        XCTAssertEqual(line.first, "▁")
        XCTAssertEqual(line.last, "▁")
        XCTAssertTrue(line.contains("█"))
        XCTAssertEqual(String(line.reversed()), line, "the series is symmetric, so is its sparkline")
        XCTAssertEqual(sparkline([1, 2, 3], width: 10), "▁▅█", "a short series is not stretched")
    }

    func testBarLengthsInEighths() {
        XCTAssertEqual(barText(length: 0), "")
        XCTAssertEqual(barText(length: 2), "██")
        XCTAssertEqual(barText(length: 2.5), "██▌")
        XCTAssertEqual(barText(length: 0.125), "▏")
        XCTAssertEqual(barText(length: 0.01), "▏", "a positive value is never invisible")
    }

    func testBarChartScalesToTheLargestValue() {
        let lines = barChart([Bar("a", value: 10, text: "10"), Bar("longer", value: 5, text: "5"),
                              Bar("z", value: 0, text: "0")], width: 8)
        XCTAssertEqual(lines, ["a       ████████  10",
                               "longer  ████      5",
                               "z                 0"])
    }
}
