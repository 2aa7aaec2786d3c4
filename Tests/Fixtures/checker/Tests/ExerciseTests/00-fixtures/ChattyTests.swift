// Checker fixture: megabytes of output before the assertion; the checker still finds the failure
// message and keeps its own memory use small.

import XCTest
import ExerciseChatty

final class ChattyTests: XCTestCase {
    func testPrintsFortyThousandLines() {
        XCTAssertEqual(chatter(lines: 40_000), 40_000, "chatter should count the lines it printed")
    }

    func testPrintsNothingForZeroLines() {
        XCTAssertEqual(chatter(lines: 0) + 1, 1)
    }
}
