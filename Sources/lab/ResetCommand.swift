// `lab reset EXERCISE`: restore the original stub, keeping the student's version as a backup.

import Foundation
import LabChecker

enum ResetCommand {
    static let usage = """
        usage: lab reset EXERCISE [options]

        Puts the original stub of EXERCISE back into exercises/, after copying your version to
        .lab/backups/ (with the date and time in its name). Asks first.

        options:
          --yes               do not ask (for scripts; the backup is still made)
        \(ExerciseCommandContext.optionsHelp)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "reset")
        if arguments.flag("--help", "-h") { return print(usage) }
        let yes = arguments.flag("--yes", "-y")
        let context = try ExerciseCommandContext.open(&arguments)
        let exercise = try context.exercise(named: arguments.positional(), command: "reset")
        try arguments.finish()

        let reset = StubReset(workspace: context.workspace)
        let plan: StubReset.Plan
        do { plan = try reset.plan(exercise) } catch let error as CheckerError {
            throw ExitStatus(code: 1, description: error.description)
        }
        guard case .restore(let backup) = plan else {
            return print("\(exercise.exercisePath) is already the original stub: nothing to reset.")
        }
        let backupText = backup.map { context.workspace.relativePath(of: $0.path) ?? $0.path }
        if !yes {
            let question = "Replace \(exercise.exercisePath) with the original stub?"
                + (backupText.map { " Your version will be kept in \($0)." } ?? "")
            guard isatty(STDIN_FILENO) != 0 else {
                throw ExitStatus(code: 1, description: "\(question) There is no terminal to ask: add --yes to confirm.")
            }
            guard confirm(question) else { return print("Nothing changed.") }
        }
        try reset.restore(exercise, plan: plan)
        // The old verdict belonged to the old file.
        let store = ProgressStore(workspace: context.workspace)
        var state = store.load()
        state.exercises[exercise.id] = nil
        try? store.save(state)
        print("Restored the original \(exercise.exercisePath)." + (backupText.map { " Your version is in \($0)." } ?? ""))
    }
}
