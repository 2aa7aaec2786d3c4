// `lab verify-course`'s file and teaching checks on copies of the fixture, the kit's pristine
// stubs, and `lab doctor`'s checks.

import Foundation
import XCTest
@testable import LabChecker
import LabCourse
import LabTestSupport

final class CourseVerifierTests: TemporaryFixtureCase {
    private func failures() -> [String] {
        CourseVerifier(workspace: workspace).staticFindings().filter { !$0.passed }.map(\.message)
    }

    func testFixtureFilesAndTeachingMaterialAreComplete() {
        XCTAssertEqual(failures(), [])
    }

    func testEditedStubNoLongerMatchesItsPristineCopy() throws {
        try write(try read("exercises/00-fixtures/Passing.swift") + "// edited\n", to: "exercises/00-fixtures/Passing.swift")
        XCTAssertEqual(failures(), ["fixtures.passing: exercises/.pristine/00-fixtures/Passing.swift differs from "
                                    + "exercises/00-fixtures/Passing.swift"])
    }

    func testMissingFilesAndStrayFilesAreFound() throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent("solutions/00-fixtures/Chatty.swift"))
        try write("// not registered\n", to: "exercises/00-fixtures/Extra.swift")
        XCTAssertEqual(failures(), ["fixtures.chatty: missing solutions/00-fixtures/Chatty.swift",
                                    "exercises/00-fixtures/Extra.swift is not in the course registry"])
    }

    func testUndocumentedDeclarationAndMissingTestsAreFound() throws {
        try write("public func add(_ a: Int, _ b: Int) -> Int { a + b }\n", to: "exercises/00-fixtures/Passing.swift")
        try write("import XCTest\nfinal class PassingTests: XCTestCase {}\n", to: "Tests/ExerciseTests/00-fixtures/PassingTests.swift")
        let messages = failures()
        XCTAssertTrue(messages.contains { $0.contains("public declaration without a /// doc comment") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("at least one func test") }, "\(messages)")
    }

    func testEmptyHintIsFound() throws {
        var course = workspace.course
        let first = course.exercises[0]
        course.exercises[0] = Exercise(lesson: course.lesson(of: first)!, name: first.name, id: first.id,
                                       title: first.title, hint: "  ")
        let findings = CourseVerifier(workspace: Workspace(root: root, course: course)).staticFindings()
        XCTAssertEqual(findings.filter { !$0.passed }.map(\.message), ["fixtures.passing: no hint"])
        XCTAssertNotNil(findings.first { !$0.passed }?.fix)
    }

    func testDocumentationRule() {
        XCTAssertTrue(CourseVerifier.publicDeclarationsAreDocumented("/// Adds.\npublic func add() {}\n"))
        XCTAssertFalse(CourseVerifier.publicDeclarationsAreDocumented("/// Adds.\n\npublic func add() {}\n"),
                       "the doc comment must be directly above")
        XCTAssertFalse(CourseVerifier.publicDeclarationsAreDocumented("func add() {}\n"), "no public API at all")
    }
}

/// The kit's own exercises carry what `lab reset` and `lab verify-course` need. These read only
/// files a student does not edit (pristine copies, solutions, tests), so they hold in a
/// student's copy too; whether the stubs equal their pristine copies is `lab verify-course`'s job.
final class KitPristineStubTests: XCTestCase {
    func testEveryKitExerciseHasADocumentedPristineStubThatReturnsTodo() throws {
        for exercise in Course.exercises {
            let url = RepositoryPaths.root.appendingPathComponent(exercise.pristinePath)
            let text = try XCTUnwrap(try? String(contentsOf: url, encoding: .utf8),
                                     "\(exercise.id) needs its original stub at \(exercise.pristinePath) (a copy of the stub)")
            XCTAssertTrue(text.contains("return todo("), "\(exercise.pristinePath) should be an untouched stub")
            XCTAssertTrue(CourseVerifier.publicDeclarationsAreDocumented(text), "\(exercise.pristinePath) needs doc comments")
        }
    }

    func testEveryKitExerciseHasTestsWritten() {
        let checker = Checker(workspace: Workspace(root: RepositoryPaths.root, course: .kit))
        for exercise in Course.exercises {
            XCTAssertFalse(checker.testNamesInSource(of: exercise).isEmpty, "\(exercise.testPath) has no func test…()")
        }
    }

    func testNoStrayPristineCopies() throws {
        for lesson in Set(Course.exercises.map(\.lessonFolder)) {
            let folder = RepositoryPaths.root.appendingPathComponent("exercises/.pristine/\(lesson)")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            XCTAssertEqual(Set(names), Set(Course.exercises.filter { $0.lessonFolder == lesson }.map { "\($0.name).swift" }),
                           "exercises/.pristine/\(lesson) holds exactly the lesson's stubs")
        }
    }
}

final class DoctorTests: TemporaryFixtureCase {
    func testToolchainIsFoundAndRecent() {
        let finding = Doctor.toolchain()
        XCTAssertEqual(finding.level, .ok, finding.message)
        XCTAssertTrue(finding.message.hasPrefix("Swift 6"), finding.message)
    }

    func testMissingToolchainSaysHowToInstallOne() {
        let finding = Doctor.toolchain(swift: "/nonexistent/swift")
        XCTAssertEqual(finding.level, .fail)
        XCTAssertTrue(finding.fix?.contains("swift.org") == true)
    }

    func testCoresAndBuildConfiguration() {
        XCTAssertEqual(Doctor.cores(2).level, .ok)
        XCTAssertEqual(Doctor.cores(1).level, .note)
        XCTAssertEqual(Doctor.buildConfiguration(isDebug: true).level, .note)
        XCTAssertEqual(Doctor.buildConfiguration(isDebug: false).level, .ok)
    }

    func testStateFolderIsWritableOrExplained() throws {
        let finding = Doctor.state(workspace)
        XCTAssertEqual(finding.level, .ok, finding.message)
        XCTAssertTrue(finding.message.contains(root.appendingPathComponent(".lab").path), finding.message)
        // A file where the folder should be makes it unwritable for anyone, root included.
        try FileManager.default.removeItem(at: workspace.stateDirectory)
        try write("in the way", to: ".lab")
        let blocked = Doctor.state(workspace)
        XCTAssertEqual(blocked.level, .fail, blocked.message)
        XCTAssertNotNil(blocked.fix)
    }

    func testKitFindingNamesMissingOriginals() throws {
        XCTAssertEqual(Doctor.kit(workspace).map(\.level), [.ok])
        try FileManager.default.removeItem(at: root.appendingPathComponent("exercises/.pristine/00-fixtures/Chatty.swift"))
        let findings = Doctor.kit(workspace)
        XCTAssertEqual(findings.map(\.level), [.ok, .fail])
        XCTAssertTrue(findings[1].message.contains("fixtures.chatty"), findings[1].message)
    }
}
