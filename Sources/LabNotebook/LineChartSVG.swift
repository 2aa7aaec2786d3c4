// Line charts as SVG: a loss curve any browser (or a README on GitHub) shows.
//
// Scope: one or more series of (x, y) points on shared axes, with round-number ticks, axis labels,
// a title and a legend, drawn as a standalone SVG document (no scripts, no external fonts or
// styles). `lab train` draws its loss curve with it. Left out: log scales, bars, annotations.

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

/// An SVG document drawing `series` (non-finite points are skipped) on shared axes.
public func lineChartSVG(_ series: [ChartSeries], title: String, xLabel: String, yLabel: String,
                         width: Int = 720, height: Int = 420) -> String {
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
    func number(_ v: Double) -> String { String(format: "%.1f", v) }

    var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(number(left + plotWidth / 2))" y="22" text-anchor="middle" font-size="15">\(escapeXML(title))</text>

        """
    for tick in yTicks {
        let y = py(tick)
        svg += "<line x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(left + plotWidth))\" y2=\"\(number(y))\" stroke=\"#e5e5e5\"/>\n"
        svg += "<text x=\"\(number(left - 8))\" y=\"\(number(y + 4))\" text-anchor=\"end\">\(tickText(tick))</text>\n"
    }
    for tick in xTicks {
        let x = px(tick)
        svg += "<line x1=\"\(number(x))\" y1=\"\(number(top))\" x2=\"\(number(x))\" y2=\"\(number(top + plotHeight))\" stroke=\"#f0f0f0\"/>\n"
        svg += "<text x=\"\(number(x))\" y=\"\(number(top + plotHeight + 18))\" text-anchor=\"middle\">\(tickText(tick))</text>\n"
    }
    svg += "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(plotWidth))\" height=\"\(number(plotHeight))\" fill=\"none\" stroke=\"#888\"/>\n"
    svg += "<text x=\"\(number(left + plotWidth / 2))\" y=\"\(height - 12)\" text-anchor=\"middle\">\(escapeXML(xLabel))</text>\n"
    svg += "<text transform=\"translate(18 \(number(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeXML(yLabel))</text>\n"
    for (index, line) in series.enumerated() {
        let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
        if points.count > 1 {
            let path = points.map { "\(number(px($0.x))),\(number(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.8\" points=\"\(path)\"/>\n"
        }
        if points.count <= 40 {
            for p in points { svg += "<circle cx=\"\(number(px(p.x)))\" cy=\"\(number(py(p.y)))\" r=\"2.5\" fill=\"\(line.color)\"/>\n" }
        }
        let legendY = top + 16 + Double(index) * 18
        svg += "<line x1=\"\(number(left + plotWidth - 150))\" y1=\"\(number(legendY - 4))\" x2=\"\(number(left + plotWidth - 128))\" y2=\"\(number(legendY - 4))\" stroke=\"\(line.color)\" stroke-width=\"2.5\"/>\n"
        svg += "<text x=\"\(number(left + plotWidth - 122))\" y=\"\(number(legendY))\">\(escapeXML(line.name))</text>\n"
    }
    return svg + "</svg>\n"
}

/// About five round tick values (1, 2 or 5 times a power of ten apart) covering low...high.
func niceTicks(_ low: Double, _ high: Double) -> [Double] {
    let raw = (high - low) / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = floor(low / step) * step, last = ceil(high / step) * step
    return stride(from: first, through: last + step / 2, by: step).map { ($0 / step).rounded() * step }
}

private func tickText(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e7 { return String(Int(value)) }
    return String(format: "%g", value)
}

private func escapeXML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
