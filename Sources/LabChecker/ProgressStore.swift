// The student's progress: `.lab/state.json`, written after every check of the student's files.
//
//     {"version": 1, "current": "tensors.softmax",
//      "exercises": {"tensors.dot-product": {"status": "done", "passed": 9, "total": 9,
//                                            "checkedAt": "2026-11-29T04:30:00Z",
//                                            "fileDigest": "9f2c…"}}}
//
// `lab list` reads it instead of re-running every test, and `lab solution` uses it to know
// whether an exercise is solved. Each entry remembers a digest of the exercise file as it was
// checked, so an edit since then shows as "changed since the last check" rather than as a stale
// verdict. `.lab/` is local and ignored by git; deleting it only forgets progress. A file that
// cannot be read is treated as empty (progress is rebuilt by the next check), never as an error.
//
// Left out: locking between two `lab` processes (the last writer wins; both write whole files).

import Foundation
import LabCourse

/// What the progress file remembers about one exercise.
public struct ExerciseProgress: Codable, Sendable, Equatable {
    public var status: ExerciseSummary
    public var passed: Int
    public var total: Int
    public var checkedAt: Date
    /// FNV-1a digest of the exercise file when it was checked.
    public var fileDigest: String
}

/// The whole progress file.
public struct ProgressState: Codable, Sendable, Equatable {
    public var version = 1
    /// The exercise `lab watch` works on, if it has chosen one.
    public var current: String?
    public var exercises: [String: ExerciseProgress] = [:]

    public init() {}
}

public struct ProgressStore: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    public var url: URL { workspace.stateDirectory.appendingPathComponent("state.json") }

    public func load() -> ProgressState {
        guard let data = try? Data(contentsOf: url) else { return ProgressState() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode(ProgressState.self, from: data)) ?? ProgressState()
    }

    public func save(_ state: ProgressState) throws {
        try FileManager.default.createDirectory(at: workspace.stateDirectory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(state).write(to: url, options: .atomic)
    }

    /// Records the verdicts of a check of the student's files (a check of the solutions is not
    /// the student's progress and is ignored). Returns the new state.
    @discardableResult
    public func record(_ report: CheckReport, at date: Date = Date()) throws -> ProgressState {
        var state = load()
        guard report.mode == .exercises else { return state }
        for result in report.exercises {
            state.exercises[result.exercise.id] = ExerciseProgress(
                status: result.summary, passed: result.passedCount, total: result.tests.count,
                checkedAt: date, fileDigest: digest(of: result.exercise) ?? "")
        }
        try save(state)
        return state
    }

    /// The FNV-1a digest of the student's exercise file, or nil if it is missing.
    public func digest(of exercise: Exercise) -> String? {
        guard let data = try? Data(contentsOf: workspace.url(exercise.exercisePath)) else { return nil }
        return Self.digest(data)
    }

    /// True when the exercise passed its last check and the file is unchanged since.
    public func isSolved(_ exercise: Exercise, in state: ProgressState) -> Bool {
        guard let entry = state.exercises[exercise.id], entry.status == .done else { return false }
        return entry.fileDigest == digest(of: exercise)
    }

    /// True when the file differs from the one last checked (false if never checked).
    public func changedSinceCheck(_ exercise: Exercise, in state: ProgressState) -> Bool {
        guard let entry = state.exercises[exercise.id] else { return false }
        return entry.fileDigest != digest(of: exercise)
    }

    /// 64-bit FNV-1a, as 16 hex digits: small, fast, and stable across platforms and runs
    /// (Swift's `Hasher` is seeded per process).
    static func digest(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
