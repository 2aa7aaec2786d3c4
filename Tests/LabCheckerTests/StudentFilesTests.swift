// The student's side of the checker without running any test: naming exercises, finding the
// kit, progress, reset with backups, revealing solutions, and noticing saves. Each test works on
// its own temporary copy of the fixture's files.

import Foundation
import XCTest
@testable import LabChecker
import LabCourse
import LabTestSupport

/// A temporary copy of the checker fixture (no build folder), removed by `tearDown`.
class TemporaryFixtureCase: XCTestCase {
    var root: URL!
    var workspace: Workspace!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lab-fixture-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CheckerFixture.root, to: root)
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".lab"))
        workspace = try Workspace.open(packagePath: root.path)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func exercise(_ id: String) throws -> Exercise {
        try XCTUnwrap(workspace.course.exercise(named: id), "no exercise \(id)")
    }

    func write(_ text: String, to relativePath: String) throws {
        try text.write(to: root.appendingPathComponent(relativePath), atomically: true, encoding: .utf8)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// A report in which `id` has the given verdicts (for progress tests, no build needed).
    func report(_ id: String, _ statuses: [TestStatus]) throws -> CheckReport {
        let exercise = try exercise(id)
        let tests = statuses.enumerated().map { TestResult(name: "test\($0.offset)", testClass: exercise.testClass,
                                                           status: $0.element, message: $0.element == .passed ? "" : "no") }
        return CheckReport(mode: .exercises, exercises: [ExerciseResult(exercise: exercise, tests: tests)])
    }
}

final class CourseCatalogTests: XCTestCase {
    func testKitExercisesAreNamedByIdOrFileName() throws {
        let course = CourseCatalog.kit
        XCTAssertEqual(try course.select("tensors.softmax").map(\.id), ["tensors.softmax"])
        XCTAssertEqual(try course.select("softmax").map(\.id), ["tensors.softmax"], "file names match in any case")
        XCTAssertEqual(try course.select("MatmulNaive").map(\.id), ["tensors.matmul-naive"])
        XCTAssertEqual(try course.select(nil).count, Course.exercises.count)
    }

    func testLessonsAreNamedByNumberFolderOrExecutable() throws {
        let lesson0 = Course.exercises(inLesson: 0).map(\.id)
        for word in ["0", "00", "00-tensors", "tensors"] {
            XCTAssertEqual(try CourseCatalog.kit.select(word).map(\.id), lesson0, "lab check \(word)")
        }
    }

    func testUnknownNamesListWhatExists() {
        XCTAssertThrowsError(try CourseCatalog.kit.select("softmx")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("no exercise or lesson called 'softmx'"), message)
            XCTAssertTrue(message.contains("tensors.softmax"), message)
            XCTAssertTrue(message.contains("0 (tensors)"), message)
        }
        // A planned lesson without exercises yet (whichever is the first such lesson now).
        if let planned = Course.lessons.first(where: { lesson in !Course.exercises.contains { $0.lessonNumber == lesson.number } }) {
            XCTAssertThrowsError(try CourseCatalog.kit.select(planned.executable), "\(planned.executable) has no exercises yet")
        }
    }

    func testFixtureDescribesItsOwnCourse() throws {
        let workspace = try CheckerFixture.workspace()
        XCTAssertEqual(workspace.course.exercises.count, 9)
        XCTAssertEqual(workspace.course.exercise(named: "fixtures.passing")?.points, 2)
        XCTAssertEqual(workspace.course.exercise(named: "fixtures.broken")?.points, 1, "points default to 1")
        XCTAssertEqual(workspace.course.exercise(named: "Broken")?.exercisePath, "exercises/00-fixtures/Broken.swift")
    }

    func testMalformedCourseFileIsReported() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"lessons": [], "exercises": [{"lesson": 3, "name": "A", "id": "a.a", "title": "A", "hint": "h"}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CourseCatalog.load(from: file)) { error in
            XCTAssertTrue("\(error)".contains("names lesson 3, which is not listed"), "\(error)")
        }
    }
}

