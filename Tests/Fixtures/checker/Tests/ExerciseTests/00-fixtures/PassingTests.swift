// Checker fixture: both tests pass.

import XCTest
import ExercisePassing

final class PassingTests: XCTestCase {
    func testAddsSmallNumbers() {
        XCTAssertEqual(add(2, 3), 5)
    }

    func testAddsNegativeNumbers() {
        XCTAssertEqual(add(-2, -3), -5)
    }
}
