// Fixture solution fixtures.fatal-error.

/// The answer, which this stub refuses to give.
public func answerOrStop() -> Int {
    42
}
