// `lab solution`: the reference solution, once the student has solved the exercise.
//
// Reading another answer is most useful right after writing your own; before that it takes the
// exercise away. So the solution is shown only when the progress file says the exercise passed
// its last check and the file has not changed since (ProgressStore.isSolved); `force` overrides
// that for a student who is truly stuck. Nothing is written anywhere.

import Foundation
import LabCourse

public enum SolutionReveal {
    /// The solution's text, or a refusal that says why and how to proceed.
    public static func text(of exercise: Exercise, workspace: Workspace, force: Bool) throws -> String {
        let store = ProgressStore(workspace: workspace)
        let state = store.load()
        if !force && !store.isSolved(exercise, in: state) {
            let last = state.exercises[exercise.id]
            let reason: String
            if let last, last.status == .done {
                reason = "\(exercise.exercisePath) changed since it last passed; check it again first"
            } else if let last {
                reason = "its last check passed \(last.passed) of \(last.total) tests"
            } else {
                reason = "it has not been checked yet"
            }
            throw CheckerError("""
                \(exercise.id) is not solved yet (\(reason)). Solve it first: `lab check \(exercise.id)`, \
                or `lab hint \(exercise.id)` for a hint. To see the solution anyway: `lab solution \(exercise.id) --force`.
                """)
        }
        guard let text = try? String(contentsOf: workspace.url(exercise.solutionPath), encoding: .utf8) else {
            throw CheckerError("the solution \(exercise.solutionPath) is missing from this copy of the kit")
        }
        return text
    }
}
