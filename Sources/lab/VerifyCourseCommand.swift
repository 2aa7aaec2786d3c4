// `lab verify-course`: every solution passes, every pristine stub fails gracefully, every
// exercise is complete and registered. The teacher's and CI's check of the course itself.

import Foundation
import LabChecker

enum VerifyCourseCommand {
    static let usage = """
        usage: lab verify-course [options]

        Checks the course, not a student's work (run it on the repository, with the stubs untouched):
          files       every exercise has its stub, solution, tests and pristine copy (equal to the
                      stub), and no exercise file is missing from the registry
          teaching    every exercise has a hint, a documented public API and at least one test
          solutions   every test passes against solutions/ (build: .build/solutions)
          stubs       every test fails against the stubs with "not implemented yet", and none
                      crashes, times out or fails to compile (build: .build)

        options:
          --timeout SECONDS   time limit per test (default \(formatNumber(CheckOptions.defaultTimeout)))
        \(ExerciseCommandContext.optionsHelp)

        Exit status: 0 when every check holds, 1 otherwise, 130 when interrupted.
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "verify-course")
        if arguments.flag("--help", "-h") { return print(usage) }
        let timeout = try parseTimeout(&arguments, command: "verify-course")
        let context = try ExerciseCommandContext.open(&arguments)
        try arguments.finish()
        Interruption.install()

        let style = context.style
        let status = StatusLine(enabled: context.isTerminal)
        let verifier = CourseVerifier(workspace: context.workspace, timeout: timeout)
        let findings: [VerificationFinding]
        do {
            findings = try verifier.run(onEvent: { mode, event in
                switch event {
                case .building(let line): status.show("\(mode): building " + line)
                case .testStarted(let exercise, let test, let index, let total):
                    status.show("\(mode): test \(index + 1) of \(total): \(exercise.id) \(test)")
                default: break
                }
            }, isCancelled: { Interruption.requested })
        } catch is CheckInterrupted {
            status.clear()
            throw ExitStatus.interrupted
        } catch let failure as BuildFailure {
            status.clear()
            throw ExitStatus(code: 1, description: failure.description)
        }
        status.clear()

        // Grouped by area, in the order the areas first appear.
        let areas = findings.map(\.area).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for area in areas {
            print(style.paint(area, .strong))
            for finding in findings where finding.area == area {
                let label = finding.passed ? style.paint("OK  ", .success) : style.paint("FAIL", .failure)
                print("  \(label) \(finding.message)")
                if !finding.passed, let fix = finding.fix { print(style.paint("       fix: \(fix)", .muted)) }
            }
        }
        let failed = findings.filter { !$0.passed }.count
        print("")
        if failed == 0 {
            print(style.paint("The course is sound: \(findings.count) checks hold.", .success))
        } else {
            throw ExitStatus(code: 1, description: "\(failed) of \(findings.count) course checks failed")
        }
    }
}
