// Formatting of measured quantities: units, precision and the speed-up sign.

import XCTest
@testable import LabNotebook

final class FormattingTests: XCTestCase {
    func testDurationsPickAReadableUnit() {
        XCTAssertEqual(formatDuration(0), "0 ns")
        XCTAssertEqual(formatDuration(850e-9), "850 ns")
        XCTAssertEqual(formatDuration(12.34e-6), "12.3 µs")
        XCTAssertEqual(formatDuration(845.4e-6), "845 µs")
        XCTAssertEqual(formatDuration(4.561e-3), "4.56 ms")
        XCTAssertEqual(formatDuration(0.2504), "250 ms")
        XCTAssertEqual(formatDuration(1.234), "1.23 s")
        XCTAssertEqual(formatDuration(75), "75.00 s")
    }

    func testDurationUnitBoundaries() {
        // Just below a boundary stays in the smaller unit; the boundary itself moves up.
        XCTAssertTrue(formatDuration(0.999e-6).hasSuffix(" ns"))
        XCTAssertTrue(formatDuration(1e-6).hasSuffix(" µs"))
        XCTAssertTrue(formatDuration(1e-3).hasSuffix(" ms"))
        XCTAssertTrue(formatDuration(1).hasSuffix(" s"))
    }

    func testSpeedupsKeepAboutThreeSignificantDigits() {
        XCTAssertEqual(formatSpeedup(1), "1.00×")
        XCTAssertEqual(formatSpeedup(1.844), "1.84×")
        XCTAssertEqual(formatSpeedup(23.46), "23.5×")
        XCTAssertEqual(formatSpeedup(412.3), "412×")
    }

    func testGFLOPS() {
        XCTAssertEqual(formatGFLOPS(operations: 2e9, seconds: 0.5), "4.00")
        XCTAssertEqual(formatGFLOPS(operations: 2 * 64 * 64 * 64, seconds: 1e-3), "0.52")
    }
}
