// Reading XCTest's, the Swift runtime's and the compiler's output. The inputs are lines in the
// formats these tools print on Linux (Swift 6.3), including the noise around the useful lines.

import XCTest
@testable import LabChecker
import LabCourse

final class TestRunOutputTests: XCTestCase {
    private func parse(_ text: String) -> TestRunOutput {
        var output = TestRunOutput()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { output.consume(line) }
        return output
    }

    func testPassingRunCountsTheExecutedTest() {
        let output = parse("""
            Test Suite 'Selected tests' started at 2026-11-29 04:31:49.956
            Test Case 'PassingTests.testAdds' started at 2026-11-29 04:31:49.958
            Test Case 'PassingTests.testAdds' passed (0.001 seconds)
            \t Executed 1 test, with 0 failures (0 unexpected) in 0.001 (0.001) seconds
            """)
        XCTAssertEqual(output.executedCount, 1)
        XCTAssertEqual(output.failures, [])
    }

    func testUnknownTestExecutesNothing() {
        let output = parse("""
            Test Suite 'Selected tests' started at 2026-11-29 04:31:50.032
            \t Executed 0 tests, with 0 failures (0 unexpected) in 0.0 (0.0) seconds
            """)
        XCTAssertEqual(output.executedCount, 0)
    }

    func testMultiLineFailureIsKeptWholeAndXCTFailsPrefixDropped() {
        let output = parse("""
            Test Case 'NotCloseTests.testHalves' started at 2026-11-29 04:31:49.994
            /kit/Tests/ExerciseTests/00-x/NotCloseTests.swift:23: error: NotCloseTests.testHalves : failed - halves: 1 of 4 differ
            largest absolute difference 1.0 at [2]
              ✗  [2]    3.0       2.0
            Test Case 'NotCloseTests.testHalves' failed (0.001 seconds)
            \t Executed 1 test, with 1 failure (0 unexpected) in 0.001 (0.001) seconds
            """)
        XCTAssertEqual(output.failures, [TestRunOutput.Failure(
            file: "/kit/Tests/ExerciseTests/00-x/NotCloseTests.swift", line: 23,
            message: "halves: 1 of 4 differ\nlargest absolute difference 1.0 at [2]\n  ✗  [2]    3.0       2.0")])
    }

