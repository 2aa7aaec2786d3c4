// `lab doctor`: is this machine ready? Toolchain, build mode, cores, the kit, where progress is
// kept, and whether the exercises build, each as an OK/NOTE/FAIL line with a fix.

import Foundation
import LabChecker
import LabNotebook

enum DoctorCommand {
    static let usage = """
        usage: lab doctor [options]

        Checks what the course needs: a Swift 6 toolchain, the kit's files, a writable place for
        your progress (.lab/), and that the exercises build (the same build as `lab check`, so
        the first run takes a minute or two). Every failure comes with a fix.

        options:
          --no-build          skip the build check
        \(ExerciseCommandContext.optionsHelp)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "doctor")
        if arguments.flag("--help", "-h") { return print(usage) }
        let build = !arguments.flag("--no-build")
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
                let findings = Doctor.build(workspace, isCancelled: { Interruption.requested },
                                            onProgress: { status.show("building " + $0) })
                status.clear()
                if Interruption.requested { throw ExitStatus.interrupted }
                findings.forEach(report)
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
