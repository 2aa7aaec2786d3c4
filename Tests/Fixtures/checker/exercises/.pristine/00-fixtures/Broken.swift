// Fixture exercise fixtures.broken: does not compile.

/// A number.
public func number() -> Int {
    return "seven"
}