    func testSeveralFailuresInOneTestAreAllKept() {
        let output = parse("""
            /k/T.swift:12: error: WrongTests.testA : XCTAssertEqual failed: ("7") is not equal to ("10") - first
            /k/T.swift:13: error: WrongTests.testA : XCTAssertTrue failed - second
            Test Case 'WrongTests.testA' failed (0.001 seconds)
            """)
        XCTAssertEqual(output.failures.map(\.line), [12, 13])
        XCTAssertEqual(output.failures.map(\.message),
                       [#"XCTAssertEqual failed: ("7") is not equal to ("10") - first"#, "XCTAssertTrue failed - second"])
    }

    func testFatalErrorAndBacktraceFramesAreRead() {
        let output = parse("""
            Test Case 'IndexTests.testThird' started at 2026-11-29 04:31:52.125
            Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range
            swift-runtime: failed to suspend thread 6854 while processing a crash; backtraces will be missing information

            *** Signal 4: Backtracing from 0x7ff56856df7f... done ***

            *** Program crashed: Illegal instruction at 0x00007ff56856df7f ***

            Thread 0 "CheckerFixtureP" crashed:

              0               0x00007ff56856df7f closure #1 in _assertionFailure(_:_:file:line:flags:) + 623 in libswiftCore.so
              2 [ra]          0x00007ff568b5ff65 specialized Array.subscript.getter + 84 in libswiftSwiftOnoneSupport.so
              3 [ra]          0x000055720f25f489 third(_:) + 40 in B.xctest at /kit/exercises/00-x/IndexOutOfRange.swift:5:25
              4 [ra] [system] 0x000055720f2605cc implicit closure #1 in IndexTests.testThird() + 75 in B.xctest at //<compiler-generated>
              5 [ra] [thunk]  0x000055720f26073c thunk + 11 in B.xctest at /kit/.build/x/debug/Discovered.derived/ExerciseTests.swift:40:3

            Backtrace took 0.02s
            """)
        XCTAssertEqual(output.fatalError?.location, "Swift/ContiguousArrayBuffer.swift:692")
        XCTAssertEqual(output.fatalError?.message, "Fatal error: Index out of range")
        XCTAssertEqual(output.crashKind, "Illegal instruction")
        XCTAssertEqual(output.frames, [
            TestRunOutput.Frame(function: "third(_:)", file: "/kit/exercises/00-x/IndexOutOfRange.swift", line: 5),
            TestRunOutput.Frame(function: "thunk", file: "/kit/.build/x/debug/Discovered.derived/ExerciseTests.swift", line: 40),
        ], "frames without a source file (libraries, <compiler-generated>) are skipped")
    }

    func testInnermostFrameOfATimeOutProbeMayHaveNoLine() {
        let frame = TestRunOutput.parseFrame(
            "  0               0x000055c42cfad4fe stepsToZero(from:) + 94 in B.xctest at /kit/exercises/00-x/InfiniteLoop.swift")
        XCTAssertEqual(frame, TestRunOutput.Frame(function: "stepsToZero(from:)",
                                                  file: "/kit/exercises/00-x/InfiniteLoop.swift", line: nil))
    }

    func testOrdinaryPrintedLinesAreIgnored() {
        let output = parse("""
            loss 0.25 at step 3: error: none
            0 | not an excerpt
            Fatal errors are rare
            """)
        XCTAssertNil(output.executedCount)
        XCTAssertEqual(output.failures, [])
        XCTAssertNil(output.fatalError)
        XCTAssertEqual(output.frames, [])
    }

    func testFailureMessagesAreBoundedWhateverIsPrinted() {
        var output = TestRunOutput()
        output.consume("/k/T.swift:1: error: A.testB : failed - start")
        for index in 0..<10_000 { output.consume(Substring("continuation \(index)")) }
        XCTAssertEqual(output.failures.first?.message.split(separator: "\n").count, TestRunOutput.maximumLinesPerFailure)
        for index in 0..<100 { output.consume(Substring("/k/T.swift:\(index): error: A.testB : failed - again")) }
        XCTAssertEqual(output.failures.count, TestRunOutput.maximumFailures)
    }
}

final class CompilerDiagnosticTests: XCTestCase {
    func testErrorKeepsItsExcerptAndRepeatsAreDropped() {
        let build = """
            [3/21] Compiling ExerciseBroken Broken.swift
            /kit/exercises/00-x/Broken.swift:5:12: error: cannot convert return expression of type 'String' to return type 'Int'
            3 | /// A number.
            4 | public func number() -> Int {
            5 |     return "seven"
              |            `- error: cannot convert return expression of type 'String' to return type 'Int'
            6 | }
            7 |
            [3/21] Wrapping AST for ExerciseWrongAnswer for debugging
            /kit/exercises/00-x/Broken.swift:5:12: error: cannot convert return expression of type 'String' to return type 'Int'
            3 | /// A number.
            /kit/exercises/00-x/Other.swift:2:9: warning: variable 'x' was never mutated
            error: fatalError
            """
        var collector = CompilerDiagnosticCollector()
        for line in build.split(separator: "\n", omittingEmptySubsequences: false) { collector.consume(line) }
        collector.finish()
        XCTAssertEqual(collector.diagnostics.count, 2, "one compile error (printed twice), no warning, one error without a file")
        let first = collector.diagnostics[0]
        XCTAssertEqual(first.file, "/kit/exercises/00-x/Broken.swift")
        XCTAssertEqual(first.line, 5)
        XCTAssertEqual(first.text.split(separator: "\n").count, 7, "the header and its six excerpt lines")
        XCTAssertTrue(first.text.hasSuffix("7 |"))
        XCTAssertEqual(collector.diagnostics[1], CompilerDiagnostic(file: nil, line: nil, severity: "error", text: "error: fatalError"))
    }

    func testHeaderNeedsAFileLineAndColumn() {
        XCTAssertNil(CompilerDiagnosticCollector.parseHeader("note: something"))
        XCTAssertNil(CompilerDiagnosticCollector.parseHeader("/k/a.swift:12: error: T.test : XCTAssert failed"),
                     "an XCTest failure line has no column")
        XCTAssertEqual(CompilerDiagnosticCollector.parseHeader("/k/a b:c/x.swift:12:3: note: here")?.file, "/k/a b:c/x.swift")
    }
}

final class TestVerdictTests: XCTestCase {
    private let workspace = Workspace(root: URL(fileURLWithPath: "/kit"), course: .kit)
    private var exercise: Exercise { Course.exercise(id: "tensors.softmax")! }

    private func verdict(_ termination: Termination, _ lines: String = "", timeout: Double = 5) -> TestResult {
        var output = TestRunOutput()
        for line in lines.split(separator: "\n") { output.consume(line) }
        let run = SubprocessResult(termination: termination, tail: lines, totalBytes: lines.utf8.count, duration: 0.25)
        return TestVerdict.result(name: "testX", exercise: exercise, run: run, output: output, workspace: workspace,
                                  mode: .exercises, timeout: timeout)
    }

    func testExitZeroWithAnExecutedTestPasses() {
        let result = verdict(.exited(0), "\t Executed 1 test, with 0 failures (0 unexpected) in 0.0 (0.0) seconds")
        XCTAssertEqual(result.status, .passed)
        XCTAssertEqual(result.message, "")
        XCTAssertEqual(result.duration, 0.25)
    }

    func testExitZeroWithoutAnExecutedTestFails() {
        let result = verdict(.exited(0), "\t Executed 0 tests, with 0 failures (0 unexpected) in 0.0 (0.0) seconds")
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.message.contains("did not run"), result.message)
    }

    func testAssertionFailureIsLocatedRelativeToTheKit() {
        let result = verdict(.exited(1), "/kit/Tests/ExerciseTests/00-tensors/SoftmaxTests.swift:20: error: SoftmaxTests.testX : failed - not implemented yet: softmax(_:) in exercises/00-tensors/Softmax.swift:31")
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.location, "Tests/ExerciseTests/00-tensors/SoftmaxTests.swift:20")
        XCTAssertTrue(result.isNotImplemented)
    }

