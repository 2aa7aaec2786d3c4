// `lab check`: build once, then run every selected test alone, and collect one verdict per test.
//
//     build    swift build --build-tests (BuildStep) of the selected exercises only (all of them
//              when the whole course is checked), leaving out exercises that do not compile
//     list     the test bundle's tests (TestBundle), grouped by exercise, in source order
//     run      each test in its own process with a time limit, several at once, stopping an
//              exercise's tests at its first time-out (ExerciseTestRun), judged by TestVerdict
//
// Tests of an exercise that did not compile get the verdict "not compiled" without running; their
// names come from the test file itself, so every output (terminal, JUnit, Gradescope) still lists
// every test once. The checker reports each step through `onEvent` so that the terminal can show
// a progress bar, and polls `isCancelled` throughout (Ctrl-C).
//
// Left out: printing (ConsoleReport.swift) and the progress file (ProgressStore.swift).

import Foundation
import LabCourse

/// Settings of one check.
public struct CheckOptions: Sendable {
    /// Compile `exercises/` or `solutions/`.
    public var mode: CheckMode
    /// Seconds each test may run before it is stopped.
    public var timeout: Double
    /// The build folder; nil for the mode's default (`.build` or `.build/solutions`).
    public var scratchPath: URL?
    /// Wait for every test to end or reach its limit, even after a test of the same exercise
    /// timed out (by default the exercise's other tests are then reported as not run).
    public var waitForEveryTest: Bool
    /// How many tests of an exercise run at once.
    public var parallelTests: Int

    /// Five seconds: a hundred times what lesson 00's tests need, short enough to wait for.
    public static let defaultTimeout: Double = 5

    /// One test per core, at most 8 (each test process is small; more would only crowd the machine).
    public static var defaultParallelTests: Int { max(1, min(8, ProcessInfo.processInfo.activeProcessorCount)) }

    public init(mode: CheckMode = .exercises, timeout: Double = CheckOptions.defaultTimeout, scratchPath: URL? = nil,
                waitForEveryTest: Bool = false, parallelTests: Int = CheckOptions.defaultParallelTests) {
        self.mode = mode
        self.timeout = timeout
        self.scratchPath = scratchPath
        self.waitForEveryTest = waitForEveryTest
        self.parallelTests = parallelTests
    }
}

/// What the checker is doing, for progress displays.
public enum CheckEvent: Sendable {
    /// The build is about to start: the exercises it compiles (nil: the whole course) and whether
    /// the scratch path holds no build yet (the kit itself is compiled first).
    case buildStarting(selection: [Exercise]?, firstBuild: Bool)
    /// A progress line of `swift build` (`[12/40] Compiling …`).
    case building(String)
    /// The build finished (possibly leaving exercises out).
    case built(BuildOutcome)
    /// A test is about to run; `index` counts from 0 over all selected tests.
    case testStarted(exercise: Exercise, test: String, index: Int, total: Int)
    /// All tests of an exercise have a verdict.
    case exerciseFinished(ExerciseResult)
}

/// The user interrupted the check (Ctrl-C); no test process is left running.
public struct CheckInterrupted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}

public struct Checker: Sendable {
    public let workspace: Workspace
    public let options: CheckOptions

    public init(workspace: Workspace, options: CheckOptions = CheckOptions()) {
        self.workspace = workspace
        self.options = options
    }

    public var scratchPath: URL { options.scratchPath ?? workspace.defaultScratchPath(for: options.mode) }

    /// Whether the scratch path holds no build yet.
    public var isFirstBuild: Bool {
        !FileManager.default.fileExists(atPath: scratchPath.appendingPathComponent("debug").path)
    }

    /// The build step for `exercises`: only those, unless they are the whole course.
    public func buildStep(for exercises: [Exercise]) -> BuildStep {
        let wholeCourse = Set(exercises.map(\.id)) == Set(workspace.course.exercises.map(\.id))
        return BuildStep(workspace: workspace, mode: options.mode, scratchPath: scratchPath,
                         selection: wholeCourse ? nil : exercises)
    }

