// Checker fixture: the exercise loops forever; the checker stops it at the deadline. Every test
// calls the looping function, so after the first time-out the others are reported as not run.

import XCTest
import ExerciseInfiniteLoop

final class InfiniteLoopTests: XCTestCase {
    func testCountsDownFromThree() {
        XCTAssertEqual(stepsToZero(from: 3), 3)
    }

    func testCountsDownFromOne() {
        XCTAssertEqual(stepsToZero(from: 1), 1)
    }

    func testCountsDownFromTen() {
        XCTAssertEqual(stepsToZero(from: 10), 10)
    }

    func testCountsDownFromAHundred() {
        XCTAssertEqual(stepsToZero(from: 100), 100)
    }
}
