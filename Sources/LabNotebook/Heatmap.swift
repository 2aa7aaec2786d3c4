// Heatmap: a 2-D tensor as a picture, one cell per element.
//
// Each element becomes a cell two columns wide (terminal characters are about twice as tall as
// wide, so two columns make a roughly square cell). With colors, the cell is painted with a
// 24-bit background: a diverging blue-white-red map when the values have both signs (white is
// zero, so the sign is visible at a glance), a sequential dark-to-yellow map otherwise. Without
// colors, five shades of a monochrome ramp (`  ░░▒▒▓▓██`) stand in, so the picture survives in
// logs and golden files. Row labels, column ticks and a legend with the value range make it
// readable on its own. A tensor wider than the terminal is not pooled or cropped: pass a slice.

import LabKernel

/// A heatmap of a `(rows, columns)` tensor, to print with `notebook.heatmap(_:)` or render.
public struct Heatmap: Sendable {
    /// The values, shape (rows, columns).
    public var values: Tensor
    /// A label per row, printed on the left (default: the row index).
    public var rowLabels: [String]
    /// Labels above chosen columns, keyed by column index (default: every 5th index, or every
    /// index for narrow maps). A label starts at its column and may extend to the right.
    public var columnLabels: [Int: String]
    /// The values mapped to the two ends of the scale. Default: symmetric around zero (±max |v|)
    /// for values with both signs, otherwise min...max. Values outside are clamped.
    public var range: ClosedRange<Float>

    public init(_ values: Tensor, rowLabels: [String]? = nil, columnLabels: [Int: String]? = nil,
                range: ClosedRange<Float>? = nil) {
        precondition(values.rank == 2, "Heatmap: needs a 2-D tensor (rows, columns), got shape \(values.shape.shapeDescription)")
        precondition(values.count > 0, "Heatmap: the tensor is empty, shape \(values.shape.shapeDescription)")
        let (rows, columns) = (values.shape[0], values.shape[1])
        precondition(rowLabels == nil || rowLabels!.count == rows,
                     "Heatmap: \(rows) rows but \(rowLabels!.count) row labels")
        self.values = values
        self.rowLabels = rowLabels ?? (0..<rows).map(String.init)
        if let columnLabels {
            self.columnLabels = columnLabels
        } else {
            let step = columns <= 10 ? 1 : 5
            self.columnLabels = Dictionary(uniqueKeysWithValues: stride(from: 0, to: columns, by: step).map { ($0, String($0)) })
        }
        self.range = range ?? Heatmap.defaultRange(values)
    }

    /// Symmetric around zero for values of both signs, min...max otherwise.
    static func defaultRange(_ values: Tensor) -> ClosedRange<Float> {
        let finite = values.scalars.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return 0...1 }
        if low < 0 && high > 0 {
            let extent = max(-low, high)
            return -extent...extent
        }
        return low...high
    }

    /// The monochrome ramp, lowest first: each level is one cell (two columns).
    public static let shades = ["  ", "░░", "▒▒", "▓▓", "██"]

    /// Where `value` falls on the scale, from 0 (lower end) to 1 (upper end).
    func position(_ value: Float) -> Double {
        let width = Double(range.upperBound - range.lowerBound)
        guard width > 0 else { return 0.5 }
        return min(max(Double(value - range.lowerBound) / width, 0), 1)
    }

    /// Whether the scale is centred on zero (then the diverging color map is used).
    var isDiverging: Bool { range.lowerBound < 0 && range.upperBound > 0 }

    /// The cell for a value: a colored background, or a shade of the ramp without colors.
    func cell(_ value: Float, style: Style) -> String {
        guard value.isFinite else { return "??" }
        let t = position(value)
        if style.colors { return style.background("  ", color(at: t)) }
        let level = min(Int(t * Double(Heatmap.shades.count)), Heatmap.shades.count - 1)
        return Heatmap.shades[level]
    }

    /// The color at position `t` of the color map.
    func color(at t: Double) -> RGB {
        let stops: [RGB] = isDiverging
            ? [RGB(33, 102, 172), RGB(146, 197, 222), RGB(247, 247, 247), RGB(244, 165, 130), RGB(178, 24, 43)]
            : [RGB(48, 18, 80), RGB(52, 94, 141), RGB(33, 145, 140), RGB(94, 201, 98), RGB(253, 231, 37)]
        let scaled = t * Double(stops.count - 1)
        let index = min(Int(scaled), stops.count - 2)
        return stops[index].mixed(with: stops[index + 1], scaled - Double(index))
    }

    /// The heatmap as lines: column labels, a frame with labelled rows, and the legend.
    public func render(style: Style = .plain) -> [String] {
        let (rows, columns) = (values.shape[0], values.shape[1])
        let labelWidth = rowLabels.map(displayWidth).max() ?? 0
        let margin = String(repeating: " ", count: labelWidth + 1)
        var lines: [String] = []

        // Column labels: each starts above its column's first character; later labels that would
        // overlap an earlier one are dropped.
        var header = ""
        for column in columnLabels.keys.sorted() where column >= 0 && column < columns {
            let start = 1 + 2 * column
            if displayWidth(header) > start - 1 && !header.isEmpty { continue }
            header = padded(header, to: start) + columnLabels[column]!
        }
        if !header.isEmpty { lines.append(trimmingTrailingSpaces(margin + header)) }

        let border = String(repeating: "─", count: 2 * columns)
        lines.append(margin + style.paint("┌" + border + "┐", .muted))
        for row in 0..<rows {
            var line = padded(rowLabels[row], to: labelWidth, alignment: .right) + " " + style.paint("│", .muted)
            for column in 0..<columns { line += cell(values[row, column], style: style) }
            lines.append(line + style.paint("│", .muted))
        }
        lines.append(margin + style.paint("└" + border + "┘", .muted))
        lines.append(margin + legend(style: style))
        return lines
    }

    /// The scale: lower end, the cells from low to high, upper end.
    func legend(style: Style) -> String {
        let low = formatFixed(range.lowerBound, decimals: 2)
        let high = formatFixed(range.upperBound, decimals: 2)
        let ramp: String
        if style.colors {
            let steps = 10
            ramp = (0..<steps).map { style.background("  ", color(at: Double($0) / Double(steps - 1))) }.joined()
        } else {
            ramp = Heatmap.shades.joined()
        }
        return "scale " + low + " ▕" + ramp + "▏ " + high
    }
}