    /// Builds and runs the tests of `exercises` (in the order given).
    public func run(_ exercises: [Exercise], onEvent: (CheckEvent) -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws -> CheckReport {
        let started = Date()
        let build = buildStep(for: exercises)
        onEvent(.buildStarting(selection: build.selection, firstBuild: isFirstBuild))
        let outcome: BuildOutcome
        do {
            outcome = try build.run(onProgress: { onEvent(.building($0)) }, isCancelled: isCancelled)
        } catch {
            throw isCancelled() ? CheckInterrupted() : error
        }
        onEvent(.built(outcome))

        let excluded = build.exercises.filter { outcome.notCompiled[$0.id] != nil }.map(\.moduleName)
        // No bundle when nothing compiled (the manifest then has no exercise tests).
        var bundle: TestBundle?
        var specifiers: [String] = []
        if excluded.count < build.exercises.count {
            let located = try TestBundle.locate(scratchPath: scratchPath, environment: build.environment(excluding: excluded))
            do {
                specifiers = try located.listTests(swiftTestArguments: Array(build.buildArguments.dropFirst(2)),
                                                   isCancelled: isCancelled)
            } catch {
                throw isCancelled() ? CheckInterrupted() : error
            }
            bundle = located
        }

        // The tests to run, per exercise, in the order they are written in the test file.
        let plan: [(exercise: Exercise, tests: [String])] = exercises.map { exercise in
            let prefix = "\(Exercise.testTarget).\(exercise.testClass)/"
            let listed = specifiers.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
            let written = testNamesInSource(of: exercise)
            let ordered = listed.sorted { (written.firstIndex(of: $0) ?? .max, $0) < (written.firstIndex(of: $1) ?? .max, $1) }
            return (exercise, outcome.notCompiled[exercise.id] == nil ? ordered : written)
        }
        let total = plan.reduce(0) { $0 + $1.tests.count }

        var results: [ExerciseResult] = []
        var index = 0
        let testsStarted = Date()
        for (exercise, tests) in plan {
            let result: ExerciseResult
            if let errors = outcome.notCompiled[exercise.id] {
                result = notCompiledResult(exercise, tests: tests, errors: errors)
                index += tests.count
            } else if let bundle, !tests.isEmpty {
                result = try runTests(of: exercise, tests, in: bundle, firstIndex: index, total: total,
                                      onEvent: onEvent, isCancelled: isCancelled)
                index += tests.count
            } else {
                result = ExerciseResult(exercise: exercise, tests: [TestResult(
                    name: "tests", testClass: exercise.testClass, status: .failed,
                    message: "no tests found: the test bundle has no \(exercise.testSpecifier)/test… methods "
                        + "(is \(exercise.testPath) in Package.swift's exercise list?)")])
            }
            onEvent(.exerciseFinished(result))
            results.append(result)
            if isCancelled() { throw CheckInterrupted() }
        }
        return CheckReport(mode: options.mode, exercises: results, started: started,
                           buildDuration: outcome.duration, testDuration: Date().timeIntervalSince(testsStarted))
    }

    /// Runs one exercise's tests (several at once, see ExerciseTestRun) and judges each.
    func runTests(of exercise: Exercise, _ tests: [String], in bundle: TestBundle, firstIndex: Int, total: Int,
                  onEvent: (CheckEvent) -> Void, isCancelled: () -> Bool) throws -> ExerciseResult {
        let run = ExerciseTestRun(bundle: bundle, testSpecifierPrefix: exercise.testSpecifier, tests: tests,
                                  timeout: options.timeout, parallel: options.parallelTests,
                                  waitForEveryTest: options.waitForEveryTest)
        var startedCount = 0
        let outcomes = try run.run(onStarted: { testIndex in
            onEvent(.testStarted(exercise: exercise, test: tests[testIndex], index: firstIndex + startedCount, total: total))
            startedCount += 1
        }, isCancelled: isCancelled)
        var result = ExerciseResult(exercise: exercise, tests: [])
        for (name, outcome) in zip(tests, outcomes) {
            switch outcome {
            case .ran(let process, _) where process.termination == .cancelled:
                throw CheckInterrupted()
            case .ran(let process, let output):
                result.tests.append(TestVerdict.result(name: name, exercise: exercise, run: process, output: output,
                                                       workspace: workspace, mode: options.mode, timeout: options.timeout))
            case .notRun(let hungTest, let duration):
                result.tests.append(TestResult(
                    name: name, testClass: exercise.testClass, status: .notRun,
                    message: TestVerdict.notRunMessage(hungTest: hungTest, timeout: options.timeout), duration: duration))
            }
        }
        return result
    }

    /// Every test of an exercise that did not compile, marked so, with the compiler's errors.
    func notCompiledResult(_ exercise: Exercise, tests: [String], errors: [CompilerDiagnostic]) -> ExerciseResult {
        let source = workspace.sourcePath(of: exercise, mode: options.mode)
        let inTests = errors.contains { $0.file.flatMap(workspace.relativePath(of:)) == exercise.testPath }
        let inSource = errors.contains { $0.file.flatMap(workspace.relativePath(of:)) == source }
        var message = "\(source) does not compile"
        if inTests && !inSource {
            message = "the tests in \(exercise.testPath) cannot use your code: did a function's name, "
                + "parameters or return type change? They must stay as the stub declares them"
        }
        message += ". The compiler says:\n" + errors.map(\.text).joined(separator: "\n")
        let location = errors.first.flatMap { error in
            error.file.flatMap(workspace.relativePath(of:)).map { "\($0):\(error.line ?? 0)" }
        }
        let names = tests.isEmpty ? ["build"] : tests
        return ExerciseResult(exercise: exercise, tests: names.map {
            TestResult(name: $0, testClass: exercise.testClass, status: .notCompiled, message: message, location: location)
        }, compilerErrors: errors)
    }

    /// The test methods declared in the exercise's test file, in order (`func testX()`).
    public func testNamesInSource(of exercise: Exercise) -> [String] {
        guard let text = try? String(contentsOf: workspace.url(exercise.testPath), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("func test") else { return nil }
            let name = trimmed.dropFirst("func ".count).prefix { $0 == "_" || $0.isLetter || $0.isNumber }
            let rest = trimmed.dropFirst("func ".count + name.count).drop { $0 == " " }
            return rest.hasPrefix("()") ? String(name) : nil
        }
    }
}
