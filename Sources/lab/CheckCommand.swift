// `lab check [EXERCISE|LESSON]`: build once, run every selected test in its own process, report.
//
// The student's command, and with `--solutions` the teacher's CI gate. Results stream: each
// exercise's lines appear as soon as its tests are done, under a status line with a progress bar
// (on a terminal). `--format json|junit|gradescope` writes a machine-readable report, to
// `--output FILE` or else to standard output (the human report then goes to standard error).
// The exit status is 0 only when every selected exercise passes every test, 1 otherwise, and
// 130 after Ctrl-C (the running test is stopped first).

import Foundation
import LabChecker
import LabCourse

enum CheckCommand {
    static let usage = """
        usage: lab check [EXERCISE | LESSON] [options]

        Builds the exercises and runs their tests, each test in its own process, so that a crash or
        an endless loop in one exercise never stops the others. EXERCISE is an id such as
        tensors.softmax (or the file name, Softmax); LESSON is a number (0), folder (00-tensors) or
        name (tensors). Without either, every exercise is checked. Only the selected exercises are
        compiled, so checking one takes seconds once `swift build` has built the kit.

        Each test ends as passed, failed (with the assertion's message; numeric checks show expected
        and actual side by side, the largest difference and the tolerance), crashed (with the file
        and line where your code stopped), timed out, or not compiled (with the compiler's errors).
        An exercise's tests run several at once (one per core); once one of them times out, the
        others are not waited for and are reported as not run, naming the test that hung.

        options:
          --solutions         check the reference solutions in solutions/ instead (teachers, CI)
          --timeout SECONDS   time limit per test (default \(formatNumber(CheckOptions.defaultTimeout)))
          --all-tests         after a test times out, still run (and wait for) every other test
          --jobs N            how many tests of an exercise run at once (default: one per core,
                              here \(CheckOptions.defaultParallelTests))
          --format FORMAT     also write a report: json, junit (JUnit XML for CI) or gradescope
                              (Gradescope's results.json)
          --output FILE       where to write that report (default: standard output, and the
                              human-readable report goes to standard error)
          --verbose           show every failing test in full
          --scratch-path DIR  build folder (default: .build, shared with `swift build`, or .build/solutions)
        \(ExerciseCommandContext.optionsHelp)

        Exit status: 0 when every selected exercise passes, 1 otherwise, 130 when interrupted.
        The same build is used by: LAB_EXERCISES=1 swift test --filter ExerciseTests
        """

