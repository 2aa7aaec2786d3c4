// `lab doctor`: is this machine ready? Toolchain, build mode, cores, the kit, where progress is
// kept, and whether the exercises build, each as an OK/NOTE/FAIL line with a fix. With
// `--prepare` it says what it builds and shows progress even in a log, for a class to run
// before the first lesson.

import Foundation
import LabChecker
import LabNotebook

enum DoctorCommand {
    static let usage = """
        usage: lab doctor [options]

        Checks what the course needs: a Swift 6 toolchain, the kit's files, a writable place for
        your progress (.lab/), and that the exercises build (the same build as `lab check`, so
        the first run takes a few minutes). Every failure comes with a fix.

        options:
          --prepare           build everything the first checks need ahead of time (the kit, lab,
                              every exercise module and the exercise tests), saying what is built
                              and showing progress even when the output goes to a file: run it
                              before the first lesson, so the first `lab check` takes seconds
          --no-build          skip the build check
        \(ExerciseCommandContext.optionsHelp)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "doctor")
        if arguments.flag("--help", "-h") { return print(usage) }
        let prepare = arguments.flag("--prepare")
        let build = !arguments.flag("--no-build")
        if prepare && !build {
            throw UsageError(message: "--prepare builds; it cannot be combined with --no-build", command: "doctor")
        }
        let packagePath = try arguments.value("--package-path")
        let noColor = arguments.flag("--no-color")
        try arguments.finish()
        Interruption.install()

        let isTerminal = isatty(STDOUT_FILENO) != 0
        let style = TextStyle(colors: Terminal.colorsEnabled(noColorOption: noColor, isTerminal: isTerminal,
                                                              environment: ProcessInfo.processInfo.environment))
        var failures = 0
        func report(_ finding: DoctorFinding) {
            let tone: Tone = finding.level == .ok ? .success : finding.level == .note ? .warning : .failure
            let label = style.paint(finding.level.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0), tone)
            let lines = finding.message.split(separator: "\n", omittingEmptySubsequences: false)
            print("\(label)  \(lines[0])")
            lines.dropFirst().forEach { print("      \($0)") }
            if let fix = finding.fix { print(style.paint("      fix: \(fix)", .muted)) }
            if finding.level == .fail { failures += 1 }
        }

        report(Doctor.toolchain())
        #if DEBUG
        report(Doctor.buildConfiguration(isDebug: true))
        #else
        report(Doctor.buildConfiguration(isDebug: false))
        #endif
        report(Doctor.cores())
        report(DoctorFinding(.ok, "platform: \(ProcessInfo.processInfo.operatingSystemVersionString)"))
        do {
            let workspace = try Workspace.open(packagePath: packagePath)
            Doctor.kit(workspace).forEach(report)
            report(Doctor.state(workspace))
            if build {
                let status = StatusLine(enabled: isTerminal)
                var progress = BuildProgress()
                if prepare {
                    let firstBuild = !FileManager.default.fileExists(
                        atPath: workspace.defaultScratchPath(for: .exercises).appendingPathComponent("debug").path)
                    print(style.paint(BuildProgress.announcement(selection: nil, course: workspace.course,
                                                                 firstBuild: firstBuild), .muted))
                    fflush(nil)   // a log shows the line now, not at the end
                }
                let findings = Doctor.build(workspace, isCancelled: { Interruption.requested }, onProgress: { line in
                    if status.enabled { status.show("building " + line) }
                    else if prepare, let text = progress.occasional(line) {
                        print(style.paint(text, .muted))
                        fflush(nil)
                    }
                })
                status.clear()
                if Interruption.requested { throw ExitStatus.interrupted }
                findings.forEach(report)
                if prepare && !findings.contains(where: { $0.level == .fail }) {
                    print(style.paint("prepared: `lab check` and `lab watch` now compile only the student's edits", .success))
                }
            }
        } catch let error as CheckerError {
            report(DoctorFinding(.fail, error.description,
                                 fix: "run lab from the kit's folder (where Package.swift and exercises/ are)"))
        }
        report(DoctorFinding(.ok, "colors \(style.colors ? "on" : "off") (NO_COLOR=1, TERM=dumb or --no-color turn them off)"))
        if failures > 0 {
            throw ExitStatus(code: 1, description: "\(failures) problem\(failures == 1 ? "" : "s") found; see the fixes above")
        }
    }
}
