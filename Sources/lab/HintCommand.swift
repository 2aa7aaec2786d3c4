// `lab hint [EXERCISE]`: the exercise's hint, which points the way without giving the answer.

import LabChecker

enum HintCommand {
    static let usage = """
        usage: lab hint [EXERCISE] [options]

        Shows the hint for EXERCISE (an id such as tensors.softmax, or the file name), or for the
        next exercise that is not done. The exercise's doc comment in its file states the task.

        options:
        \(ExerciseCommandContext.optionsHelp)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "hint")
        if arguments.flag("--help", "-h") { return print(usage) }
        let context = try ExerciseCommandContext.open(&arguments)
        let name = arguments.positional()
        try arguments.finish()
        guard let exercise = try name.map({ try context.exercise(named: $0, command: "hint") }) ?? context.nextExercise else {
            return print("Every exercise is done: no hint needed.")
        }
        let style = context.style
        print(style.paint("\(exercise.id): \(exercise.title)", .strong) + style.paint("  (\(exercise.exercisePath))", .muted))
        print("hint: " + exercise.hint)
    }
}