final class WorkspaceTests: TemporaryFixtureCase {
    func testRootIsFoundFromASubfolder() throws {
        let inner = root.appendingPathComponent("exercises/00-fixtures")
        XCTAssertEqual(Workspace.findRoot(from: inner)?.standardizedFileURL.path, root.standardizedFileURL.path)
        XCTAssertNil(Workspace.findRoot(from: URL(fileURLWithPath: "/")))
    }

    func testPackagePathWithoutManifestIsRefused() {
        XCTAssertThrowsError(try Workspace.open(packagePath: root.appendingPathComponent("exercises").path)) { error in
            XCTAssertTrue("\(error)".contains("no Package.swift"), "\(error)")
        }
    }

    func testPathsAreMadeRelativeThroughSymbolicLinks() throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("lab-link-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: root)
        defer { try? FileManager.default.removeItem(at: link) }
        let linked = Workspace(root: link, course: workspace.course)
        let real = root.resolvingSymlinksInPath().appendingPathComponent("exercises/00-fixtures/Passing.swift").path
        XCTAssertEqual(linked.relativePath(of: real), "exercises/00-fixtures/Passing.swift")
        XCTAssertEqual(workspace.relativePath(of: root.appendingPathComponent("Package.swift").path), "Package.swift")
        XCTAssertNil(workspace.relativePath(of: "/elsewhere/Package.swift"))
    }
}

final class ProgressStoreTests: TemporaryFixtureCase {
    func testVerdictsAreRememberedWithTheFilesDigest() throws {
        let store = ProgressStore(workspace: workspace)
        XCTAssertEqual(store.load(), ProgressState(), "no file yet: empty progress")
        try store.record(try report("fixtures.wrong-answer", [.passed, .failed]))
        let state = store.load()
        let entry = try XCTUnwrap(state.exercises["fixtures.wrong-answer"])
        XCTAssertEqual(entry.status, .failing)
        XCTAssertEqual([entry.passed, entry.total], [1, 2])
        XCTAssertEqual(entry.fileDigest, store.digest(of: try exercise("fixtures.wrong-answer")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(".lab/state.json").path))
    }

    func testSolvedMeansDoneAndUnchangedSince() throws {
        let store = ProgressStore(workspace: workspace)
        let passing = try exercise("fixtures.passing")
        try store.record(try report("fixtures.passing", [.passed, .passed]))
        XCTAssertTrue(store.isSolved(passing, in: store.load()))
        XCTAssertFalse(store.changedSinceCheck(passing, in: store.load()))
        try write(try read(passing.exercisePath) + "\n// an edit\n", to: passing.exercisePath)
        XCTAssertFalse(store.isSolved(passing, in: store.load()), "an edit after the check needs a new check")
        XCTAssertTrue(store.changedSinceCheck(passing, in: store.load()))
    }

    func testSolutionsRunsAreNotProgress() throws {
        let store = ProgressStore(workspace: workspace)
        var solutions = try report("fixtures.passing", [.passed])
        solutions.mode = .solutions
        try store.record(solutions)
        XCTAssertEqual(store.load().exercises, [:])
    }

    func testUnreadableFileIsEmptyProgress() throws {
        try FileManager.default.createDirectory(at: workspace.stateDirectory, withIntermediateDirectories: true)
        try write("{ not json", to: ".lab/state.json")
        XCTAssertEqual(ProgressStore(workspace: workspace).load(), ProgressState())
    }

    func testDigestIsFNV1a() {
        // Published FNV-1a 64 test vectors: "" and "a".
        XCTAssertEqual(ProgressStore.digest(Data()), "cbf29ce484222325")
        XCTAssertEqual(ProgressStore.digest(Data("a".utf8)), "af63dc4c8601ec8c")
    }
}

final class StubResetTests: TemporaryFixtureCase {
    func testPristineFileNeedsNoReset() throws {
        XCTAssertEqual(try StubReset(workspace: workspace).plan(try exercise("fixtures.passing")), .alreadyPristine)
    }

