// Exercise: one function a student writes, with its stub, solution, test class and hint.
//
// Scope: the plain description that the checker (`lab check`), the docs and the tests agree on.
// The list in course order is `Course.exercises` (Course.swift). The file layout is a convention
// shared with Package.swift, which builds one module per exercise from the same file names:
//
//     exercises/<lesson folder>/<Name>.swift                    the stub the student edits
//     solutions/<lesson folder>/<Name>.swift                    the reference answer, same API
//     Tests/ExerciseTests/<lesson folder>/<Name>Tests.swift     class <Name>Tests: XCTestCase
//     module Exercise<Name>                                     compiled from either folder
//
// Left out: running the tests and reporting results; that is the checker's job (Sources/lab).

/// One exercise of a lesson.
///
///     let exercise = Course.exercise(id: "tensors.softmax")!
///     exercise.exercisePath    // "exercises/00-tensors/Softmax.swift"
///     exercise.moduleName      // "ExerciseSoftmax"
///     exercise.testSpecifier   // "ExerciseTests.SoftmaxTests"
public struct Exercise: Sendable, Equatable, Identifiable {
    /// The name of the test target that holds every exercise's test class.
    public static let testTarget = "ExerciseTests"

    /// A short stable identifier: the lesson's executable name, a dot, and a kebab-case name,
    /// e.g. `"tensors.dot-product"`. Students type it (`lab hint tensors.dot-product`) and
    /// teachers' grade exports key on it, so it never changes once published.
    public let id: String
    /// The number of the lesson the exercise belongs to.
    public let lessonNumber: Int
    /// That lesson's folder, e.g. `"00-tensors"`.
    public let lessonFolder: String
    /// The file name without `.swift`, e.g. `"DotProduct"`; the module, test class and test file
    /// names are derived from it.
    public let name: String
    /// A short human title, e.g. `"Dot product"`.
    public let title: String
    /// One to three sentences that point the way without giving the answer away.
    public let hint: String
    /// The weight of the exercise in a grade export (Gradescope, JUnit); 1 unless a teacher changes it.
    public let points: Int

    /// An exercise of `lesson`; `name` must match the file names on disk.
    public init(lesson: Lesson, name: String, id: String, title: String, hint: String, points: Int = 1) {
        self.id = id
        self.lessonNumber = lesson.number
        self.lessonFolder = lesson.folder
        self.name = name
        self.title = title
        self.hint = hint
        self.points = points
    }

    /// The stub the student edits, relative to the package root.
    public var exercisePath: String { "exercises/\(lessonFolder)/\(name).swift" }
    /// The untouched stub that `lab reset` restores, relative to the package root:
    /// `exercises/.pristine/00-tensors/Softmax.swift`. It ships with the kit (no git history is
    /// needed), no build target reads it, and `lab verify-course` checks it equals the stub.
    public var pristinePath: String { "exercises/.pristine/\(lessonFolder)/\(name).swift" }
    /// The reference solution, relative to the package root.
    public var solutionPath: String { "solutions/\(lessonFolder)/\(name).swift" }
    /// The Swift module compiled from the stub (or, with `LAB_SOLUTIONS=1`, the solution).
    public var moduleName: String { "Exercise\(name)" }
    /// The XCTestCase subclass that checks the exercise.
    public var testClass: String { "\(name)Tests" }
    /// The file that declares `testClass`, relative to the package root.
    public var testPath: String { "Tests/\(Exercise.testTarget)/\(lessonFolder)/\(name)Tests.swift" }
    /// What XCTest's `--filter` and a test bundle's specifier take to run this exercise's tests:
    /// `ExerciseTests.DotProductTests` (append `/testName` for a single test).
    public var testSpecifier: String { "\(Exercise.testTarget).\(testClass)" }
}
