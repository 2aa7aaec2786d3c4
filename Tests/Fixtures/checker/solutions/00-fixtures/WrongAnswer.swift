// Fixture solution fixtures.wrong-answer.

/// Twice `x`.
public func double(_ x: Int) -> Int {
    x * 2
}
