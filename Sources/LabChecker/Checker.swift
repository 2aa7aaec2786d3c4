// `lab check`: build once, then run every selected test alone, and collect one verdict per test.
//
//     build    swift build --build-tests (BuildStep), leaving out exercises that do not compile
//     list     the test bundle's tests (TestBundle), grouped by exercise, in source order
//     run      each test in its own process with a time limit (TestBundle.run), judged by TestVerdict
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
    /// The build folder; nil for the mode's default (`.build/exercises` or `.build/solutions`).
    public var scratchPath: URL?

    /// Five seconds: a hundred times what lesson 00's tests need, short enough to wait for.
    public static let defaultTimeout: Double = 5

    public init(mode: CheckMode = .exercises, timeout: Double = CheckOptions.defaultTimeout, scratchPath: URL? = nil) {
        self.mode = mode
        self.timeout = timeout
        self.scratchPath = scratchPath
    }
}

/// What the checker is doing, for progress displays.
public enum CheckEvent: Sendable {
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

    /// Builds and runs the tests of `exercises` (in the order given).
    public func run(_ exercises: [Exercise], onEvent: (CheckEvent) -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws -> CheckReport {
        let started = Date()
        let build = BuildStep(workspace: workspace, mode: options.mode, scratchPath: scratchPath)
        let outcome: BuildOutcome
        do {
            outcome = try build.run(onProgress: { onEvent(.building($0)) }, isCancelled: isCancelled)
        } catch {
            throw isCancelled() ? CheckInterrupted() : error
        }
        onEvent(.built(outcome))

        let excluded = workspace.course.exercises.filter { outcome.notCompiled[$0.id] != nil }.map(\.moduleName)
        let bundle = try TestBundle.locate(scratchPath: scratchPath, environment: build.environment(excluding: excluded))
        let specifiers: [String]
        do {
            specifiers = try bundle.listTests(swiftTestArguments: Array(build.buildArguments.dropFirst(2)),
                                              isCancelled: isCancelled)
        } catch {
            throw isCancelled() ? CheckInterrupted() : error
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
        var testDuration = 0.0
        for (exercise, tests) in plan {
            var result: ExerciseResult
            if let errors = outcome.notCompiled[exercise.id] {
                result = notCompiledResult(exercise, tests: tests, errors: errors)
                index += tests.count
            } else if tests.isEmpty {
                result = ExerciseResult(exercise: exercise, tests: [TestResult(
                    name: "tests", testClass: exercise.testClass, status: .failed,
                    message: "no tests found: the test bundle has no \(exercise.testSpecifier)/test… methods "
                        + "(is \(exercise.testPath) in Package.swift's exercise list?)")])
            } else {
                result = ExerciseResult(exercise: exercise, tests: [])
                for name in tests {
                    onEvent(.testStarted(exercise: exercise, test: name, index: index, total: total))
                    let specifier = "\(exercise.testSpecifier)/\(name)"
                    let (run, output) = try bundle.run(specifier, timeout: options.timeout, isCancelled: isCancelled)
                    if run.termination == .cancelled { throw CheckInterrupted() }
                    testDuration += run.duration
                    result.tests.append(TestVerdict.result(name: name, exercise: exercise, run: run, output: output,
                                                           workspace: workspace, mode: options.mode,
                                                           timeout: options.timeout))
                    index += 1
                }
            }
            onEvent(.exerciseFinished(result))
            results.append(result)
            if isCancelled() { throw CheckInterrupted() }
        }
        return CheckReport(mode: options.mode, exercises: results, started: started,
                           buildDuration: outcome.duration, testDuration: testDuration)
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
