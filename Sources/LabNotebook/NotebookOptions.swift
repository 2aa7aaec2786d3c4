// NotebookOptions: the command-line options every lesson understands.
//
// A lesson is an executable (`swift run tensors`), so it parses its own arguments. The options are
// few and shared by all lessons: `--quick` (small sizes for CI), `--step` (pause between cells),
// `--no-color`, `--mask-timings` and `--help`. Parsing is a pure function so tests can check it;
// `Notebook(arguments:)` turns a parse error into a message on standard error and exit status 2.
// Lesson-specific options are not supported yet: a lesson that needs one will extend this type.

/// The options a lesson was started with.
public struct NotebookOptions: Equatable, Sendable {
    /// Small sizes and few steps, so the lesson finishes in seconds (CI, golden-output tests).
    public var quick = false
    /// Pause after each cell until a key is pressed.
    public var step = false
    /// Never print ANSI colors, even on a terminal.
    public var noColor = false
    /// Print measured times (and numbers derived from them) as `…`, so that two runs print
    /// identical text. Also switched on by the environment variable `LAB_MASK_TIMINGS=1`.
    public var maskTimings = false
    /// `--help` or `-h` was given: print the usage and stop.
    public var help = false

    public init(quick: Bool = false, step: Bool = false, noColor: Bool = false,
                maskTimings: Bool = false, help: Bool = false) {
        self.quick = quick
        self.step = step
        self.noColor = noColor
        self.maskTimings = maskTimings
        self.help = help
    }

    /// The options, their spelling and what they do, in the order `usage` lists them.
    static let catalog: [(flag: String, summary: String)] = [
        ("--quick", "small sizes and few steps: finishes in seconds (used by CI and tests)"),
        ("--step", "pause after each cell: Enter (or any key) continues, q quits"),
        ("--no-color", "plain text without ANSI colors"),
        ("--mask-timings", "print measured times as \"…\" so two runs print identical text"),
        ("-h, --help", "show this help"),
    ]

    /// Parses the arguments that follow the program name (pass `CommandLine.arguments.dropFirst()`).
    ///
    /// - Throws: `NotebookOptionsError.unknownOption` for anything that is not a known option,
    ///   including positional arguments.
    public static func parse<Arguments: Sequence>(_ arguments: Arguments) throws -> NotebookOptions
    where Arguments.Element == String {
        var options = NotebookOptions()
        for argument in arguments {
            switch argument {
            case "--quick": options.quick = true
            case "--step": options.step = true
            case "--no-color": options.noColor = true
            case "--mask-timings": options.maskTimings = true
            case "-h", "--help": options.help = true
            default: throw NotebookOptionsError.unknownOption(argument)
            }
        }
        return options
    }

    /// The help text for a lesson executable called `program`.
    public static func usage(program: String) -> String {
        let flagWidth = catalog.map(\.flag.count).max() ?? 0
        var lines = ["usage: \(program) [--quick] [--step] [--no-color] [--mask-timings] [--help]", "",
                     "Runs the lesson as a notebook in the terminal: numbered cells of prose, code and output.",
                     "", "options:"]
        for option in catalog {
            lines.append("  " + padded(option.flag, to: flagWidth + 2) + option.summary)
        }
        lines += ["", "environment:",
                  "  NO_COLOR=1          no colors (FORCE_COLOR=1 forces them on, even when piped)",
                  "  LAB_MASK_TIMINGS=1  the same as --mask-timings"]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A command line the lesson does not understand.
public enum NotebookOptionsError: Error, Equatable, CustomStringConvertible {
    case unknownOption(String)

    public var description: String {
        switch self {
        case .unknownOption(let option):
            return "unknown option '\(option)' (the options are --quick, --step, --no-color, --mask-timings, --help)"
        }
    }
}
