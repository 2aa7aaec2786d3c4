// Fixture exercise fixtures.index-out-of-range: reads past the end of an array.

/// The third element, or nil when there are fewer than three.
public func third(_ values: [Int]) -> Int? {
    let element = values[2]
    return element
}
