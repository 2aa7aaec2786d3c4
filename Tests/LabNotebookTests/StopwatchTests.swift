// The timing helper: repetitions, warm-up and the median.

import XCTest
@testable import LabNotebook

final class StopwatchTests: XCTestCase {
    func testMedian() {
        XCTAssertEqual(Timing(samples: [3, 1, 2]).median, 2)
        XCTAssertEqual(Timing(samples: [4, 1, 3, 2]).median, 2.5)
        XCTAssertEqual(Timing(samples: [5, 1000, 4]).median, 5, "one slow outlier does not move the median")
        XCTAssertEqual(Timing(samples: [5, 1000, 4]).fastest, 4)
    }

    func testMeasureRunsWarmupPlusRepetitions() {
        var calls = 0
        let timing = Stopwatch.measure(repetitions: 4, warmup: 2) { calls += 1 }
        XCTAssertEqual(calls, 6)
        XCTAssertEqual(timing.samples.count, 4)
        XCTAssertTrue(timing.samples.allSatisfy { $0 >= 0 })
    }

    func testMeasuredTimeCoversTheWork() {
        // Sleeping 2 ms must measure at least 2 ms (sleep never returns early); the upper bound
        // is generous because the test machine is shared.
        let timing = Stopwatch.measure(repetitions: 3, warmup: 0) { usleep(2_000) }
        XCTAssertGreaterThanOrEqual(timing.median, 0.002)
        XCTAssertLessThan(timing.median, 0.5)
    }
}
