// Fixture exercise fixtures.not-close: halves most numbers, but gets one wrong.

/// Every element divided by 2.
public func halves(_ values: [Float]) -> [Float] {
    values.enumerated().map { index, value in index == 2 ? value / 3 : value / 2 }
}
