// SVGDrawing: what every figure of the notebook shares when it writes SVG.
//
// The figures (LineChartSVG, BarChartSVG, HeatmapSVG, HistogramSVG) are standalone SVG
// documents: no scripts, no external fonts or styles, every text escaped, so they open on their
// own, inside a Jupyter output or inline in an HTML page. Their look is set by presentation
// attributes (a white card, dark text, light grid lines) and each element that should follow a
// dark page carries a class (`figure-bg`, `figure-text`, `figure-grid`, `figure-frame`) that the
// HTML page's stylesheet recolors under `prefers-color-scheme: dark`; CSS wins over presentation
// attributes, and a figure seen alone keeps its light look. Text widths are estimated from the
// character count (no font metrics), which is enough to leave room for labels.

import Foundation

/// Colors for series and bars, in order (a colorblind-friendly set; the first is the main one).
let figurePalette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

/// A coordinate with one decimal: `12.5` (as `%.1f` prints it, without its cost: a heatmap
/// writes thousands).
func svgNumber(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e15 else { return String(format: "%.1f", value) }
    let tenths = Int((abs(value) * 10).rounded(.toNearestOrEven))
    let sign = value < 0 && tenths != 0 ? "-" : ""
    return sign + String(tenths / 10) + "." + String(tenths % 10)
}

/// About how wide `text` is in pixels at `fontSize` (0.6 em per column).
func estimatedTextWidth(_ text: String, fontSize: Double = 12) -> Double {
    Double(displayWidth(text)) * 0.6 * fontSize
}

/// The opening of a figure of `width` × `height` pixels with its background and title.
func svgOpening(width: Int, height: Int, title: String) -> String {
    // A title wider than the figure is squeezed into it rather than cut off at the edges.
    let room = Double(width) - 16
    let squeeze = estimatedTextWidth(title, fontSize: 15) > room ? " textLength=\"\(svgNumber(room))\" lengthAdjust=\"spacingAndGlyphs\"" : ""
    return """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
    font-family="Helvetica, Arial, sans-serif" font-size="12">
    <title>\(escapeMarkup(title))</title>
    <rect class="figure-bg" width="100%" height="100%" fill="white"/>
    <text class="figure-text" x="\(svgNumber(Double(width) / 2))" y="22" text-anchor="middle" font-size="15" fill="#222"\(squeeze)>\(escapeMarkup(title))</text>

    """
}

/// A `<text>` element in the figure's text color.
func svgText(_ text: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil, extra: String = "") -> String {
    let font = size.map { " font-size=\"\(svgNumber($0))\"" } ?? ""
    return "<text class=\"figure-text\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" text-anchor=\"\(anchor)\"\(font) fill=\"#222\"\(extra)>"
        + escapeMarkup(text) + "</text>\n"
}

/// A grid line (light gray).
func svgGridLine(x1: Double, y1: Double, x2: Double, y2: Double) -> String {
    "<line class=\"figure-grid\" x1=\"\(svgNumber(x1))\" y1=\"\(svgNumber(y1))\" x2=\"\(svgNumber(x2))\" y2=\"\(svgNumber(y2))\" stroke=\"#e5e5e5\"/>\n"
}

/// The frame around a plot area.
func svgFrame(x: Double, y: Double, width: Double, height: Double) -> String {
    "<rect class=\"figure-frame\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" fill=\"none\" stroke=\"#888\"/>\n"
}

/// A color as `#rrggbb`.
func svgColor(_ color: RGB) -> String {
    "#" + [color.red, color.green, color.blue].map { hex($0).lowercased() }.joined()
}

/// About five round tick values (1, 2 or 5 times a power of ten apart) covering low...high.
func niceTicks(_ low: Double, _ high: Double) -> [Double] {
    let raw = (high - low) / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = floor(low / step) * step, last = ceil(high / step) * step
    return stride(from: first, through: last + step / 2, by: step).map { ($0 / step).rounded() * step }
}

/// A tick value as short text: `2000`, `0.25`.
func tickText(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e7 { return String(Int(value)) }
    return String(format: "%g", value)
}
