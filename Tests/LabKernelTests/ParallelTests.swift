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

    // MARK: - The worker pool

    /// Thousands of back-to-back tiny jobs, as a decoder issues them: every item runs exactly
    /// once in every job (a worker arriving late must never run an item of the next job).
    func testManyBackToBackJobsRunEachItemExactlyOnce() {
        Parallel.threadCount = 2
        let jobs = 20_000, items = 7
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: items)
        defer { hits.deallocate() }
        let pointer = SendablePointer(hits.baseAddress!)
        for job in 0..<jobs {
            hits.initialize(repeating: 0)
            Parallel.forEachTask(items) { i in pointer.base[i] += 1 }
            if Array(hits) != [Int](repeating: 1, count: items) {
                XCTFail("job \(job): item counts \(Array(hits)), expected each item once")
                return
            }
        }
    }

    /// With slow items and two threads, a second thread really takes part: in the first job of a
    /// process (the worker starts after the job has opened, and must still join it; run alone,
    /// this test is that first job), and after the workers have gone to sleep (the pool must
    /// wake them).
    func testTwoThreadsShareTheWorkAfterSleeping() {
        Parallel.threadCount = 2
        for round in 0..<2 {
            let threadsSeen = ThreadSet()
            // 160 ms of items: long enough for a worker to be scheduled even while other test
            // processes keep both cores busy (`swift test --parallel`).
            Parallel.forEachTask(16) { _ in
                threadsSeen.insert(Thread.current)
                Thread.sleep(forTimeInterval: 0.01)
            }
            XCTAssertEqual(threadsSeen.count, 2, "round \(round): 16 items of 10 ms ran on \(threadsSeen.count) thread(s)")
            // Longer than the workers spin: the next job has to wake a sleeping worker.
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// A parallel call inside another runs on its calling thread, and still covers every item.
    func testNestedCallsRunEveryItem() {
        Parallel.threadCount = 2
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * 10)
        hits.initialize(repeating: 0)
        defer { hits.deallocate() }
        let pointer = SendablePointer(hits.baseAddress!)
        Parallel.forEachTask(4) { outer in
            Parallel.forEachTask(10) { inner in pointer.base[outer * 10 + inner] += 1 }
        }
        XCTAssertEqual(Array(hits), [Int](repeating: 1, count: 40))
    }

    /// Two threads starting parallel work at once: one gets the pool, the other runs its items
    /// itself; both complete.
    func testConcurrentCallersBothComplete() {
        Parallel.threadCount = 2
        let total = 2 * 200 * 16
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: total)
        hits.initialize(repeating: 0)
        defer { hits.deallocate() }
        let pointer = SendablePointer(hits.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for job in 0..<200 {
                let offset = (caller * 200 + job) * 16
                Parallel.forEachTask(16) { i in pointer.base[offset + i] += 1 }
            }
        }
        XCTAssertEqual(Array(hits), [Int](repeating: 1, count: total))
    }
}

/// The distinct threads that ran some items.
private final class ThreadSet: @unchecked Sendable {
    private let lock = NSLock()
    private var identifiers = Set<ObjectIdentifier>()
    func insert(_ thread: Thread) { lock.lock(); identifiers.insert(ObjectIdentifier(thread)); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return identifiers.count }
}
