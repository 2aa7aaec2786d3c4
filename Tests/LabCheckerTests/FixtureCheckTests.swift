// The checker against a real package whose exercises misbehave in every way a student's can.
//
// Tests/Fixtures/checker is a tiny package with the kit's layout (no LabKernel, so it builds in
// seconds). Its exercises pass, fail an assertion, fail a numeric check with a multi-line report,
// call fatalError, index out of range, loop forever, print megabytes, do not compile, or are not
// started; its solutions all pass. Each mode is built and checked once per test run (a static
// let), into `.build/checker-fixture/` under the kit, so later runs rebuild nothing. The tests
// then read the one report: every test's verdict, that the run went on after each misbehaviour,
// that a hang cost one time limit (the hanging exercise's other tests not run), that no test
// process outlived it, and that it finished in bounded time. One more check builds and runs the
// looping exercise alone, waiting for every test (`--all-tests`).

import Foundation
import XCTest
import LabChecker
import LabCourse
import LabTestSupport

/// The fixture package and one check of it per mode, shared by the fixture tests.
enum CheckerFixture {
    static let root = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/checker", isDirectory: true)
    static let scratchRoot = RepositoryPaths.root.appendingPathComponent(".build/checker-fixture", isDirectory: true)
    /// Five seconds: the fixture's tests take milliseconds and only the endless loop should reach
    /// it, but two at a time on a busy 2-core machine (CI beside other builds) the 40,000-line test
    /// once took more than 2 s.
    static let timeout: Double = 5
    /// Tests of an exercise run two at a time, whatever the machine, so the counts are the same.
    static let parallelTests = 2

    static func workspace() throws -> Workspace {
        try Workspace.open(packagePath: root.path)
    }

    /// The check of the fixture's exercises (or solutions), with its wall-clock time, and
    /// whether every file under exercises/ was left exactly as it was.
    static func options(_ mode: CheckMode, waitForEveryTest: Bool = false) -> CheckOptions {
        CheckOptions(mode: mode, timeout: timeout, scratchPath: scratchRoot.appendingPathComponent(mode.rawValue),
                     waitForEveryTest: waitForEveryTest, parallelTests: parallelTests)
    }

    static func check(_ mode: CheckMode) -> Result<(report: CheckReport, seconds: Double, exercisesUnchanged: Bool), Error> {
        Result {
            _ = testProcessMark  // before the check starts its processes: they inherit it
            let workspace = try workspace()
            let before = try snapshot(root.appendingPathComponent("exercises"))
            let start = Date()
            let report = try Checker(workspace: workspace, options: options(mode)).run(workspace.course.exercises)
            let seconds = Date().timeIntervalSince(start)
            return (report, seconds, try snapshot(root.appendingPathComponent("exercises")) == before)
        }
    }

    /// The looping exercise checked alone with `--all-tests`, and the tests its build put in the
    /// bundle (listed right after, before another check builds something else there).
    static let loopAloneRun = Result { () throws -> (report: CheckReport, bundleTests: [String]) in
        _ = testProcessMark
        let fixture = try CheckerFixture.workspace()
        guard let loop = fixture.course.exercise(named: "fixtures.infinite-loop") else {
            throw CheckerError("the fixture has no exercise fixtures.infinite-loop")
        }
        let checker = Checker(workspace: fixture, options: options(.exercises, waitForEveryTest: true))
        let report = try checker.run([loop])
        let step = checker.buildStep(for: [loop])
        let bundle = try TestBundle.locate(scratchPath: checker.scratchPath, environment: step.environment(excluding: []))
        return (report, try bundle.listTests(swiftTestArguments: Array(step.buildArguments.dropFirst(2))))
    }