    enum Format: String, CaseIterable { case json, junit, gradescope }

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "check")
        if arguments.flag("--help", "-h") { return print(usage) }
        let mode: CheckMode = arguments.flag("--solutions") ? .solutions : .exercises
        let verbose = arguments.flag("--verbose")
        let allTests = arguments.flag("--all-tests")
        let timeout = try parseTimeout(&arguments, command: "check")
        let jobs = try arguments.value("--jobs").map { text -> Int in
            guard let jobs = Int(text), jobs > 0 else {
                throw UsageError(message: "--jobs expects a positive whole number, got '\(text)'", command: "check")
            }
            return jobs
        } ?? CheckOptions.defaultParallelTests
        let format = try arguments.value("--format").map { text -> Format in
            guard let format = Format(rawValue: text) else {
                throw UsageError(message: "--format expects json, junit or gradescope, got '\(text)'", command: "check")
            }
            return format
        }
        let output = try arguments.value("--output")
        if output != nil && format == nil {
            throw UsageError(message: "--output needs --format (json, junit or gradescope)", command: "check")
        }
        let scratchPath = try arguments.value("--scratch-path").map { URL(fileURLWithPath: $0, isDirectory: true) }
        // With a report on standard output, people read standard error.
        let humanStream = format != nil && output == nil ? STDERR_FILENO : STDOUT_FILENO
        let context = try ExerciseCommandContext.open(&arguments, colorStream: humanStream)
        let selection = arguments.positional()
        try arguments.finish()

        let exercises: [Exercise]
        do {
            exercises = try context.workspace.course.select(selection)
        } catch let error as CheckerError {
            throw UsageError(message: error.description, command: "check")
        }
        if mode == .solutions,
           !FileManager.default.fileExists(atPath: context.workspace.url("solutions").path) {
            throw ExitStatus(code: 1, description: "this copy of the kit has no solutions/ folder to check")
        }
        let options = CheckOptions(mode: mode, timeout: timeout, scratchPath: scratchPath, waitForEveryTest: allTests,
                                   parallelTests: jobs)
        let checker = Checker(workspace: context.workspace, options: options)
        let report = try runChecker(checker, exercises: exercises, context: context, verbose: verbose,
                                    humanStream: humanStream)

        if mode == .exercises {
            do { try ProgressStore(workspace: context.workspace).record(report) }
            catch { printError("lab check: could not save progress in \(context.workspace.stateDirectory.path): \(error)") }
        }
        if let format {
            let text: String
            switch format {
            case .json: text = JSONReport.render(report)
            case .junit: text = JUnitReport.render(report)
            case .gradescope: text = GradescopeReport.render(report)
            }
            if let output {
                let url = URL(fileURLWithPath: output)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .atomic)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
        guard report.allPassed else {
            let notDone = report.exercises.filter { !$0.isDone }.count
            throw ExitStatus(code: 1, description: "\(notDone) of \(report.exercises.count) exercises do not pass yet")
        }
    }

    /// Runs the checker with live progress and streamed results; returns the report.
    static func runChecker(_ checker: Checker, exercises: [Exercise], context: ExerciseCommandContext,
                           verbose: Bool, humanStream: Int32) throws -> CheckReport {
        Interruption.install()
        let style = context.style
        let console = ConsoleReport(style: style, verbose: verbose)
        let status = StatusLine(enabled: humanStream == STDOUT_FILENO && context.isTerminal)
        func say(_ line: String) {
            status.clear()
            let stream = humanStream == STDERR_FILENO ? FileHandle.standardError : FileHandle.standardOutput
            stream.write(Data((line + "\n").utf8))
        }
        let mode = checker.options.mode
        let folder = mode == .solutions ? "solutions/" : "exercises/"
        say(style.paint("Checking \(exercises.count) exercise\(exercises.count == 1 ? "" : "s") in \(folder)", .strong)
            + style.paint(" (build \(checker.workspace.relativePath(of: checker.scratchPath.path) ?? checker.scratchPath.path), "
                + "time limit \(formatNumber(checker.options.timeout)) s per test)", .muted))
        let idWidth = exercises.map(\.id.count).max() ?? 0
        let titleWidth = exercises.map(\.title.count).max() ?? 0
        var progress = BuildProgress()
        let report: CheckReport
        do {
            report = try checker.run(exercises, onEvent: { event in
                switch event {
                case .buildStarting(let selection, let firstBuild):
                    say(style.paint(BuildProgress.announcement(selection: selection, course: checker.workspace.course,
                                                               firstBuild: firstBuild), .muted))
                case .building(let line):
                    if status.enabled { status.show("building " + line) }
                    else if let line = progress.occasional(line) { say(style.paint(line, .muted)) }
                case .built(let outcome):
                    var text = "built in \(formatNumber((outcome.duration * 10).rounded() / 10)) s"
                    if !outcome.notCompiled.isEmpty {
                        text += "; left out because they do not compile: "
                            + outcome.notCompiled.keys.sorted().joined(separator: ", ")
                    }
                    say(style.paint(text, .muted))
                case .testStarted(let exercise, let test, let index, let total):
                    status.show(console.progressBar(done: index, total: total, width: 20, noun: "tests") + "  \(exercise.id) \(test)")
                case .exerciseFinished(let result):
                    console.lines(for: result, idWidth: idWidth, titleWidth: titleWidth).forEach(say)
                }
            }, isCancelled: { Interruption.requested })
        } catch is CheckInterrupted {
            status.clear()
            throw ExitStatus.interrupted
        } catch let failure as BuildFailure {
            status.clear()
            throw ExitStatus(code: 1, description: failure.description)
        }
        say("")
        say(console.testSummary(report))
        say(console.progressBar(done: report.exercises.filter(\.isDone).count, total: report.exercises.count))
        console.nextStep(report).forEach(say)
        return report
    }
}

/// `5`, `0.5`, `2.5`.
func formatNumber(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value))" : "\(value)"
}
