// BarChart: horizontal bars for comparing a few quantities (times, speeds, counts).
//
// Bars are drawn with eighth blocks (▏▎▍▌▋▊▉█), so a bar's length is exact to 1/8 of a column.
// The longest bar fills the chart's width; the scale starts at zero, so lengths are proportional
// to the values (a bar chart whose axis starts elsewhere misleads). Negative values are not
// supported: there is no sensible zero line for them in one column of text.

/// One bar: a label on the left, a non-negative value setting the length, text after the bar.
public struct Bar: Sendable, Equatable {
    public var label: String
    public var value: Double
    public var text: String

    public init(_ label: String, value: Double, text: String) {
        precondition(value >= 0 && value.isFinite, "Bar '\(label)': the value must be finite and ≥ 0, got \(value)")
        self.label = label
        self.value = value
        self.text = text
    }
}

/// The partial blocks from 1/8 to 8/8 of a column.
let eighthBlocks: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

/// A bar of `length` columns (fractional) in eighth blocks; at least ▏ for any positive length.
public func barText(length: Double) -> String {
    let eighths = Int((length * 8).rounded())
    var text = String(repeating: "█", count: eighths / 8)
    if eighths % 8 > 0 { text.append(eighthBlocks[eighths % 8 - 1]) }
    if text.isEmpty && length > 0 { text = String(eighthBlocks[0]) }
    return text
}

/// The bars as lines: `label  ████▌           text`, labels left-aligned, bars scaled so the
/// largest value spans `width` columns.
public func barChart(_ bars: [Bar], width: Int = 40, style: Style = .plain) -> [String] {
    precondition(width > 0, "barChart: the width must be positive, got \(width)")
    let labelWidth = bars.map { displayWidth($0.label) }.max() ?? 0
    let largest = bars.map(\.value).max() ?? 0
    return bars.map { bar in
        let length = largest > 0 ? bar.value / largest * Double(width) : 0
        let drawn = barText(length: length)
        return padded(bar.label, to: labelWidth) + "  " + style.paint(padded(drawn, to: width), .value) + "  " + bar.text
    }
}
