// Fixture exercise fixtures.fatal-error: stops the process with fatalError.

/// The answer, which this stub refuses to give.
public func answerOrStop() -> Int {
    fatalError("the fixture stops here on purpose")
}
