// Fixture exercise fixtures.not-started: a stub that has not been written yet.

/// The answer; nil means "not written yet".
public func answer() -> Int? {
    return nil
}