    func testExitOneWithoutAMessageShowsTheLastOutput() {
        let result = verdict(.exited(1), "something odd happened")
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.message.hasSuffix("something odd happened"), result.message)
    }

    func testCrashPrefersTheExercisesFrameOverTheRuntimesLocation() {
        let result = verdict(.signaled(4), """
            LabKernel/Matmul.swift:40: Fatal error: matmul: inner dimensions differ
              1 [ra] 0x0000557e76acc453 gemm() + 98 in B.xctest at /kit/Sources/LabKernel/Math/Matmul.swift:40:5
              2 [ra] 0x0000557e76acc453 softmax(_:) + 98 in B.xctest at /kit/exercises/00-tensors/Softmax.swift:33:12
            """)
        XCTAssertEqual(result.status, .crashed)
        XCTAssertEqual(result.location, "exercises/00-tensors/Softmax.swift:33")
        XCTAssertEqual(result.message,
                       "crashed at exercises/00-tensors/Softmax.swift:33: Fatal error: matmul: inner dimensions differ")
    }

    func testCrashWithoutBacktraceUsesTheRuntimesFileIdOfTheExercise() {
        let result = verdict(.signaled(4), "ExerciseSoftmax/Softmax.swift:31: Fatal error: stop")
        XCTAssertEqual(result.location, "exercises/00-tensors/Softmax.swift:31")
    }

    func testCrashWithNothingPrintedNamesTheSignal() {
        XCTAssertEqual(verdict(.signaled(11)).message, "crashed: stopped by signal 11")
        XCTAssertEqual(verdict(.exited(134)).message, "crashed: the test process exited with status 134")
    }

    func testTimeOutNamesTheFunctionItWasIn() {
        let result = verdict(.timedOut, """
              0  0x000055c42cfad4fe softmax(_:) + 94 in B.xctest at /kit/exercises/00-tensors/Softmax.swift
            """, timeout: 2)
        XCTAssertEqual(result.status, .timedOut)
        XCTAssertEqual(result.location, "exercises/00-tensors/Softmax.swift")
        XCTAssertTrue(result.message.hasPrefix("timed out after 2 s: still running softmax(_:) in exercises/00-tensors/Softmax.swift."),
                      result.message)
    }

    func testSolutionsModeLooksForTheSolutionsFrame() {
        var output = TestRunOutput()
        output.consume("  1 [ra] 0x01 softmax(_:) + 1 in B.xctest at /kit/solutions/00-tensors/Softmax.swift:20:3")
        let run = SubprocessResult(termination: .signaled(4), tail: "", totalBytes: 0, duration: 0)
        let result = TestVerdict.result(name: "testX", exercise: exercise, run: run, output: output, workspace: workspace,
                                        mode: .solutions, timeout: 5)
        XCTAssertEqual(result.location, "solutions/00-tensors/Softmax.swift:20")
    }
}
