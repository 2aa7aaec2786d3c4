// Checker fixture: the exercise traps with fatalError; the checker reports the crash and goes on.

import XCTest
import ExerciseFatalError

final class FatalErrorTests: XCTestCase {
    func testGivesTheAnswer() {
        XCTAssertEqual(answerOrStop(), 42)
    }
}
