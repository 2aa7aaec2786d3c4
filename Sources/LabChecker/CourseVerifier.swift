// `lab verify-course`: the teacher's and CI's proof that the course is sound.
//
//     files     every registered exercise has its stub, solution, test file and pristine copy;
//               the pristine copy equals the stub; no .swift file in an exercise folder is
//               missing from the registry
//     teaching  every exercise has a hint, a doc comment on its public API, at least one test
//     solutions every test passes against solutions/ (the same run as `lab check --solutions`)
//     stubs     every test fails against the pristine stubs, with "not implemented yet", and
//               none crashes, times out or fails to compile
//
// The stub run checks `exercises/`; it proves something about the pristine stubs only when the
// two are identical, which the files check establishes (so run this on the repository, not on a
// student's copy). Each finding says what is wrong and how to fix it.
//
// Left out: checking Package.swift's exercise list against the registry, which
// Tests/LabKernelTests/CourseRegistryTests.swift does (a missing module also shows here as an
// exercise without tests).

import Foundation
import LabCourse

/// One line of the verification: a check, whether it held, and what to do if not.
public struct VerificationFinding: Sendable, Equatable {
    public var area: String
    public var passed: Bool
    public var message: String
    public var fix: String?
}

public struct CourseVerifier: Sendable {
    public let workspace: Workspace
    public var timeout: Double

    public init(workspace: Workspace, timeout: Double = CheckOptions.defaultTimeout) {
        self.workspace = workspace
        self.timeout = timeout
    }

    // MARK: - Files and teaching material

    /// The checks that need no build: files, pristine copies, hints, doc comments, tests written.
    public func staticFindings() -> [VerificationFinding] {
        var findings: [VerificationFinding] = []
        let manager = FileManager.default
        let exercises = workspace.course.exercises
        let checker = Checker(workspace: workspace)

        let duplicates = Dictionary(grouping: exercises, by: \.id).filter { $0.value.count > 1 }.keys.sorted()
        findings.append(VerificationFinding(
            area: "files", passed: duplicates.isEmpty,
            message: duplicates.isEmpty ? "\(exercises.count) exercises with unique ids"
                : "exercise ids used twice: \(duplicates.joined(separator: ", "))",
            fix: "give every exercise its own id in the registry"))

        for exercise in exercises {
            var missing: [String] = []
            for path in [exercise.exercisePath, exercise.solutionPath, exercise.testPath, exercise.pristinePath]
            where !manager.fileExists(atPath: workspace.url(path).path) {
                missing.append(path)
            }
            findings.append(VerificationFinding(
                area: "files", passed: missing.isEmpty,
                message: missing.isEmpty ? "\(exercise.id): stub, solution, tests and pristine copy present"
                    : "\(exercise.id): missing \(missing.joined(separator: ", "))",
                fix: "add the missing files (the pristine copy is a copy of the stub)"))

            let stub = try? Data(contentsOf: workspace.url(exercise.exercisePath))
            let pristine = try? Data(contentsOf: workspace.url(exercise.pristinePath))
            if let stub, let pristine {
                findings.append(VerificationFinding(
                    area: "files", passed: stub == pristine,
                    message: stub == pristine ? "\(exercise.id): pristine copy equals the stub"
                        : "\(exercise.id): \(exercise.pristinePath) differs from \(exercise.exercisePath)",
                    fix: "after editing a stub, copy it: cp \(exercise.exercisePath) \(exercise.pristinePath) "
                        + "(or, in a student's copy, `lab reset \(exercise.id)`)"))
            }

            let hint = exercise.hint.trimmingCharacters(in: .whitespacesAndNewlines)
            findings.append(VerificationFinding(
                area: "teaching", passed: !hint.isEmpty,
                message: hint.isEmpty ? "\(exercise.id): no hint" : "\(exercise.id): has a hint",
                fix: "write a hint of one to three sentences in the registry"))

            let documented = stub.map { Self.publicDeclarationsAreDocumented(String(decoding: $0, as: UTF8.self)) } ?? false
            findings.append(VerificationFinding(
                area: "teaching", passed: documented,
                message: documented ? "\(exercise.id): public API documented"
                    : "\(exercise.id): \(exercise.exercisePath) has a public declaration without a /// doc comment (or none at all)",
                fix: "put a doc comment (task, shapes, example) right above each public declaration"))

            let tests = checker.testNamesInSource(of: exercise)
            let declaresClass = (try? String(contentsOf: workspace.url(exercise.testPath), encoding: .utf8))?
                .contains("class \(exercise.testClass)") ?? false
            findings.append(VerificationFinding(
                area: "teaching", passed: declaresClass && !tests.isEmpty,
                message: declaresClass && !tests.isEmpty ? "\(exercise.id): \(tests.count) tests written"
                    : "\(exercise.id): \(exercise.testPath) must declare class \(exercise.testClass) with at least one func test…()",
                fix: "write the test class for the exercise"))
        }

        // Files in the exercise folders that the registry does not know.
        let lessonFolders = Set(exercises.map(\.lessonFolder))
        for folder in lessonFolders.sorted() {
            let registered = Set(exercises.filter { $0.lessonFolder == folder }.map(\.name))
            for (base, suffix) in [("exercises", ".swift"), ("solutions", ".swift"), ("exercises/.pristine", ".swift"),
                                   ("Tests/\(Exercise.testTarget)", "Tests.swift")] {
                let names = (try? manager.contentsOfDirectory(atPath: workspace.url("\(base)/\(folder)").path)) ?? []
                let strays = names.filter { $0.hasSuffix(suffix) && !registered.contains(String($0.dropLast(suffix.count))) }
                for stray in strays.sorted() {
                    findings.append(VerificationFinding(
                        area: "files", passed: false, message: "\(base)/\(folder)/\(stray) is not in the course registry",
                        fix: "register the exercise (Sources/LabCourse/Course.swift and Package.swift) or remove the file"))
                }
            }
        }
        return findings
    }

