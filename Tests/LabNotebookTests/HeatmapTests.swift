// Heatmaps: the monochrome ramp, the value range, labels and the legend; 24-bit colors.

import XCTest
import LabKernel
@testable import LabNotebook

final class HeatmapTests: XCTestCase {
    func testMonochromeRampFromLowToHigh() {
        // Five values spread over 0...4 land in the five shades, in order.
        let heatmap = Heatmap(Tensor([[0, 1, 2, 3, 4]]))
        let lines = heatmap.render()
        let row = lines.first { $0.hasPrefix("0 │") }!
        XCTAssertEqual(row, "0 │  ░░▒▒▓▓██│")
    }

    func testSignedValuesAreCenteredOnZero() {
        let heatmap = Heatmap(Tensor([[-1, 0, 0.5]]))
        XCTAssertEqual(heatmap.range, -1...1)
        XCTAssertEqual(heatmap.render()[2], "0 │  ▒▒▓▓│", "zero is the middle shade")
        XCTAssertTrue(heatmap.render().last!.contains("-1.00"))
        XCTAssertEqual(Heatmap(Tensor([[2, 5]])).range, 2...5, "one sign: min...max")
        XCTAssertEqual(Heatmap(Tensor([[1, 5]]), range: 0...10).range, 0...10)
    }

    func testFrameLabelsAndLegend() {
        let values = Tensor(shape: [3, 12], scalars: (0..<36).map(Float.init))
        let lines = Heatmap(values, rowLabels: ["one", "two", "three"]).render()
        XCTAssertEqual(lines.count, 1 + 1 + 3 + 1 + 1, "column labels, top, 3 rows, bottom, legend")
        XCTAssertEqual(lines[0], "       0         5         10", "ticks every 5 columns above their cells")
        XCTAssertEqual(lines[1], "      ┌" + String(repeating: "─", count: 24) + "┐")
        XCTAssertTrue(lines[2].hasPrefix("  one │"))
        XCTAssertTrue(lines[4].hasPrefix("three │"))
        XCTAssertEqual(Set(lines[1...5].map(displayWidth)), [6 + 2 + 24], "every framed line has the same width")
        XCTAssertEqual(lines[6], "      scale 0.00 ▕  ░░▒▒▓▓██▏ 35.00")
    }

    func testOverlappingColumnLabelsAreDropped() {
        let values = Tensor.zeros([1, 4])
        let lines = Heatmap(values, columnLabels: [0: "long", 1: "x", 3: "y"]).render()
        XCTAssertEqual(lines[0], "   long  y", "'x' would touch 'long' and is left out")
    }

    func testColorsUseTrueColorBackgrounds() {
        let heatmap = Heatmap(Tensor([[-1, 0, 1]]))
        let lines = heatmap.render(style: Style(colors: true))
        XCTAssertTrue(lines[2].contains("\u{1B}[48;2;"), "cells are 24-bit backgrounds")
        XCTAssertFalse(lines[2].contains("░"), "no ramp characters with colors")
        XCTAssertEqual(displayWidth(lines[2]), displayWidth(heatmap.render()[2]), "same layout as without colors")
        // The diverging map: blue at the low end, near-white at zero, red at the high end.
        let low = heatmap.color(at: 0), middle = heatmap.color(at: 0.5), high = heatmap.color(at: 1)
        XCTAssertGreaterThan(low.blue, low.red)
        XCTAssertGreaterThan(high.red, high.blue)
        XCTAssertGreaterThan(Int(middle.red) + Int(middle.green) + Int(middle.blue), 700)
    }

    func testColorMixing() {
        XCTAssertEqual(RGB(0, 100, 200).mixed(with: RGB(100, 200, 0), 0.5), RGB(50, 150, 100))
        XCTAssertEqual(RGB(0, 0, 0).mixed(with: RGB(255, 255, 255), 2), RGB(255, 255, 255), "t is clamped")
    }
}
