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
// Every build uses the same scratch path and switches as the README's `swift test` command for
// that mode, so the two share one build and an edit recompiles only the edited module.
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
    /// The `swift` executable (a name looked up in PATH, or a path).
    public var swift = "swift"

    public init(workspace: Workspace, mode: CheckMode, scratchPath: URL) {
        self.workspace = workspace
        self.mode = mode
        self.scratchPath = scratchPath
    }

    /// The environment for builds and test runs: the mode's switch and the excluded modules.
    public func environment(excluding modules: [String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["LAB_EXERCISES"] = nil
        environment["LAB_SOLUTIONS"] = nil
        environment[mode.environmentSwitch] = "1"
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
        var notCompiled: [String: [CompilerDiagnostic]] = [:]
        var builds = 0
        var duration = 0.0
        while true {
            let excluded = workspace.course.exercises.filter { notCompiled[$0.id] != nil }.map(\.moduleName)
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

    /// The exercise whose stub/solution or test file a diagnostic is in, if any.
    public func exercise(responsibleFor diagnostic: CompilerDiagnostic) -> Exercise? {
        guard let file = diagnostic.file, let relative = workspace.relativePath(of: file) else { return nil }
        return workspace.course.exercises.first { exercise in
            relative == workspace.sourcePath(of: exercise, mode: mode) || relative == exercise.testPath
        }
    }
}
