// Fixture solution fixtures.broken.

/// A number.
public func number() -> Int {
    return 7
}