    /// Every file below `folder` (hidden ones too) with its contents and modification date.
    static func snapshot(_ folder: URL) throws -> [String: [String]] {
        var files: [String: [String]] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey])
        while let url = enumerator?.nextObject() as? URL {
            let values = try url.resourceValues(forKeys: [.contentModificationDateKey, .isDirectoryKey])
            guard values.isDirectory != true else { continue }
            files[url.path] = [try String(contentsOf: url, encoding: .utf8), "\(values.contentModificationDate ?? .distantPast)"]
        }
        return files
    }

    static let exercisesRun = check(.exercises)
    static let solutionsRun = check(.solutions)
}

final class FixtureCheckTests: XCTestCase {
    private func exercisesReport() throws -> CheckReport { try CheckerFixture.exercisesRun.get().report }

    private func result(_ id: String, _ test: String, file: StaticString = #filePath, line: UInt = #line) throws -> TestResult {
        let report = try exercisesReport()
        let exercise = try XCTUnwrap(report.exercises.first { $0.exercise.id == id }, "no result for \(id)",
                                     file: file, line: line)
        return try XCTUnwrap(exercise.tests.first { $0.name == test }, "no result for \(id)/\(test)", file: file, line: line)
    }

    func testEveryFixtureTestGetsTheExpectedVerdictOnce() throws {
        let expected: [String: TestStatus] = [
            "fixtures.passing/testAddsSmallNumbers": .passed,
            "fixtures.passing/testAddsNegativeNumbers": .passed,
            "fixtures.wrong-answer/testDoublesTwo": .passed,
            "fixtures.wrong-answer/testDoublesFive": .failed,
            "fixtures.not-close/testHalvesFourNumbers": .failed,
            "fixtures.fatal-error/testGivesTheAnswer": .crashed,
            "fixtures.fatal-error/testGivesAnEvenAnswer": .crashed,
            "fixtures.index-out-of-range/testShortArrayHasNoThirdElement": .crashed,
            "fixtures.chatty/testPrintsFortyThousandLines": .failed,
            "fixtures.chatty/testPrintsNothingForZeroLines": .passed,
            "fixtures.broken/testReturnsSeven": .notCompiled,
            "fixtures.broken/testIsPositive": .notCompiled,
            "fixtures.not-started/testGivesTheAnswer": .failed,
        ]
        let report = try exercisesReport()
        var actual: [String: TestStatus] = [:]
        // The looping exercise's verdicts depend on which of its running tests times out first
        // (see testAHangCostsOneTimeLimitAndTheOtherTestsAreNotRun).
        for exercise in report.exercises where exercise.exercise.id != "fixtures.infinite-loop" {
            for test in exercise.tests {
                let key = "\(exercise.exercise.id)/\(test.name)"
                XCTAssertNil(actual[key], "\(key) is reported twice")
                actual[key] = test.status
            }
        }
        XCTAssertEqual(actual, expected, "every fixture test, each once, with its verdict")
        XCTAssertEqual(report.exercises.map(\.exercise.id), try CheckerFixture.workspace().course.exercises.map(\.id),
                       "every exercise is reported, in course order, although earlier ones crashed or hung")
        XCTAssertFalse(report.allPassed, "lab check must exit non-zero for this run")
    }

    func testTestsAreListedInTheOrderTheyAreWritten() throws {
        let report = try exercisesReport()
        let passing = try XCTUnwrap(report.exercises.first { $0.exercise.id == "fixtures.passing" })
        XCTAssertEqual(passing.tests.map(\.name), ["testAddsSmallNumbers", "testAddsNegativeNumbers"],
                       "source order, not XCTest's alphabetical listing")
    }