    func testResetBacksUpTheStudentsFileThenRestoresTheStub() throws {
        let target = try exercise("fixtures.wrong-answer")
        let mine = "// my attempt\npublic func double(_ x: Int) -> Int { x * 3 }\n"
        try write(mine, to: target.exercisePath)
        let reset = StubReset(workspace: workspace)
        let date = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15 08:00:00 UTC
        let plan = try reset.plan(target, at: date)
        guard case .restore(let backup?) = plan else { return XCTFail("expected a restore with a backup, got \(plan)") }
        XCTAssertTrue(backup.path.hasPrefix(root.appendingPathComponent(".lab/backups/00-fixtures/WrongAnswer-").path),
                      backup.path)
        XCTAssertEqual(try reset.restore(target, plan: plan), backup)
        XCTAssertEqual(try String(contentsOf: backup, encoding: .utf8), mine, "the student's version is kept")
        XCTAssertEqual(try read(target.exercisePath), try read(target.pristinePath), "the stub is back")
        XCTAssertEqual(try reset.plan(target), .alreadyPristine)
    }

    func testTwoResetsInOneSecondKeepBothBackups() throws {
        let target = try exercise("fixtures.wrong-answer")
        let reset = StubReset(workspace: workspace)
        let date = Date()
        var backups: [URL] = []
        for attempt in ["first", "second"] {
            try write("// \(attempt)\n", to: target.exercisePath)
            if let backup = try reset.restore(target, plan: try reset.plan(target, at: date)) { backups.append(backup) }
        }
        XCTAssertEqual(backups.count, 2)
        XCTAssertNotEqual(backups[0], backups[1])
        XCTAssertTrue(backups[1].lastPathComponent.hasSuffix("-2.swift"), backups[1].lastPathComponent)
        XCTAssertEqual(try backups.map { try String(contentsOf: $0, encoding: .utf8) }, ["// first\n", "// second\n"])
    }

    func testMissingFileIsRestoredWithoutBackup() throws {
        let target = try exercise("fixtures.passing")
        try FileManager.default.removeItem(at: root.appendingPathComponent(target.exercisePath))
        let reset = StubReset(workspace: workspace)
        XCTAssertEqual(try reset.plan(target), .restore(backup: nil))
        XCTAssertNil(try reset.restore(target, plan: .restore(backup: nil)))
        XCTAssertEqual(try read(target.exercisePath), try read(target.pristinePath))
    }

    func testMissingOriginalIsAnErrorAndChangesNothing() throws {
        let target = try exercise("fixtures.passing")
        try write("// mine\n", to: target.exercisePath)
        try FileManager.default.removeItem(at: root.appendingPathComponent(target.pristinePath))
        XCTAssertThrowsError(try StubReset(workspace: workspace).plan(target)) { error in
            XCTAssertTrue("\(error)".contains("is missing"), "\(error)")
        }
        XCTAssertEqual(try read(target.exercisePath), "// mine\n")
    }
}

final class SolutionRevealTests: TemporaryFixtureCase {
    func testRefusedUntilSolvedThenShown() throws {
        let target = try exercise("fixtures.wrong-answer")
        XCTAssertThrowsError(try SolutionReveal.text(of: target, workspace: workspace, force: false)) { error in
            XCTAssertTrue("\(error)".contains("has not been checked yet"), "\(error)")
            XCTAssertTrue("\(error)".contains("--force"), "the refusal says how to override it")
        }
        let store = ProgressStore(workspace: workspace)
        try store.record(try report("fixtures.wrong-answer", [.passed, .failed]))
        XCTAssertThrowsError(try SolutionReveal.text(of: target, workspace: workspace, force: false)) { error in
            XCTAssertTrue("\(error)".contains("passed 1 of 2 tests"), "\(error)")
        }
        try store.record(try report("fixtures.wrong-answer", [.passed, .passed]))
        XCTAssertEqual(try SolutionReveal.text(of: target, workspace: workspace, force: false), try read(target.solutionPath))
    }

