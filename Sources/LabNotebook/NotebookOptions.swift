// NotebookOptions: the command-line options every lesson understands, and the few that one lesson adds.
//
// A lesson is an executable (`swift run tensors`), so it parses its own arguments. The shared
// options are few: `--quick` (small sizes for CI), `--step` (pause between cells), `--no-color`,
// `--mask-timings`, `--export FILE` (also write the run as a Jupyter notebook or a web page,
// NotebookExport.swift) and `--help`. A lesson can declare options of its own that take a value
// (`swift run tokenization --gpt2 DIR`) as `LessonOption`s; they appear in its `--help` and their
// values are read with `options.value(of:)`. Parsing is a pure function so tests can check it;
// `Notebook(arguments:lessonOptions:)` turns a parse error into a message on standard error and
// exit status 2. Left out: lesson options without a value (flags) and short spellings.

/// An option that only one lesson understands, with a value: `--gpt2 DIR`.
///
///     let gpt2 = LessonOption("--gpt2", valueName: "DIR", summary: "a folder with GPT-2's vocab.json and merges.txt")
///     let notebook = Notebook(arguments: CommandLine.arguments, lessonOptions: [gpt2])
///     notebook.options.value(of: "--gpt2")   // "/path/to/gpt2" or nil
public struct LessonOption: Sendable, Equatable {
    /// The spelling, starting with `--`.
    public let flag: String
    /// What the value is, for the help text: `DIR`, `FILE`, `N`.
    public let valueName: String
    /// One line on what the option does.
    public let summary: String

    public init(_ flag: String, valueName: String, summary: String) {
        precondition(flag.hasPrefix("--") && flag.count > 2 && !flag.contains("="),
                     "LessonOption: the flag must look like --name (no '='), got '\(flag)'")
        precondition(!NotebookOptions.catalog.contains { $0.flag.split(whereSeparator: { $0 == " " || $0 == "," }).contains(Substring(flag)) },
                     "LessonOption: \(flag) is already one of the options every lesson has")
        self.flag = flag
        self.valueName = valueName
        self.summary = summary
    }
}

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
    /// Where to write the run as a notebook (`.ipynb`) or a web page (`.html`), in the order
    /// given: `--export lesson.ipynb --export lesson.html` writes both from the same run.
    public var exportPaths: [String] = []
    /// The values of the lesson's own options that were given, by flag: `["--gpt2": "/tmp/gpt2"]`.
    public var lessonValues: [String: String] = [:]

    public init(quick: Bool = false, step: Bool = false, noColor: Bool = false,
                maskTimings: Bool = false, help: Bool = false, exportPaths: [String] = [],
                lessonValues: [String: String] = [:]) {
        self.quick = quick
        self.step = step
        self.noColor = noColor
        self.maskTimings = maskTimings
        self.help = help
        self.exportPaths = exportPaths
        self.lessonValues = lessonValues
    }

    /// The value given for a lesson option (`value(of: "--gpt2")`), or nil when it was not given.
    public func value(of flag: String) -> String? {
        lessonValues[flag]
    }

    /// The options, their spelling and what they do, in the order `usage` lists them.
    static let catalog: [(flag: String, summary: String)] = [
        ("--quick", "small sizes and few steps: finishes in seconds (used by CI and tests)"),
        ("--step", "pause after each cell: Enter (or any key) continues, q quits"),
        ("--no-color", "plain text without ANSI colors"),
        ("--mask-timings", "print measured times as \"…\" so two runs print identical text"),
        ("--export FILE", "also write the run as a Jupyter notebook (FILE.ipynb) or a web page (FILE.html); repeatable"),
        ("-h, --help", "show this help"),
    ]

    /// Parses the arguments that follow the program name (pass `CommandLine.arguments.dropFirst()`).
    ///
    /// A lesson option takes its value from the next argument (`--gpt2 DIR`) or after an equals
    /// sign (`--gpt2=DIR`); given twice, the last value counts.
    ///
    /// - Throws: `NotebookOptionsError.unknownOption` for anything that is not a known option,
    ///   including positional arguments; `.missingValue` for a lesson option without its value.
    public static func parse<Arguments: Sequence>(_ arguments: Arguments, lessonOptions: [LessonOption] = []) throws
    -> NotebookOptions where Arguments.Element == String {
        var options = NotebookOptions()
        var remaining = arguments.makeIterator()
        while let argument = remaining.next() {
            switch argument {
            case "--quick": options.quick = true
            case "--step": options.step = true
            case "--no-color": options.noColor = true
            case "--mask-timings": options.maskTimings = true
            case "-h", "--help": options.help = true
            case _ where argument == "--export" || argument.hasPrefix("--export="):
                var value = argument == "--export" ? remaining.next() : String(argument.dropFirst("--export=".count))
                if argument == "--export", let next = value, next.hasPrefix("-") { value = nil }
                guard let path = value, !path.isEmpty else {
                    throw NotebookOptionsError.missingValue(option: "--export", valueName: "FILE.ipynb or FILE.html")
                }
                guard ExportFormat(path: path) != nil else {
                    throw NotebookOptionsError.unknownExportFormat(path)
                }
                options.exportPaths.append(path)
            default:
                let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let option = lessonOptions.first(where: { $0.flag == parts[0] }) else {
                    throw NotebookOptionsError.unknownOption(argument, lessonFlags: lessonOptions.map(\.flag))
                }
                // `--gpt2=DIR`, or `--gpt2 DIR` unless the next argument is another option.
                var value = parts.count == 2 ? String(parts[1]) : remaining.next()
                if parts.count == 1, let next = value, next.hasPrefix("-") { value = nil }
                guard let value, !value.isEmpty else {
                    throw NotebookOptionsError.missingValue(option: option.flag, valueName: option.valueName)
                }
                options.lessonValues[option.flag] = value
            }
        }
        return options
    }

    /// The help text for a lesson executable called `program`, with the lesson's own options.
    public static func usage(program: String, lessonOptions: [LessonOption] = []) -> String {
        let rows = catalog + lessonOptions.map { ("\($0.flag) \($0.valueName)", $0.summary) }
        let flagWidth = rows.map(\.flag.count).max() ?? 0
        let extra = lessonOptions.map { " [\($0.flag) \($0.valueName)]" }.joined()
        var lines = ["usage: \(program) [--quick] [--step] [--no-color] [--mask-timings] [--export FILE] [--help]\(extra)", "",
                     "Runs the lesson as a notebook in the terminal: numbered cells of prose, code and output.",
                     "", "options:"]
        for option in rows {
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
    /// An argument that is not an option of this lesson; `lessonFlags` are the lesson's own options.
    case unknownOption(String, lessonFlags: [String] = [])
    /// A lesson option given without its value.
    case missingValue(option: String, valueName: String)
    /// An `--export` path that ends in neither `.ipynb` nor `.html`.
    case unknownExportFormat(String)

    public var description: String {
        switch self {
        case .unknownOption(let option, let lessonFlags):
            let all = ["--quick", "--step", "--no-color", "--mask-timings", "--export", "--help"] + lessonFlags
            return "unknown option '\(option)' (the options are \(all.joined(separator: ", ")))"
        case .missingValue(let option, let valueName):
            return "option '\(option)' needs a value: \(option) \(valueName)"
        case .unknownExportFormat(let path):
            return "--export \(path): the file name must end in .ipynb (a Jupyter notebook) or .html (a web page)"
        }
    }
}