    func testAssertionFailureShowsXCTestsMessageAndTheTestLine() throws {
        let test = try result("fixtures.wrong-answer", "testDoublesFive")
        XCTAssertTrue(test.message.contains(#"("7") is not equal to ("10")"#), test.message)
        XCTAssertTrue(test.message.contains("double(5) should be 10"), test.message)
        XCTAssertEqual(test.location, "Tests/ExerciseTests/00-fixtures/WrongAnswerTests.swift:12")
    }

    func testNumericFailureKeepsEveryLineOfItsReportInOrder() throws {
        let test = try result("fixtures.not-close", "testHalvesFourNumbers")
        let lines = test.message.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 7, "the headline, the largest difference, the table header and 4 rows:\n\(test.message)")
        XCTAssertTrue(lines.first?.hasPrefix("halves([2, 4, 6, 8]): 1 of 4 elements differ") == true, test.message)
        XCTAssertTrue(lines.contains { $0.contains("largest absolute difference 1.0 at [2]") }, test.message)
        let rows = lines.filter { $0.contains("[0]") || $0.contains("[1]") || $0.contains("[2]    3.0") || $0.contains("[3]") }
        XCTAssertEqual(rows.count, 4, "all four table rows survive:\n\(test.message)")
        XCTAssertTrue(lines.contains { $0.contains("✗") && $0.contains("[2]") }, "the wrong row keeps its marker")
    }

    func testFatalErrorIsACrashAtTheExercisesLineWithItsMessage() throws {
        let test = try result("fixtures.fatal-error", "testGivesTheAnswer")
        XCTAssertEqual(test.location, "exercises/00-fixtures/FatalError.swift:5")
        XCTAssertEqual(test.message, "crashed at exercises/00-fixtures/FatalError.swift:5: Fatal error: the fixture stops here on purpose")
    }

    func testIndexOutOfRangeNamesTheStudentsLineNotTheStandardLibrarys() throws {
        let test = try result("fixtures.index-out-of-range", "testShortArrayHasNoThirdElement")
        XCTAssertEqual(test.location, "exercises/00-fixtures/IndexOutOfRange.swift:5",
                       "the trap fires in the standard library; the backtrace finds the exercise's line")
        XCTAssertTrue(test.message.hasSuffix("Fatal error: Index out of range"), test.message)
    }

    func testEndlessLoopTimesOutAndSaysWhereItWasStuck() throws {
        let loop = try XCTUnwrap(try exercisesReport().exercises.first { $0.exercise.id == "fixtures.infinite-loop" })
        let test = try XCTUnwrap(loop.tests.first { $0.status == .timedOut }, "a test of the loop timed out")
        XCTAssertTrue(test.message.hasPrefix("timed out after \(Int(CheckerFixture.timeout)) s"), test.message)
        #if os(Linux)
        XCTAssertTrue(test.message.contains("stepsToZero(from:) in exercises/00-fixtures/InfiniteLoop.swift"), test.message)
        #endif
        // The deadline plus the probe's grace and the kill's grace, with room for a busy machine.
        XCTAssertLessThan(test.duration, CheckerFixture.timeout + 5, "the loop was stopped soon after the deadline")
    }

    func testAHangCostsOneTimeLimitAndTheOtherTestsAreNotRun() throws {
        let loop = try XCTUnwrap(try exercisesReport().exercises.first { $0.exercise.id == "fixtures.infinite-loop" })
        XCTAssertEqual(loop.tests.map(\.name), ["testCountsDownFromThree", "testCountsDownFromOne", "testCountsDownFromTen",
                                                "testCountsDownFromAHundred"], "every test is listed, in source order")
        let timedOut = loop.tests.filter { $0.status == .timedOut }.map(\.name)
        let notRun = loop.tests.filter { $0.status == .notRun }
        XCTAssertEqual(timedOut.count + notRun.count, 4, "each test timed out or was not run: \(loop.tests)")
        // Only the tests already running when the first one timed out ran at all.
        XCTAssertTrue((1...CheckerFixture.parallelTests).contains(timedOut.count), "timed out: \(timedOut)")
        for test in notRun {
            XCTAssertTrue(timedOut.contains { test.message.hasPrefix("not run because \($0) timed out (after \(Int(CheckerFixture.timeout)) s)") },
                          "a test not run names the test that hung: \(test.message)")
            XCTAssertTrue(test.message.contains("--all-tests"), test.message)
        }
        let lines = ConsoleReport().lines(for: loop)
        XCTAssertEqual(lines.filter { $0.contains("not run because") }.count, 1,
                       "the tests not run share one line:\n\(lines.joined(separator: "\n"))")
    }

    func testAllTestsWaitsForEveryHangingTestAndBuildsOnlyThatExercise() throws {
        let run = try CheckerFixture.loopAloneRun.get()
        XCTAssertEqual(run.report.exercises.map { $0.exercise.id }, ["fixtures.infinite-loop"])
        XCTAssertEqual(run.report.allTests.map { $0.status }, Array(repeating: TestStatus.timedOut, count: 4),
                       "with --all-tests every test runs to its own limit")
        XCTAssertEqual(Set(run.bundleTests.map { String($0.prefix { $0 != "/" }) }), ["ExerciseTests.InfiniteLoopTests"],
                       "LAB_ONLY: the bundle holds the checked exercise's tests only: \(run.bundleTests)")
        #if os(Linux)
        XCTAssertEqual(runningProcesses(containing: "CheckerFixturePackageTests.xctest"), [],
                       "processes of the fixture's test bundle are still running")
        #endif
    }

    func testCrashesAtOneLineAreExplainedOnce() throws {
        let fatal = try XCTUnwrap(try exercisesReport().exercises.first { $0.exercise.id == "fixtures.fatal-error" })
        let lines = ConsoleReport().details(for: fatal)
        XCTAssertEqual(lines.filter { $0.contains("crashed at exercises/00-fixtures/FatalError.swift:5") }.count, 1,
                       lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("every test (2)") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("testGivesTheAnswer, testGivesAnEvenAnswer") }, lines.joined(separator: "\n"))
    }

