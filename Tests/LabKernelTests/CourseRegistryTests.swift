// Tests that the course registry (Sources/LabCourse) agrees with the files on disk and with
// Package.swift, so that the checker, the docs and the build never disagree about what the course is.
//
// The manifest is read as text (it cannot be imported); the package root is found from this
// file's own path. These tests run in the default build, without LAB_EXERCISES or LAB_SOLUTIONS.

import Foundation
import XCTest
import LabCourse

final class CourseRegistryTests: XCTestCase {
    /// The package root: this file is Tests/LabKernelTests/CourseRegistryTests.swift.
    private let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    // These tests read only files a student does not edit (pristine stubs, tests, the registry),
    // so `swift test` passes in a student's copy however far they are. A teacher may remove
    // solutions/ from a graded copy (TEACHING.md); the solution checks then step aside.
    private var hasSolutions: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("solutions").path)
    }

    private func solutionPaths(_ exercise: Exercise) -> [String] {
        hasSolutions ? [exercise.solutionPath] : []
    }

    // MARK: - Lessons

    func testLessonsAreNumberedInOrderWithoutGaps() {
        XCTAssertEqual(Course.lessons.map(\.number), Array(0..<Course.lessons.count),
                       "lessons must be listed in course order, numbered 0, 1, 2, … without gaps")
        for lesson in Course.lessons {
            let prefix = lesson.number < 10 ? "0\(lesson.number)-" : "\(lesson.number)-"
            XCTAssertTrue(lesson.folder.hasPrefix(prefix),
                          "lesson \(lesson.number)'s folder \"\(lesson.folder)\" should start with \"\(prefix)\"")
            XCTAssertFalse(lesson.title.isEmpty, "lesson \(lesson.number) needs a title")
            XCTAssertFalse(lesson.buildsFromScratch.isEmpty, "lesson \(lesson.number) should say what it builds")
        }
        XCTAssertEqual(Set(Course.lessons.map(\.executable)).count, Course.lessons.count,
                       "every lesson needs its own executable name: \(Course.lessons.map(\.executable))")
        XCTAssertEqual(Set(Course.lessons.map(\.folder)).count, Course.lessons.count,
                       "every lesson needs its own folder: \(Course.lessons.map(\.folder))")
    }

    func testDoneLessonsMatchThePackageManifest() throws {
        let manifest = try manifestTuples(named: "lessons")
        let registry = Course.lessons.filter { $0.status == .done }.map { [$0.executable, $0.folder] }
        XCTAssertEqual(registry, manifest,
                       "the lessons marked .done in Sources/LabCourse/Course.swift (as [executable, folder]) must be "
                       + "exactly Package.swift's `lessons`, in the same order; a planned lesson becomes .done when "
                       + "its executable is added to the manifest")
    }

    func testDoneLessonsHaveTheirSourceAndPlannedOnesDoNot() {
        for lesson in Course.lessons {
            let main = root.appendingPathComponent(lesson.sourceFolder).appendingPathComponent("main.swift")
            let exists = FileManager.default.fileExists(atPath: main.path)
            switch lesson.status {
            case .done:
                XCTAssertTrue(exists, "lesson \(lesson.number) is marked .done, but \(lesson.sourceFolder)/main.swift is missing")
            case .planned:
                XCTAssertFalse(exists, "lesson \(lesson.number) has \(lesson.sourceFolder)/main.swift but is still marked "
                               + ".planned in Sources/LabCourse/Course.swift")
            }
        }
    }

    // MARK: - Exercises

    func testExercisesMatchThePackageManifestInOrder() throws {
        let manifest = try manifestTuples(named: "exercises")
        let registry = Course.exercises.map { [$0.lessonFolder, $0.name] }
        XCTAssertEqual(registry, manifest,
                       "Course.exercises (as [lesson folder, file name]) must list exactly Package.swift's "
                       + "`exercises`, in the same order")
    }

    func testExercisesBelongToDoneLessonsInCourseOrder() {
        let numbers = Course.exercises.map(\.lessonNumber)
        XCTAssertEqual(numbers, numbers.sorted(), "exercises must be grouped by lesson, in lesson order: \(numbers)")
        for exercise in Course.exercises {
            guard let lesson = Course.lesson(number: exercise.lessonNumber) else {
                XCTFail("exercise \(exercise.id) names lesson \(exercise.lessonNumber), which is not in Course.lessons")
                continue
            }
            XCTAssertEqual(exercise.lessonFolder, lesson.folder, "exercise \(exercise.id) has the wrong lesson folder")
            XCTAssertEqual(lesson.status, .done,
                           "exercise \(exercise.id) belongs to lesson \(lesson.number), which is still .planned")
        }
    }

    func testIdsAreUniqueAndStartWithTheirLessonsExecutable() {
        let ids = Course.exercises.map(\.id)
        XCTAssertEqual(Set(ids).count, ids.count, "exercise ids must be unique: \(ids)")
        XCTAssertEqual(Set(Course.exercises.map(\.name)).count, ids.count,
                       "exercise file names must be unique (they name modules and test classes)")
        for exercise in Course.exercises {
            let lesson = Course.lesson(number: exercise.lessonNumber)
            let parts = exercise.id.split(separator: ".", omittingEmptySubsequences: false)
            XCTAssertEqual(parts.count, 2, "id \"\(exercise.id)\" should be <lesson executable>.<kebab-case name>")
            XCTAssertEqual(parts.first.map(String.init), lesson?.executable,
                           "id \"\(exercise.id)\" should start with its lesson's executable name and a dot")
            XCTAssertTrue(exercise.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." },
                          "id \"\(exercise.id)\" should use only lowercase letters, digits, '-' and '.'")
            XCTAssertEqual(Course.exercise(id: exercise.id)?.name, exercise.name, "Course.exercise(id:) should find \(exercise.id)")
            XCTAssertGreaterThan(exercise.points, 0, "exercise \(exercise.id) should be worth at least one point")
            XCTAssertFalse(exercise.title.isEmpty, "exercise \(exercise.id) needs a title")
        }
    }

    func testEveryExerciseHasAStubASolutionAndATestFile() {
        for exercise in Course.exercises {
            for path in [exercise.pristinePath, exercise.testPath] + solutionPaths(exercise) {
                XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path),
                              "exercise \(exercise.id) needs the file \(path)")
            }
        }
    }

    func testEveryTestFileDeclaresItsClassAndImportsOnlyItsOwnExercise() throws {
        for exercise in Course.exercises {
            let text = try contents(of: exercise.testPath)
            XCTAssertTrue(text.contains("final class \(exercise.testClass): XCTestCase"),
                          "\(exercise.testPath) must declare `final class \(exercise.testClass): XCTestCase`")
            let exerciseImports = lines(of: text).filter { $0.hasPrefix("import Exercise") }
            XCTAssertEqual(exerciseImports, ["import \(exercise.moduleName)"],
                           "\(exercise.testPath) must import exactly its own exercise module \(exercise.moduleName)")
        }
    }

    func testEveryExerciseHasAHintOfOneToThreeSentences() {
        for exercise in Course.exercises {
            let hint = exercise.hint.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertFalse(hint.isEmpty, "exercise \(exercise.id) needs a hint")
            // A sentence ends with . ? or ! followed by a space or the end of the hint.
            let ends = hint.indices.filter { index in
                ".?!".contains(hint[index])
                    && (hint.index(after: index) == hint.endIndex || hint[hint.index(after: index)] == " ")
            }
            XCTAssertTrue((1...3).contains(ends.count),
                          "the hint of \(exercise.id) should be 1 to 3 full sentences, it has \(ends.count): \(hint)")
        }
    }

    func testEveryStubIsDocumentedAndReturnsTodoWhileItsSolutionDoesNot() throws {
        for exercise in Course.exercises {
            // The pristine copy: the stub as shipped, whatever the student has done to theirs.
            let stub = lines(of: try contents(of: exercise.pristinePath))
            XCTAssertTrue(stub.contains { $0.contains(exercise.id) },
                          "the header of \(exercise.pristinePath) should name the exercise id \(exercise.id)")
            // Every public declaration of the stub is directly preceded by a doc comment.
            let declarations = stub.indices.filter { stub[$0].hasPrefix("public ") }
            XCTAssertFalse(declarations.isEmpty, "\(exercise.pristinePath) should declare a public function")
            for index in declarations {
                XCTAssertTrue(index > 0 && stub[index - 1].hasPrefix("///"),
                              "`\(stub[index])` in \(exercise.pristinePath) needs a doc comment (task, shapes, example)")
            }
            XCTAssertTrue(stub.contains { $0.contains("return todo(") },
                          "the pristine stub \(exercise.pristinePath) should `return todo(placeholder)`")
            guard hasSolutions else { continue }
            let solution = lines(of: try contents(of: exercise.solutionPath))
            XCTAssertFalse(solution.contains { $0.contains("todo(") },
                           "the solution \(exercise.solutionPath) must not contain a todo marker")
        }
    }

    func testStubAndSolutionDeclareTheSamePublicAPI() throws {
        for exercise in Course.exercises {
            let stub = publicDeclarations(lines(of: try contents(of: exercise.pristinePath)))
            guard hasSolutions else { continue }
            let solution = publicDeclarations(lines(of: try contents(of: exercise.solutionPath)))
            XCTAssertEqual(stub, solution,
                           "\(exercise.pristinePath) and \(exercise.solutionPath) must declare the same public API, "
                           + "so one test suite checks both")
        }
    }

    func testDerivedNamesFollowThePackageConventions() {
        guard let exercise = Course.exercise(id: "tensors.dot-product") else {
            return XCTFail("the first exercise of lesson 00 should have the id tensors.dot-product")
        }
        XCTAssertEqual(exercise.exercisePath, "exercises/00-tensors/DotProduct.swift")
        XCTAssertEqual(exercise.solutionPath, "solutions/00-tensors/DotProduct.swift")
        XCTAssertEqual(exercise.moduleName, "ExerciseDotProduct", "Package.swift names each module Exercise<File>")
        XCTAssertEqual(exercise.testPath, "Tests/ExerciseTests/00-tensors/DotProductTests.swift")
        XCTAssertEqual(exercise.testSpecifier, "ExerciseTests.DotProductTests")
        XCTAssertEqual(Course.exercises(inLesson: 0).map(\.name),
                       ["DotProduct", "MatmulNaive", "Softmax", "ReLUBackward", "MatmulBackward"])
        XCTAssertEqual(Course.exercises(inLesson: 1).map(\.name),
                       ["UTF8Bytes", "PairCounts", "MergePair", "TrainBPE", "EncodeWithMerges", "DecodeTokens"])
    }

    // MARK: - Reading files

    private func contents(of path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    private func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The public declarations of a Swift file, from `public` up to the opening brace, with the
    /// whitespace of wrapped lines collapsed: `public func dot(_ a: [Float], _ b: [Float]) -> Float`.
    private func publicDeclarations(_ lines: [String]) -> [String] {
        var declarations: [String] = []
        var current: String?
        for line in lines {
            if current == nil, line.hasPrefix("public ") { current = "" }
            guard let partial = current else { continue }
            let joined = partial.isEmpty ? line : partial + " " + line
            if let brace = joined.firstIndex(of: "{") {
                declarations.append(String(joined[..<brace]).trimmingCharacters(in: .whitespaces))
                current = nil
            } else {
                current = joined
            }
        }
        return declarations
    }

    /// The string literals of each tuple in a top-level array of Package.swift, e.g. for
    /// `let exercises: [(lesson: String, file: String)] = [ ("00-tensors", "DotProduct"), … ]`
    /// the result is `[["00-tensors", "DotProduct"], …]`.
    private func manifestTuples(named name: String) throws -> [[String]] {
        let manifest = lines(of: try contents(of: "Package.swift"))
        guard let start = manifest.firstIndex(where: { $0.hasPrefix("let \(name):") }) else {
            XCTFail("Package.swift has no `let \(name): [...] = [` list")
            return []
        }
        var tuples: [[String]] = []
        for line in manifest[(start + 1)...] {
            if line.hasPrefix("]") { break }
            guard line.hasPrefix("(") else { continue }
            // ("00-tensors", "DotProduct"),  ->  every second piece between quotes
            let pieces = line.split(separator: "\"", omittingEmptySubsequences: false)
            tuples.append(stride(from: 1, to: pieces.count, by: 2).map { String(pieces[$0]) })
        }
        return tuples
    }
}
