// Checker fixture: the exercise does not compile, so these tests cannot run.

import XCTest
import ExerciseBroken

final class BrokenTests: XCTestCase {
    func testReturnsSeven() {
        XCTAssertEqual(number(), 7)
    }

    func testIsPositive() {
        XCTAssertGreaterThan(number(), 0)
    }
}
