// Checker fixture: the exercise indexes out of range, a trap inside the standard library; the
// checker names the exercise's own line.

import XCTest
import ExerciseIndexOutOfRange

final class IndexOutOfRangeTests: XCTestCase {
    func testShortArrayHasNoThirdElement() {
        XCTAssertNil(third([1, 2]))
    }
}
