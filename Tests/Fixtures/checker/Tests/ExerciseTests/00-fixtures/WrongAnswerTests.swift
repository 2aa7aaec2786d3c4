// Checker fixture: one test passes by luck (2 + 2 = 2 · 2), the other fails an XCTAssertEqual.

import XCTest
import ExerciseWrongAnswer

final class WrongAnswerTests: XCTestCase {
    func testDoublesTwo() {
        XCTAssertEqual(double(2), 4)
    }

    func testDoublesFive() {
        XCTAssertEqual(double(5), 10, "double(5) should be 10")
    }
}
