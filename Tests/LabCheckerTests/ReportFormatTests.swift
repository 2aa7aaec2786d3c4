// The machine-readable outputs (JUnit, Gradescope, JSON) and the terminal report, from a report
// built by hand with every verdict and with text that needs escaping.

import Foundation
import XCTest
@testable import LabChecker
import LabCourse

/// A report over the kit's five lesson-00 exercises with every verdict:
/// done, failing (with a crash), timed out (with a test not run because of it), not compiled, not started.
func sampleReport() -> CheckReport {
    let exercises = Course.exercises(inLesson: 0)
    func test(_ exercise: Exercise, _ name: String, _ status: TestStatus, _ message: String = "",
              _ location: String? = nil) -> TestResult {
        TestResult(name: name, testClass: exercise.testClass, status: status, message: message, location: location,
                   duration: 0.015)
    }
    let (dot, matmul, softmax, relu, backward) = (exercises[0], exercises[1], exercises[2], exercises[3], exercises[4])
    return CheckReport(mode: .exercises, exercises: [
        ExerciseResult(exercise: dot, tests: [test(dot, "testA", .passed), test(dot, "testB", .passed),
                                              test(dot, "testC", .passed)]),
        ExerciseResult(exercise: matmul, tests: [
            test(matmul, "testSquare", .passed),
            test(matmul, "testRectangular", .failed,
                 "2 of 6 elements differ by more than the tolerance (atol 1e-05)\n"
                    + "largest absolute difference 0.5 at [1, 0] (actual 4.5, expected 4.0)\n"
                    + "  ✗  [1, 0]  4.0  4.5  0.5 <&> \"quoted\" 'single'\u{1B}[31m",
                 "Tests/ExerciseTests/00-tensors/MatmulNaiveTests.swift:31"),
            test(matmul, "testEmpty", .crashed, "crashed at exercises/00-tensors/MatmulNaive.swift:40: Fatal error: Index out of range",
                 "exercises/00-tensors/MatmulNaive.swift:40"),
        ]),
        ExerciseResult(exercise: softmax, tests: [
            test(softmax, "testThree", .passed),
            test(softmax, "testLarge", .timedOut, "timed out after 5 s: still running softmax(_:) in exercises/00-tensors/Softmax.swift."),
            test(softmax, "testHuge", .notRun, TestVerdict.notRunMessage(hungTest: "testLarge", timeout: 5)),
        ]),
        ExerciseResult(exercise: relu, tests: [
            test(relu, "testA", .notCompiled, "exercises/00-tensors/ReLUBackward.swift does not compile. The compiler says:\n"
                 + "/kit/exercises/00-tensors/ReLUBackward.swift:20:5: error: cannot find 'x' in scope"),
            test(relu, "testB", .notCompiled, "exercises/00-tensors/ReLUBackward.swift does not compile. The compiler says:\n"
                 + "/kit/exercises/00-tensors/ReLUBackward.swift:20:5: error: cannot find 'x' in scope"),
        ]),
        ExerciseResult(exercise: backward, tests: [
            test(backward, "testA", .failed, "not implemented yet: matmulBackward(_:) in exercises/00-tensors/MatmulBackward.swift:30"),
            test(backward, "testB", .failed, "not implemented yet: matmulBackward(_:) in exercises/00-tensors/MatmulBackward.swift:30"),
        ]),
    ], buildDuration: 3.04, testDuration: 0.2)
}

final class ReportFormatTests: XCTestCase {
    func testJUnitAndGradescopeAreCompleteForEveryVerdict() throws {
        try assertReportsDescribeEveryTest(sampleReport())
    }

    func testJUnitEscapesMarkupAndDropsTerminalCodes() {
        let xml = JUnitReport.render(sampleReport())
        XCTAssertFalse(xml.contains("\u{1B}"), "escape characters are not allowed in XML 1.0")
        XCTAssertTrue(xml.contains("&lt;&amp;&gt; \"quoted\" 'single'"), "text content escapes <, & and >")
        XCTAssertEqual(JUnitReport.attribute("a\"b'c\nd<e>&\t"), "a&quot;b&apos;c&#10;d&lt;e&gt;&amp;&#9;")
    }

    func testGradescopeSharesAddUpExactly() {
        XCTAssertEqual(GradescopeReport.shares(points: 1, count: 3), [0.3333, 0.3334, 0.3333])
        XCTAssertEqual(GradescopeReport.shares(points: 2, count: 4), [0.5, 0.5, 0.5, 0.5])
        XCTAssertEqual(GradescopeReport.shares(points: 5, count: 0), [])
        for count in 1...13 {
            let units = GradescopeReport.shares(points: 3, count: count).map { Int(($0 * 10_000).rounded()) }
            XCTAssertEqual(units.reduce(0, +), 30_000, "shares of 3 points over \(count) tests")
        }
    }

