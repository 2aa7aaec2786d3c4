// Checker fixture: an unfinished stub fails with "not implemented yet", like the kit's todo().

import XCTest
import ExerciseNotStarted

final class NotStartedTests: XCTestCase {
    func testGivesTheAnswer() {
        guard let value = answer() else {
            return XCTFail("not implemented yet: answer() in exercises/00-fixtures/NotStarted.swift:5")
        }
        XCTAssertEqual(value, 42)
    }
}
