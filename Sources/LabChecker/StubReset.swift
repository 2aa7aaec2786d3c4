// `lab reset`: put the original stub back, after saving the student's version.
//
// Nothing a student wrote is ever lost: before the stub is restored, the current file is copied
// to `.lab/backups/<lesson>/<Name>-<yyyyMMdd-HHmmss>.swift`, read back and compared byte for byte;
// only then is the exercise file replaced (atomically: a temporary file renamed over it). The
// original comes from `exercises/.pristine/` (see Workspace.swift for why it lives there). The
// command asks before calling `restore`; this file does the work and reports what it did.
//
// Left out: restoring a backup (`cp` does that, and the path is printed).

import Foundation
import LabCourse

public struct StubReset: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// What `restore` would do.
    public enum Plan: Sendable, Equatable {
        /// The file already equals the original stub: nothing to do.
        case alreadyPristine
        /// The file differs (or is missing, `backup` nil) and would be backed up to `backup`.
        case restore(backup: URL?)
    }

    /// Decides what resetting `exercise` would do at `date`; throws when the original is missing.
    public func plan(_ exercise: Exercise, at date: Date = Date()) throws -> Plan {
        let original = try pristineContents(of: exercise)
        guard let current = try? Data(contentsOf: workspace.url(exercise.exercisePath)) else {
            return .restore(backup: nil)
        }
        if current == original { return .alreadyPristine }
        return .restore(backup: backupURL(for: exercise, at: date))
    }

    /// Carries out `plan`: backs up the student's file, then restores the original stub.
    /// Returns the backup's location, if one was made.
    @discardableResult
    public func restore(_ exercise: Exercise, plan: Plan) throws -> URL? {
        guard case .restore(let backup) = plan else { return nil }
        let original = try pristineContents(of: exercise)
        let target = workspace.url(exercise.exercisePath)
        if let backup {
            let current = try Data(contentsOf: target)
            try FileManager.default.createDirectory(at: backup.deletingLastPathComponent(), withIntermediateDirectories: true)
            try current.write(to: backup, options: .withoutOverwriting)
            guard (try? Data(contentsOf: backup)) == current else {
                throw CheckerError("the backup \(backup.path) could not be verified; \(exercise.exercisePath) was not changed")
            }
        }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try original.write(to: target, options: .atomic)
        return backup
    }

    /// The original stub's bytes.
    public func pristineContents(of exercise: Exercise) throws -> Data {
        let url = workspace.url(exercise.pristinePath)
        guard let data = try? Data(contentsOf: url) else {
            throw CheckerError("the original stub \(exercise.pristinePath) is missing, so \(exercise.id) cannot be reset. "
                + "Get it from a fresh copy of the kit.")
        }
        return data
    }

    /// `.lab/backups/00-tensors/Softmax-20261129-043000.swift`, with `-2`, `-3`, … if taken.
    func backupURL(for exercise: Exercise, at date: Date) -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: date)
        let folder = workspace.backupDirectory.appendingPathComponent(exercise.lessonFolder, isDirectory: true)
        var candidate = folder.appendingPathComponent("\(exercise.name)-\(stamp).swift")
        var counter = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = folder.appendingPathComponent("\(exercise.name)-\(stamp)-\(counter).swift")
            counter += 1
        }
        return candidate
    }
}
