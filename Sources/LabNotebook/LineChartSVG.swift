// Line charts as SVG: a loss curve any browser (or a README on GitHub) shows.
//
// Scope: one or more series of (x, y) points on shared axes, with round-number ticks, axis labels,
// a title and a legend, drawn as a standalone SVG document (see SVGDrawing.swift). `lab train`
// draws its loss curve with it, and the notebook's exports draw every sparkline's series with it.
// Left out: log scales, annotations.

import Foundation

/// One line of a chart.
public struct ChartSeries: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    /// An SVG colour, e.g. "#1f77b4".
    public var color: String

    public init(name: String, points: [(x: Double, y: Double)], color: String) {
        self.name = name
        self.points = points
        self.color = color
    }
}

/// An SVG document drawing `series` (non-finite points are skipped) on shared axes, with a
/// legend when there is more than one series or `legend` is true.
public func lineChartSVG(_ series: [ChartSeries], title: String, xLabel: String, yLabel: String,
                         width: Int = 720, height: Int = 420, legend: Bool = true) -> String {
    let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    let (left, right, top, bottom) = (70.0, 20.0, 40.0, 55.0)
    let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
    var xRange = (finite.map(\.x).min() ?? 0, finite.map(\.x).max() ?? 1)
    var yRange = (finite.map(\.y).min() ?? 0, finite.map(\.y).max() ?? 1)
    if xRange.1 <= xRange.0 { xRange.1 = xRange.0 + 1 }
    if yRange.1 <= yRange.0 { yRange = (yRange.0 - 0.5, yRange.1 + 0.5) }
    let xTicks = niceTicks(xRange.0, xRange.1), yTicks = niceTicks(yRange.0, yRange.1)
    xRange = (min(xRange.0, xTicks.first!), max(xRange.1, xTicks.last!))
    yRange = (min(yRange.0, yTicks.first!), max(yRange.1, yTicks.last!))
    func px(_ x: Double) -> Double { left + (x - xRange.0) / (xRange.1 - xRange.0) * plotWidth }
    func py(_ y: Double) -> Double { top + (1 - (y - yRange.0) / (yRange.1 - yRange.0)) * plotHeight }

    var svg = svgOpening(width: width, height: height, title: title)
    for tick in yTicks {
        let y = py(tick)
        svg += svgGridLine(x1: left, y1: y, x2: left + plotWidth, y2: y)
        svg += svgText(tickText(tick), x: left - 8, y: y + 4, anchor: "end")
    }
    for tick in xTicks {
        let x = px(tick)
        svg += svgGridLine(x1: x, y1: top, x2: x, y2: top + plotHeight)
        svg += svgText(tickText(tick), x: x, y: top + plotHeight + 18, anchor: "middle")
    }
    svg += svgFrame(x: left, y: top, width: plotWidth, height: plotHeight)
    svg += svgText(xLabel, x: left + plotWidth / 2, y: Double(height) - 12, anchor: "middle")
    svg += svgText(yLabel, x: 0, y: 0, anchor: "middle", extra: " transform=\"translate(18 \(svgNumber(top + plotHeight / 2))) rotate(-90)\"")
    for (index, line) in series.enumerated() {
        let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
        if points.count > 1 {
            let path = points.map { "\(svgNumber(px($0.x))),\(svgNumber(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.8\" points=\"\(path)\"/>\n"
        }
        if points.count <= 40 {
            for p in points { svg += "<circle cx=\"\(svgNumber(px(p.x)))\" cy=\"\(svgNumber(py(p.y)))\" r=\"2.5\" fill=\"\(line.color)\"/>\n" }
        }
        guard legend || series.count > 1 else { continue }
        let legendY = top + 16 + Double(index) * 18
        let legendX = left + plotWidth - max(150, estimatedTextWidth(line.name) + 40)
        svg += "<line x1=\"\(svgNumber(legendX))\" y1=\"\(svgNumber(legendY - 4))\" x2=\"\(svgNumber(legendX + 22))\" y2=\"\(svgNumber(legendY - 4))\" stroke=\"\(line.color)\" stroke-width=\"2.5\"/>\n"
        svg += svgText(line.name, x: legendX + 28, y: legendY)
    }
    return svg + "</svg>\n"
}
