// Building the exercises and their tests, leaving out the ones that do not compile.
//
// One compile error anywhere stops the whole test bundle from linking, so a student with one
// broken exercise could not check any other. The build step therefore builds once with
// `swift build --build-tests`; when that fails, it reads the errors, blames each on the exercise
// whose stub (or solution) or test file it is in, and builds again with those exercises left
// out (`LAB_EXCLUDE`, read by Package.swift), until the build succeeds. The blamed exercises are
// "not compiled", with the compiler's own errors for their files. An error that no exercise
// explains (in the kernel, in a test helper, in the manifest, or at link time) ends the build
// step with the compiler's output.
//
// Checking some exercises builds only those (`selection`): LAB_ONLY, read by Package.swift, keeps
// just their modules and their test files, so `lab check tensors.softmax` compiles one small
// module and one test file, not the course. The student's files are built in SwiftPM's default
// scratch path, `.build`, where `swift build` and `swift run lab` already compiled the kernel:
// measured on 2 cores, switching the manifest's switches there (plain, LAB_ONLY=one exercise,
// another exercise, LAB_EXERCISES=1 for the whole course, plain again) recompiled only the
// exercise modules not built yet and the test module ExerciseTests (whose files differ between
// the selections), never the kernel, so every layout of checks shares one build.
//
// Every build uses the same scratch path and switches as the README's `swift test` command for
// that mode, so the two share one build and an edit recompiles only the edited module. Changing
// LAB_EXCLUDE changes the package graph and recompiles the test module, so the step remembers,
// in `<scratch>/lab-not-compiled.json`, which exercises it left out and why: an exercise whose
// file and test file are unchanged since is left out again at once, with the same errors,
// instead of failing one more build first. An edit to either file gives it a fresh try.
//
// Left out: warnings (shown by `swift build` itself, not by the checker).

import Foundation
import LabCourse

/// What a build produced: which exercises compiled, and the errors of the others.
public struct BuildOutcome: Sendable {
    /// The compiler's errors (with excerpts) per exercise id, for exercises that did not compile.
    public var notCompiled: [String: [CompilerDiagnostic]]
    /// How many times `swift build` ran (1 when everything compiled).
    public var builds: Int
    /// Total time spent building, in seconds.
    public var duration: Double
}

/// A build failure that leaving exercises out does not fix.
public struct BuildFailure: Error, CustomStringConvertible {
    /// The errors that no exercise explains, or the last lines of output when there are none.
    public let details: String
    public var description: String {
        "the kit does not build, and not because of an exercise:\n" + details
    }
}

public struct BuildStep: Sendable {
    public let workspace: Workspace
    public let mode: CheckMode
    public let scratchPath: URL
    /// The exercises to build (LAB_ONLY), or nil for every exercise of the course.
    public let selection: [Exercise]?
    /// The `swift` executable (a name looked up in PATH, or a path).
    public var swift = "swift"

    public init(workspace: Workspace, mode: CheckMode, scratchPath: URL, selection: [Exercise]? = nil) {
        self.workspace = workspace
        self.mode = mode
        self.scratchPath = scratchPath
        self.selection = selection
    }

    /// The exercises this step builds: the selection, or the whole course.
    public var exercises: [Exercise] { selection ?? workspace.course.exercises }

