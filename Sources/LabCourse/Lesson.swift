// Lesson: one step of the course, built as one executable under lessons/NN-topic/.
//
// Scope: the plain description of a lesson that the checker, the docs and the tests share. The
// list itself, in course order, is `Course.lessons` (Course.swift). What a lesson teaches lives in
// its own `main.swift`; this file only names it.

/// One lesson of the course: where it lives, how to run it, what it builds, and whether it exists yet.
///
///     let lesson = Course.lessons[0]
///     lesson.executable    // "tensors": run it with `swift run tensors`
///     lesson.sourceFolder  // "lessons/00-tensors"
public struct Lesson: Sendable, Equatable, Identifiable {
    /// Whether a lesson can be run today.
    public enum Status: String, Sendable {
        /// The executable, its exercises and their tests exist.
        case done
        /// Part of the course map, not built yet: no executable, no exercises.
        case planned
    }

    /// The position in the course, from 0; also the `NN` of the folder name.
    public let number: Int
    /// The folder name under `lessons/`, `exercises/` and `solutions/`, e.g. `"00-tensors"`.
    public let folder: String
    /// The executable target's name, e.g. `"tensors"` (`swift run tensors`). It also prefixes the
    /// ids of the lesson's exercises (`tensors.dot-product`).
    public let executable: String
    /// A short human title, e.g. `"Tensors, matmul and a tiny autograd"`.
    public let title: String
    /// What the lesson builds from scratch, one line.
    public let buildsFromScratch: String
    /// The kernel parts (folders of Sources/LabKernel) the lesson uses once it has built them itself.
    public let usesFromKernel: [String]
    /// True for the lessons the kit is known for (tokenization, attention, sampling, fine-tuning);
    /// the others support them.
    public let isCore: Bool
    /// Whether the lesson exists yet.
    public let status: Status

    public init(number: Int, folder: String, executable: String, title: String,
                buildsFromScratch: String, usesFromKernel: [String], isCore: Bool = false, status: Status) {
        self.number = number
        self.folder = folder
        self.executable = executable
        self.title = title
        self.buildsFromScratch = buildsFromScratch
        self.usesFromKernel = usesFromKernel
        self.isCore = isCore
        self.status = status
    }

    /// The stable identity of a lesson is its executable name.
    public var id: String { executable }

    /// The lesson's source folder relative to the package root: `lessons/00-tensors`.
    public var sourceFolder: String { "lessons/\(folder)" }
    /// The folder of the student's exercise stubs: `exercises/00-tensors`.
    public var exercisesFolder: String { "exercises/\(folder)" }
    /// The folder of the reference solutions: `solutions/00-tensors`.
    public var solutionsFolder: String { "solutions/\(folder)" }
}
