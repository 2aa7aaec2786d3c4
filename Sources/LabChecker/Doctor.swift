// `lab doctor`: is this machine ready for the course? One OK/FAIL line per fact, with a fix.
//
//     OK    Swift 6.3.1 (swift-6.3.1-RELEASE)
//     NOTE  lab is a debug build: fine for exercises and lessons (the kernel is optimized either way); …
//     OK    2 cores (the kernel uses all of them)
//     OK    kit found at /home/ada/OpenModelLab (5 exercises in 1 lesson)
//     OK    progress is kept in /home/ada/OpenModelLab/.lab (writable; 2 exercises checked so far)
//     OK    the kit builds (/home/ada/OpenModelLab/.build, 0.5 s) and the exercise tests run (44 tests)
//
// NOTE lines are facts worth knowing that need no action. The build check uses the same build
// folder and switches as `lab check`, so after it `lab check` starts at once.
//
// Left out: checking the network (nothing in the course downloads anything).

import Foundation
import LabCourse

/// One line of `lab doctor`.
public struct DoctorFinding: Sendable, Equatable {
    public enum Level: String, Sendable { case ok = "OK", note = "NOTE", fail = "FAIL" }
    public var level: Level
    public var message: String
    /// What to do about a failure.
    public var fix: String?

    public init(_ level: Level, _ message: String, fix: String? = nil) {
        self.level = level
        self.message = message
        self.fix = fix
    }
}

public enum Doctor {
    /// The toolchain check: `swift --version` must run and report Swift 6 or newer.
    public static func toolchain(swift: String = "swift") -> DoctorFinding {
        var firstLine: String?
        let result = try? Subprocess.run(swift, ["--version"], timeout: 60, onLine: { line in
            if firstLine == nil, line.contains("Swift version") { firstLine = String(line) }
        })
        guard let result, result.termination == .exited(0), let line = firstLine else {
            return DoctorFinding(.fail, "no working `swift` found in PATH",
                                 fix: "install Swift 6 or newer from https://swift.org/install (or Xcode 16+ on macOS) "
                                    + "and make sure `swift --version` works in this shell")
        }
        // "Swift version 6.3.1 (swift-6.3.1-RELEASE)" possibly after a vendor prefix.
        let version = line.components(separatedBy: "Swift version ").last ?? line
        let major = Int(version.prefix { $0.isNumber }) ?? 0
        guard major >= 6 else {
            return DoctorFinding(.fail, "Swift \(version) is too old: the kit needs Swift 6.0 or newer",
                                 fix: "install Swift 6 or newer from https://swift.org/install (or Xcode 16+)")
        }
        return DoctorFinding(.ok, "Swift \(version)")
    }

    /// Whether `lab` itself was compiled with optimization.
    public static func buildConfiguration(isDebug: Bool) -> DoctorFinding {
        isDebug
            ? DoctorFinding(.note, "lab is a debug build: fine for exercises and lessons (the kernel is optimized "
                + "either way); for benchmarks use `swift run -c release lab bench matmul`")
            : DoctorFinding(.ok, "lab is a release build")
    }

    /// The processor count.
    public static func cores(_ count: Int = ProcessInfo.processInfo.activeProcessorCount) -> DoctorFinding {
        count > 1 ? DoctorFinding(.ok, "\(count) cores (the kernel uses all of them)")
            : DoctorFinding(.note, "1 core: everything works, the threaded kernel just cannot speed up")
    }

    /// The kit and its course.
    public static func kit(_ workspace: Workspace) -> [DoctorFinding] {
        let exercises = workspace.course.exercises
        let lessons = Set(exercises.map(\.lessonNumber)).count
        var findings = [DoctorFinding(.ok, "kit found at \(workspace.root.path) (\(exercises.count) exercises in "
            + "\(lessons) lesson\(lessons == 1 ? "" : "s"))")]
        let missing = exercises.filter { !FileManager.default.fileExists(atPath: workspace.url($0.pristinePath).path) }
        if !missing.isEmpty {
            findings.append(DoctorFinding(.fail, "original stubs missing for \(missing.map(\.id).joined(separator: ", ")); "
                + "`lab reset` cannot restore them",
                fix: "copy exercises/.pristine/ from a fresh copy of the kit"))
        }
        return findings
    }

    /// Where progress is kept, and whether it can be written there.
    public static func state(_ workspace: Workspace) -> DoctorFinding {
        let folder = workspace.stateDirectory
        let probe = folder.appendingPathComponent(".doctor-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            return DoctorFinding(.fail, "cannot write progress to \(folder.path): \(error.localizedDescription)",
                                 fix: "make the kit's folder writable (e.g. `chmod u+w \(workspace.root.path)`), "
                                    + "or work in a copy you own")
        }
        let checked = ProgressStore(workspace: workspace).load().exercises.count
        return DoctorFinding(.ok, "progress is kept in \(folder.path) (writable; \(checked) exercise"
            + "\(checked == 1 ? "" : "s") checked so far)")
    }

    /// Builds the exercises as `lab check` does and lists their tests.
    public static func build(_ workspace: Workspace, isCancelled: () -> Bool = { false },
                             onProgress: (String) -> Void = { _ in }) -> [DoctorFinding] {
        let scratch = workspace.defaultScratchPath(for: .exercises)
        let step = BuildStep(workspace: workspace, mode: .exercises, scratchPath: scratch)
        do {
            let outcome = try step.run(onProgress: onProgress, isCancelled: isCancelled)
            let excluded = workspace.course.exercises.filter { outcome.notCompiled[$0.id] != nil }
            let bundle = try TestBundle.locate(scratchPath: scratch,
                                               environment: step.environment(excluding: excluded.map(\.moduleName)))
            let tests = try bundle.listTests(swiftTestArguments: Array(step.buildArguments.dropFirst(2)),
                                             isCancelled: isCancelled)
                .filter { $0.hasPrefix(Exercise.testTarget + ".") }
            var findings = [DoctorFinding(.ok, "the kit builds (\(scratch.path), "
                + "\(formatSeconds((outcome.duration * 10).rounded() / 10))) and the exercise tests run (\(tests.count) tests)")]
            if !excluded.isEmpty {
                findings.append(DoctorFinding(.note, "your exercises \(excluded.map(\.id).joined(separator: ", ")) do not "
                    + "compile yet; `lab check` shows the compiler's errors and checks the others"))
            }
            return findings
        } catch let failure as BuildFailure {
            return [DoctorFinding(.fail, "the kit does not build:\n" + failure.details,
                                  fix: "if you changed files outside exercises/, restore them from a fresh copy; "
                                    + "otherwise check the toolchain above (Swift 6 or newer)")]
        } catch {
            return [DoctorFinding(.fail, "the build could not run: \(error)",
                                  fix: "run `swift build --build-tests` in the kit's folder to see why")]
        }
    }
}