    func testGradescopeScoreCountsPassedShares() throws {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(GradescopeReport.render(sampleReport()).utf8))
                                 as? [String: Any])
        // dot-product: 1 point, all 3 pass; matmul-naive: 1/3 of a point; softmax: 1/3; the rest 0.
        XCTAssertEqual(root["score"] as? Double ?? -1, 1 + 0.3333 + 0.3333, accuracy: 1e-9)
        XCTAssertEqual(root["stdout_visibility"] as? String, "hidden", "build output is for the teacher")
        XCTAssertTrue((root["output"] as? String)?.contains("5 of 13 tests passed; 1 of 5 exercises done") == true,
                      "\(root["output"] ?? "")")
    }

    func testJSONReportHasEveryExerciseAndCount() throws {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONReport.render(sampleReport()).utf8))
                                 as? [String: Any])
        XCTAssertEqual(root["passed"] as? Bool, false)
        XCTAssertEqual(root["counts"] as? [String: Int],
                       ["passed": 5, "failed": 3, "crashed": 1, "timed-out": 1, "not-compiled": 2, "not-run": 1])
        let exercises = try XCTUnwrap(root["exercises"] as? [[String: Any]])
        XCTAssertEqual(exercises.compactMap { $0["status"] as? String },
                       ["done", "crashed", "timed-out", "not-compiled", "not-started"])
        let firstTest = try XCTUnwrap((exercises[0]["tests"] as? [[String: Any]])?.first)
        XCTAssertTrue(firstTest.keys.contains("location"), "a missing location is written as null")
        XCTAssertEqual(root["build_seconds"] as? Double, 3.04)
    }
}

final class ConsoleReportTests: XCTestCase {
    private let console = ConsoleReport()

    func testEveryExerciseGetsOneHeadLineWithItsCounts() {
        let text = console.render(sampleReport())
        let heads = text.split(separator: "\n").filter { $0.hasPrefix("✓") || $0.hasPrefix("✗") || $0.hasPrefix("○") }
        XCTAssertEqual(heads.count, 5, text)
        XCTAssertTrue(heads[0].hasPrefix("✓ tensors.dot-product") && heads[0].hasSuffix("3/3 passed"), String(heads[0]))
        XCTAssertTrue(heads[1].hasSuffix("1/3 passed, 1 failed, 1 crashed"), String(heads[1]))
        XCTAssertTrue(heads[3].hasSuffix("does not compile"), String(heads[3]))
        XCTAssertTrue(heads[4].hasPrefix("○ tensors.matmul-backward") && heads[4].hasSuffix("not started"), String(heads[4]))
        // The titles start in one column.
        let titleColumns = zip(heads, Course.exercises(inLesson: 0)).map { line, exercise in
            line.range(of: exercise.title).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
        }
        XCTAssertEqual(Set(titleColumns).count, 1, "title columns: \(titleColumns)")
        XCTAssertNotNil(titleColumns.first ?? nil)
    }

    func testFailureDetailsShowTheMessageAndTheCrashLocation() {
        let lines = console.lines(for: sampleReport().exercises[1])
        XCTAssertTrue(lines.contains("    ✗ testRectangular failed at Tests/ExerciseTests/00-tensors/MatmulNaiveTests.swift:31"),
                      lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("        largest absolute difference 0.5 at [1, 0] (actual 4.5, expected 4.0)"),
                      "the numeric report is indented under its test")
        XCTAssertTrue(lines.contains(
            "    ✗ testEmpty crashed at exercises/00-tensors/MatmulNaive.swift:40: Fatal error: Index out of range"))
    }

    func testNotStartedExerciseIsOneLineNotOnePerTest() {
        let lines = console.lines(for: sampleReport().exercises[4])
        XCTAssertEqual(lines.count, 2, lines.joined(separator: "\n"))
        XCTAssertEqual(lines[1], "    ○ not implemented yet (every test): start at "
                       + "matmulBackward(_:) in exercises/00-tensors/MatmulBackward.swift:30")
    }

    func testTestsNotRunAfterAHangShareOneLineNamingTheHungTest() {
        let lines = console.lines(for: sampleReport().exercises[2])
        XCTAssertTrue(lines[0].hasSuffix("1/3 passed, 1 timed out, 1 not run"), lines[0])
        XCTAssertTrue(lines.contains("    ✗ testLarge timed out after 5 s: still running softmax(_:) in exercises/00-tensors/Softmax.swift."),
                      lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("    ○ 1 test not run because testLarge timed out (after 5 s): testHuge"),
                      lines.joined(separator: "\n"))
        XCTAssertFalse(lines.contains { $0.contains("✗ testHuge") }, "a test not run is not shown as a failure")
    }

