// `lab solution EXERCISE [--force]`: the reference solution, once the exercise is solved.

import LabChecker

enum SolutionCommand {
    static let usage = """
        usage: lab solution EXERCISE [options]

        Prints the reference solution of EXERCISE once your own version passes every test (so you
        can compare), as recorded by the last `lab check`. Nothing is written to your files.

        options:
          --force             show it even though the exercise is not solved yet
        \(ExerciseCommandContext.optionsHelp)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "solution")
        if arguments.flag("--help", "-h") { return print(usage) }
        let force = arguments.flag("--force")
        let context = try ExerciseCommandContext.open(&arguments)
        let exercise = try context.exercise(named: arguments.positional(), command: "solution")
        try arguments.finish()
        let text: String
        do {
            text = try SolutionReveal.text(of: exercise, workspace: context.workspace, force: force)
        } catch let error as CheckerError {
            throw ExitStatus(code: 1, description: error.description)
        }
        print(context.style.paint("// \(exercise.solutionPath), the reference solution of \(exercise.id)", .muted))
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }
}
