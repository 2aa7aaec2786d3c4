// What `lab check` prints: one line per exercise, the details a student needs, progress, next step.
//
//     ✓ tensors.dot-product   Dot product                       9/9 passed
//     ✗ tensors.matmul-naive  Matrix multiply with three loops  5/7 passed, 1 failed, 1 crashed
//         ✗ testRectangularMatrices failed at Tests/ExerciseTests/00-tensors/MatmulNaiveTests.swift:31
//             2 of 6 elements differ by more than the tolerance (atol 1e-05)
//             …
//         ✗ testEmptyInner crashed at exercises/00-tensors/MatmulNaive.swift:40: Fatal error: Index out of range
//     ○ tensors.softmax       Numerically stable softmax        not started
//         ○ not implemented yet (every test): start at softmax(_:) in exercises/00-tensors/Softmax.swift:35
//
//     [█████░░░░░░░░░░░░░░░░░░░] 1 of 5 exercises done
//     next: tensors.matmul-naive (Matrix multiply with three loops) in exercises/00-tensors/MatmulNaive.swift
//
// A stub that still returns `todo(…)` gets one line, not one failure per test. So do tests that
// all crashed at the same line with the same message (one explanation, then their names), and
// tests not run because another test of the exercise hung (ExerciseTestRun.swift). Failures are shown
// in full (the assertion message, with the expected/actual table of a numeric check) for the
// first few failing tests of each exercise; `verbose` shows all of them. Every function returns
// text, so tests can read it and the command decides where it goes.
//
// Left out: the live status line while tests run (the command draws it from CheckEvents).

import LabCourse

public struct ConsoleReport: Sendable {
    public var style: TextStyle
    /// Show every failing test in full, not just the first few per exercise.
    public var verbose: Bool
    /// Failing tests shown in full per exercise unless `verbose`.
    public static let failuresShown = 3
    /// Lines of one failure message shown unless `verbose`.
    public static let messageLinesShown = 40

    public init(style: TextStyle = .plain, verbose: Bool = false) {
        self.style = style
        self.verbose = verbose
    }

    // MARK: - Exercises

    /// The exercise's line and, unless it is done, what went wrong.
    public func lines(for result: ExerciseResult, idWidth: Int = 26, titleWidth: Int = 34) -> [String] {
        let summary = result.summary
        let symbol = Self.symbol(summary)
        let tone: Tone = summary == .done ? .success : summary == .notStarted ? .warning : .failure
        let head = style.paint(symbol, tone) + " " + pad(result.exercise.id, idWidth) + "  "
            + pad(result.exercise.title, titleWidth) + "  " + style.paint(counts(result), tone)
        return [trimmed(head)] + details(for: result).map { "    " + $0 }
    }

    /// `9/9 passed`, `2/7 passed, 4 failed, 1 crashed`, `not started`, `does not compile`.
    public func counts(_ result: ExerciseResult) -> String {
        switch result.summary {
        case .notStarted: return "not started"
        case .notCompiled: return "does not compile"
        default:
            var parts = ["\(result.passedCount)/\(result.tests.count) passed"]
            for status in TestStatus.allCases where status != .passed {
                let count = result.tests.filter { $0.status == status }.count
                if count > 0 { parts.append("\(count) \(status.label)") }
            }
            return parts.joined(separator: ", ")
        }
    }

    /// The explanation under an exercise that is not done (indented by the caller).
    public func details(for result: ExerciseResult) -> [String] {
        if result.isDone { return [] }
        if result.summary == .notCompiled, let first = result.tests.first {
            return messageLines(first.message)
        }
        var lines: [String] = []
        let todo = result.tests.filter(\.isNotImplemented)
        if let first = todo.first {
            // "not implemented yet: f() in exercises/…/F.swift:28" → where to start.
            let place = first.message.components(separatedBy: "not implemented yet: ").dropFirst()
                .first?.components(separatedBy: ";").first ?? result.exercise.exercisePath
            let what = todo.count == result.tests.count ? "every test" : "\(todo.count) of \(result.tests.count) tests"
            lines.append(style.paint("○", .warning) + " not implemented yet (\(what)): start at \(place)")
        }
        // Each entry is one test, or several that crashed at the same place with the same message.
        var entries: [[TestResult]] = []
        for test in result.tests where test.status != .passed && test.status != .notRun && !test.isNotImplemented {
            if test.status == .crashed, test.location != nil,
               let group = entries.firstIndex(where: { $0[0].status == .crashed && $0[0].location == test.location
                                                        && $0[0].message == test.message }) {
                entries[group].append(test)
            } else {
                entries.append([test])
            }
        }
        let shown = verbose ? entries : Array(entries.prefix(Self.failuresShown))
        for entry in shown {
            let test = entry[0]
            if entry.count == 1 {
                lines.append(style.paint("✗", .failure) + " " + style.paint(test.name, .strong) + " " + headline(test))
            } else {
                let which = entry.count == result.tests.count ? "every test (\(entry.count))" : "\(entry.count) tests"
                lines.append(style.paint("✗", .failure) + " " + style.paint(which, .strong) + " " + headline(test))
                lines.append("    " + style.paint("tests: ", .muted) + entry.map(\.name).joined(separator: ", "))
            }
            lines.append(contentsOf: messageLines(body(test)).map { "    " + $0 })
        }
        if entries.count > shown.count {
            let rest = entries.dropFirst(shown.count).flatMap { $0 }
            lines.append(style.paint("… \(rest.count) more: ", .muted) + rest.map(\.name).joined(separator: ", ")
                + style.paint(" (add --verbose to see them all)", .muted))
        }
        let notRun = result.tests.filter { $0.status == .notRun }
        if let first = notRun.first {
            // "not run because testX timed out (after 5 s): …" → the reason once, then the names.
            let reason = first.message.components(separatedBy: ":").first ?? first.message
            lines.append(style.paint("○", .warning) + " \(notRun.count) test\(notRun.count == 1 ? "" : "s") "
                + reason + ": " + notRun.map(\.name).joined(separator: ", "))
            lines.append("    " + style.paint("(a hang costs one time limit, not one per test; --all-tests waits for each)",
                                                .muted))
        }
        return lines
    }

