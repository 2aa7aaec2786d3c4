// Parallel: chunks must cover every item exactly once, whatever the thread count.

import XCTest
import Foundation
@testable import LabKernel

final class ParallelTests: XCTestCase {
    override func tearDown() { Parallel.threadCount = Parallel.coreCount }

    func testChunksCoverEveryItemExactlyOnce() {
        for threads in [1, 2, 3, 8] {
            Parallel.threadCount = threads
            for count in [1, 2, 7, 100, 1001] {
                let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
                hits.initialize(repeating: 0)
                defer { hits.deallocate() }
                let pointer = SendablePointer(hits.baseAddress!)
                // A high cost per item forces the threaded path even for small counts.
                Parallel.forEachChunk(count, costPerItem: 10_000_000) { range in
                    for i in range { pointer.base[i] += 1 }
                }
                XCTAssertEqual(Array(hits), [Int](repeating: 1, count: count), "threads \(threads), count \(count)")
            }
        }
    }

    func testSmallWorkStaysOnTheCallingThread() {
        Parallel.threadCount = 4
        let calls = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        calls.initialize(to: 0)
        defer { calls.deallocate() }
        let pointer = SendablePointer(calls)
        Parallel.forEachChunk(100, costPerItem: 10) { _ in pointer.base.pointee += 1 }
        XCTAssertEqual(calls.pointee, 1, "1,000 operations in total must run as one chunk")
    }

    func testThreadCountIsClampedToOne() {
        Parallel.threadCount = 0
        XCTAssertEqual(Parallel.threadCount, 1)
        Parallel.threadCount = -5
        XCTAssertEqual(Parallel.threadCount, 1)
    }

    func testThreadCountComesFromTheEnvironmentWhenValid() {
        XCTAssertEqual(ThreadCountSetting.initialValue(environment: ["LAB_THREADS": "3"]), 3)
        XCTAssertEqual(ThreadCountSetting.initialValue(environment: ["LAB_THREADS": "0"]), Parallel.coreCount)
        XCTAssertEqual(ThreadCountSetting.initialValue(environment: ["LAB_THREADS": "many"]), Parallel.coreCount)
        XCTAssertEqual(ThreadCountSetting.initialValue(environment: [:]), Parallel.coreCount)
    }

    func testTasksRunEachIndexOnce() {
        Parallel.threadCount = 2
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 50)
        hits.initialize(repeating: 0)
        defer { hits.deallocate() }
        let pointer = SendablePointer(hits.baseAddress!)
        Parallel.forEachTask(50) { i in pointer.base[i] += 1 }
        XCTAssertEqual(Array(hits), [Int](repeating: 1, count: 50))
    }
}
