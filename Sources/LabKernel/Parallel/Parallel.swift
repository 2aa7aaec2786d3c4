// Parallel: the kit's one door to multiple cores.
//
// Every threaded kernel (matmul, attention, elementwise work on large tensors) splits its work
// into ranges of independent rows and hands them to `Parallel.forEachChunk`. One setting,
// `Parallel.threadCount`, controls how many cores are used (default: all). Work too small to pay
// for the hand-off runs on the calling thread, so threading never makes small problems slower.
//
// The work runs on the calling thread plus persistent pool threads (WorkerPool.swift), which stay
// awake between jobs: a decoder issues thousands of small jobs per second, and waking a thread
// for each (as `DispatchQueue.concurrentPerform` does) cost more than the jobs themselves.
// A parallel call made from inside another runs on its calling thread.
//
// Swift 6 forbids capturing raw pointers in a `@Sendable` closure; kernels wrap them in
// `SendablePointer` and promise, by construction, that each chunk writes only its own rows.

import Foundation

public enum Parallel {
    private static let setting = ThreadCountSetting()

    /// How many threads the kernel uses; defaults to the environment variable `LAB_THREADS` when
    /// it holds a positive number, else to the number of active cores. Set it to 1 for
    /// single-threaded measurements. Values below 1 are clamped to 1.
    public static var threadCount: Int {
        get { setting.value }
        set { setting.value = max(1, newValue) }
    }

    /// The number of cores the operating system reports as active.
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs `body` over `0..<count` split into contiguous chunks, on up to `threadCount` threads.
    ///
    /// - Parameters:
    ///   - count: the number of independent items (rows, heads, ...).
    ///   - costPerItem: a rough cost of one item in floating-point operations; work below about
    ///     16,000 operations per thread (a few microseconds) stays on the calling thread. Handing
    ///     work to a spinning pool thread costs about one microsecond; measured on decoding
    ///     stories15M with 2 threads, attention split from 16,000 operations per thread on was 5%
    ///     faster than from 64,000.
    ///   - body: called once per chunk with its range; chunks never overlap.
    public static func forEachChunk(_ count: Int, costPerItem: Int = 1_000_000,
                                    _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let minimumWork = 16_000
        let worthwhile = max(1, (count * max(costPerItem, 1)) / minimumWork)
        let threads = min(threadCount, count, worthwhile)
        if threads <= 1 {
            body(0..<count)
            return
        }
        // A few chunks per thread balance uneven progress without much overhead.
        let chunks = min(count, threads * 4)
        run(chunks, threads: threads) { chunk in
            let start = count * chunk / chunks
            let end = count * (chunk + 1) / chunks
            if start < end { body(start..<end) }
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, one task each, on up to `threadCount` threads.
    /// Use it when the items are few and large (e.g. one column panel of a matmul each).
    public static func forEachTask(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let threads = min(threadCount, count)
        if threads <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        run(count, threads: threads, body)
    }

    /// Runs items `0..<count` on the calling thread and `threads - 1` pool threads, or on the
    /// calling thread alone when the pool is already busy (a parallel call inside another).
    private static func run(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        if !WorkerPool.shared.run(count, helpers: threads - 1, body) {
            for i in 0..<count { body(i) }
        }
    }
}

/// A raw pointer that may cross into `Parallel` chunks. The caller guarantees that concurrent
/// chunks write disjoint elements and that the memory outlives the parallel call.
public struct SendablePointer<Pointee>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Pointee>
    public init(_ base: UnsafeMutablePointer<Pointee>) { self.base = base }
}

/// A read-only raw pointer that may cross into `Parallel` chunks.
public struct SendableConstPointer<Pointee>: @unchecked Sendable {
    public let base: UnsafePointer<Pointee>
    public init(_ base: UnsafePointer<Pointee>) { self.base = base }
}

/// The thread-count setting behind a lock, so any thread may read or change it.
final class ThreadCountSetting: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ThreadCountSetting.initialValue(environment: ProcessInfo.processInfo.environment)

    /// `LAB_THREADS` when it is a positive whole number, else every active core.
    static func initialValue(environment: [String: String]) -> Int {
        if let text = environment["LAB_THREADS"], let threads = Int(text), threads > 0 { return threads }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
    var value: Int {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