    /// `failed at FILE:LINE`, `crashed at FILE:LINE: Fatal error: …`, `timed out after 5 s …`.
    func headline(_ test: TestResult) -> String {
        switch test.status {
        case .failed: return style.paint("failed", .failure) + (test.location.map { " at \($0)" } ?? "")
        case .crashed, .timedOut: return style.paint(firstLine(test.message), .failure)
        case .notCompiled: return style.paint("not compiled", .failure)
        case .notRun: return style.paint("not run", .warning)
        case .passed: return style.paint("passed", .success)
        }
    }

    /// The part of the message not already in the headline.
    func body(_ test: TestResult) -> String {
        switch test.status {
        case .crashed, .timedOut: return test.message.split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst().joined(separator: "\n")
        default: return test.message
        }
    }

    func messageLines(_ message: String) -> [String] {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines != [""] else { return [] }
        if verbose || lines.count <= Self.messageLinesShown { return lines }
        return Array(lines.prefix(Self.messageLinesShown))
            + [style.paint("… \(lines.count - Self.messageLinesShown) more lines (add --verbose)", .muted)]
    }

    static func symbol(_ summary: ExerciseSummary) -> String {
        switch summary {
        case .done: return "✓"
        case .notStarted: return "○"
        default: return "✗"
        }
    }

    // MARK: - Progress and summary

    /// `[█████░░░░░░░░░░░░░░░░░░░] 1 of 5 exercises done`.
    public func progressBar(done: Int, total: Int, width: Int = 24, noun: String = "exercises done") -> String {
        let filled = total == 0 ? 0 : min(width, (done * width + total / 2) / total)
        let bar = style.paint(String(repeating: "█", count: filled), .success)
            + style.paint(String(repeating: "░", count: width - filled), .muted)
        return "[\(bar)] \(done) of \(total) \(noun)"
    }

    /// `tests: 30 passed, 4 failed, 1 crashed · build 3.1 s, tests 1.2 s`.
    public func testSummary(_ report: CheckReport) -> String {
        let parts = TestStatus.allCases.compactMap { status -> String? in
            let count = report.count(status)
            return count == 0 && status != .passed ? nil : "\(count) \(status.label)"
        }
        return "tests: " + parts.joined(separator: ", ")
            + style.paint(" · build \(formatSeconds(rounded(report.buildDuration))), tests \(formatSeconds(rounded(report.testDuration)))", .muted)
    }

    /// The next step: the first exercise of the run that is not done, or a well done.
    public func nextStep(_ report: CheckReport, command: String = "swift run lab") -> [String] {
        guard let next = report.exercises.first(where: { !$0.isDone }) else {
            let count = report.exercises.count
            return [style.paint(count == 1 ? "Done: this exercise passes every test."
                                           : "Done: all \(count) exercises pass every test.", .success)]
        }
        let exercise = next.exercise
        let file = report.mode == .solutions ? exercise.solutionPath : exercise.exercisePath
        return [
            style.paint("next: ", .strong) + "\(exercise.id) (\(exercise.title)) in \(file)",
            style.paint("      check it with `\(command) check \(exercise.id)\(report.mode == .solutions ? " --solutions" : "")`, "
                        + "get a hint with `\(command) hint \(exercise.id)`", .muted),
        ]
    }

    /// The whole report: exercise lines, summary, progress bar and next step.
    public func render(_ report: CheckReport) -> String {
        let idWidth = min(30, (report.exercises.map(\.exercise.id.count).max() ?? 0))
        let titleWidth = min(40, (report.exercises.map(\.exercise.title.count).max() ?? 0))
        var output = report.exercises.flatMap { lines(for: $0, idWidth: idWidth, titleWidth: titleWidth) }
        output.append("")
        output.append(testSummary(report))
        output.append(progressBar(done: report.exercises.filter(\.isDone).count, total: report.exercises.count))
        output.append(contentsOf: nextStep(report))
        return output.joined(separator: "\n")
    }

    // MARK: - Helpers

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func trimmed(_ line: String) -> String {
        String(line.reversed().drop { $0 == " " }.reversed())
    }

    private func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    private func rounded(_ seconds: Double) -> Double { (seconds * 10).rounded() / 10 }
}
