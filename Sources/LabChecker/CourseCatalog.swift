// The course the checker works on, and how a student names part of it on the command line.
//
// Normally this is the kit's own registry (`Course.lessons`, `Course.exercises` in LabCourse).
// A package that follows the same layout but is not the kit (the checker's own test fixture,
// Tests/Fixtures/checker, or a teacher's separate exercise pack) describes its course in a
// `lab-course.json` file at its root instead, because `lab` cannot import another package's
// Swift code:
//
//     {"lessons": [{"number": 0, "folder": "00-fixtures", "executable": "fixtures", "title": "…"}],
//      "exercises": [{"lesson": 0, "name": "Passing", "id": "fixtures.passing", "title": "…",
//                     "hint": "…", "points": 1}]}
//
// Left out: per-exercise time limits (one `--timeout` serves every test so far).

import Foundation
import LabCourse

/// Lessons and exercises in course order.
public struct CourseCatalog: Sendable {
    public var lessons: [Lesson]
    public var exercises: [Exercise]

    public init(lessons: [Lesson], exercises: [Exercise]) {
        self.lessons = lessons
        self.exercises = exercises
    }

    /// The kit's course, from LabCourse.
    public static let kit = CourseCatalog(lessons: Course.lessons, exercises: Course.exercises)

    /// The name of the file that describes a course other than the kit's, at a package's root.
    public static let fileName = "lab-course.json"

    /// Reads a `lab-course.json` file (format in the file header).
    public static func load(from url: URL) throws -> CourseCatalog {
        struct File: Decodable {
            struct LessonEntry: Decodable { let number: Int; let folder: String; let executable: String; let title: String }
            struct ExerciseEntry: Decodable {
                let lesson: Int; let name: String; let id: String; let title: String; let hint: String; let points: Int?
            }
            let lessons: [LessonEntry]
            let exercises: [ExerciseEntry]
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        } catch {
            throw CheckerError("cannot read the course description \(url.path): \(error)")
        }
        let lessons = file.lessons.map {
            Lesson(number: $0.number, folder: $0.folder, executable: $0.executable, title: $0.title,
                   buildsFromScratch: $0.title, usesFromKernel: [], status: .done)
        }
        let exercises = try file.exercises.map { entry -> Exercise in
            guard let lesson = lessons.first(where: { $0.number == entry.lesson }) else {
                throw CheckerError("\(url.path): exercise \(entry.id) names lesson \(entry.lesson), which is not listed")
            }
            return Exercise(lesson: lesson, name: entry.name, id: entry.id, title: entry.title, hint: entry.hint,
                            points: entry.points ?? 1)
        }
        return CourseCatalog(lessons: lessons, exercises: exercises)
    }

    /// The lesson an exercise belongs to.
    public func lesson(of exercise: Exercise) -> Lesson? {
        lessons.first { $0.number == exercise.lessonNumber }
    }

    /// The exercise a student means by `name`: its id (`tensors.softmax`), or its file name
    /// (`Softmax`, any case).
    public func exercise(named name: String) -> Exercise? {
        exercises.first { $0.id == name } ?? exercises.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The exercises selected by a command-line word: nil or empty for all of them; an exercise
    /// (see `exercise(named:)`); or a lesson by number (`0`, `00`), folder (`00-tensors`) or
    /// executable name (`tensors`). Throws a message listing what would have matched.
    public func select(_ word: String?) throws -> [Exercise] {
        guard let word, !word.isEmpty else { return exercises }
        if let exercise = exercise(named: word) { return [exercise] }
        let lesson = lessons.first { lesson in
            lesson.folder == word || lesson.executable == word || Int(word).map { $0 == lesson.number } == true
        }
        if let lesson {
            let selected = exercises.filter { $0.lessonNumber == lesson.number }
            guard !selected.isEmpty else { throw CheckerError("lesson \(lesson.folder) has no exercises yet") }
            return selected
        }
        let lessonsWithExercises = lessons.filter { lesson in exercises.contains { $0.lessonNumber == lesson.number } }
        throw CheckerError("""
            no exercise or lesson called '\(word)'. Exercises: \(exercises.map(\.id).joined(separator: ", ")); \
            lessons: \(lessonsWithExercises.map { "\($0.number) (\($0.executable))" }.joined(separator: ", "))
            """)
    }
}

/// A problem the checker reports to the user as one message (not a bug in the checker).
public struct CheckerError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
