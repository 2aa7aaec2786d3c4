// `lab list`: every exercise with its last result, grouped by lesson, and how many are done.
//
// Reads `.lab/state.json` and the files; runs nothing, so it answers at once. `--json` prints
// the same facts for scripts.

import Foundation
import LabChecker

enum ListCommand {
    static let usage = """
        usage: lab list [options]

        Lists every exercise, grouped by lesson, with the result of its last check (done, failing,
        not started, …), whether you edited it since, and how many are done. Nothing is run:
        `lab check` updates the results.

        options:
          --json              one JSON object: {"done": 1, "total": 5, "next": "…", "exercises": […]}
        \(ExerciseCommandContext.optionsHelp)
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "list")
        if arguments.flag("--help", "-h") { return print(usage) }
        let json = arguments.flag("--json")
        let context = try ExerciseCommandContext.open(&arguments)
        try arguments.finish()
        let listing = ProgressListing(workspace: context.workspace)
        if json {
            let exercises: [[String: Any]] = listing.entries.map { entry in
                ["id": entry.exercise.id, "title": entry.exercise.title, "lesson": entry.exercise.lessonNumber,
                 "file": entry.exercise.exercisePath, "done": entry.isDone, "status": entry.status,
                 "passed": entry.passed, "total": entry.total]
            }
            let object: [String: Any] = ["done": listing.doneCount, "total": listing.entries.count,
                                         "next": listing.next?.id ?? NSNull(), "exercises": exercises]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        listing.render(style: context.style).forEach { print($0) }
    }
}
