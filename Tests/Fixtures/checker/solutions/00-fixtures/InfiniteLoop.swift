// Fixture solution fixtures.infinite-loop.

/// The number of steps to count down from `n` to 0.
public func stepsToZero(from n: Int) -> Int {
    var value = n
    var steps = 0
    while value > 0 {
        value -= 1
        steps += 1
    }
    return steps
}
