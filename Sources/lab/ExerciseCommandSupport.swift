// What the exercise commands (check, list, hint, watch, reset, solution, verify-course, doctor)
// share: the kit's location, colors, a status line that redraws in place, what a build is doing,
// questions, exit codes.
//
// The checking itself lives in the LabChecker library, where it is tested; these files only read
// options, print, and choose exit statuses.

import Foundation
import LabChecker
import LabCourse
import LabNotebook

/// Ends a command with an exit status other than 0 after it has printed its own explanation:
/// 1 for "not everything passed", 130 after Ctrl-C. The dispatcher returns `code`.
struct ExitStatus: Error, CustomStringConvertible {
    let code: Int32
    let description: String

    static let interrupted = ExitStatus(code: Interruption.exitStatus,
                                        description: "interrupted; no test process is left running")
}

/// The options every exercise command accepts, and what they lead to.
struct ExerciseCommandContext {
    let workspace: Workspace
    let style: TextStyle
    /// Whether standard output is a terminal (status lines and questions need one).
    let isTerminal: Bool

    /// The shared options' help lines.
    static let optionsHelp = """
          --package-path DIR  the kit's folder (default: the nearest folder at or above the current one
                              with Package.swift and exercises/)
          --no-color          no colors (also NO_COLOR=1 or TERM=dumb)
          --help              show this help
        """

    /// Reads `--package-path` and `--no-color` from `arguments` and opens the workspace.
    static func open(_ arguments: inout Arguments, colorStream: Int32 = STDOUT_FILENO) throws -> ExerciseCommandContext {
        let packagePath = try arguments.value("--package-path")
        let noColor = arguments.flag("--no-color")
        let isTerminal = isatty(colorStream) != 0
        let colors = Terminal.colorsEnabled(noColorOption: noColor, isTerminal: isTerminal,
                                            environment: ProcessInfo.processInfo.environment)
        let workspace: Workspace
        do {
            workspace = try Workspace.open(packagePath: packagePath)
        } catch let error as CheckerError {
            throw ExitStatus(code: 1, description: error.description)
        }
        return ExerciseCommandContext(workspace: workspace, style: TextStyle(colors: colors), isTerminal: isTerminal)
    }

    /// The exercise named on the command line, or a usage error listing the ids.
    func exercise(named name: String?, command: String) throws -> Exercise {
        guard let name else {
            throw UsageError(message: "which exercise? e.g. `lab \(command) \(workspace.course.exercises.first?.id ?? "ID")`",
                             command: command)
        }
        guard let exercise = workspace.course.exercise(named: name) else {
            throw UsageError(message: "no exercise '\(name)'. Exercises: "
                + workspace.course.exercises.map(\.id).joined(separator: ", "), command: command)
        }
        return exercise
    }

    /// The exercise a command means when none is named: the first one not done.
    var nextExercise: Exercise? { ProgressListing(workspace: workspace).next }
}

/// Parses `--timeout SECONDS` (a positive number).
func parseTimeout(_ arguments: inout Arguments, command: String) throws -> Double {
    guard let text = try arguments.value("--timeout") else { return CheckOptions.defaultTimeout }
    guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
        throw UsageError(message: "--timeout expects a positive number of seconds, got '\(text)'", command: command)
    }
    return seconds
}

/// One line at the bottom of a terminal that is redrawn in place (progress while checking).
/// Off when the output is not a terminal, so logs get only the final results.
struct StatusLine {
    let enabled: Bool

    func show(_ text: String) {
        guard enabled else { return }
        // Carriage return, clear the line; cut to 100 columns so it never wraps.
        write("\r\u{1B}[2K" + String(text.prefix(100)))
    }

    func clear() {
        guard enabled else { return }
        write("\r\u{1B}[2K")
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// What to say about a build before and while it runs.
struct BuildProgress {
    /// When a progress line was last printed (without a status line, one every 15 s).
    private var lastPrinted = Date()

    /// `building tensors.softmax (module ExerciseSoftmax) and its tests…`, with the time to expect.
    static func announcement(selection: [Exercise]?, course: CourseCatalog, firstBuild: Bool) -> String {
        let what: String
        switch selection {
        case nil: what = "all \(course.exercises.count) exercises and their tests"
        case let exercises? where exercises.count == 1:
            what = "\(exercises[0].id) (module \(exercises[0].moduleName)) and its tests"
        case let exercises?: what = "\(exercises.count) exercises (\(exercises.map(\.id).joined(separator: ", "))) and their tests"
        }
        // Measured on 2 cores shared with other builds: the kit from nothing 2.5–4 minutes; one
        // exercise on top of `swift build` 4–14 s, the whole course about 20 s.
        return firstBuild
            ? "building \(what), and first the kit itself: about 2–4 minutes on 2 cores, once…"
            : "building \(what) (seconds, once the kit is built)…"
    }

    /// The line to print now for a `[done/total] …` line of `swift build`, or nil (too soon).
    mutating func occasional(_ line: String) -> String? {
        guard Date().timeIntervalSince(lastPrinted) >= 15 else { return nil }
        lastPrinted = Date()
        let step = line.prefix { $0 != " " }
        return "still building: step \(step.dropFirst().dropLast()) (\(line.dropFirst(step.count + 1).prefix(60)))"
    }
}

/// Asks a yes/no question on the terminal; false for anything but y/yes, or without a terminal.
func confirm(_ question: String) -> Bool {
    guard isatty(STDIN_FILENO) != 0 else { return false }
    print(question + " [y/N] ", terminator: "")
    fflush(nil)
    guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
    return answer == "y" || answer == "yes"
}