    func testCrashesAtTheSameLineAreExplainedOnceThenListed() {
        let exercise = Course.exercises[0]
        func crash(_ name: String, at line: Int) -> TestResult {
            TestResult(name: name, testClass: "T", status: .crashed,
                       message: "crashed at exercises/00-tensors/DotProduct.swift:\(line): Fatal error: Index out of range",
                       location: "exercises/00-tensors/DotProduct.swift:\(line)")
        }
        let every = console.lines(for: ExerciseResult(exercise: exercise, tests: [crash("testA", at: 9), crash("testB", at: 9),
                                                                                  crash("testC", at: 9)]))
        XCTAssertEqual(every.count, 3, every.joined(separator: "\n"))
        XCTAssertEqual(every[1], "    ✗ every test (3) crashed at exercises/00-tensors/DotProduct.swift:9: Fatal error: Index out of range")
        XCTAssertEqual(every[2], "        tests: testA, testB, testC")
        let some = console.lines(for: ExerciseResult(exercise: exercise, tests: [crash("testA", at: 9), crash("testB", at: 12),
                                                                                 crash("testC", at: 9)]))
        XCTAssertTrue(some.contains("    ✗ 2 tests crashed at exercises/00-tensors/DotProduct.swift:9: Fatal error: Index out of range"),
                      some.joined(separator: "\n"))
        XCTAssertTrue(some.contains("    ✗ testB crashed at exercises/00-tensors/DotProduct.swift:12: Fatal error: Index out of range"),
                      some.joined(separator: "\n"))
    }

    func testCompileErrorsAreShownOnceForTheExercise() {
        let lines = console.lines(for: sampleReport().exercises[3])
        XCTAssertEqual(lines.filter { $0.contains("cannot find 'x' in scope") }.count, 1, lines.joined(separator: "\n"))
    }

    func testOnlyTheFirstFailuresAreShownUnlessVerbose() {
        let exercise = Course.exercises[0]
        let tests = (0..<5).map { TestResult(name: "test\($0)", testClass: "T", status: .failed, message: "wrong \($0)") }
        let result = ExerciseResult(exercise: exercise, tests: tests)
        let short = console.lines(for: result)
        XCTAssertEqual(short.filter { $0.contains("✗ test") }.count, ConsoleReport.failuresShown)
        XCTAssertTrue(short.last?.contains("… 2 more: test3, test4") == true, short.joined(separator: "\n"))
        let long = ConsoleReport(verbose: true).lines(for: result)
        XCTAssertEqual(long.filter { $0.contains("✗ test") }.count, 5)
    }

    func testLongMessagesAreCut() {
        let message = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let result = ExerciseResult(exercise: Course.exercises[0],
                                    tests: [TestResult(name: "testLong", testClass: "T", status: .failed, message: message)])
        let lines = console.lines(for: result)
        XCTAssertEqual(lines.count, 1 + 1 + ConsoleReport.messageLinesShown + 1)
        XCTAssertTrue(lines.last?.contains("60 more lines") == true, lines.last ?? "")
    }

    func testProgressBarIsProportional() {
        XCTAssertEqual(console.progressBar(done: 0, total: 4, width: 8), "[░░░░░░░░] 0 of 4 exercises done")
        XCTAssertEqual(console.progressBar(done: 1, total: 4, width: 8), "[██░░░░░░] 1 of 4 exercises done")
        XCTAssertEqual(console.progressBar(done: 4, total: 4, width: 8), "[████████] 4 of 4 exercises done")
        XCTAssertEqual(console.progressBar(done: 0, total: 0, width: 4), "[░░░░] 0 of 0 exercises done")
    }

    func testNextStepIsTheFirstExerciseNotDone() {
        let lines = console.nextStep(sampleReport())
        XCTAssertTrue(lines[0].hasPrefix("next: tensors.matmul-naive (Matrix multiply with three loops) in exercises/00-tensors/MatmulNaive.swift"),
                      lines[0])
        var done = sampleReport()
        done.exercises = [done.exercises[0]]
        XCTAssertEqual(console.nextStep(done), ["Done: this exercise passes every test."])
    }

    func testColorsAreOnlyAddedWhenAsked() {
        var report = sampleReport()
        report.exercises.remove(at: 1)   // its message carries an escape code of its own
        let plain = console.render(report)
        XCTAssertFalse(plain.contains("\u{1B}"))
        let colored = ConsoleReport(style: TextStyle(colors: true)).render(report)
        XCTAssertTrue(colored.contains("\u{1B}[32m✓\u{1B}[0m"))
        XCTAssertEqual(colored.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression), plain,
                       "the text reads the same without colors")
    }
}