    func testMegabytesOfOutputDoNotHideTheFailure() throws {
        let test = try result("fixtures.chatty", "testPrintsFortyThousandLines")
        XCTAssertTrue(test.message.contains(#"("39999") is not equal to ("40000")"#), test.message)
        XCTAssertFalse(test.message.contains("xxxxxxxxxx"), "the printed lines are not part of the failure message")
    }

    func testCompileErrorsAreTheCompilersOwnAndTheOthersStillRan() throws {
        let test = try result("fixtures.broken", "testReturnsSeven")
        XCTAssertTrue(test.message.contains("exercises/00-fixtures/Broken.swift does not compile"), test.message)
        XCTAssertTrue(test.message.contains("Broken.swift:5:12: error: cannot convert return expression of type 'String' to return type 'Int'"),
                      test.message)
        XCTAssertTrue(test.message.contains(#"5 |     return "seven""#), "the compiler's source excerpt is kept:\n\(test.message)")
        XCTAssertEqual(test.location, "exercises/00-fixtures/Broken.swift:5")
        // The exercise after the broken one ran.
        XCTAssertEqual(try result("fixtures.not-started", "testGivesTheAnswer").status, .failed)
    }

    func testUnfinishedStubIsNotImplementedAndSummarizedAsNotStarted() throws {
        let test = try result("fixtures.not-started", "testGivesTheAnswer")
        XCTAssertTrue(test.isNotImplemented, test.message)
        let report = try exercisesReport()
        XCTAssertEqual(report.exercises.first { $0.exercise.id == "fixtures.not-started" }?.summary, .notStarted)
        XCTAssertEqual(report.exercises.first { $0.exercise.id == "fixtures.wrong-answer" }?.summary, .failing)
        XCTAssertEqual(report.exercises.first { $0.exercise.id == "fixtures.broken" }?.summary, .notCompiled)
        XCTAssertEqual(report.exercises.first { $0.exercise.id == "fixtures.passing" }?.summary, .done)
    }

    func testNoTestProcessOutlivesTheRun() throws {
        _ = try exercisesReport()
        #if os(Linux)
        // The check handed its processes this process's environment, mark included.
        XCTAssertEqual("LAB_TEST_PROCESS_MARK=" + (ProcessInfo.processInfo.environment["LAB_TEST_PROCESS_MARK"] ?? ""),
                       testProcessMark)
        XCTAssertEqual(runningProcesses(containing: "CheckerFixturePackageTests.xctest"), [],
                       "processes of the fixture's test bundle are still running")
        #endif
    }

    func testTheWholeRunFinishesInBoundedTime() throws {
        let run = try CheckerFixture.exercisesRun.get()
        // 17 tests at ~30 ms, one 5 s time-out with its probe, three crashes with backtraces (~0.1 s
        // each), builds; a busy 2-core machine may need several times that.
        XCTAssertLessThan(run.report.testDuration, 30, "running the tests took \(run.report.testDuration) s")
        XCTAssertLessThan(run.seconds, 240, "building and checking the fixture took \(run.seconds) s")
    }

    func testNothingUnderExercisesIsWritten() throws {
        XCTAssertTrue(try CheckerFixture.exercisesRun.get().exercisesUnchanged,
                      "checking the student's files must not change any of them")
        XCTAssertTrue(try CheckerFixture.solutionsRun.get().exercisesUnchanged)
    }

    func testJUnitAndGradescopeDescribeEveryOutcomeOfTheRun() throws {
        try assertReportsDescribeEveryTest(try exercisesReport())
        try assertReportsDescribeEveryTest(try CheckerFixture.solutionsRun.get().report)
    }

    func testVerifierFlagsEveryStubThatDoesNotFailGracefully() throws {
        let verifier = CourseVerifier(workspace: try CheckerFixture.workspace())
        let findings = verifier.stubFindings(try exercisesReport())
        let failing = findings.filter { !$0.passed }.map { String($0.message.prefix { $0 != ":" }) }
        // Only the not-started stub fails the way a pristine stub should.
        XCTAssertEqual(failing, ["fixtures.passing", "fixtures.wrong-answer", "fixtures.not-close", "fixtures.fatal-error",
                                 "fixtures.index-out-of-range", "fixtures.infinite-loop", "fixtures.chatty", "fixtures.broken"])
        XCTAssertTrue(findings.first { $0.message.hasPrefix("fixtures.passing") }?.message.contains("pass against the stub") == true)
        XCTAssertTrue(findings.first { $0.message.hasPrefix("fixtures.fatal-error") }?.message.contains("crashed") == true)
        let solutions = verifier.solutionFindings(try CheckerFixture.solutionsRun.get().report)
        XCTAssertEqual(solutions.filter { !$0.passed }.map(\.message), [], "every fixture solution passes")
        XCTAssertEqual(solutions.count, 9)
    }

    func testEverySolutionPasses() throws {
        let report = try CheckerFixture.solutionsRun.get().report
        let failing = report.allTests.filter { $0.status != .passed }.map { "\($0.testClass)/\($0.name): \($0.message)" }
        XCTAssertEqual(failing, [], "the fixture's solutions must pass every test")
        XCTAssertEqual(report.allTests.count, 17, "all 17 fixture tests ran against the solutions")
        XCTAssertTrue(report.allPassed)
    }
}

/// The ids of live (not zombie) processes started by this test process (they carry
/// `testProcessMark`) whose command line contains `text` (Linux: /proc).
func runningProcesses(containing text: String) -> [String] {
    #if os(Linux)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { entry in
        guard Int(entry) != nil,
              let commandLine = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(entry)/cmdline")),
              let environment = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(entry)/environ")),
              let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && String(decoding: commandLine, as: UTF8.self).contains(text)
            && environment.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == testProcessMark }
    }
    #else
    return []
    #endif
}

/// A variable set in this test process's environment, which every process it starts inherits,
/// so that `runningProcesses` sees this test process's children only, not those of another test
/// process checking the same fixture at the same time (`swift test --parallel`). Read it before
/// starting the processes to look for.
let testProcessMark: String = {
    let value = "\(getpid())-\(UUID().uuidString)"
    setenv("LAB_TEST_PROCESS_MARK", value, 1)
    return "LAB_TEST_PROCESS_MARK=\(value)"
}()