    func testEditAfterPassingNeedsANewCheck() throws {
        let target = try exercise("fixtures.passing")
        try ProgressStore(workspace: workspace).record(try report("fixtures.passing", [.passed]))
        try write("// changed\n", to: target.exercisePath)
        XCTAssertThrowsError(try SolutionReveal.text(of: target, workspace: workspace, force: false)) { error in
            XCTAssertTrue("\(error)".contains("changed since it last passed"), "\(error)")
        }
    }

    func testForceShowsItAnyway() throws {
        let target = try exercise("fixtures.broken")
        XCTAssertEqual(try SolutionReveal.text(of: target, workspace: workspace, force: true), try read(target.solutionPath))
    }
}

final class FileWatcherTests: TemporaryFixtureCase {
    func testASaveIsReportedOnceWhenTheFileIsStable() throws {
        let path = "exercises/00-fixtures/Passing.swift"
        var watcher = FileWatcher(url: root.appendingPathComponent(path))
        XCTAssertFalse(watcher.poll(), "nothing changed yet")
        try write("// saved once\n", to: path)
        XCTAssertFalse(watcher.poll(), "a change is reported only when it is stable for one poll")
        XCTAssertTrue(watcher.poll())
        XCTAssertFalse(watcher.poll(), "one save, one report")
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
        XCTAssertFalse(watcher.poll())
        XCTAssertTrue(watcher.poll(), "deleting the file is a change too")
    }
}

final class ProgressListingTests: TemporaryFixtureCase {
    private func entry(_ listing: ProgressListing, _ id: String) -> ListedExercise? {
        listing.entries.first { $0.exercise.id == id }
    }

    func testStatusesComeFromTheProgressFileAndTheFiles() throws {
        try write("// started\n", to: "exercises/00-fixtures/WrongAnswer.swift")
        let store = ProgressStore(workspace: workspace)
        try store.record(try report("fixtures.passing", [.passed, .passed]))
        try store.record(try report("fixtures.chatty", [.passed, .failed]))
        try store.record(try report("fixtures.not-close", [.passed]))
        try write(try read("exercises/00-fixtures/NotClose.swift") + "// later edit\n", to: "exercises/00-fixtures/NotClose.swift")

        let listing = ProgressListing(workspace: workspace)
        XCTAssertEqual(entry(listing, "fixtures.passing")?.status, "done")
        XCTAssertEqual(entry(listing, "fixtures.chatty")?.status, "failing: 1/2 passed")
        XCTAssertEqual(entry(listing, "fixtures.wrong-answer")?.status, "not checked yet", "edited, never checked")
        XCTAssertEqual(entry(listing, "fixtures.broken")?.status, "not started", "never checked, still the original stub")
        XCTAssertEqual(entry(listing, "fixtures.not-close")?.status, "done (edited since; check again)")
        XCTAssertEqual(entry(listing, "fixtures.not-close")?.isDone, false, "an edit after passing needs a new check")
        XCTAssertEqual(listing.doneCount, 1)
        XCTAssertEqual(listing.next?.id, "fixtures.wrong-answer", "the first exercise in course order that is not done")
    }

    func testRenderGroupsByLessonAndCountsDone() throws {
        try ProgressStore(workspace: workspace).record(try report("fixtures.passing", [.passed, .passed]))
        let lines = ProgressListing(workspace: workspace).render()
        XCTAssertEqual(lines.first, "Lesson 00: Checker fixtures")
        XCTAssertEqual(lines.filter { $0.hasPrefix("  ") }.count, 9, "one line per exercise")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  ✓ fixtures.passing") && $0.hasSuffix("done") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasSuffix("] 1 of 9 exercises done") }, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.last, "next: fixtures.wrong-answer (Fails an assertion) in exercises/00-fixtures/WrongAnswer.swift")
    }
}
