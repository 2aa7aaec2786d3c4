// Fixture solution fixtures.not-started.

/// The answer; nil means "not written yet".
public func answer() -> Int? {
    return 42
}
