// Fixture solution fixtures.not-close.

/// Every element divided by 2.
public func halves(_ values: [Float]) -> [Float] {
    values.map { $0 / 2 }
}
