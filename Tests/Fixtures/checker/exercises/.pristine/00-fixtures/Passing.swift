// Fixture exercise fixtures.passing: correct code, so every test passes.

/// The sum of two integers.
public func add(_ a: Int, _ b: Int) -> Int {
    a + b
}