    /// True when every line starting with `public ` comes right after a `///` line, and there is one.
    static func publicDeclarationsAreDocumented(_ source: String) -> Bool {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let declarations = lines.indices.filter { lines[$0].hasPrefix("public ") }
        return !declarations.isEmpty && declarations.allSatisfy { $0 > 0 && lines[$0 - 1].hasPrefix("///") }
    }

    // MARK: - Running the suites

    /// Findings from a check of the solutions: every exercise must be done.
    public func solutionFindings(_ report: CheckReport) -> [VerificationFinding] {
        report.exercises.map { result in
            let failing = result.tests.filter { $0.status != .passed }
            return VerificationFinding(
                area: "solutions", passed: result.isDone,
                message: result.isDone ? "\(result.exercise.id): all \(result.tests.count) tests pass against the solution"
                    : "\(result.exercise.id): \(failing.count) of \(result.tests.count) tests do not pass against "
                        + "\(result.exercise.solutionPath): "
                        + failing.prefix(3).map { "\($0.name) (\($0.status.label): \(firstLine($0.message)))" }
                            .joined(separator: "; "),
                fix: "fix the solution or the test; `lab check \(result.exercise.id) --solutions` shows the details")
        }
    }

    /// Findings from a check of the pristine stubs: every test must fail gracefully.
    public func stubFindings(_ report: CheckReport) -> [VerificationFinding] {
        report.exercises.map { result in
            let passing = result.tests.filter { $0.status == .passed }
            let ungraceful = result.tests.filter { $0.status != .passed && $0.status != .failed }
            let unexplained = result.tests.filter { $0.status == .failed && !$0.isNotImplemented }
            var problems: [String] = []
            if !passing.isEmpty {
                problems.append("\(passing.count) test(s) pass against the stub, so they check nothing: "
                    + passing.prefix(3).map(\.name).joined(separator: ", "))
            }
            for test in ungraceful.prefix(3) {
                problems.append("\(test.name) \(test.status.label): \(firstLine(test.message))")
            }
            if !unexplained.isEmpty {
                problems.append("\(unexplained.count) failure(s) do not say \"not implemented yet\": "
                    + unexplained.prefix(3).map { "\($0.name) (\(firstLine($0.message)))" }.joined(separator: "; "))
            }
            return VerificationFinding(
                area: "stubs", passed: problems.isEmpty && !result.tests.isEmpty,
                message: problems.isEmpty
                    ? "\(result.exercise.id): all \(result.tests.count) tests fail gracefully against the stub"
                    : "\(result.exercise.id): " + problems.joined(separator: "; "),
                fix: "the stub must compile and `return todo(…)`; wrap every call into the exercise in "
                    + "`exercise { … }` (LabTestSupport) and test behaviour the placeholder cannot have")
        }
    }

    /// Every check: the static ones, then the solution and stub suites (two builds).
    public func run(onEvent: (String, CheckEvent) -> Void = { _, _ in },
                    isCancelled: () -> Bool = { false }) throws -> [VerificationFinding] {
        var findings = staticFindings()
        let exercises = workspace.course.exercises
        for mode in [CheckMode.solutions, .exercises] {
            let checker = Checker(workspace: workspace, options: CheckOptions(mode: mode, timeout: timeout))
            let report = try checker.run(exercises, onEvent: { onEvent(mode.rawValue, $0) }, isCancelled: isCancelled)
            findings += mode == .solutions ? solutionFindings(report) : stubFindings(report)
        }
        return findings
    }
}

private func firstLine(_ text: String) -> String {
    String(text.split(separator: "\n").first ?? "")
}
