// The docs agree with the registry: every exercise the README and TEACHING.md name exists, and
// the README lists every exercise. (The manifest's agreement is CourseRegistryTests' job; the
// commands TEACHING.md uses are checked against `lab --help` in CommandLineTests.)

import Foundation
import XCTest
import LabCourse
import LabTestSupport

final class CourseDocumentationTests: XCTestCase {
    private func text(_ file: String) throws -> String {
        try String(contentsOf: RepositoryPaths.root.appendingPathComponent(file), encoding: .utf8)
    }

    /// Words shaped like exercise ids (`tensors.softmax`): a lesson's executable, a dot, kebab-case,
    /// except a lesson's export file names (`attention.ipynb`, `attention.html`).
    private func exerciseIds(in text: String) -> Set<String> {
        let executables = Course.lessons.map(\.executable)
        var ids: Set<String> = []
        let separators = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-")).inverted
        for word in text.components(separatedBy: separators) {
            let parts = word.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, executables.contains(parts[0]), let first = parts[1].first, first.isLowercase,
                  parts[1].allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }),
                  !["ipynb", "html"].contains(parts[1]) else { continue }
            ids.insert(word.trimmingCharacters(in: CharacterSet(charactersIn: ".-")))
        }
        return ids
    }

    func testEveryExerciseIdInTheDocsIsRegistered() throws {
        let registered = Set(Course.exercises.map(\.id))
        for file in ["README.md", "TEACHING.md"] {
            let unknown = exerciseIds(in: try text(file)).subtracting(registered)
            XCTAssertEqual(unknown, [], "\(file) names exercises that Sources/LabCourse/Course.swift does not have")
        }
        XCTAssertFalse(exerciseIds(in: try text("TEACHING.md")).isEmpty, "TEACHING.md's examples use real exercise ids")
    }

    func testReadmeMentionsEveryExercise() throws {
        let readme = try text("README.md")
        for exercise in Course.exercises {
            XCTAssertTrue(readme.contains("`\(exercise.name)`") || readme.contains(exercise.id),
                          "README.md should list exercise \(exercise.id) (by its file name `\(exercise.name)` or id)")
        }
    }
}
