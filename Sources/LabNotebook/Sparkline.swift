// Sparkline: a series of numbers as one line of block characters, ▁▂▃▄▅▆▇█.
//
// Eight heights between the smallest and the largest value: enough to see a loss curve fall,
// flatten or spike, in one line of a log. Long series are averaged into buckets so the line fits
// a given width. The vertical scale is linear and unlabeled: print the first, last or extreme
// values beside it (`Notebook.sparkline` does).

/// The eight bar heights, lowest first.
public let sparklineBlocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

/// `values` as block characters scaled from their minimum (▁) to their maximum (█).
///
/// With more values than `width`, consecutive values are averaged into `width` buckets of nearly
/// equal size. A constant series prints as ▄ throughout; a non-finite value prints as a space.
///
///     sparkline([1, 2, 3, 4, 5, 6, 7, 8])   // "▁▂▃▄▅▆▇█"
public func sparkline(_ values: [Float], width: Int? = nil) -> String {
    var series = values
    if let width, series.count > width {
        precondition(width > 0, "sparkline: the width must be positive, got \(width)")
        series = (0..<width).map { bucket in
            let start = values.count * bucket / width
            let end = values.count * (bucket + 1) / width
            return values[start..<end].reduce(0, +) / Float(end - start)
        }
    }
    let finite = series.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else { return String(repeating: " ", count: series.count) }
    return String(series.map { value -> Character in
        guard value.isFinite else { return " " }
        if high == low { return sparklineBlocks[3] }
        let level = Int(((value - low) / (high - low) * Float(sparklineBlocks.count)).rounded(.down))
        return sparklineBlocks[min(level, sparklineBlocks.count - 1)]
    })
}
