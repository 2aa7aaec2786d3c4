// Line charts as SVG (LineChartSVG.swift): a well-formed document with one polyline per series,
// ticks at round numbers covering the data, escaped text, and non-finite points left out.

import XCTest
@testable import LabNotebook

final class LineChartSVGTests: XCTestCase {
    func testADocumentWithOnePolylinePerSeries() {
        let train = ChartSeries(name: "train <loss>", points: (1...50).map { (Double($0), 5 / Double($0)) }, color: "#1f77b4")
        let validation = ChartSeries(name: "validation", points: [(10, 0.9), (20, .nan), (30, 0.4), (50, 0.3)], color: "#d62728")
        let svg = lineChartSVG([train, validation], title: "a & b", xLabel: "step", yLabel: "loss")
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2)
        XCTAssertTrue(svg.contains("a &amp; b") && svg.contains("train &lt;loss&gt;"))
        XCTAssertFalse(svg.contains("nan"), "a NaN point must not reach the drawing")
        // Every element is closed: self-closing, or opened and closed as many times.
        for element in ["svg", "text"] {
            XCTAssertEqual(svg.components(separatedBy: "<\(element) ").count, svg.components(separatedBy: "</\(element)>").count,
                           "<\(element)> opened and closed")
        }
    }

    func testTicksAreRoundAndCoverTheRange() {
        XCTAssertEqual(niceTicks(0, 4000), [0, 1000, 2000, 3000, 4000])
        XCTAssertEqual(niceTicks(0.3, 5), [0, 1, 2, 3, 4, 5])
        let ticks = niceTicks(0.57, 8.39)
        XCTAssertLessThanOrEqual(ticks.first!, 0.57)
        XCTAssertGreaterThanOrEqual(ticks.last!, 8.39)
    }
}
