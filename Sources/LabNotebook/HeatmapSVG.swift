// Heatmaps as SVG, for the notebook's exports (see Heatmap.swift for the terminal picture and
// SVGDrawing.swift for what all figures share).
//
// One square per element in the heatmap's own color map (diverging blue-white-red around zero,
// or sequential), row labels on the left, the heatmap's column labels above their columns, and a
// color bar on the right with the two ends of the scale. Cells shrink for large maps so the
// figure stays under about 720 pixels wide; labels that would collide are thinned out.

import Foundation
import LabKernel

/// An SVG document drawing `heatmap` with `title` above it.
public func heatmapSVG(_ heatmap: Heatmap, title: String) -> String {
    let (rows, columns) = (heatmap.values.shape[0], heatmap.values.shape[1])
    let labelWidth = (heatmap.rowLabels.map { estimatedTextWidth($0, fontSize: 11) }.max() ?? 0) + 8
    let barSpace = 90.0
    let cell = max(6, min(26, (720 - 12 - labelWidth - barSpace) / Double(columns)))
    let (left, top) = (12 + labelWidth, 62.0)
    let plotWidth = cell * Double(columns), plotHeight = cell * Double(rows)
    // Wide enough for the title too (up to 720 px; a longer title is squeezed to fit).
    let width = Int(max(left + plotWidth + barSpace, min(720, estimatedTextWidth(title, fontSize: 15) + 24)).rounded(.up))
    let height = Int((top + max(plotHeight, 120) + 20).rounded(.up))

    var svg = svgOpening(width: width, height: height, title: title)
    // Column labels above their columns; a label is dropped when it would overlap the previous one.
    var lastEnd = -Double.infinity
    for column in heatmap.columnLabels.keys.sorted() where column >= 0 && column < columns {
        let text = heatmap.columnLabels[column]!
        let x = left + cell * (Double(column) + 0.5)
        let half = estimatedTextWidth(text, fontSize: 11) / 2
        guard x - half > lastEnd + 2 else { continue }
        lastEnd = x + half
        svg += svgText(text, x: x, y: top - 8, anchor: "middle", size: 11)
    }
    let rowStep = max(1, Int((13 / cell).rounded(.up)))  // keep row labels at least 13 px apart
    svg += "<g shape-rendering=\"crispEdges\">\n"  // no seams between neighbouring cells
    for row in 0..<rows {
        if row % rowStep == 0 {
            svg += svgText(heatmap.rowLabels[row], x: left - 6, y: top + cell * (Double(row) + 0.5) + 4, anchor: "end", size: 11)
        }
        for column in 0..<columns {
            let value = heatmap.values[row, column]
            let fill = value.isFinite ? svgColor(heatmap.color(at: heatmap.position(value))) : "#888888"
            svg += "<rect x=\"\(svgNumber(left + cell * Double(column)))\" y=\"\(svgNumber(top + cell * Double(row)))\" "
                + "width=\"\(svgNumber(cell))\" height=\"\(svgNumber(cell))\" fill=\"\(fill)\"><title>"
                + escapeMarkup("\(heatmap.rowLabels[row]), \(column): \((value.isFinite ? formatFixed(value, decimals: 3) : "not finite"))") + "</title></rect>\n"
        }
    }
    svg += "</g>\n" + svgFrame(x: left, y: top, width: plotWidth, height: plotHeight)

    // The color bar: ten steps from the low end (bottom) to the high end (top).
    let barX = left + plotWidth + 16, barHeight = max(plotHeight, 120), steps = 10
    for step in 0..<steps {
        let t = Double(step) / Double(steps - 1)
        let y = top + barHeight * (1 - Double(step + 1) / Double(steps))
        svg += "<rect x=\"\(svgNumber(barX))\" y=\"\(svgNumber(y))\" width=\"14\" height=\"\(svgNumber(barHeight / Double(steps) + 0.5))\" fill=\"\(svgColor(heatmap.color(at: t)))\"/>\n"
    }
    svg += svgFrame(x: barX, y: top, width: 14, height: barHeight)
    svg += svgText(formatFixed(heatmap.range.upperBound, decimals: 2), x: barX + 20, y: top + 10, size: 11)
    svg += svgText(formatFixed(heatmap.range.lowerBound, decimals: 2), x: barX + 20, y: top + barHeight, size: 11)
    return svg + "</svg>\n"
}
