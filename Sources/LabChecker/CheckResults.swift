// What a check found: one result per test, grouped by exercise, for a whole run.
//
// These plain values are what every output is made from: the terminal report, `.lab/state.json`,
// and the JSON, JUnit and Gradescope files. Every test ends in exactly one of six states.
//
// Left out: skipped tests (no exercise suite uses XCTSkip; a skipped test exits 0 and counts as
// passed).

import Foundation
import LabCourse

/// How one test ended.
public enum TestStatus: String, Sendable, Codable, CaseIterable {
    /// Every assertion held.
    case passed
    /// An assertion failed (including "not implemented yet").
    case failed
    /// The process stopped on a trap or signal: fatalError, an index out of range, overflow, ….
    case crashed
    /// Still running at the time limit; stopped by the checker.
    case timedOut = "timed-out"
    /// The exercise (or its tests) did not compile, so the test could not run.
    case notCompiled = "not-compiled"
    /// Not run (or stopped unfinished) because another test of the same exercise timed out: one
    /// endless loop costs one time limit, not one per test. The message names the test that hung.
    case notRun = "not-run"

    /// Words for people: "timed out", "not compiled".
    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }
}

/// The result of one test of one exercise.
public struct TestResult: Sendable, Codable, Equatable {
    /// The test method, e.g. `testEmptyVectorsGiveZero`.
    public var name: String
    /// The XCTest class, e.g. `DotProductTests`.
    public var testClass: String
    public var status: TestStatus
    /// What went wrong, as the student should read it: the assertion messages (with the numeric
    /// report for closeness checks), "crashed at FILE:LINE: message", "timed out after 5 s", or
    /// the compiler's errors, "not run: testX timed out …". Empty when the test passed.
    public var message: String
    /// Where it went wrong, `path:line` relative to the package root, when known.
    public var location: String?
    /// Seconds the test process ran.
    public var duration: Double

    public init(name: String, testClass: String, status: TestStatus, message: String = "",
                location: String? = nil, duration: Double = 0) {
        self.name = name
        self.testClass = testClass
        self.status = status
        self.message = message
        self.location = location
        self.duration = duration
    }

    /// True when the failure is only that the stub still returns `todo(…)`.
    public var isNotImplemented: Bool {
        status == .failed && message.hasPrefix("not implemented yet")
    }
}

/// All results for one exercise.
public struct ExerciseResult: Sendable {
    public var exercise: Exercise
    /// One entry per test, in the order XCTest lists them.
    public var tests: [TestResult]
    /// The compiler's errors, when the exercise did not compile.
    public var compilerErrors: [CompilerDiagnostic]

    public init(exercise: Exercise, tests: [TestResult], compilerErrors: [CompilerDiagnostic] = []) {
        self.exercise = exercise
        self.tests = tests
        self.compilerErrors = compilerErrors
    }

    public var passedCount: Int { tests.filter { $0.status == .passed }.count }

    /// Done: at least one test, and every test passed.
    public var isDone: Bool { !tests.isEmpty && passedCount == tests.count }

    /// The one word for the exercise in lists: the worst status among its tests, with "not
    /// started" when every failure is a "not implemented yet". (The checker gives an exercise
    /// without tests one failed pseudo-test, so it is "failing", never "done".)
    public var summary: ExerciseSummary {
        if isDone { return .done }
        let statuses = Set(tests.map(\.status))
        if statuses.contains(.notCompiled) { return .notCompiled }
        if statuses.contains(.crashed) { return .crashed }
        if statuses.contains(.timedOut) { return .timedOut }
        if !tests.isEmpty && tests.allSatisfy(\.isNotImplemented) { return .notStarted }
        return .failing
    }
}

/// An exercise's state in one word, for lists and the progress file.
public enum ExerciseSummary: String, Sendable, Codable {
    case done
    case failing
    case notStarted = "not-started"
    case notCompiled = "not-compiled"
    case crashed
    case timedOut = "timed-out"

    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }
}

/// A whole run of `lab check`.
public struct CheckReport: Sendable {
    public var mode: CheckMode
    public var exercises: [ExerciseResult]
    /// When the run started.
    public var started: Date
    /// Seconds spent building and running tests.
    public var buildDuration: Double
    public var testDuration: Double

    public init(mode: CheckMode, exercises: [ExerciseResult], started: Date = Date(),
                buildDuration: Double = 0, testDuration: Double = 0) {
        self.mode = mode
        self.exercises = exercises
        self.started = started
        self.buildDuration = buildDuration
        self.testDuration = testDuration
    }

    public var allTests: [TestResult] { exercises.flatMap(\.tests) }

    /// How many tests ended in each status.
    public func count(_ status: TestStatus) -> Int { allTests.filter { $0.status == status }.count }

    /// True when every selected exercise is done: the exit status of `lab check` is 0 only then.
    public var allPassed: Bool { !exercises.isEmpty && exercises.allSatisfy(\.isDone) }
}
