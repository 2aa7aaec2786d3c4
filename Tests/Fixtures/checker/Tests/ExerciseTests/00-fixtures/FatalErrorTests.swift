// Checker fixture: the exercise traps with fatalError; the checker reports the crash and goes on.
// Both tests stop at the same line, which the report says once.

import XCTest
import ExerciseFatalError

final class FatalErrorTests: XCTestCase {
    func testGivesTheAnswer() {
        XCTAssertEqual(answerOrStop(), 42)
    }

    func testGivesAnEvenAnswer() {
        XCTAssertEqual(answerOrStop() % 2, 0)
    }
}
