// `lab list`: every exercise with its status, grouped by lesson, and the count of done ones.
//
//     Lesson 00: Tensors, matmul and a tiny autograd
//       ✓ tensors.dot-product    Dot product                        done
//       ✗ tensors.matmul-naive   Matrix multiply with three loops   failing: 5/7 passed (edited since)
//       ○ tensors.softmax        Numerically stable softmax         not started
//       · tensors.relu-backward  ReLU backward                      not checked yet
//
//     [█████░░░░░░░░░░░░░░░░░░░] 1 of 5 exercises done
//
// It reads the progress file and the files themselves and runs nothing, so it answers at once.
// An exercise never checked is "not started" while its file equals the original stub, and
// "not checked yet" once edited. The next exercise is the first one, in course order, not done.
//
// Left out: re-checking stale entries (that is `lab check`).

import Foundation
import LabCourse

/// One exercise's line in the list.
public struct ListedExercise: Sendable, Equatable {
    public var exercise: Exercise
    /// The last verdict, or nil if never checked.
    public var summary: ExerciseSummary?
    public var passed: Int
    public var total: Int
    /// The file differs from the one last checked.
    public var changedSinceCheck: Bool
    /// Never checked and still equal to the original stub.
    public var untouched: Bool

    public var isDone: Bool { summary == .done && !changedSinceCheck }

    /// `done`, `failing: 5/7 passed`, `not started`, `not checked yet`, plus `(edited since)`.
    public var status: String {
        var text: String
        switch summary {
        case nil: text = untouched ? "not started" : "not checked yet"
        case .done?: text = "done"
        case .failing?, .crashed?, .timedOut?: text = "\(summary!.label): \(passed)/\(total) passed"
        case let other?: text = other.label
        }
        if changedSinceCheck { text += " (edited since; check again)" }
        return text
    }

    var symbol: String {
        if isDone { return "✓" }
        switch summary {
        case nil: return untouched ? "○" : "·"
        case .notStarted?: return "○"
        default: return "✗"
        }
    }
}

public struct ProgressListing: Sendable {
    public let workspace: Workspace
    public let entries: [ListedExercise]

    /// Reads the progress file and the exercise files.
    public init(workspace: Workspace) {
        self.workspace = workspace
        let store = ProgressStore(workspace: workspace)
        let state = store.load()
        entries = workspace.course.exercises.map { exercise in
            let progress = state.exercises[exercise.id]
            let current = try? Data(contentsOf: workspace.url(exercise.exercisePath))
            let original = try? Data(contentsOf: workspace.url(exercise.pristinePath))
            return ListedExercise(exercise: exercise, summary: progress?.status, passed: progress?.passed ?? 0,
                                  total: progress?.total ?? 0,
                                  changedSinceCheck: progress != nil && store.changedSinceCheck(exercise, in: state),
                                  untouched: current != nil && current == original)
        }
    }

    public var doneCount: Int { entries.filter(\.isDone).count }

    /// The first exercise in course order that is not done.
    public var next: Exercise? { entries.first { !$0.isDone }?.exercise }

    /// The list, grouped by lesson, with the progress bar.
    public func render(style: TextStyle = .plain) -> [String] {
        let idWidth = entries.map(\.exercise.id.count).max() ?? 0
        let titleWidth = entries.map(\.exercise.title.count).max() ?? 0
        var lines: [String] = []
        var lessonNumber: Int?
        for entry in entries {
            if entry.exercise.lessonNumber != lessonNumber {
                lessonNumber = entry.exercise.lessonNumber
                if !lines.isEmpty { lines.append("") }
                let lesson = workspace.course.lessons.first { $0.number == entry.exercise.lessonNumber }
                let number = entry.exercise.lessonNumber < 10 ? "0\(entry.exercise.lessonNumber)" : "\(entry.exercise.lessonNumber)"
                lines.append(style.paint("Lesson \(number): \(lesson?.title ?? entry.exercise.lessonFolder)", .strong))
            }
            let tone: Tone = entry.isDone ? .success : entry.summary == nil || entry.summary == .notStarted ? .warning : .failure
            let id = entry.exercise.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            let title = entry.exercise.title.padding(toLength: titleWidth, withPad: " ", startingAt: 0)
            lines.append("  " + style.paint(entry.symbol, tone) + " \(id)  \(title)  " + style.paint(entry.status, tone))
        }
        lines.append("")
        lines.append(ConsoleReport(style: style).progressBar(done: doneCount, total: entries.count))
        if let next {
            lines.append(style.paint("next: ", .strong) + "\(next.id) (\(next.title)) in \(next.exercisePath)")
        }
        return lines
    }
}
