// Checker fixture: the exercise loops forever; the checker stops it at the deadline.

import XCTest
import ExerciseInfiniteLoop

final class InfiniteLoopTests: XCTestCase {
    func testCountsDownFromThree() {
        XCTAssertEqual(stepsToZero(from: 3), 3)
    }
}
