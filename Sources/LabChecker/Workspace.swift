// Where the checker finds and keeps things in a copy of the kit.
//
//     Package.swift, exercises/NN-topic/*.swift      the package and the student's files
//     exercises/.pristine/NN-topic/*.swift           untouched copies of the stubs, for `lab reset`
//     solutions/NN-topic/*.swift                     reference solutions (`lab check --solutions`)
//     .build                                         the build of the student's files (SwiftPM's
//                                                    default, shared with `swift build` and
//                                                    `LAB_EXERCISES=1 swift test`)
//     .build/solutions                               the build of the reference solutions (same
//                                                    module names: a folder of its own)
//     .lab/state.json, .lab/backups/                 progress and reset backups (git-ignored)
//
// Why pristine copies live in `exercises/.pristine/`: `lab reset` must work in a plain copy of
// the kit without git history (a zip from a teacher, a Gradescope upload), so the original stubs
// must be files in the kit itself. They sit beside the stubs, hidden from most editors and file
// lists, in a folder no build target reads (each exercise module compiles one named file from
// `exercises/NN-topic/`). `lab verify-course`, which CI runs on the repository, fails when a
// pristine copy differs from its stub, so authors cannot forget to update one. Generating stubs
// from solutions was rejected: a stub's doc comment and TODO notes are written for the student
// and differ from the solution's. Nothing but `lab reset` (which restores one stub, after a
// backup) writes under `exercises/`.

import Foundation
import LabCourse

/// A checkout (or plain copy) of the kit, or of another package with the same layout.
public struct Workspace: Sendable {
    /// The package root, the folder holding Package.swift.
    public let root: URL
    /// The course: the kit's registry, or the package's `lab-course.json`.
    public let course: CourseCatalog

    public init(root: URL, course: CourseCatalog) {
        self.root = root.standardizedFileURL
        self.course = course
    }

    /// Opens the package at `packagePath`, or else the nearest folder at or above the current
    /// directory that holds both Package.swift and `exercises/`. The course comes from the
    /// package's `lab-course.json` if it has one, from the kit's registry otherwise.
    public static func open(packagePath: String? = nil) throws -> Workspace {
        let root: URL
        if let packagePath {
            root = URL(fileURLWithPath: packagePath, isDirectory: true)
            guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
                throw CheckerError("no Package.swift in \(root.path): --package-path must name the kit's folder")
            }
        } else {
            let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            guard let found = findRoot(from: current) else {
                throw CheckerError("""
                    cannot find the kit: no folder at or above \(current.path) holds Package.swift and exercises/. \
                    Run lab from the kit's folder (where README.md is), or pass --package-path.
                    """)
            }
            root = found
        }
        let description = root.appendingPathComponent(CourseCatalog.fileName)
        let course = FileManager.default.fileExists(atPath: description.path)
            ? try CourseCatalog.load(from: description) : CourseCatalog.kit
        return Workspace(root: root, course: course)
    }

    /// The nearest folder at or above `directory` with Package.swift and an `exercises` folder.
    public static func findRoot(from directory: URL) -> URL? {
        var candidate = directory.standardizedFileURL
        while true {
            let manager = FileManager.default
            if manager.fileExists(atPath: candidate.appendingPathComponent("Package.swift").path),
               manager.fileExists(atPath: candidate.appendingPathComponent("exercises").path) {
                return candidate
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return nil }
            candidate = parent
        }
    }

    /// A path relative to the package root, as a URL.
    public func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The build folder for a mode: `.build` for the student's files, where `swift build` has
    /// already compiled the kernel (see BuildStep.swift), or `.build/solutions`.
    public func defaultScratchPath(for mode: CheckMode) -> URL {
        mode == .solutions ? root.appendingPathComponent(".build/solutions", isDirectory: true)
            : root.appendingPathComponent(".build", isDirectory: true)
    }

    /// `.lab/`: progress and backups, never committed (the kit's .gitignore lists it).
    public var stateDirectory: URL { root.appendingPathComponent(".lab", isDirectory: true) }

    /// `.lab/backups/`: the student's files as they were before `lab reset`.
    public var backupDirectory: URL { stateDirectory.appendingPathComponent("backups", isDirectory: true) }

    /// The exercise's source file in a mode: the student's stub or the reference solution.
    public func sourcePath(of exercise: Exercise, mode: CheckMode) -> String {
        mode == .solutions ? exercise.solutionPath : exercise.exercisePath
    }

    /// `path` relative to the root when it lies inside it (symbolic links resolved on both
    /// sides, so /tmp and /private/tmp agree on macOS), or nil.
    public func relativePath(of path: String) -> String? {
        let resolvedRoot = root.resolvingSymlinksInPath().path
        for base in Set([root.path, resolvedRoot]) {
            let prefix = base.hasSuffix("/") ? base : base + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let prefix = resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/"
        return resolved.hasPrefix(prefix) ? String(resolved.dropFirst(prefix.count)) : nil
    }
}

/// Which implementation of the exercises a check compiles.
public enum CheckMode: String, Sendable, Codable {
    /// The student's files in `exercises/` (with `LAB_EXERCISES=1`).
    case exercises
    /// The reference solutions in `solutions/` (with `LAB_SOLUTIONS=1`); the teacher's CI gate.
    case solutions

    /// The manifest switch that selects this mode.
    public var environmentSwitch: String { self == .solutions ? "LAB_SOLUTIONS" : "LAB_EXERCISES" }
}
