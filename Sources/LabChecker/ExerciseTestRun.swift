// Running the tests of one exercise: several at once, and no more waiting after the first hang.
//
// Each test still runs alone in its own process (TestBundle.run), but up to `parallel` of them
// run at the same time, one per core, so an exercise's tests take the time of the slowest few.
// A test that times out usually means the student's function never returns, and then every
// other test that calls it would hang too: waiting out each one's limit would cost a minute for
// an exercise with a dozen tests. So once a test of the exercise has timed out, the tests not
// started yet are not run, and those still running are stopped; both are reported as "not run",
// naming the test that hung. `waitForEveryTest` (`lab check --all-tests`) turns this off.
//
// The worker threads share one small locked record (`Board`); the calling thread only waits,
// forwards "started" events, and polls for Ctrl-C, so the caller's closures need not be Sendable.
//
// Left out: stopping at the first crash (a crash takes milliseconds, not a time limit; every
// test still gets its own verdict, and ConsoleReport groups crashes at one line).

import Foundation
import Dispatch

/// How one test of an exercise run ended.
public enum TestRunOutcome: Sendable {
    /// It ran (to its end, a crash or its time limit, or until the user cancelled).
    case ran(SubprocessResult, TestRunOutput)
    /// It was not started, or was stopped unfinished after `hungTest` timed out; `duration` is
    /// how long it had run (0 when it never started).
    case notRun(hungTest: String, duration: Double)
}

public struct ExerciseTestRun: Sendable {
    public let bundle: TestBundle
    /// `Target.Class`, to which `/testName` is appended.
    public let testSpecifierPrefix: String
    public let tests: [String]
    public let timeout: Double
    /// How many tests run at once (at least 1).
    public let parallel: Int
    /// Run every test to its own end or limit, even after one timed out.
    public let waitForEveryTest: Bool

    public init(bundle: TestBundle, testSpecifierPrefix: String, tests: [String], timeout: Double,
                parallel: Int, waitForEveryTest: Bool) {
        self.bundle = bundle
        self.testSpecifierPrefix = testSpecifierPrefix
        self.tests = tests
        self.timeout = timeout
        self.parallel = max(1, parallel)
        self.waitForEveryTest = waitForEveryTest
    }

    /// Runs the tests; returns one outcome per test, in the order of `tests`.
    ///
    /// - Parameters:
    ///   - onStarted: called on the calling thread with a test's index when it has started
    ///     (shortly after, not at the same instant)
    ///   - isCancelled: polled on the calling thread about every 20 ms; when it returns true the
    ///     running tests are stopped (their outcome is `.ran` with termination `.cancelled`)
    public func run(onStarted: (Int) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws -> [TestRunOutcome] {
        let board = Board(count: tests.count, stopAtHang: !waitForEveryTest)
        let group = DispatchGroup()
        let run = self
        for _ in 0..<min(parallel, tests.count) {
            DispatchQueue.global().async(group: group) {
                while let index = board.take() {
                    do {
                        let started = Date()
                        let (result, output) = try run.bundle.run("\(run.testSpecifierPrefix)/\(run.tests[index])",
                                                                  timeout: run.timeout,
                                                                  isCancelled: { board.shouldStop() })
                        board.finish(index, result: result, output: output, name: run.tests[index],
                                     duration: Date().timeIntervalSince(started))
                    } catch {
                        board.fail(error)
                    }
                }
            }
        }
        while group.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            board.takeStarted().forEach(onStarted)
            if isCancelled() { board.cancel() }
        }
        board.takeStarted().forEach(onStarted)
        return try board.outcomes()
    }
}

/// The workers' shared record: which test is next, which have started, how each ended.
private final class Board: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private let stopAtHang: Bool
    private var next = 0
    private var started: [Int] = []
    private var results: [Int: TestRunOutcome] = [:]
    /// The first test that timed out.
    private var hungTest: String?
    private var cancelled = false
    private var error: Error?

    init(count: Int, stopAtHang: Bool) {
        self.count = count
        self.stopAtHang = stopAtHang
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private var stopping: Bool { cancelled || error != nil || (stopAtHang && hungTest != nil) }

    /// The next test to start, or nil when there is none or the run is stopping.
    func take() -> Int? {
        locked {
            guard !stopping, next < count else { return nil }
            next += 1
            started.append(next - 1)
            return next - 1
        }
    }

    /// Whether the running tests must stop now.
    func shouldStop() -> Bool { locked { stopping } }

    func finish(_ index: Int, result: SubprocessResult, output: TestRunOutput, name: String, duration: Double) {
        locked {
            if result.termination == .cancelled, !cancelled, let hungTest {
                results[index] = .notRun(hungTest: hungTest, duration: duration)
                return
            }
            if result.termination == .timedOut && hungTest == nil { hungTest = name }
            results[index] = .ran(result, output)
        }
    }

    func fail(_ error: Error) { locked { if self.error == nil { self.error = error } } }

    func cancel() { locked { cancelled = true } }

    /// The tests started since the last call, in the order they started.
    func takeStarted() -> [Int] {
        locked {
            defer { started.removeAll() }
            return started
        }
    }

    /// Every test's outcome, once the workers are done. A test that never started is not run
    /// because of the hang, or cancelled with the run.
    func outcomes() throws -> [TestRunOutcome] {
        try locked {
            if let error { throw error }
            return (0..<count).map { index in
                if let result = results[index] { return result }
                if let hungTest { return .notRun(hungTest: hungTest, duration: 0) }
                return .ran(SubprocessResult(termination: .cancelled, tail: "", totalBytes: 0, duration: 0), TestRunOutput())
            }
        }
    }
}
