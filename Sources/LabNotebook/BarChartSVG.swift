// Bar charts and histograms as SVG, for the notebook's exports (see SVGDrawing.swift).
//
// A bar chart draws `Bar`s (BarChart.swift) as horizontal bars from a zero line, labels on the
// left, each bar's text on its right, scaled so the longest bar fills the plot: the same picture
// as the terminal's eighth blocks, at full resolution. A histogram counts values into equal bins
// and draws vertical bars with round-number ticks. Negative bar values are not supported (as in
// the terminal); histograms of non-finite values skip them.

import Foundation

/// An SVG document of horizontal bars, one per `Bar`, longest first as given.
public func barChartSVG(_ bars: [Bar], title: String, width: Int = 720) -> String {
    let rowHeight = 26.0
    let labelWidth = min(260, (bars.map { estimatedTextWidth($0.label) }.max() ?? 0) + 12)
    let textWidth = min(220, (bars.map { estimatedTextWidth($0.text) }.max() ?? 0) + 12)
    let (left, top) = (12 + labelWidth, 44.0)
    let plotWidth = max(80, Double(width) - left - textWidth - 12)
    let height = Int(top + rowHeight * Double(bars.count) + 16)
    let largest = bars.map(\.value).max() ?? 0

    var svg = svgOpening(width: width, height: height, title: title)
    for (index, bar) in bars.enumerated() {
        let y = top + rowHeight * Double(index)
        let length = largest > 0 ? bar.value / largest * plotWidth : 0
        svg += svgText(bar.label, x: left - 8, y: y + rowHeight / 2 + 4, anchor: "end")
        svg += "<rect x=\"\(svgNumber(left))\" y=\"\(svgNumber(y + 4))\" width=\"\(svgNumber(length))\" height=\"\(svgNumber(rowHeight - 8))\" fill=\"\(figurePalette[0])\"/>\n"
        svg += svgText(bar.text, x: left + length + 6, y: y + rowHeight / 2 + 4)
    }
    svg += "<line class=\"figure-frame\" x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(top))\" x2=\"\(svgNumber(left))\" y2=\"\(svgNumber(top + rowHeight * Double(bars.count)))\" stroke=\"#888\"/>\n"
    return svg + "</svg>\n"
}

/// An SVG histogram of `values` in `bins` equal bins between their smallest and largest value.
public func histogramSVG(_ values: [Double], bins: Int = 20, title: String, xLabel: String,
                         width: Int = 720, height: Int = 360) -> String {
    precondition(bins > 0, "histogramSVG: needs at least one bin, got \(bins)")
    let finite = values.filter(\.isFinite)
    var low = finite.min() ?? 0, high = finite.max() ?? 1
    if high <= low { (low, high) = (low - 0.5, high + 0.5) }
    var counts = Array(repeating: 0, count: bins)
    for value in finite {
        counts[min(Int((value - low) / (high - low) * Double(bins)), bins - 1)] += 1
    }
    let (left, right, top, bottom) = (60.0, 20.0, 40.0, 55.0)
    let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
    let countTicks = niceTicks(0, Double(max(counts.max() ?? 1, 1)))
    let countTop = countTicks.last!
    func px(_ x: Double) -> Double { left + (x - low) / (high - low) * plotWidth }
    func py(_ count: Double) -> Double { top + (1 - count / countTop) * plotHeight }

    var svg = svgOpening(width: width, height: height, title: title)
    for tick in countTicks {
        svg += svgGridLine(x1: left, y1: py(tick), x2: left + plotWidth, y2: py(tick))
        svg += svgText(tickText(tick), x: left - 8, y: py(tick) + 4, anchor: "end")
    }
    for (bin, count) in counts.enumerated() where count > 0 {
        let x0 = px(low + Double(bin) / Double(bins) * (high - low)), x1 = px(low + Double(bin + 1) / Double(bins) * (high - low))
        svg += "<rect x=\"\(svgNumber(x0))\" y=\"\(svgNumber(py(Double(count))))\" width=\"\(svgNumber(max(x1 - x0 - 1, 0.5)))\" height=\"\(svgNumber(py(0) - py(Double(count))))\" fill=\"\(figurePalette[0])\"/>\n"
    }
    for tick in niceTicks(low, high) where tick >= low - 1e-9 && tick <= high + 1e-9 {
        svg += svgText(tickText(tick), x: px(tick), y: top + plotHeight + 18, anchor: "middle")
    }
    svg += svgFrame(x: left, y: top, width: plotWidth, height: plotHeight)
    svg += svgText(xLabel, x: left + plotWidth / 2, y: Double(height) - 12, anchor: "middle")
    svg += svgText("count", x: 0, y: 0, anchor: "middle", extra: " transform=\"translate(16 \(svgNumber(top + plotHeight / 2))) rotate(-90)\"")
    return svg + "</svg>\n"
}
