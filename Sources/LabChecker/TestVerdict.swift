// Turning how a test process ended, and what it printed, into one of the verdicts.
//
//     exit 0, "Executed 1 test"        passed
//     exit 0, "Executed 0 tests"       failed: the test did not run (wrong name in the bundle)
//     exit 1                           failed: the assertion messages
//     a signal, or another exit code   crashed at FILE:LINE: Fatal error: …
//     killed at the time limit         timed out after N s, while running f() in FILE
//
// For a crash or a time-out the location is the innermost backtrace frame in the exercise's own
// file (the student's line, even when the trap fired inside the standard library), else the
// innermost frame in any other file of the package (a test file), else the location the runtime
// printed with "Fatal error".
//
// Tests that did not run because another test of the exercise hung get "not run" from the
// checker (ExerciseTestRun.swift), with `notRunMessage`; tests of an exercise that does not
// compile get "not compiled" (Checker.swift).
//
// Left out: cancelled runs, which the checker reports as an interruption, not as a verdict.

import Foundation
import LabCourse

public enum TestVerdict {
    /// The result of the test `name` of `exercise` from its process's end and output.
    public static func result(name: String, exercise: Exercise, run: SubprocessResult, output: TestRunOutput,
                              workspace: Workspace, mode: CheckMode, timeout: Double) -> TestResult {
        var result = TestResult(name: name, testClass: exercise.testClass, status: .passed, duration: run.duration)
        let source = workspace.sourcePath(of: exercise, mode: mode)
        switch run.termination {
        case .exited(0) where (output.executedCount ?? 0) > 0:
            return result
        case .exited(0):
            result.status = .failed
            result.message = "the test did not run: the test bundle has no test \(exercise.testClass)/\(name)"
        case .exited(1) where !output.failures.isEmpty:
            result.status = .failed
            let first = output.failures[0]
            result.location = "\(workspace.relativePath(of: first.file) ?? first.file):\(first.line)"
            result.message = output.failures.enumerated().map { index, failure in
                index == 0 ? failure.message
                    : "also at \(workspace.relativePath(of: failure.file) ?? failure.file):\(failure.line): \(failure.message)"
            }.joined(separator: "\n")
        case .exited(1):
            result.status = .failed
            result.message = "the test failed without an assertion message; its last output was:\n"
                + lastLines(run.tail, 20)
        case .timedOut:
            result.status = .timedOut
            result.message = "timed out after \(formatSeconds(timeout)): still running"
            if let frame = preferredFrame(output.frames, source: source, workspace: workspace) {
                let place = workspace.relativePath(of: frame.file) ?? frame.file
                result.location = frame.line.map { "\(place):\($0)" } ?? place
                result.message += " \(frame.function) in \(result.location!)"
            }
            result.message += ". An endless loop, or much slower than needed? (the limit is --timeout seconds)"
        case .exited(let status), .signaled(let status):
            let signaled: Bool
            if case .signaled = run.termination { signaled = true } else { signaled = false }
            result.status = .crashed
            if let frame = preferredFrame(output.frames, source: source, workspace: workspace), let line = frame.line {
                result.location = "\(workspace.relativePath(of: frame.file) ?? frame.file):\(line)"
            } else if let printed = output.fatalError?.location {
                result.location = sourceLocation(fromRuntime: printed, exercise: exercise, source: source) ?? printed
            }
            let what = output.fatalError?.message ?? output.crashKind
                ?? (signaled ? "stopped by signal \(status)" : "the test process exited with status \(status)")
            result.message = "crashed" + (result.location.map { " at \($0)" } ?? "") + ": " + what
        case .cancelled:
            result.status = .failed
            result.message = "interrupted"
        }
        return result
    }

    /// Why a test was not run: `hungTest` timed out first (see ExerciseTestRun.swift).
    public static func notRunMessage(hungTest: String, timeout: Double) -> String {
        "not run because \(hungTest) timed out (after \(formatSeconds(timeout))): this test would most likely "
            + "hang in the same place and cost another time limit. Fix the hang first, or pass --all-tests "
            + "to wait for every test"
    }

    /// The innermost frame in the exercise's file, else in any source file of the package.
    static func preferredFrame(_ frames: [TestRunOutput.Frame], source: String,
                               workspace: Workspace) -> TestRunOutput.Frame? {
        frames.first { workspace.relativePath(of: $0.file) == source }
            ?? frames.first { frame in
                guard let relative = workspace.relativePath(of: frame.file) else { return false }
                return !relative.hasPrefix(".build/") && !relative.contains("/.build/")
            }
    }

    /// `ExerciseSoftmax/Softmax.swift:31` (the runtime's `#fileID` form) → the exercise's path and line.
    static func sourceLocation(fromRuntime location: String, exercise: Exercise, source: String) -> String? {
        guard location.hasPrefix(exercise.moduleName + "/"), let colon = location.lastIndex(of: ":") else { return nil }
        return source + location[colon...]
    }

    static func lastLines(_ text: String, _ count: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}

/// `5 s`, `0.5 s`, `2.25 s`.
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%g s", seconds)
}
