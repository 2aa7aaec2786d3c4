// `lab watch [EXERCISE]`: check the current exercise every time its file is saved.
//
// The loop waits for either a key or a save: keys arrive one at a time (the terminal's line
// editing and echo are off while watching, and restored on every way out, Ctrl-C included), and
// saves are noticed by polling the file (FileWatcher), which works on every file system.
// `--manual` turns the polling off for setups where it misbehaves: press Enter (or r) to check.
// When standard input is not a terminal, keys are read from it line by line, so the loop can be
// driven by a script.

import Foundation
import LabChecker
import LabCourse
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum WatchCommand {
    static let usage = """
        usage: lab watch [EXERCISE] [options]

        Checks one exercise (EXERCISE, or else the first one not done) and checks it again every
        time you save its file. Keys:
          n  next exercise      h  hint      l  list of exercises
          r  check now (also Enter)          q  quit (also Ctrl-C)

        options:
          --manual            do not watch the file; check only when you press r or Enter
                              (for file systems where saves are not noticed)
          --timeout SECONDS   time limit per test (default \(formatNumber(CheckOptions.defaultTimeout)))
          --all-tests         after a test times out, still run (and wait for) every other test
        \(ExerciseCommandContext.optionsHelp)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "watch")
        if arguments.flag("--help", "-h") { return print(usage) }
        let manual = arguments.flag("--manual")
        let allTests = arguments.flag("--all-tests")
        let timeout = try parseTimeout(&arguments, command: "watch")
        let context = try ExerciseCommandContext.open(&arguments)
        let named = try arguments.positional().map { try context.exercise(named: $0, command: "watch") }
        try arguments.finish()
        guard var current = named ?? context.nextExercise ?? context.workspace.course.exercises.first else {
            return print("This course has no exercises.")
        }
        Interruption.install()
        let keyboard = Keyboard()
        defer { keyboard.restore() }
        let checker = Checker(workspace: context.workspace, options: CheckOptions(timeout: timeout, waitForEveryTest: allTests))
        let style = context.style

        var watcher = FileWatcher(url: context.workspace.url(current.exercisePath))
        try check(current, checker: checker, context: context, manual: manual)
        while !Interruption.requested {
            let key = keyboard.nextKey(timeout: 0.3)
            switch key {
            case "q":
                return
            case "n":
                let exercises = context.workspace.course.exercises
                guard let index = exercises.firstIndex(of: current), index + 1 < exercises.count else {
                    print(style.paint("That was the last exercise.", .muted))
                    continue
                }
                current = exercises[index + 1]
                watcher = FileWatcher(url: context.workspace.url(current.exercisePath))
                try check(current, checker: checker, context: context, manual: manual)
            case "h":
                print(style.paint("hint: ", .strong) + current.hint)
            case "l":
                ProgressListing(workspace: context.workspace).render(style: style).forEach { print($0) }
            case "r", "\n", "\r":
                try check(current, checker: checker, context: context, manual: manual)
            case nil where keyboard.inputClosed && manual:
                return print("Standard input closed; leaving watch mode.")
            default:
                if !manual && watcher.poll() {
                    try check(current, checker: checker, context: context, manual: manual)
                }
            }
        }
        print("")
    }

    /// Checks one exercise, prints its result and the keys; returns whether it passed.
    @discardableResult
    static func check(_ exercise: Exercise, checker: Checker, context: ExerciseCommandContext,
                      manual: Bool) throws -> Bool {
        let style = context.style
        if context.isTerminal { print("\u{1B}[2J\u{1B}[H", terminator: "") }   // clear the screen
        let time = DateFormatter.localizedString(from: Date(), dateStyle: .none, timeStyle: .medium)
        print(style.paint("── \(exercise.id): \(exercise.title) · \(time)", .strong))
        let status = StatusLine(enabled: context.isTerminal)
        var result: ExerciseResult?
        do {
            let report = try checker.run([exercise], onEvent: { event in
                switch event {
                case .buildStarting(let selection, let firstBuild) where firstBuild:
                    print(style.paint(BuildProgress.announcement(selection: selection, course: context.workspace.course,
                                                                 firstBuild: true), .muted))
                case .building(let line): status.show("building " + line)
                case .testStarted(_, let test, let index, let total): status.show("test \(index + 1) of \(total): \(test)")
                default: break
                }
            }, isCancelled: { Interruption.requested })
            status.clear()
            _ = try? ProgressStore(workspace: context.workspace).record(report)
            result = report.exercises.first
        } catch is CheckInterrupted {
            status.clear()
            return false
        } catch let failure as BuildFailure {
            status.clear()
            print(style.paint(failure.description, .failure))
        }
        if let result {
            ConsoleReport(style: style).lines(for: result).forEach { print($0) }
        }
        let listing = ProgressListing(workspace: context.workspace)
        print("")
        print(ConsoleReport(style: style).progressBar(done: listing.doneCount, total: listing.entries.count))
        let done = result?.isDone ?? false
        if done {
            print(style.paint("✓ \(exercise.id) passes every test.", .success) + " Press n for the next exercise"
                + " (or `lab solution \(exercise.id)` to compare with the reference).")
        }
        let trigger = manual ? "press r or Enter to check" : "watching \(exercise.exercisePath) (save to check)"
        print(style.paint("\(trigger) · n next · h hint · l list · q quit", .muted))
        return done
    }
}

/// Single keys from standard input without waiting for Enter, with a timeout; the terminal's
/// settings are restored by `restore()`. Not a terminal: bytes as they arrive (lines from a pipe).
final class Keyboard {
    private var original: termios?
    private(set) var inputClosed = false

    init() {
        guard isatty(STDIN_FILENO) != 0 else { return }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        original = settings
        // No line editing, no echo; Ctrl-C still sends SIGINT, which the watch loop handles.
        settings.c_lflag &= ~(tcflag_t(ICANON) | tcflag_t(ECHO))
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }

    func restore() {
        guard var settings = original else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        original = nil
    }

    /// The next key, or nil when none arrives within `timeout` seconds.
    func nextKey(timeout: Double) -> Character? {
        guard !inputClosed else {
            usleep(useconds_t(timeout * 1_000_000))
            return nil
        }
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var byte: UInt8 = 0
        guard read(STDIN_FILENO, &byte, 1) == 1 else {
            inputClosed = true
            return nil
        }
        return Character(Unicode.Scalar(byte))
    }
}
