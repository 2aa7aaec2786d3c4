// Fixture solution fixtures.index-out-of-range.

/// The third element, or nil when there are fewer than three.
public func third(_ values: [Int]) -> Int? {
    values.count >= 3 ? values[2] : nil
}
