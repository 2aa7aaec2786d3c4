// `lab notebook`: run lessons and keep each as a Jupyter notebook and a web page, with an index.
//
// A lesson exports itself (`swift run attention --export attention.ipynb`); this command does it
// for several lessons, or the whole course, into one folder a teacher can hand out or put on a
// course site:
//
//     site/index.html                 the course: every exported lesson, in order, with its summary
//     site/tensors.html, .ipynb       lesson 00, from one run
//     site/attention.html, .ipynb     lesson 03, …
//
// Each lesson runs as its own executable, the one built beside `lab` (so `swift run lab notebook`
// and `swift run -c release lab notebook` each use their own build): first `swift build
// --product NAME` brings it up to date, unless `--no-build`. A lesson's pages link back to the
// index (`LAB_NOTEBOOK_INDEX`). A lesson that fails stops the command with its last output and
// exit status 1; pages already written stay, the index is written only when every lesson ran.
// Left out: lesson-specific options such as lesson 07's `--model DIR` (run that lesson itself
// with `--export`).

import Foundation
import LabChecker
import LabCourse
import LabKernel
import LabNotebook

enum NotebookCommand {
    static let usage = """
        usage: lab notebook (--all | LESSON...) --output DIR [options]

        Runs lessons and writes each one as a Jupyter notebook (NAME.ipynb) and a self-contained
        web page (NAME.html) into DIR, with DIR/index.html linking them in course order. Every
        number and picture in them comes from that run. One lesson alone: `swift run attention
        --export attention.ipynb`.

          LESSON            a lesson by name or number: tensors, 03, attention (several allowed)
          --all             every lesson of the course

        options:
          --output DIR      where to write (created if missing; earlier exports are replaced)
          --format F        ipynb, html or both (default: both)
          --quick           the lessons' small sizes: the whole course in about a minute
          --mask-timings    measured times as "…", so two exports are identical
          --no-build        use the lesson executables already built beside lab
          --no-color        run the lessons without colors (token boundaries then show as |)
          --timeout S       stop a lesson that runs longer than S seconds (default: 1800)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "notebook")
        if arguments.flag("--help", "-h") { return print(usage) }
        let all = arguments.flag("--all")
        let quick = arguments.flag("--quick")
        let maskTimings = arguments.flag("--mask-timings")
        let noBuild = arguments.flag("--no-build")
        let noColor = arguments.flag("--no-color")
        guard let output = try arguments.value("--output") else {
            throw UsageError(message: "--output DIR is required: the folder to write the notebooks and pages into", command: "notebook")
        }
        let formats = try parseFormats(try arguments.value("--format") ?? "both")
        let timeout = try arguments.value("--timeout").map { text -> Double in
            guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
                throw UsageError(message: "--timeout expects a positive number of seconds, got '\(text)'", command: "notebook")
            }
            return seconds
        } ?? 1800
        var names: [String] = []
        while let name = arguments.positional() { names.append(name) }
        try arguments.finish()
        let lessons = try chooseLessons(names, all: all)

        // The folder first: a typo must not cost a whole course run.
        let folder = URL(fileURLWithPath: output, isDirectory: true).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw UsageError(message: "--output \(output): cannot create the folder: \(error.localizedDescription)", command: "notebook")
        }
        try NotebookExport.checkDestination(folder.appendingPathComponent("index.html").path)

        let binaries = try lessonFolder()
        if !noBuild { try build(lessons, binaries: binaries) }
        var exported: [(lesson: Lesson, cells: String)] = []
        for lesson in lessons {
            let binary = binaries.appendingPathComponent(lesson.executable)
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw CommandFailure(message: "the lesson executable \(binary.path) is missing; build it with "
                    + "`swift build --product \(lesson.executable)` (or leave out --no-build)")
            }
            var lessonArguments = formats.flatMap { ["--export", folder.appendingPathComponent("\(lesson.executable).\($0.rawValue)").path] }
            lessonArguments += (quick ? ["--quick"] : []) + (maskTimings ? ["--mask-timings"] : []) + (noColor ? ["--no-color"] : [])
            var environment = ProcessInfo.processInfo.environment
            environment["LAB_NOTEBOOK_INDEX"] = "index.html"
            // Colors on, as in a terminal: the exports show painted output (lesson 01's token
            // boundaries) in color; the terminal text itself is not kept.
            environment["FORCE_COLOR"] = noColor ? nil : "1"
            environment["NO_COLOR"] = nil
            var report = ""
            let result = try Subprocess.run(binary.path, lessonArguments, environment: environment, timeout: timeout,
                                            tailLimit: 8 * 1024, onLine: { line in
                if line.hasPrefix("exported ") && report.isEmpty {
                    report = String(line.dropFirst("exported ".count))
                }
            })
            guard case .exited(0) = result.termination else {
                printError(String(result.tail.suffix(3000)))
                let how: String
                switch result.termination {
                case .exited(let status): how = "exited with status \(status)"
                case .signaled(let signal): how = "crashed (signal \(signal))"
                case .timedOut: how = "ran longer than \(Int(timeout)) s and was stopped"
                case .cancelled: how = "was interrupted"
                }
                throw CommandFailure(message: "lesson \(lesson.executable) \(how); its pages were not written")
            }
            let summary = report.components(separatedBy: " to ").first ?? ""
            print("\(lesson.executable.padding(toLength: 16, withPad: " ", startingAt: 0)) \(summary), \(String(format: "%.1f s", result.duration))")
            exported.append((lesson, summary))
        }

        let entries = exported.map { item in
            (number: item.lesson.number, title: item.lesson.title, summary: item.lesson.buildsFromScratch,
             page: formats.contains(.html) ? "\(item.lesson.executable).html" : "\(item.lesson.executable).ipynb",
             notebook: formats.contains(.html) && formats.contains(.jupyter) ? "\(item.lesson.executable).ipynb" : nil)
        }
        let index = htmlCoursePage(title: "OpenModelLab: open language models, built from scratch in Swift",
                                   introduction: "Each lesson below is one run of the lesson, exported with every number and picture it printed."
                                       + (quick ? " These runs used `--quick`: small sizes, fewer steps." : ""),
                                   lessons: entries)
        try writeFileAtomically(Data(index.utf8), to: folder.appendingPathComponent("index.html"))
        print("wrote \(exported.count) lesson\(exported.count == 1 ? "" : "s") and \(folder.appendingPathComponent("index.html").path)")
    }

    /// `ipynb`, `html` or `both` (also `ipynb,html`).
    static func parseFormats(_ text: String) throws -> [ExportFormat] {
        if text == "both" { return [.jupyter, .html] }
        let formats = text.split(separator: ",").map { ExportFormat(rawValue: String($0)) }
        guard !formats.isEmpty, formats.allSatisfy({ $0 != nil }) else {
            throw UsageError(message: "--format expects ipynb, html or both, got '\(text)'", command: "notebook")
        }
        return formats.compactMap { $0 }
    }

    /// The lessons named (by executable name, folder or number), or all of them.
    static func chooseLessons(_ names: [String], all: Bool) throws -> [Lesson] {
        let available = Course.lessons.filter { $0.status == .done }
        if all {
            guard names.isEmpty else {
                throw UsageError(message: "give either --all or lesson names, not both", command: "notebook")
            }
            return available
        }
        guard !names.isEmpty else {
            throw UsageError(message: "name the lessons to export (e.g. `tensors 03`), or give --all", command: "notebook")
        }
        return try names.map { name in
            let found = available.first {
                $0.executable == name || $0.folder == name || Int(name) == $0.number
            }
            guard let found else {
                throw UsageError(message: "no lesson '\(name)'; the lessons are "
                    + available.map { "\($0.executable) (\($0.folder.prefix(2)))" }.joined(separator: ", "), command: "notebook")
            }
            return found
        }
    }

    /// The folder holding this `lab` executable, where the build put the lessons too.
    static func lessonFolder() throws -> URL {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else {
            throw CommandFailure(message: "cannot tell where the lab executable is, so the lessons cannot be found")
        }
        return executable.deletingLastPathComponent()
    }

    /// `swift build --product NAME` for each lesson, in the package whose build holds `binaries`
    /// (`ROOT/.build/…/debug`), or else the kit at or above the current folder.
    static func build(_ lessons: [Lesson], binaries: URL) throws {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        guard let root = Workspace.findRoot(from: binaries) ?? Workspace.findRoot(from: current) else {
            throw CommandFailure(message: "cannot find the kit (Package.swift and exercises/) above \(binaries.path) or \(current.path) "
                + "to build the lessons; run lab from the kit's folder, or pass --no-build to use the lessons already built")
        }
        let mode = binaries.lastPathComponent == "release" ? ["-c", "release"] : []
        for lesson in lessons {
            let result = try Subprocess.run("swift", ["build", "--package-path", root.path, "--product", lesson.executable] + mode,
                                            tailLimit: 16 * 1024)
            guard case .exited(0) = result.termination else {
                printError(String(result.tail.suffix(3000)))
                throw CommandFailure(message: "swift build --product \(lesson.executable) failed")
            }
        }
    }
}