    /// The environment for builds and test runs: the mode's switch, the selection and the
    /// excluded modules. Switches inherited from the caller's shell are replaced.
    public func environment(excluding modules: [String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["LAB_EXERCISES"] = nil
        environment["LAB_SOLUTIONS"] = nil
        environment[mode.environmentSwitch] = "1"
        environment["LAB_ONLY"] = selection.map { $0.map(\.moduleName).joined(separator: ",") }
        environment["LAB_EXCLUDE"] = modules.isEmpty ? nil : modules.joined(separator: ",")
        return environment
    }

    /// The arguments of `swift build` for this workspace and scratch path.
    public var buildArguments: [String] {
        ["build", "--build-tests", "--package-path", workspace.root.path, "--scratch-path", scratchPath.path]
    }

    /// Builds, leaving out exercises that do not compile (see the file header).
    ///
    /// - Parameters:
    ///   - onProgress: called with each `[done/total] …` line of `swift build`, for a status line
    ///   - isCancelled: polled while building; a cancelled build throws `CheckerError`
    public func run(onProgress: (String) -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws -> BuildOutcome {
        // Start from the exercises that did not compile last time and have not changed since.
        var notCompiled = rememberedFailures()
        var builds = 0
        var duration = 0.0
        while true {
            let excluded = exercises.filter { notCompiled[$0.id] != nil }.map(\.moduleName)
            // Nothing left to build (the manifest then has no exercise tests at all).
            if excluded.count == exercises.count {
                remember(notCompiled)
                return BuildOutcome(notCompiled: notCompiled, builds: builds, duration: duration)
            }
            var collector = CompilerDiagnosticCollector()
            let result = try Subprocess.run(swift, buildArguments, environment: environment(excluding: excluded),
                                            tailLimit: 16 * 1024, isCancelled: isCancelled) { line in
                collector.consume(line)
                if line.hasPrefix("[") { onProgress(String(line)) }
            }
            collector.finish()
            builds += 1
            duration += result.duration
            switch result.termination {
            case .exited(0):
                remember(notCompiled)
                return BuildOutcome(notCompiled: notCompiled, builds: builds, duration: duration)
            case .cancelled:
                throw CheckerError("interrupted while building")
            default:
                break
            }
            // Blame each error on an exercise; anything unexplained ends the build step.
            var blamed: [String: [CompilerDiagnostic]] = [:]
            var unexplained: [CompilerDiagnostic] = []
            for diagnostic in collector.diagnostics {
                if let exercise = exercise(responsibleFor: diagnostic), notCompiled[exercise.id] == nil {
                    blamed[exercise.id, default: []].append(diagnostic)
                } else if diagnostic.severity == "error" {
                    unexplained.append(diagnostic)
                }
            }
            // An exercise is blamed only for its errors (a note alone does not fail a build).
            blamed = blamed.filter { $0.value.contains { $0.severity == "error" } }
            if blamed.isEmpty {
                let details = unexplained.isEmpty ? result.tail : unexplained.map(\.text).joined(separator: "\n")
                throw BuildFailure(details: details)
            }
            notCompiled.merge(blamed) { old, _ in old }
        }
    }

    // MARK: - Remembering exercises that did not compile

    private struct RememberedFailure: Codable {
        var id: String
        /// Digests of the exercise's source and test file when it failed.
        var sourceDigest: String
        var testDigest: String
        var diagnostics: [CompilerDiagnostic]
    }

    private var memoryURL: URL { scratchPath.appendingPathComponent("lab-not-compiled.json") }

    private func digests(of exercise: Exercise) -> (source: String, test: String) {
        func digest(_ path: String) -> String {
            (try? Data(contentsOf: workspace.url(path))).map(ProgressStore.digest) ?? "missing"
        }
        return (digest(workspace.sourcePath(of: exercise, mode: mode)), digest(exercise.testPath))
    }

    private func rememberedEntries() -> [RememberedFailure] {
        guard let data = try? Data(contentsOf: memoryURL),
              let entries = try? JSONDecoder().decode([RememberedFailure].self, from: data) else { return [] }
        return entries
    }

    /// The remembered failures of the exercises built here whose files are unchanged.
    private func rememberedFailures() -> [String: [CompilerDiagnostic]] {
        var failures: [String: [CompilerDiagnostic]] = [:]
        for entry in rememberedEntries() {
            guard let exercise = exercises.first(where: { $0.id == entry.id }) else { continue }
            let now = digests(of: exercise)
            if now.source == entry.sourceDigest && now.test == entry.testDigest { failures[entry.id] = entry.diagnostics }
        }
        return failures
    }

    /// Records the failures of the exercises built here; what is known of the others is kept.
    private func remember(_ failures: [String: [CompilerDiagnostic]]) {
        let builtIDs = Set(exercises.map(\.id))
        let others = rememberedEntries().filter { !builtIDs.contains($0.id) }
        let entries = exercises.compactMap { exercise -> RememberedFailure? in
            guard let diagnostics = failures[exercise.id] else { return nil }
            let now = digests(of: exercise)
            return RememberedFailure(id: exercise.id, sourceDigest: now.source, testDigest: now.test, diagnostics: diagnostics)
        }
        try? FileManager.default.createDirectory(at: scratchPath, withIntermediateDirectories: true)
        try? JSONEncoder().encode(others + entries).write(to: memoryURL, options: .atomic)
    }

    /// The exercise whose stub/solution or test file a diagnostic is in, if any.
    public func exercise(responsibleFor diagnostic: CompilerDiagnostic) -> Exercise? {
        guard let file = diagnostic.file, let relative = workspace.relativePath(of: file) else { return nil }
        return workspace.course.exercises.first { exercise in
            relative == workspace.sourcePath(of: exercise, mode: mode) || relative == exercise.testPath
        }
    }
}
