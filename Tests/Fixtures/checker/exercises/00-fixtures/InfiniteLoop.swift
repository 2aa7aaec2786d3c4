// Fixture exercise fixtures.infinite-loop: never returns.

/// The number of steps to count down from `n` to 0.
public func stepsToZero(from n: Int) -> Int {
    var value = n
    var steps = 0
    while value != 0 {
        value = value &+ 1   // counts the wrong way: never reaches 0 in practice
        steps = steps &+ 1
    }
    return steps
}
